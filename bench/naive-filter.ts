import { freeSlotsByOracle, type Span } from '../test/slot-oracle'

/**
 * The benchmark baseline: the tests' reference filter, which checks every slot against every
 * booking (slots × bookings) with the same margin rules as the engine.
 */
export function filterSlotsNaive(
  slots: Span[],
  bookings: Span[],
  bufferBeforeMs: number,
  bufferAfterMs: number,
): Span[] {
  return freeSlotsByOracle(slots, bookings, { beforeMs: bufferBeforeMs, afterMs: bufferAfterMs })
}
