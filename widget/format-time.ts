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

/** Short label of a calendar date `YYYY-MM-DD` ("Fri, Mar 27"). */
export function formatDayLabel(date: string, locale?: string): string {
  return formatter(locale, 'UTC', DAY).format(labelDate(date))
}

/** Label of an inclusive date range ("Mar 27 – Apr 2"). */
export function formatDateRange(from: string, to: string, locale?: string): string {
  return formatter(locale, 'UTC', { day: 'numeric', month: 'short' }).formatRange(labelDate(from), labelDate(to))
}

/** A length in minutes as people say it: "45 min", "2 h", "1 h 30 min". */
export function formatDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  if (hours === 0) return `${rest} min`
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`
}
