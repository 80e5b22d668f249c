import { formatMoney } from '../shared/money'
import type { Money, SpanConfig } from '../shared/resource-config'
import { spanPrice, spanUnits } from '../shared/span-pricing'
import type { Slot } from '../shared/types'
import type { Messages } from './i18n'

const formatters = new Map<string, Intl.DateTimeFormat>()

// Building an Intl.DateTimeFormat costs far more than using one, and a week of slots
// formats hundreds of times per render.
function formatter(
  locale: string | undefined,
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
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

/**
 * The zone's name in the guest's language ("Central European Time", "Mitteleuropäische
 * Zeit", "hora de Reino Unido"), as the zone picker names it.
 */
export function formatZoneName(zone: string, locale?: string, at: Date = new Date()): string {
  const named = (style: 'longGeneric' | 'long') => {
    try {
      return formatter(locale, zone, { timeZoneName: style })
        .formatToParts(at)
        .find((part) => part.type === 'timeZoneName')?.value
    } catch {
      return undefined // a browser without longGeneric
    }
  }
  const generic = named('longGeneric')
  // Zones without a region name (UTC, Etc/GMT-3) come back as a bare offset; the long style names UTC.
  if (generic && !/^(GMT|UTC)([+−-]|$)/.test(generic)) return generic
  return named('long') ?? generic ?? zone.replace(/_/g, ' ')
}

const yearIn = (instant: Date, zone: string) => formatter('en', zone, { year: 'numeric' }).format(instant)
const offsetIn = (instant: Date, zone: string) =>
  formatter('en', zone, { timeZoneName: 'longOffset' })
    .formatToParts(instant)
    .find((part) => part.type === 'timeZoneName')?.value

/**
 * A time as a guest should read it anywhere it is shown after the pick: the day, both ends,
 * the year when it is not the current one, and the zone, e.g. "Mon 30 Nov, 15:00–16:00
 * (United Kingdom Time)" or "Mon, 4 Jan 2027, 15:00–16:00 (United Kingdom Time)".
 * When a clock change falls inside the range each end carries its UTC offset, so
 * 01:30–01:30 on a fall-back night reads as two different instants.
 */
export function formatRangeWithZone(slot: Slot, zone: string, locale?: string, now: Date = new Date()): string {
  const start = new Date(slot.start)
  const end = new Date(slot.end)
  const thisYear = yearIn(now, zone)
  const showYear = yearIn(start, zone) !== thisYear || yearIn(end, zone) !== thisYear
  const { hourCycle } = formatter(locale, zone, TIME).resolvedOptions()
  const clock: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit', hourCycle }
  const day: Intl.DateTimeFormatOptions = showYear ? { ...DAY, year: 'numeric' } : DAY
  let when: string
  if (offsetIn(start, zone) === offsetIn(end, zone)) {
    when = formatter(locale, zone, { ...day, ...clock }).formatRange(start, end)
  } else {
    const sameDay =
      formatter('en', zone, { dateStyle: 'short' }).format(start) ===
      formatter('en', zone, { dateStyle: 'short' }).format(end)
    const from = formatter(locale, zone, { ...day, ...clock, timeZoneName: 'shortOffset' }).format(start)
    const to = formatter(locale, zone, { ...(sameDay ? {} : day), ...clock, timeZoneName: 'shortOffset' }).format(end)
    when = `${from} – ${to}`
  }
  return `${when} (${formatZoneName(zone, locale, start)})`
}

/** A day as the heading over its times: "Monday, 30 November", with the year when it is not `today`'s. */
export function formatDayHeading(date: string, today: string, locale?: string): string {
  const options: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' }
  if (date.slice(0, 4) !== today.slice(0, 4)) options.year = 'numeric'
  return formatter(locale, 'UTC', options).format(labelDate(date))
}

/** The zone's offset from UTC at `at`, as the locale writes it ("GMT+1", "GMT-5", "GMT"). */
export function formatZoneOffset(zone: string, locale?: string, at: Date = new Date()): string {
  return (
    formatter(locale, zone, { timeZoneName: 'shortOffset' })
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')?.value ?? ''
  )
}

/**
 * A span's length and price as the guest reads it, counted as the server charges it (nights
 * in the resource's zone): "3 days × €49.00 = €147.00", or "3 days" without a price.
 */
export function formatSpanTotal(
  t: Pick<Messages, 'spanDays' | 'spanNights' | 'spanTotal'>,
  span: Pick<SpanConfig, 'pricing'>,
  price: Money | undefined,
  slot: Slot,
  resourceZone: string,
  locale?: string,
): string {
  const units = spanUnits(span, Date.parse(slot.start), Date.parse(slot.end), resourceZone)
  const length = span.pricing === 'per_night' ? t.spanNights(units) : t.spanDays(units)
  if (!price) return length
  const total = spanPrice(price, units)
  return t.spanTotal(
    length,
    formatMoney(price.amount, price.currency, locale),
    formatMoney(total.amount, total.currency, locale),
  )
}
