import type { Buffers } from './subtract-busy'
import type { Interval, SeatInterval } from './types'

/** What a resource of several places needs to know about a range to say how many are free in each slot. */
export interface PlacesInput {
  /** Places at any instant. */
  capacity: number
  /** Places the guest asks for: a slot is offered when at least this many are free. */
  seats: number
  /** Occupying bookings, unbuffered, any order, may overlap. */
  booked: SeatInterval[]
  /**
   * Other sessions' live holds, unbuffered. Every hold overlapping a slot counts, as if all
   * met at one instant: the hold store refuses by the same sum, so a slot shown as free can
   * be held.
   */
  held: SeatInterval[]
}

/**
 * The places still free in each slot (same order): capacity − the most seats booked at any
 * instant of the slot's buffered span − the seats of every held span overlapping it. Spans
 * are widened by the buffers on both sides, as `subtractBusy` does for a resource of one
 * place, and are half-open: touching takes nothing. May be negative (more booked than the
 * capacity, e.g. after it was lowered for the future only).
 *
 * Bookings become a step function of seats over time, with a sparse table for the maximum
 * over any run of its steps; holds become two sorted prefix sums (held spans starting
 * before the slot's end, less those ending by its start). O((b + h + s) log(b + h)).
 */
export function seatsLeft(slots: Interval[], places: Omit<PlacesInput, 'seats'>, buffers: Buffers): number[] {
  const { beforeMs, afterMs } = buffers
  const mostBooked = createMostSeats(places.booked, buffers)
  const held = createOverlappingSeats(places.held, buffers)
  const left: number[] = new Array(slots.length)
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] as Interval
    const from = slot.start - beforeMs
    const until = slot.end + afterMs
    left[i] = places.capacity - mostBooked(from, until) - held(from, until)
  }
  return left
}

/**
 * The most seats `booked` take at any instant of `interval`, both widened by the buffers:
 * the count the engine makes for a slot, for callers that ask about one interval (a hold's).
 */
export function mostSeatsIn(booked: SeatInterval[], interval: Interval, buffers: Buffers): number {
  return createMostSeats(booked, buffers)(interval.start - buffers.beforeMs, interval.end + buffers.afterMs)
}

function createMostSeats(booked: SeatInterval[], { beforeMs, afterMs }: Buffers): (from: number, to: number) => number {
  const events: [number, number][] = []
  for (const interval of booked) {
    // An empty interval holds no instant, even when buffers would widen it.
    if (interval.end <= interval.start || !(interval.seats > 0)) continue
    events.push([interval.start - beforeMs, interval.seats], [interval.end + afterMs, -interval.seats])
  }
  if (events.length === 0) return () => 0
  // At one instant, ends before starts: a span ending there no longer holds it.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  // times[k]: where step k begins; steps[k]: seats taken on [times[k], times[k + 1]).
  const times: number[] = []
  const steps: number[] = []
  let running = 0
  for (let i = 0; i < events.length;) {
    const at = (events[i] as [number, number])[0]
    while (i < events.length && (events[i] as [number, number])[0] === at)
      running += (events[i++] as [number, number])[1]
    times.push(at)
    steps.push(running)
  }
  const rangeMax = createRangeMax(steps)
  return (from, to) => {
    // Steps overlapping [from, to): the one holding `from` (none before the first) to the last beginning before `to`.
    const first = Math.max(countAtMost(times, from) - 1, 0)
    const last = countBelow(times, to) - 1
    if (last < first) return 0
    return rangeMax(first, last)
  }
}

function createOverlappingSeats(
  held: SeatInterval[],
  { beforeMs, afterMs }: Buffers,
): (from: number, to: number) => number {
  const spans = held.filter((h) => h.end > h.start && h.seats > 0)
  if (spans.length === 0) return () => 0
  const byStart = spans.map((h) => [h.start - beforeMs, h.seats] as const).sort((a, b) => a[0] - b[0])
  const byEnd = spans.map((h) => [h.end + afterMs, h.seats] as const).sort((a, b) => a[0] - b[0])
  const starts = byStart.map((s) => s[0])
  const ends = byEnd.map((s) => s[0])
  const seatsBefore = (sorted: (readonly [number, number])[]) => {
    const sums = [0]
    for (const [, seats] of sorted) sums.push((sums[sums.length - 1] as number) + seats)
    return sums
  }
  const startSums = seatsBefore(byStart)
  const endSums = seatsBefore(byEnd)
  // A span ending by `from` started before it, so it is among those starting before `to`.
  return (from, to) => (startSums[countBelow(starts, to)] as number) - (endSums[countAtMost(ends, from)] as number)
}

/** Maximum of `values[i..j]` in O(1) after an O(n log n) table. */
function createRangeMax(values: number[]): (i: number, j: number) => number {
  const levels: number[][] = [values]
  for (let width = 2; width <= values.length; width *= 2) {
    const previous = levels[levels.length - 1] as number[]
    const half = width / 2
    const level: number[] = new Array(values.length - width + 1)
    for (let i = 0; i < level.length; i++) {
      level[i] = Math.max(previous[i] as number, previous[i + half] as number)
    }
    levels.push(level)
  }
  return (i, j) => {
    const k = 31 - Math.clz32(j - i + 1)
    const level = levels[k] as number[]
    return Math.max(level[i] as number, level[j - (1 << k) + 1] as number)
  }
}

/** How many of the ascending `sorted` are below x. */
function countBelow(sorted: number[], x: number): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if ((sorted[mid] as number) < x) low = mid + 1
    else high = mid
  }
  return low
}

/** How many of the ascending `sorted` are at most x. */
function countAtMost(sorted: number[], x: number): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if ((sorted[mid] as number) <= x) low = mid + 1
    else high = mid
  }
  return low
}
