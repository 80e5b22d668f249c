import { and, asc, desc, eq, gt, inArray, lt, sql, type SQL } from 'drizzle-orm'
import {
  bookings,
  waitlistEntries,
  waitlistMessages,
  waitlistOffers,
  type WaitlistEntryRow,
  type WaitlistMessageRow,
  type WaitlistOfferRow,
} from '../../drizzle/schema'
import type { AdminWaitlistEntry, PublicWaitlistEntry, PublicWaitlistOffer } from '../../shared/api-contract'
import type { Database } from '../db/database'

/*
 * The waitlist's rows: entries in queue order, their offers, and the messages each owes,
 * written in the transaction that made the entry or the offer (the outbox pattern, as for
 * bookings), so a message exists exactly when its cause committed.
 */

export type NewEntry = Omit<typeof waitlistEntries.$inferInsert, 'queuedSeq'> & { id: string; createdAt: Date }
type Executor = Pick<Database, 'insert' | 'select' | 'update' | 'execute'>

/**
 * One message row per channel the entry can be reached on (SMS only for offers, and only
 * with a phone). `removed`: the owner took the entry off the list; told by email alone.
 */
export function messagesFor(
  entry: Pick<WaitlistEntryRow, 'id' | 'guestEmail' | 'guestPhone'>,
  event: WaitlistMessageRow['event'],
  offerId: string | undefined,
  at: Date,
): (typeof waitlistMessages.$inferInsert)[] {
  const rows: (typeof waitlistMessages.$inferInsert)[] = []
  const key = (channel: string) => `${entry.id}:${event}:${offerId ?? '-'}:${channel}`
  rows.push({
    key: key('email'),
    entryId: entry.id,
    offerId,
    event,
    channel: 'email',
    recipient: entry.guestEmail,
    sendAfter: at,
  })
  if (event === 'offered' && entry.guestPhone)
    rows.push({
      key: key('sms'),
      entryId: entry.id,
      offerId,
      event,
      channel: 'sms',
      recipient: entry.guestPhone,
      sendAfter: at,
    })
  return rows
}

/** Writes a new entry and its 'joined' message together; a second join of the same window answers the unique violation. */
export async function insertEntry(db: Database, entry: NewEntry): Promise<WaitlistEntryRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(waitlistEntries).values(entry).returning()
    await tx
      .insert(waitlistMessages)
      .values(messagesFor(row!, 'joined', undefined, entry.createdAt))
      .onConflictDoNothing()
    return row!
  })
}

export async function findEntryByRef(db: Database, ref: string): Promise<WaitlistEntryRow | undefined> {
  const [row] = await db.select().from(waitlistEntries).where(eq(waitlistEntries.ref, ref.toUpperCase())).limit(1)
  return row
}

export async function findEntryById(db: Database, id: string): Promise<WaitlistEntryRow | undefined> {
  const [row] = await db.select().from(waitlistEntries).where(eq(waitlistEntries.id, id)).limit(1)
  return row
}

export async function findOpenOffer(db: Executor, entryId: string): Promise<WaitlistOfferRow | undefined> {
  const [row] = await db
    .select()
    .from(waitlistOffers)
    .where(and(eq(waitlistOffers.entryId, entryId), eq(waitlistOffers.status, 'open')))
    .limit(1)
  return row
}

/**
 * Ends the entry's open offer (declined, withdrawn) and, when `entryStatus` is given, the
 * entry itself, in one transaction. The offer row is what a claim races on: ending it here
 * first means a claim arriving after sees no open offer (410), and one that committed
 * before leaves nothing open to end. An entry the owner removes gets its `removed` email in
 * the same transaction (a guest who leaves is told nothing: they know). Returns the offer
 * ended, if any, so its hold is released.
 */
export async function endOpenOffer(
  db: Database,
  entryId: string,
  offerStatus: 'declined' | 'withdrawn',
  at: Date,
  entryStatus?: 'left' | 'removed',
): Promise<{ offer: WaitlistOfferRow | undefined; entry: WaitlistEntryRow | undefined }> {
  return db.transaction(async (tx) => {
    const [offer] = await tx
      .update(waitlistOffers)
      .set({ status: offerStatus, endedAt: at })
      .where(and(eq(waitlistOffers.entryId, entryId), eq(waitlistOffers.status, 'open')))
      .returning()
    let entry: WaitlistEntryRow | undefined
    if (entryStatus) {
      ;[entry] = await tx
        .update(waitlistEntries)
        .set({ status: entryStatus, endedAt: at })
        .where(and(eq(waitlistEntries.id, entryId), eq(waitlistEntries.status, 'waiting')))
        .returning()
      if (entry && entryStatus === 'removed')
        await tx
          .insert(waitlistMessages)
          .values(messagesFor(entry, 'removed', undefined, at))
          .onConflictDoNothing()
    }
    return { offer, entry }
  })
}

/**
 * The entry's place in line: 1 + the waiting entries of its resource that joined before it
 * and wait on a window overlapping its own (only those can be offered a time it wants first).
 */
export async function positionOf(db: Database, entry: WaitlistEntryRow): Promise<number | null> {
  if (entry.status !== 'waiting') return null
  const [row] = await db
    .select({ ahead: sql<number>`count(*)::int` })
    .from(waitlistEntries)
    .where(
      and(
        eq(waitlistEntries.resourceId, entry.resourceId),
        eq(waitlistEntries.status, 'waiting'),
        lt(waitlistEntries.queuedSeq, entry.queuedSeq),
        lt(waitlistEntries.windowStart, entry.windowEnd),
        gt(waitlistEntries.windowEnd, entry.windowStart),
      ),
    )
  return (row?.ahead ?? 0) + 1
}

async function bookingRefOf(db: Database, bookingId: string | null): Promise<string | undefined> {
  if (!bookingId) return undefined
  const [row] = await db.select({ ref: bookings.ref }).from(bookings).where(eq(bookings.id, bookingId)).limit(1)
  return row?.ref
}

const iso = (at: Date) => at.toISOString()

function offerView(offer: WaitlistOfferRow): PublicWaitlistOffer {
  return { start: iso(offer.startsAt), end: iso(offer.endsAt), expiresAt: iso(offer.expiresAt) }
}

/** The entry as its guest sees it: place in line, the open offer (unexpired), the booking it became. */
export async function toPublicEntry(
  db: Database,
  entry: WaitlistEntryRow,
  resource: { name: string; timezone: string },
  now: number,
): Promise<PublicWaitlistEntry> {
  const [position, offer, bookingRef] = await Promise.all([
    positionOf(db, entry),
    entry.status === 'waiting' ? findOpenOffer(db, entry.id) : undefined,
    bookingRefOf(db, entry.bookingId),
  ])
  return {
    ref: entry.ref,
    resourceId: entry.resourceId,
    resourceName: resource.name,
    timezone: resource.timezone,
    kind: entry.kind,
    windowStart: iso(entry.windowStart),
    windowEnd: iso(entry.windowEnd),
    seats: entry.seats,
    status: entry.status,
    position,
    offer: offer && offer.expiresAt.getTime() > now ? offerView(offer) : null,
    ...(bookingRef ? { bookingRef } : {}),
    guest: {
      name: entry.guestName,
      email: entry.guestEmail,
      ...(entry.guestPhone ? { phone: entry.guestPhone } : {}),
    },
    locale: entry.locale,
  }
}

/**
 * The owner's list: a resource's entries whose windows touch [from, to), in queue order,
 * each with its place in line (among the waiting ones) and every offer it had, newest first.
 */
export async function listForOwner(
  db: Database,
  resource: { id: string; name: string; timezone: string },
  range: { start: number; end: number },
  includeEnded: boolean,
): Promise<AdminWaitlistEntry[]> {
  const where: SQL[] = [
    eq(waitlistEntries.resourceId, resource.id),
    lt(waitlistEntries.windowStart, new Date(range.end)),
    gt(waitlistEntries.windowEnd, new Date(range.start)),
  ]
  if (!includeEnded) where.push(eq(waitlistEntries.status, 'waiting'))
  const entries = await db
    .select()
    .from(waitlistEntries)
    .where(and(...where))
    .orderBy(asc(waitlistEntries.queuedSeq))
    .limit(500)
  if (entries.length === 0) return []
  const ids = entries.map((e) => e.id)
  const [offers, bookingRefs] = await Promise.all([
    db
      .select()
      .from(waitlistOffers)
      .where(inArray(waitlistOffers.entryId, ids))
      .orderBy(desc(waitlistOffers.offeredAt)),
    db
      .select({ id: bookings.id, ref: bookings.ref })
      .from(bookings)
      .where(
        inArray(
          bookings.id,
          entries.flatMap((e) => (e.bookingId ? [e.bookingId] : [])),
        ),
      ),
  ])
  const refById = new Map(bookingRefs.map((b) => [b.id, b.ref]))
  return Promise.all(
    entries.map(async (entry): Promise<AdminWaitlistEntry> => {
      const own = offers.filter((o) => o.entryId === entry.id)
      const open = own.find((o) => o.status === 'open')
      const bookingRef = entry.bookingId ? refById.get(entry.bookingId) : undefined
      return {
        id: entry.id,
        ref: entry.ref,
        resourceId: entry.resourceId,
        resourceName: resource.name,
        timezone: resource.timezone,
        kind: entry.kind,
        windowStart: iso(entry.windowStart),
        windowEnd: iso(entry.windowEnd),
        seats: entry.seats,
        status: entry.status,
        position: await positionOf(db, entry),
        offer: open ? offerView(open) : null,
        ...(bookingRef ? { bookingRef } : {}),
        guest: {
          name: entry.guestName,
          email: entry.guestEmail,
          ...(entry.guestPhone ? { phone: entry.guestPhone } : {}),
        },
        locale: entry.locale,
        createdAt: iso(entry.createdAt),
        endedAt: entry.endedAt ? iso(entry.endedAt) : null,
        offers: own.map((o) => ({
          ...offerView(o),
          status: o.status,
          offeredAt: iso(o.offeredAt),
          endedAt: o.endedAt ? iso(o.endedAt) : null,
        })),
      }
    }),
  )
}
