import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ErrorBody } from '../shared/errors'
import type { PublicBooking, PublicHold } from '../shared/types'
import { createTestApi } from '../test/api'
import { createTestDatabase, type TestDatabase } from '../test/database'
import { everyDay, insertResource } from '../test/fixtures'
import { createTestHoldBackend, newSession } from '../test/holds'
import { fixedClock } from './clock'
import { createMemoryRateLimiter } from './rate-limit/rate-limiter'

/*
 * What a guest's link opens (a booking, a series, a waitlist entry) is guarded alike: a wrong
 * token answers exactly like an unknown ref, and one per-address budget covers every kind, so
 * guessing is slowed whichever door is tried.
 */

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.close()
})

const NOW = '2026-03-20T12:00:00Z'

describe('the guard on guests’ links', () => {
  it('answers a wrong token like an unknown ref, and shares one budget across bookings, series and waitlist entries', async () => {
    const clock = fixedClock(NOW)
    const api = createTestApi({
      db: database.db,
      clock,
      holds: createTestHoldBackend(clock).holds,
      manageRateLimiter: createMemoryRateLimiter(clock, { limit: 5, windowMs: 60_000 }),
    })
    const r = await insertResource(database.db, {
      schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
    })
    const session = newSession()
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId: r.id, start: '2026-03-24T09:00:00Z' },
    })
    const made = await api.call<{ booking: PublicBooking; manageToken: string }>('POST', '/v1/bookings', {
      session,
      body: { holdId: hold.body.hold.id, guest: { name: 'Ada Lovelace', email: 'ada@example.com' } },
    })
    expect(made.status).toBe(201)
    const { ref } = made.body.booking

    const wrong = await api.call<ErrorBody>('GET', `/v1/bookings/${ref}`, { token: 'not-the-token' })
    const unknown = await api.call<ErrorBody>('GET', '/v1/bookings/ZZZZ9999', { token: made.body.manageToken })
    expect([wrong.status, unknown.status]).toEqual([404, 404])
    expect(wrong.body).toEqual(unknown.body)
    expect(wrong.body.error).toMatchObject({ code: 'not_found', message: 'No booking with this reference.' })
    const series = await api.call<ErrorBody>('GET', '/v1/series/QQQQ2222', { token: 'guess' })
    expect([series.status, series.body.error.message]).toEqual([404, 'No series with this reference.'])
    const entry = await api.call<ErrorBody>('GET', '/v1/waitlist/WQQQQ2222', { token: 'guess' })
    expect([entry.status, entry.body.error.message]).toEqual([404, 'No waitlist entry with this reference.'])
    // The fifth look-up of the minute is still answered; the sixth, whatever it asks, is not.
    expect((await api.call('GET', `/v1/bookings/${ref}`, { token: made.body.manageToken })).status).toBe(200)
    const limited = await api.call<ErrorBody>('GET', `/v1/bookings/${ref}`, { token: made.body.manageToken })
    expect([limited.status, limited.body.error.code]).toEqual([429, 'rate_limited'])
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
    // A minute later the address may look again.
    clock.set(Date.parse(NOW) + 61_000)
    expect((await api.call('GET', `/v1/bookings/${ref}`, { token: made.body.manageToken })).status).toBe(200)
  })
})
