import type { BookingRow, NotificationPayload } from '../../drizzle/schema'
import type { Database } from '../db/database'
import { findOccurrences, findSeriesById } from '../series/series-store'

/** How a recurring booking repeats, as its announcement states it (see messages.ts). */
export interface SeriesSummary {
  everyWeeks: number
  /** The dates booked, cancelled ones included: the announcement tells what was booked. */
  count: number
  lastStart: Date
  /** The local date the guest asked it to run until (else it ran for a number of dates). */
  untilDate: string | undefined
  /** Local dates not booked because they were taken (`skip_conflicts`). */
  skippedDates: string[]
}

/** The series a booking belongs to, summed up for its messages; undefined once it is gone. */
export async function findSeriesSummary(db: Database, seriesId: string): Promise<SeriesSummary | undefined> {
  const [series, occurrences] = await Promise.all([findSeriesById(db, seriesId), findOccurrences(db, seriesId)])
  const last = occurrences.at(-1)
  if (!series || !last) return undefined
  return {
    everyWeeks: series.everyWeeks,
    count: occurrences.length,
    lastStart: last.startsAt,
    untilDate: series.untilDate ?? undefined,
    skippedDates: series.skippedDates,
  }
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
