import { describe, expect, it } from 'vitest'
import { decodeAvailability, encodeAvailability } from '../compact-availability'
import type { AvailabilityResponse, PublicResource } from '../types'
import { computeSlots, type ComputeSlotsInput } from './compute-slots'
import { markFullDays } from './full-days'
import type { ScheduleRule } from './types'

const DAILY: ScheduleRule[] = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
  weekday,
  specificDate: null,
  startTime: '09:00',
  endTime: '11:00',
  slotDuration: 60,
  isAvailable: true,
}))
/** Tuesday 9 June is closed for a holiday. */
const HOLIDAY: ScheduleRule = { ...DAILY[0]!, weekday: null, specificDate: '2026-06-09', isAvailable: false }

const input: ComputeSlotsInput = {
  timezone: 'Europe/Berlin',
  viewZone: 'Europe/Berlin',
  rules: [...DAILY, HOLIDAY],
  config: {},
  // Both of Wednesday's times are booked; Thursday keeps one.
  busy: [
    { start: Date.parse('2026-06-10T07:00:00Z'), end: Date.parse('2026-06-10T09:00:00Z') },
    { start: Date.parse('2026-06-11T07:00:00Z'), end: Date.parse('2026-06-11T08:00:00Z') },
  ],
  from: '2026-06-08',
  to: '2026-06-11',
  now: Date.parse('2026-06-08T08:30:00Z'),
}

describe('full days', () => {
  it('marks only a day the schedule opens and bookings fill: not a closed day, not a day already over', () => {
    const days = computeSlots(input)
    markFullDays(days, input)
    expect(days.map((d) => [d.date, d.slots.length, d.full ?? false])).toEqual([
      // Monday's last time started before now: nothing left to wait for, and not "full".
      ['2026-06-08', 0, false],
      ['2026-06-09', 0, false],
      ['2026-06-10', 0, true],
      ['2026-06-11', 1, false],
    ])
  })

  it('survives the compact format both ways', () => {
    const days = computeSlots(input)
    markFullDays(days, input)
    const body: AvailabilityResponse = { resource: {} as PublicResource, timezone: 'Europe/Berlin', days }
    const compact = encodeAvailability(body)
    expect(compact.days.map((d) => d.full ?? false)).toEqual([false, false, true, false])
    expect(decodeAvailability(compact).days).toEqual(days)
  })
})
