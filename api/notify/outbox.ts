import { and, eq, inArray, lt, lte, sql } from 'drizzle-orm'
import {
  bookableResources,
  notifications,
  type BookingRow,
  type NotificationPayload,
  type StoredInterval,
} from '../../drizzle/schema'
import type { Database } from '../db/database'

/*
 * Which messages a booking's state change owes, written as outbox rows in the same
 * transaction as the change, so a message exists exactly when the change committed.
 *
 *   booking created      → guest email + SMS, administrator email
 *   confirmed later      → guest email
 *   confirmed (either)   → 24 h reminder (email + SMS), 1 h reminder (SMS), planned now;
 *                          a reminder whose moment has already passed is skipped
 *   rescheduled          → guest email + SMS and administrator email, each with the old and
 *                          the new time (once the booking was announced); reminders planned
 *                          again for the new version, old ones skipped
 *   cancelled            → guest email, administrator email; unsent reminders skipped
 *
 * A booking that takes payment counts as created once its payment is authorized: an
 * unpaid booking that simply expires never sent anything. Rows without a recipient are
 * written as skipped, so the log shows why nothing went out.
 */

/** A transaction as Drizzle hands it to its callback: outbox rows are written inside the change's own. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0]

/** What the "created" messages need of a booking, known before its row is written. */
export type PlannedBooking = Pick<BookingRow, 'id' | 'version' | 'status' | 'startsAt' | 'guestEmail' | 'guestPhone'>

export interface OutboxPlanner {
  created(tx: Transaction, booking: BookingRow, now: number): Promise<void>
  /**
   * The rows `created` writes, planned without the database so the insert can write them in
   * the same statement as the booking. `notifyEmail` is the resource's own address (from the
   * resource catalog); without it the server-wide address is used.
   */
  createdRows(booking: PlannedBooking, now: number, notifyEmail: string | undefined): NotificationInsert[]
  confirmed(tx: Transaction, booking: BookingRow, now: number): Promise<void>
  /** `from` is the interval the booking left; `booking` is already at its new time. */
  rescheduled(tx: Transaction, booking: BookingRow, now: number, from: { startsAt: Date; endsAt: Date }): Promise<void>
  cancelled(tx: Transaction, booking: BookingRow, now: number): Promise<void>
}

export type NotificationInsert = typeof notifications.$inferInsert
type Row = NotificationInsert

const HOUR = 3_600_000
const REMINDER_EVENTS = ['reminder_24h', 'reminder_1h'] as const
const MOVE_EVENTS = ['moved', 'admin_moved'] as const

export function createOutboxPlanner(options: { adminEmail: string | undefined }): OutboxPlanner {
  const adminFor = async (tx: Transaction, booking: BookingRow) => {
    const [resource] = await tx
      .select({ config: bookableResources.config })
      .from(bookableResources)
      .where(eq(bookableResources.id, booking.resourceId))
    return resource?.config?.notifyEmail ?? options.adminEmail
  }
  const write = async (tx: Transaction, rows: Row[]) => {
    if (rows.length > 0) await tx.insert(notifications).values(rows).onConflictDoNothing()
  }
  const message = (
    booking: Pick<BookingRow, 'id' | 'version'>,
    event: Row['event'],
    channel: Row['channel'],
    recipient: string | null | undefined,
    sendAfter: number,
    payload?: NotificationPayload,
  ): Row => ({
    bookingId: booking.id,
    event,
    channel,
    recipient: recipient ?? null,
    version: booking.version,
    sendAfter: new Date(sendAfter),
    ...(payload ? { payload } : {}),
    ...(recipient
      ? {}
      : {
          status: 'skipped' as const,
          skipReason:
            channel === 'sms'
              ? 'the guest gave no phone number'
              : 'no administrator address (ADMIN_EMAIL or notifyEmail)',
        }),
  })
  const reminders = (booking: PlannedBooking, now: number): Row[] => {
    const start = booking.startsAt.getTime()
    const rows = [
      message(booking, 'reminder_24h', 'email', booking.guestEmail, start - 24 * HOUR),
      message(booking, 'reminder_24h', 'sms', booking.guestPhone, start - 24 * HOUR),
      message(booking, 'reminder_1h', 'sms', booking.guestPhone, start - HOUR),
    ]
    // Booked (or moved) inside a reminder's window: the confirmation just sent says it all.
    return rows.map((row) =>
      row.status === undefined && row.sendAfter.getTime() < now
        ? { ...row, status: 'skipped' as const, skipReason: 'booked inside the reminder window' }
        : row,
    )
  }
  const skipUnsent = async (
    tx: Transaction,
    booking: BookingRow,
    events: readonly Row['event'][],
    reason: string,
    beforeVersion?: number,
  ) => {
    await tx
      .update(notifications)
      .set({ status: 'skipped', skipReason: reason })
      .where(
        and(
          eq(notifications.bookingId, booking.id),
          inArray(notifications.event, [...events]),
          eq(notifications.status, 'pending'),
          beforeVersion !== undefined ? lt(notifications.version, beforeVersion) : sql`true`,
        ),
      )
  }

  const createdRows = (booking: PlannedBooking, now: number, admin: string | undefined): Row[] => {
    const rows = [
      message(booking, 'created', 'email', booking.guestEmail, now),
      message(booking, 'created', 'sms', booking.guestPhone, now),
      message(booking, 'admin_new_booking', 'email', admin, now),
    ]
    if (booking.status === 'confirmed') rows.push(...reminders(booking, now))
    return rows
  }

  return {
    async created(tx, booking, now) {
      await write(tx, createdRows(booking, now, await adminFor(tx, booking)))
    },
    createdRows(booking, now, notifyEmail) {
      return createdRows(booking, now, notifyEmail ?? options.adminEmail)
    },
    async confirmed(tx, booking, now) {
      await write(tx, [message(booking, 'confirmed', 'email', booking.guestEmail, now), ...reminders(booking, now)])
    },
    async rescheduled(tx, booking, now, from) {
      await skipUnsent(tx, booking, REMINDER_EVENTS, 'rescheduled', booking.version)
      if (booking.status === 'confirmed') await write(tx, reminders(booking, now))
      // Nobody was told of a booking still waiting for its payment: its announcement,
      // when it comes, states the time as it is then.
      const [announced] = await tx
        .select({ id: notifications.id })
        .from(notifications)
        .where(and(eq(notifications.bookingId, booking.id), eq(notifications.event, 'created')))
        .limit(1)
      if (!announced) return
      // A move not yet told (the booking moved again before the worker sent it) is folded
      // into this one: the reader hears once, from the time they last knew to the new one.
      const unsent = await tx
        .update(notifications)
        .set({ status: 'skipped', skipReason: 'moved again before this was sent' })
        .where(
          and(
            eq(notifications.bookingId, booking.id),
            inArray(notifications.event, [...MOVE_EVENTS]),
            eq(notifications.status, 'pending'),
            lt(notifications.version, booking.version),
          ),
        )
        .returning({
          event: notifications.event,
          channel: notifications.channel,
          version: notifications.version,
          payload: notifications.payload,
        })
      const left: StoredInterval = { start: from.startsAt.toISOString(), end: from.endsAt.toISOString() }
      const to: StoredInterval = { start: booking.startsAt.toISOString(), end: booking.endsAt.toISOString() }
      const moveFor = (event: Row['event'], channel: Row['channel']): NotificationPayload => {
        const earliest = unsent
          .filter((u) => u.event === event && u.channel === channel && u.payload?.move)
          .sort((a, b) => a.version - b.version)[0]
        return { move: { from: earliest?.payload?.move?.from ?? left, to } }
      }
      await write(tx, [
        message(booking, 'moved', 'email', booking.guestEmail, now, moveFor('moved', 'email')),
        message(booking, 'moved', 'sms', booking.guestPhone, now, moveFor('moved', 'sms')),
        message(booking, 'admin_moved', 'email', await adminFor(tx, booking), now, moveFor('admin_moved', 'email')),
      ])
    },
    async cancelled(tx, booking, now) {
      await skipUnsent(tx, booking, [...REMINDER_EVENTS, 'created', 'confirmed', 'moved'], 'cancelled')
      await write(tx, [
        message(booking, 'cancelled', 'email', booking.guestEmail, now),
        message(booking, 'admin_cancelled', 'email', await adminFor(tx, booking), now),
      ])
    },
  }
}

/** Messages due and not yet sent, for the metrics endpoint. */
export async function outboxBacklog(db: Database, now: number): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(inArray(notifications.status, ['pending', 'sending']), lte(notifications.sendAfter, new Date(now))))
  return Number(row?.count ?? 0)
}
