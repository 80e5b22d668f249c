import fc from 'fast-check'
import { Temporal } from 'temporal-polyfill'
import { describe, expect, it } from 'vitest'
import type { SpanConfig } from '../resource-config'
import { DAY_MS, MINUTE_MS, toEpochDay } from './calendar-days'
import { expandWindows, type Window } from './expand-windows'
import { createSpanTimes, type SpanTimesInput } from './span-times'
import type { Interval, ScheduleRule } from './types'
import { createZoneClock } from './zone-clock'

const BERLIN = 'Europe/Berlin'
const HOUR = 60 * MINUTE_MS
const iso = (ms: number) => new Date(ms).toISOString()
const at = (text: string) => Date.parse(text)

function daily(startTime: string, endTime: string): ScheduleRule[] {
  return [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
    weekday,
    specificDate: null,
    startTime,
    endTime,
    slotDuration: null,
    isAvailable: true,
  }))
}

function closed(date: string): ScheduleRule {
  return {
    weekday: null,
    specificDate: date,
    startTime: '00:00',
    endTime: '24:00',
    slotDuration: null,
    isAvailable: false,
  }
}

/** The rules' windows in a zone over [from, to] (local dates), with the clock they were read with. */
function windowsOf(rules: ScheduleRule[], zone: string, from: string, to: string) {
  const clock = createZoneClock(zone, { start: (toEpochDay(from) - 3) * DAY_MS, end: (toEpochDay(to) + 3) * DAY_MS })
  return { clock, windows: expandWindows(rules, clock, toEpochDay(from), toEpochDay(to)) }
}

const CAR: SpanConfig = { minMinutes: 240, maxMinutes: 14 * 1440, pricing: 'per_day' }

/** A car open 08:00–18:00 in Berlin every day of December 2026, asked on 1 December. */
function car(overrides: Partial<SpanTimesInput> = {}, rules = daily('08:00', '18:00')) {
  const { clock, windows } = windowsOf(rules, BERLIN, '2026-11-30', '2027-01-31')
  const now = at('2026-12-01T00:00:00Z')
  return createSpanTimes({
    span: CAR,
    windows,
    clock,
    busy: [],
    buffers: { beforeMs: 0, afterMs: 0 },
    earliestStart: now,
    horizon: now + 365 * DAY_MS,
    ...overrides,
  })
}

/** Friday 4 December 2026 in Berlin (UTC+1). */
const FRI = (time: string) => at(`2026-12-04T${time}:00+01:00`)
const SAT = (time: string) => at(`2026-12-05T${time}:00+01:00`)
const SUN = (time: string) => at(`2026-12-06T${time}:00+01:00`)
const MON = (time: string) => at(`2026-12-07T${time}:00+01:00`)

describe('createSpanTimes: a car open 08:00–18:00 every day', () => {
  it('offers pickups every 30 minutes from opening, the last half an hour before closing', () => {
    const pickups = car().pickups(FRI('00:00'), SAT('00:00'))
    expect(pickups).toHaveLength(20)
    expect(iso(pickups[0]!)).toBe(iso(FRI('08:00')))
    expect(iso(pickups.at(-1)!)).toBe(iso(FRI('17:30')))
  })

  it('returns a Friday 10:00 pickup from four hours on, Monday 09:00 included, up to 14 days later', () => {
    const returns = car().returns(FRI('10:00'))
    expect(iso(returns[0]!)).toBe(iso(FRI('14:00')))
    expect(returns).toContain(FRI('18:00'))
    expect(returns).toContain(MON('09:00'))
    expect(returns).not.toContain(SAT('07:30'))
    expect(returns).not.toContain(SAT('18:30'))
    expect(iso(returns.at(-1)!)).toBe(iso(FRI('10:00') + 14 * DAY_MS))
    expect(car().check(FRI('10:00'), MON('09:00'))).toBeUndefined()
  })

  it('stops returns at the next booking and offers no pickup inside one or too close before it', () => {
    const times = car({ busy: [{ start: SAT('10:00'), end: SUN('10:00') }] })
    const returns = times.returns(FRI('10:00'))
    expect(iso(returns.at(-1)!)).toBe(iso(SAT('10:00')))
    const saturday = times.pickups(SAT('00:00'), SUN('00:00'))
    // 08:00 would have to be back by 10:00, under the four-hour minimum.
    expect(saturday).toEqual([])
    expect(iso(times.pickups(SUN('00:00'), MON('00:00'))[0]!)).toBe(iso(SUN('10:00')))
    expect(times.check(FRI('10:00'), SAT('10:30'))).toBe('taken')
    expect(times.check(FRI('10:00'), SAT('10:00'))).toBeUndefined()
  })

  it('widens bookings and spans by both buffers', () => {
    const times = car({
      busy: [{ start: SAT('10:00'), end: SUN('10:00') }],
      buffers: { beforeMs: 30 * MINUTE_MS, afterMs: 60 * MINUTE_MS },
    })
    expect(iso(times.returns(FRI('10:00')).at(-1)!)).toBe(iso(SAT('08:30')))
    expect(iso(times.pickups(SUN('00:00'), MON('00:00'))[0]!)).toBe(iso(SUN('11:30')))
  })

  it('keeps notice and horizon: nothing starts before the notice, nothing ends past the horizon', () => {
    const times = car({ earliestStart: FRI('12:10'), horizon: MON('09:00') })
    expect(iso(times.pickups(FRI('00:00'), SAT('00:00'))[0]!)).toBe(iso(FRI('12:30')))
    expect(times.returns(FRI('10:00'))).toEqual([])
    expect(iso(times.returns(FRI('12:30')).at(-1)!)).toBe(iso(MON('09:00')))
    // Sunday 17:30 can come back on Monday at 08:00 or 09:00; Monday's own pickups have no return in time.
    expect(times.pickups(SUN('17:30'), MON('00:00'))).toEqual([SUN('17:30')])
    expect(times.pickups(MON('00:00'), MON('23:00'))).toEqual([])
    expect(times.check(FRI('12:00'), MON('09:00'))).toBe('too_soon')
    expect(times.check(FRI('12:30'), MON('09:30'))).toBe('beyond_horizon')
  })

  it('skips closed dates for handovers but lets a span run through them', () => {
    const times = car({}, [...daily('08:00', '18:00'), closed('2026-12-05')])
    expect(times.pickups(SAT('00:00'), SUN('00:00'))).toEqual([])
    expect(times.returns(FRI('10:00')).some((r) => r >= SAT('00:00') && r < SUN('00:00'))).toBe(false)
    expect(times.check(FRI('10:00'), SUN('09:00'))).toBeUndefined()
    expect(times.check(FRI('10:00'), SAT('12:00'))).toBe('end_outside_hours')
  })

  it.each([
    ['a pickup before opening', FRI('07:30'), MON('09:00'), 'start_outside_hours'],
    ['a pickup at closing time', FRI('18:00'), MON('09:00'), 'start_outside_hours'],
    ['a return after closing', FRI('10:00'), MON('18:30'), 'end_outside_hours'],
    ['a pickup off the half-hour grid', FRI('10:15'), MON('09:00'), 'start_off_grid'],
    ['a return off the grid', FRI('10:00'), MON('09:10'), 'end_off_grid'],
    ['three hours', FRI('10:00'), FRI('13:00'), 'too_short'],
    ['14 days and half an hour', FRI('10:00'), FRI('10:30') + 14 * DAY_MS, 'too_long'],
    ['an end before the start', FRI('10:00'), FRI('09:00'), 'not_after_start'],
  ])('refuses %s', (_label, start, end, reason) => {
    expect(car().check(start, end)).toBe(reason)
  })
})

describe('createSpanTimes by the night (check-in 15:00, check-out 11:00)', () => {
  const ROOM: SpanConfig = {
    minMinutes: 60,
    maxMinutes: 7 * 1440,
    pricing: 'per_night',
    checkIn: '15:00',
    checkOut: '11:00',
  }
  // Reception hours: check-in and check-out lie outside them on purpose.
  const room = (rules = daily('08:00', '12:00')) => car({ span: ROOM }, rules)

  it('offers one pickup a day, at check-in, and returns at check-out on later dates', () => {
    const times = room()
    expect(times.pickups(FRI('00:00'), MON('00:00')).map(iso)).toEqual(
      [FRI('15:00'), SAT('15:00'), SUN('15:00')].map(iso),
    )
    const returns = times.returns(FRI('15:00'))
    expect(iso(returns[0]!)).toBe(iso(SAT('11:00')))
    expect(returns).toContain(MON('11:00'))
    expect(returns).toHaveLength(7)
    expect(times.check(FRI('15:00'), MON('11:00'))).toBeUndefined()
  })

  it.each([
    ['arriving at another time', FRI('14:00'), MON('11:00'), 'not_check_in'],
    ['leaving at another time', FRI('15:00'), MON('12:00'), 'not_check_out'],
    ['eight nights', FRI('15:00'), SAT('11:00') + 7 * DAY_MS, 'too_long'],
  ])('refuses %s', (_label, start, end, reason) => {
    expect(room().check(start, end)).toBe(reason)
  })

  it('refuses a stay beginning or ending on a closed date', () => {
    const times = room([...daily('08:00', '12:00'), closed('2026-12-07')])
    expect(times.check(FRI('15:00'), MON('11:00'))).toBe('end_outside_hours')
    expect(times.check(MON('15:00'), MON('11:00') + DAY_MS)).toBe('start_outside_hours')
    expect(times.returns(FRI('15:00'))).not.toContain(MON('11:00'))
  })

  it('counts nights by date across the spring-forward night: Saturday 15:00 → Sunday 11:00 is one night of 19 hours', () => {
    const { clock, windows } = windowsOf(daily('08:00', '12:00'), BERLIN, '2026-03-20', '2026-04-10')
    const now = at('2026-03-01T00:00:00Z')
    const times = createSpanTimes({
      span: ROOM,
      windows,
      clock,
      busy: [],
      buffers: { beforeMs: 0, afterMs: 0 },
      earliestStart: now,
      horizon: now + 365 * DAY_MS,
    })
    const saturday = at('2026-03-28T15:00:00+01:00')
    const returns = times.returns(saturday)
    expect(iso(returns[0]!)).toBe('2026-03-29T09:00:00.000Z')
    expect(returns[0]! - saturday).toBe(19 * HOUR)
  })
})

describe('createSpanTimes across DST changes in Berlin', () => {
  function berlin(rules: ScheduleRule[], span: SpanConfig, from: string, to: string) {
    const { clock, windows } = windowsOf(rules, BERLIN, from, to)
    const now = at('2026-01-01T00:00:00Z')
    return createSpanTimes({
      span,
      windows,
      clock,
      busy: [],
      buffers: { beforeMs: 0, afterMs: 0 },
      earliestStart: now,
      horizon: now + 365 * DAY_MS,
    })
  }
  const HOURLY: SpanConfig = { minMinutes: 60, maxMinutes: 3 * 1440, pricing: 'per_day', stepMin: 60 }

  it('steps in real minutes on the spring-forward day: 01:00–05:00 gives three pickups, like the slot engine', () => {
    const times = berlin(daily('01:00', '05:00'), HOURLY, '2026-03-27', '2026-04-02')
    const sunday = times.pickups(at('2026-03-29T00:00:00+01:00'), at('2026-03-30T00:00:00+02:00'))
    expect(sunday.map(iso)).toEqual([
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T02:00:00.000Z',
    ])
    // The window closes at 05:00 CEST, 03:00Z; a return at closing is taken.
    expect(
      times
        .returns(at('2026-03-29T00:00:00Z'))
        .filter((r) => r < at('2026-03-29T22:00:00Z'))
        .map(iso),
    ).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z', '2026-03-29T03:00:00.000Z'])
  })

  it('steps in real minutes on the fall-back day: 00:00–04:00 gives five pickups and six returns', () => {
    const times = berlin(daily('00:00', '04:00'), HOURLY, '2026-10-22', '2026-10-28')
    const sunday = times.pickups(at('2026-10-25T00:00:00+02:00'), at('2026-10-26T00:00:00+01:00'))
    expect(sunday.map(iso)).toEqual([
      '2026-10-24T22:00:00.000Z',
      '2026-10-24T23:00:00.000Z',
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T01:00:00.000Z',
      '2026-10-25T02:00:00.000Z',
    ])
    const sameDay = times.returns(at('2026-10-24T22:00:00Z')).filter((r) => r <= at('2026-10-25T03:00:00Z'))
    expect(sameDay).toHaveLength(5)
  })

  it('measures the minimum in real hours: a 24-hour minimum from Saturday 10:00 ends at Sunday 11:00 on the spring-forward weekend', () => {
    const times = berlin(
      daily('08:00', '18:00'),
      { minMinutes: 1440, maxMinutes: 3 * 1440, pricing: 'per_day' },
      '2026-03-26',
      '2026-04-02',
    )
    expect(iso(times.returns(at('2026-03-28T10:00:00+01:00'))[0]!)).toBe('2026-03-29T09:00:00.000Z')
  })
})

describe('createSpanTimes against a brute-force reading of the rules', () => {
  /** Local date (epoch day) of an instant, read with Temporal rather than the engine's clock. */
  const dayIn = (ms: number, zone: string) =>
    toEpochDay(Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).toPlainDate().toString())
  const wallInstant = (day: number, minutes: number, zone: string) =>
    Temporal.PlainDate.from(new Date(day * DAY_MS).toISOString().slice(0, 10))
      .toPlainDateTime({ hour: Math.floor(minutes / 60), minute: minutes % 60 })
      .toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds

  /** Every (pickup, return) pair the rules allow, found by trying all handover pairs. */
  function oracle(input: SpanTimesInput, zone: string): Map<number, number[]> {
    const { span, windows, earliestStart, horizon, busy, buffers } = input
    const step = (span.stepMin ?? 30) * MINUTE_MS
    const byNight = span.checkIn !== undefined
    const unique = (list: number[]) => [...new Set(list)].sort((a, b) => a - b)
    const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3))
    const openDays = unique(windows.map((w) => dayIn(w.start, zone)))
    const starts = byNight
      ? openDays.map((d) => wallInstant(d, minutesOf(span.checkIn!), zone))
      : unique(windows.flatMap((w) => grid(w, step).filter((t) => t < w.end)))
    const ends = byNight
      ? openDays.map((d) => wallInstant(d, minutesOf(span.checkOut!), zone))
      : unique(windows.flatMap((w) => grid(w, step)))
    const pairs = new Map<number, number[]>()
    for (const s of starts) {
      for (const e of ends) {
        if (e <= s || e - s < span.minMinutes * MINUTE_MS || e - s > span.maxMinutes * MINUTE_MS) continue
        if (s < earliestStart || e > horizon) continue
        if (byNight && dayIn(e, zone) <= dayIn(s, zone)) continue
        const overlaps = busy.some(
          (b) =>
            b.end > b.start &&
            s - buffers.beforeMs < b.end + buffers.afterMs &&
            b.start - buffers.beforeMs < e + buffers.afterMs,
        )
        if (overlaps) continue
        pairs.set(s, [...(pairs.get(s) ?? []), e])
      }
    }
    return pairs
  }

  function grid(window: Window, step: number): number[] {
    const out: number[] = []
    for (let t = window.start; t <= window.end; t += step) out.push(t)
    return out
  }

  const hhmm = (minutes: number) =>
    `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`

  const scenario = fc.record({
    // Around the spring-forward (29 March) or fall-back (25 October) weekend.
    around: fc.constantFrom('2026-03-25', '2026-10-21', '2026-06-10'),
    windows: fc.array(
      fc.record({
        weekday: fc.integer({ min: 0, max: 6 }),
        start: fc.integer({ min: 0, max: 23 }),
        length: fc.integer({ min: 1, max: 24 }),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    closedOffset: fc.option(fc.integer({ min: 0, max: 9 })),
    stepMin: fc.constantFrom(60, 90, 120, 180),
    minMinutes: fc.integer({ min: 1, max: 48 }).map((h) => h * 60),
    extraMinutes: fc.integer({ min: 0, max: 96 }).map((h) => h * 60),
    byNight: fc.option(
      fc.record({ checkIn: fc.integer({ min: 0, max: 23 }), checkOut: fc.integer({ min: 0, max: 23 }) }),
    ),
    busy: fc.array(fc.record({ startHour: fc.integer({ min: 0, max: 240 }), hours: fc.integer({ min: 0, max: 30 }) }), {
      maxLength: 5,
    }),
    beforeMin: fc.constantFrom(0, 30, 60),
    afterMin: fc.constantFrom(0, 45),
    noticeHours: fc.integer({ min: 0, max: 72 }),
    horizonHours: fc.integer({ min: 24, max: 300 }),
  })

  it('offers exactly the pickups and returns the rules allow, and checks agree', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const from = s.around
        const to = new Date((toEpochDay(from) + 12) * DAY_MS).toISOString().slice(0, 10)
        const rules: ScheduleRule[] = s.windows.map((w) => ({
          weekday: w.weekday,
          specificDate: null,
          startTime: hhmm(w.start * 60),
          endTime: w.start + w.length >= 24 ? '24:00' : hhmm((w.start + w.length) * 60),
          slotDuration: null,
          isAvailable: true,
        }))
        if (s.closedOffset !== null) {
          rules.push(closed(new Date((toEpochDay(from) + s.closedOffset) * DAY_MS).toISOString().slice(0, 10)))
        }
        const { clock, windows } = windowsOf(rules, BERLIN, from, to)
        const base = (toEpochDay(from) + 1) * DAY_MS
        const span: SpanConfig = {
          minMinutes: s.minMinutes,
          maxMinutes: s.minMinutes + s.extraMinutes,
          pricing: s.byNight ? 'per_night' : 'per_day',
          stepMin: s.stepMin,
          ...(s.byNight ? { checkIn: hhmm(s.byNight.checkIn * 60), checkOut: hhmm(s.byNight.checkOut * 60) } : {}),
        }
        const busy: Interval[] = s.busy.map((b) => ({
          start: base + b.startHour * HOUR,
          end: base + (b.startHour + b.hours) * HOUR,
        }))
        const input: SpanTimesInput = {
          span,
          windows,
          clock,
          busy,
          buffers: { beforeMs: s.beforeMin * MINUTE_MS, afterMs: s.afterMin * MINUTE_MS },
          earliestStart: base + s.noticeHours * HOUR,
          horizon: base + s.horizonHours * HOUR,
        }
        const times = createSpanTimes(input)
        const expected = oracle(input, BERLIN)
        const first = windows[0]?.start ?? base
        const last = (windows.at(-1)?.end ?? base) + DAY_MS
        expect(times.pickups(first - DAY_MS, last).map(iso)).toEqual(
          [...expected.keys()].sort((a, b) => a - b).map(iso),
        )
        for (const [start, ends] of expected) {
          expect(times.returns(start).map(iso)).toEqual(ends.map(iso))
          for (const end of ends) expect(times.check(start, end)).toBeUndefined()
        }
        // Every refusal is a pair the oracle does not allow, and vice versa, over all grid pairs.
        for (const window of windows.slice(0, 3)) {
          for (const start of grid(window, s.stepMin * MINUTE_MS)) {
            const allowed = new Set(expected.get(start) ?? [])
            for (const end of [start + s.minMinutes * MINUTE_MS, start + 25 * HOUR, start + 49 * HOUR]) {
              expect(times.check(start, end) === undefined).toBe(allowed.has(end))
            }
          }
        }
      }),
      { numRuns: 150 },
    )
  })
})
