import type { Interval } from '../shared/slots/types'

/**
 * The first, straightforward approach, kept as the benchmark baseline: every slot is checked against every
 * booking (slots × bookings), with the same buffer semantics as the engine.
 */
export function filterSlotsNaive(
  slots: Interval[],
  bookings: Interval[],
  bufferBeforeMs: number,
  bufferAfterMs: number,
): Interval[] {
  return slots.filter((slot) =>
    bookings.every(
      (b) => slot.end + bufferAfterMs + bufferBeforeMs <= b.start || b.end + bufferAfterMs + bufferBeforeMs <= slot.start,
    ),
  )
}
