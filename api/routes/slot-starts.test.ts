import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeAvailability } from '../../shared/compact-availability'
import type { ErrorBody } from '../../shared/errors'
import type { ResourceConfig } from '../../shared/schemas'
import type {
  AvailabilityResponse,
  CompactAvailabilityResponse,
  NextAvailableResponse,
  PublicBooking,
  PublicHold,
} from '../../shared/types'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertBooking, insertPool, insertResource } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { createAdminKey } from '../admin/keys'
import { createAvailabilityCache } from '../availability-cache'
import { fixedClock } from '../clock'

/*
 * Slot starts apart from slot length, through the API: `slotStepMin` (a 60-minute session
 * every 15 minutes) and `startTimes` (fixed local times). Availability in both formats,
 * next-available, pools and holds all offer and accept exactly the same starts; slots that
 * overlap one another are fine, bookings that overlap are not.
 */

let database: TestDatabase
let adminKey: string
beforeAll(async () => {
  database = await createTestDatabase()
  adminKey = (await createAdminKey(database.db, 'slot-starts')).key
})
afterAll(async () => {
  await database?.close()
})

const NOW = '2026-06-01T00:00:00Z'
const DAY = '2026-06-10'
/** Berlin is UTC+2 in June: local `HH:MM` on DAY as an ISO instant. */
const local = (time: string) => {
  const [h, m] = time.split(':').map(Number) as [number, number]
  return new Date(Date.UTC(2026, 5, 10, h - 2, m)).toISOString()
}
const guest = { name: 'Ada Lovelace', email: 'ada@example.com' }

type HoldReply = { hold: PublicHold } & ErrorBody

function setup() {
  const clock = fixedClock(NOW)
  const backend = createTestHoldBackend(clock)
  return {
    clock,
    ...createTestApi({
      db: database.db,
      clock,
      holds: backend.holds,
      // Cached answers, as servers run with Redis: a config change must still show at once.
      availability: { versions: backend.versions, cache: createAvailabilityCache() },
    }),
  }
}
type Api = ReturnType<typeof setup>

const resource = (
  config: ResourceConfig,
  window = { startTime: '09:00', endTime: '12:00' },
  slotDuration: number | null = 60,
) => insertResource(database.db, { config, schedules: everyDay({ ...window, slotDuration }) })

async function startsOn(api: Api, path: string, query = ''): Promise<string[]> {
  const res = await api.call<AvailabilityResponse>('GET', `${path}/availability?from=${DAY}&to=${DAY}${query}`)
  expect(res.status).toBe(200)
  return res.body.days[0]!.slots.map((s) => s.start)
}

const hold = (
  api: Api,
  resourceId: string,
  start: string,
  extra: Record<string, unknown> = {},
  session = newSession(),
) => api.call<HoldReply>('POST', '/v1/holds', { session, body: { resourceId, start, ...extra } })

async function book(api: Api, resourceId: string, start: string, extra: Record<string, unknown> = {}) {
  const session = newSession()
  const held = await hold(api, resourceId, start, extra, session)
  expect(held.status).toBe(201)
  const created = await api.call<{ booking: PublicBooking }>('POST', '/v1/bookings', {
    session,
    body: { holdId: held.body.hold.id, guest },
  })
  expect(created.status).toBe(201)
  return created.body.booking
}

const EVERY_15 = ['09:00', '09:15', '09:30', '09:45', '10:00', '10:15', '10:30', '10:45', '11:00']

describe('slotStepMin: a 60-minute slot every 15 minutes', () => {
  it('shows exactly those starts in JSON and in the compact format', async () => {
    const api = setup()
    const room = await resource({ slotStepMin: 15 })
    expect(await startsOn(api, `/v1/resources/${room.slug}`)).toEqual(EVERY_15.map(local))

    const compact = await api.call<CompactAvailabilityResponse>(
      'GET',
      `/v1/resources/${room.slug}/availability?from=${DAY}&to=${DAY}&format=compact`,
    )
    expect(compact.status).toBe(200)
    const day = compact.body.days[0]!
    // Offsets in minutes from 00:00Z: 07:00Z is 420; one length for the day though starts are 15 apart.
    expect(day.length).toBe(60)
    expect(day.starts).toEqual([420, 435, 450, 465, 480, 495, 510, 525, 540])
    const decoded = decodeAvailability(compact.body).days[0]!.slots
    expect(decoded.map((s) => [s.start, s.end])).toEqual(
      EVERY_15.map((t) => [local(t), new Date(Date.parse(local(t)) + 3_600_000).toISOString()]),
    )
  })

  it('accepts a hold at 09:15 and refuses one between grid points with outside_availability', async () => {
    const api = setup()
    const room = await resource({ slotStepMin: 15 })
    const held = await hold(api, room.id, local('09:15'))
    expect(held.status).toBe(201)
    expect(held.body.hold.end).toBe(local('10:15'))
    const between = await hold(api, room.id, local('09:20'))
    expect(between.status).toBe(422)
    expect(between.body.error.code).toBe('outside_availability')
  })

  it('a 09:00–10:00 booking takes the starts it overlaps and leaves 10:00 free; bookings never overlap', async () => {
    const api = setup()
    const room = await resource({ slotStepMin: 15 })
    await book(api, room.id, local('09:00'))
    expect(await startsOn(api, `/v1/resources/${room.slug}`)).toEqual(
      ['10:00', '10:15', '10:30', '10:45', '11:00'].map(local),
    )
    const overlapping = await hold(api, room.id, local('09:30'))
    expect(overlapping.status).toBe(409)
    expect(overlapping.body.error.code).toBe('slot_taken')
    expect((await hold(api, room.id, local('10:00'))).status).toBe(201)
    // The table itself refuses an overlapping row, whatever the grid offers.
    await expect(
      insertBooking(database.db, { resourceId: room.id, start: local('09:45'), end: local('10:45') }),
    ).rejects.toThrow()
  })

  it('counts places per overlapping slot on a resource of several places', async () => {
    const api = setup()
    const room = await resource({ slotStepMin: 30, capacity: 3 })
    await book(api, room.id, local('09:00'), { seats: 2 })
    const res = await api.call<AvailabilityResponse>(
      'GET',
      `/v1/resources/${room.slug}/availability?from=${DAY}&to=${DAY}`,
    )
    expect(res.body.days[0]!.slots.map((s) => [s.start, s.seatsLeft])).toEqual([
      [local('09:00'), 1],
      [local('09:30'), 1],
      [local('10:00'), 3],
      [local('10:30'), 3],
      [local('11:00'), 3],
    ])
    const tooMany = await hold(api, room.id, local('09:30'), { seats: 2 })
    expect(tooMany.status).toBe(409)
    expect(tooMany.body.error.code).toBe('slot_taken')
    expect((await hold(api, room.id, local('09:30'), { seats: 1 })).status).toBe(201)
  })

  it('steps the guest’s chosen length in undivided windows', async () => {
    const api = setup()
    const room = await resource(
      { slotStepMin: 30, durations: [60, 90] },
      { startTime: '09:00', endTime: '11:00' },
      null,
    )
    expect(await startsOn(api, `/v1/resources/${room.slug}`, '&duration=90')).toEqual([local('09:00'), local('09:30')])
    expect((await hold(api, room.id, local('09:30'), { end: local('11:00') })).status).toBe(201)
  })

  it('shows a changed step at once, cached answers or not', async () => {
    const api = setup()
    const room = await resource({})
    const path = `/v1/resources/${room.slug}`
    expect(await startsOn(api, path)).toEqual(['09:00', '10:00', '11:00'].map(local))
    const patched = await api.call('PATCH', `/v1/admin/resources/${room.id}`, {
      token: adminKey,
      body: { config: { slotStepMin: 30 } },
    })
    expect(patched.status).toBe(200)
    expect(await startsOn(api, path)).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00'].map(local))
  })

  it('offers the stepped starts of pool members', async () => {
    const api = setup()
    const a = await resource({ slotStepMin: 30 })
    const pool = await insertPool(database.db, { members: [a.id] })
    expect(await startsOn(api, `/v1/pools/${pool.slug}`)).toEqual(
      ['09:00', '09:30', '10:00', '10:30', '11:00'].map(local),
    )
  })
})

describe('startTimes: fixed local start times', () => {
  const FIXED = { startTimes: ['09:00', '11:30', '15:00', '16:30'] }
  const DAYTIME = { startTime: '09:00', endTime: '17:00' }

  it('shows only the listed times whose slot fits, in JSON and compact', async () => {
    const api = setup()
    const room = await resource(FIXED, DAYTIME)
    const expected = ['09:00', '11:30', '15:00'].map(local)
    expect(await startsOn(api, `/v1/resources/${room.slug}`)).toEqual(expected)
    const compact = await api.call<CompactAvailabilityResponse>(
      'GET',
      `/v1/resources/${room.slug}/availability?from=${DAY}&to=${DAY}&format=compact`,
    )
    expect(decodeAvailability(compact.body).days[0]!.slots.map((s) => s.start)).toEqual(expected)
  })

  it('refuses a hold at 10:00 with outside_availability and accepts one at 11:30', async () => {
    const api = setup()
    const room = await resource(FIXED, DAYTIME)
    const refused = await hold(api, room.id, local('10:00'))
    expect(refused.status).toBe(422)
    expect(refused.body.error.code).toBe('outside_availability')
    expect((await hold(api, room.id, local('16:30'))).status).toBe(422)
    expect((await hold(api, room.id, local('11:30'))).status).toBe(201)
  })

  it('next-available finds the next listed time after now', async () => {
    const api = setup()
    const room = await resource(FIXED, DAYTIME)
    api.clock.set(Date.parse(local('09:30')))
    const res = await api.call<NextAvailableResponse>('GET', `/v1/resources/${room.slug}/next-available?from=${DAY}`)
    expect(res.status).toBe(200)
    expect(res.body.nextAvailable).toEqual({ date: DAY, start: local('11:30'), end: local('12:30') })
  })

  it('refuses a config with both a step and fixed times, naming the field', async () => {
    const api = setup()
    const room = await resource({})
    const res = await api.call<ErrorBody>('PATCH', `/v1/admin/resources/${room.id}`, {
      token: adminKey,
      body: { config: { slotStepMin: 15, startTimes: ['09:00'] } },
    })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('invalid_request')
    expect(JSON.stringify(res.body.error.details)).toContain('startTimes')
  })
})
