import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { insertBooking, insertResource } from '../../test/fixtures'
import { listBookings } from './admin'

/*
 * The owner's list of one resource's bookings in a period: exactly the bookings that
 * overlap it, whatever their status, found through the resource-and-period index rather
 * than by reading the resource's whole history.
 */
let database: TestDatabase
let resourceId: string
const week = { from: Date.parse('2027-03-08T00:00:00Z'), to: Date.parse('2027-03-15T00:00:00Z') }
const expected: string[] = []
beforeAll(async () => {
  database = await createTestDatabase()
  resourceId = (await insertResource(database.db, { slug: 'list-index-room' })).id
  const statuses = ['confirmed', 'cancelled', 'pending', 'completed'] as const
  // Every 8 hours for 60 days, 1 hour each; plus one booking that straddles the week's start.
  for (let i = 0; i < 180; i++) {
    const start = Date.parse('2027-02-01T00:00:00Z') + i * 8 * 3_600_000
    const row = await insertBooking(database.db, {
      resourceId,
      start: new Date(start),
      end: new Date(start + 3_600_000),
      status: statuses[i % 4],
    })
    if (start < week.to && start + 3_600_000 > week.from) expected.push(row.ref)
  }
  const straddling = await insertBooking(database.db, {
    resourceId,
    start: '2027-03-07T23:30:00Z',
    end: '2027-03-08T00:30:00Z',
    status: 'cancelled',
  })
  expected.push(straddling.ref)
}, 60_000)
afterAll(() => database?.close())

describe('owner bookings list by period', () => {
  it('returns exactly the bookings overlapping the period, cancelled ones included, and open-ended periods too', async () => {
    const { rows } = await listBookings(database.db, { resourceId, ...week, limit: 200 })
    expect(rows.map((r) => r.ref).sort()).toEqual([...expected].sort())
    const fromOnly = await listBookings(database.db, {
      resourceId,
      from: Date.parse('2027-03-31T00:00:00Z'),
      limit: 200,
    })
    expect(fromOnly.rows.every((r) => r.endsAt.getTime() > Date.parse('2027-03-31T00:00:00Z'))).toBe(true)
    expect(fromOnly.rows.length).toBeGreaterThan(0)
    // An instant (from = to) still finds the bookings that contain it: the straddling one and 00:00–01:00.
    const instant = Date.parse('2027-03-08T00:15:00Z')
    const atInstant = await listBookings(database.db, { resourceId, from: instant, to: instant, limit: 200 })
    expect(atInstant.rows.map((r) => r.startsAt.toISOString())).toEqual([
      '2027-03-07T23:30:00.000Z',
      '2027-03-08T00:00:00.000Z',
    ])
  })

  it('can narrow by resource and period through bookings_resource_period_idx, with cancelled bookings asked for', async () => {
    const plan = await database.db.transaction(async (tx) => {
      // Small tables are scanned whole; forbidding that shows which index the predicate can use.
      await tx.execute(sql`SET LOCAL enable_seqscan = off`)
      return tx.execute(
        sql`EXPLAIN SELECT id FROM bookings WHERE resource_id = ${resourceId}::uuid AND status IN ('confirmed', 'cancelled')
            AND tstzrange(starts_at, ends_at, '[)') && tstzrange(${new Date(week.from).toISOString()}::timestamptz, ${new Date(week.to).toISOString()}::timestamptz, '[)')`,
      )
    })
    const text = JSON.stringify(plan)
    expect(text).toContain('bookings_resource_period_idx')
  })
})
