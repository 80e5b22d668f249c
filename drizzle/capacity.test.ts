import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookableResources, bookings } from './schema'
import { EXCLUSION_VIOLATION, constraintOf, sqlState } from '../api/db/sql-state'
import { bookingValues, insertBooking, insertResource, type BookingInput } from '../test/fixtures'
import { createTestDatabase, type TestDatabase } from '../test/database'
import type { ResourceConfig } from '../shared/schemas'

/*
 * The capacity guard (docs/capacity.md): the seats of occupying bookings overlapping any
 * instant never exceed the resource's capacity, whoever writes and however many at once.
 */

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase({ maxConnections: 40 })
})
afterAll(async () => {
  await database?.close()
})

const capacityOf = (capacity: number) => ({ capacity }) as ResourceConfig

async function insertError(values: BookingInput): Promise<unknown> {
  try {
    await database.db.insert(bookings).values(bookingValues(values))
    return undefined
  } catch (error) {
    return error
  }
}

function expectRefused(error: unknown, constraint = 'bookings_capacity') {
  expect(sqlState(error)).toBe(EXCLUSION_VIOLATION)
  expect(constraintOf(error)).toBe(constraint)
}

/** Most seats occupied at once, by a sweep in SQL independent of the trigger's own count. */
async function mostSeatsAtOnce(resourceId: string): Promise<number> {
  const rows = await database.db.execute<{ most: number | null }>(sql`
    select max(running)::int as most from (
      select sum(delta) over (order by at, delta rows unbounded preceding) as running from (
        select starts_at as at, seats as delta from bookings where resource_id = ${resourceId} and status <> 'cancelled'
        union all
        select ends_at, -seats from bookings where resource_id = ${resourceId} and status <> 'cancelled'
      ) events
    ) sweep`)
  const list = (Array.isArray(rows) ? rows : (rows as unknown as { rows: { most: number | null }[] }).rows) as {
    most: number | null
  }[]
  return Number(list[0]?.most ?? 0)
}

const class9 = { start: '2030-05-06T09:00:00Z', end: '2030-05-06T10:00:00Z' }

describe('bookings_guard_capacity', () => {
  it('fills a class of 10 seat by seat, and refuses the booking that would overflow it', async () => {
    const { id } = await insertResource(database.db, { config: capacityOf(10) })
    await insertBooking(database.db, { resourceId: id, ...class9, seats: 4 })
    await insertBooking(database.db, { resourceId: id, ...class9, seats: 3, status: 'pending' })
    expectRefused(await insertError({ resourceId: id, ...class9, seats: 4 }))
    expect(await insertError({ resourceId: id, ...class9, seats: 3 })).toBeUndefined()
    expectRefused(await insertError({ resourceId: id, ...class9, seats: 1 }))
    // Another hour and cancelled rows do not count.
    expect(
      await insertError({ resourceId: id, start: '2030-05-06T10:00:00Z', end: '2030-05-06T11:00:00Z', seats: 10 }),
    ).toBeUndefined()
    expect(await insertError({ resourceId: id, ...class9, seats: 5, status: 'cancelled' })).toBeUndefined()
    expect(await mostSeatsAtOnce(id)).toBe(10)
  })

  it('refuses more seats than the resource has at all', async () => {
    const { id } = await insertResource(database.db, { config: capacityOf(3) })
    expectRefused(await insertError({ resourceId: id, ...class9, seats: 4 }))
  })

  it('counts seats at every instant, not per booking: bookings of different lengths share places exactly', async () => {
    const { id } = await insertResource(database.db, { config: capacityOf(2) })
    await insertBooking(database.db, { resourceId: id, start: '2030-05-07T09:00:00Z', end: '2030-05-07T10:00:00Z' })
    await insertBooking(database.db, { resourceId: id, start: '2030-05-07T10:00:00Z', end: '2030-05-07T11:00:00Z' })
    // Never more than two at once: where unit rows would have no single free unit, this fits.
    expect(
      await insertError({ resourceId: id, start: '2030-05-07T09:30:00Z', end: '2030-05-07T10:30:00Z' }),
    ).toBeUndefined()
    // Now 09:30–10:00 and 10:00–10:30 are full; 08:00–09:45 meets the first of them.
    expectRefused(await insertError({ resourceId: id, start: '2030-05-07T08:00:00Z', end: '2030-05-07T09:45:00Z' }))
    expectRefused(await insertError({ resourceId: id, start: '2030-05-07T10:15:00Z', end: '2030-05-07T12:00:00Z' }))
    expect(
      await insertError({ resourceId: id, start: '2030-05-07T10:30:00Z', end: '2030-05-07T12:00:00Z' }),
    ).toBeUndefined()
  })

  it('guards moves, more seats and a cancelled booking occupying again', async () => {
    const { id } = await insertResource(database.db, { config: capacityOf(2) })
    await insertBooking(database.db, { resourceId: id, ...class9 })
    const other = await insertBooking(database.db, {
      resourceId: id,
      start: '2030-05-06T11:00:00Z',
      end: '2030-05-06T12:00:00Z',
    })
    const cancelled = await insertBooking(database.db, { resourceId: id, ...class9, status: 'cancelled', seats: 2 })
    const update = async (bookingId: string, set: Partial<typeof bookings.$inferInsert>) =>
      database.db
        .update(bookings)
        .set(set)
        .where(eq(bookings.id, bookingId))
        .then(() => undefined)
        .catch((error: unknown) => error)

    expectRefused(await update(cancelled.id, { status: 'confirmed' }))
    expectRefused(await update(other.id, { seats: 2, startsAt: new Date(class9.start), endsAt: new Date(class9.end) }))
    expect(await update(other.id, { startsAt: new Date(class9.start), endsAt: new Date(class9.end) })).toBeUndefined()
    // Full now; a status change that claims nothing new passes without counting.
    expect(await update(other.id, { status: 'completed' })).toBeUndefined()
    expect(await mostSeatsAtOnce(id)).toBe(2)
  })

  it('leaves resources of one place to the EXCLUDE constraint, as before', async () => {
    const { id } = await insertResource(database.db)
    const first = await insertBooking(database.db, { resourceId: id, ...class9 })
    expect(first.sharesCapacity).toBe(false)
    expectRefused(await insertError({ resourceId: id, ...class9 }), 'bookings_no_overlap')
  })

  it('sets which guard applies itself, whatever the writer asks', async () => {
    const shared = await insertResource(database.db, { config: capacityOf(5) })
    const single = await insertResource(database.db)
    const [onShared] = await database.db
      .insert(bookings)
      .values({ ...bookingValues({ resourceId: shared.id, ...class9 }), sharesCapacity: false })
      .returning()
    const [onSingle] = await database.db
      .insert(bookings)
      .values({ ...bookingValues({ resourceId: single.id, ...class9 }), sharesCapacity: true })
      .returning()
    expect(onShared?.sharesCapacity).toBe(true)
    expect(onSingle?.sharesCapacity).toBe(false)
    expectRefused(await insertError({ resourceId: single.id, ...class9 }), 'bookings_no_overlap')
  })

  it('gives the last seat to exactly one of 200 simultaneous writers', async () => {
    const { id } = await insertResource(database.db, { config: capacityOf(10) })
    await insertBooking(database.db, { resourceId: id, ...class9, seats: 9 })
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () =>
        database.db.transaction(async (tx) => {
          await tx.insert(bookings).values(bookingValues({ resourceId: id, ...class9 }))
        }),
      ),
    )
    const refused = results.filter((r) => r.status === 'rejected')
    expect(results.length - refused.length).toBe(1)
    for (const r of refused) expectRefused(r.reason)
    expect(await mostSeatsAtOnce(id)).toBe(10)
  }, 60_000)

  it('keeps 100 writers of random sizes and lengths within capacity', async () => {
    const { id } = await insertResource(database.db, { config: capacityOf(6) })
    const base = Date.parse('2030-05-08T08:00:00Z')
    const quarter = 15 * 60_000
    let seed = 7
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
      return seed % n
    }
    const writes = Array.from({ length: 100 }, () => {
      const start = base + random(16) * quarter
      return { start: new Date(start), end: new Date(start + (1 + random(8)) * quarter), seats: 1 + random(3) }
    })
    const results = await Promise.allSettled(
      writes.map((w) => database.db.insert(bookings).values(bookingValues({ resourceId: id, ...w }))),
    )
    for (const r of results) if (r.status === 'rejected') expectRefused(r.reason)
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true)
    expect(results.some((r) => r.status === 'rejected')).toBe(true)
    expect(await mostSeatsAtOnce(id)).toBeLessThanOrEqual(6)
  }, 60_000)
})

describe('bookable_resources_guard_capacity', () => {
  const setCapacity = (resourceId: string, capacity: number) =>
    database.db
      .update(bookableResources)
      .set({ config: capacityOf(capacity) })
      .where(eq(bookableResources.id, resourceId))
      .then(() => undefined)
      .catch((error: unknown) => error)

  it('refuses a capacity below what is booked at some future instant', async () => {
    const { id } = await insertResource(database.db, { config: capacityOf(10) })
    await insertBooking(database.db, { resourceId: id, ...class9, seats: 4 })
    await insertBooking(database.db, { resourceId: id, start: '2030-05-06T09:30:00Z', end: '2030-05-06T11:00:00Z' })
    expectRefused(await setCapacity(id, 4), 'bookable_resources_capacity')
    expect(await setCapacity(id, 5)).toBeUndefined()
  })

  it('moves bookings back under the EXCLUDE constraint at capacity 1, and out of it above', async () => {
    const { id } = await insertResource(database.db)
    const booked = await insertBooking(database.db, { resourceId: id, ...class9 })
    expect(await setCapacity(id, 3)).toBeUndefined()
    const [shared] = await database.db.select().from(bookings).where(eq(bookings.id, booked.id))
    expect(shared?.sharesCapacity).toBe(true)
    await insertBooking(database.db, { resourceId: id, ...class9, seats: 2 })
    expectRefused(await setCapacity(id, 1), 'bookable_resources_capacity')
    await database.db.update(bookings).set({ status: 'cancelled' }).where(eq(bookings.id, booked.id))
    await database.db.delete(bookings).where(sql`${bookings.resourceId} = ${id} and ${bookings.seats} = 2`)
    await database.db.update(bookings).set({ status: 'confirmed' }).where(eq(bookings.id, booked.id))
    expect(await setCapacity(id, 1)).toBeUndefined()
    const [single] = await database.db.select().from(bookings).where(eq(bookings.id, booked.id))
    expect(single?.sharesCapacity).toBe(false)
    expectRefused(await insertError({ resourceId: id, ...class9 }), 'bookings_no_overlap')
  })
})
