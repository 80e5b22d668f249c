import type { Interval } from './types'
import type { Window } from './expand-windows'
import { MINUTE_MS } from './calendar-days'

export interface CutSlotsOptions {
  /** `config.durations`: the smallest is the step (and default length) in undivided windows. */
  durations?: number[] | undefined
  /** Requested length for undivided windows. */
  duration?: number | undefined
  /** Minutes between starts, whatever the length (`config.slotStepMin`); unset: the length (undivided: the smallest duration). */
  stepMin?: number | undefined
  /** Earliest allowed start, inclusive. */
  earliestStart: number
  /** Latest allowed start, inclusive. */
  latestStart: number
}

/**
 * Candidate slots of the windows whose start lies in [earliestStart, latestStart], sorted
 * by start then end, duplicates (same start and end from overlapping windows) removed.
 * Steps are real elapsed minutes from the window's start instant, so DST days get fewer
 * or more slots, never shifted ones; every slot fits inside its window. A step shorter than
 * the length gives slots that overlap one another (bookings still cannot). A window with
 * fixed `starts` offers those instead of a grid.
 */
export function cutSlots(windows: Window[], options: CutSlotsOptions): Interval[] {
  const slots: Interval[] = []
  for (const window of windows) {
    const { first, step, length, count, starts } = gridOf(window, options)
    if (starts !== undefined) for (const start of starts) slots.push({ start, end: start + length })
    else for (let i = 0, start = first; i < count; i++, start += step) slots.push({ start, end: start + length })
  }
  slots.sort((a, b) => a.start - b.start || a.end - b.end)
  return removeRepeats(slots)
}

/**
 * When `windows` would give more than `maxSlots` candidates: an instant before which at
 * most `maxSlots` of them start, reached without cutting any. Undefined when all fit. The
 * count is each window's own, so slots that overlapping windows share count twice (never
 * too few). `windows` must be sorted by start, as `expandWindows` returns them.
 */
export function slotLimitCutoff(windows: Window[], options: CutSlotsOptions, maxSlots: number): number | undefined {
  let counted = 0
  for (let k = 0; k < windows.length; k++) {
    const grid = gridOf(windows[k] as Window, options)
    if (counted + grid.count <= maxSlots) {
      counted += grid.count
      continue
    }
    // The first start of this window that does not fit; later windows start no earlier
    // than the next one does, so nothing of theirs comes before that either.
    const firstOver =
      grid.starts !== undefined
        ? (grid.starts[maxSlots - counted] as number)
        : grid.first + (maxSlots - counted) * grid.step
    return Math.min(firstOver, windows[k + 1]?.start ?? Infinity)
  }
  return undefined
}

interface Grid {
  first: number
  step: number
  length: number
  count: number
  /** A window with fixed starts: those in bounds (`count` of them); `first` and `step` then mean nothing. */
  starts?: number[]
}

/**
 * A window's slots as arithmetic: the first start in bounds, the step, the length and how
 * many. The arithmetic stays the common path; fixed start times list their starts instead.
 */
function gridOf(window: Window, options: CutSlotsOptions): Grid {
  const durations = options.durations ?? []
  let step: number
  let length: number
  if (window.slotDuration != null) {
    step = length = window.slotDuration * MINUTE_MS
  } else if (durations.length > 0) {
    step = Math.min(...durations) * MINUTE_MS
    length = options.duration != null ? options.duration * MINUTE_MS : step
  } else {
    step = length = window.end - window.start
  }
  if (window.starts !== undefined) {
    const latest = Math.min(window.end - length, options.latestStart)
    const starts = window.starts.filter((start) => start >= options.earliestStart && start <= latest)
    return { first: starts[0] ?? window.start, step, length, count: starts.length, starts }
  }
  if (options.stepMin != null) step = options.stepMin * MINUTE_MS
  // Skip straight to the first start in bounds: long windows with short steps mostly fall outside.
  let first = window.start
  if (first < options.earliestStart) first += Math.ceil((options.earliestStart - first) / step) * step
  const last = Math.min(window.end - length, options.latestStart)
  const count = first <= last ? Math.floor((last - first) / step) + 1 : 0
  return { first, step, length, count }
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
