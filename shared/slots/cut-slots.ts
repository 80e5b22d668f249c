import type { Interval } from './types'
import type { Window } from './expand-windows'
import { MINUTE_MS } from './calendar-days'

export interface CutSlotsOptions {
  /** `config.durations`: the smallest is the step (and default length) in undivided windows. */
  durations?: number[] | undefined
  /** Requested length for undivided windows. */
  duration?: number | undefined
  /** Earliest allowed start, inclusive. */
  earliestStart: number
  /** Latest allowed start, inclusive. */
  latestStart: number
}

/**
 * Candidate slots of the windows whose start lies in [earliestStart, latestStart], sorted
 * by start then end, duplicates (same start and end from overlapping windows) removed.
 * Steps are real elapsed minutes from the window's start instant, so DST days get fewer
 * or more slots, never shifted ones; every slot fits inside its window.
 */
export function cutSlots(windows: Window[], options: CutSlotsOptions): Interval[] {
  const { earliestStart, latestStart } = options
  const durations = options.durations ?? []
  const smallest = durations.length > 0 ? Math.min(...durations) * MINUTE_MS : null
  const slots: Interval[] = []
  for (const window of windows) {
    let step: number
    let length: number
    if (window.slotDuration != null) {
      step = length = window.slotDuration * MINUTE_MS
    } else if (smallest !== null) {
      step = smallest
      length = options.duration != null ? options.duration * MINUTE_MS : smallest
    } else {
      step = length = window.end - window.start
    }
    // Skip straight to the first start in bounds: long windows with short steps mostly fall outside.
    let start = window.start
    if (start < earliestStart) start += Math.ceil((earliestStart - start) / step) * step
    for (; start + length <= window.end && start <= latestStart; start += step) {
      slots.push({ start, end: start + length })
    }
  }
  slots.sort((a, b) => a.start - b.start || a.end - b.end)
  return removeRepeats(slots)
}

function removeRepeats(sorted: Interval[]): Interval[] {
  let kept = 0
  for (const slot of sorted) {
    const last = sorted[kept - 1]
    if (last !== undefined && last.start === slot.start && last.end === slot.end) continue
    sorted[kept++] = slot
  }
  sorted.length = kept
  return sorted
}
