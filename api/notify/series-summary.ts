import type { BookingRow, NotificationPayload } from '../../drizzle/schema'
import type { Database } from '../db/database'
import { findOccurrences, findSeriesById } from '../series/series-store'

/** How a recurring booking repeats, as its announcement states it (see messages.ts). */
export interface SeriesSummary {
  /** The series' own ref, which the guest manages it by and the owner's console shows. */
  ref: string
  everyWeeks: number
  /** The dates booked, cancelled ones included: the announcement tells what was booked. */
  count: number
  lastStart: Date
  /** The local date the guest asked it to run until (else it ran for a number of dates). */
  untilDate: string | undefined
  /** Local dates not booked because they were taken (`skip_conflicts`). */
  skippedDates: string[]
  /** A prepaid series: what was taken for how many dates (their captured shares together). */
  paid?: { amount: number; currency: string; dates: number } | undefined
}

/** The series a booking belongs to, summed up for its messages; undefined once it is gone. */
export async function findSeriesSummary(db: Database, seriesId: string): Promise<SeriesSummary | undefined> {
  const [series, occurrences] = await Promise.all([findSeriesById(db, seriesId), findOccurrences(db, seriesId)])
  const last = occurrences.at(-1)
  if (!series || !last) return undefined
  return {
    ref: series.ref,
    everyWeeks: series.everyWeeks,
    count: occurrences.length,
    lastStart: last.startsAt,
    untilDate: series.untilDate ?? undefined,
    skippedDates: series.skippedDates,
    paid: paidOf(occurrences),
  }
}

/** The money a prepaid series' dates hold together, when it was taken in one currency. */
function paidOf(occurrences: readonly BookingRow[]): SeriesSummary['paid'] {
  const paid = occurrences.filter((row) => row.amountCaptured > 0 && row.currency)
  const currency = paid[0]?.currency
  if (!currency || paid.some((row) => row.currency !== currency)) return undefined
  return { amount: paid.reduce((sum, row) => sum + row.amountCaptured, 0), currency, dates: paid.length }
}

/** A whole series moved at once, as its one message tells it (see outbox.ts). */
export interface SeriesMoveNotice {
  /** The series' ref, which the guest manages it by. */
  ref: string
  everyWeeks: number
  /** In date order; each booking as the move left it (its new time, the version it had then). */
  moves: { booking: BookingRow; from: Date; to: Date }[]
}

/**
 * The dates a series move message lists, read when it is sent: a date cancelled since is
 * left out (its cancellation tells of it). Undefined when no date or the series is left.
 */
export async function findSeriesMove(
  db: Database,
  seriesId: string,
  told: NonNullable<NotificationPayload['seriesMoves']>,
): Promise<SeriesMoveNotice | undefined> {
  const [series, occurrences] = await Promise.all([findSeriesById(db, seriesId), findOccurrences(db, seriesId)])
  if (!series) return undefined
  const rows = new Map(occurrences.map((row) => [row.id, row]))
  const moves = told.flatMap((move) => {
    const row = rows.get(move.bookingId)
    if (!row || row.status === 'cancelled') return []
    const from = new Date(move.from.start)
    const to = new Date(move.to.start)
    return [{ booking: { ...row, startsAt: to, endsAt: new Date(move.to.end), version: move.version }, from, to }]
  })
  if (moves.length === 0) return undefined
  moves.sort((a, b) => a.to.getTime() - b.to.getTime())
  return { ref: series.ref, everyWeeks: series.everyWeeks, moves }
}

/** A whole series cancelled at once, as its one message tells it (see outbox.ts). */
export interface SeriesCancelNotice {
  ref: string
  everyWeeks: number
  /** In date order, each as cancelled (its calendar event goes one SEQUENCE above its last request). */
  cancelled: BookingRow[]
  /** Dates the policy kept (too close to cancel online), in date order. */
  kept: BookingRow[]
  /** What the cancelled dates refund together, per currency, in minor units. */
  refunds: { amount: number; currency: string }[]
}

/** The dates a series cancellation message lists, read when it is sent; undefined once the series is gone. */
export async function findSeriesCancel(
  db: Database,
  seriesId: string,
  told: NonNullable<NotificationPayload['seriesCancel']>,
): Promise<SeriesCancelNotice | undefined> {
  const [series, occurrences] = await Promise.all([findSeriesById(db, seriesId), findOccurrences(db, seriesId)])
  if (!series) return undefined
  const rows = new Map(occurrences.map((row) => [row.id, row]))
  const pick = (entries: readonly { bookingId: string }[]) =>
    entries
      .flatMap((entry) => rows.get(entry.bookingId) ?? [])
      .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
  const cancelled = pick(told.cancelled)
  if (cancelled.length === 0) return undefined
  const refunds = new Map<string, number>()
  for (const { settlement } of cancelled)
    if (settlement && settlement.refund > 0 && settlement.currency)
      refunds.set(settlement.currency, (refunds.get(settlement.currency) ?? 0) + settlement.refund)
  return {
    ref: series.ref,
    everyWeeks: series.everyWeeks,
    cancelled,
    kept: pick(told.kept),
    refunds: [...refunds].map(([currency, amount]) => ({ amount, currency })),
  }
}
