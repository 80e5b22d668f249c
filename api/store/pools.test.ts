import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { insertResource, uniqueSlug } from '../../test/fixtures'
import { createPool, findActivePool, replacePoolMembers, updatePool } from './pools'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database?.close())

describe('findActivePool', () => {
  it('answers an active pool by id or slug with its active members in position order, configs parsed', async () => {
    const db = database.db
    const a = await insertResource(db, { type: 'table', name: 'Table A', config: { minParty: 2, maxParty: 4 } })
    const b = await insertResource(db, { type: 'table', name: 'Table B', timezone: 'Europe/London' })
    const gone = await insertResource(db, { type: 'table', name: 'Table C', isActive: false })
    const slug = uniqueSlug('room')
    const pool = await createPool(db, {
      slug,
      type: 'table',
      name: 'Dining room',
      timezone: 'Europe/Berlin',
      strategy: 'smallest_fit',
      memberChoice: true,
      members: [{ resourceId: b.id, weight: 3 }, { resourceId: gone.id }, { resourceId: a.slug }],
    })

    const bySlug = await findActivePool(db, slug)
    expect(bySlug).toEqual({
      id: pool.id,
      slug,
      type: 'table',
      name: 'Dining room',
      timezone: 'Europe/Berlin',
      strategy: 'smallest_fit',
      memberChoice: true,
      members: [
        {
          resourceId: b.id,
          slug: b.slug,
          name: 'Table B',
          timezone: 'Europe/London',
          config: {},
          position: 0,
          weight: 3,
        },
        {
          resourceId: a.id,
          slug: a.slug,
          name: 'Table A',
          timezone: 'Europe/Berlin',
          config: { minParty: 2, maxParty: 4 },
          position: 2,
          weight: 1,
        },
      ],
    })
    expect(await findActivePool(db, pool.id.toUpperCase())).toEqual(bySlug)

    await replacePoolMembers(db, pool.id, [{ resourceId: a.id }, { resourceId: b.id }])
    expect((await findActivePool(db, slug))?.members.map((m) => [m.resourceId, m.position])).toEqual([
      [a.id, 0],
      [b.id, 1],
    ])

    await updatePool(db, pool.id, { isActive: false })
    expect(await findActivePool(db, slug)).toBeUndefined()
    expect(await findActivePool(db, pool.id)).toBeUndefined()
    expect(await findActivePool(db, 'no-such-pool')).toBeUndefined()
    expect(await findActivePool(db, '00000000-0000-4000-8000-000000000000')).toBeUndefined()
  })

  it('answers an empty member list for a pool without members', async () => {
    const slug = uniqueSlug('empty')
    await createPool(database.db, { slug, type: 'room', name: 'Empty', timezone: 'UTC' })
    expect((await findActivePool(database.db, slug))?.members).toEqual([])
  })
})
