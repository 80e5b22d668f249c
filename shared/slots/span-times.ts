import type { SpanConfig } from '../resource-config'
import { wallTimeMinutes } from '../wall-time'
import { DAY_MS, MINUTE_MS } from './calendar-days'
import type { Window } from './expand-windows'
import type { Buffers } from './subtract-busy'
import type { Interval } from './types'
import type { ZoneClock } from './zone-clock'

/*
 * When a span across days (a car, a room by the night) may start and end: the slot
 * engine's windows (expandWindows, in the resource's zone) read as handover times instead
 * of being cut into slots. Pure: the windows, busy time, notice and horizon come in.
 */

/** Pickup and return times step by this many minutes from a window's start unless the span says otherwise. */
export const DEFAULT_SPAN_STEP_MIN = 30

export interface SpanTimesInput {
  span: SpanConfig
  /**
   * The resource's open windows as instants, sorted by start (as expandWindows returns
   * them), covering every day a span may start or end on.
   */
  windows: Window[]
  /** The resource's zone: check-in and check-out are wall times on a date in it. */
  clock: ZoneClock
  /** Occupied intervals (bookings, other sessions' holds), unbuffered, any order. */
  busy: Interval[]
  /** The resource's buffers, in ms: they widen a span and every busy interval alike. */
  buffers: Buffers
  /** No span starts before this (now plus the minimum notice). */
  earliestStart: number
  /** No span ends after this (now plus the horizon). */
  horizon: number
}

/** Why a span is refused; `taken` only when every other rule holds. */
export type SpanRefusal =
  | 'not_after_start'
  | 'start_outside_hours'
  | 'end_outside_hours'
  | 'start_off_grid'
  | 'end_off_grid'
  | 'not_check_in'
  | 'not_check_out'
  | 'too_short'
  | 'too_long'
  | 'too_soon'
  | 'beyond_horizon'
  | 'taken'

export interface SpanTimes {
  /** The step of the pickup and return grid, in minutes. */
  stepMin: number
  /** Pickups in [from, to) from which at least one span can be booked, ascending. */
  pickups(from: number, to: number): number[]
  /** Every instant a span from `start` may end at, ascending; empty when none can start then. */
  returns(start: number): number[]
  /** Why [start, end) cannot be booked, or undefined when it can. */
  check(start: number, end: number): SpanRefusal | undefined
}

/** Candidate handover instants, ascending; by the night, each with the resource-local day it belongs to. */
interface Candidates {
  at: number[]
  day: number[]
}

export function createSpanTimes(input: SpanTimesInput): SpanTimes {
  const { span, windows, clock, earliestStart, horizon } = input
  const stepMin = span.stepMin ?? DEFAULT_SPAN_STEP_MIN
  const step = stepMin * MINUTE_MS
  const minMs = span.minMinutes * MINUTE_MS
  const maxMs = span.maxMinutes * MINUTE_MS
  const checkIn = span.checkIn !== undefined ? wallTimeMinutes(span.checkIn) : undefined
  const checkOut = span.checkOut !== undefined ? wallTimeMinutes(span.checkOut) : undefined
  const byNight = checkIn !== undefined && checkOut !== undefined
  // A room by the night is handed over at its own check-in and check-out times, which
  // usually lie outside the staffed hours the schedule states (a key box at 15:00, the
  // desk open 08:00–12:00): the windows only say which dates a stay may begin or end on.
  const openDays = byNight ? [...new Set(windows.map((w) => clock.dayOf(w.start)))].sort((a, b) => a - b) : []
  const atWallTime = (day: number, minutes: number) => clock.toInstant(day * DAY_MS + minutes * MINUTE_MS)
  const starts: Candidates = byNight
    ? { at: openDays.map((d) => atWallTime(d, checkIn)), day: openDays }
    : gridCandidates(windows, step, false)
  const ends: Candidates = byNight
    ? { at: openDays.map((d) => atWallTime(d, checkOut)), day: openDays }
    : gridCandidates(windows, step, true)
  const blocked = mergeBlocked(input.busy, input.buffers)

  /** The latest end the busy time, the longest span and the horizon leave a span from `start`; -Infinity when it is blocked. */
  function ceilingOf(start: number): number {
    const k = lastAtOrBefore(blocked.start, start)
    if (k >= 0 && start < (blocked.end[k] as number)) return -Infinity
    const next = k + 1 < blocked.start.length ? (blocked.start[k + 1] as number) : Infinity
    return Math.min(start + maxMs, horizon, next)
  }

  /** Whether `start` is a candidate pickup the notice and horizon allow (busy time aside); its day, or undefined. */
  function pickupDay(start: number): number | undefined {
    if (start < earliestStart || start > horizon) return undefined
    const k = lastAtOrBefore(starts.at, start)
    return k >= 0 && starts.at[k] === start ? (starts.day[k] ?? 0) : undefined
  }

  /** The index of the first end candidate a span from `start` may take, or -1. */
  function firstReturn(start: number, day: number, ceiling: number): number {
    let k = lastAtOrBefore(ends.at, start + minMs - 1) + 1
    // By the night, a stay ends on a later date than it begins.
    while (byNight && k < ends.at.length && (ends.day[k] as number) <= day) k++
    return k < ends.at.length && (ends.at[k] as number) <= ceiling ? k : -1
  }

  return {
    stepMin,
    pickups(from, to) {
      const found: number[] = []
      for (let k = Math.max(0, lastAtOrBefore(starts.at, Math.max(from, earliestStart) - 1) + 1); ; k++) {
        const start = starts.at[k]
        if (start === undefined || start >= to || start > horizon) break
        const ceiling = ceilingOf(start)
        if (ceiling > start && firstReturn(start, starts.day[k] ?? 0, ceiling) >= 0) found.push(start)
      }
      return found
    },
    returns(start) {
      const day = pickupDay(start)
      if (day === undefined) return []
      const ceiling = ceilingOf(start)
      const found: number[] = []
      const first = firstReturn(start, day, ceiling)
      if (first < 0) return found
      for (let k = first; k < ends.at.length && (ends.at[k] as number) <= ceiling; k++) {
        if (!byNight || (ends.day[k] as number) > day) found.push(ends.at[k] as number)
      }
      return found
    },
    check(start, end) {
      if (end <= start) return 'not_after_start'
      const refusal = byNight ? checkNights(start, end) : checkGrid(start, end)
      if (refusal) return refusal
      if (end - start < minMs) return 'too_short'
      if (end - start > maxMs) return 'too_long'
      if (start < earliestStart) return 'too_soon'
      if (end > horizon) return 'beyond_horizon'
      return end <= ceilingOf(start) ? undefined : 'taken'
    },
  }

  function checkGrid(start: number, end: number): SpanRefusal | undefined {
    const startPlace = placeIn(windows, start, step, false)
    if (startPlace !== 'on_grid') return startPlace === 'outside' ? 'start_outside_hours' : 'start_off_grid'
    const endPlace = placeIn(windows, end, step, true)
    if (endPlace !== 'on_grid') return endPlace === 'outside' ? 'end_outside_hours' : 'end_off_grid'
    return undefined
  }

  function checkNights(start: number, end: number): SpanRefusal | undefined {
    const startDay = clock.dayOf(start)
    if (start !== atWallTime(startDay, checkIn as number)) return 'not_check_in'
    if (!openDays.includes(startDay)) return 'start_outside_hours'
    const endDay = clock.dayOf(end)
    if (end !== atWallTime(endDay, checkOut as number)) return 'not_check_out'
    if (!openDays.includes(endDay)) return 'end_outside_hours'
    if (endDay <= startDay) return 'too_short'
    return undefined
  }
}

/**
 * Every grid instant of the windows, deduplicated: from each window's start by `step`, up
 * to before its end (pickups: the desk hands over while it is open) or up to and including
 * it (returns: a return at closing time is the last the desk takes).
 */
function gridCandidates(windows: Window[], step: number, withEnd: boolean): Candidates {
  const all: number[] = []
  let sorted = true
  for (const window of windows) {
    const last = window.end - (withEnd ? 0 : 1)
    for (let at = window.start; at <= last; at += step) {
      const previous = all.length > 0 ? (all[all.length - 1] as number) : -Infinity
      // A window ending where the next begins shares that instant.
      if (at === previous) continue
      if (at < previous) sorted = false
      all.push(at)
    }
  }
  // Windows rarely overlap, so the instants mostly come out in order already.
  if (sorted) return { at: all, day: [] }
  const at: number[] = []
  for (const instant of Float64Array.from(all).sort()) if (at[at.length - 1] !== instant) at.push(instant)
  // Days only matter by the night; grid handovers are told apart by their instants alone.
  return { at, day: [] }
}

/** Where an instant lies among the windows: on the grid of one, inside one but off its grid, or outside all. */
function placeIn(windows: Window[], at: number, step: number, withEnd: boolean): 'on_grid' | 'off_grid' | 'outside' {
  let place: 'off_grid' | 'outside' = 'outside'
  for (const window of windows) {
    if (window.start > at) break
    if (at < window.end || (withEnd && at === window.end)) {
      if ((at - window.start) % step === 0) return 'on_grid'
      place = 'off_grid'
    }
  }
  return place
}

/**
 * Busy time as the spans it forbids, merged: a span [s, e) widened by the buffers overlaps
 * a busy interval widened by them exactly when [s, e) overlaps the interval widened by
 * both buffers on each side. Empty intervals hold no instant and are dropped.
 */
function mergeBlocked(busy: Interval[], { beforeMs, afterMs }: Buffers): { start: number[]; end: number[] } {
  const reach = beforeMs + afterMs
  const sorted = busy
    .filter((b) => b.end > b.start)
    .map((b) => ({ start: b.start - reach, end: b.end + reach }))
    .sort((a, b) => a.start - b.start)
  const start: number[] = []
  const end: number[] = []
  for (const interval of sorted) {
    const last = end.length - 1
    if (last >= 0 && interval.start <= (end[last] as number)) {
      end[last] = Math.max(end[last] as number, interval.end)
    } else {
      start.push(interval.start)
      end.push(interval.end)
    }
  }
  return { start, end }
}

/** The index of the last element at or before `value` in an ascending array, or -1. */
function lastAtOrBefore(sorted: number[], value: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((sorted[mid] as number) <= value) lo = mid + 1
    else hi = mid
  }
  return lo - 1
}
