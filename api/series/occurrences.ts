import { Temporal } from 'temporal-polyfill'
import { BookingError } from '../../shared/errors'
import { DEFAULT_HORIZON_DAYS, MAX_SERIES_OCCURRENCES } from '../../shared/schemas'
import { invalidField } from '../errors'

/*
 * Recurring bookings (series). Decisions this module and its neighbours keep:
 * - An occurrence repeats the FIRST occurrence's local wall time in the resource's zone every
 *   N weeks: 10:00 in Berlin stays 10:00 across a DST change, so its UTC instant shifts by an
 *   hour. A wall time a DST change skips moves forward by the gap ("compatible").
 * - At most 52 occurrences; an `until` date at most the resource's horizon away.
 * - Every occurrence is checked as a single booking would be (schedule, notice, horizon,
 *   bookings, other sessions' holds), never only the first few.
 * - A series that takes payment online is paid once for all its dates (one PaymentIntent,
 *   api/bookings/series-payment.ts); each occurrence keeps its share of it, the cancellation
 *   policy and notices like a single booking, and is cancelled or moved one at a time by its
 *   own ref.
 * - The series is announced once (the first occurrence writes the 'created' messages);
 *   reminders stay per occurrence.
 */

/** One date of a series: its local date in the resource's zone and its interval. */
export interface Occurrence {
  date: string
  start: number
  end: number
}

export interface Repeat {
  everyWeeks: number
  occurrences?: number | undefined
  until?: string | undefined
}

const DAY_MS = 86_400_000

/**
 * The series' occurrences from its first (included), by `repeat`. An `until` beyond the
 * horizon (`horizonDays`, else a year) or more than 52 dates is refused as a bad request.
 */
export function seriesOccurrences(
  first: { start: number; end: number },
  zone: string,
  repeat: Repeat,
  limits: { now: number; horizonDays: number | undefined },
): Occurrence[] {
  const start = Temporal.Instant.fromEpochMilliseconds(first.start).toZonedDateTimeISO(zone)
  const end = Temporal.Instant.fromEpochMilliseconds(first.end).toZonedDateTimeISO(zone)
  if (repeat.until !== undefined) {
    const horizonDays = limits.horizonDays ?? DEFAULT_HORIZON_DAYS
    const lastDay = Temporal.Instant.fromEpochMilliseconds(limits.now + horizonDays * DAY_MS)
      .toZonedDateTimeISO(zone)
      .toPlainDate()
    if (Temporal.PlainDate.compare(Temporal.PlainDate.from(repeat.until), lastDay) > 0)
      throw invalidField(
        'repeat.until',
        'invalid',
        `at most ${lastDay.toString()} (${horizonDays} days ahead)`,
        'A series may not run past the dates this resource takes bookings for.',
      )
    if (Temporal.PlainDate.compare(Temporal.PlainDate.from(repeat.until), start.toPlainDate()) < 0)
      throw invalidField('repeat.until', 'invalid', 'before the first occurrence')
  }
  const found: Occurrence[] = []
  for (let k = 0; ; k++) {
    if (repeat.occurrences !== undefined && k >= repeat.occurrences) break
    const weeks = k * repeat.everyWeeks
    // Wall-time arithmetic: adding weeks to a zoned date-time keeps its local time.
    const at = start.add({ weeks })
    const date = at.toPlainDate().toString()
    if (repeat.until !== undefined && date > repeat.until) break
    if (found.length === MAX_SERIES_OCCURRENCES)
      throw invalidField('repeat.until', 'invalid', `more than ${MAX_SERIES_OCCURRENCES} occurrences`)
    found.push({ date, start: at.epochMilliseconds, end: end.add({ weeks }).epochMilliseconds })
  }
  if (found.length < 2)
    throw new BookingError('invalid_request', 'A series needs at least two dates.', [
      { path: 'repeat', code: 'invalid', message: 'fewer than two occurrences' },
    ])
  return found
}
