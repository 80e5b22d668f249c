import { and, eq, inArray, ne, sql } from 'drizzle-orm'
import { bookings } from '../../drizzle/schema'
import type { Interval, SeatInterval } from '../../shared/slots/types'
import type { Database } from '../db/database'

/**
 * Intervals occupied by bookings of a resource of one place that overlap `range`, in no
 * particular order. (A resource of several places: `findBookedSeatsSnapshot`.)
 *
 * The WHERE clause repeats the EXCLUDE constraint's predicate (`status <> 'cancelled' and
 * not shares_capacity`) and its range expression so the planner uses the constraint's
 * partial gist index. The database sets `shares_capacity` on every booking of a resource
 * whose capacity is above 1, so none of theirs is missed here. The rows come back
 * folded into one `start,end,start,end…` string of epoch milliseconds: a month of a busy
 * resource is ~1,000 rows, and decoding them one by one through the driver cost ~3 ms of
 * CPU per availability request, against ~1 ms for one string (measured, see bench/).
 */
export async function findBookedIntervals(
  db: Database,
  resourceId: string,
  range: Interval,
  now: number,
): Promise<Interval[]> {
  return (await findBookedSnapshot(db, resourceId, range, now)).intervals
}

export interface BookedSnapshot<T extends Interval = Interval> {
  intervals: T[]
  /** The earliest expiry (epoch ms) of a pending booking counted in `intervals`: they stop being true then. Infinity if none. */
  validUntil: number
}

/** `findBookedIntervals` and, in the same query, until when its answer holds without any write. */
export async function findBookedSnapshot(
  db: Database,
  resourceId: string,
  range: Interval,
  now: number,
): Promise<BookedSnapshot> {
  const row = await queryBooked(db, resourceId, range, now, false)
  return { intervals: unpackIntervals(row.packed), validUntil: row.validUntil }
}

/**
 * `findBookedSnapshot` for a resource of several places: every occupying booking with the
 * places it takes (whichever guard filed it: a resource's capacity may have changed), packed
 * as `start,end,seats,…`.
 */
export async function findBookedSeatsSnapshot(
  db: Database,
  resourceId: string,
  range: Interval,
  now: number,
): Promise<BookedSnapshot<SeatInterval>> {
  const row = await queryBooked(db, resourceId, range, now, true)
  return { intervals: unpackSeatIntervals(row.packed), validUntil: row.validUntil }
}

async function queryBooked(
  db: Database,
  resourceId: string,
  range: Interval,
  now: number,
  withSeats: boolean,
): Promise<{ packed: string | null; validUntil: number }> {
  const [row] = await bookedQuery(db, resourceId, range, now, withSeats)
  const firstExpiry = row?.firstExpiry
  return {
    packed: row?.packed ?? null,
    validUntil: firstExpiry === null || firstExpiry === undefined ? Infinity : Number(firstExpiry),
  }
}

/** The one query behind both snapshots (exported so its plan can be checked). */
export function bookedQuery(db: Database, resourceId: string, range: Interval, now: number, withSeats: boolean) {
  return db
    .select(bookedColumns(withSeats))
    .from(bookings)
    .where(and(eq(bookings.resourceId, resourceId), occupyingIn(range, now, withSeats)))
}

const epochMs = (column: typeof bookings.startsAt) => sql`(extract(epoch from ${column}) * 1000)::bigint`

function bookedColumns(withSeats: boolean) {
  const interval = sql`${epochMs(bookings.startsAt)} || ',' || ${epochMs(bookings.endsAt)}`
  return {
    packed: withSeats
      ? sql<string | null>`string_agg(${interval} || ',' || ${bookings.seats}, ',')`
      : sql<string | null>`string_agg(${interval}, ',')`,
    firstExpiry: sql<
      string | null
    >`min(floor(extract(epoch from ${bookings.expiresAt}) * 1000)::bigint) filter (where ${bookings.status} = 'pending')`,
  }
}

/** Bookings that occupy time in `range` at `now` (of a resource of one place unless `withSeats`). */
function occupyingIn(range: Interval, now: number, withSeats: boolean) {
  const from = new Date(range.start).toISOString()
  const to = new Date(range.end).toISOString()
  const nowIso = new Date(now).toISOString()
  return and(
    ne(bookings.status, 'cancelled'),
    withSeats ? undefined : sql`not ${bookings.sharesCapacity}`,
    sql`tstzrange(${bookings.startsAt}, ${bookings.endsAt}, '[)') && tstzrange(${from}::timestamptz, ${to}::timestamptz, '[)')`,
    // An unpaid pending booking past its payment window no longer blocks anyone,
    // even before the sweep (or a conflicting insert) cancels it.
    sql`not (${bookings.status} = 'pending' and ${bookings.expiresAt} is not null and ${bookings.expiresAt} <= ${nowIso}::timestamptz)`,
  )
}

/**
 * `findBookedSnapshot` for several resources of one place at once (a pool's members), in
 * one query: each resource's intervals by id (none booked: absent).
 */
export async function findBookedSnapshots(
  db: Database,
  resourceIds: string[],
  range: Interval,
  now: number,
): Promise<Map<string, BookedSnapshot>> {
  const snapshots = new Map<string, BookedSnapshot>()
  if (resourceIds.length === 0) return snapshots
  const rows = await db
    .select({ resourceId: bookings.resourceId, ...bookedColumns(false) })
    .from(bookings)
    .where(and(inArray(bookings.resourceId, resourceIds), occupyingIn(range, now, false)))
    .groupBy(bookings.resourceId)
  for (const row of rows) {
    const first = row.firstExpiry
    snapshots.set(row.resourceId, {
      intervals: unpackIntervals(row.packed),
      validUntil: first === null || first === undefined ? Infinity : Number(first),
    })
  }
  return snapshots
}

function unpackIntervals(packed: string | null): Interval[] {
  if (!packed) return []
  const parts = packed.split(',')
  const intervals: Interval[] = new Array(parts.length / 2)
  for (let i = 0, j = 0; i < parts.length; i += 2, j++) {
    intervals[j] = { start: Number(parts[i]), end: Number(parts[i + 1]) }
  }
  return intervals
}

function unpackSeatIntervals(packed: string | null): SeatInterval[] {
  if (!packed) return []
  const parts = packed.split(',')
  const intervals: SeatInterval[] = new Array(parts.length / 3)
  for (let i = 0, j = 0; i < parts.length; i += 3, j++) {
    intervals[j] = { start: Number(parts[i]), end: Number(parts[i + 1]), seats: Number(parts[i + 2]) }
  }
  return intervals
}
