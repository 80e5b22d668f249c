import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeAvailability } from '../../shared/compact-availability'
import type { ErrorBody } from '../../shared/errors'
import type { ResourceConfig } from '../../shared/schemas'
import type { AvailabilityResponse, CompactAvailabilityResponse, NextAvailableResponse, Slot } from '../../shared/types'
import { createApp } from '../app'
import { createAvailabilityCache } from '../availability-cache'
import { fixedClock } from '../clock'
import type { HoldStore } from '../holds/hold-store'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertBooking, insertResource, type ScheduleInput } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'

let database: TestDatabase
const clock = fixedClock('2026-03-20T12:00:00Z')
const HOUR = 3_600_000

beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.close()
})

/** The same questions asked of an app that builds every answer and of one that keeps them (availability cache). */
function apps() {
  const backend = createTestHoldBackend(clock)
  const plain = createApp({ db: database.db, clock, holds: backend.holds })
  const kept = createApp({
    db: database.db,
    clock,
    holds: backend.holds,
    availability: { versions: backend.versions, cache: createAvailabilityCache() },
  })
  return { holds: backend.holds, targets: [plain, kept] as const }
}

async function classOf(config: ResourceConfig, schedules: ScheduleInput[], timezone = 'UTC') {
  return insertResource(database.db, { timezone, config, schedules })
}

/** Another session's hold of `seats` places, placed in the store as the holds route would. */
async function holdOf(holds: HoldStore, resourceId: string, start: string, end: string, seats: number) {
  const startMs = Date.parse(start)
  const endMs = Date.parse(end)
  const result = await holds.place({
    resourceId,
    sessionId: newSession(),
    start: startMs,
    end: endMs,
    blockStart: startMs,
    blockEnd: endMs,
    ttlMs: 600_000,
    seats,
    capacity: 10,
    bookedSeats: 0,
    maxPerSession: 5,
  })
  if (!result.ok) throw new Error(`expected a hold, got ${result.reason}`)
  return result.hold
}

type Target = ReturnType<typeof createApp>

async function availability(target: Target, slug: string, query: string, init?: RequestInit) {
  const res = await target.request(`/v1/resources/${slug}/availability?${query}`, init)
  const text = await res.text()
  return {
    status: res.status,
    etag: res.headers.get('etag'),
    text,
    body: JSON.parse(text) as AvailabilityResponse & ErrorBody,
  }
}

const short = (slots: Slot[] | undefined) =>
  (slots ?? []).map((s) => `${s.start.slice(11, 16)}${s.seatsLeft === undefined ? '' : `:${s.seatsLeft}`}`)

describe('availability by places (?seats, seatsLeft)', () => {
  it('a class of 10 with bookings of 4 and 3 and another session’s hold of 2 shows 1 place left, hidden for ?seats=2', async () => {
    const { holds, targets } = apps()
    const row = await classOf({ capacity: 10 }, everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }))
    await insertBooking(database.db, {
      resourceId: row.id,
      start: '2026-06-01T10:00:00Z',
      end: '2026-06-01T11:00:00Z',
      seats: 4,
    })
    await insertBooking(database.db, {
      resourceId: row.id,
      start: '2026-06-01T10:00:00Z',
      end: '2026-06-01T11:00:00Z',
      seats: 3,
    })
    const hold = await holdOf(holds, row.id, '2026-06-01T10:00:00Z', '2026-06-01T11:00:00Z', 2)
    expect(hold.seats).toBe(2)
    for (const target of targets) {
      const one = await availability(target, row.slug, 'from=2026-06-01&to=2026-06-01')
      expect(one.status).toBe(200)
      expect(short(one.body.days[0]?.slots)).toEqual(['09:00:10', '10:00:1', '11:00:10'])
      const two = await availability(target, row.slug, 'from=2026-06-01&to=2026-06-01&seats=2')
      expect(short(two.body.days[0]?.slots)).toEqual(['09:00:10', '11:00:10'])
      expect(two.etag).not.toBe(one.etag)
      // The holder's own places are its selection: it sees them as free.
      const own = await availability(target, row.slug, 'from=2026-06-01&to=2026-06-01&seats=2', {
        headers: { 'X-Booking-Session': hold.sessionId },
      })
      expect(short(own.body.days[0]?.slots)).toEqual(['09:00:10', '10:00:3', '11:00:10'])
      // The compact answer carries the same numbers, and the widget's decoder puts them back on the slots.
      const compact = await availability(target, row.slug, 'from=2026-06-01&to=2026-06-01&format=compact')
      const day = (compact.body as unknown as CompactAvailabilityResponse).days[0]
      expect(day?.seatsLeft).toEqual([10, 1, 10])
      expect(decodeAvailability(compact.body as unknown as CompactAvailabilityResponse)).toEqual(one.body)
      expect(one.body.resource).toMatchObject({ capacity: 10 })
    }
  })

  it('counts bookings of mixed lengths in an undivided window at the worst instant', async () => {
    const { targets } = apps()
    const row = await classOf(
      { capacity: 2, durations: [30, 60] },
      everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: null }),
    )
    await insertBooking(database.db, { resourceId: row.id, start: '2026-06-01T09:00:00Z', end: '2026-06-01T10:00:00Z' })
    await insertBooking(database.db, { resourceId: row.id, start: '2026-06-01T10:00:00Z', end: '2026-06-01T11:00:00Z' })
    for (const target of targets) {
      const { body } = await availability(target, row.slug, 'from=2026-06-01&to=2026-06-01&duration=60')
      // Never more than one guest at once, so each hour has one place, and 09:30–10:30 too.
      expect(short(body.days[0]?.slots)).toEqual(['09:00:1', '09:30:1', '10:00:1', '10:30:1', '11:00:2'])
      const { body: two } = await availability(target, row.slug, 'from=2026-06-01&to=2026-06-01&duration=60&seats=2')
      expect(short(two.days[0]?.slots)).toEqual(['11:00:2'])
    }
  })

  it('keeps the buffers: a booking’s cleaning time takes its places from the next slot too', async () => {
    const { targets } = apps()
    const row = await classOf(
      { capacity: 5, bufferAfterMin: 15 },
      everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
    )
    await insertBooking(database.db, {
      resourceId: row.id,
      start: '2026-06-01T09:00:00Z',
      end: '2026-06-01T10:00:00Z',
      seats: 3,
    })
    for (const target of targets) {
      const { body } = await availability(target, row.slug, 'from=2026-06-01&to=2026-06-01')
      expect(short(body.days[0]?.slots)).toEqual(['09:00:2', '10:00:2', '11:00:5'])
      const { body: three } = await availability(target, row.slug, 'from=2026-06-01&to=2026-06-01&seats=3')
      expect(short(three.days[0]?.slots)).toEqual(['11:00:5'])
    }
  })

  it('is right across the spring-forward night for a resource of several places', async () => {
    const { targets } = apps()
    const row = await classOf(
      { capacity: 3 },
      everyDay({ startTime: '01:00', endTime: '05:00', slotDuration: 60 }),
      'Europe/Berlin',
    )
    // 03:00 Berlin summer time is 01:00Z.
    await insertBooking(database.db, {
      resourceId: row.id,
      start: '2026-03-29T01:00:00Z',
      end: '2026-03-29T02:00:00Z',
      seats: 2,
    })
    for (const target of targets) {
      const { body } = await availability(target, row.slug, 'from=2026-03-29&to=2026-03-29')
      expect(body.days[0]?.slots).toEqual([
        { start: '2026-03-29T00:00:00.000Z', end: '2026-03-29T01:00:00.000Z', seatsLeft: 3 },
        { start: '2026-03-29T01:00:00.000Z', end: '2026-03-29T02:00:00.000Z', seatsLeft: 1 },
        { start: '2026-03-29T02:00:00.000Z', end: '2026-03-29T03:00:00.000Z', seatsLeft: 3 },
      ])
    }
  })

  it('answers a resource of one place as before: no seatsLeft, the same bytes and ETag with ?seats=1, nothing for more', async () => {
    const { targets } = apps()
    const row = await classOf({}, everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }))
    await insertBooking(database.db, { resourceId: row.id, start: '2026-06-01T10:00:00Z', end: '2026-06-01T11:00:00Z' })
    for (const target of targets) {
      for (const format of ['', '&format=compact']) {
        const plain = await availability(target, row.slug, `from=2026-06-01&to=2026-06-01${format}`)
        const one = await availability(target, row.slug, `from=2026-06-01&to=2026-06-01&seats=1${format}`)
        expect(one.text).toBe(plain.text)
        expect(one.etag).toBe(plain.etag)
        expect(plain.text).not.toContain('seatsLeft')
      }
      const plain = await availability(target, row.slug, 'from=2026-06-01&to=2026-06-01')
      expect(short(plain.body.days[0]?.slots)).toEqual(['09:00', '11:00'])
      const two = await availability(target, row.slug, 'from=2026-06-01&to=2026-06-01&seats=2')
      expect(two.status).toBe(200)
      expect(two.body.days).toEqual([{ date: '2026-06-01', slots: [] }])
    }
  })

  it('refuses seats that are not a whole number from 1 to the largest capacity with invalid_request on `seats`', async () => {
    const { targets } = apps()
    const row = await classOf({ capacity: 10 }, everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }))
    for (const target of targets) {
      for (const seats of ['0', '-1', '1.5', 'two', '', '10001']) {
        const { status, body } = await availability(target, row.slug, `from=2026-06-01&to=2026-06-01&seats=${seats}`)
        expect(status, seats).toBe(400)
        expect(body.error.code).toBe('invalid_request')
        expect((body.error.details as { path: string }[]).map((d) => d.path)).toEqual(['seats'])
        const next = await target.request(`/v1/resources/${row.slug}/next-available?from=2026-06-01&seats=${seats}`)
        expect(next.status, seats).toBe(400)
      }
      const most = await availability(target, row.slug, 'from=2026-06-01&to=2026-06-01&seats=10000')
      expect(most.status).toBe(200)
      expect(most.body.days[0]?.slots).toEqual([])
    }
  })

  it('keeps answers per number of places, and a new booking changes them', async () => {
    const backend = createTestHoldBackend(clock)
    const target = createApp({
      db: database.db,
      clock,
      holds: backend.holds,
      availability: { versions: backend.versions, cache: createAvailabilityCache() },
    })
    const row = await classOf({ capacity: 4 }, everyDay({ startTime: '09:00', endTime: '11:00', slotDuration: 60 }))
    await insertBooking(database.db, {
      resourceId: row.id,
      start: '2026-06-01T09:00:00Z',
      end: '2026-06-01T10:00:00Z',
      seats: 3,
    })
    const q = 'from=2026-06-01&to=2026-06-01'
    expect(short((await availability(target, row.slug, q)).body.days[0]?.slots)).toEqual(['09:00:1', '10:00:4'])
    expect(short((await availability(target, row.slug, `${q}&seats=2`)).body.days[0]?.slots)).toEqual(['10:00:4'])
    expect(short((await availability(target, row.slug, q)).body.days[0]?.slots)).toEqual(['09:00:1', '10:00:4'])
    await insertBooking(database.db, {
      resourceId: row.id,
      start: '2026-06-01T10:00:00Z',
      end: '2026-06-01T11:00:00Z',
      seats: 2,
    })
    await backend.versions.bump()
    expect(short((await availability(target, row.slug, `${q}&seats=2`)).body.days[0]?.slots)).toEqual(['10:00:2'])
    expect(short((await availability(target, row.slug, `${q}&seats=3`)).body.days[0]?.slots)).toEqual([])
  })

  it('next-available finds the first slot with enough places free', async () => {
    const { targets } = apps()
    const row = await classOf(
      { capacity: 3, horizonDays: 30 },
      everyDay({ startTime: '09:00', endTime: '10:00', slotDuration: 60 }),
    )
    // 21 March has 1 place left, 22 March 2.
    await insertBooking(database.db, {
      resourceId: row.id,
      start: '2026-03-21T09:00:00Z',
      end: '2026-03-21T10:00:00Z',
      seats: 2,
    })
    await insertBooking(database.db, {
      resourceId: row.id,
      start: '2026-03-22T09:00:00Z',
      end: '2026-03-22T10:00:00Z',
      seats: 1,
    })
    for (const target of targets) {
      const next = async (query: string) =>
        (
          (await (
            await target.request(`/v1/resources/${row.slug}/next-available?${query}`)
          ).json()) as NextAvailableResponse
        ).nextAvailable?.date
      expect(await next('from=2026-03-21')).toBe('2026-03-21')
      expect(await next('from=2026-03-21&seats=2')).toBe('2026-03-22')
      expect(await next('from=2026-03-21&seats=3')).toBe('2026-03-23')
      expect(await next('from=2026-03-21&seats=4')).toBeUndefined()
    }
  })
})

// A day's answer for a class is still quick to build with a month of bookings.
describe('availability by places, a busy month', () => {
  it('answers a month of a class of 20 with 360 bookings', async () => {
    const { targets } = apps()
    const row = await classOf({ capacity: 20 }, everyDay({ startTime: '08:00', endTime: '20:00', slotDuration: 60 }))
    const values = []
    for (let i = 0; i < 360; i++) {
      const start = Date.parse('2026-06-01T08:00:00Z') + Math.floor(i / 12) * 24 * HOUR + (i % 12) * HOUR
      values.push(
        insertBooking(database.db, {
          resourceId: row.id,
          start: new Date(start),
          end: new Date(start + HOUR),
          seats: 1 + (i % 3),
        }),
      )
    }
    await Promise.all(values)
    for (const target of targets) {
      const { status, body } = await availability(target, row.slug, 'from=2026-06-01&to=2026-06-30')
      expect(status).toBe(200)
      const slots = body.days.flatMap((d) => d.slots)
      expect(slots).toHaveLength(30 * 12)
      expect(slots.every((s) => s.seatsLeft !== undefined && s.seatsLeft >= 17 && s.seatsLeft <= 20)).toBe(true)
    }
  })
})
