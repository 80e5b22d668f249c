import { and, asc, eq, gt, inArray, lte, ne, or, sql } from 'drizzle-orm'
import {
  waitlistEntries,
  waitlistMessages,
  waitlistOffers,
  type WaitlistEntryRow,
  type WaitlistOfferRow,
} from '../../drizzle/schema'
import { BookingError } from '../../shared/errors'
import { busyQueryRange, computeFreeSlots } from '../../shared/slots/compute-slots'
import type { Interval } from '../../shared/slots/types'
import { DEFAULT_WAITLIST_OFFER_MINUTES, waitlistOpen } from '../../shared/waitlist'
import type { Clock } from '../clock'
import type { Database } from '../db/database'
import type { HoldStore } from '../holds/hold-store'
import type { Logger } from '../logger'
import { resolveOfferedSlot } from '../bookings/resolve-slot'
import { findBookedIntervals } from '../store/busy-intervals'
import type { CatalogEntry } from '../store/resource-catalog'
import { findResourceById, loadScheduleRules } from '../store/resources'
import { messagesFor } from './waitlist-store'

/*
 * The offer worker (docs/waitlist.md). It does not listen for "a slot freed": it looks, for
 * each resource with waiters, at what is free now, so every way a time frees (a
 * cancellation, an unpaid booking expiring, a move, a guest's hold lapsing, the owner
 * widening the schedule) is seen the same way, and a missed kick costs at most a minute.
 *
 * Per resource, under a transaction-scoped advisory lock (two processes never offer for one
 * resource at once), in order: put back in line the entries whose claim was never paid
 * (its booking expired unpaid or was cancelled before any payment), and book again those
 * whose booking a late payment put back into its time; lapse the offers past
 * their time and release their holds;
 * expire the entries whose window has passed; then walk the waiting entries in the order
 * they joined and offer each without an open offer the first free time in its window it was
 * never offered, by placing a hold for it (session `waitlist:<offer id>`) and writing the
 * offer with its messages. The hold is what keeps everybody else off the time; the unique
 * keys on the offers are what keep a waiter from two open offers or the same time twice.
 */

export interface WaitlistDeps {
  db: Database
  clock: Clock
  holds: HoldStore
  logger: Logger
}

export interface OfferRun {
  offered: number
  lapsed: number
  expired: number
  /** Entries back in line because the booking that claimed their offer was never paid. */
  reopened: number
}

/**
 * A lapsed offer's hold outlives it by this much, so the time passes to the next waiter
 * (at the next run, at most a minute later) without a gap in which anybody else could take
 * it; claims are refused from `expires_at` on all the same.
 */
export const HANDOVER_GRACE_MS = 2 * 60_000
/** Candidate times tried per entry and run: a day of short slots is never walked in full. */
const MAX_TRIES_PER_ENTRY = 24
const MAX_ENTRIES_PER_RUN = 200

export const offerSession = (offerId: string) => `waitlist:${offerId}`

/** Runs the offer worker for every resource with waiters or open offers, or for one. */
export async function runWaitlistOffers(deps: WaitlistDeps, only?: { resourceId: string }): Promise<OfferRun> {
  const total: OfferRun = { offered: 0, lapsed: 0, expired: 0, reopened: 0 }
  const resourceIds = only ? [only.resourceId] : await resourcesWithWaiters(deps.db, deps.clock.now())
  for (const resourceId of resourceIds) {
    const run = await offerForResource(deps, resourceId)
    total.offered += run.offered
    total.lapsed += run.lapsed
    total.expired += run.expired
    total.reopened += run.reopened
  }
  return total
}

/**
 * A `booked` entry whose claim came to nothing: the booking that claimed its offer was
 * cancelled without a cent ever authorized or captured (it expired unpaid, or was cancelled
 * while its payment was still due). A booking that was paid, then cancelled, does not
 * count: that guest had what they waited for. A booking of a resource that takes no
 * payment online (payment_status NULL) does not either, unless it expired.
 */
const claimNeverPaid = sql`EXISTS (SELECT 1 FROM bookings b WHERE b.id = ${waitlistEntries.bookingId}
  AND b.waitlist_offer_id IS NOT NULL AND b.status = 'cancelled'
  AND b.amount_authorized = 0 AND b.amount_captured = 0
  AND (b.cancel_reason = 'expired' OR b.payment_status IS NOT NULL))`

/** The entry's window has not passed (the rule the expiry step applies to waiting entries). */
function windowOpen(at: Date) {
  return or(
    and(eq(waitlistEntries.kind, 'slot'), gt(waitlistEntries.windowStart, at)),
    and(ne(waitlistEntries.kind, 'slot'), gt(waitlistEntries.windowEnd, at)),
  )!
}

async function resourcesWithWaiters(db: Database, now: number): Promise<string[]> {
  const [waiting, open, unpaid] = await Promise.all([
    db
      .selectDistinct({ id: waitlistEntries.resourceId })
      .from(waitlistEntries)
      .where(eq(waitlistEntries.status, 'waiting')),
    db.selectDistinct({ id: waitlistOffers.resourceId }).from(waitlistOffers).where(eq(waitlistOffers.status, 'open')),
    db
      .selectDistinct({ id: waitlistEntries.resourceId })
      .from(waitlistEntries)
      // `window_end > now` holds for every open window; said outright, it reaches the partial index.
      .where(
        and(
          eq(waitlistEntries.status, 'booked'),
          gt(waitlistEntries.windowEnd, new Date(now)),
          windowOpen(new Date(now)),
          claimNeverPaid,
        ),
      ),
  ])
  return [...new Set([...waiting, ...open, ...unpaid].map((r) => r.id))]
}

async function offerForResource(deps: WaitlistDeps, resourceId: string): Promise<OfferRun> {
  const { db, clock, holds } = deps
  const resource = await findResourceById(db, resourceId)
  if (!resource) return { offered: 0, lapsed: 0, expired: 0, reopened: 0 }
  const entry: CatalogEntry = { resource, rules: await loadScheduleRules(db, resourceId) }
  const released: WaitlistOfferRow[] = []
  // Holds placed for offers of this run: released again if the transaction does not commit.
  const placed: { holdId: string; sessionId: string }[] = []
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`waitlist:${resourceId}`}, 0))`)
      const now = clock.now()
      const at = new Date(now)
      // Back in line, in the place it joined at (queued_seq is kept), when its claim was
      // never paid. Its offers stay as they ended, so the time it claimed is never offered
      // to it again (unique entry_id, starts_at). Not when the same guest has joined for the
      // same window again meanwhile: one place in line per guest and window.
      const reopened = await tx
        .update(waitlistEntries)
        .set({ status: 'waiting', bookingId: null, endedAt: null })
        .where(
          and(
            eq(waitlistEntries.resourceId, resourceId),
            eq(waitlistEntries.status, 'booked'),
            windowOpen(at),
            claimNeverPaid,
            sql`NOT EXISTS (SELECT 1 FROM waitlist_entries w WHERE w.resource_id = ${waitlistEntries.resourceId}
              AND w.status = 'waiting' AND lower(w.guest_email) = lower(${waitlistEntries.guestEmail})
              AND w.window_start = ${waitlistEntries.windowStart} AND w.window_end = ${waitlistEntries.windowEnd})`,
          ),
        )
        .returning({ id: waitlistEntries.id })
      // The other way: a payment that came through late put such a booking back into its
      // time (it is pending or confirmed again). Its entry is booked again, and an offer
      // made to it meanwhile is withdrawn, its hold released with the lapsed ones below.
      const claimLive = sql`(SELECT b.id FROM waitlist_offers o JOIN bookings b ON b.waitlist_offer_id = o.id
        WHERE o.entry_id = ${waitlistEntries.id} AND o.status = 'claimed' AND b.status IN ('pending', 'confirmed')
        LIMIT 1)`
      const rebooked = await tx
        .update(waitlistEntries)
        .set({ status: 'booked', bookingId: claimLive, endedAt: at })
        .where(
          and(
            eq(waitlistEntries.resourceId, resourceId),
            eq(waitlistEntries.status, 'waiting'),
            sql`${claimLive} IS NOT NULL`,
          ),
        )
        .returning({ id: waitlistEntries.id })
      const withdrawn = rebooked.length
        ? await tx
            .update(waitlistOffers)
            .set({ status: 'withdrawn', endedAt: at })
            .where(
              and(
                inArray(
                  waitlistOffers.entryId,
                  rebooked.map((e) => e.id),
                ),
                eq(waitlistOffers.status, 'open'),
              ),
            )
            .returning()
        : []
      for (const offer of withdrawn) await holds.release(offer.holdId, offerSession(offer.id))
      released.push(...withdrawn)

      const lapsed = await tx
        .update(waitlistOffers)
        .set({ status: 'lapsed', endedAt: at })
        .where(
          and(
            eq(waitlistOffers.resourceId, resourceId),
            eq(waitlistOffers.status, 'open'),
            lte(waitlistOffers.expiresAt, at),
          ),
        )
        .returning()
      // Released before new offers are placed, so the time can pass straight to the next waiter.
      for (const offer of lapsed) await holds.release(offer.holdId, offerSession(offer.id))
      released.push(...lapsed)

      const noOpenOffer = sql`NOT EXISTS (SELECT 1 FROM waitlist_offers o WHERE o.entry_id = ${waitlistEntries.id} AND o.status = 'open')`
      const expired = await tx
        .update(waitlistEntries)
        .set({ status: 'expired', endedAt: at })
        .where(
          and(
            eq(waitlistEntries.resourceId, resourceId),
            eq(waitlistEntries.status, 'waiting'),
            // A slot has passed once it starts; a range or a day once it ends.
            or(
              and(eq(waitlistEntries.kind, 'slot'), lte(waitlistEntries.windowStart, at)),
              lte(waitlistEntries.windowEnd, at),
            ),
            noOpenOffer,
          ),
        )
        .returning({ id: waitlistEntries.id })

      let offered = 0
      if (waitlistOpen(resource.config) && resource.isActive) {
        const waiting = await tx
          .select()
          .from(waitlistEntries)
          .where(and(eq(waitlistEntries.resourceId, resourceId), eq(waitlistEntries.status, 'waiting'), noOpenOffer))
          .orderBy(asc(waitlistEntries.queuedSeq))
          .limit(MAX_ENTRIES_PER_RUN)
        for (const waiter of waiting)
          if (await offerTo(tx as unknown as Database, deps, entry, waiter, now, placed)) offered++
      }
      return { offered, lapsed: lapsed.length, expired: expired.length, reopened: reopened.length }
    })
  } catch (error) {
    // No offer of this run exists: none of its holds may keep a time from anybody.
    await Promise.all(placed.map((h) => holds.release(h.holdId, h.sessionId).catch(() => false)))
    // The lapses rolled back with the rest: those offers are open again but their holds are
    // gone. The next run lapses them again; claims are refused past expires_at regardless.
    if (released.length) deps.logger.error('waitlist run failed after releasing holds', { resourceId })
    throw error
  }
}

/**
 * Offers the waiter the first time in its window that is free and that it was never
 * offered, if any; true when it made the offer. The hold is placed before the row is
 * written and released if the write fails, so no hold outlives a rolled-back offer.
 */
async function offerTo(
  tx: Database,
  deps: WaitlistDeps,
  { resource, rules }: CatalogEntry,
  waiter: WaitlistEntryRow,
  now: number,
  placed: { holdId: string; sessionId: string }[],
): Promise<boolean> {
  const { config } = resource
  const capacity = config.capacity ?? 1
  const window: Interval = { start: waiter.windowStart.getTime(), end: waiter.windowEnd.getTime() }
  const from = new Date(window.start).toISOString().slice(0, 10)
  const to = new Date(window.end - 1).toISOString().slice(0, 10)
  // With one place, bookings decide here; with several, per slot below (places left).
  const busy =
    capacity > 1 ? [] : await findBookedIntervals(tx, resource.id, busyQueryRange(from, to, 'UTC', config), now)
  const beforeMs = (config.bufferBeforeMin ?? 0) * 60_000
  const afterMs = (config.bufferAfterMin ?? 0) * 60_000
  const [offeredBefore, liveHolds] = await Promise.all([
    tx.select({ start: waitlistOffers.startsAt }).from(waitlistOffers).where(eq(waitlistOffers.entryId, waiter.id)),
    deps.holds.listLive(resource.id, window.start - beforeMs, window.end + afterMs),
  ])
  const seen = new Set(offeredBefore.map((o) => o.start.getTime()))
  const heldByOthers = (slot: Interval) =>
    capacity === 1 && liveHolds.some((h) => h.blockStart < slot.end + afterMs && h.blockEnd > slot.start - beforeMs)
  const candidates = computeFreeSlots({
    timezone: resource.timezone,
    rules,
    config,
    busy,
    from,
    to,
    viewZone: 'UTC',
    now,
    ...(waiter.durationMin !== null ? { duration: waiter.durationMin } : {}),
  })
    .flatMap((day) => day.slots)
    .filter((s) => s.start >= window.start && s.end <= window.end && !seen.has(s.start) && !heldByOthers(s))
    .slice(0, MAX_TRIES_PER_ENTRY)

  const offerMs = (config.waitlistOfferMinutes ?? DEFAULT_WAITLIST_OFFER_MINUTES) * 60_000
  for (const candidate of candidates) {
    let bookedSeats = 0
    try {
      bookedSeats =
        (await resolveOfferedSlot(tx, { resource, rules }, candidate.start, candidate.end, now, waiter.seats))
          .bookedSeats ?? 0
    } catch (error) {
      if (error instanceof BookingError) continue
      throw error
    }
    const offerId = crypto.randomUUID()
    const hold = await deps.holds.place({
      resourceId: resource.id,
      sessionId: offerSession(offerId),
      start: candidate.start,
      end: candidate.end,
      blockStart: candidate.start - beforeMs,
      blockEnd: candidate.end + afterMs,
      ttlMs: offerMs + HANDOVER_GRACE_MS,
      seats: waiter.seats,
      capacity,
      bookedSeats,
      maxPerSession: 1,
    })
    if (!hold.ok) continue
    placed.push({ holdId: hold.hold.id, sessionId: offerSession(offerId) })
    try {
      const offeredAt = new Date(now)
      await tx.insert(waitlistOffers).values({
        id: offerId,
        entryId: waiter.id,
        resourceId: resource.id,
        startsAt: new Date(candidate.start),
        endsAt: new Date(candidate.end),
        holdId: hold.hold.id,
        offeredAt,
        expiresAt: new Date(now + offerMs),
      })
      await tx
        .insert(waitlistMessages)
        .values(messagesFor(waiter, 'offered', offerId, offeredAt))
        .onConflictDoNothing()
    } catch (error) {
      await deps.holds.release(hold.hold.id, offerSession(offerId)).catch(() => false)
      throw error
    }
    return true
  }
  return false
}
