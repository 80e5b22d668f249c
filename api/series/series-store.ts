import { asc, eq, inArray } from 'drizzle-orm'
import { bookingSeries, bookings, type BookingRow } from '../../drizzle/schema'
import type { PublicSeries } from '../../shared/api-contract'
import type { Database } from '../db/database'
import { toPublicBooking } from '../store/bookings'

export type SeriesRow = typeof bookingSeries.$inferSelect

export async function findSeriesByRef(db: Database, ref: string): Promise<SeriesRow | undefined> {
  const [row] = await db.select().from(bookingSeries).where(eq(bookingSeries.ref, ref.toUpperCase())).limit(1)
  return row
}

export async function findSeriesById(db: Database, id: string): Promise<SeriesRow | undefined> {
  const [row] = await db.select().from(bookingSeries).where(eq(bookingSeries.id, id)).limit(1)
  return row
}

/** The occurrences of a series in date order, cancelled ones included. */
export async function findOccurrences(db: Database, seriesId: string): Promise<BookingRow[]> {
  return db.select().from(bookings).where(eq(bookings.seriesId, seriesId)).orderBy(asc(bookings.startsAt))
}

/** The refs of these series by id, for views of their occurrences (no query when none is in one). */
/** How each of these series is named and repeats, by id: what a booking of one says of it. */
export async function findSeriesLabels(db: Database, seriesIds: readonly string[]): Promise<Map<string, SeriesLabel>> {
  const ids = [...new Set(seriesIds)]
  if (ids.length === 0) return new Map()
  const rows = await db
    .select({ id: bookingSeries.id, ref: bookingSeries.ref, everyWeeks: bookingSeries.everyWeeks })
    .from(bookingSeries)
    .where(inArray(bookingSeries.id, ids))
  return new Map(rows.map((row) => [row.id, { ref: row.ref, everyWeeks: row.everyWeeks }]))
}

export interface SeriesLabel {
  ref: string
  everyWeeks: number
}

/** The series as the API shows it, each occurrence carrying the series' ref. */
export function toPublicSeries(series: SeriesRow, occurrences: readonly BookingRow[]): PublicSeries {
  return {
    ref: series.ref,
    id: series.id,
    resourceId: series.resourceId,
    everyWeeks: series.everyWeeks,
    ...(series.occurrences !== null ? { occurrences: series.occurrences } : {}),
    ...(series.untilDate !== null ? { until: series.untilDate } : {}),
    mode: series.mode === 'skip_conflicts' ? 'skip_conflicts' : 'all_or_nothing',
    bookings: occurrences.map((row) => ({ ...toPublicBooking(row), seriesRef: series.ref })),
    skippedDates: series.skippedDates,
  }
}
