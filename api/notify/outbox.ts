import { and, eq, inArray, lt, lte, sql } from 'drizzle-orm'
import {
  bookableResources,
  bookings,
  notifications,
  type BookingRow,
  type NotificationPayload,
  type StoredInterval,
} from '../../drizzle/schema'
import { ACTIVE_STATUSES } from '../../shared/booking-status'
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
 *   series moved at once → ONE guest email + SMS and ONE administrator email, on the first
 *                          moved date's row, listing every date's old and new time; each
 *                          date's own moved messages are written skipped; reminders as above
 *   cancelled            → guest email, administrator email; unsent reminders skipped
 *   series cancelled     → ONE guest email and ONE administrator email, on the first
 *     at once              cancelled date's row, listing the cancelled dates and those the
 *                          policy kept; each date's own cancelled messages are written skipped
 *
 * A booking that takes payment counts as created once its payment is authorized: an
 * unpaid booking that simply expires never sent anything. A series is announced once, by its
 * first date's created messages: every date of it counts as announced from then on. A first
 * date cancelled before its announcement went out hands the announcement on to the next date
 * still booked, so the guest still hears of the series. Rows without a recipient are
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
  /**
   * A series' announcement, planned like `createdRows`: the first date (of `dates`, in date
   * order) writes the created messages, every confirmed date its own reminders.
   */
  seriesCreatedRows(
    dates: readonly PlannedBooking[],
    now: number,
    notifyEmail: string | undefined,
  ): NotificationInsert[]
  /** A prepaid series whose payment came through: announced now, as `seriesCreatedRows` plans it. */
  seriesPaid(tx: Transaction, dates: readonly BookingRow[], now: number): Promise<void>
  confirmed(tx: Transaction, booking: BookingRow, now: number): Promise<void>
  /** `from` is the interval the booking left; `booking` is already at its new time. */
  rescheduled(tx: Transaction, booking: BookingRow, now: number, from: { startsAt: Date; endsAt: Date }): Promise<void>
  /** Dates of one series moved together (each `booking` already at its new time): told in one message. */
  seriesRescheduled(tx: Transaction, moves: readonly SeriesDateMove[], now: number): Promise<void>
  /** `toldBySeries`: the date is cancelled with others of its series, told by `seriesCancelled`. */
  cancelled(tx: Transaction, booking: BookingRow, now: number, options?: { toldBySeries?: boolean }): Promise<void>
  /** Dates of one series cancelled together (and those the policy kept): told in one message. */
  seriesCancelled(
    tx: Transaction,
    cancelled: readonly BookingRow[],
    kept: readonly BookingRow[],
    now: number,
  ): Promise<void>
}

export type NotificationInsert = typeof notifications.$inferInsert
type Row = NotificationInsert

/** One date of a series move: the booking at its new time and the interval it left. */
export interface SeriesDateMove {
  booking: BookingRow
  from: { startsAt: Date; endsAt: Date }
}

type SeriesMoveEntry = NonNullable<NotificationPayload['seriesMoves']>[number]

const HOUR = 3_600_000
const REMINDER_EVENTS = ['reminder_24h', 'reminder_1h'] as const
const MOVE_EVENTS = ['moved', 'admin_moved'] as const
const SERIES_MOVE_EVENTS = ['series_moved', 'admin_series_moved'] as const
const ANNOUNCEMENT_EVENTS = ['created', 'admin_new_booking'] as const
const interval = (startsAt: Date, endsAt: Date): StoredInterval => ({
  start: startsAt.toISOString(),
  end: endsAt.toISOString(),
})

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

  const replanReminders = async (tx: Transaction, booking: BookingRow, now: number) => {
    await skipUnsent(tx, booking, REMINDER_EVENTS, 'rescheduled', booking.version)
    if (booking.status === 'confirmed') await write(tx, reminders(booking, now))
  }
  /** Whether the guest heard of the booking: its own created messages, or its series' (sent by the first date). */
  const wasAnnounced = async (tx: Transaction, booking: BookingRow) => {
    const [announced] = await tx
      .select({ id: notifications.id })
      .from(notifications)
      .where(
        and(
          eq(notifications.event, 'created'),
          booking.seriesId
            ? inArray(
                notifications.bookingId,
                tx.select({ id: bookings.id }).from(bookings).where(eq(bookings.seriesId, booking.seriesId)),
              )
            : eq(notifications.bookingId, booking.id),
        ),
      )
      .limit(1)
    return announced !== undefined
  }
  /**
   * The moved messages of one date, from the time its reader last knew to the new one. A move
   * not yet told (the booking moved again before the worker sent it) is folded into this one.
   */
  const movedRows = async (
    tx: Transaction,
    booking: BookingRow,
    now: number,
    from: { startsAt: Date; endsAt: Date },
  ): Promise<Row[]> => {
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
    const left = interval(from.startsAt, from.endsAt)
    const to = interval(booking.startsAt, booking.endsAt)
    const moveFor = (event: Row['event'], channel: Row['channel']): NotificationPayload => {
      const earliest = unsent
        .filter((u) => u.event === event && u.channel === channel && u.payload?.move)
        .sort((a, b) => a.version - b.version)[0]
      return { move: { from: earliest?.payload?.move?.from ?? left, to } }
    }
    return [
      message(booking, 'moved', 'email', booking.guestEmail, now, moveFor('moved', 'email')),
      message(booking, 'moved', 'sms', booking.guestPhone, now, moveFor('moved', 'sms')),
      message(booking, 'admin_moved', 'email', await adminFor(tx, booking), now, moveFor('admin_moved', 'email')),
    ]
  }
  /**
   * A series move not yet told when the series moves again is folded into this one: its rows
   * are skipped, each date of both told once from the time last known. Returns the untold
   * dates this move did not touch; `entries` take the earlier "from" of dates in both.
   */
  const foldUntoldSeriesMoves = async (
    tx: Transaction,
    booking: BookingRow,
    entries: SeriesMoveEntry[],
  ): Promise<SeriesMoveEntry[]> => {
    if (!booking.seriesId) return []
    const unsent = await tx
      .update(notifications)
      .set({ status: 'skipped', skipReason: 'the series moved again before this was sent' })
      .where(
        and(
          inArray(notifications.event, [...SERIES_MOVE_EVENTS]),
          eq(notifications.status, 'pending'),
          inArray(
            notifications.bookingId,
            tx.select({ id: bookings.id }).from(bookings).where(eq(bookings.seriesId, booking.seriesId)),
          ),
        ),
      )
      .returning({ event: notifications.event, channel: notifications.channel, payload: notifications.payload })
    // The guest's email says what the guest last heard; every channel was written with the same list.
    const earlier = unsent.find((u) => u.event === 'series_moved' && u.channel === 'email') ?? unsent[0]
    const untold = earlier?.payload?.seriesMoves ?? []
    for (const entry of entries) {
      const before = untold.find((u) => u.bookingId === entry.bookingId)
      if (before) entry.from = before.from
    }
    return untold.filter((u) => !entries.some((entry) => entry.bookingId === u.bookingId))
  }

  /**
   * A series' announcement not yet sent when its date is cancelled moves to the series' next
   * date still booked (at that date's version), so the guest still hears of the dates left;
   * the worker then announces the series from there. Only the first date carries it, so the
   * next date has no announcement rows of its own to collide with.
   */
  const handOnAnnouncement = async (tx: Transaction, booking: BookingRow) => {
    if (!booking.seriesId) return
    const [next] = await tx
      .select({ id: bookings.id, version: bookings.version })
      .from(bookings)
      .where(
        and(
          eq(bookings.seriesId, booking.seriesId),
          inArray(bookings.status, [...ACTIVE_STATUSES]),
          sql`${bookings.id} <> ${booking.id}`,
        ),
      )
      .orderBy(bookings.startsAt)
      .limit(1)
    if (!next) return
    await tx
      .update(notifications)
      .set({ bookingId: next.id, version: next.version })
      .where(
        and(
          eq(notifications.bookingId, booking.id),
          inArray(notifications.event, [...ANNOUNCEMENT_EVENTS]),
          eq(notifications.status, 'pending'),
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

  const seriesCreatedRows = (dates: readonly PlannedBooking[], now: number, admin: string | undefined): Row[] =>
    [...dates]
      .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
      .flatMap((date, index) =>
        createdRows(date, now, admin).filter((message) => index === 0 || message.event.startsWith('reminder')),
      )

  return {
    async created(tx, booking, now) {
      await write(tx, createdRows(booking, now, await adminFor(tx, booking)))
    },
    createdRows(booking, now, notifyEmail) {
      return createdRows(booking, now, notifyEmail ?? options.adminEmail)
    },
    seriesCreatedRows(dates, now, notifyEmail) {
      return seriesCreatedRows(dates, now, notifyEmail ?? options.adminEmail)
    },
    async seriesPaid(tx, dates, now) {
      const [first] = dates
      if (first) await write(tx, seriesCreatedRows(dates, now, await adminFor(tx, first)))
    },
    async confirmed(tx, booking, now) {
      await write(tx, [message(booking, 'confirmed', 'email', booking.guestEmail, now), ...reminders(booking, now)])
    },
    async rescheduled(tx, booking, now, from) {
      await replanReminders(tx, booking, now)
      // Nobody was told of a booking still waiting for its payment: its announcement,
      // when it comes, states the time as it is then.
      if (!(await wasAnnounced(tx, booking))) return
      await write(tx, await movedRows(tx, booking, now, from))
    },
    async seriesRescheduled(tx, moves, now) {
      for (const { booking } of moves) await replanReminders(tx, booking, now)
      const [first] = [...moves].sort((a, b) => a.booking.startsAt.getTime() - b.booking.startsAt.getTime())
      if (!first || !(await wasAnnounced(tx, first.booking))) return
      // Each date's own moved messages are kept in the log (with the move they would have
      // told), skipped: the guest hears of the whole move once, not once per date.
      const told = 'told in one message for the whole series move'
      const entries: SeriesMoveEntry[] = []
      for (const { booking, from } of moves) {
        const rows = await movedRows(tx, booking, now, from)
        await write(
          tx,
          rows.map((row) => (row.status ? row : { ...row, status: 'skipped' as const, skipReason: told })),
        )
        const guest = rows.find((row) => row.event === 'moved' && row.channel === 'email')
        entries.push({
          bookingId: booking.id,
          ref: booking.ref,
          version: booking.version,
          from: guest?.payload?.move?.from ?? interval(from.startsAt, from.endsAt),
          to: interval(booking.startsAt, booking.endsAt),
        })
      }
      const seriesMoves = [...(await foldUntoldSeriesMoves(tx, first.booking, entries)), ...entries].sort(
        (a, b) => Date.parse(a.to.start) - Date.parse(b.to.start),
      )
      const { booking } = first
      await write(tx, [
        message(booking, 'series_moved', 'email', booking.guestEmail, now, { seriesMoves }),
        message(booking, 'series_moved', 'sms', booking.guestPhone, now, { seriesMoves }),
        message(booking, 'admin_series_moved', 'email', await adminFor(tx, booking), now, { seriesMoves }),
      ])
    },
    async cancelled(tx, booking, now, options = {}) {
      await handOnAnnouncement(tx, booking)
      await skipUnsent(tx, booking, [...REMINDER_EVENTS, 'created', 'confirmed', 'moved'], 'cancelled')
      const told = 'told in one message for the whole series cancellation'
      const rows = [
        message(booking, 'cancelled', 'email', booking.guestEmail, now),
        message(booking, 'admin_cancelled', 'email', await adminFor(tx, booking), now),
      ]
      // Kept in the log, skipped: the guest hears of the whole cancellation once, not once per date.
      await write(
        tx,
        options.toldBySeries
          ? rows.map((row) => (row.status ? row : { ...row, status: 'skipped' as const, skipReason: told }))
          : rows,
      )
    },
    async seriesCancelled(tx, cancelled, kept, now) {
      const byStart = (a: BookingRow, b: BookingRow) => a.startsAt.getTime() - b.startsAt.getTime()
      const [first] = [...cancelled].sort(byStart)
      if (!first) return
      const entry = (row: BookingRow) => ({ bookingId: row.id, ref: row.ref })
      const seriesCancel = {
        cancelled: [...cancelled].sort(byStart).map(entry),
        kept: [...kept].sort(byStart).map(entry),
      }
      // Email only, as a single cancellation is told.
      await write(tx, [
        message(first, 'series_cancelled', 'email', first.guestEmail, now, { seriesCancel }),
        message(first, 'admin_series_cancelled', 'email', await adminFor(tx, first), now, { seriesCancel }),
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
