import type { AvailabilityDay } from '../types'
import { computeSlots, type ComputeSlotsInput } from './compute-slots'

/**
 * Marks `full` the days of `days` (computed from `input`) that have no free time although
 * the schedule opens them: everything is booked or held. A closed day, or one wholly in the
 * past or beyond the horizon, stays unmarked. Only days without slots are looked at, and the
 * schedule is asked again only when there is such a day.
 */
export function markFullDays(days: AvailabilityDay[], input: ComputeSlotsInput): void {
  if (!days.some((day) => day.slots.length === 0)) return
  const open = computeSlots({ ...input, busy: [], places: undefined })
  open.forEach((day, i) => {
    const free = days[i]
    if (free && free.date === day.date && free.slots.length === 0 && day.slots.length > 0) free.full = true
  })
}
