import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatEpochDay, toEpochDay } from './calendar-days'
import { computeSlots, daysWithinSlotLimit, type ComputeSlotsInput } from './compute-slots'
import type { ScheduleRule } from './types'

const NOW = Date.parse('2026-01-01T00:00:00Z')
const DAILY = [0, 1, 2, 3, 4, 5, 6]

const daily = (startTime: string, endTime: string, slotDuration: number | null): ScheduleRule[] =>
  DAILY.map((weekday) => ({ weekday, specificDate: null, startTime, endTime, slotDuration, isAvailable: true }))

const base: ComputeSlotsInput = {
  timezone: 'UTC',
  viewZone: 'UTC',
  rules: [],
  config: {},
  busy: [],
  from: '2026-06-01',
  to: '2026-06-30',
  now: NOW,
}

const count = (input: ComputeSlotsInput) => computeSlots(input).reduce((n, day) => n + day.slots.length, 0)
const plusDays = (date: string, days: number) => formatEpochDay(toEpochDay(date) + days)

describe('daysWithinSlotLimit', () => {
  it('is undefined when the whole range fits, and the whole days from `from` that fit when it does not', () => {
    const minutes = { ...base, rules: daily('00:00', '24:00', 1) }
    expect(daysWithinSlotLimit({ ...minutes, to: '2026-06-06' }, 10_000)).toBeUndefined()
    expect(daysWithinSlotLimit(minutes, 10_000)).toBe(6)
    expect(daysWithinSlotLimit(minutes, 1_440 * 2)).toBe(2)
    expect(daysWithinSlotLimit({ ...minutes, to: '2026-06-02' }, 1_440 * 2)).toBeUndefined()
    expect(daysWithinSlotLimit(minutes, 1_439)).toBe(0)
  })

  it('costs no slots to answer: 62 days of 1-minute slots are weighed without cutting them', () => {
    const input = { ...base, rules: daily('00:00', '24:00', 1), to: '2026-08-01' }
    const started = performance.now()
    for (let i = 0; i < 100; i++) expect(daysWithinSlotLimit(input, 10_000)).toBe(6)
    // 100 answers in well under what cutting 89,280 slots once takes.
    expect(performance.now() - started).toBeLessThan(500)
  })

  it('counts only offerable starts: before now + notice and past the horizon are free', () => {
    const now = Date.parse('2026-06-10T12:00:00Z')
    const minutes = { ...base, now, rules: daily('00:00', '24:00', 1) }
    // 10…30 June, from noon on the 10th: 720 + 20 × 1,440.
    expect(daysWithinSlotLimit({ ...minutes, to: '2026-06-15' }, 720 + 5 * 1_440)).toBeUndefined()
    expect(daysWithinSlotLimit({ ...minutes, to: '2026-06-16' }, 720 + 5 * 1_440)).toBe(15)
    expect(daysWithinSlotLimit({ ...minutes, config: { horizonDays: 2 } }, 10_000)).toBeUndefined()
  })

  it('weighs undivided windows by the smallest duration, the step', () => {
    const input = { ...base, rules: daily('00:00', '24:00', null), config: { durations: [2, 60] } }
    // 720 starts a day at a 2-minute step (a 60-minute booking has 691 of them).
    expect(daysWithinSlotLimit(input, 720 * 3)).toBe(3)
    expect(daysWithinSlotLimit({ ...input, duration: 60 }, 691 * 3)).toBe(3)
  })

  it('agrees with computeSlots: the days it names fit, one more does not (random schedules, zones, views)', () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu']
    const hhmm = (m: number) =>
      m === 1_440 ? '24:00' : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
    const openWindow = fc.record({
      length: fc.integer({ min: 30, max: 629 }),
      gapAfter: fc.integer({ min: 0, max: 59 }),
      slotDuration: fc.constantFrom(1, 5, 15, 60, null),
    })
    // A day is closed one time in five, else has up to three windows that do not overlap, as
    // the admin API makes them.
    const day = fc.record({
      closed: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      firstStart: fc.integer({ min: 0, max: 119 }),
      windows: fc.array(openWindow, { minLength: 3, maxLength: 3 }),
    })
    const weekRules = fc.array(day, { minLength: 7, maxLength: 7 }).map((week) => {
      const rules: ScheduleRule[] = []
      week.forEach(({ closed, firstStart, windows }, weekday) => {
        if (closed) return
        let minute = firstStart
        for (const w of windows) {
          if (minute >= 1_400) break
          const end = Math.min(1_440, minute + w.length)
          rules.push({
            weekday,
            specificDate: null,
            startTime: hhmm(minute),
            endTime: hhmm(end),
            slotDuration: w.slotDuration,
            isAvailable: true,
          })
          minute = end + w.gapAfter
        }
      })
      return rules
    })
    fc.assert(
      fc.property(
        weekRules,
        fc.integer({ min: 0, max: 229 }),
        fc.constantFrom(...zones),
        fc.constantFrom(...zones),
        fc.constantFrom(5, 10, 30),
        fc.integer({ min: 200, max: 6_199 }),
        (rules, offset, timezone, viewZone, duration, limit) => {
          const from = plusDays('2026-03-20', offset)
          const input: ComputeSlotsInput = {
            ...base,
            timezone,
            viewZone,
            rules,
            config: { durations: [duration] },
            from,
            to: plusDays(from, 30),
          }
          const fit = daysWithinSlotLimit(input, limit)
          if (fit === undefined) {
            expect(count(input)).toBeLessThanOrEqual(limit)
            return
          }
          if (fit > 0) expect(count({ ...input, to: plusDays(from, fit - 1) })).toBeLessThanOrEqual(limit)
          expect(count({ ...input, to: plusDays(from, fit) })).toBeGreaterThan(limit)
        },
      ),
      { numRuns: 100 },
    )
  })
})
