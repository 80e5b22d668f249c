import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ErrorBody } from '../../shared/errors'
import type { ResourceConfig } from '../../shared/schemas'
import type { AvailabilityResponse, PublicHold } from '../../shared/types'
import { fixedClock } from '../clock'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertBooking, insertResource } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'
import type { RateLimiter } from '../holds/hold-store'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.close()
})

const NOW = '2026-03-20T12:00:00Z'
// Berlin is UTC+1 until 29 March: 09:00–12:00 local is 08:00Z–11:00Z.
const SLOT_9 = { start: '2026-03-24T08:00:00.000Z', end: '2026-03-24T09:00:00.000Z' }
const SLOT_10 = { start: '2026-03-24T09:00:00.000Z', end: '2026-03-24T10:00:00.000Z' }

function setup(options: { rateLimitPerMinute?: number; holdRateLimiter?: RateLimiter } = {}) {
  const clock = fixedClock(NOW)
  const backend = createTestHoldBackend(clock, options)
  const api = createTestApi({
    db: database.db,
    clock,
    holds: backend.holds,
    holdRateLimiter: options.holdRateLimiter ?? backend.holdRateLimiter,
  })
  return { ...api, clock }
}

async function room(config: ResourceConfig = {}) {
  return insertResource(database.db, { config, schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }) })
}

describe('POST /v1/holds', () => {
  it('holds an offered slot for the session, with the resource’s TTL', async () => {
    const { call } = setup()
    const r = await room({ holdTtlSec: 300 })
    const res = await call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session: newSession(),
      body: { resourceId: r.slug, start: SLOT_9.start },
    })
    expect(res.status).toBe(201)
    expect(res.body.hold).toEqual({
      id: expect.stringMatching(/\S{16,}/),
      resourceId: r.id,
      start: SLOT_9.start,
      end: SLOT_9.end,
      expiresAt: '2026-03-20T12:05:00.000Z',
    })
  })

  it('refuses a slot another session holds with 409 slot_held, also when only the buffers overlap', async () => {
    const { call } = setup()
    const r = await room({ bufferAfterMin: 15 })
    const first = await call('POST', '/v1/holds', { session: newSession(), body: { resourceId: r.id, ...SLOT_9 } })
    expect(first.status).toBe(201)
    const same = await call<ErrorBody>('POST', '/v1/holds', { session: newSession(), body: { resourceId: r.id, ...SLOT_9 } })
    const next = await call<ErrorBody>('POST', '/v1/holds', { session: newSession(), body: { resourceId: r.id, ...SLOT_10 } })
    expect([same.status, same.body.error.code]).toEqual([409, 'slot_held'])
    expect([next.status, next.body.error.code]).toEqual([409, 'slot_held'])
  })

  it('answers 409 slot_taken for a booked slot and 422 outside_availability for a time not offered', async () => {
    const { call } = setup()
    const r = await room()
    await insertBooking(database.db, { resourceId: r.id, start: SLOT_9.start, end: SLOT_9.end })
    const booked = await call<ErrorBody>('POST', '/v1/holds', { session: newSession(), body: { resourceId: r.id, start: SLOT_9.start } })
    expect([booked.status, booked.body.error.code]).toEqual([409, 'slot_taken'])
    for (const body of [
      { resourceId: r.id, start: '2026-03-24T08:15:00Z' },
      { resourceId: r.id, start: SLOT_10.start, end: '2026-03-24T11:00:00Z' },
      { resourceId: r.id, start: '2026-03-19T08:00:00Z' },
      { resourceId: r.id, start: '2026-03-24T06:00:00Z' },
    ]) {
      const res = await call<ErrorBody>('POST', '/v1/holds', { session: newSession(), body })
      expect([res.status, res.body.error.code], JSON.stringify(body)).toEqual([422, 'outside_availability'])
    }
  })

  it.each([
    ['no session header', undefined, { resourceId: 'x', start: SLOT_9.start }, 'X-Booking-Session'],
    ['a malformed session', 'short', { resourceId: 'x', start: SLOT_9.start }, 'X-Booking-Session'],
    ['no start', newSession(), { resourceId: 'x' }, 'start'],
    ['a start without zone', newSession(), { resourceId: 'x', start: '2026-03-24T08:00:00' }, 'start'],
    ['a non-JSON body', newSession(), '{not json', 'JSON'],
  ])('answers 400 invalid_request for %s', async (_label, session, body, mention) => {
    const { call } = setup()
    const res = await call<ErrorBody>('POST', '/v1/holds', { ...(session ? { session } : {}), body })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('invalid_request')
    expect(JSON.stringify(res.body.error)).toContain(mention)
  })

  it('answers 404 for an unknown resource', async () => {
    const { call } = setup()
    const res = await call<ErrorBody>('POST', '/v1/holds', { session: newSession(), body: { resourceId: 'ghost', start: SLOT_9.start } })
    expect([res.status, res.body.error.code]).toEqual([404, 'not_found'])
  })

  it('moves the session’s hold when it picks another time, freeing the first', async () => {
    const { call } = setup()
    const r = await room()
    const me = newSession()
    const first = await call<{ hold: PublicHold }>('POST', '/v1/holds', { session: me, body: { resourceId: r.id, start: SLOT_9.start } })
    const moved = await call<{ hold: PublicHold }>('POST', '/v1/holds', { session: me, body: { resourceId: r.id, start: SLOT_10.start } })
    expect(moved.status).toBe(201)
    expect(moved.body.hold.id).not.toBe(first.body.hold.id)
    const other = await call('POST', '/v1/holds', { session: newSession(), body: { resourceId: r.id, start: SLOT_9.start } })
    expect(other.status).toBe(201)
  })

  it('limits a session to two live holds (429)', async () => {
    const { call } = setup()
    const me = newSession()
    const rooms = [await room(), await room(), await room()]
    const results = []
    for (const r of rooms) results.push(await call<ErrorBody>('POST', '/v1/holds', { session: me, body: { resourceId: r.id, start: SLOT_9.start } }))
    expect(results.map((r) => r.status)).toEqual([201, 201, 429])
    expect(results[2]?.body.error.code).toBe('rate_limited')
  })

  it('rate-limits hold creation per IP with Retry-After', async () => {
    const { call } = setup({ rateLimitPerMinute: 2 })
    const r = await room()
    const statuses = []
    let last
    for (const start of [SLOT_9.start, SLOT_10.start, '2026-03-24T10:00:00Z']) {
      last = await call<ErrorBody>('POST', '/v1/holds', { session: newSession(), body: { resourceId: r.id, start } })
      statuses.push(last.status)
    }
    expect(statuses).toEqual([201, 201, 429])
    expect(last?.body.error.code).toBe('rate_limited')
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('fails closed with 503 when the rate limiter cannot answer', async () => {
    const broken: RateLimiter = { consume: () => Promise.reject(new Error('ECONNREFUSED')) }
    const { call } = setup({ holdRateLimiter: broken })
    const r = await room()
    const res = await call<ErrorBody>('POST', '/v1/holds', { session: newSession(), body: { resourceId: r.id, start: SLOT_9.start } })
    expect([res.status, res.body.error.code]).toEqual([503, 'unavailable'])
    expect(res.headers.get('retry-after')).toBeTruthy()
  })

  it('lets the slot go when the hold expires', async () => {
    const { call, clock } = setup()
    const r = await room({ holdTtlSec: 60 })
    await call('POST', '/v1/holds', { session: newSession(), body: { resourceId: r.id, start: SLOT_9.start } })
    clock.set('2026-03-20T12:01:01Z')
    const res = await call('POST', '/v1/holds', { session: newSession(), body: { resourceId: r.id, start: SLOT_9.start } })
    expect(res.status).toBe(201)
  })
})

describe('DELETE /v1/holds/:id', () => {
  it('releases only the owner’s hold', async () => {
    const { call } = setup()
    const r = await room()
    const me = newSession()
    const { body } = await call<{ hold: PublicHold }>('POST', '/v1/holds', { session: me, body: { resourceId: r.id, start: SLOT_9.start } })
    const stranger = await call<ErrorBody>('DELETE', `/v1/holds/${body.hold.id}`, { session: newSession() })
    expect(stranger.status).toBe(404)
    const owner = await call('DELETE', `/v1/holds/${body.hold.id}`, { session: me })
    expect(owner.status).toBe(204)
    const again = await call('DELETE', `/v1/holds/${body.hold.id}`, { session: me })
    expect(again.status).toBe(404)
    const other = await call('POST', '/v1/holds', { session: newSession(), body: { resourceId: r.id, start: SLOT_9.start } })
    expect(other.status).toBe(201)
  })
})

describe('availability with holds', () => {
  it('hides other sessions’ holds and shows the session’s own hold as its selection', async () => {
    const { call } = setup()
    const r = await room()
    const me = newSession()
    const { body } = await call<{ hold: PublicHold }>('POST', '/v1/holds', { session: me, body: { resourceId: r.id, start: SLOT_9.start } })
    const path = `/v1/resources/${r.slug}/availability?from=2026-03-24&to=2026-03-24`
    const mine = await call<AvailabilityResponse>('GET', path, { session: me })
    const theirs = await call<AvailabilityResponse>('GET', path, { session: newSession() })
    const anonymous = await call<AvailabilityResponse>('GET', path)
    expect(mine.body.days[0]?.slots.map((s) => s.start)).toContain(SLOT_9.start)
    expect(mine.body.holds).toEqual([body.hold])
    expect(theirs.body.days[0]?.slots.map((s) => s.start)).not.toContain(SLOT_9.start)
    expect(theirs.body.holds).toBeUndefined()
    expect(anonymous.body.days[0]?.slots.map((s) => s.start)).toEqual([SLOT_10.start, '2026-03-24T10:00:00.000Z'])
  })
})
