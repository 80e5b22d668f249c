import { formatEpochDay, toEpochDay } from './slots/calendar-days'

/*
 * Calendar arithmetic on plain `YYYY-MM-DD` labels (and `YYYY-MM` months). A label names a
 * day, not an instant, so none of this depends on a time zone except `todayIn`.
 */

const wallFormatters = new Map<string, Intl.DateTimeFormat>()

export type WallClock = Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>

/** What a clock in `zone` reads at the instant `ms`, as plain numbers. */
export function wallClockIn(ms: number, zone: string): WallClock {
  let format = wallFormatters.get(zone)
  if (!format) {
    // Gregorian, Latin digits and a 00–23 hour, so every part is a plain number.
    format = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    wallFormatters.set(zone, format)
  }
  const clock: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 }
  for (const part of format.formatToParts(new Date(ms))) {
    if (part.type in clock) clock[part.type as keyof WallClock] = Number(part.value)
  }
  return clock
}

/** The `YYYY-MM-DD` label of a wall clock's day. */
export const dateOf = (clock: WallClock): string =>
  `${String(clock.year).padStart(4, '0')}-${String(clock.month).padStart(2, '0')}-${String(clock.day).padStart(2, '0')}`

/** The calendar date (`YYYY-MM-DD`) it is in `zone` at `now`. */
export function todayIn(zone: string, now: Date): string {
  return dateOf(wallClockIn(now.getTime(), zone))
}

/** The place name of a zone, as people say it: "Europe/Berlin" → "Berlin". */
export const cityOf = (zone: string): string => (zone.split('/').pop() ?? zone).replace(/_/g, ' ')

/** `date` moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  return formatEpochDay(toEpochDay(date) + days)
}

/** `YYYY-MM` of a date. */
export const monthOf = (date: string): string => date.slice(0, 7)

/** The month `months` after `month` (negative: before). */
export function addMonths(month: string, months: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + months
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`
}

/** Last day of a month: the day before the next month's first. */
export const lastDayOf = (month: string): string => addDays(`${addMonths(month, 1)}-01`, -1)

/**
 * The inclusive `from`/`to` the availability query takes for `month`, starting no earlier
 * than `today` (nothing before it is bookable); undefined for a month wholly in the past.
 */
export function monthRange(month: string, today: string): { from: string; to: string } | undefined {
  const first = `${month}-01`
  const last = lastDayOf(month)
  if (last < today) return undefined
  return { from: first < today ? today : first, to: last }
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export const isoWeekday = (date: string): number => ((((toEpochDay(date) + 3) % 7) + 7) % 7) + 1

/**
 * The month as weeks of seven cells, starting on `firstDay` (ISO weekday); cells outside
 * the month are null, so every row lines up under the weekday headers.
 */
export function monthGrid(month: string, firstDay: number): (string | null)[][] {
  const first = `${month}-01`
  const last = lastDayOf(month)
  const lead = (isoWeekday(first) - firstDay + 7) % 7
  const cells: (string | null)[] = Array.from({ length: lead }, () => null)
  for (let day = first; day <= last; day = addDays(day, 1)) cells.push(day)
  while (cells.length % 7) cells.push(null)
  const weeks: (string | null)[][] = []
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7))
  return weeks
}

/** The locale's first day of the week (ISO weekday); Monday where the browser cannot say. */
export function firstDayOfWeek(locale: string): number {
  try {
    const info = new Intl.Locale(locale) as Intl.Locale & {
      getWeekInfo?: () => { firstDay: number }
      weekInfo?: { firstDay: number }
    }
    return info.getWeekInfo?.().firstDay ?? info.weekInfo?.firstDay ?? 1
  } catch {
    return 1
  }
}

/** `monthGrid`'s weeks with the empty cells filled by the neighbouring months' days. */
export function withNeighbourDays(weeks: (string | null)[][]): string[][] {
  return weeks.map((week) => {
    const index = week.findIndex(Boolean)
    const anchor = week[index]!
    return week.map((date, i) => date ?? addDays(anchor, i - index))
  })
}
