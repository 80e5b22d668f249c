import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { AvailabilityDay } from '../types'
import type { ScheduleRule } from './types'
import { busyQueryRange, computeFreeSlots, computeSlots, type ComputeSlotsInput } from './compute-slots'
import { freeDaysByOracle } from '../../test/slot-oracle'

/*
 * The numbers a pool merges must be the slots one resource's answer shows: the same days,
 * the same slots in the same order, the same places left. Random schedules, zones, buffers,
 * bookings and places, each answer formatted the plain way (`toISOString`) and compared with
 * `computeSlots` and with the oracle.
 */

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Kiritimati']
const TIMES = ['00:00', '06:30', '08:00', '09:15', '12:00', '17:45', '22:00', '24:00']

const rule = fc.record({
  weekday: fc.integer({ min: 0, max: 6 }),
  onDate: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
  startTime: fc.constantFrom(...TIMES.slice(0, -1)),
  endTime: fc.constantFrom(...TIMES),
  slotDuration: fc.constantFrom(null, 15, 30, 45, 60, 90),
  isAvailable: fc.boolean(),
})

function toRule(r: {
  weekday: number
  onDate: number | undefined
  startTime: string
  endTime: string
  slotDuration: number | null
  isAvailable: boolean
}): ScheduleRule {
  if (r.onDate === undefined) {
    return { ...r, specificDate: null, isAvailable: true }
  }
  const date = new Date(Date.parse('2026-03-20T00:00:00Z') + r.onDate * 86_400_000).toISOString().slice(0, 10)
  return { ...r, weekday: null, specificDate: date }
}

/** The numeric answer formatted without the engine's formatter. */
function formatted(input: ComputeSlotsInput): AvailabilityDay[] {
  const iso = (ms: number) => new Date(ms).toISOString()
  return computeFreeSlots(input).map((day) => ({
    date: day.date,
    slots: day.slots.map((slot, i) => ({
      start: iso(slot.start),
      end: iso(slot.end),
      ...(day.seatsLeft ? { seatsLeft: day.seatsLeft[i] } : {}),
    })),
  }))
}

describe('computeFreeSlots', () => {
  it('gives the slots of computeSlots as numbers, on random schedules, zones, bookings and places', () => {
    let withSlots = 0
    fc.assert(
      fc.property(
        fc.record({
          rules: fc.array(rule, { minLength: 2, maxLength: 10 }),
          timezone: fc.constantFrom(...ZONES),
          viewZone: fc.constantFrom(...ZONES),
          firstDay: fc.integer({ min: 3, max: 12 }),
          days: fc.integer({ min: 1, max: 7 }),
          durations: fc.option(fc.subarray([20, 30, 60, 120], { minLength: 1 }), { nil: undefined }),
          duration: fc.option(fc.constantFrom(20, 30, 60, 120), { nil: undefined }),
          bufferBeforeMin: fc.integer({ min: 0, max: 30 }),
          bufferAfterMin: fc.integer({ min: 0, max: 30 }),
          minNoticeMin: fc.integer({ min: 0, max: 1440 }),
          nowMinute: fc.integer({ min: 0, max: 3 * 1_440 }),
          busy: fc.array(
            fc.record({
              start: fc.integer({ min: 0, max: 20 * 96 }),
              quarters: fc.integer({ min: 0, max: 16 }),
              seats: fc.integer({ min: 1, max: 3 }),
            }),
            { maxLength: 60 },
          ),
          places: fc.option(
            fc.record({ capacity: fc.integer({ min: 1, max: 4 }), seats: fc.integer({ min: 1, max: 2 }) }),
            {
              nil: undefined,
            },
          ),
          heldCount: fc.integer({ min: 0, max: 5 }),
        }),
        (r) => {
          const origin = Date.parse('2026-03-18T00:00:00Z')
          const day = (n: number) => new Date(origin + n * 86_400_000).toISOString().slice(0, 10)
          const busy = r.busy.map((b) => ({
            start: origin + b.start * 900_000,
            end: origin + (b.start + b.quarters) * 900_000,
            seats: b.seats,
          }))
          const config = {
            ...(r.durations ? { durations: r.durations } : {}),
            bufferBeforeMin: r.bufferBeforeMin,
            bufferAfterMin: r.bufferAfterMin,
            minNoticeMin: r.minNoticeMin,
          }
          const base: ComputeSlotsInput = {
            timezone: r.timezone,
            viewZone: r.viewZone,
            rules: r.rules.map(toRule),
            config,
            busy: [],
            from: day(r.firstDay),
            to: day(r.firstDay + r.days - 1),
            now: origin + r.nowMinute * 60_000,
            ...(r.duration !== undefined ? { duration: r.duration } : {}),
          }
          const input: ComputeSlotsInput = r.places
            ? {
                ...base,
                places: {
                  ...r.places,
                  booked: busy.slice(r.heldCount),
                  held: busy.slice(0, r.heldCount),
                },
              }
            : { ...base, busy: busy.map(({ start, end }) => ({ start, end })) }

          const numeric = formatted(input)
          expect(numeric).toEqual(computeSlots(input))
          if (!r.places) {
            const margins = { beforeMs: r.bufferBeforeMin * 60_000, afterMs: r.bufferAfterMin * 60_000 }
            expect(numeric).toEqual(freeDaysByOracle(formatted({ ...input, busy: [] }), input.busy, margins))
          }
          // In start, then end, order within each day, each start on its own day: what the pool's merge relies on.
          const range = busyQueryRange(input.from, input.to, input.viewZone, {})
          let previous = { start: -Infinity, end: -Infinity }
          for (const d of computeFreeSlots(input)) {
            for (const slot of d.slots) {
              expect(slot.start > previous.start || (slot.start === previous.start && slot.end > previous.end)).toBe(
                true,
              )
              expect(slot.start).toBeGreaterThanOrEqual(range.start)
              previous = slot
            }
          }
          if (numeric.some((d) => d.slots.length > 0)) withSlots++
        },
      ),
      { numRuns: 300 },
    )
    // Many runs offer something, so the comparison is not mostly between two empty answers.
    expect(withSlots).toBeGreaterThan(100)
  })
})
