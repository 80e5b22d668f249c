import type { Slot } from '../shared/types'

const formatters = new Map<string, Intl.DateTimeFormat>()

// Building an Intl.DateTimeFormat costs far more than using one, and a week of slots
// formats hundreds of times per render.
function formatter(locale: string | undefined, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${timeZone}|${JSON.stringify(options)}`
  let format = formatters.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone })
    formatters.set(key, format)
  }
  return format
}

// timeStyle gives each locale its own clock ("9:00 AM", "09:00"); hour: 'numeric' alone
// drops the leading zero some 24-hour locales write.
const TIME: Intl.DateTimeFormatOptions = { timeStyle: 'short' }
const DAY: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short' }

/** Wall time of an instant in `zone`, 12- or 24-hour as the locale writes it ("9:00 AM", "09:00"). */
export function formatSlotTime(instant: string, zone: string, locale?: string): string {
  return formatter(locale, zone, TIME).format(new Date(instant))
}

/** A slot with its day, as one range in `zone` ("Fri, Mar 27, 9:00 – 9:30 AM"). */
export function formatSlotRange(slot: Slot, zone: string, locale?: string): string {
  // timeStyle cannot be mixed with weekday/month: borrow the locale's hour cycle from it instead.
  const { hourCycle } = formatter(locale, zone, TIME).resolvedOptions()
  const options: Intl.DateTimeFormatOptions = { ...DAY, hour: 'numeric', minute: '2-digit', hourCycle }
  return formatter(locale, zone, options).formatRange(new Date(slot.start), new Date(slot.end))
}

// A date label names a calendar day, not an instant: read it at UTC midnight in UTC.
const labelDate = (date: string) => new Date(`${date}T00:00:00Z`)

const LONG_DAY: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }

/** Label of a calendar date `YYYY-MM-DD`: short ("Fri, Mar 27") or long ("Friday, March 27, 2026"). */
export function formatDayLabel(date: string, locale?: string, long = false): string {
  return formatter(locale, 'UTC', long ? LONG_DAY : DAY).format(labelDate(date))
}

/** A month `YYYY-MM` as a heading ("March 2026"). */
export function formatMonth(month: string, locale?: string): string {
  return formatter(locale, 'UTC', { month: 'long', year: 'numeric' }).format(labelDate(`${month}-01`))
}

/** Name of an ISO weekday (1 = Monday), e.g. "M" (narrow) or "Monday" (long). */
export function formatWeekday(isoDay: number, locale: string | undefined, width: 'narrow' | 'long'): string {
  // 2024-01-01 was a Monday.
  return formatter(locale, 'UTC', { weekday: width }).format(labelDate(`2024-01-0${isoDay}`))
}

/** A length in minutes as the locale says it: "45 min", "2 hr", "1 hr, 30 min". */
export function formatDuration(minutes: number, locale?: string): string {
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  const unit = (value: number, name: 'hour' | 'minute') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short' }).format(value)
  if (hours === 0) return unit(rest, 'minute')
  return rest === 0 ? unit(hours, 'hour') : `${unit(hours, 'hour')} ${unit(rest, 'minute')}`
}
