import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { webhookEndpoints } from '../../drizzle/schema'
import type {
  AdminWebhookDeliveriesResponse,
  AdminWebhookEndpointResponse,
  AdminWebhookEndpointsResponse,
} from '../../shared/api-contract'
import type { ErrorBody } from '../../shared/errors'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { createAdminKey } from '../admin/keys'
import { fixedClock } from '../clock'
import type { WebhookSettings } from '../webhooks/deliver-webhooks'

let database: TestDatabase
let key: string
beforeAll(async () => {
  database = await createTestDatabase()
  key = (await createAdminKey(database.db, 'webhook route tests')).key
})
afterAll(() => database?.close())
beforeEach(async () => {
  await database.db.delete(webhookEndpoints)
})

/** Public names resolve to a public address; no test reaches the network. */
const publicDns: WebhookSettings['resolve'] = async (host) => {
  if (host === 'internal.example.com') return ['192.168.0.20']
  return ['93.184.216.34']
}

function setup(webhooks: WebhookSettings = { allowPrivate: false, resolve: publicDns }) {
  const clock = fixedClock('2026-03-20T12:00:00Z')
  const api = createTestApi({ db: database.db, clock, webhooks })
  const admin = <T>(method: string, path: string, body?: unknown) =>
    api.call<T>(method, `/v1/admin/webhooks${path}`, { token: key, ...(body !== undefined ? { body } : {}) })
  return { ...api, admin }
}

const fieldPaths = (res: { body: ErrorBody }) => (res.body.error.details as { path: string }[]).map((d) => d.path)
const fieldMessage = (res: { body: ErrorBody }) => (res.body.error.details as { message: string }[])[0]!.message

describe('admin webhooks', () => {
  it('creates an endpoint with a secret, lists it without, reads it with, changes, rotates and deletes it', async () => {
    const { admin } = setup()
    const created = await admin<AdminWebhookEndpointResponse>('POST', '', {
      url: 'https://hooks.example.com/bookings',
      events: ['booking.cancelled', 'booking.created', 'booking.created'],
      description: ' CRM ',
    })
    expect(created.status).toBe(201)
    const endpoint = created.body.endpoint
    expect(endpoint).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      url: 'https://hooks.example.com/bookings',
      description: 'CRM',
      events: ['booking.created', 'booking.cancelled'],
      secret: expect.stringMatching(/^whsec_[\w-]{43}$/),
      isActive: true,
      disabledAt: null,
      disabledReason: null,
      consecutiveFailures: 0,
      createdAt: expect.any(String),
    })

    const list = await admin<AdminWebhookEndpointsResponse>('GET', '')
    const { secret: _secret, ...withoutSecret } = endpoint
    expect(list.body.endpoints).toEqual([withoutSecret])
    expect(list.text).not.toContain('whsec_')
    expect((await admin<AdminWebhookEndpointResponse>('GET', `/${endpoint.id}`)).body.endpoint).toEqual(endpoint)

    const changed = await admin<AdminWebhookEndpointResponse>('PATCH', `/${endpoint.id}`, {
      events: ['payment.refunded'],
      description: null,
      isActive: false,
    })
    expect(changed.status).toBe(200)
    expect(changed.body.endpoint).toMatchObject({ events: ['payment.refunded'], description: null, isActive: false })

    const rotated = await admin<AdminWebhookEndpointResponse>('POST', `/${endpoint.id}/rotate-secret`)
    expect(rotated.body.endpoint.secret).toMatch(/^whsec_/)
    expect(rotated.body.endpoint.secret).not.toBe(endpoint.secret)

    expect((await admin('DELETE', `/${endpoint.id}`)).status).toBe(200)
    expect((await admin('GET', `/${endpoint.id}`)).status).toBe(404)
    expect((await admin<AdminWebhookEndpointsResponse>('GET', '')).body.endpoints).toEqual([])
  })

  it('refuses bad bodies with 400 invalid_request and the field paths', async () => {
    const { admin } = setup()
    const bad = await admin<ErrorBody>('POST', '', { url: 'nope', events: ['booking.exploded'], extra: 1 })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('invalid_request')
    expect(fieldPaths(bad)).toEqual(expect.arrayContaining(['url', 'events.0']))
    const none = await admin<ErrorBody>('POST', '', { url: 'https://hooks.example.com', events: [] })
    expect(fieldPaths(none)).toEqual(['events'])
    const created = await admin<AdminWebhookEndpointResponse>('POST', '', {
      url: 'https://hooks.example.com',
      events: ['booking.created'],
    })
    const empty = await admin<ErrorBody>('PATCH', `/${created.body.endpoint.id}`, {})
    expect(empty.status).toBe(400)
    expect((await admin<ErrorBody>('POST', '', 'not json')).status).toBe(400)
  })

  it.each([
    ['http://hooks.example.com/x', /must use https/],
    ['http://127.0.0.1:8080/x', /must use https/],
    ['https://10.0.0.8/x', /private address/],
    ['https://169.254.169.254/latest', /link-local address/],
    ['https://192.168.1.1/x', /private address/],
    ['https://internal.example.com/x', /private address \(internal\.example\.com is 192\.168\.0\.20\)/],
  ])('refuses %s (400, field url) unless private addresses are allowed', async (url, reason) => {
    const { admin } = setup()
    const res = await admin<ErrorBody>('POST', '', { url, events: ['booking.created'] })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('invalid_request')
    expect(fieldPaths(res)).toEqual(['url'])
    expect(fieldMessage(res)).toMatch(reason)
  })

  it('allows http://127.0.0.1 with WEBHOOK_ALLOW_PRIVATE, and checks a changed URL too', async () => {
    const open = setup({ allowPrivate: true })
    const created = await open.admin<AdminWebhookEndpointResponse>('POST', '', {
      url: 'http://127.0.0.1:9/hooks',
      events: ['booking.created'],
    })
    expect(created.status).toBe(201)
    const strict = setup()
    const moved = await strict.admin<ErrorBody>('PATCH', `/${created.body.endpoint.id}`, { url: 'https://10.1.1.1/' })
    expect(moved.status).toBe(400)
    expect(fieldPaths(moved)).toEqual(['url'])
  })

  it('answers 404 not_found for an unknown endpoint or delivery, and 401 without the admin key', async () => {
    const { admin, call } = setup()
    const unknown = crypto.randomUUID()
    for (const [method, path] of [
      ['GET', `/${unknown}`],
      ['PATCH', `/${unknown}`],
      ['DELETE', `/${unknown}`],
      ['POST', `/${unknown}/rotate-secret`],
      ['GET', `/${unknown}/deliveries`],
      ['POST', `/${unknown}/test`],
      ['POST', `/not-a-uuid/test`],
    ] as const) {
      const res = await admin<ErrorBody>(method, path, method === 'PATCH' ? { isActive: true } : undefined)
      expect([method, path, res.status, res.body.error.code]).toEqual([method, path, 404, 'not_found'])
    }
    expect((await call('GET', '/v1/admin/webhooks')).status).toBe(401)
  })

  it('queues a test ping and lists it among the deliveries, newest first', async () => {
    const { admin } = setup()
    const created = await admin<AdminWebhookEndpointResponse>('POST', '', {
      url: 'https://hooks.example.com',
      events: ['booking.created'],
    })
    const id = created.body.endpoint.id
    await admin('POST', `/${id}/test`)
    await admin('POST', `/${id}/test`)
    const log = await admin<AdminWebhookDeliveriesResponse>('GET', `/${id}/deliveries`)
    expect(log.status).toBe(200)
    expect(log.body.deliveries).toHaveLength(2)
    expect(log.body.deliveries[0]).toEqual({
      id: expect.any(String),
      eventId: expect.stringMatching(/^evt_[0-9a-f-]{36}$/),
      event: 'ping',
      bookingId: null,
      sequence: expect.any(Number),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: '2026-03-20T12:00:00.000Z',
      lastStatusCode: null,
      lastLatencyMs: null,
      lastError: null,
      deliveredAt: null,
      createdAt: '2026-03-20T12:00:00.000Z',
    })
    expect(log.body.deliveries[0]!.sequence).toBeGreaterThan(log.body.deliveries[1]!.sequence)
  })
})
