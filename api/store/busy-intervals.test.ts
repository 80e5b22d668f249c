import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookings } from '../../drizzle/schema'
import { bookingValues, insertBooking, insertResource } from '../../test/fixtures'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { bookedQuery, findBookedSeatsSnapshot, findBookedSnapshot } from './busy-intervals'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.close()
})

const day = { start: Date.parse('2026-06-01T00:00:00Z'), end: Date.parse('2026-06-02T00:00:00Z') }
const now = Date.parse('2026-06-01T08:00:00Z')

describe('booked intervals by places', () => {
  it('reads every occupying booking of a shared resource with its places, and its soonest lapse', async () => {
    const { id } = await insertResource(database.db, { config: { capacity: 10 } })
    await insertBooking(database.db, {
      resourceId: id,
      start: '2026-06-01T09:00:00Z',
      end: '2026-06-01T10:00:00Z',
      seats: 4,
    })
    await insertBooking(database.db, {
      resourceId: id,
      start: '2026-06-01T09:30:00Z',
      end: '2026-06-01T10:30:00Z',
      seats: 3,
    })
    await insertBooking(database.db, {
      resourceId: id,
      start: '2026-06-01T09:00:00Z',
      end: '2026-06-01T10:00:00Z',
      seats: 2,
      status: 'cancelled',
    })
    // Lapsed (its payment window closed before now): no longer counted. The other still is, until 08:10.
    await insertBooking(database.db, {
      resourceId: id,
      start: '2026-06-01T11:00:00Z',
      end: '2026-06-01T12:00:00Z',
      seats: 5,
      status: 'pending',
      expiresAt: '2026-06-01T07:59:00Z',
    })
    await insertBooking(database.db, {
      resourceId: id,
      start: '2026-06-01T12:00:00Z',
      end: '2026-06-01T13:00:00Z',
      seats: 1,
      status: 'pending',
      expiresAt: '2026-06-01T08:10:00Z',
    })
    const snapshot = await findBookedSeatsSnapshot(database.db, id, day, now)
    const iso = (ms: number) => new Date(ms).toISOString().slice(11, 16)
    expect(snapshot.intervals.map((b) => `${iso(b.start)}-${iso(b.end)}x${b.seats}`).sort()).toEqual([
      '09:00-10:00x4',
      '09:30-10:30x3',
      '12:00-13:00x1',
    ])
    expect(snapshot.validUntil).toBe(Date.parse('2026-06-01T08:10:00Z'))
    // The one-place query leaves bookings filed under the capacity guard to the query above.
    expect((await findBookedSnapshot(database.db, id, day, now)).intervals).toEqual([])
  })

  it('still reads a resource of one place’s bookings through the EXCLUDE constraint’s gist index', async () => {
    const { id } = await insertResource(database.db)
    await database.db.insert(bookings).values(
      Array.from({ length: 200 }, (_, i) =>
        bookingValues({
          resourceId: id,
          start: new Date(Date.parse('2027-01-01T00:00:00Z') + i * 3_600_000),
          end: new Date(Date.parse('2027-01-01T00:30:00Z') + i * 3_600_000),
        }),
      ),
    )
    const range = { start: Date.parse('2027-01-02T00:00:00Z'), end: Date.parse('2027-01-03T00:00:00Z') }
    expect((await findBookedSnapshot(database.db, id, range, now)).intervals).toHaveLength(24)
    expect(await planOf(bookedQuery(database.db, id, range, now, false).toSQL())).toContain('bookings_no_overlap')
    // Without `not shares_capacity` the partial index cannot answer: the predicate is what keeps it.
    expect(await planOf(bookedQuery(database.db, id, range, now, true).toSQL())).not.toContain('bookings_no_overlap')
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
