import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixedClock } from '../api/clock'
import { parseTrustProxy } from '../api/client-ip'
import { createAdminKey } from '../api/admin/keys'
import { createHoldBackend } from '../api/holds/create-hold-backend'
import type { ErrorBody } from '../shared/errors'
import type { AvailabilityResponse, PublicBooking, PublicHold } from '../shared/types'
import { createTestApi } from '../test/api'
import { createTestDatabase, type TestDatabase } from '../test/database'
import { everyDay, insertResource } from '../test/fixtures'
import { newSession } from '../test/holds'

/*
 * Abuse limits with the production defaults (30 holds per IP per minute, 2 live holds per
 * session, 4 live holds per client across its sessions, 60 manage look-ups per IP per
 * minute, 10 failed admin sign-ins per IP per 15 minutes): slot squatting ("denial of
 * inventory", OWASP OAT-021) and guessing refs, tokens and admin keys. Behind one trusted
 * proxy, so each request names its client in X-Forwarded-For.
 */

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
}, 60_000)
afterAll(() => database?.close())

function setup(options: { holdRateLimitPerMinute?: number } = {}) {
  const clock = fixedClock('2026-06-01T09:00:00Z')
  const url = process.env.UPSTASH_REDIS_REST_URL
  const token = process.env.UPSTASH_REDIS_REST_TOKEN
  const backend = createHoldBackend({
    upstash: url && token ? { url, token } : undefined,
    holdRateLimitPerMinute: options.holdRateLimitPerMinute ?? 30,
    manageRateLimitPerMinute: 60,
    adminAuthFailureLimit: 10,
    clock,
    keyPrefix: `abuse:${randomBytes(4).toString('hex')}:`,
  })
  const api = createTestApi({
    db: database.db,
    clock,
    trustProxy: parseTrustProxy('1'),
    limits: { holdsPerSession: 2, holdsPerClient: 4 },
    ...backend,
  })
  const from = (ip: string) => ({ 'X-Forwarded-For': ip })
  return { ...api, clock, from }
}

describe('slot squatting', () => {
  it('stops one client holding a whole day; everyone else can still book the rest', async () => {
    const api = setup()
    // 48 half-hour slots on 2 June (Berlin).
    const r = await insertResource(database.db, {
      schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 30 }),
    })
    const day = await api.call<AvailabilityResponse>(
      'GET',
      `/v1/resources/${r.id}/availability?from=2026-06-02&to=2026-06-02`,
    )
    const slots = day.body.days[0]!.slots
    expect(slots).toHaveLength(48)

    // One session: a new hold on the same resource replaces its last one (a change of mind),
    // so a session holds at most one time per resource, and two resources in all.
    const session = newSession()
    for (const slot of slots.slice(0, 5)) {
      expect(
        (
          await api.call('POST', '/v1/holds', {
            session,
            body: { resourceId: r.id, start: slot.start },
            headers: api.from('203.0.113.7'),
          })
        ).status,
      ).toBe(201)
    }
    const afterOne = await api.call<AvailabilityResponse>(
      'GET',
      `/v1/resources/${r.id}/availability?from=2026-06-02&to=2026-06-02`,
      { session: newSession() },
    )
    expect(afterOne.body.days[0]!.slots).toHaveLength(47)

    // A fresh session per hold, with a made-up address in front: the client's live-hold cap
    // (4, one used above) ends it, and the per-address rate (30 a minute) would next.
    const rotating: number[] = []
    for (const slot of slots.slice(5)) {
      rotating.push(
        (
          await api.call('POST', '/v1/holds', {
            session: newSession(),
            body: { resourceId: r.id, start: slot.start },
            headers: api.from(`10.9.${rotating.length}.1, 203.0.113.7`),
          })
        ).status,
      )
    }
    expect(rotating.filter((s) => s === 201)).toHaveLength(3)
    expect(rotating.filter((s) => s === 429)).toHaveLength(slots.length - 5 - 3)

    // Someone else sees the rest of the day free, and books it.
    const seen = await api.call<AvailabilityResponse>(
      'GET',
      `/v1/resources/${r.id}/availability?from=2026-06-02&to=2026-06-02`,
      { session: newSession() },
    )
    const free = seen.body.days[0]!.slots
    expect(free.length).toBe(48 - 4)
    const guest = newSession()
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session: guest,
      body: { resourceId: r.id, start: free.at(-1)!.start },
      headers: api.from('198.51.100.20'),
    })
    expect(hold.status).toBe(201)
    const booked = await api.call<{ booking: PublicBooking }>('POST', '/v1/bookings', {
      session: guest,
      body: { holdId: hold.body.hold.id, guest: { name: 'Real Guest', email: 'real@example.com' } },
      headers: api.from('198.51.100.20'),
    })
    expect(booked.status).toBe(201)
  })
})

describe('one client, many sessions', () => {
  const day = (api: ReturnType<typeof setup>, resourceId: string) =>
    api.call<AvailabilityResponse>('GET', `/v1/resources/${resourceId}/availability?from=2026-06-02&to=2026-06-02`, {
      session: newSession(),
    })
  const hold = (
    api: ReturnType<typeof setup>,
    resourceId: string,
    start: string,
    xff: string,
    session = newSession(),
  ) =>
    api.call<{ hold: PublicHold } & ErrorBody>('POST', '/v1/holds', {
      session,
      body: { resourceId, start },
      headers: api.from(xff),
    })

  it('100 sessions from one IP on 100 slots hold 4; other IPs hold and book the rest; release and expiry free the budget', async () => {
    // Without the per-minute rate, to show the live-hold cap stands on its own.
    const api = setup({ holdRateLimitPerMinute: 0 })
    const r = await insertResource(database.db, {
      schedules: everyDay({ startTime: '00:00', endTime: '16:40', slotDuration: 10 }),
    })
    const slots = (await day(api, r.id)).body.days[0]!.slots
    expect(slots).toHaveLength(100)

    // All at once, each from a new session, each with a different forged hop in front.
    const squatter = '203.0.113.66'
    const attempts = await Promise.all(
      slots.map((slot, i) => hold(api, r.id, slot.start, `198.18.${i}.1, ${squatter}`)),
    )
    const won = attempts.filter((a) => a.status === 201)
    expect(won).toHaveLength(4)
    const refused = attempts.filter((a) => a.status === 429)
    expect(refused).toHaveLength(96)
    expect(refused[0]!.body.error).toMatchObject({ code: 'rate_limited', details: { limit: 4 } })
    expect(Number(refused[0]!.headers.get('retry-after'))).toBe(600)
    expect((await day(api, r.id)).body.days[0]!.slots).toHaveLength(96)

    // 95 other visitors hold all but one of the rest; three of them book.
    const open = (await day(api, r.id)).body.days[0]!.slots
    const others = await Promise.all(
      open.slice(0, 95).map(async (slot, i) => {
        const session = newSession()
        return {
          session,
          ip: `198.51.100.${i + 1}`,
          res: await hold(api, r.id, slot.start, `198.51.100.${i + 1}`, session),
        }
      }),
    )
    expect(others.filter((o) => o.res.status === 201)).toHaveLength(95)
    for (const o of others.slice(0, 3)) {
      const booked = await api.call('POST', '/v1/bookings', {
        session: o.session,
        body: { holdId: o.res.body.hold.id, guest: { name: 'Real Guest', email: 'real@example.com' } },
        headers: api.from(o.ip),
      })
      expect(booked.status).toBe(201)
    }
    const last = (await day(api, r.id)).body.days[0]!.slots
    expect(last).toHaveLength(1)

    // The squatter cannot take the last one either.
    expect((await hold(api, r.id, last[0]!.start, squatter)).status).toBe(429)

    // Ten minutes on, every hold has lapsed (bookings stay): the squatter again gets four.
    const mine = won[0]!.body.hold
    api.clock.set('2026-06-01T09:10:00Z')
    const again = (await day(api, r.id)).body.days[0]!.slots
    expect(again).toHaveLength(97)
    expect(again.map((s) => s.start)).toContain(mine.start)
    const second = []
    for (const slot of again.slice(0, 5)) second.push((await hold(api, r.id, slot.start, squatter)).status)
    expect(second).toEqual([201, 201, 201, 201, 429])
  })

  it('a released hold returns to the client’s budget', async () => {
    const api = setup({ holdRateLimitPerMinute: 0 })
    const r = await insertResource(database.db, {
      schedules: everyDay({ startTime: '08:00', endTime: '16:00', slotDuration: 60 }),
    })
    const slots = (await day(api, r.id)).body.days[0]!.slots
    const sessions = slots.map(() => newSession())
    const results = []
    for (const [i, slot] of slots.slice(0, 5).entries())
      results.push(await hold(api, r.id, slot.start, '203.0.113.67', sessions[i]))
    expect(results.map((x) => x.status)).toEqual([201, 201, 201, 201, 429])
    expect(
      (
        await api.call('DELETE', `/v1/holds/${results[0]!.body.hold.id}`, {
          session: sessions[0],
          headers: api.from('203.0.113.67'),
        })
      ).status,
    ).toBe(204)
    expect((await hold(api, r.id, slots[4]!.start, '203.0.113.67', sessions[4])).status).toBe(201)
    expect((await hold(api, r.id, slots[5]!.start, '203.0.113.67', sessions[5])).status).toBe(429)
  })

  it('an IPv6 client rotating addresses inside its /64 is one client', async () => {
    const api = setup({ holdRateLimitPerMinute: 0 })
    const r = await insertResource(database.db, {
      schedules: everyDay({ startTime: '08:00', endTime: '16:00', slotDuration: 60 }),
    })
    const slots = (await day(api, r.id)).body.days[0]!.slots
    const statuses = []
    for (const [i, slot] of slots.entries())
      statuses.push((await hold(api, r.id, slot.start, `2001:db8:bad:1:${(i * 7919).toString(16)}::${i + 1}`)).status)
    expect(statuses.filter((s) => s === 201)).toHaveLength(4)
    expect((await hold(api, r.id, slots.at(-1)!.start, '2001:db8:bad:2::1')).status).toBe(201)
  })
})

describe('guessing refs and tokens', () => {
  it('10,000 probes from one address find no booking data, and are refused with 429 after the threshold', async () => {
    const api = setup()
    const r = await insertResource(database.db, {
      schedules: everyDay({ startTime: '08:00', endTime: '18:00', slotDuration: 60 }),
    })
    const session = newSession()
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId: r.id, start: '2026-06-03T08:00:00Z' },
      headers: api.from('198.51.100.30'),
    })
    const real = await api.call<{ booking: PublicBooking; manageToken: string }>('POST', '/v1/bookings', {
      session,
      body: { holdId: hold.body.hold.id, guest: { name: 'Target Person', email: 'target@example.com' } },
      headers: api.from('198.51.100.30'),
    })
    const statuses = new Map<number, number>()
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
    const startedAt = Date.now()
    for (let i = 0; i < 10_000; i++) {
      // Every tenth probe aims at the real ref with a made-up token.
      const ref = i % 10 === 0 ? real.body.booking.ref : Array.from(randomBytes(8), (b) => alphabet[b & 31]).join('')
      const res = await api.call<{ booking?: unknown }>('GET', `/v1/bookings/${ref}`, {
        token: randomBytes(32).toString('base64url'),
        headers: api.from('203.0.113.99'),
      })
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
      expect(res.text).not.toContain('target@example.com')
    }
    const endedAt = Date.now()
    console.log(`probes: ${JSON.stringify(Object.fromEntries(statuses))} in ${endedAt - startedAt} ms`)
    // 60 a minute. Within one clock minute that is exactly 60 answers. The shared (Redis)
    // limiter slides: once the run crosses into the next minute, the last minute's count
    // weighs less as that minute goes on, so about one more look-up per second passed is let
    // through — never a burst.
    const firstMinuteEnds = (Math.floor(startedAt / 60_000) + 1) * 60_000
    const secondsPastFirstMinute = Math.max(0, Math.ceil((endedAt - firstMinuteEnds) / 1000))
    expect(statuses.get(404)).toBeGreaterThanOrEqual(60)
    expect(statuses.get(404)).toBeLessThanOrEqual(60 + secondsPastFirstMinute)
    expect((statuses.get(404) ?? 0) + (statuses.get(429) ?? 0)).toBe(10_000)
    expect(statuses.get(200)).toBeUndefined()
    // The real guest, from their own address, is unaffected.
    const mine = await api.call<{ booking: PublicBooking }>('GET', `/v1/bookings/${real.body.booking.ref}`, {
      token: real.body.manageToken,
      headers: api.from('198.51.100.30'),
    })
    expect(mine.status).toBe(200)
  })

  it('1,000 admin key guesses from one address: 10 are checked, the rest refused with 429 — the right key too; the owner elsewhere is unaffected', async () => {
    const api = setup()
    const { key } = await createAdminKey(database.db, 'abuse owner')
    const statuses = new Map<number, number>()
    for (let i = 0; i < 1000; i++) {
      const guess = `bka_${key.slice(4, 12)}_${randomBytes(32).toString('base64url')}`
      const res = await api.call('GET', '/v1/admin/resources', {
        token: guess,
        headers: api.from(`10.${i & 255}.0.1, 203.0.113.98`),
      })
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
    }
    expect(Object.fromEntries(statuses)).toEqual({ 401: 10, 429: 990 })
    const lockedOut = await api.call('GET', '/v1/admin/resources', { token: key, headers: api.from('203.0.113.98') })
    expect(lockedOut.status).toBe(429)
    expect(Number(lockedOut.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(
      (await api.call('GET', '/v1/admin/resources', { token: key, headers: api.from('198.51.100.31') })).status,
    ).toBe(200)
  })
})
