import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookableResources, bookings } from './schema'
import { constraintOf, sqlState } from '../api/db/sql-state'
import { bookingValues, insertBooking, insertPool, insertResource, type BookingInput } from '../test/fixtures'
import { createTestDatabase, type TestDatabase } from '../test/database'

/*
 * The party-size guard (docs/capacity.md, "Tables and party size"): a booking's party size
 * stays within its table's minParty/maxParty, whoever writes it.
 */

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.close()
})

const CHECK_VIOLATION = '23514'
const dinner = { start: '2030-05-06T18:00:00Z', end: '2030-05-06T20:00:00Z' }

async function insertError(values: BookingInput, partySize: number | null): Promise<unknown> {
  try {
    await database.db.insert(bookings).values({ ...bookingValues(values), partySize })
    return undefined
  } catch (error) {
    return error
  }
}

function expectRefused(error: unknown) {
  expect(sqlState(error)).toBe(CHECK_VIOLATION)
  expect(constraintOf(error)).toBe('bookings_party_size_fits')
}

describe('bookings_guard_party_size', () => {
  it('takes a party within the table’s bounds and refuses one below or above them', async () => {
    const table = await insertResource(database.db, { type: 'table', config: { minParty: 2, maxParty: 4 } })
    const at = (hour: number) => ({
      resourceId: table.id,
      start: `2030-05-06T${hour}:00:00Z`,
      end: `2030-05-06T${hour}:30:00Z`,
    })
    expect(await insertError(at(10), 2)).toBeUndefined()
    expect(await insertError(at(11), 4)).toBeUndefined()
    expectRefused(await insertError(at(12), 1))
    expectRefused(await insertError(at(13), 5))
    // No party size (a booking that is not of a table) is not checked.
    expect(await insertError(at(14), null)).toBeUndefined()
    const rows = await database.db.select().from(bookings).where(eq(bookings.resourceId, table.id))
    expect(rows.map((r) => r.partySize).sort()).toEqual([2, 4, null])
  })

  it('leaves an open bound open', async () => {
    const noMax = await insertResource(database.db, { config: { minParty: 3 } })
    const noMin = await insertResource(database.db, { config: { maxParty: 2 } })
    const open = await insertResource(database.db, {})
    expect(await insertError({ resourceId: noMax.id, ...dinner }, 1000)).toBeUndefined()
    expectRefused(await insertError({ resourceId: noMax.id, ...dinner }, 2))
    expect(await insertError({ resourceId: noMin.id, ...dinner }, 1)).toBeUndefined()
    expectRefused(await insertError({ resourceId: noMin.id, ...dinner }, 3))
    expect(await insertError({ resourceId: open.id, ...dinner }, 40)).toBeUndefined()
  })

  it('refuses an update that makes the party too big, or moves it to a table too small', async () => {
    const four = await insertResource(database.db, { config: { maxParty: 4 } })
    const two = await insertResource(database.db, { config: { maxParty: 2 } })
    const pool = await insertPool(database.db, { members: [two.id, four.id] })
    const row = await insertBooking(database.db, { resourceId: four.id, ...dinner })
    await database.db.update(bookings).set({ partySize: 3, poolId: pool.id }).where(eq(bookings.id, row.id))
    const update = async (change: Partial<typeof bookings.$inferInsert>) => {
      try {
        await database.db.update(bookings).set(change).where(eq(bookings.id, row.id))
        return undefined
      } catch (error) {
        return error
      }
    }
    expectRefused(await update({ partySize: 5 }))
    expectRefused(await update({ resourceId: two.id }))
    const [kept] = await database.db.select().from(bookings).where(eq(bookings.id, row.id))
    expect(kept).toMatchObject({ resourceId: four.id, partySize: 3, poolId: pool.id })
  })

  it('refuses a party size under 1 whatever the table', async () => {
    const open = await insertResource(database.db, {})
    const error = await insertError({ resourceId: open.id, ...dinner }, 0)
    expect(sqlState(error)).toBe(CHECK_VIOLATION)
    expect(constraintOf(error)).toMatch(/^bookings_party_size_/)
  })

  it('reads the table’s bounds as they are when the booking is written', async () => {
    const table = await insertResource(database.db, { config: { maxParty: 6 } })
    await database.db
      .update(bookableResources)
      .set({ config: { maxParty: 2 } })
      .where(eq(bookableResources.id, table.id))
    expectRefused(await insertError({ resourceId: table.id, ...dinner }, 3))
  })
})
