import type { Interval } from './types'
import { createCountAtMost } from './count-at-most'

export interface Buffers {
  beforeMs: number
  afterMs: number
}

/**
 * The slots whose buffered span [start − before, end + after) overlaps no buffered busy
 * interval [start − before, end + after). Half-open: touching is free. `busy` may come in
 * any order and overlap; the order of `slots` is kept.
 *
 * A slot is blocked exactly when, among busy intervals starting before its buffered end,
 * the latest buffered end reaches past its buffered start. So busy is only ordered as
 * finely as the slots need: each interval drops into the gap between the sorted slot ends
 * around its start (keeping the latest end per gap), and one forward sweep over the gaps
 * turns those into running maxima. O(b + s log s): no slots × busy, and no sort of the
 * busy list either, which at 10,000 bookings cost more than the rest of `computeSlots`.
 */
export function subtractBusy(slots: Interval[], busy: Interval[], buffers: Buffers): Interval[] {
  const count = slots.length
  if (count === 0 || busy.length === 0) return slots
  const { beforeMs, afterMs } = buffers
  const ends = new Float64Array(count)
  let earliestFrom = Infinity
  for (let i = 0; i < count; i++) {
    const slot = slots[i] as Interval
    ends[i] = slot.end + afterMs
    if (slot.start - beforeMs < earliestFrom) earliestFrom = slot.start - beforeMs
  }
  ends.sort()
  const countAtMost = createCountAtMost(ends)
  const latestEnd = ends[count - 1] as number

  // latestUntil[j]: the latest buffered end among busy intervals starting before ends[j].
  const latestUntil = new Float64Array(count).fill(-Infinity)
  for (const interval of busy) {
    const from = interval.start - beforeMs
    const until = interval.end + afterMs
    // An empty interval holds no instant, even when buffers would widen it.
    if (interval.end <= interval.start || until <= earliestFrom || from >= latestEnd) continue
    const gap = countAtMost(from)
    if (until > (latestUntil[gap] as number)) latestUntil[gap] = until
  }
  for (let j = 1; j < count; j++) {
    if ((latestUntil[j - 1] as number) > (latestUntil[j] as number)) latestUntil[j] = latestUntil[j - 1] as number
  }

  // The last of equal ends sees every busy interval starting before that end, and no other.
  return slots.filter((slot) => (latestUntil[countAtMost(slot.end + afterMs) - 1] as number) <= slot.start - beforeMs)
}
