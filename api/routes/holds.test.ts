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
import { parseTrustProxy, type TrustProxy } from '../client-ip'

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

function setup(
  options: {
    rateLimitPerMinute?: number
    holdRateLimiter?: RateLimiter
    trustProxy?: TrustProxy
    holdsPerClient?: number
  } = {},
) {
  const clock = fixedClock(NOW)
  const backend = createTestHoldBackend(clock, options)
  const api = createTestApi({
    db: database.db,
    clock,
    holds: backend.holds,
    holdRateLimiter: options.holdRateLimiter ?? backend.holdRateLimiter,
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    limits: { holdsPerSession: 2, holdsPerClient: options.holdsPerClient },
  })
  return { ...api, clock }
}

/** 08:00Z on 24 + n March: 09:00 or (from the 29th, summer time) 10:00 in Berlin, offered either way. */
const nineOn = (n: number) => `2026-03-${24 + n}T08:00:00.000Z`

async function room(config: ResourceConfig = {}) {
  return insertResource(database.db, {
    config,
    schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
  })
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
      seats: 1,
    })
  })

  it('refuses a slot another session holds with 409 slot_held, also when only the buffers overlap', async () => {
    const { call } = setup()
    const r = await room({ bufferAfterMin: 15 })
    const first = await call('POST', '/v1/holds', { session: newSession(), body: { resourceId: r.id, ...SLOT_9 } })
    expect(first.status).toBe(201)
    const same = await call<ErrorBody>('POST', '/v1/holds', {
      session: newSession(),
      body: { resourceId: r.id, ...SLOT_9 },
    })
    const next = await call<ErrorBody>('POST', '/v1/holds', {
      session: newSession(),
      body: { resourceId: r.id, ...SLOT_10 },
    })
    expect([same.status, same.body.error.code]).toEqual([409, 'slot_held'])
    expect([next.status, next.body.error.code]).toEqual([409, 'slot_held'])
  })

  it('answers 409 slot_taken for a booked slot and 422 outside_availability for a time not offered', async () => {
    const { call } = setup()
    const r = await room()
    await insertBooking(database.db, { resourceId: r.id, start: SLOT_9.start, end: SLOT_9.end })
    const booked = await call<ErrorBody>('POST', '/v1/holds', {
      session: newSession(),
      body: { resourceId: r.id, start: SLOT_9.start },
    })
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
    const res = await call<ErrorBody>('POST', '/v1/holds', {
      session: newSession(),
      body: { resourceId: 'ghost', start: SLOT_9.start },
    })
    expect([res.status, res.body.error.code]).toEqual([404, 'not_found'])
  })

  it('moves the session’s hold when it picks another time, freeing the first', async () => {
    const { call } = setup()
    const r = await room()
    const me = newSession()
    const first = await call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session: me,
      body: { resourceId: r.id, start: SLOT_9.start },
    })
    const moved = await call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session: me,
      body: { resourceId: r.id, start: SLOT_10.start },
    })
    expect(moved.status).toBe(201)
    expect(moved.body.hold.id).not.toBe(first.body.hold.id)
    const other = await call('POST', '/v1/holds', {
      session: newSession(),
      body: { resourceId: r.id, start: SLOT_9.start },
    })
    expect(other.status).toBe(201)
  })

  it('limits a session to two live holds (429)', async () => {
    const { call } = setup()
    const me = newSession()
    const rooms = [await room(), await room(), await room()]
    const results = []
    for (const r of rooms)
      results.push(
        await call<ErrorBody>('POST', '/v1/holds', { session: me, body: { resourceId: r.id, start: SLOT_9.start } }),
      )
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
    const broken: RateLimiter = {
      consume: () => Promise.reject(new Error('ECONNREFUSED')),
      peek: () => Promise.reject(new Error('ECONNREFUSED')),
    }
    const { call } = setup({ holdRateLimiter: broken })
    const r = await room()
    const res = await call<ErrorBody>('POST', '/v1/holds', {
      session: newSession(),
      body: { resourceId: r.id, start: SLOT_9.start },
    })
    expect([res.status, res.body.error.code]).toEqual([503, 'unavailable'])
    expect(res.headers.get('retry-after')).toBeTruthy()
  })

  it('lets the slot go when the hold expires', async () => {
    const { call, clock } = setup()
    const r = await room({ holdTtlSec: 60 })
    await call('POST', '/v1/holds', { session: newSession(), body: { resourceId: r.id, start: SLOT_9.start } })
    clock.set('2026-03-20T12:01:01Z')
    const res = await call('POST', '/v1/holds', {
      session: newSession(),
      body: { resourceId: r.id, start: SLOT_9.start },
    })
    expect(res.status).toBe(201)
  })
})

describe('POST /v1/holds per client', () => {
  const from = (xff: string) => ({ 'X-Forwarded-For': xff })

  it('keys the per-IP rate on the hop the proxy added, never a spoofed left-most entry, and on the /64 for IPv6', async () => {
    const { call } = setup({ rateLimitPerMinute: 2, trustProxy: parseTrustProxy('1') })
    const r = await room()
    const hold = (n: number, xff: string) =>
      call<ErrorBody>('POST', '/v1/holds', {
        session: newSession(),
        body: { resourceId: r.id, start: nineOn(n) },
        headers: from(xff),
      })
    const spoofed = [
      await hold(0, '1.1.1.1, 203.0.113.7'),
      await hold(1, '2.2.2.2, 203.0.113.7'),
      await hold(2, '3.3.3.3, 203.0.113.7'),
    ]
    expect(spoofed.map((res) => res.status)).toEqual([201, 201, 429])
    const sameSubnet = [
      await hold(3, '2001:db8:1:2::1'),
      await hold(4, '2001:DB8:1:2:0:0:0:2'),
      await hold(5, '2001:db8:1:2:ffff::3'),
    ]
    expect(sameSubnet.map((res) => res.status)).toEqual([201, 201, 429])
    expect((await hold(5, '2001:db8:1:3::1')).status).toBe(201)
  })

  it('caps one client’s live holds across all its sessions, says when to retry, and frees the budget on release and expiry', async () => {
    const { call, clock } = setup({ holdsPerClient: 4, trustProxy: parseTrustProxy('1') })
    const r = await room({ holdTtlSec: 300 })
    const hold = (n: number, xff: string, session = newSession()) =>
      call<{ hold: PublicHold } & ErrorBody>('POST', '/v1/holds', {
        session,
        body: { resourceId: r.id, start: nineOn(n) },
        headers: from(xff),
      })
    const sessions = [newSession(), newSession(), newSession(), newSession()]
    const held = []
    for (const [i, session] of sessions.entries()) {
      clock.set(Date.parse(NOW) + i * 10_000)
      held.push(await hold(i, '203.0.113.7', session))
    }
    expect(held.map((res) => res.status)).toEqual([201, 201, 201, 201])
    clock.set('2026-03-20T12:00:40Z')

    // A fifth session from the same address: refused until the first hold (12:05:00) expires.
    const fifth = await hold(4, '9.9.9.9, 203.0.113.7')
    expect([fifth.status, fifth.body.error.code]).toEqual([429, 'rate_limited'])
    expect(fifth.body.error.message).toMatch(/4/)
    expect(fifth.body.error.details).toMatchObject({ limit: 4, retryAfterSec: 260 })
    expect(fifth.headers.get('retry-after')).toBe('260')

    // Everyone else is unaffected.
    expect((await hold(4, '198.51.100.20')).status).toBe(201)
    // A session moving its own hold does not count twice.
    expect((await hold(5, '203.0.113.7', sessions[0])).status).toBe(201)

    // Releasing one frees a place; taking it fills the budget again.
    expect((await call('DELETE', `/v1/holds/${held[1]!.body.hold.id}`, { session: sessions[1] })).status).toBe(204)
    expect((await hold(6, '203.0.113.7')).status).toBe(201)
    expect((await hold(7, '203.0.113.7')).status).toBe(429)

    // Once the earliest hold lapses (session 0 moved at 12:00:40, so held[2] at 12:00:20 → 12:05:20), there is room.
    clock.set('2026-03-20T12:05:21Z')
    expect((await hold(7, '203.0.113.7')).status).toBe(201)
  })

  it('is off when the limit is not set', async () => {
    const { call } = setup({ trustProxy: parseTrustProxy('1') })
    const r = await room()
    const statuses = []
    for (let n = 0; n < 6; n++)
      statuses.push(
        (
          await call('POST', '/v1/holds', {
            session: newSession(),
            body: { resourceId: r.id, start: nineOn(n) },
            headers: from('203.0.113.7'),
          })
        ).status,
      )
    expect(statuses).toEqual([201, 201, 201, 201, 201, 201])
  })
})

describe('DELETE /v1/holds/:id', () => {
  it('releases only the owner’s hold', async () => {
    const { call } = setup()
    const r = await room()
    const me = newSession()
    const { body } = await call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session: me,
      body: { resourceId: r.id, start: SLOT_9.start },
    })
    const stranger = await call<ErrorBody>('DELETE', `/v1/holds/${body.hold.id}`, { session: newSession() })
    expect(stranger.status).toBe(404)
    const owner = await call('DELETE', `/v1/holds/${body.hold.id}`, { session: me })
    expect(owner.status).toBe(204)
    const again = await call('DELETE', `/v1/holds/${body.hold.id}`, { session: me })
    expect(again.status).toBe(404)
    const other = await call('POST', '/v1/holds', {
      session: newSession(),
      body: { resourceId: r.id, start: SLOT_9.start },
    })
    expect(other.status).toBe(201)
  })
})

describe('availability with holds', () => {
  it('hides other sessions’ holds and shows the session’s own hold as its selection', async () => {
    const { call } = setup()
    const r = await room()
    const me = newSession()
    const { body } = await call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session: me,
      body: { resourceId: r.id, start: SLOT_9.start },
    })
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
