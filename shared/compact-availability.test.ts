import { describe, expect, it } from 'vitest'
import { decodeAvailability, encodeAvailability, isCompactAvailability } from './compact-availability'
import { computeSlots } from './slots/compute-slots'
import type { ScheduleRule } from './slots/types'
import type { AvailabilityResponse, PublicResource } from './types'

const resource: PublicResource = { id: 'r1', slug: 'room', type: 'room', name: 'Room', timezone: 'Europe/Berlin' }

/** Every day 00:00–24:00 in 60-minute slots: the night hours are where DST bites. */
const rules: ScheduleRule[] = [
  ...[0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
    weekday,
    specificDate: null,
    startTime: '00:00',
    endTime: '24:00',
    slotDuration: 60,
    isAvailable: true,
  })),
]

function berlinDays(from: string, to: string, viewZone = 'Europe/Berlin') {
  return computeSlots({
    timezone: 'Europe/Berlin',
    rules,
    config: {},
    from,
    to,
    viewZone,
    now: Date.parse('2026-01-01T00:00:00Z'),
    busy: [],
  })
}

const response = (
  days: AvailabilityResponse['days'],
  more: Partial<AvailabilityResponse> = {},
): AvailabilityResponse => ({
  resource,
  timezone: 'Europe/Berlin',
  days,
  ...more,
})

describe('compact availability', () => {
  it('round-trips the spring-forward day (23 hours) exactly', () => {
    const body = response(berlinDays('2026-03-28', '2026-03-30'))
    const march29 = body.days[1]!
    // 02:00–03:00 local does not exist: 23 one-hour slots.
    expect(march29.slots).toHaveLength(23)
    const compact = encodeAvailability(body)
    expect(compact.days[1]).toMatchObject({ date: '2026-03-29', length: 60 })
    // Offsets are real minutes from 00:00 UTC of the date: Berlin midnight (UTC+1) is -60, and after the change each hour is still 60 later.
    expect(compact.days[1]!.starts.slice(0, 4)).toEqual([-60, 0, 60, 120])
    expect(decodeAvailability(compact)).toEqual(body)
  })

  it('round-trips the fall-back day (25 hours) exactly, both 02:00 hours kept apart', () => {
    const body = response(berlinDays('2026-10-24', '2026-10-26'))
    const october25 = body.days[1]!
    expect(october25.slots).toHaveLength(25)
    const compact = encodeAvailability(body)
    expect(compact.days[1]!.starts.slice(0, 5)).toEqual([-120, -60, 0, 60, 120])
    const decoded = decodeAvailability(compact)
    expect(decoded).toEqual(body)
    // 02:00 CEST (00:00Z) and 02:00 CET (01:00Z) come back as two distinct instants.
    expect(decoded.days[1]!.slots.slice(2, 4).map((s) => s.start)).toEqual([
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T01:00:00.000Z',
    ])
  })

  it('round-trips days cut in a far zone (negative offsets and offsets past 24 h)', () => {
    for (const zone of ['Pacific/Kiritimati', 'America/Los_Angeles', 'Asia/Kolkata']) {
      const body = response(berlinDays('2026-03-27', '2026-04-02', zone), { timezone: zone })
      expect(decodeAvailability(encodeAvailability(body))).toEqual(body)
    }
  })

  it('keeps slots of another length than the day’s as [offset, minutes] pairs', () => {
    const body = response([
      {
        date: '2026-06-01',
        slots: [
          { start: '2026-06-01T07:00:00.000Z', end: '2026-06-01T07:30:00.000Z' },
          { start: '2026-06-01T07:30:00.000Z', end: '2026-06-01T08:00:00.000Z' },
          { start: '2026-06-01T09:00:00.000Z', end: '2026-06-01T10:30:00.000Z' },
        ],
      },
      { date: '2026-06-02', slots: [] },
    ])
    const compact = encodeAvailability(body)
    expect(compact.days).toEqual([
      { date: '2026-06-01', length: 30, starts: [420, 450, [540, 90]] },
      { date: '2026-06-02', starts: [] },
    ])
    expect(decodeAvailability(compact)).toEqual(body)
  })

  it('is exact for instants off the minute too', () => {
    const body = response([
      { date: '2026-06-01', slots: [{ start: '2026-06-01T07:00:30.250Z', end: '2026-06-01T07:45:00.001Z' }] },
    ])
    expect(decodeAvailability(JSON.parse(JSON.stringify(encodeAvailability(body))))).toEqual(body)
  })

  it('carries resource, zone, the session’s holds and the holds-unavailable flag unchanged', () => {
    const holds = [
      {
        id: 'h1',
        resourceId: 'r1',
        start: '2026-06-01T07:00:00.000Z',
        end: '2026-06-01T07:30:00.000Z',
        expiresAt: '2026-06-01T06:10:00.000Z',
      },
    ]
    const body = response([{ date: '2026-06-01', slots: [] }], { holds, holdsUnavailable: true })
    const compact = encodeAvailability(body)
    expect(compact).toMatchObject({
      format: 'compact',
      resource,
      timezone: 'Europe/Berlin',
      holds,
      holdsUnavailable: true,
    })
    expect(decodeAvailability(compact)).toEqual(body)
    expect(Object.keys(decodeAvailability(encodeAvailability(response([]))))).toEqual(['resource', 'timezone', 'days'])
  })

  it('tells the compact shape from the default one', () => {
    const body = response(berlinDays('2026-03-29', '2026-03-29'))
    expect(isCompactAvailability(encodeAvailability(body))).toBe(true)
    expect(isCompactAvailability(body)).toBe(false)
    expect(isCompactAvailability(null)).toBe(false)
  })

  it('is several times smaller than the default shape for a month', () => {
    const body = response(berlinDays('2026-03-01', '2026-03-31'))
    const ratio = JSON.stringify(body).length / JSON.stringify(encodeAvailability(body)).length
    expect(ratio).toBeGreaterThan(5)
  })

  it('carries each slot’s places left in a seatsLeft array per day, in slot order, and back onto the slots', () => {
    const days = computeSlots({
      timezone: 'Europe/Berlin',
      rules,
      config: {},
      from: '2026-03-28',
      to: '2026-03-30',
      viewZone: 'Europe/Berlin',
      now: Date.parse('2026-01-01T00:00:00Z'),
      busy: [],
      places: {
        capacity: 10,
        seats: 1,
        // 4 places 08:00–10:00Z on the 29th (after the change), and 3 of them again 09:00–09:30Z.
        booked: [
          { start: Date.parse('2026-03-29T08:00:00Z'), end: Date.parse('2026-03-29T10:00:00Z'), seats: 4 },
          { start: Date.parse('2026-03-29T09:00:00Z'), end: Date.parse('2026-03-29T09:30:00Z'), seats: 3 },
        ],
        held: [],
      },
    })
    const body = response(days)
    const compact = encodeAvailability(body)
    const march29 = compact.days[1]!
    expect(march29.seatsLeft).toHaveLength(march29.starts.length)
    expect(march29.seatsLeft?.slice(8, 12)).toEqual([10, 6, 3, 10])
    const decoded = decodeAvailability(JSON.parse(JSON.stringify(compact)) as typeof compact)
    expect(decoded).toEqual(body)
    expect(JSON.stringify(decoded)).toBe(JSON.stringify(body))
    expect(decoded.days[1]!.slots[10]).toEqual({
      start: '2026-03-29T09:00:00.000Z',
      end: '2026-03-29T10:00:00.000Z',
      seatsLeft: 3,
    })
  })

  it('sends no seatsLeft for a resource of one place, and refuses a seatsLeft array that does not match the slots', () => {
    const compact = encodeAvailability(response(berlinDays('2026-06-01', '2026-06-01')))
    expect(compact.days[0]).not.toHaveProperty('seatsLeft')
    const broken = { ...compact, days: [{ ...compact.days[0]!, seatsLeft: [1, 2] }] }
    expect(() => decodeAvailability(broken)).toThrow(TypeError)
  })

  it('puts a pool day’s membersFree back onto its slots, and refuses an array that does not match them', () => {
    const compact = encodeAvailability(response(berlinDays('2026-06-01', '2026-06-01')))
    const day = compact.days[0]!
    const membersFree = day.starts.map((_, i) => (i % 3) + 1)
    const decoded = decodeAvailability({ ...compact, days: [{ ...day, membersFree }] })
    expect(decoded.days[0]!.slots.map((s) => s.membersFree)).toEqual(membersFree)
    expect(() => decodeAvailability({ ...compact, days: [{ ...day, membersFree: [1] }] })).toThrow(TypeError)
  })
})
