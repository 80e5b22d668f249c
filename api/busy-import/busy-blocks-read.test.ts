import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { busyBlocks, busySources } from '../../drizzle/schema'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { insertBooking, insertResource } from '../../test/fixtures'
import {
  bookedQuery,
  findBookedIntervals,
  findBookedSeatsSnapshot,
  findBookedSnapshot,
  findBookedSnapshots,
} from '../store/busy-intervals'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.close()
})

const day = { start: Date.parse('2026-06-01T00:00:00Z'), end: Date.parse('2026-06-02T00:00:00Z') }
const now = Date.parse('2026-05-01T08:00:00Z')
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16)
const spans = (intervals: { start: number; end: number; seats?: number }[]) =>
  intervals.map((i) => `${hhmm(i.start)}-${hhmm(i.end)}${i.seats === undefined ? '' : `x${i.seats}`}`).sort()

async function block(resourceId: string, start: string, end: string) {
  const [source] = await database.db
    .insert(busySources)
    .values({ resourceId, url: 'https://calendar.example/c.ics' })
    .returning()
  await database.db
    .insert(busyBlocks)
    .values({ sourceId: source!.id, resourceId, startsAt: new Date(start), endsAt: new Date(end) })
}

describe('imported busy time in the booked intervals', () => {
  it('reads a resource’s blocks overlapping the range beside its bookings', async () => {
    const { id } = await insertResource(database.db)
    const other = await insertResource(database.db)
    await insertBooking(database.db, { resourceId: id, start: '2026-06-01T09:00:00Z', end: '2026-06-01T10:00:00Z' })
    await block(id, '2026-06-01T12:00:00Z', '2026-06-01T13:30:00Z')
    // Across the range's start, outside the range, and another resource's: only the first counts.
    await block(id, '2026-05-31T23:00:00Z', '2026-06-01T01:00:00Z')
    await block(id, '2026-06-02T00:00:00Z', '2026-06-02T05:00:00Z')
    await block(other.id, '2026-06-01T15:00:00Z', '2026-06-01T16:00:00Z')
    const snapshot = await findBookedSnapshot(database.db, id, day, now)
    expect(spans(snapshot.intervals)).toEqual(['09:00-10:00', '12:00-13:30', '23:00-01:00'])
    expect(snapshot.validUntil).toBe(Infinity)
    expect(spans(await findBookedIntervals(database.db, other.id, day, now))).toEqual(['15:00-16:00'])
  })

  it('lets a block take every place of a resource of several places', async () => {
    const { id } = await insertResource(database.db, { config: { capacity: 6 } })
    await insertBooking(database.db, {
      resourceId: id,
      start: '2026-06-01T09:00:00Z',
      end: '2026-06-01T10:00:00Z',
      seats: 2,
    })
    await block(id, '2026-06-01T11:00:00Z', '2026-06-01T12:00:00Z')
    const { intervals } = await findBookedSeatsSnapshot(database.db, id, day, now)
    expect(spans(intervals)).toEqual(['09:00-10:00x2', '11:00-12:00x6'])
  })

  it('gives each pool member its blocks, members with only blocks included', async () => {
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => insertResource(database.db)))
    await insertBooking(database.db, { resourceId: a!.id, start: '2026-06-01T09:00:00Z', end: '2026-06-01T10:00:00Z' })
    await block(a!.id, '2026-06-01T14:00:00Z', '2026-06-01T15:00:00Z')
    await block(b!.id, '2026-06-01T08:00:00Z', '2026-06-01T09:00:00Z')
    const snapshots = await findBookedSnapshots(database.db, [a!.id, b!.id, c!.id], day, now)
    expect(spans(snapshots.get(a!.id)!.intervals)).toEqual(['09:00-10:00', '14:00-15:00'])
    expect(spans(snapshots.get(b!.id)!.intervals)).toEqual(['08:00-09:00'])
    expect(snapshots.get(b!.id)!.validUntil).toBe(Infinity)
    expect(snapshots.has(c!.id)).toBe(false)
  })

  it('reads the blocks through busy_blocks_during_idx and the bookings still through the EXCLUDE index', async () => {
    const { id } = await insertResource(database.db)
    await block(id, '2026-06-01T12:00:00Z', '2026-06-01T13:00:00Z')
    const plan = await planOf(bookedQuery(database.db, id, day, now, false).toSQL())
    expect(plan).toContain('busy_blocks_during_idx')
    expect(plan).toContain('bookings_no_overlap')
    expect(await planOf(bookedQuery(database.db, id, day, now, true).toSQL())).toContain('busy_blocks_during_idx')
  })
})

/** The plan of a statement the store sends, its parameters written in as literals for EXPLAIN. */
async function planOf(query: { sql: string; params: unknown[] }): Promise<string> {
  const text = query.sql.replace(
    /\$(\d+)/g,
    (_, n: string) => `'${String(query.params[Number(n) - 1]).replace(/'/g, "''")}'`,
  )
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`)
    const result = await tx.execute(sql.raw(`explain ${text}`))
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, string>[]
    return rows.map((r) => Object.values(r)[0]).join('\n')
  })
}
