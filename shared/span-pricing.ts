import { dateOf, wallClockIn } from './calendar-labels'
import type { Price } from './payment-terms'
import type { SpanConfig } from './resource-config'
import { toEpochDay } from './slots/calendar-days'

/*
 * What a span across days costs: the units it is counted in and the price of that many.
 * Pure and Intl-only (no time-zone engine), so the widget states the same total the server
 * charges.
 */

const MINUTE_MS = 60_000

/**
 * How many times a span [start, end) (epoch ms) pays `price.amount`.
 *
 * `per_day`: started 24-hour periods of real elapsed time, so a span across the night the
 * clocks go forward is an hour shorter and may cost a day less than the same wall times
 * another week. `per_night`: the dates crossed in `timeZone` (the resource's zone), which
 * DST never changes. A span within one date still pays once: it takes the resource for
 * that day, and a price of nothing would be a gift.
 */
export function spanUnits(span: Pick<SpanConfig, 'pricing'>, start: number, end: number, timeZone: string): number {
  if (span.pricing === 'per_night') return Math.max(1, nightsBetween(start, end, timeZone))
  const minutes = Math.max(0, Math.round((end - start) / MINUTE_MS))
  return Math.max(1, Math.ceil(minutes / 1440))
}

/** The dates crossed from `start` to `end` in `timeZone`: the nights of a stay. */
export function nightsBetween(start: number, end: number, timeZone: string): number {
  return localDay(end, timeZone) - localDay(start, timeZone)
}

/** The whole price of a span: `price.amount` once per unit (day or night). */
export function spanPrice(price: Price, units: number): Price {
  return { amount: price.amount * units, currency: price.currency }
}

function localDay(ms: number, timeZone: string): number {
  return toEpochDay(dateOf(wallClockIn(ms, timeZone)))
}
