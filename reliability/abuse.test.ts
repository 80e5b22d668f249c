import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixedClock } from '../api/clock'
import { createHoldBackend } from '../api/holds/create-hold-backend'
import type { AvailabilityResponse, PublicBooking, PublicHold } from '../shared/types'
import { createTestApi } from '../test/api'
import { createTestDatabase, type TestDatabase } from '../test/database'
import { everyDay, insertResource } from '../test/fixtures'
import { newSession } from '../test/holds'

/*
 * Abuse limits with the production defaults (30 holds per IP per minute, 2 live holds per
 * session, 60 manage look-ups per IP per minute): slot squatting ("denial of inventory",
 * OWASP OAT-021) and guessing refs and tokens.
 */

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
}, 60_000)
afterAll(() => database?.close())

function setup() {
  const clock = fixedClock('2026-06-01T09:00:00Z')
  const url = process.env.UPSTASH_REDIS_REST_URL
  const token = process.env.UPSTASH_REDIS_REST_TOKEN
  const backend = createHoldBackend({
    upstash: url && token ? { url, token } : undefined,
    holdRateLimitPerMinute: 30,
    manageRateLimitPerMinute: 60,
    clock,
    keyPrefix: `abuse:${randomBytes(4).toString('hex')}:`,
  })
  const api = createTestApi({ db: database.db, clock, trustProxy: true, ...backend })
  const from = (ip: string) => ({ 'X-Forwarded-For': ip })
  return { ...api, clock, from }
}

describe('slot squatting', () => {
  it('stops one client holding a whole day; everyone else can still book the rest', async () => {
    const api = setup()
    // 48 half-hour slots on 2 June (Berlin).
    const r = await insertResource(database.db, { schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 30 }) })
    const day = await api.call<AvailabilityResponse>('GET', `/v1/resources/${r.id}/availability?from=2026-06-02&to=2026-06-02`)
    const slots = day.body.days[0]!.slots
    expect(slots).toHaveLength(48)

    // One session: a new hold on the same resource replaces its last one (a change of mind),
    // so a session holds at most one time per resource, and two resources in all.
    const session = newSession()
    for (const slot of slots.slice(0, 5)) {
      expect((await api.call('POST', '/v1/holds', { session, body: { resourceId: r.id, start: slot.start }, headers: api.from('203.0.113.7') })).status).toBe(201)
    }
    const afterOne = await api.call<AvailabilityResponse>('GET', `/v1/resources/${r.id}/availability?from=2026-06-02&to=2026-06-02`, { session: newSession() })
    expect(afterOne.body.days[0]!.slots).toHaveLength(47)

    // A fresh session per hold: the per-address limit (30 a minute, 5 used above) ends it.
    const rotating: number[] = []
    for (const slot of slots.slice(5)) {
      rotating.push((await api.call('POST', '/v1/holds', { session: newSession(), body: { resourceId: r.id, start: slot.start }, headers: api.from('203.0.113.7') })).status)
    }
    expect(rotating.filter((s) => s === 201)).toHaveLength(25)
    expect(rotating.filter((s) => s === 429)).toHaveLength(slots.length - 5 - 25)

    // Someone else sees the rest of the day free, and books it.
    const seen = await api.call<AvailabilityResponse>('GET', `/v1/resources/${r.id}/availability?from=2026-06-02&to=2026-06-02`, { session: newSession() })
    const free = seen.body.days[0]!.slots
    expect(free.length).toBe(48 - 1 - 25)
    const guest = newSession()
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', { session: guest, body: { resourceId: r.id, start: free.at(-1)!.start }, headers: api.from('198.51.100.20') })
    expect(hold.status).toBe(201)
    const booked = await api.call<{ booking: PublicBooking }>('POST', '/v1/bookings', { session: guest, body: { holdId: hold.body.hold.id, guest: { name: 'Real Guest', email: 'real@example.com' } }, headers: api.from('198.51.100.20') })
    expect(booked.status).toBe(201)
  })
})

describe('guessing refs and tokens', () => {
  it('10,000 probes from one address find no booking data, and are refused with 429 after the threshold', async () => {
    const api = setup()
    const r = await insertResource(database.db, { schedules: everyDay({ startTime: '08:00', endTime: '18:00', slotDuration: 60 }) })
    const session = newSession()
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', { session, body: { resourceId: r.id, start: '2026-06-03T08:00:00Z' }, headers: api.from('198.51.100.30') })
    const real = await api.call<{ booking: PublicBooking; manageToken: string }>('POST', '/v1/bookings', {
      session,
      body: { holdId: hold.body.hold.id, guest: { name: 'Target Person', email: 'target@example.com' } },
      headers: api.from('198.51.100.30'),
    })
    const statuses = new Map<number, number>()
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
    for (let i = 0; i < 10_000; i++) {
      // Every tenth probe aims at the real ref with a made-up token.
      const ref = i % 10 === 0 ? real.body.booking.ref : Array.from(randomBytes(8), (b) => alphabet[b & 31]).join('')
      const res = await api.call<{ booking?: unknown }>('GET', `/v1/bookings/${ref}`, { token: randomBytes(32).toString('base64url'), headers: api.from('203.0.113.99') })
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
      expect(res.text).not.toContain('target@example.com')
    }
    console.log(`probes: ${JSON.stringify(Object.fromEntries(statuses))}`)
    expect(statuses.get(404)).toBe(60)
    expect(statuses.get(429)).toBe(10_000 - 60)
    expect(statuses.get(200)).toBeUndefined()
    // The real guest, from their own address, is unaffected.
    const mine = await api.call<{ booking: PublicBooking }>('GET', `/v1/bookings/${real.body.booking.ref}`, { token: real.body.manageToken, headers: api.from('198.51.100.30') })
    expect(mine.status).toBe(200)
  })
})
