import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serviceParts, services } from '../../drizzle/schema'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { insertBooking, insertPool, insertResource, uniqueSlug } from '../../test/fixtures'
import { memberBookingCounts } from './pools'
import { findActiveService } from './services'

/* The service reads the public routes make: a service with its parts, and round_robin's counts. */

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database?.close())

async function service(isActive = true, slug = uniqueSlug('svc')) {
  const lead = await insertResource(database.db, { name: 'Lead' })
  const pool = await insertPool(database.db, { members: [] })
  const [row] = await database.db
    .insert(services)
    .values({ slug, name: 'S', timezone: 'Europe/Berlin', isActive })
    .returning()
  // Written out of order: the read follows `position`.
  await database.db.insert(serviceParts).values([
    { serviceId: row!.id, position: 1, poolId: pool.id, label: 'Room' },
    { serviceId: row!.id, position: 0, resourceId: lead.id },
  ])
  return { row: row!, lead, pool }
}

describe('findActiveService', () => {
  it('finds an active service by id or slug with its parts in position order', async () => {
    const { row, lead, pool } = await service()
    const expected = {
      id: row.id,
      slug: row.slug,
      name: 'S',
      timezone: 'Europe/Berlin',
      parts: [
        { position: 0, resourceId: lead.id },
        { position: 1, poolId: pool.id, label: 'Room' },
      ],
    }
    expect(await findActiveService(database.db, row.slug)).toEqual(expected)
    expect(await findActiveService(database.db, row.id.toUpperCase())).toEqual(expected)
  })

  it('finds nothing for an inactive or unknown service', async () => {
    const { row } = await service(false)
    expect(await findActiveService(database.db, row.slug)).toBeUndefined()
    expect(await findActiveService(database.db, 'no-such-service')).toBeUndefined()
    expect(await findActiveService(database.db, '00000000-0000-4000-8000-000000000000')).toBeUndefined()
  })
})

describe('memberBookingCounts', () => {
  it('counts occupying bookings on the day and in the week (Monday to Sunday) in the zone', async () => {
    const a = await insertResource(database.db, { name: 'A' })
    const b = await insertResource(database.db, { name: 'B' })
    const book = (resourceId: string, start: string, status?: 'cancelled') =>
      insertBooking(database.db, {
        resourceId,
        start,
        end: new Date(Date.parse(start) + 3_600_000),
        ...(status ? { status } : {}),
      })
    // Tuesday 24 March 2026 in Berlin (UTC+1).
    await book(a.id, '2026-03-24T08:00:00Z')
    await book(a.id, '2026-03-23T08:00:00Z')
    await book(a.id, '2026-03-24T10:00:00Z', 'cancelled')
    // 23:30 Sunday in Berlin: the week before.
    await book(a.id, '2026-03-22T22:30:00Z')
    await book(b.id, '2026-03-25T08:00:00Z')
    const counts = await memberBookingCounts(
      database.db,
      [a.id, b.id],
      Date.parse('2026-03-24T12:00:00Z'),
      'Europe/Berlin',
    )
    expect(counts.get(a.id)).toEqual({ day: 1, week: 2 })
    expect(counts.get(b.id)).toEqual({ day: 0, week: 1 })
    expect(await memberBookingCounts(database.db, [], 0, 'UTC')).toEqual(new Map())
  })
})
