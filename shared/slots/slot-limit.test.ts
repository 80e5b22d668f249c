import { describe, expect, it } from 'vitest'
import { formatEpochDay, toEpochDay } from './calendar-days'
import { computeSlots, daysWithinSlotLimit, type ComputeSlotsInput } from './compute-slots'
import { createSeededRandom } from './seeded-random'
import type { ScheduleRule } from './types'

const NOW = Date.parse('2026-01-01T00:00:00Z')
const DAILY = [0, 1, 2, 3, 4, 5, 6]

const daily = (startTime: string, endTime: string, slotDuration: number | null): ScheduleRule[] =>
  DAILY.map((weekday) => ({ weekday, specificDate: null, startTime, endTime, slotDuration, isAvailable: true }))

const base: ComputeSlotsInput = { timezone: 'UTC', viewZone: 'UTC', rules: [], config: {}, busy: [], from: '2026-06-01', to: '2026-06-30', now: NOW }

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
    for (let seed = 1; seed <= 60; seed++) {
      const random = createSeededRandom(seed)
      const pick = <T,>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T
      const rules: ScheduleRule[] = []
      for (const weekday of DAILY) {
        if (random() < 0.2) continue
        // Up to three windows a day that do not overlap, as the admin API makes them.
        let minute = Math.floor(random() * 120)
        for (let w = 0; w < 3 && minute < 1_400; w++) {
          const end = Math.min(1_440, minute + 30 + Math.floor(random() * 600))
          const hhmm = (m: number) => (m === 1_440 ? '24:00' : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`)
          rules.push({ weekday, specificDate: null, startTime: hhmm(minute), endTime: hhmm(end), slotDuration: pick([1, 5, 15, 60, null]), isAvailable: true })
          minute = end + Math.floor(random() * 60)
        }
      }
      const from = plusDays('2026-03-20', Math.floor(random() * 230))
      const input: ComputeSlotsInput = {
        ...base,
        timezone: pick(zones),
        viewZone: pick(zones),
        rules,
        config: { durations: [pick([5, 10, 30])] },
        from,
        to: plusDays(from, 30),
      }
      const limit = 200 + Math.floor(random() * 6_000)
      const fit = daysWithinSlotLimit(input, limit)
      const label = `seed ${seed}`
      if (fit === undefined) {
        expect(count(input), label).toBeLessThanOrEqual(limit)
        continue
      }
      if (fit > 0) expect(count({ ...input, to: plusDays(from, fit - 1) }), label).toBeLessThanOrEqual(limit)
      expect(count({ ...input, to: plusDays(from, fit) }), label).toBeGreaterThan(limit)
    }
  })
})
