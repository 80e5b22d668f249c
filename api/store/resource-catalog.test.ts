import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resourceSchedules } from '../../drizzle/schema'
import { fixedClock } from '../clock'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertResource } from '../../test/fixtures'
import { createResourceCatalog } from './resource-catalog'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.close()
})

describe('resource catalog', () => {
  it('serves a cached schedule until the TTL passes, then reloads it', async () => {
    const clock = fixedClock('2026-01-01T00:00:00Z')
    const catalog = createResourceCatalog(database.db, clock, { ttlMs: 5_000 })
    const row = await insertResource(database.db, { schedules: everyDay({ startTime: '09:00', endTime: '10:00' }) })
    expect((await catalog.find(row.slug))?.rules).toHaveLength(7)

    await database.db.delete(resourceSchedules).where(eq(resourceSchedules.resourceId, row.id))
    expect((await catalog.find(row.slug))?.rules).toHaveLength(7)
    clock.set('2026-01-01T00:00:06Z')
    expect((await catalog.find(row.slug))?.rules).toHaveLength(0)
  })

  it('finds a resource created after a miss at once, and forgets on invalidate()', async () => {
    const clock = fixedClock('2026-01-01T00:00:00Z')
    const catalog = createResourceCatalog(database.db, clock)
    expect(await catalog.find('created-later')).toBeUndefined()
    const row = await insertResource(database.db, { slug: 'created-later' })
    expect((await catalog.find('created-later'))?.resource.id).toBe(row.id)

    await database.db.delete(resourceSchedules).where(eq(resourceSchedules.resourceId, row.id))
    catalog.invalidate()
    expect((await catalog.find('created-later'))?.rules).toEqual([])
  })
})
