import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AvailabilityResponse, PublicBooking, PublicHold } from '../shared/types'
import type { Interval } from '../shared/slots/types'
import {
  createAvailabilityCache,
  bumpsAvailability,
  type AvailabilityCaching,
  type AvailabilityVersions,
} from './availability-cache'
import {
  createAnswerCache,
  createSharedVersionReads,
  slotsValidUntil,
  type BuiltAnswer,
  type VersionRead,
} from './availability-answers'
import { computeSlots, type ComputeSlotsInput } from '../shared/slots/compute-slots'
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
  function counting<T extends Interval = Interval>(result: () => BookedSnapshot<T>) {
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

  it('keeps bookings with their places apart from plain intervals of the same resource and range', async () => {
    const cache = createAvailabilityCache()
    const plain = counting(() => snapshot([{ start: 1, end: 2 }]))
    const seats = counting(() => ({ intervals: [{ start: 1, end: 2, seats: 3 }], validUntil: Infinity }))
    expect(await cache.booked('r', range, 1, 100, plain.load)).toEqual([{ start: 1, end: 2 }])
    expect((await cache.seatSnapshot!('r', range, 1, 100, seats.load)).intervals).toEqual([
      { start: 1, end: 2, seats: 3 },
    ])
    expect((await cache.seatSnapshot!('r', range, 1, 101, seats.load)).intervals).toEqual([
      { start: 1, end: 2, seats: 3 },
    ])
    expect(await cache.booked('r', range, 1, 101, plain.load)).toEqual([{ start: 1, end: 2 }])
    expect([plain.loads(), seats.loads()]).toEqual([1, 1])
    await cache.seatSnapshot!('r', range, 2, 102, seats.load)
    expect(seats.loads()).toBe(2)
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
    await expect(cache.booked('r', range, 1, 100, () => Promise.reject(new Error('db down')))).rejects.toThrow(
      'db down',
    )
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
    expect(bumpsAvailability('POST', '/v1/pools/physios/holds')).toBe(false)
    expect(bumpsAvailability('POST', '/v1/admin/pools/x/members')).toBe(true)
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
    const res = await api.call<AvailabilityResponse>(
      'GET',
      `/v1/resources/${resourceId}/availability?from=${day}&to=${day}&tz=UTC`,
    )
    expect(res.status).toBe(200)
    return res.body.days.flatMap((d) => d.slots.map((s) => s.start))
  }
  const resource = () =>
    insertResource(database.db, {
      timezone: 'UTC',
      schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
    })

  it('serves from the cache until a write bumps the version (a row written behind its back stays unseen until then)', async () => {
    const r = await resource()
    expect(await offered(r.id)).toEqual([
      '2026-03-25T09:00:00.000Z',
      '2026-03-25T10:00:00.000Z',
      '2026-03-25T11:00:00.000Z',
    ])
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
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId: r.id, start: '2026-03-25T10:00:00Z' },
    })
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
    const moveHold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId: r.id, start: '2026-03-25T11:00:00Z' },
    })
    expect(moveHold.status).toBe(201)
    const moved = await api.call('POST', `/v1/bookings/${ref}/reschedule`, {
      session,
      token,
      body: { holdId: moveHold.body.hold.id },
    })
    expect(moved.status).toBe(200)
    expect(await offered(r.id)).toEqual(['2026-03-25T09:00:00.000Z', '2026-03-25T10:00:00.000Z'])
    const cancelled = await api.call('POST', `/v1/bookings/${ref}/cancel`, { token })
    expect(cancelled.status).toBe(200)
    expect(await offered(r.id)).toHaveLength(3)
  })

  it('an unpaid pending booking stops blocking when its window passes, with no write at all', async () => {
    const r = await resource()
    await insertBooking(database.db, {
      resourceId: r.id,
      status: 'pending',
      start: '2026-03-25T09:00:00Z',
      end: '2026-03-25T10:00:00Z',
      expiresAt: '2026-03-20T12:10:00Z',
    })
    expect(await offered(r.id)).toHaveLength(2)
    clock.set('2026-03-20T12:09:59.999Z')
    expect(await offered(r.id)).toHaveLength(2)
    clock.set('2026-03-20T12:10:00Z')
    expect(await offered(r.id)).toHaveLength(3)
    clock.set('2026-03-20T12:00:00Z')
  })

  const at = (time: string) => `${day}T${time}:00.000Z`

  it('a hold placed after a cached read is gone from the next read for everyone else, and back when it expires, with no write', async () => {
    const r = await resource()
    expect(await offered(r.id)).toHaveLength(3)
    const session = newSession()
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId: r.id, start: at('10:00') },
    })
    expect(hold.status).toBe(201)
    expect(await offered(r.id)).toEqual([at('09:00'), at('11:00')])
    // The holder's own answer keeps it (its selection) and carries the hold.
    const own = await api.call<AvailabilityResponse>(
      'GET',
      `/v1/resources/${r.id}/availability?from=${day}&to=${day}&tz=UTC`,
      { session },
    )
    expect(own.body.days[0]!.slots.map((s) => s.start)).toEqual([at('09:00'), at('10:00'), at('11:00')])
    expect(own.body.holds?.map((h) => h.id)).toEqual([hold.body.hold.id])
    const expiresAt = Date.parse(hold.body.hold.expiresAt)
    clock.set(expiresAt - 1)
    expect(await offered(r.id)).toEqual([at('09:00'), at('11:00')])
    clock.set(expiresAt)
    expect(await offered(r.id)).toHaveLength(3)
    clock.set('2026-03-20T12:00:00Z')
  })

  it('a released hold frees the slot in the next read', async () => {
    const r = await resource()
    const session = newSession()
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId: r.id, start: at('11:00') },
    })
    expect(await offered(r.id)).toEqual([at('09:00'), at('10:00')])
    const released = await api.call('DELETE', `/v1/holds/${hold.body.hold.id}`, { session })
    expect(released.status).toBeLessThan(300)
    expect(await offered(r.id)).toHaveLength(3)
  })

  it('the minimum notice passing the first offered slot takes it away, with no write', async () => {
    // Notice that reaches 09:00 on the day exactly at 12:00:00.000 today.
    const noticeMin = (Date.parse(at('09:00')) - Date.parse('2026-03-20T12:00:00Z')) / 60_000
    const r = await insertResource(database.db, {
      timezone: 'UTC',
      config: { minNoticeMin: noticeMin },
      schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
    })
    expect(await offered(r.id)).toHaveLength(3)
    expect(await offered(r.id)).toHaveLength(3)
    clock.set('2026-03-20T12:00:00.001Z')
    expect(await offered(r.id)).toEqual([at('10:00'), at('11:00')])
    clock.set('2026-03-20T12:00:00Z')
  })

  it('the horizon reaching a slot brings it in, with no write', async () => {
    const r = await insertResource(database.db, {
      timezone: 'UTC',
      config: { horizonDays: 5 },
      schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
    })
    clock.set('2026-03-20T10:59:59.999Z')
    expect(await offered(r.id)).toEqual([at('09:00'), at('10:00')])
    expect(await offered(r.id)).toEqual([at('09:00'), at('10:00')])
    clock.set('2026-03-20T11:00:00Z')
    expect(await offered(r.id)).toHaveLength(3)
    clock.set('2026-03-20T12:00:00Z')
  })

  it('answers a matching If-None-Match from the kept answer with a 304, and a changed answer with a 200 and a new ETag', async () => {
    const r = await resource()
    const path = `/v1/resources/${r.id}/availability?from=${day}&to=${day}&tz=UTC`
    const first = await api.call('GET', path)
    const etag = first.headers.get('etag')!
    expect(etag).toMatch(/^"[\w-]{16,}"$/)
    expect((await api.call('GET', path, { headers: { 'If-None-Match': etag } })).status).toBe(304)
    const session = newSession()
    expect(
      (await api.call('POST', '/v1/holds', { session, body: { resourceId: r.id, start: at('09:00') } })).status,
    ).toBe(201)
    const changed = await api.call('GET', path, { headers: { 'If-None-Match': etag } })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('etag')).not.toBe(etag)
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
  it("reads bookings uncached and says holds are unavailable; a failed bump drops this process's cache", async () => {
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
      versions: {
        read: () => Promise.reject(new Error('redis down')),
        bump: () => Promise.reject(new Error('redis down')),
      },
      cache,
    }
    const errors: unknown[] = []
    await bumpAvailability(failing, (error) => errors.push(error))
    expect(errors).toHaveLength(1)
    await cache.booked('r', range, 3, 100, load)
    expect(loads).toBe(2)

    const database = await createTestDatabase()
    try {
      const r = await insertResource(database.db, {
        timezone: 'UTC',
        schedules: everyDay({ startTime: '09:00', endTime: '12:00' }),
      })
      await insertBooking(database.db, { resourceId: r.id, start: '2026-03-25T09:00:00Z', end: '2026-03-25T10:00:00Z' })
      const backend = createTestHoldBackend(fixedClock('2026-03-20T12:00:00Z'))
      const busy = await readBusy(
        { db: database.db, holds: backend.holds, availability: failing },
        r.id,
        { start: Date.parse('2026-03-25T00:00:00Z'), end: Date.parse('2026-03-26T00:00:00Z') },
        Date.parse('2026-03-20T12:00:00Z'),
      )
      expect(busy).toEqual({
        booked: [{ start: Date.parse('2026-03-25T09:00:00Z'), end: Date.parse('2026-03-25T10:00:00Z') }],
        holds: [],
        holdsUnavailable: true,
      })
    } finally {
      await database.close()
    }
  })
})

describe('shared version reads', () => {
  function versionsByHand() {
    const pending: Array<{ resolve: (read: VersionRead) => void; reject: (error: Error) => void; resourceId: string }> =
      []
    const versions: AvailabilityVersions = {
      read: (resourceId) => new Promise((resolve, reject) => pending.push({ resolve, reject, resourceId })),
      bump: async () => {},
    }
    return { versions, pending }
  }
  const settle = () => new Promise((resolve) => setImmediate(resolve))
  const read = (version: number): VersionRead => ({ version, holds: [] })

  it('a request never uses a read that was running when it arrived: it shares the next one, which starts once that one settles', async () => {
    const { versions, pending } = versionsByHand()
    const shared = createSharedVersionReads(versions)
    const first = shared('r')
    expect(pending).toHaveLength(1)
    // Arrive while the first read runs: they wait, and no second read runs alongside it.
    const second = shared('r')
    const third = shared('r')
    expect(third).toBe(second)
    expect(pending).toHaveLength(1)
    pending[0]!.resolve(read(1))
    expect(await first).toEqual(read(1))
    await settle()
    expect(pending).toHaveLength(2)
    // Arrives while the second read runs: a third one, after it.
    const fourth = shared('r')
    pending[1]!.resolve(read(2))
    expect(await second).toEqual(read(2))
    await settle()
    expect(pending).toHaveLength(3)
    pending[2]!.resolve(read(3))
    expect(await fourth).toEqual(read(3))
    // Idle again: the next request reads at once.
    const fifth = shared('r')
    expect(pending).toHaveLength(4)
    pending[3]!.resolve(read(4))
    expect(await fifth).toEqual(read(4))
  })

  it('resources are read independently, and a failed read fails only the requests that shared it', async () => {
    const { versions, pending } = versionsByHand()
    const shared = createSharedVersionReads(versions)
    const a = shared('a')
    const b = shared('b')
    expect(pending.map((p) => p.resourceId)).toEqual(['a', 'b'])
    const later = shared('a')
    pending[0]!.reject(new Error('redis down'))
    await expect(a).rejects.toThrow('redis down')
    await settle()
    pending[2]!.resolve(read(7))
    expect(await later).toEqual(read(7))
    pending[1]!.resolve(read(7))
    expect(await b).toEqual(read(7))
  })
})

describe('the kept answers', () => {
  const built = (text: string, validUntil = Infinity): BuiltAnswer => ({
    bytes: new TextEncoder().encode(text),
    etag: `"${text}"`,
    validUntil,
  })
  function counting(make: () => BuiltAnswer) {
    let builds = 0
    return {
      build: async () => {
        builds++
        return make()
      },
      builds: () => builds,
    }
  }

  it('one build per key and version, shared by concurrent requests; a new version builds again', async () => {
    const answers = createAnswerCache()
    const { build, builds } = counting(() => built('a'))
    await Promise.all(Array.from({ length: 20 }, () => answers.get('k', 1, 100, build)))
    expect(builds()).toBe(1)
    expect((await answers.get('k', 1, 150, build)).etag).toBe('"a"')
    expect(builds()).toBe(1)
    await answers.get('k', 2, 150, build)
    expect(builds()).toBe(2)
    await answers.get('other', 2, 150, build)
    expect(builds()).toBe(3)
  })

  it('is served only before its validUntil, never to a request from before it was built, and failures are not kept', async () => {
    const answers = createAnswerCache()
    const { build, builds } = counting(() => built('a', 500))
    await answers.get('k', 1, 100, build)
    await answers.get('k', 1, 499, build)
    expect(builds()).toBe(1)
    await answers.get('k', 1, 500, build)
    expect(builds()).toBe(2)
    await answers.get('k', 1, 99, build)
    expect(builds()).toBe(3)
    await expect(answers.get('f', 1, 100, () => Promise.reject(new Error('db down')))).rejects.toThrow('db down')
    await answers.get('f', 1, 100, build)
    expect(builds()).toBe(4)
  })

  it('keeps at most maxEntries, dropping the oldest; clear() drops all', async () => {
    const answers = createAnswerCache({ maxEntries: 2 })
    const { build, builds } = counting(() => built('a'))
    await answers.get('1', 1, 100, build)
    await answers.get('2', 1, 100, build)
    await answers.get('3', 1, 100, build)
    await answers.get('3', 1, 100, build)
    await answers.get('2', 1, 100, build)
    expect(builds()).toBe(3)
    await answers.get('1', 1, 100, build)
    expect(builds()).toBe(4)
    answers.clear()
    await answers.get('1', 1, 100, build)
    expect(builds()).toBe(5)
  })

  it('a failed bump drops the kept answers with the booked intervals', async () => {
    const cache = createAvailabilityCache()
    const { build, builds } = counting(() => built('a'))
    await cache.answers!.get('k', 1, 100, build)
    cache.clear()
    await cache.answers!.get('k', 1, 100, build)
    expect(builds()).toBe(2)
  })
})

describe('until when an answer holds with no write', () => {
  const base: Omit<ComputeSlotsInput, 'now' | 'config'> = {
    timezone: 'UTC',
    rules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }).map((r) => ({
      weekday: r.weekday ?? null,
      specificDate: null,
      startTime: r.startTime,
      endTime: r.endTime,
      slotDuration: r.slotDuration ?? null,
      isAvailable: true,
    })),
    busy: [],
    from: '2026-03-25',
    to: '2026-03-26',
    viewZone: 'UTC',
  }
  const untilOf = (input: ComputeSlotsInput) => slotsValidUntil(input, computeSlots(input))

  it('ends when the minimum notice passes the first offered slot (a busy first slot does not count)', () => {
    const now = Date.parse('2026-03-25T08:30:00Z')
    expect(untilOf({ ...base, config: { minNoticeMin: 30 }, now })).toBe(Date.parse('2026-03-25T08:30:00.001Z'))
    expect(untilOf({ ...base, config: {}, now })).toBe(Date.parse('2026-03-25T09:00:00.001Z'))
    const busy = [{ start: Date.parse('2026-03-25T09:00:00Z'), end: Date.parse('2026-03-25T10:00:00Z') }]
    expect(untilOf({ ...base, busy, config: { minNoticeMin: 30 }, now })).toBe(Date.parse('2026-03-25T09:30:00.001Z'))
    // Nothing offered at all: only a horizon could change it.
    expect(untilOf({ ...base, config: {}, now: Date.parse('2026-03-27T00:00:00Z') })).toBe(Infinity)
  })

  it('ends when the horizon reaches the next slot past it, busy or not', () => {
    const now = Date.parse('2026-03-24T09:30:00Z')
    // Horizon at 03-25 09:30: the next start past it is 10:00, reached an half hour later.
    expect(untilOf({ ...base, config: { horizonDays: 1 }, now })).toBe(Date.parse('2026-03-24T10:00:00Z'))
    const busy = [{ start: Date.parse('2026-03-25T10:00:00Z'), end: Date.parse('2026-03-25T11:00:00Z') }]
    expect(untilOf({ ...base, busy, config: { horizonDays: 1 }, now })).toBe(Date.parse('2026-03-24T10:00:00Z'))
    // A horizon past the range never changes it; the first slot's start still does.
    expect(untilOf({ ...base, config: { horizonDays: 30 }, now })).toBe(Date.parse('2026-03-25T09:00:00.001Z'))
  })

  it('matches the engine: just before the instant the answer is the same, at it another', () => {
    for (const config of [{ minNoticeMin: 45 }, { horizonDays: 1 }, { minNoticeMin: 20, horizonDays: 1 }]) {
      for (const start of ['2026-03-24T08:10:00Z', '2026-03-24T10:59:00Z', '2026-03-25T07:00:00Z']) {
        const now = Date.parse(start)
        const input = { ...base, config, now }
        const until = untilOf(input)
        const answer = JSON.stringify(computeSlots(input))
        if (until === Infinity) continue
        expect(JSON.stringify(computeSlots({ ...input, now: until - 1 }))).toBe(answer)
        expect(JSON.stringify(computeSlots({ ...input, now: until }))).not.toBe(answer)
      }
    }
  })
})
