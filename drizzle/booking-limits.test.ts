import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookableResources, bookings, services } from './schema'
import { constraintOf, sqlState } from '../api/db/sql-state'
import { bookingValues, insertResource, uniqueSlug } from '../test/fixtures'
import { createTestDatabase, type TestDatabase } from '../test/database'

/*
 * The booking-limits trigger (bookings_respect_limits) on its own: every write passes it,
 * whoever makes it, and a refusal names the limit as a check violation with a JSON detail.
 * Part rows of combined bookings are not bookings of their own.
 */

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.close()
})

const CHECK_VIOLATION = '23514'

async function failure(write: Promise<unknown>): Promise<unknown> {
  try {
    await write
    return undefined
  } catch (error) {
    return error
  }
}

function detailOf(error: unknown): unknown {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const detail = (e as { detail?: unknown }).detail
    if (typeof detail === 'string') return JSON.parse(detail)
  }
  return undefined
}

const booking = (resourceId: string, start: string, email = 'ada@example.com') => ({
  ...bookingValues({ resourceId, start, end: new Date(Date.parse(start) + 30 * 60_000) }),
  guestEmail: email,
})

describe('the booking-limits trigger', () => {
  it('refuses a write past a limit as a check violation naming the limit, its value and the resource', async () => {
    const room = await insertResource(database.db, { name: 'Studio', config: { limits: { perGuestPerDay: 1 } } })
    await database.db.insert(bookings).values(booking(room.id, '2030-06-03T09:00:00Z'))
    const error = await failure(
      database.db.insert(bookings).values(booking(room.id, '2030-06-03T12:00:00Z', 'ADA@example.com')),
    )
    expect(sqlState(error)).toBe(CHECK_VIOLATION)
    expect(constraintOf(error)).toBe('bookings_limit_per_guest_day')
    expect(detailOf(error)).toEqual({ limit: 'perGuestPerDay', value: 1, resource: 'Studio' })
  })

  it('applies a limit set later to new writes only, and lets a cancelled booking be written', async () => {
    const room = await insertResource(database.db)
    await database.db
      .insert(bookings)
      .values([booking(room.id, '2030-06-04T09:00:00Z'), booking(room.id, '2030-06-04T10:00:00Z')])
    await database.db
      .update(bookableResources)
      .set({ config: { limits: { perGuestPerDay: 1 } } })
      .where(eq(bookableResources.id, room.id))
    // Both stay; a third is refused; a cancelled row is no claim at all.
    const third = await failure(database.db.insert(bookings).values(booking(room.id, '2030-06-04T11:00:00Z')))
    expect(constraintOf(third)).toBe('bookings_limit_per_guest_day')
    await database.db.insert(bookings).values({ ...booking(room.id, '2030-06-04T12:00:00Z'), status: 'cancelled' })
  })

  it('neither counts nor refuses the part rows of a combined booking on a limited resource', async () => {
    const [therapist, room] = await Promise.all([
      insertResource(database.db),
      insertResource(database.db, { config: { limits: { perDay: 1 } } }),
    ])
    const [service] = await database.db
      .insert(services)
      .values({ slug: uniqueSlug('svc'), name: 'Massage', timezone: 'Europe/Berlin' })
      .returning()
    const combined = async (start: string) => {
      const lead = { ...booking(therapist.id, start), id: randomUUID(), serviceId: service!.id }
      const part = { ...booking(room.id, start), serviceId: service!.id, partOf: lead.id }
      await database.db.insert(bookings).values([lead, part])
    }
    await combined('2030-06-05T09:00:00Z')
    await combined('2030-06-05T11:00:00Z')
    // The room's own bookings still count to its perDay of 1: the parts were not counted.
    await database.db.insert(bookings).values(booking(room.id, '2030-06-05T14:00:00Z', 'grace@example.com'))
    const second = await failure(
      database.db.insert(bookings).values(booking(room.id, '2030-06-05T15:00:00Z', 'alan@example.com')),
    )
    expect(constraintOf(second)).toBe('bookings_limit_per_day')
  })
})
