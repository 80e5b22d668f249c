import { and, eq, inArray, ne, sql } from 'drizzle-orm'
import { bookableResources, bookings, busyBlocks } from '../../drizzle/schema'
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
 *
 * Busy time imported from the resource's calendars (busy_blocks) counts as booked: every
 * reader of free time (availability, pools, services, spans, hold placement) goes through
 * here, so none can offer it. Blocks come unbuffered like bookings; the engine widens both.
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
  return { intervals: unpackIntervals(joinPacked(row.packed, row.blocks)), validUntil: row.validUntil }
}

/**
 * `findBookedSnapshot` for a resource of several places: every occupying booking with the
 * places it takes (whichever guard filed it: a resource's capacity may have changed), packed
 * as `start,end,seats,…`. An imported busy block takes every place (the resource's capacity).
 */
export async function findBookedSeatsSnapshot(
  db: Database,
  resourceId: string,
  range: Interval,
  now: number,
): Promise<BookedSnapshot<SeatInterval>> {
  const row = await queryBooked(db, resourceId, range, now, true)
  return { intervals: unpackSeatIntervals(joinPacked(row.packed, row.blocks)), validUntil: row.validUntil }
}

async function queryBooked(
  db: Database,
  resourceId: string,
  range: Interval,
  now: number,
  withSeats: boolean,
): Promise<{ packed: string | null; blocks: string | null; validUntil: number }> {
  const [row] = await bookedQuery(db, resourceId, range, now, withSeats)
  const firstExpiry = row?.firstExpiry
  return {
    packed: row?.packed ?? null,
    blocks: row?.blocks ?? null,
    validUntil: firstExpiry === null || firstExpiry === undefined ? Infinity : Number(firstExpiry),
  }
}

/**
 * The one query behind both snapshots (exported so its plan can be checked). The blocks
 * are a scalar subquery beside the bookings' aggregate: still one row and one round trip,
 * and with no blocks it costs one probe of the empty gist index busy_blocks_during_idx.
 */
export function bookedQuery(db: Database, resourceId: string, range: Interval, now: number, withSeats: boolean) {
  const packedBlocks = sql`string_agg(${blockInterval()}${withSeats ? sql` || ',' || ${capacityOf(resourceId)}` : sql``}, ',')`
  return db
    .select({
      ...bookedColumns(withSeats),
      blocks: sql<string | null>`(select ${packedBlocks} from ${busyBlocks} where ${blocksIn([resourceId], range)})`,
    })
    .from(bookings)
    .where(and(eq(bookings.resourceId, resourceId), occupyingIn(range, now, withSeats)))
}

const epochMs = (column: typeof bookings.startsAt | typeof busyBlocks.startsAt) =>
  sql`(extract(epoch from ${column}) * 1000)::bigint`

const blockInterval = () => sql`${epochMs(busyBlocks.startsAt)} || ',' || ${epochMs(busyBlocks.endsAt)}`

/** The places of a resource (config.capacity, 1 unless set), as the capacity guard reads them. */
const capacityOf = (resourceId: string) =>
  sql`(select coalesce((${bookableResources.config}->>'capacity')::int, 1) from ${bookableResources} where ${bookableResources.id} = ${resourceId})`

/** Imported busy blocks of the resources overlapping `range`, in the form busy_blocks_during_idx answers. */
function blocksIn(resourceIds: string[], range: Interval) {
  const from = new Date(range.start).toISOString()
  const to = new Date(range.end).toISOString()
  return and(
    resourceIds.length === 1
      ? eq(busyBlocks.resourceId, resourceIds[0] as string)
      : inArray(busyBlocks.resourceId, resourceIds),
    sql`tstzrange(${busyBlocks.startsAt}, ${busyBlocks.endsAt}, '[)') && tstzrange(${from}::timestamptz, ${to}::timestamptz, '[)')`,
  )
}

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
  // Bookings and imported blocks, one row of each kind per resource that has any, in one round trip.
  const rows = await db
    .select({ resourceId: bookings.resourceId, ...bookedColumns(false) })
    .from(bookings)
    .where(and(inArray(bookings.resourceId, resourceIds), occupyingIn(range, now, false)))
    .groupBy(bookings.resourceId)
    .unionAll(
      db
        .select({
          resourceId: busyBlocks.resourceId,
          packed: sql<string | null>`string_agg(${blockInterval()}, ',')`,
          firstExpiry: sql<string | null>`null::bigint`,
        })
        .from(busyBlocks)
        .where(blocksIn(resourceIds, range))
        .groupBy(busyBlocks.resourceId),
    )
  const packed = new Map<string, { packed: string | null; validUntil: number }>()
  for (const row of rows) {
    const first = row.firstExpiry
    const validUntil = first === null || first === undefined ? Infinity : Number(first)
    const seen = packed.get(row.resourceId)
    packed.set(
      row.resourceId,
      seen
        ? { packed: joinPacked(seen.packed, row.packed), validUntil: Math.min(seen.validUntil, validUntil) }
        : { packed: row.packed, validUntil },
    )
  }
  for (const [resourceId, row] of packed) {
    snapshots.set(resourceId, { intervals: unpackIntervals(row.packed), validUntil: row.validUntil })
  }
  return snapshots
}

function joinPacked(a: string | null, b: string | null): string | null {
  return a && b ? `${a},${b}` : a || b
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
