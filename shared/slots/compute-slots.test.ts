import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { AvailabilityDay } from '../types'
import type { Interval, ScheduleRule } from './types'
import { availabilityRange, busyQueryRange, computeSlots, type ComputeSlotsInput } from './compute-slots'
import { freeDaysByOracle } from '../../test/slot-oracle'

const NOW = Date.parse('2026-01-01T00:00:00Z')
const MON = 0
const WED = 2
const SAT = 5
const SUN = 6
const DAILY = [0, 1, 2, 3, 4, 5, 6]

function weekly(weekday: number, startTime: string, endTime: string, slotDuration: number | null = 60): ScheduleRule {
  return { weekday, specificDate: null, startTime, endTime, slotDuration, isAvailable: true }
}

function on(date: string, startTime: string, endTime: string, isAvailable = true): ScheduleRule {
  return { weekday: null, specificDate: date, startTime, endTime, slotDuration: 60, isAvailable }
}

function busy(start: string, end: string): Interval {
  return { start: Date.parse(start), end: Date.parse(end) }
}

const defaults: ComputeSlotsInput = {
  timezone: 'UTC',
  viewZone: 'UTC',
  rules: [],
  config: {},
  busy: [],
  from: '2026-06-08',
  to: '2026-06-08',
  now: NOW,
}

/** Each day as `date → ["<start>/<end>", …]` with the seconds dropped, so tables stay readable. */
function brief(days: AvailabilityDay[]): Record<string, string[]> {
  const short = (iso: string) => iso.replace(':00.000Z', 'Z')
  return Object.fromEntries(days.map((d) => [d.date, d.slots.map((s) => `${short(s.start)}/${short(s.end)}`)]))
}

describe('computeSlots', () => {
  it.each<[string, Partial<ComputeSlotsInput>, Record<string, string[]>]>([
    [
      'steps in real minutes over a Berlin spring-forward gap (3 slots in 01:00–05:00)',
      {
        timezone: 'Europe/Berlin',
        viewZone: 'Europe/Berlin',
        rules: [weekly(SUN, '01:00', '05:00')],
        from: '2026-03-29',
        to: '2026-03-29',
      },
      {
        '2026-03-29': [
          '2026-03-29T00:00Z/2026-03-29T01:00Z',
          '2026-03-29T01:00Z/2026-03-29T02:00Z',
          '2026-03-29T02:00Z/2026-03-29T03:00Z',
        ],
      },
    ],
    [
      'gives the repeated hour its own slot on a New York fall-back day (5 slots in 00:00–04:00)',
      {
        timezone: 'America/New_York',
        viewZone: 'America/New_York',
        rules: [weekly(SUN, '00:00', '04:00')],
        from: '2026-11-01',
        to: '2026-11-01',
      },
      {
        '2026-11-01': [
          '2026-11-01T04:00Z/2026-11-01T05:00Z',
          '2026-11-01T05:00Z/2026-11-01T06:00Z',
          '2026-11-01T06:00Z/2026-11-01T07:00Z',
          '2026-11-01T07:00Z/2026-11-01T08:00Z',
          '2026-11-01T08:00Z/2026-11-01T09:00Z',
        ],
      },
    ],
    [
      'starts an ambiguous Berlin fall-back window at the earlier offset (4 slots in 01:00–04:00)',
      {
        timezone: 'Europe/Berlin',
        viewZone: 'Europe/Berlin',
        rules: [weekly(SUN, '01:00', '04:00')],
        from: '2026-10-25',
        to: '2026-10-25',
      },
      {
        '2026-10-25': [
          '2026-10-24T23:00Z/2026-10-25T00:00Z',
          '2026-10-25T00:00Z/2026-10-25T01:00Z',
          '2026-10-25T01:00Z/2026-10-25T02:00Z',
          '2026-10-25T02:00Z/2026-10-25T03:00Z',
        ],
      },
    ],
    [
      'ends a 24:00 window at the next local midnight',
      {
        timezone: 'Europe/Berlin',
        viewZone: 'Europe/Berlin',
        rules: [weekly(SAT, '22:00', '24:00')],
        from: '2026-03-28',
        to: '2026-03-29',
      },
      {
        '2026-03-28': ['2026-03-28T21:00Z/2026-03-28T22:00Z', '2026-03-28T22:00Z/2026-03-28T23:00Z'],
        '2026-03-29': [],
      },
    ],
    [
      'puts the late slots of a window crossing midnight on the next day',
      {
        timezone: 'Asia/Tokyo',
        viewZone: 'Asia/Tokyo',
        rules: [weekly(WED, '22:00', '02:00')],
        from: '2026-06-10',
        to: '2026-06-11',
      },
      {
        '2026-06-10': ['2026-06-10T13:00Z/2026-06-10T14:00Z', '2026-06-10T14:00Z/2026-06-10T15:00Z'],
        '2026-06-11': ['2026-06-10T15:00Z/2026-06-10T16:00Z', '2026-06-10T16:00Z/2026-06-10T17:00Z'],
      },
    ],
    [
      'cuts days in the view zone: a Tokyo midnight-crossing window is one Los Angeles morning',
      {
        timezone: 'Asia/Tokyo',
        viewZone: 'America/Los_Angeles',
        rules: [weekly(WED, '22:00', '02:00')],
        from: '2026-06-09',
        to: '2026-06-11',
      },
      {
        '2026-06-09': [],
        '2026-06-10': [
          '2026-06-10T13:00Z/2026-06-10T14:00Z',
          '2026-06-10T14:00Z/2026-06-10T15:00Z',
          '2026-06-10T15:00Z/2026-06-10T16:00Z',
          '2026-06-10T16:00Z/2026-06-10T17:00Z',
        ],
        '2026-06-11': [],
      },
    ],
    [
      'cuts days in the view zone: a Tokyo afternoon crosses Los Angeles midnight',
      {
        timezone: 'Asia/Tokyo',
        viewZone: 'America/Los_Angeles',
        rules: [weekly(WED, '14:00', '18:00')],
        from: '2026-06-09',
        to: '2026-06-10',
      },
      {
        '2026-06-09': ['2026-06-10T05:00Z/2026-06-10T06:00Z', '2026-06-10T06:00Z/2026-06-10T07:00Z'],
        '2026-06-10': ['2026-06-10T07:00Z/2026-06-10T08:00Z', '2026-06-10T08:00Z/2026-06-10T09:00Z'],
      },
    ],
    [
      'leaves out slots of a window that start before the first view-zone day',
      {
        timezone: 'Asia/Tokyo',
        viewZone: 'America/Los_Angeles',
        rules: [weekly(WED, '14:00', '18:00')],
        from: '2026-06-10',
        to: '2026-06-10',
      },
      { '2026-06-10': ['2026-06-10T07:00Z/2026-06-10T08:00Z', '2026-06-10T08:00Z/2026-06-10T09:00Z'] },
    ],
    [
      'covers a resource 26 h ahead of the view zone (Kiritimati viewed from Niue)',
      {
        timezone: 'Pacific/Kiritimati',
        viewZone: 'Pacific/Niue',
        rules: [weekly(WED, '09:00', '10:00')],
        from: '2026-06-09',
        to: '2026-06-09',
      },
      { '2026-06-09': ['2026-06-09T19:00Z/2026-06-09T20:00Z'] },
    ],
    [
      'skips a lunch break between two windows of a day',
      { rules: [weekly(MON, '13:00', '15:00'), weekly(MON, '09:00', '12:00')] },
      {
        '2026-06-08': [
          '2026-06-08T09:00Z/2026-06-08T10:00Z',
          '2026-06-08T10:00Z/2026-06-08T11:00Z',
          '2026-06-08T11:00Z/2026-06-08T12:00Z',
          '2026-06-08T13:00Z/2026-06-08T14:00Z',
          '2026-06-08T14:00Z/2026-06-08T15:00Z',
        ],
      },
    ],
    [
      'lets a specific-date row replace the weekday rows of that date only',
      { rules: [weekly(MON, '09:00', '11:00'), on('2026-06-08', '14:00', '15:00')], to: '2026-06-15' },
      {
        '2026-06-08': ['2026-06-08T14:00Z/2026-06-08T15:00Z'],
        '2026-06-09': [],
        '2026-06-10': [],
        '2026-06-11': [],
        '2026-06-12': [],
        '2026-06-13': [],
        '2026-06-14': [],
        '2026-06-15': ['2026-06-15T09:00Z/2026-06-15T10:00Z', '2026-06-15T10:00Z/2026-06-15T11:00Z'],
      },
    ],
    [
      'closes a date with an unavailable specific-date row while its weekday is open',
      { rules: [weekly(MON, '09:00', '10:00'), on('2026-06-08', '00:00', '24:00', false)], to: '2026-06-15' },
      {
        '2026-06-08': [],
        '2026-06-09': [],
        '2026-06-10': [],
        '2026-06-11': [],
        '2026-06-12': [],
        '2026-06-13': [],
        '2026-06-14': [],
        '2026-06-15': ['2026-06-15T09:00Z/2026-06-15T10:00Z'],
      },
    ],
    [
      'closes a date when any chosen row is unavailable, even beside open rows',
      {
        rules: [
          weekly(MON, '09:00', '10:00'),
          on('2026-06-08', '11:00', '12:00'),
          on('2026-06-08', '00:00', '24:00', false),
        ],
      },
      { '2026-06-08': [] },
    ],
    [
      'needs before and after buffers free on both sides of a booking (20-min slots)',
      {
        rules: [weekly(MON, '09:00', '12:00', 20)],
        config: { bufferBeforeMin: 10, bufferAfterMin: 10 },
        busy: [busy('2026-06-08T10:00:00Z', '2026-06-08T11:00:00Z')],
      },
      {
        '2026-06-08': [
          '2026-06-08T09:00Z/2026-06-08T09:20Z',
          '2026-06-08T09:20Z/2026-06-08T09:40Z',
          '2026-06-08T11:20Z/2026-06-08T11:40Z',
          '2026-06-08T11:40Z/2026-06-08T12:00Z',
        ],
      },
    ],
    [
      'accepts busy intervals unsorted and overlapping, and keeps slots that only touch them',
      {
        rules: [weekly(MON, '08:00', '16:00')],
        busy: [
          busy('2026-06-08T13:00:00Z', '2026-06-08T14:00:00Z'),
          busy('2026-06-08T10:00:00Z', '2026-06-08T11:00:00Z'),
          busy('2026-06-08T15:00:00Z', '2026-06-08T15:30:00Z'),
          busy('2026-06-08T09:30:00Z', '2026-06-08T10:30:00Z'),
        ],
      },
      {
        '2026-06-08': [
          '2026-06-08T08:00Z/2026-06-08T09:00Z',
          '2026-06-08T11:00Z/2026-06-08T12:00Z',
          '2026-06-08T12:00Z/2026-06-08T13:00Z',
          '2026-06-08T14:00Z/2026-06-08T15:00Z',
        ],
      },
    ],
    [
      'removes slots starting before now + min notice',
      { rules: [weekly(MON, '08:00', '14:00')], config: { minNoticeMin: 60 }, now: Date.parse('2026-06-08T09:30:00Z') },
      {
        '2026-06-08': [
          '2026-06-08T11:00Z/2026-06-08T12:00Z',
          '2026-06-08T12:00Z/2026-06-08T13:00Z',
          '2026-06-08T13:00Z/2026-06-08T14:00Z',
        ],
      },
    ],
    [
      'removes slots that already started even without min notice',
      { rules: [weekly(MON, '08:00', '12:00')], now: Date.parse('2026-06-08T09:30:00Z') },
      { '2026-06-08': ['2026-06-08T10:00Z/2026-06-08T11:00Z', '2026-06-08T11:00Z/2026-06-08T12:00Z'] },
    ],
    [
      'keeps a slot starting exactly at now + min notice',
      { rules: [weekly(MON, '08:00', '12:00')], config: { minNoticeMin: 30 }, now: Date.parse('2026-06-08T09:30:00Z') },
      { '2026-06-08': ['2026-06-08T10:00Z/2026-06-08T11:00Z', '2026-06-08T11:00Z/2026-06-08T12:00Z'] },
    ],
    [
      'keeps starts up to and including now + horizon',
      {
        rules: DAILY.map((d) => weekly(d, '00:00', '02:00')),
        config: { horizonDays: 1 },
        now: Date.parse('2026-06-08T00:00:00Z'),
        to: '2026-06-10',
      },
      {
        '2026-06-08': ['2026-06-08T00:00Z/2026-06-08T01:00Z', '2026-06-08T01:00Z/2026-06-08T02:00Z'],
        '2026-06-09': ['2026-06-09T00:00Z/2026-06-09T01:00Z'],
        '2026-06-10': [],
      },
    ],
    [
      'cuts an undivided window into slots of the smallest duration',
      { rules: [weekly(MON, '08:00', '16:00', null)], config: { durations: [120, 240] } },
      {
        '2026-06-08': [
          '2026-06-08T08:00Z/2026-06-08T10:00Z',
          '2026-06-08T10:00Z/2026-06-08T12:00Z',
          '2026-06-08T12:00Z/2026-06-08T14:00Z',
          '2026-06-08T14:00Z/2026-06-08T16:00Z',
        ],
      },
    ],
    [
      'steps a longer requested duration by the smallest duration in an undivided window',
      { rules: [weekly(MON, '08:00', '16:00', null)], config: { durations: [120, 240] }, duration: 240 },
      {
        '2026-06-08': [
          '2026-06-08T08:00Z/2026-06-08T12:00Z',
          '2026-06-08T10:00Z/2026-06-08T14:00Z',
          '2026-06-08T12:00Z/2026-06-08T16:00Z',
        ],
      },
    ],
    [
      'offers an undivided window whole when the resource has no durations',
      { rules: [weekly(MON, '08:00', '16:00', null)] },
      { '2026-06-08': ['2026-06-08T08:00Z/2026-06-08T16:00Z'] },
    ],
    [
      'lists a slot produced by two overlapping windows once',
      { rules: [weekly(MON, '09:00', '11:00'), weekly(MON, '10:00', '12:00')] },
      {
        '2026-06-08': [
          '2026-06-08T09:00Z/2026-06-08T10:00Z',
          '2026-06-08T10:00Z/2026-06-08T11:00Z',
          '2026-06-08T11:00Z/2026-06-08T12:00Z',
        ],
      },
    ],
    [
      'returns every day of the range, empty days as []',
      { rules: [weekly(WED, '09:00', '10:00')], from: '2026-06-08', to: '2026-06-12' },
      {
        '2026-06-08': [],
        '2026-06-09': [],
        '2026-06-10': ['2026-06-10T09:00Z/2026-06-10T10:00Z'],
        '2026-06-11': [],
        '2026-06-12': [],
      },
    ],
  ])('%s', (_, overrides, expected) => {
    const days = computeSlots({ ...defaults, ...overrides })
    expect(days.map((d) => d.date)).toEqual(Object.keys(expected))
    expect(brief(days)).toEqual(expected)
  })

  it('returns full ISO instants with milliseconds and Z', () => {
    const [day] = computeSlots({ ...defaults, rules: [weekly(MON, '09:00', '10:00')] })
    expect(day?.slots).toEqual([{ start: '2026-06-08T09:00:00.000Z', end: '2026-06-08T10:00:00.000Z' }])
  })

  it('matches the slots × busy reference on random busy data and buffers across a DST change', () => {
    const base: Omit<ComputeSlotsInput, 'config' | 'busy'> = {
      timezone: 'Europe/Berlin',
      viewZone: 'America/New_York',
      rules: [
        ...DAILY.map((d) => weekly(d, '08:00', '18:00', 30)),
        ...DAILY.map((d) => weekly(d, '20:00', '01:00', null)),
        weekly(SAT, '09:00', '12:00', 45),
      ],
      duration: 90,
      from: '2026-03-22',
      to: '2026-04-04',
      now: Date.parse('2026-03-23T11:17:00Z'),
    }
    const widest = busyQueryRange(base.from, base.to, base.viewZone, { bufferBeforeMin: 20, bufferAfterMin: 20 })
    // Bookings start on whole minutes from a day before the widest busy query to a day after it.
    const firstMinute = Math.floor(widest.start / 60_000) - 1_440
    const lastMinute = Math.ceil(widest.end / 60_000) + 1_440
    let mixedRuns = 0
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.array(
          fc.record({
            start: fc.integer({ min: firstMinute, max: lastMinute }),
            length: fc.integer({ min: 0, max: 240 }),
          }),
          { maxLength: 400, size: 'max' },
        ),
        (bufferBeforeMin, bufferAfterMin, raw) => {
          const input: ComputeSlotsInput = {
            ...base,
            config: { durations: [45, 90], bufferBeforeMin, bufferAfterMin, minNoticeMin: 90 },
            busy: raw.map((b) => ({ start: b.start * 60_000, end: (b.start + b.length) * 60_000 })),
          }
          const all = computeSlots({ ...input, busy: [] })
          const margins = { beforeMs: bufferBeforeMin * 60_000, afterMs: bufferAfterMin * 60_000 }
          const reference = freeDaysByOracle(all, input.busy, margins)

          const swept = computeSlots(input)
          expect(swept).toEqual(reference)
          // Fetching only what busyQueryRange covers changes nothing.
          const range = busyQueryRange(input.from, input.to, input.viewZone, input.config)
          const fetched = input.busy.filter((b) => b.start < range.end && b.end > range.start)
          expect(computeSlots({ ...input, busy: fetched })).toEqual(reference)
          const freeCount = swept.reduce((n, d) => n + d.slots.length, 0)
          const allCount = all.reduce((n, d) => n + d.slots.length, 0)
          if (freeCount > 0 && freeCount < allCount) mixedRuns++
        },
      ),
      { numRuns: 100 },
    )
    // Most runs both keep and drop slots, so the comparison is not between two trivial answers.
    expect(mixedRuns).toBeGreaterThan(75)
  })
})

describe('availabilityRange', () => {
  it.each([
    ['is 23 h on a spring-forward day', '2026-03-29', '2026-03-29', 'Europe/Berlin', '2026-03-28T23:00:00.000Z', 23],
    ['is 25 h on a fall-back day', '2026-10-25', '2026-10-25', 'Europe/Berlin', '2026-10-24T22:00:00.000Z', 25],
    [
      'is 25 h on a New York fall-back day',
      '2026-11-01',
      '2026-11-01',
      'America/New_York',
      '2026-11-01T04:00:00.000Z',
      25,
    ],
    [
      'spans whole days inclusive of `to`',
      '2026-06-08',
      '2026-06-14',
      'Asia/Tokyo',
      '2026-06-07T15:00:00.000Z',
      7 * 24,
    ],
  ])('%s', (_, from, to, zone, start, hours) => {
    const range = availabilityRange(from, to, zone)
    expect(new Date(range.start).toISOString()).toBe(start)
    expect((range.end - range.start) / 3_600_000).toBe(hours)
  })
})

describe('busyQueryRange', () => {
  it.each([
    [
      'widens the start by both buffers and the end by both buffers plus 48 h',
      { bufferBeforeMin: 10, bufferAfterMin: 15 },
      '2026-06-07T23:35:00.000Z',
      '2026-06-11T00:25:00.000Z',
    ],
    ['widens only the end without buffers', {}, '2026-06-08T00:00:00.000Z', '2026-06-11T00:00:00.000Z'],
  ])('%s', (_, config, start, end) => {
    const range = busyQueryRange('2026-06-08', '2026-06-08', 'UTC', config)
    expect([new Date(range.start).toISOString(), new Date(range.end).toISOString()]).toEqual([start, end])
  })
})
