import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookings } from './schema'
import { EXCLUSION_VIOLATION, sqlState } from '../api/db/sql-state'
import { findBookedIntervals } from '../api/store/busy-intervals'
import { bookingValues, insertBooking, insertResource } from '../test/fixtures'
import { createTestDatabase, type TestDatabase } from '../test/database'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.close()
})

async function insertError(values: Parameters<typeof bookingValues>[0]): Promise<unknown> {
  try {
    await database.db.insert(bookings).values(bookingValues(values))
    return undefined
  } catch (error) {
    return error
  }
}

describe('bookings_no_overlap (EXCLUDE USING gist)', () => {
  it('refuses an overlapping occupying booking with SQLSTATE 23P01', async () => {
    const { id } = await insertResource(database.db)
    await insertBooking(database.db, { resourceId: id, start: '2026-05-04T09:00:00Z', end: '2026-05-04T10:00:00Z' })
    const error = await insertError({
      resourceId: id,
      start: '2026-05-04T09:30:00Z',
      end: '2026-05-04T10:30:00Z',
      status: 'pending',
    })
    expect(sqlState(error)).toBe(EXCLUSION_VIOLATION)
  })

  it.each([
    ['touching end-to-start ([) ranges)', '2026-05-05T10:00:00Z', '2026-05-05T11:00:00Z', 'confirmed'],
    ['a cancelled booking over the same time', '2026-05-05T09:00:00Z', '2026-05-05T10:00:00Z', 'cancelled'],
  ] as const)('allows %s', async (_label, start, end, status) => {
    const { id } = await insertResource(database.db)
    await insertBooking(database.db, { resourceId: id, start: '2026-05-05T09:00:00Z', end: '2026-05-05T10:00:00Z' })
    expect(await insertError({ resourceId: id, start, end, status })).toBeUndefined()
  })

  it('lets the same time be booked on another resource', async () => {
    const a = await insertResource(database.db)
    const b = await insertResource(database.db)
    await insertBooking(database.db, { resourceId: a.id, start: '2026-05-06T09:00:00Z', end: '2026-05-06T10:00:00Z' })
    expect(
      await insertError({ resourceId: b.id, start: '2026-05-06T09:00:00Z', end: '2026-05-06T10:00:00Z' }),
    ).toBeUndefined()
  })

  it('refuses reactivating a cancelled booking into an occupied slot', async () => {
    const { id } = await insertResource(database.db)
    const cancelled = await insertBooking(database.db, {
      resourceId: id,
      start: '2026-05-07T09:00:00Z',
      end: '2026-05-07T10:00:00Z',
      status: 'cancelled',
    })
    await insertBooking(database.db, { resourceId: id, start: '2026-05-07T09:00:00Z', end: '2026-05-07T10:00:00Z' })
    const error = await database.db
      .update(bookings)
      .set({ status: 'confirmed' })
      .where(and(eq(bookings.id, cancelled.id)))
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect(sqlState(error)).toBe(EXCLUSION_VIOLATION)
  })

  it('refuses a booking that ends before it starts', async () => {
    const { id } = await insertResource(database.db)
    const error = await insertError({ resourceId: id, start: '2026-05-08T10:00:00Z', end: '2026-05-08T09:00:00Z' })
    expect(sqlState(error)).toBe('23514')
  })
})

describe('busy-interval query', () => {
  it('returns occupying bookings overlapping the range as epoch ms, skipping cancelled and expired-pending ones', async () => {
    const { id } = await insertResource(database.db)
    const now = Date.parse('2026-06-01T08:00:00Z')
    await insertBooking(database.db, { resourceId: id, start: '2026-06-01T09:00:00Z', end: '2026-06-01T10:00:00Z' })
    await insertBooking(database.db, {
      resourceId: id,
      start: '2026-06-01T10:00:00Z',
      end: '2026-06-01T11:00:00Z',
      status: 'cancelled',
    })
    await insertBooking(database.db, {
      resourceId: id,
      start: '2026-06-01T11:00:00Z',
      end: '2026-06-01T12:00:00Z',
      status: 'pending',
      expiresAt: '2026-06-01T07:59:00Z',
    })
    await insertBooking(database.db, {
      resourceId: id,
      start: '2026-06-01T12:00:00Z',
      end: '2026-06-01T13:00:00Z',
      status: 'pending',
      expiresAt: '2026-06-01T08:10:00Z',
    })
    await insertBooking(database.db, { resourceId: id, start: '2026-06-02T09:00:00Z', end: '2026-06-02T10:00:00Z' })

    const busy = await findBookedIntervals(
      database.db,
      id,
      { start: Date.parse('2026-06-01T00:00:00Z'), end: Date.parse('2026-06-02T00:00:00Z') },
      now,
    )
    expect(busy.map((b) => [new Date(b.start).toISOString(), new Date(b.end).toISOString()]).sort()).toEqual([
      ['2026-06-01T09:00:00.000Z', '2026-06-01T10:00:00.000Z'],
      ['2026-06-01T12:00:00.000Z', '2026-06-01T13:00:00.000Z'],
    ])
  })

  it('is answered from the constraint’s gist index', async () => {
    const { id } = await insertResource(database.db)
    // Enough rows that the plan is not a toss-up; seqscan off makes the check deterministic.
    await database.db.insert(bookings).values(
      Array.from({ length: 200 }, (_, i) =>
        bookingValues({
          resourceId: id,
          start: new Date(Date.parse('2027-01-01T00:00:00Z') + i * 3_600_000),
          end: new Date(Date.parse('2027-01-01T00:30:00Z') + i * 3_600_000),
        }),
      ),
    )
    const plan = await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`)
      const result = await tx.execute(sql`explain select starts_at, ends_at from bookings
        where resource_id = ${id} and status <> 'cancelled' and not shares_capacity
          and tstzrange(starts_at, ends_at, '[)') && tstzrange('2027-01-02'::timestamptz, '2027-01-03'::timestamptz, '[)')`)
      const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, string>[]
      return rows.map((r) => Object.values(r)[0]).join('\n')
    })
    expect(plan).toContain('bookings_no_overlap')
  })
})
