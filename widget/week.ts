import { formatEpochDay, toEpochDay } from '../shared/slots/calendar-days'

/** Days the widget shows at once, starting with the first day of the week it shows. */
export const WEEK_DAYS = 7

const dateFormatters = new Map<string, Intl.DateTimeFormat>()

/** The calendar date (`YYYY-MM-DD`) it is in `zone` at `now`. */
export function todayIn(zone: string, now: Date): string {
  let format = dateFormatters.get(zone)
  if (!format) {
    // en-US with explicit Gregorian calendar and Latin digits: parts are plain ASCII numbers.
    format = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    })
    dateFormatters.set(zone, format)
  }
  const parts = format.formatToParts(now)
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`
}

/** `date` moved by `days` calendar days (labels carry no zone, so this is exact). */
export function addDays(date: string, days: number): string {
  return formatEpochDay(toEpochDay(date) + days)
}

/** The dates of the week that starts on `start`, in order. */
export function weekDates(start: string): string[] {
  return Array.from({ length: WEEK_DAYS }, (_, i) => addDays(start, i))
}

/** Inclusive `from`/`to` of the week that starts on `start`, as the availability query takes them. */
export function weekRange(start: string): { from: string; to: string } {
  return { from: start, to: addDays(start, WEEK_DAYS - 1) }
}

/**
 * Start of the week `weeks` away from the one starting on `start`, never earlier than
 * `today`: weeks run from today, so there is nothing bookable before it.
 */
export function shiftWeek(start: string, weeks: number, today: string): string {
  const next = addDays(start, weeks * WEEK_DAYS)
  // ISO dates compare correctly as strings.
  return next < today ? today : next
}
