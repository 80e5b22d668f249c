import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ScheduleRule, SlotConfig } from './types'
import { formatEpochDay, toEpochDay } from './calendar-days'
import {
  availabilityRange,
  computeFreeSlots,
  computeSlots,
  daysWithinSlotLimit,
  type ComputeSlotsInput,
} from './compute-slots'
import { candidateSlotsByOracle, freeSlotsByOracle, type StartRule, type WallOpening } from '../../test/slot-oracle'

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
  from: '2026-06-08',
  to: '2026-06-08',
  now: NOW,
}

/** Each day's slots as `HH:MM–HH:MM` in the resource zone's offset as printed by the engine (UTC here). */
function starts(input: ComputeSlotsInput): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const day of computeSlots(input)) {
    out[day.date] = day.slots.map((s) => `${s.start.slice(11, 16)}–${s.end.slice(11, 16)}`)
  }
  return out
}

describe('slotStepMin', () => {
  it('starts a 60-minute slot every 15 minutes of a 09:00–12:00 window, each fitting inside it', () => {
    const input = { ...base, rules: daily('09:00', '12:00', 60), config: { slotStepMin: 15 } }
    expect(starts(input)['2026-06-08']).toEqual([
      '09:00–10:00',
      '09:15–10:15',
      '09:30–10:30',
      '09:45–10:45',
      '10:00–11:00',
      '10:15–11:15',
      '10:30–11:30',
      '10:45–11:45',
      '11:00–12:00',
    ])
  })

  it('steps undivided windows by it whatever duration the guest picks', () => {
    const input = {
      ...base,
      rules: daily('09:00', '11:00', null),
      config: { durations: [30, 90], slotStepMin: 20 },
      duration: 90,
    }
    expect(starts(input)['2026-06-08']).toEqual(['09:00–10:30', '09:20–10:50'])
  })

  it('spaces starts by more than the length when the step is longer', () => {
    const input = { ...base, rules: daily('09:00', '12:00', 30), config: { slotStepMin: 60 } }
    expect(starts(input)['2026-06-08']).toEqual(['09:00–09:30', '10:00–10:30', '11:00–11:30'])
  })

  it('steps by real minutes across a spring-forward jump: Berlin 2026-03-29, 01:00–05:00, 60 every 30', () => {
    const input = {
      ...base,
      timezone: 'Europe/Berlin',
      viewZone: 'Europe/Berlin',
      from: '2026-03-29',
      to: '2026-03-29',
      rules: daily('01:00', '05:00', 60),
      config: { slotStepMin: 30 },
    }
    // The window is three real hours (00:00Z–03:00Z): five starts, half-hourly in UTC.
    const day = computeSlots(input)[0]!
    expect(day.slots.map((s) => s.start.slice(11, 16))).toEqual(['00:00', '00:30', '01:00', '01:30', '02:00'])
  })
})

describe('startTimes', () => {
  it('starts only at the listed times inside a 09:00–17:00 window', () => {
    const input = { ...base, rules: daily('09:00', '17:00', 60), config: { startTimes: ['09:00', '11:30', '15:00'] } }
    expect(starts(input)['2026-06-08']).toEqual(['09:00–10:00', '11:30–12:30', '15:00–16:00'])
  })

  it('leaves out a time whose slot would not fit before the window ends, and times outside it', () => {
    const input = {
      ...base,
      rules: daily('09:00', '17:00', 60),
      config: { startTimes: ['08:30', '09:00', '16:00', '16:30', '17:00'] },
    }
    expect(starts(input)['2026-06-08']).toEqual(['09:00–10:00', '16:00–17:00'])
  })

  it('fits the length the guest picks in undivided windows', () => {
    const input = {
      ...base,
      rules: daily('09:00', '17:00', null),
      config: { durations: [60, 120], startTimes: ['09:00', '15:30'] },
    }
    expect(starts({ ...input, duration: 60 })['2026-06-08']).toEqual(['09:00–10:00', '15:30–16:30'])
    expect(starts({ ...input, duration: 120 })['2026-06-08']).toEqual(['09:00–11:00'])
  })

  it('takes the late times of the first day and the early ones of the next in a window across midnight', () => {
    const input = {
      ...base,
      rules: daily('22:00', '02:00', 60),
      config: { startTimes: ['00:30', '01:30', '22:00', '23:30'] },
      from: '2026-06-08',
      to: '2026-06-09',
    }
    expect(starts(input)).toEqual({
      // 00:30 on the 8th belongs to the window that opened on the 7th.
      '2026-06-08': ['00:30–01:30', '22:00–23:00', '23:30–00:30'],
      '2026-06-09': ['00:30–01:30', '22:00–23:00', '23:30–00:30'],
    })
  })

  it('offers a last start that ends exactly at a 24:00 end', () => {
    const input = { ...base, rules: daily('20:00', '24:00', 60), config: { startTimes: ['20:00', '23:00', '23:30'] } }
    expect(starts(input)['2026-06-08']).toEqual(['20:00–21:00', '23:00–00:00'])
  })

  it('skips a time the spring-forward jump removes: Berlin 2026-03-29 has no 02:30', () => {
    const input = {
      ...base,
      timezone: 'Europe/Berlin',
      viewZone: 'Europe/Berlin',
      from: '2026-03-29',
      to: '2026-03-29',
      rules: daily('01:00', '06:00', 30),
      config: { startTimes: ['01:30', '02:30', '04:00'] },
    }
    // Not moved forward to 03:30 either, as a window start in the gap would be.
    const day = computeSlots(input)[0]!
    expect(day.slots.map((s) => s.start)).toEqual(['2026-03-29T00:30:00.000Z', '2026-03-29T02:00:00.000Z'])
  })

  it('starts a repeated time once, at its first occurrence: Berlin 2026-10-25 02:30 is 00:30Z', () => {
    const input = {
      ...base,
      timezone: 'Europe/Berlin',
      viewZone: 'Europe/Berlin',
      from: '2026-10-25',
      to: '2026-10-25',
      rules: daily('01:00', '06:00', 30),
      config: { startTimes: ['02:30', '03:30'] },
    }
    const day = computeSlots(input)[0]!
    expect(day.slots.map((s) => s.start)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-25T02:30:00.000Z'])
  })

  it('offers nothing of a repeated time whose first occurrence is before the window opens', () => {
    // New York falls back at 02:00 EDT → 01:00 EST: a window from 01:45 (the first, EDT one)
    // holds the second 01:50 too, but 01:50 has already been shown once that day.
    const input = {
      ...base,
      timezone: 'America/New_York',
      viewZone: 'America/New_York',
      from: '2026-11-01',
      to: '2026-11-01',
      rules: daily('01:45', '04:00', 5),
      config: { startTimes: ['01:50', '03:00'] },
    }
    const day = computeSlots(input)[0]!
    expect(day.slots.map((s) => s.start)).toEqual(['2026-11-01T05:50:00.000Z', '2026-11-01T08:00:00.000Z'])
  })
})

describe('slot limit with starts closer than the length or fixed', () => {
  const plusDays = (date: string, days: number) => formatEpochDay(toEpochDay(date) + days)
  const total = (input: ComputeSlotsInput) => computeSlots(input).reduce((n, d) => n + d.slots.length, 0)

  it.each<[string, SlotConfig, number]>([
    ['a 60-minute slot every 15 minutes', { slotStepMin: 15 }, 29],
    ['fixed start times', { startTimes: ['09:00', '10:30', '16:00', '17:00'] }, 3],
  ])('counts %s as the cut offers them', (_name, config, perDay) => {
    const input = { ...base, rules: daily('09:00', '17:00', 60), config, from: '2026-06-01', to: '2026-06-30' }
    expect(total({ ...input, to: '2026-06-01' })).toBe(perDay)
    const fit = daysWithinSlotLimit(input, perDay * 4 + 1)
    expect(fit).toBe(4)
    expect(total({ ...input, to: plusDays(input.from, 3) })).toBeLessThanOrEqual(perDay * 4 + 1)
    expect(daysWithinSlotLimit(input, perDay * 30)).toBeUndefined()
  })
})

describe('engine against the brute-force reference', () => {
  // Each range holds its zone's spring-forward or fall-back day.
  const ranges = [
    { zone: 'Europe/Berlin', from: '2026-03-28', to: '2026-03-30' },
    { zone: 'Europe/Berlin', from: '2026-10-24', to: '2026-10-26' },
    { zone: 'America/New_York', from: '2026-03-07', to: '2026-03-09' },
    { zone: 'America/New_York', from: '2026-10-31', to: '2026-11-02' },
  ]
  const wallTime = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 5, 15, 30, 45, 50))
    .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`)

  it('places the same starts with random steps, fixed times, windows and busy time', () => {
    let withSlots = 0
    fc.assert(
      fc.property(
        fc.constantFrom(...ranges),
        fc.array(fc.record({ start: wallTime, end: fc.oneof(wallTime, fc.constant('24:00')) }), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.integer({ min: 1, max: 24 }).map((n) => n * 5),
        fc.oneof(
          fc.integer({ min: 1, max: 24 }).map((n): StartRule => ({ stepMin: n * 5 })),
          fc.uniqueArray(wallTime, { minLength: 1, maxLength: 8 }).map((t): StartRule => ({ startTimes: t.sort() })),
        ),
        fc.boolean(),
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 4 * 1440 }), length: fc.integer({ min: 1, max: 180 }) }), {
          maxLength: 6,
        }),
        ({ zone, from, to }, windows, length, rule, undivided, rawBusy) => {
          const rules: ScheduleRule[] = windows.flatMap((w) =>
            DAILY.map((weekday) => ({
              weekday,
              specificDate: null,
              startTime: w.start,
              endTime: w.end,
              slotDuration: undivided ? null : length,
              isAvailable: true,
            })),
          )
          const config: SlotConfig = {
            ...(undivided ? { durations: [length] } : {}),
            ...('stepMin' in rule ? { slotStepMin: rule.stepMin } : { startTimes: rule.startTimes }),
          }
          const range = availabilityRange(from, to, zone)
          const busy = rawBusy.map((b) => ({
            start: range.start - 1440 * 60_000 + b.at * 60_000,
            end: range.start - 1440 * 60_000 + (b.at + b.length) * 60_000,
          }))
          const input: ComputeSlotsInput = { ...base, timezone: zone, viewZone: zone, rules, config, from, to, busy }
          const engine = computeFreeSlots(input).flatMap((d) => d.slots)

          const openings: WallOpening[] = []
          for (let day = toEpochDay(from) - 1; day <= toEpochDay(to); day++) {
            for (const w of windows) openings.push({ date: formatEpochDay(day), startTime: w.start, endTime: w.end })
          }
          const candidates = candidateSlotsByOracle(zone, openings, length, rule).filter(
            (s) => s.start >= range.start && s.start < range.end,
          )
          const reference = freeSlotsByOracle(candidates, busy, { beforeMs: 0, afterMs: 0 })
          expect(engine).toEqual(reference)
          if (reference.length > 0) withSlots++
        },
      ),
      { numRuns: 150 },
    )
    expect(withSlots).toBeGreaterThan(75)
  })
})
