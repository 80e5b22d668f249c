import { and, eq, inArray, isNull, lt, lte, sql } from 'drizzle-orm'
import {
  bookableResources,
  bookingSeries,
  bookings,
  notifications,
  type BookingRow,
  type BookingStatus,
} from '../../drizzle/schema'
import { ACTIVE_STATUSES, statusWords } from '../../shared/booking-status'
import { refundCeilingAfterMove, type ChangeNotice } from '../../shared/cancellation-policy'
import { BookingError } from '../../shared/errors'
import type { CancellationPolicy } from '../../shared/schemas'
import { readableAnswers, type ReadableAnswer } from '../../shared/intake-answers'
import type { IntakeAnswers, IntakeQuestion } from '../../shared/resource-config'
import type { CancellationSettlement, PublicBooking, PublicBookingPart } from '../../shared/types'
import { randomRef } from '../bookings/booking-ref'
import type { NotificationInsert, OutboxPlanner, SeriesDateMove, Transaction } from '../notify/outbox'
import type { Database } from '../db/database'
import {
  DEADLOCK_DETECTED,
  EXCLUSION_VIOLATION,
  LOCK_NOT_AVAILABLE,
  UNIQUE_VIOLATION,
  constraintOf,
  sqlState,
} from '../db/sql-state'
import { limitRefusal } from './limit-refusal'

/*
 * The constraint-guarded writes of a booking. The status of a booking is written only
 * here, and only the booking lifecycle (api/bookings/lifecycle.ts) calls the functions
 * that write it: it decides, these write and let the database have the last word.
 */

export interface NewBooking {
  ref: string
  resourceId: string
  status: Extract<BookingStatus, 'pending' | 'confirmed'>
  start: number
  end: number
  /** Places taken of the resource's capacity (default 1). */
  seats?: number | undefined
  /** The pool it was booked through, and the party size asked (docs/capacity.md). */
  poolId?: string | undefined
  partySize?: number | undefined
  /** A combined booking (docs/capacity.md): the service booked, on the lead and on its parts. */
  serviceId?: string | undefined
  /**
   * The further resources a combined booking occupies with this one (service positions ≥ 1):
   * each becomes a part row in the same statement, so the booking takes all of them or none.
   */
  parts?: BookingPart[] | undefined
  guest: { name: string; email: string; phone?: string | undefined }
  notes?: string | undefined
  answers?: IntakeAnswers | undefined
  /** The resource's questions when the guest answered them (what the answers mean). */
  questionsAsked?: IntakeQuestion[] | undefined
  sessionId: string
  manageTokenHash: string
  idempotencyKeyHash?: string | undefined
  requestHash?: string | undefined
  manageTokenSealed?: string | undefined
  /** The manage token sealed under APP_SECRET, for links in messages sent later. */
  manageLinkSealed?: string | undefined
  locale?: string | undefined
  /** The IANA zone the guest saw times in (messages state times in it). */
  guestTimezone?: string | undefined
  cancellationPolicy?: CancellationPolicy | undefined
  /** The resource's minimum notice for the guest's own move / cancel, kept as booked. */
  notice?: ChangeNotice | undefined
  expiresAt?: number | undefined
  /** For bookings that take payment: what is due now, in minor units. */
  payment?: { amount: number; currency: string } | undefined
  /** The resource's own address for the owner's message (read from the resource catalog). */
  notifyEmail?: string | undefined
  /** The recurring booking (api/series) this row is an occurrence of. */
  seriesId?: string | undefined
  /** The waitlist offer this booking claims: the insert fails (410 offer_expired) unless it is still open. */
  waitlistOfferId?: string | undefined
}

/** One further resource of a combined booking; `poolId` when it was taken as "any free" member of a pool. */
export interface BookingPart {
  position: number
  resourceId: string
  poolId?: string | undefined
}

/** Raised when the idempotency key was used by a request that committed first. */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('idempotency key already used')
    this.name = 'IdempotencyKeyTaken'
  }
}

/**
 * Inserts a booking and its outbox rows in one statement, so one round trip (see
 * `insertWithOutbox`); the EXCLUDE constraint is the last word (see `writeOccupying` for
 * conflicts, expired pending rows and lock waits). A duplicate idempotency key raises
 * `IdempotencyKeyTaken`; a colliding ref is drawn again.
 */
export async function insertBooking(
  db: Database,
  input: NewBooking,
  now: number,
  outbox: OutboxPlanner,
): Promise<BookingRow> {
  for (let attempt = 1; ; attempt++) {
    try {
      // The id is drawn here so the outbox rows can name it before the row exists.
      const values = { ...toValues(input, now), id: crypto.randomUUID(), version: 1 }
      const parts = (input.parts ?? []).map((part) => partValues(values, part))
      // A booking that takes payment is announced when its payment comes through.
      const messages = input.payment
        ? []
        : outbox.createdRows(
            {
              id: values.id,
              version: values.version,
              status: input.status,
              startsAt: new Date(input.start),
              guestEmail: input.guest.email,
              guestPhone: input.guest.phone ?? null,
            },
            now,
            input.notifyEmail,
          )
      const resources = [input.resourceId, ...parts.map((part) => part.resourceId)]
      return await writeOccupying(db, resources, input.start, input.end, now, {
        alone: (d) => insertWithOutbox(d, values, parts, messages, true),
        serialised: (tx) => insertWithOutbox(tx, values, parts, messages, false),
      })
    } catch (error) {
      // The table's bounds changed since the hold was placed: the guest asks again, no 500.
      if (constraintOf(error) === 'bookings_party_size_fits') {
        throw new BookingError(
          'invalid_request',
          'This table no longer seats a party of this size. Pick a time again.',
          [{ path: 'partySize', code: 'invalid', message: 'outside the table’s party sizes' }],
          { cause: error },
        )
      }
      if (sqlState(error) !== UNIQUE_VIOLATION) throw error
      if (input.idempotencyKeyHash && constraintOf(error)?.includes('idempotency')) throw new IdempotencyKeyTaken()
      if (!constraintOf(error)?.includes('ref') || attempt >= 3) throw error
      input = { ...input, ref: randomRef() }
    }
  }
}

/**
 * Writes a recurring booking: its series row and every occurrence in one transaction, the
 * occurrences in one multi-row statement, so the EXCLUDE constraint refuses the whole series
 * (409 `slot_taken`, nothing written) if any occurrence is taken. The series is announced
 * once: only the first occurrence writes the 'created' messages; every occurrence keeps its
 * own reminders.
 */
export async function insertSeries(
  db: Database,
  series: typeof bookingSeries.$inferInsert & { id: string },
  occurrences: readonly NewBooking[],
  now: number,
  outbox: OutboxPlanner,
): Promise<BookingRow[]> {
  const values = occurrences.map((input) => ({
    ...toValues({ ...input, seriesId: series.id }, now),
    id: crypto.randomUUID(),
    version: 1,
  }))
  // A series that takes payment is announced when its payment comes through (api/bookings/series-payment.ts).
  const messages = occurrences.some((o) => o.payment)
    ? []
    : outbox.seriesCreatedRows(
        values.map((row, index) => ({
          ...row,
          status: occurrences[index]!.status,
          guestPhone: row.guestPhone ?? null,
        })),
        now,
        occurrences[0]?.notifyEmail,
      )
  const start = Math.min(...occurrences.map((o) => o.start))
  const end = Math.max(...occurrences.map((o) => o.end))
  try {
    return await writeOccupying(db, [series.resourceId], start, end, now, async (tx) => {
      await tx.insert(bookingSeries).values(series)
      const rows = await tx.insert(bookings).values(values).returning()
      if (messages.length > 0) await tx.insert(notifications).values(messages).onConflictDoNothing()
      return rows.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
    })
  } catch (error) {
    // A twin request with the same Idempotency-Key committed first (its first date carries the key).
    if (sqlState(error) === UNIQUE_VIOLATION && constraintOf(error)?.includes('idempotency'))
      throw new IdempotencyKeyTaken()
    throw error
  }
}

/**
 * Moves an occupying booking to a new interval in one statement: on conflict nothing
 * changes. The version bump makes reminders written for the old time stale.
 */
export async function moveBooking(
  db: Database,
  id: string,
  start: number,
  end: number,
  now: number,
  outbox: OutboxPlanner,
): Promise<BookingRow> {
  const [current] = await db
    .select({ resourceId: bookings.resourceId, serviceId: bookings.serviceId, partOf: bookings.partOf })
    .from(bookings)
    .where(eq(bookings.id, id))
  if (!current) throw new BookingError('not_found', 'No such booking.')
  if (current.partOf) return refusePart(db, current.partOf)
  // Only the lead is written: the database moves its parts in the same statement, or refuses the whole move.
  return writeOccupying(db, await occupiedResources(db, id, current), start, end, now, async (tx) => {
    const { row, before } = await moveWithin(tx, id, start, end, now)
    await outbox.rescheduled(tx, row, now, before)
    return row
  })
}

/**
 * Moves several occurrences of one series on `resourceId` in ONE transaction: the EXCLUDE
 * constraint, the limits and the busy triggers refuse the whole move (409, nothing changed).
 * Each row must still be at `version` (else 409 `invalid_transition`: another change came
 * first, so two moves of one series never both land). Rows move in the order that never
 * puts one on another's old time: the latest first when moving later, else the earliest.
 * Each is written as `moveBooking` writes one (version bump, refund ceiling, reminders); the
 * guest and the owner are told of the whole move in one message each, not one per date.
 */
export async function moveSeriesBookings(
  db: Database,
  resourceId: string,
  moves: readonly { id: string; version: number; from: number; start: number; end: number }[],
  now: number,
  outbox: OutboxPlanner,
): Promise<BookingRow[]> {
  if (moves.length === 0) return []
  const later = moves[0]!.start > moves[0]!.from
  const ordered = [...moves].sort((a, b) => (later ? b.from - a.from : a.from - b.from))
  const start = Math.min(...moves.map((m) => Math.min(m.start, m.from)))
  const end = Math.max(...moves.map((m) => m.end))
  return writeOccupying(db, [resourceId], start, end, now, async (tx) => {
    // Locked in one order (by id) so two moves of the same series queue instead of deadlocking.
    const locked = await tx
      .select({ id: bookings.id, version: bookings.version })
      .from(bookings)
      .where(
        inArray(
          bookings.id,
          moves.map((m) => m.id),
        ),
      )
      .orderBy(bookings.id)
      .for('update')
    const versions = new Map(locked.map((row) => [row.id, row.version]))
    if (moves.some((m) => versions.get(m.id) !== m.version))
      throw new BookingError(
        'invalid_transition',
        'This series was changed a moment ago by another request; nothing was moved. Load it again.',
      )
    const moved: SeriesDateMove[] = []
    for (const move of ordered) {
      const { row, before } = await moveWithin(tx, move.id, move.start, move.end, now)
      moved.push({ booking: row, from: before })
    }
    await outbox.seriesRescheduled(tx, moved, now)
    return moved.map((m) => m.booking).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
  })
}

/** One booking's move inside a transaction of `writeOccupying`: the row at its new time and the interval it left. */
async function moveWithin(
  tx: Transaction,
  id: string,
  start: number,
  end: number,
  now: number,
): Promise<{ row: BookingRow; before: { startsAt: Date; endsAt: Date } }> {
  // The interval being left, read under the row lock: the "moved" messages state it, and
  // a concurrent move of the same booking must not slip between this read and the update.
  const [before] = await tx
    .select({
      startsAt: bookings.startsAt,
      endsAt: bookings.endsAt,
      cancellationPolicy: bookings.cancellationPolicy,
      refundCeilingPercent: bookings.refundCeilingPercent,
      minCancelNoticeHours: bookings.minCancelNoticeHours,
    })
    .from(bookings)
    .where(eq(bookings.id, id))
    .for('update')
  const [row] = await tx
    .update(bookings)
    .set({
      startsAt: new Date(start),
      endsAt: new Date(end),
      // Whoever moves it (guest or owner), the refund can never exceed what cancelling
      // instead of moving would have given at this moment: otherwise a guest inside a
      // reduced-refund tier moves days ahead and cancels for 100 %. A move made once the
      // cancel notice had closed cancelling keeps nothing back, like one past the cut-off.
      ...(before
        ? {
            refundCeilingPercent: refundCeilingAfterMove(
              before.cancellationPolicy,
              before.startsAt.getTime(),
              now,
              before.refundCeilingPercent,
              before,
            ),
          }
        : {}),
      version: sql`${bookings.version} + 1`,
      updatedAt: new Date(now),
    })
    .where(and(eq(bookings.id, id), inArray(bookings.status, [...ACTIVE_STATUSES])))
    .returning()
  if (!row || !before) throw new BookingError('invalid_transition', 'This booking can no longer be rescheduled.')
  return { row, before }
}

/**
 * The owner confirms a pending booking. Pending already occupies its slot, but the write
 * still goes through the constraint like every occupying write (a stale pending row that
 * lost its slot to an expiry and a newer booking cannot come back over it).
 */
export async function confirmBooking(
  db: Database,
  id: string,
  now: number,
  outbox: OutboxPlanner,
): Promise<BookingRow> {
  const [current] = await db.select().from(bookings).where(eq(bookings.id, id))
  if (!current) throw new BookingError('not_found', 'No such booking.')
  if (current.partOf) return refusePart(db, current.partOf)
  return writeOccupying(
    db,
    await occupiedResources(db, id, current),
    current.startsAt.getTime(),
    current.endsAt.getTime(),
    now,
    async (tx) => {
      const [row] = await tx
        .update(bookings)
        .set({ status: 'confirmed', confirmedAt: new Date(now), expiresAt: null, updatedAt: new Date(now) })
        .where(and(eq(bookings.id, id), eq(bookings.status, 'pending')))
        .returning()
      if (!row)
        throw new BookingError(
          'invalid_transition',
          `Only a pending booking can be confirmed; this one is ${statusWords(current.status)}.`,
        )
      await outbox.confirmed(tx, row, now)
      return row
    },
  )
}

/**
 * Puts a booking that expired unpaid back into its slot as `pending` (its payment came
 * through after all). Passes the constraint like any occupying write: if someone else
 * has the time now, this throws 409 `slot_taken` and nothing changes.
 */
export async function reoccupyExpiredBooking(db: Database, id: string, now: number): Promise<BookingRow | undefined> {
  const [current] = await db.select().from(bookings).where(eq(bookings.id, id))
  if (!current || current.partOf || current.status !== 'cancelled' || current.cancelReason !== 'expired')
    return undefined
  return writeOccupying(
    db,
    await occupiedResources(db, id, current),
    current.startsAt.getTime(),
    current.endsAt.getTime(),
    now,
    async (tx) => {
      const [row] = await tx
        .update(bookings)
        .set({ status: 'pending', cancelledAt: null, cancelReason: null, expiresAt: null, updatedAt: new Date(now) })
        .where(and(eq(bookings.id, id), eq(bookings.status, 'cancelled'), eq(bookings.cancelReason, 'expired')))
        .returning()
      return row
    },
  )
}

/** The booking, locked for the rest of the transaction (concurrent changes queue behind it). */
export async function lockBooking(tx: Transaction, id: string): Promise<BookingRow | undefined> {
  const [row] = await tx.select().from(bookings).where(eq(bookings.id, id)).for('update')
  return row
}

/** Locks several bookings in one order (by id), so two writers of the same rows queue instead of deadlocking. */
export async function lockBookings(tx: Transaction, ids: readonly string[]): Promise<BookingRow[]> {
  if (ids.length === 0) return []
  return tx
    .select()
    .from(bookings)
    .where(inArray(bookings.id, [...ids]))
    .orderBy(bookings.id)
    .for('update')
}

/** Cancels a booking locked by `lockBooking`, recording why and how its money is settled. */
export async function writeCancellation(
  tx: Transaction,
  id: string,
  change: { reason: string; settlement: CancellationSettlement },
  now: number,
): Promise<BookingRow> {
  const at = new Date(now)
  const [row] = await tx
    .update(bookings)
    .set({
      status: 'cancelled',
      cancelledAt: at,
      cancelReason: change.reason,
      settlement: change.settlement,
      expiresAt: null,
      updatedAt: at,
    })
    .where(eq(bookings.id, id))
    .returning()
  if (!row) throw new BookingError('not_found', 'No such booking.')
  return row
}

/**
 * Cancels a pending booking nobody can pay for (its payment could not be started). A lead
 * only: its parts follow it; a part is never cancelled on its own.
 */
export async function cancelUnpaid(db: Database, id: string, reason: string, now: number): Promise<void> {
  const at = new Date(now)
  await db
    .update(bookings)
    .set({ status: 'cancelled', cancelReason: reason, cancelledAt: at, updatedAt: at })
    .where(and(eq(bookings.id, id), eq(bookings.status, 'pending'), isNull(bookings.partOf)))
}

/**
 * Money was captured: a pending booking becomes confirmed. Run in the transaction that
 * recorded the capture; a booking in any other status keeps it.
 */
export async function confirmPaid(tx: Transaction, id: string, now: number): Promise<BookingRow | undefined> {
  const [row] = await tx
    .update(bookings)
    .set({ status: 'confirmed', updatedAt: new Date(now) })
    .where(and(eq(bookings.id, id), eq(bookings.status, 'pending')))
    .returning()
  return row
}

/** Marks a started, confirmed booking as completed or missed. */
export async function markAttendance(
  db: Database,
  id: string,
  to: Extract<BookingStatus, 'completed' | 'no_show'>,
  now: number,
): Promise<BookingRow> {
  const [row] = await db
    .update(bookings)
    .set({ status: to, updatedAt: new Date(now) })
    .where(
      and(
        eq(bookings.id, id),
        eq(bookings.status, 'confirmed'),
        lt(bookings.startsAt, new Date(now)),
        isNull(bookings.partOf),
      ),
    )
    .returning()
  if (row) return row
  // Only on a refusal: say so plainly when the row is a part of a combined booking.
  const [current] = await db.select({ partOf: bookings.partOf }).from(bookings).where(eq(bookings.id, id))
  if (current?.partOf) return refusePart(db, current.partOf)
  throw new BookingError('invalid_transition', 'Only a confirmed booking that has started can be marked so.')
}

/**
 * One statement, committed on its own: the booking in a data-modifying CTE and its outbox
 * rows in another (PostgreSQL runs both to completion; the foreign key is checked at the
 * end of the statement, when the booking exists). With `lockTimeout`, the optimistic lock
 * timeout is set for this statement's own transaction by a `set_config` evaluated while
 * the row is formed, i.e. before the exclusion check that may wait; it ends with the
 * statement, so the pooled connection keeps its default.
 */
async function insertWithOutbox(
  db: Database,
  values: typeof bookings.$inferInsert,
  parts: (typeof bookings.$inferInsert)[],
  messages: NotificationInsert[],
  lockTimeout: boolean,
): Promise<BookingRow> {
  const row = lockTimeout
    ? {
        ...values,
        resourceId: sql`(select ${values.resourceId}::uuid from (select set_config('lock_timeout', ${OPTIMISTIC_LOCK_TIMEOUT}, true)) as optimistic)`,
      }
    : values
  // The lead comes first in the VALUES list: each part row's guard reads its lead, inserted before it.
  const inserted = db.$with('inserted').as(
    parts.length > 0
      ? db
          .insert(bookings)
          .values([row, ...parts])
          .returning()
      : db.insert(bookings).values(row).returning(),
  )
  const ctes =
    messages.length > 0
      ? [
          inserted,
          db
            .$with('outbox_rows')
            .as(db.insert(notifications).values(messages).onConflictDoNothing().returning({ id: notifications.id })),
        ]
      : [inserted]
  const rows = await db
    .with(...ctes)
    .select()
    .from(inserted)
  const booking = rows.find((r) => r.id === values.id)
  if (!booking) throw new Error('insert returned no row')
  return booking
}

/** A write through `writeOccupying`: either always in a transaction, or one statement that sets its own lock timeout. */
type OccupyingWrite<T> =
  | ((tx: Transaction) => Promise<T>)
  | { alone: (db: Database) => Promise<T>; serialised: (tx: Transaction) => Promise<T> }

/**
 * Runs a write that puts a booking into [start, end) on its resources (one, or a combined
 * booking's lead and parts), in a transaction.
 *
 * - Optimistic first, with a short lock_timeout: writes to different times proceed in
 *   parallel and share commits. Two overlapping in-flight inserts can each wait on the
 *   other's uncommitted row (a deadlock Postgres only resolves after deadlock_timeout, 1 s);
 *   the timeout cuts that short, and the write is retried under the advisory lock of every
 *   resource it occupies, taken in one order (sorted ids) so that overlapping writers queue
 *   instead of deadlocking.
 * - 23P01 may come from unpaid pending rows past their payment window: those are cancelled
 *   (`expired`) and the write retried once, so a stopped sweep never leaves a slot stuck.
 * - 23P01/40P01 otherwise → 409 `slot_taken`.
 * - A refusal by the resource's booking limits → 409 `limit_reached` (see limit-refusal.ts).
 */
async function writeOccupying<T>(
  db: Database,
  resourceIds: readonly string[],
  start: number,
  end: number,
  now: number,
  write: OccupyingWrite<T>,
): Promise<T> {
  let serialised = false
  let expiredChecked = false
  for (;;) {
    try {
      if (!serialised && typeof write !== 'function') return await write.alone(db)
      return await db.transaction(async (tx) => {
        if (serialised)
          for (const resourceId of [...new Set(resourceIds)].sort())
            await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${resourceId}, 0))`)
        else await tx.execute(sql`select set_config('lock_timeout', ${OPTIMISTIC_LOCK_TIMEOUT}, true)`)
        return typeof write === 'function' ? write(tx) : write.serialised(tx)
      })
    } catch (error) {
      // Past the resource's booking limits: final, never retried nor read as a taken slot.
      const pastLimit = limitRefusal(error)
      if (pastLimit) throw pastLimit
      // The waitlist offer this booking claims lapsed or was passed on (trigger bookings_claim_waitlist_offer).
      if (constraintOf(error) === 'waitlist_offer_open')
        throw new BookingError(
          'offer_expired',
          'This offer has ended: its time was passed on or has lapsed.',
          undefined,
          {
            cause: error,
          },
        )
      const state = sqlState(error)
      if (!serialised && (state === LOCK_NOT_AVAILABLE || state === DEADLOCK_DETECTED)) {
        serialised = true
        continue
      }
      if (state === EXCLUSION_VIOLATION || state === DEADLOCK_DETECTED) {
        if (!expiredChecked) {
          expiredChecked = true
          if ((await expireStalePendingOverlapping(db, resourceIds, start, end, now)) > 0) continue
        }
        throw new BookingError('slot_taken', 'This time was booked by someone else a moment ago.', undefined, {
          cause: error,
        })
      }
      throw error
    }
  }
}

/** Long enough for a normal commit to land, short next to the 1 s deadlock timeout. */
const OPTIMISTIC_LOCK_TIMEOUT = '200ms'

/** The guest-facing booking with this ref; a part row of a combined booking is never found by its own. */
export async function findBookingByRef(db: Database, ref: string): Promise<BookingRow | undefined> {
  const [row] = await db
    .select()
    .from(bookings)
    .where(and(eq(bookings.ref, ref.toUpperCase()), isNull(bookings.partOf)))
    .limit(1)
  return row
}

export async function findBookingByIdempotencyKey(db: Database, keyHash: string): Promise<BookingRow | undefined> {
  const [row] = await db.select().from(bookings).where(eq(bookings.idempotencyKey, keyHash)).limit(1)
  return row
}

/**
 * The sweep: cancels every unpaid pending booking whose payment window has passed. Leads
 * only (a part is expired by its lead, in the same statement), counted as bookings.
 */
export async function expirePendingBookings(db: Database, now: number): Promise<number> {
  const at = new Date(now)
  const rows = await db
    .update(bookings)
    .set({ status: 'cancelled', cancelReason: 'expired', cancelledAt: at, updatedAt: at })
    .where(and(eq(bookings.status, 'pending'), lte(bookings.expiresAt, at), isNull(bookings.partOf)))
    .returning({ id: bookings.id })
  return rows.length
}

/**
 * Expires the unpaid pending bookings past their window that overlap [start, end) on any of
 * these resources. A part row in the way is expired through its lead (the part keeps the
 * expiry its lead had when it last moved; the lead's own says whether it is stale).
 */
async function expireStalePendingOverlapping(
  db: Database,
  resourceIds: readonly string[],
  start: number,
  end: number,
  now: number,
): Promise<number> {
  const at = new Date(now)
  const blocking = db
    .select({ lead: sql`coalesce(${bookings.partOf}, ${bookings.id})` })
    .from(bookings)
    .where(
      and(
        resourceIds.length === 1
          ? eq(bookings.resourceId, resourceIds[0]!)
          : inArray(bookings.resourceId, [...resourceIds]),
        eq(bookings.status, 'pending'),
        sql`tstzrange(${bookings.startsAt}, ${bookings.endsAt}, '[)') && tstzrange(${new Date(start).toISOString()}::timestamptz, ${new Date(end).toISOString()}::timestamptz, '[)')`,
      ),
    )
  const rows = await db
    .update(bookings)
    .set({ status: 'cancelled', cancelReason: 'expired', cancelledAt: at, updatedAt: at })
    .where(
      and(
        sql`${bookings.id} in ${blocking}`,
        isNull(bookings.partOf),
        eq(bookings.status, 'pending'),
        lte(bookings.expiresAt, at),
      ),
    )
    .returning({ id: bookings.id })
  return rows.length
}

/**
 * The resources a booking occupies: its own, and for the lead of a combined booking its
 * parts' (read only then, so a booking of one resource costs no extra query).
 */
async function occupiedResources(
  db: Database,
  id: string,
  booking: { resourceId: string; serviceId: string | null },
): Promise<string[]> {
  if (!booking.serviceId) return [booking.resourceId]
  const parts = await db.select({ resourceId: bookings.resourceId }).from(bookings).where(eq(bookings.partOf, id))
  return [booking.resourceId, ...parts.map((part) => part.resourceId)]
}

/**
 * Refuses an action addressed to a part row of a combined booking: the owner's console
 * lists it on its resource's calendar, but only the booking it belongs to may change.
 */
export async function refusePart(db: Database, leadId: string): Promise<never> {
  const [lead] = await db.select({ ref: bookings.ref }).from(bookings).where(eq(bookings.id, leadId))
  throw new BookingError(
    'invalid_transition',
    `This is part of booking ${lead?.ref ?? 'another booking'}; change that booking.`,
    lead ? { partOf: lead.ref } : undefined,
  )
}

/**
 * The further resources of combined bookings, by lead id, with their names. A part row does
 * not store its position among the service's parts: it is the service part naming its
 * resource (or a pool it is a member of), each position given to one row.
 */
export async function findBookingParts(
  db: Database,
  leadIds: readonly string[],
): Promise<Map<string, PublicBookingPart[]>> {
  const found = new Map<string, PublicBookingPart[]>()
  if (leadIds.length === 0) return found
  const rows = await db
    .select({
      id: bookings.id,
      leadId: bookings.partOf,
      resourceId: bookings.resourceId,
      name: bookableResources.name,
      candidates: sql<number[] | null>`array(
        select sp.position from service_parts sp
         where sp.service_id = ${bookings.serviceId} and sp.position > 0
           and (sp.resource_id = ${bookings.resourceId}
                or sp.pool_id in (select pm.pool_id from pool_members pm where pm.resource_id = ${bookings.resourceId}))
         order by sp.position)`,
    })
    .from(bookings)
    .innerJoin(bookableResources, eq(bookableResources.id, bookings.resourceId))
    .where(leadIds.length === 1 ? eq(bookings.partOf, leadIds[0]!) : inArray(bookings.partOf, [...leadIds]))
  const byLead = new Map<string, typeof rows>()
  for (const row of rows) byLead.set(row.leadId!, [...(byLead.get(row.leadId!) ?? []), row])
  for (const [leadId, parts] of byLead) {
    const taken = new Set<number>()
    const positioned = parts
      .map((part) => ({ ...part, candidates: (part.candidates ?? []).map(Number) }))
      .sort((a, b) => (a.candidates[0] ?? 99) - (b.candidates[0] ?? 99) || (a.id < b.id ? -1 : 1))
      .map((part) => {
        let position = part.candidates.find((p) => !taken.has(p))
        // The service changed since (or is gone): the next free number keeps positions distinct.
        if (position === undefined) for (position = 1; taken.has(position); position++);
        taken.add(position)
        return { position, resourceId: part.resourceId, name: part.name }
      })
    found.set(
      leadId,
      positioned.sort((a, b) => a.position - b.position),
    )
  }
  return found
}

/**
 * What the owner's views add to rows of combined bookings: each lead's parts, and for each
 * part row the ref of the booking it belongs to. No query for a page without either.
 */
export async function findCombined(
  db: Database,
  rows: readonly BookingRow[],
): Promise<{ parts: Map<string, PublicBookingPart[]>; leadRefs: Map<string, string> }> {
  const leads = rows.filter((row) => row.serviceId && !row.partOf).map((row) => row.id)
  const leadIds = [...new Set(rows.flatMap((row) => (row.partOf ? [row.partOf] : [])))]
  const [parts, refs] = await Promise.all([
    findBookingParts(db, leads),
    leadIds.length === 0
      ? []
      : db.select({ id: bookings.id, ref: bookings.ref }).from(bookings).where(inArray(bookings.id, leadIds)),
  ])
  return { parts, leadRefs: new Map(refs.map((lead) => [lead.id, lead.ref])) }
}

/**
 * The booking as the API shows it. A combined booking shows its service and, when given
 * (see `findBookingParts`), the further resources it occupies.
 */
export function toPublicBooking(row: BookingRow, parts?: PublicBookingPart[]): PublicBooking {
  const view: PublicBooking = {
    ref: row.ref,
    resourceId: row.resourceId,
    status: row.status,
    start: row.startsAt.toISOString(),
    end: row.endsAt.toISOString(),
    seats: row.seats,
    guest: { name: row.guestName, email: row.guestEmail, ...(row.guestPhone ? { phone: row.guestPhone } : {}) },
    version: row.version,
    createdAt: row.createdAt.toISOString(),
  }
  if (row.poolId) view.poolId = row.poolId
  if (row.partySize !== null) view.partySize = row.partySize
  if (row.serviceId) view.serviceId = row.serviceId
  if (parts && parts.length > 0) view.parts = parts
  if (row.notes) view.notes = row.notes
  if (row.answers) view.answers = row.answers
  if (row.confirmedAt) view.confirmedAt = row.confirmedAt.toISOString()
  if (row.expiresAt && row.status === 'pending') view.expiresAt = row.expiresAt.toISOString()
  if (row.cancelledAt) view.cancelledAt = row.cancelledAt.toISOString()
  if (row.cancelReason) view.cancelReason = row.cancelReason
  if (row.paymentStatus && row.amount !== null && row.currency) {
    view.payment = {
      status: row.paymentStatus,
      amount: row.amount,
      currency: row.currency,
      captured: row.amountCaptured,
      refunded: row.amountRefunded,
    }
  }
  if (row.settlement) {
    const { refund, currency, percent, tier, state } = row.settlement
    view.refund = { amount: refund, currency, percent, tier, state }
  }
  return view
}

/**
 * The owner's view of a booking's answers: in words, under the questions as the guest was
 * asked them. In English (the console's language), else the language the owner wrote.
 */
export function readableAnswersOf(row: BookingRow): ReadableAnswer[] | undefined {
  return row.answers ? readableAnswers(row.questionsAsked, row.answers, 'en') : undefined
}

function toValues(input: NewBooking, now: number): typeof bookings.$inferInsert {
  const at = new Date(now)
  return {
    ref: input.ref,
    resourceId: input.resourceId,
    status: input.status,
    startsAt: new Date(input.start),
    endsAt: new Date(input.end),
    seats: input.seats ?? 1,
    poolId: input.poolId ?? null,
    partySize: input.partySize ?? null,
    serviceId: input.serviceId ?? null,
    seriesId: input.seriesId ?? null,
    waitlistOfferId: input.waitlistOfferId ?? null,
    guestName: input.guest.name,
    guestEmail: input.guest.email,
    guestPhone: input.guest.phone ?? null,
    notes: input.notes ?? null,
    answers: input.answers ?? null,
    questionsAsked: input.questionsAsked ?? null,
    sessionId: input.sessionId,
    manageTokenHash: input.manageTokenHash,
    idempotencyKey: input.idempotencyKeyHash ?? null,
    requestHash: input.requestHash ?? null,
    manageTokenSealed: input.manageTokenSealed ?? null,
    manageLinkSealed: input.manageLinkSealed ?? null,
    locale: input.locale ?? 'en',
    guestTimezone: input.guestTimezone ?? null,
    cancellationPolicy: input.cancellationPolicy ?? null,
    minRescheduleNoticeHours: input.notice?.minRescheduleNoticeHours ?? null,
    minCancelNoticeHours: input.notice?.minCancelNoticeHours ?? null,
    expiresAt: input.expiresAt !== undefined ? new Date(input.expiresAt) : null,
    amount: input.payment?.amount ?? null,
    currency: input.payment?.currency ?? null,
    paymentStatus: input.payment ? 'requires_payment' : null,
    confirmedAt: input.status === 'confirmed' ? at : null,
    createdAt: at,
    updatedAt: at,
  }
}

/**
 * A part row of a combined booking: the lead's guest, status, interval and payment window
 * (the guard refuses a part that differs from its lead), one place of its own resource, its
 * own ref (unique, never shown to the guest), and nothing of the money, the policy or the
 * idempotency key: those are the lead's alone.
 */
function partValues(lead: typeof bookings.$inferInsert & { id: string }, part: BookingPart) {
  return {
    ...lead,
    id: crypto.randomUUID(),
    ref: randomRef(),
    resourceId: part.resourceId,
    partOf: lead.id,
    poolId: part.poolId ?? null,
    partySize: null,
    seats: 1,
    idempotencyKey: null,
    requestHash: null,
    manageTokenSealed: null,
    manageLinkSealed: null,
    cancellationPolicy: null,
    amount: null,
    currency: null,
    paymentStatus: null,
  } satisfies typeof bookings.$inferInsert
}
