import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { poolMembers } from '../../drizzle/schema'
import type {
  AdminPoolResponse,
  AdminPoolsResponse,
  AdminResourceResponse,
  ResourceResponse,
} from '../../shared/api-contract'
import type { ErrorBody } from '../../shared/errors'
import { MAX_POOL_MEMBERS } from '../../shared/schemas'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { insertResource, uniqueSlug } from '../../test/fixtures'
import { createTestHoldBackend } from '../../test/holds'
import { createAdminKey } from '../admin/keys'
import { fixedClock } from '../clock'
import { findActivePool } from '../store/pools'

let database: TestDatabase
let key: string
beforeAll(async () => {
  database = await createTestDatabase()
  key = (await createAdminKey(database.db, 'pool tests')).key
})
afterAll(() => database?.close())

function setup() {
  const clock = fixedClock('2026-03-20T12:00:00Z')
  const api = createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds })
  const admin = <T>(method: string, path: string, body?: unknown) =>
    api.call<T>(method, `/v1/admin${path}`, { token: key, ...(body !== undefined ? { body } : {}) })
  return { ...api, admin }
}

const newPool = (extra: Record<string, unknown> = {}) => ({
  slug: uniqueSlug('pool'),
  type: 'therapist',
  name: 'Any physio',
  timezone: 'Europe/Berlin',
  ...extra,
})

const fieldPaths = (res: { body: ErrorBody }) => (res.body.error.details as { path: string }[]).map((d) => d.path)

async function threeResources() {
  const db = database.db
  return Promise.all(['Anna', 'Ben', 'Cleo'].map((name) => insertResource(db, { type: 'therapist', name })))
}

describe('admin pools', () => {
  it('creates a pool with members (ids or slugs, in order), reads, lists, changes and deactivates it', async () => {
    const { admin } = setup()
    const [anna, ben, cleo] = await threeResources()
    const body = newPool({
      strategy: 'weighted',
      memberChoice: true,
      members: [{ resourceId: ben!.id, weight: 3 }, { resourceId: anna!.slug }, { resourceId: cleo!.id.toUpperCase() }],
    })
    const created = await admin<AdminPoolResponse>('POST', '/pools', body)
    expect(created.status).toBe(201)
    const pool = created.body.pool
    expect(pool).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      slug: body.slug,
      type: 'therapist',
      name: 'Any physio',
      timezone: 'Europe/Berlin',
      strategy: 'weighted',
      memberChoice: true,
      isActive: true,
      createdAt: expect.any(String),
      members: [
        { resourceId: ben!.id, position: 0, weight: 3 },
        { resourceId: anna!.id, position: 1, weight: 1 },
        { resourceId: cleo!.id, position: 2, weight: 1 },
      ],
    })

    expect((await admin<AdminPoolResponse>('GET', `/pools/${pool.id}`)).body.pool).toEqual(pool)
    const listed = await admin<AdminPoolsResponse>('GET', '/pools')
    expect([listed.status, listed.body.pools.find((p) => p.id === pool.id)]).toEqual([200, pool])

    const changed = await admin<AdminPoolResponse>('PATCH', `/pools/${pool.id}`, {
      strategy: 'round_robin',
      name: 'Physiotherapy',
    })
    expect(changed.status).toBe(200)
    expect(changed.body.pool).toEqual({ ...pool, strategy: 'round_robin', name: 'Physiotherapy' })
    expect((await findActivePool(database.db, body.slug))?.strategy).toBe('round_robin')

    const gone = await admin<AdminPoolResponse>('DELETE', `/pools/${pool.id}`)
    expect([gone.status, gone.body.pool.isActive, gone.body.pool.members]).toEqual([
      200,
      false,
      changed.body.pool.members,
    ])
    // Deactivated, not deleted: the owner still sees it, guests no longer.
    expect((await admin<AdminPoolResponse>('GET', `/pools/${pool.id}`)).body.pool.isActive).toBe(false)
    expect(await findActivePool(database.db, pool.id)).toBeUndefined()
    const back = await admin<AdminPoolResponse>('PATCH', `/pools/${pool.id}`, { isActive: true })
    expect(back.body.pool.isActive).toBe(true)
  })

  it('creates a pool without members, ordered and without member choice by default', async () => {
    const { admin } = setup()
    const res = await admin<AdminPoolResponse>('POST', '/pools', newPool())
    expect(res.status).toBe(201)
    expect(res.body.pool).toMatchObject({ strategy: 'ordered', memberChoice: false, members: [] })
  })

  it('replaces the members as a whole, keeping the order given as the positions', async () => {
    const { admin } = setup()
    const [anna, ben, cleo] = await threeResources()
    const { pool } = (
      await admin<AdminPoolResponse>(
        'POST',
        '/pools',
        newPool({ members: [{ resourceId: anna!.id }, { resourceId: ben!.id }] }),
      )
    ).body
    const replaced = await admin<AdminPoolResponse>('PUT', `/pools/${pool.id}/members`, {
      members: [{ resourceId: cleo!.slug, weight: 5 }, { resourceId: anna!.id }],
    })
    expect(replaced.status).toBe(200)
    expect(replaced.body.pool.members).toEqual([
      { resourceId: cleo!.id, position: 0, weight: 5 },
      { resourceId: anna!.id, position: 1, weight: 1 },
    ])
    expect((await admin<AdminPoolResponse>('GET', `/pools/${pool.id}`)).body.pool.members).toEqual(
      replaced.body.pool.members,
    )
    expect((await findActivePool(database.db, pool.id))?.members.map((m) => m.slug)).toEqual([cleo!.slug, anna!.slug])

    const emptied = await admin<AdminPoolResponse>('PUT', `/pools/${pool.id}/members`, { members: [] })
    expect([emptied.status, emptied.body.pool.members]).toEqual([200, []])
  })

  it('answers 400 naming the index for an unknown member, and writes nothing', async () => {
    const { admin } = setup()
    const [anna] = await threeResources()
    const body = newPool({
      members: [{ resourceId: anna!.id }, { resourceId: '00000000-0000-4000-8000-000000000000' }],
    })
    const res = await admin<ErrorBody>('POST', '/pools', body)
    expect([res.status, res.body.error.code, fieldPaths(res)]).toEqual([
      400,
      'invalid_request',
      ['members.1.resourceId'],
    ])
    expect((await admin<AdminPoolsResponse>('GET', '/pools')).body.pools.map((p) => p.slug)).not.toContain(body.slug)

    const { pool } = (
      await admin<AdminPoolResponse>('POST', '/pools', newPool({ members: [{ resourceId: anna!.id }] }))
    ).body
    const put = await admin<ErrorBody>('PUT', `/pools/${pool.id}/members`, {
      members: [{ resourceId: 'no-such-resource' }],
    })
    expect([put.status, fieldPaths(put)]).toEqual([400, ['members.0.resourceId']])
    expect((await admin<AdminPoolResponse>('GET', `/pools/${pool.id}`)).body.pool.members).toEqual(pool.members)
  })

  it('refuses a resource listed twice, by the same id or by its id and its slug', async () => {
    const { admin } = setup()
    const [anna, ben] = await threeResources()
    const twice = await admin<ErrorBody>(
      'POST',
      '/pools',
      newPool({ members: [{ resourceId: anna!.id }, { resourceId: ben!.id }, { resourceId: anna!.id.toUpperCase() }] }),
    )
    expect([twice.status, fieldPaths(twice)]).toEqual([400, ['members.2.resourceId']])
    const aliased = await admin<ErrorBody>(
      'POST',
      '/pools',
      newPool({ members: [{ resourceId: anna!.id }, { resourceId: anna!.slug }] }),
    )
    expect([aliased.status, fieldPaths(aliased)]).toEqual([400, ['members.1.resourceId']])
  })

  it('refuses a slug another pool has, on create and on rename, like a resource’s', async () => {
    const { admin } = setup()
    const taken = [{ path: 'slug', code: 'invalid', message: 'already used by another pool' }]
    const first = newPool()
    expect((await admin('POST', '/pools', first)).status).toBe(201)
    const again = await admin<ErrorBody>('POST', '/pools', newPool({ slug: first.slug }))
    expect([again.status, again.body.error.code, again.body.error.details]).toEqual([400, 'invalid_request', taken])
    const other = await admin<AdminPoolResponse>('POST', '/pools', newPool())
    const renamed = await admin<ErrorBody>('PATCH', `/pools/${other.body.pool.id}`, { slug: first.slug })
    expect([renamed.status, renamed.body.error.code, renamed.body.error.details]).toEqual([
      400,
      'invalid_request',
      taken,
    ])
  })

  it.each([
    ['an unknown strategy', newPool({ strategy: 'random' }), 'strategy'],
    ['a slug with capitals', newPool({ slug: 'Physios' }), 'slug'],
    ['an unknown time zone', newPool({ timezone: 'Mars/Olympus' }), 'timezone'],
    ['no name', newPool({ name: '' }), 'name'],
    ['a weight of 0', newPool({ members: [{ resourceId: 'anna', weight: 0 }] }), 'members.0.weight'],
    ['a fractional weight', newPool({ members: [{ resourceId: 'anna', weight: 1.5 }] }), 'members.0.weight'],
    [
      'a member that is neither id nor slug',
      newPool({ members: [{ resourceId: 'Not A Slug' }] }),
      'members.0.resourceId',
    ],
    [
      `more than ${MAX_POOL_MEMBERS} members`,
      newPool({ members: Array.from({ length: MAX_POOL_MEMBERS + 1 }, (_, i) => ({ resourceId: `member-${i}` })) }),
      'members',
    ],
  ])('answers 400 with the field for %s', async (_label, body, path) => {
    const { admin } = setup()
    const res = await admin<ErrorBody>('POST', '/pools', body)
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_request'])
    expect(fieldPaths(res)).toContain(path)
  })

  it('refuses an empty change, an unknown strategy and members in PATCH (they are replaced with PUT)', async () => {
    const { admin } = setup()
    const { pool } = (await admin<AdminPoolResponse>('POST', '/pools', newPool())).body
    for (const change of [{}, { strategy: 'fastest' }, { members: [] }]) {
      const res = await admin<ErrorBody>('PATCH', `/pools/${pool.id}`, change)
      expect([res.status, res.body.error.code]).toEqual([400, 'invalid_request'])
    }
    expect((await admin<AdminPoolResponse>('GET', `/pools/${pool.id}`)).body.pool).toEqual(pool)
  })

  it('answers 404 for a pool that does not exist, by any route', async () => {
    const { admin } = setup()
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      for (const [method, path, body] of [
        ['GET', `/pools/${id}`, undefined],
        ['PATCH', `/pools/${id}`, { name: 'x' }],
        ['DELETE', `/pools/${id}`, undefined],
        ['PUT', `/pools/${id}/members`, { members: [] }],
      ] as const) {
        const res = await admin<ErrorBody>(method, path, body)
        expect([method, path, res.status, res.body.error.code]).toEqual([method, path, 404, 'not_found'])
      }
    }
  })

  it.each([
    ['GET', '/pools'],
    ['POST', '/pools'],
    ['GET', '/pools/00000000-0000-4000-8000-000000000000'],
    ['PATCH', '/pools/00000000-0000-4000-8000-000000000000'],
    ['DELETE', '/pools/00000000-0000-4000-8000-000000000000'],
    ['PUT', '/pools/00000000-0000-4000-8000-000000000000/members'],
  ])('%s %s → 401 without a key or with a wrong one', async (method, path) => {
    const api = setup()
    for (const token of [undefined, 'bka_AAAAAAAA_' + 'A'.repeat(43)]) {
      const res = await api.call<ErrorBody>(method, `/v1/admin${path}`, {
        ...(token ? { token } : {}),
        ...(method === 'GET' || method === 'DELETE' ? {} : { body: newPool() }),
      })
      expect([res.status, res.body.error.code]).toEqual([401, 'unauthorized'])
    }
  })

  it('keeps one whole member list when owners replace it at the same time', async () => {
    const { admin } = setup()
    const resources = await Promise.all(
      Array.from({ length: 6 }, (_, i) => insertResource(database.db, { type: 'therapist', name: `T${i}` })),
    )
    const { pool } = (await admin<AdminPoolResponse>('POST', '/pools', newPool())).body
    // Each writer sends a different order (a rotation) of the same six members.
    const lists = Array.from({ length: 12 }, (_, k) =>
      resources.map((_, i) => ({ resourceId: resources[(i + k) % resources.length]!.id })),
    )
    const answers = await Promise.all(
      lists.map((members) => admin<AdminPoolResponse>('PUT', `/pools/${pool.id}/members`, { members })),
    )
    expect(answers.map((a) => a.status)).toEqual(lists.map(() => 200))
    const stored = await database.db.select().from(poolMembers).where(eq(poolMembers.poolId, pool.id))
    const order = [...stored].sort((a, b) => a.position - b.position).map((m) => ({ resourceId: m.resourceId }))
    expect(stored.map((m) => m.position).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5])
    expect(lists).toContainEqual(order)
  })
})

describe('a table’s party size in the resource config', () => {
  it('is taken by the admin API and shown in the public view only when set', async () => {
    const api = setup()
    const table = await api.admin<AdminResourceResponse>('POST', '/resources', {
      slug: uniqueSlug('table'),
      type: 'table',
      name: 'Window table',
      timezone: 'Europe/Berlin',
      config: { minParty: 2, maxParty: 4 },
    })
    expect([table.status, table.body.resource.config]).toEqual([201, { minParty: 2, maxParty: 4 }])
    const view = await api.call<ResourceResponse>('GET', `/v1/resources/${table.body.resource.slug}`)
    expect(view.body.resource).toMatchObject({ minParty: 2, maxParty: 4 })

    const bar = await api.admin<AdminResourceResponse>('PATCH', `/resources/${table.body.resource.id}`, {
      config: { maxParty: 2 },
    })
    expect(bar.body.resource.config).toEqual({ maxParty: 2 })
    const barView = (await api.call<ResourceResponse>('GET', `/v1/resources/${table.body.resource.id}`)).body.resource
    expect([barView.minParty, barView.maxParty]).toEqual([undefined, 2])
    expect(Object.keys(barView)).not.toContain('minParty')

    const crossed = await api.admin<ErrorBody>('PATCH', `/resources/${table.body.resource.id}`, {
      config: { minParty: 6, maxParty: 4 },
    })
    expect([crossed.status, fieldPaths(crossed)]).toEqual([400, ['config.minParty']])

    const room = await insertResource(database.db)
    const roomView = (await api.call<ResourceResponse>('GET', `/v1/resources/${room.id}`)).body.resource
    expect(Object.keys(roomView).filter((k) => k.endsWith('Party'))).toEqual([])
  })
})
