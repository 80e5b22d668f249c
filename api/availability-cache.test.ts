import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AvailabilityResponse, PublicBooking, PublicHold } from '../shared/types'
import type { Interval } from '../shared/slots/types'
import { createAvailabilityCache, bumpsAvailability, type AvailabilityCaching } from './availability-cache'
import { fixedClock } from './clock'
import { runDueWork } from './due-work'
import { silentLogger } from './logger'
import type { BookedSnapshot } from './store/busy-intervals'
import { createTestApi } from '../test/api'
import { createTestDatabase, type TestDatabase } from '../test/database'
import { everyDay, insertBooking, insertResource } from '../test/fixtures'
import { createTestHoldBackend, newSession } from '../test/holds'

const range: Interval = { start: 0, end: 1_000 }
const snapshot = (intervals: Interval[], validUntil = Infinity): BookedSnapshot => ({ intervals, validUntil })

describe('the availability cache', () => {
  function counting(result: () => BookedSnapshot) {
    let loads = 0
    const load = async () => {
      loads++
      return result()
    }
    return { load, loads: () => loads }
  }

  it('serves one version from one load, and reloads when the version changes', async () => {
    const cache = createAvailabilityCache()
    let data = [{ start: 1, end: 2 }]
    const { load, loads } = counting(() => snapshot(data))
    expect(await cache.booked('r', range, 7, 100, load)).toEqual([{ start: 1, end: 2 }])
    expect(await cache.booked('r', range, 7, 101, load)).toEqual([{ start: 1, end: 2 }])
    expect(loads()).toBe(1)
    data = [{ start: 3, end: 4 }]
    expect(await cache.booked('r', range, 8, 102, load)).toEqual([{ start: 3, end: 4 }])
    expect(loads()).toBe(2)
    // Ranges and resources are separate entries.
    await cache.booked('r', { start: 0, end: 2_000 }, 8, 102, load)
    await cache.booked('other', range, 8, 102, load)
    expect(loads()).toBe(4)
  })

  it('shares one query between concurrent readers of the same version', async () => {
    const cache = createAvailabilityCache()
    const { load, loads } = counting(() => snapshot([]))
    await Promise.all(Array.from({ length: 20 }, () => cache.booked('r', range, 1, 100, load)))
    expect(loads()).toBe(1)
  })

  it('stops serving an entry at the earliest pending expiry it counted, with no write', async () => {
    const cache = createAvailabilityCache()
    const { load, loads } = counting(() => snapshot([{ start: 1, end: 2 }], 500))
    await cache.booked('r', range, 1, 100, load)
    await cache.booked('r', range, 1, 499, load)
    expect(loads()).toBe(1)
    await cache.booked('r', range, 1, 500, load)
    expect(loads()).toBe(2)
  })

  it('never serves a reader whose clock is before the load (an expired pending row may be live for it)', async () => {
    const cache = createAvailabilityCache()
    const { load, loads } = counting(() => snapshot([]))
    await cache.booked('r', range, 1, 100, load)
    await cache.booked('r', range, 1, 99, load)
    expect(loads()).toBe(2)
  })

  it('does not cache without a known version, nor a failed load', async () => {
    const cache = createAvailabilityCache()
    const { load, loads } = counting(() => snapshot([]))
    await cache.booked('r', range, undefined, 100, load)
    await cache.booked('r', range, undefined, 100, load)
    expect(loads()).toBe(2)
    await expect(cache.booked('r', range, 1, 100, () => Promise.reject(new Error('db down')))).rejects.toThrow('db down')
    await cache.booked('r', range, 1, 100, load)
    expect(loads()).toBe(3)
  })

  it('keeps the newer version when a slow reader of an older one finishes last', async () => {
    const cache = createAvailabilityCache()
    const { load, loads } = counting(() => snapshot([]))
    await cache.booked('r', range, 5, 100, load)
    await cache.booked('r', range, 4, 100, load)
    await cache.booked('r', range, 5, 100, load)
    expect(loads()).toBe(2)
  })
})

describe('which requests bump the version', () => {
  it('every write under /v1/ except holds; no read', () => {
    expect(bumpsAvailability('POST', '/v1/bookings')).toBe(true)
    expect(bumpsAvailability('POST', '/v1/bookings/ABC/cancel')).toBe(true)
    expect(bumpsAvailability('POST', '/v1/admin/bookings/x/reschedule')).toBe(true)
    expect(bumpsAvailability('PUT', '/v1/admin/resources/x/schedules')).toBe(true)
    expect(bumpsAvailability('POST', '/v1/webhooks/stripe')).toBe(true)
    expect(bumpsAvailability('POST', '/v1/internal/cron')).toBe(true)
    expect(bumpsAvailability('POST', '/v1/holds')).toBe(false)
    expect(bumpsAvailability('DELETE', '/v1/holds/h1')).toBe(false)
    expect(bumpsAvailability('GET', '/v1/resources/x/availability')).toBe(false)
    expect(bumpsAvailability('GET', '/v1/bookings/ABC')).toBe(false)
  })
})

describe('availability served through the cache', () => {
  let database: TestDatabase
  const clock = fixedClock('2026-03-20T12:00:00Z')
  let api: ReturnType<typeof createTestApi>
  let caching: AvailabilityCaching

  beforeAll(async () => {
    database = await createTestDatabase()
    const backend = createTestHoldBackend(clock)
    caching = { versions: backend.versions, cache: createAvailabilityCache() }
    // The shared counter must exist (a bump starts it), as after any first write.
    await caching.versions.bump()
    api = createTestApi({ db: database.db, clock, holds: backend.holds, availability: caching })
  })
  afterAll(async () => {
    await database?.close()
  })

  const day = '2026-03-25'
  const offered = async (resourceId: string) => {
    const res = await api.call<AvailabilityResponse>('GET', `/v1/resources/${resourceId}/availability?from=${day}&to=${day}&tz=UTC`)
    expect(res.status).toBe(200)
    return res.body.days.flatMap((d) => d.slots.map((s) => s.start))
  }
  const resource = () => insertResource(database.db, { timezone: 'UTC', schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }) })

  it('serves from the cache until a write bumps the version (a row written behind its back stays unseen until then)', async () => {
    const r = await resource()
    expect(await offered(r.id)).toEqual(['2026-03-25T09:00:00.000Z', '2026-03-25T10:00:00.000Z', '2026-03-25T11:00:00.000Z'])
    // Written straight into the table, as no product code does: proves reads are cached.
    await insertBooking(database.db, { resourceId: r.id, start: '2026-03-25T09:00:00Z', end: '2026-03-25T10:00:00Z' })
    expect(await offered(r.id)).toHaveLength(3)
    await caching.versions.bump()
    expect(await offered(r.id)).toEqual(['2026-03-25T10:00:00.000Z', '2026-03-25T11:00:00.000Z'])
  })

  it('a booking, a move and a cancel through the API each show up in the very next read', async () => {
    const r = await resource()
    expect(await offered(r.id)).toHaveLength(3)
    const session = newSession()
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', { session, body: { resourceId: r.id, start: '2026-03-25T10:00:00Z' } })
    expect(hold.status).toBe(201)
    // The session's own hold is its selection; another visitor sees the time held (live, not cached).
    expect(await offered(r.id)).toEqual(['2026-03-25T09:00:00.000Z', '2026-03-25T11:00:00.000Z'])
    const booked = await api.call<{ booking: PublicBooking; manageToken: string }>('POST', '/v1/bookings', {
      session,
      body: { holdId: hold.body.hold.id, guest: { name: 'Ada', email: 'ada@example.com' } },
    })
    expect(booked.status).toBe(201)
    expect(await offered(r.id)).toEqual(['2026-03-25T09:00:00.000Z', '2026-03-25T11:00:00.000Z'])
    const { ref } = booked.body.booking
    const token = booked.body.manageToken
    const moveHold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', { session, body: { resourceId: r.id, start: '2026-03-25T11:00:00Z' } })
    expect(moveHold.status).toBe(201)
    const moved = await api.call('POST', `/v1/bookings/${ref}/reschedule`, { session, token, body: { holdId: moveHold.body.hold.id } })
    expect(moved.status).toBe(200)
    expect(await offered(r.id)).toEqual(['2026-03-25T09:00:00.000Z', '2026-03-25T10:00:00.000Z'])
    const cancelled = await api.call('POST', `/v1/bookings/${ref}/cancel`, { token })
    expect(cancelled.status).toBe(200)
    expect(await offered(r.id)).toHaveLength(3)
  })

  it('an unpaid pending booking stops blocking when its window passes, with no write at all', async () => {
    const r = await resource()
    await insertBooking(database.db, { resourceId: r.id, status: 'pending', start: '2026-03-25T09:00:00Z', end: '2026-03-25T10:00:00Z', expiresAt: '2026-03-20T12:10:00Z' })
    expect(await offered(r.id)).toHaveLength(2)
    clock.set('2026-03-20T12:09:59.999Z')
    expect(await offered(r.id)).toHaveLength(2)
    clock.set('2026-03-20T12:10:00Z')
    expect(await offered(r.id)).toHaveLength(3)
    clock.set('2026-03-20T12:00:00Z')
  })

  it('due work (expiry, payment outcomes) bumps the version', async () => {
    const r = await resource()
    expect(await offered(r.id)).toHaveLength(3)
    await insertBooking(database.db, { resourceId: r.id, start: '2026-03-25T11:00:00Z', end: '2026-03-25T12:00:00Z' })
    await runDueWork({ db: database.db, clock, logger: silentLogger, payments: undefined, availability: caching })
    expect(await offered(r.id)).toHaveLength(2)
  })
})

describe('when the version store fails', () => {
  it('reads bookings uncached and says holds are unavailable; a failed bump drops this process\'s cache', async () => {
    const { readBusy, bumpAvailability } = await import('./availability-cache')
    const cache = createAvailabilityCache()
    let loads = 0
    const load = async () => {
      loads++
      return snapshot([{ start: 1, end: 2 }])
    }
    await cache.booked('r', range, 3, 100, load)
    await cache.booked('r', range, 3, 100, load)
    expect(loads).toBe(1)
    const failing: AvailabilityCaching = {
      versions: { read: () => Promise.reject(new Error('redis down')), bump: () => Promise.reject(new Error('redis down')) },
      cache,
    }
    const errors: unknown[] = []
    await bumpAvailability(failing, (error) => errors.push(error))
    expect(errors).toHaveLength(1)
    await cache.booked('r', range, 3, 100, load)
    expect(loads).toBe(2)

    const database = await createTestDatabase()
    try {
      const r = await insertResource(database.db, { timezone: 'UTC', schedules: everyDay({ startTime: '09:00', endTime: '12:00' }) })
      await insertBooking(database.db, { resourceId: r.id, start: '2026-03-25T09:00:00Z', end: '2026-03-25T10:00:00Z' })
      const backend = createTestHoldBackend(fixedClock('2026-03-20T12:00:00Z'))
      const busy = await readBusy({ db: database.db, holds: backend.holds, availability: failing }, r.id, { start: Date.parse('2026-03-25T00:00:00Z'), end: Date.parse('2026-03-26T00:00:00Z') }, Date.parse('2026-03-20T12:00:00Z'))
      expect(busy).toEqual({ booked: [{ start: Date.parse('2026-03-25T09:00:00Z'), end: Date.parse('2026-03-25T10:00:00Z') }], holds: [], holdsUnavailable: true })
    } finally {
      await database.close()
    }
  })
})
