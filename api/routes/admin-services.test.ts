import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { serviceParts } from '../../drizzle/schema'
import type { AdminServiceResponse, AdminServicesResponse } from '../../shared/api-contract'
import type { ErrorBody } from '../../shared/errors'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { insertPool, insertResource, uniqueSlug } from '../../test/fixtures'
import { createTestHoldBackend } from '../../test/holds'
import { createAdminKey } from '../admin/keys'
import { fixedClock } from '../clock'

/*
 * The owner's services through the admin API: create, read, list, change (the parts replaced
 * as a whole), deactivate, and every refusal with the path of the field at fault.
 */

let database: TestDatabase
let key: string
beforeAll(async () => {
  database = await createTestDatabase()
  key = (await createAdminKey(database.db, 'service tests')).key
})
afterAll(() => database?.close())

function setup() {
  const clock = fixedClock('2026-03-20T12:00:00Z')
  const api = createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds })
  const admin = <T>(method: string, path: string, body?: unknown) =>
    api.call<T>(method, `/v1/admin${path}`, { token: key, ...(body !== undefined ? { body } : {}) })
  return { ...api, admin }
}

const fieldPaths = (res: { body: ErrorBody }) => (res.body.error.details as { path: string }[]).map((d) => d.path)

async function spa() {
  const db = database.db
  const anna = await insertResource(db, { type: 'therapist', name: 'Anna', timezone: 'Europe/Madrid' })
  const ben = await insertResource(db, { type: 'therapist', name: 'Ben' })
  const room1 = await insertResource(db, { name: 'Room 1' })
  const room2 = await insertResource(db, { name: 'Room 2' })
  const rooms = await insertPool(db, { name: 'Any room', members: [room1.id, room2.id] })
  return { anna, ben, room1, room2, rooms }
}

describe('admin services', () => {
  it('creates a service (parts by id or slug, in order), reads, lists, changes and deactivates it', async () => {
    const { admin, call } = setup()
    const { anna, ben, rooms } = await spa()
    const slug = uniqueSlug('svc')
    const created = await admin<AdminServiceResponse>('POST', '/services', {
      slug,
      name: 'Massage with room',
      parts: [{ resourceId: anna.slug, label: 'Therapist' }, { poolId: rooms.slug }],
    })
    expect(created.status, created.text).toBe(201)
    const service = created.body.service
    expect(service).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      slug,
      name: 'Massage with room',
      // The lead's zone when none is given.
      timezone: 'Europe/Madrid',
      isActive: true,
      createdAt: expect.any(String),
      parts: [
        { position: 0, resourceId: anna.id, label: 'Therapist', name: 'Anna' },
        { position: 1, poolId: rooms.id, name: 'Any room' },
      ],
    })
    expect((await admin<AdminServiceResponse>('GET', `/services/${service.id}`)).body.service).toEqual(service)
    const list = await admin<AdminServicesResponse>('GET', '/services')
    expect(list.body.services.find((s) => s.id === service.id)).toEqual(service)

    const changed = await admin<AdminServiceResponse>('PATCH', `/services/${service.id}`, {
      name: 'Massage',
      timezone: 'Europe/Berlin',
      parts: [{ poolId: rooms.id, label: 'Room' }, { resourceId: ben.id }, { resourceId: anna.id }],
    })
    expect(changed.status, changed.text).toBe(200)
    expect(changed.body.service).toMatchObject({
      name: 'Massage',
      timezone: 'Europe/Berlin',
      parts: [
        { position: 0, poolId: rooms.id, label: 'Room', name: 'Any room' },
        { position: 1, resourceId: ben.id, name: 'Ben' },
        { position: 2, resourceId: anna.id, name: 'Anna' },
      ],
    })
    const rows = await database.db.select().from(serviceParts).where(eq(serviceParts.serviceId, service.id))
    expect(rows.map((r) => r.position).sort()).toEqual([0, 1, 2])

    expect((await call('GET', `/v1/services/${slug}`)).status).toBe(200)
    const gone = await admin<AdminServiceResponse>('DELETE', `/services/${service.id}`)
    expect([gone.status, gone.body.service.isActive]).toEqual([200, false])
    expect((await call('GET', `/v1/services/${slug}`)).status).toBe(404)
    const back = await admin<AdminServiceResponse>('PATCH', `/services/${service.id}`, { isActive: true })
    expect(back.body.service.isActive).toBe(true)
    expect((await call('GET', `/v1/services/${slug}`)).status).toBe(200)
  })

  it('refuses bad parts with the path of the part at fault', async () => {
    const { admin } = setup()
    const { anna, ben, room1, rooms } = await spa()
    const inactive = await insertResource(database.db, { name: 'Old', isActive: false })
    const closedPool = await insertPool(database.db, { isActive: false, members: [ben.id] })
    const post = (parts: unknown[], extra: Record<string, unknown> = {}) =>
      admin<ErrorBody>('POST', '/services', { slug: uniqueSlug('svc'), name: 'S', parts, ...extra })
    const cases: [unknown[], string][] = [
      [[{ resourceId: anna.id }], 'parts'],
      [Array.from({ length: 9 }, () => ({ resourceId: anna.id })), 'parts'],
      [[{ resourceId: anna.id }, { resourceId: ben.id, poolId: rooms.id }], 'parts.1.resourceId'],
      [[{ resourceId: anna.id }, {}], 'parts.1.resourceId'],
      [[{ resourceId: anna.id }, { resourceId: anna.id }], 'parts.1.resourceId'],
      // An id and a slug of one resource.
      [[{ resourceId: anna.id }, { resourceId: anna.slug }], 'parts.1.resourceId'],
      [[{ resourceId: anna.id }, { resourceId: 'no-such-thing' }], 'parts.1.resourceId'],
      [[{ resourceId: anna.id }, { poolId: 'no-such-pool' }], 'parts.1.poolId'],
      [[{ resourceId: anna.id }, { resourceId: inactive.id }], 'parts.1.resourceId'],
      [[{ resourceId: anna.id }, { poolId: closedPool.id }], 'parts.1.poolId'],
      // A pool and one of its members both.
      [[{ resourceId: room1.id }, { poolId: rooms.id }], 'parts.0.resourceId'],
      [[{ resourceId: anna.id }, { poolId: rooms.id }, { poolId: rooms.slug }], 'parts.2.poolId'],
    ]
    for (const [parts, path] of cases) {
      const res = await post(parts)
      expect([res.status, res.body.error.code], JSON.stringify(parts)).toEqual([400, 'invalid_request'])
      expect(fieldPaths(res), JSON.stringify(parts)).toContain(path)
    }
    const parts = [{ resourceId: anna.id }, { poolId: rooms.id }]
    const badSlug = await post(parts, { slug: 'Not A Slug' })
    expect(fieldPaths(badSlug)).toContain('slug')
    const badZone = await post(parts, { timezone: 'Mars/Olympus' })
    expect(fieldPaths(badZone)).toContain('timezone')
    const extra = await post(parts, { price: 1 })
    expect(badSlug.status + badZone.status + extra.status).toBe(1200)
  })

  it('answers a taken slug on `slug`, an unknown service with 404, and an empty change with 400', async () => {
    const { admin } = setup()
    const { anna, rooms } = await spa()
    const slug = uniqueSlug('svc')
    const parts = [{ resourceId: anna.id }, { poolId: rooms.id }]
    expect((await admin('POST', '/services', { slug, name: 'One', parts })).status).toBe(201)
    const again = await admin<ErrorBody>('POST', '/services', { slug, name: 'Two', parts })
    expect([again.status, fieldPaths(again)]).toEqual([400, ['slug']])
    const other = await admin<AdminServiceResponse>('POST', '/services', { slug: uniqueSlug('svc'), name: 'T', parts })
    const clash = await admin<ErrorBody>('PATCH', `/services/${other.body.service.id}`, { slug })
    expect([clash.status, fieldPaths(clash)]).toEqual([400, ['slug']])
    const empty = await admin<ErrorBody>('PATCH', `/services/${other.body.service.id}`, {})
    expect(empty.status).toBe(400)
    const badParts = await admin<ErrorBody>('PATCH', `/services/${other.body.service.id}`, {
      parts: [{ resourceId: anna.id }, { resourceId: anna.id }],
    })
    expect(fieldPaths(badParts)).toContain('parts.1.resourceId')
    for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) {
      const res = await admin<ErrorBody>('GET', `/services/${id}`)
      expect([res.status, res.body.error.code]).toEqual([404, 'not_found'])
    }
    expect((await setup().call('GET', '/v1/admin/services')).status).toBe(401)
  })

  it('serialises two owners replacing one service’s parts at once', async () => {
    const { admin } = setup()
    const { anna, ben, room1, room2 } = await spa()
    const created = await admin<AdminServiceResponse>('POST', '/services', {
      slug: uniqueSlug('svc'),
      name: 'S',
      parts: [{ resourceId: anna.id }, { resourceId: room1.id }],
    })
    const id = created.body.service.id
    const lists = Array.from({ length: 10 }, (_, i) =>
      i % 2 === 0
        ? [{ resourceId: anna.id }, { resourceId: room1.id }, { resourceId: room2.id }]
        : [{ resourceId: ben.id }, { resourceId: room2.id }],
    )
    const results = await Promise.all(lists.map((parts) => admin('PATCH', `/services/${id}`, { parts })))
    expect(results.map((r) => r.status)).toEqual(lists.map(() => 200))
    const rows = await database.db.select().from(serviceParts).where(eq(serviceParts.serviceId, id))
    expect([2, 3]).toContain(rows.length)
    expect(rows.map((r) => r.position).sort()).toEqual(rows.map((_, i) => i))
  })
})
