import ICAL from 'ical.js'
import { DAY_MS } from '../../shared/slots/calendar-days'
import type { Interval } from '../../shared/slots/types'
import { createZoneClock, type ZoneClock } from '../../shared/slots/zone-clock'
import { isValidTimeZone } from '../../shared/time-zone'

/** A busy interval read from a calendar file (epoch ms, half-open) and the event it came from. */
export interface BusyInterval extends Interval {
  /** The event's UID, with the occurrence's original start for a repeating one. */
  uid: string | null
}

export interface ParseIcsOptions {
  /** Only occurrences overlapping [from, to) (epoch ms) are returned. */
  window: Interval
  /** The resource's zone: all-day events and floating times are read in it. */
  zone: string
  /** More occurrences in the window than this is refused (default 5,000). */
  maxOccurrences?: number
  /** Recurrence steps walked in the whole file, in and before the window (default 50,000: ~2 s of CPU at worst). */
  maxSteps?: number
}

/** A calendar file that cannot be read, or one too large to expand; the message is shown to the owner. */
export class IcsError extends Error {
  override name = 'IcsError'
}

/**
 * The busy time in an iCalendar file: every opaque, not cancelled VEVENT occurrence
 * overlapping the window. Recurrences are expanded (RRULE, RDATE, EXDATE); an override
 * (RECURRENCE-ID) replaces the occurrence it names, and a cancelled override removes it.
 * TZID times use the file's VTIMEZONE (the IANA rules when it has none); all-day events
 * and floating times are wall times in the resource's zone, so an all-day event blocks
 * the resource's whole local days.
 */
export function parseIcs(text: string, options: ParseIcsOptions): BusyInterval[] {
  const root = readCalendar(text)
  const { window } = options
  const maxOccurrences = options.maxOccurrences ?? 5_000
  const steps = { left: options.maxSteps ?? 50_000 }
  // A day of margin on both sides: ZoneClock is exact only inside the span it was made for.
  const span = { start: window.start - 2 * DAY_MS, end: window.end + 2 * DAY_MS }
  const clocks = new Map<string, ZoneClock>()
  const clockOf = (zone: string) => {
    let clock = clocks.get(zone)
    if (!clock) clocks.set(zone, (clock = createZoneClock(zone, span)))
    return clock
  }
  // A TZID the file does not define reaches ical.js as a floating time: the property still names it.
  const instantOf = (time: ICAL.Time, property?: ICAL.Property | null) =>
    toInstant(time, options.zone, namedZone(property), clockOf)

  return withFileZones(root, () => {
    const events = root.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c))
    // Overrides by UID and the original start they replace: those occurrences of the series are skipped,
    // and each override counts once on its own (at its own, possibly moved, time).
    const recurrenceInstant = (event: ICAL.Event) =>
      instantOf(event.recurrenceId, event.component.getFirstProperty('recurrence-id'))
    const overridden = new Set<string>()
    for (const event of events) {
      if (event.isRecurrenceException()) overridden.add(`${event.uid}|${recurrenceInstant(event)}`)
    }
    const busy: BusyInterval[] = []
    const keep = (start: number, end: number, uid: string | null) => {
      if (!(start < window.end && end > window.start)) return
      if (busy.length >= maxOccurrences)
        throw new IcsError(`The calendar has more than ${maxOccurrences} busy times in the next months.`)
      busy.push({ start, end, uid })
    }
    for (const event of events) {
      if (!blocksTime(event.component)) continue
      const uid = event.uid ?? null
      const dtstart = event.component.getFirstProperty('dtstart')
      const at = (time: ICAL.Time) => instantOf(time, dtstart)
      if (!event.isRecurring() || event.isRecurrenceException()) {
        const [start, end] = spanOf(event.startDate, event.endDate, at)
        const original = event.isRecurrenceException() ? `/${new Date(recurrenceInstant(event)).toISOString()}` : ''
        if (end > start) keep(start, end, uid === null ? null : uid + original)
        continue
      }
      const length = lengthOf(event)
      const iterator = event.iterator()
      for (let next = iterator.next(); next; next = iterator.next()) {
        if (--steps.left < 0)
          throw new IcsError('The calendar repeats too often to expand (an event repeating every few minutes?).')
        const start = at(next)
        if (start >= window.end) break
        if (overridden.has(`${uid}|${start}`)) continue
        const endTime = next.clone()
        endTime.addDuration(length)
        const [from, end] = spanOf(next, endTime, at)
        if (end > from) keep(from, end, uid === null ? null : `${uid}/${new Date(start).toISOString()}`)
      }
    }
    return busy.sort((a, b) => a.start - b.start || a.end - b.end)
  })
}

function readCalendar(text: string): ICAL.Component {
  let parsed: unknown
  try {
    parsed = ICAL.parse(text)
  } catch (error) {
    throw new IcsError(`Not a readable calendar file (${reasonOf(error)}).`)
  }
  // A file of several calendars parses to a list: the first one is read.
  const jcal = Array.isArray(parsed) && Array.isArray(parsed[0]) ? parsed[0] : parsed
  if (!Array.isArray(jcal) || jcal[0] !== 'vcalendar')
    throw new IcsError('Not a calendar file: it does not start with BEGIN:VCALENDAR.')
  return new ICAL.Component(jcal as unknown[])
}

/**
 * ical.js keeps zones in one process-wide registry: the file's VTIMEZONEs are registered
 * while it is read (times find them even in components read apart from the tree) and the
 * registry is put back afterwards, so one file's definitions never leak into another's.
 */
function withFileZones<T>(root: ICAL.Component, read: () => T): T {
  const service = ICAL.TimezoneService
  const previous = new Map<string, ICAL.Timezone | undefined>()
  try {
    for (const component of root.getAllSubcomponents('vtimezone')) {
      const zone = new ICAL.Timezone(component)
      if (!zone.tzid || previous.has(zone.tzid)) continue
      previous.set(zone.tzid, service.get(zone.tzid))
      service.register(zone)
    }
    return read()
  } catch (error) {
    if (error instanceof IcsError) throw error
    throw new IcsError(`The calendar could not be read (${reasonOf(error)}).`)
  } finally {
    for (const [tzid, zone] of previous) {
      if (zone) service.register(zone, tzid)
      else service.remove(tzid)
    }
  }
}

/** The parser's reason, short: it may quote the offending line, which is the host's text. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.length > 120 ? `${message.slice(0, 119)}…` : message
}

function blocksTime(component: ICAL.Component): boolean {
  const transp = String(component.getFirstPropertyValue('transp') ?? 'OPAQUE').toUpperCase()
  const status = String(component.getFirstPropertyValue('status') ?? '').toUpperCase()
  return transp !== 'TRANSPARENT' && status !== 'CANCELLED'
}

/** The event's length as a duration, applied to each occurrence in its own zone (so 10:00–11:00 stays so across DST). */
function lengthOf(event: ICAL.Event): ICAL.Duration {
  const start = event.startDate
  const end = event.endDate
  return end.compare(start) > 0 ? end.subtractDate(start) : ICAL.Duration.fromSeconds(start.isDate ? 86_400 : 0)
}

function spanOf(start: ICAL.Time, end: ICAL.Time, instantOf: (t: ICAL.Time) => number): [number, number] {
  const from = instantOf(start)
  let until = instantOf(end)
  // A date without an end (or ending on its start) is that one day.
  if (start.isDate && until <= from) {
    const next = start.clone()
    next.day += 1
    until = instantOf(next)
  }
  return [from, until]
}

function namedZone(property: ICAL.Property | null | undefined): string | undefined {
  const tzid = property?.getParameter('tzid')
  return typeof tzid === 'string' && isValidTimeZone(tzid) ? tzid : undefined
}

/**
 * Dates are the resource's local days; a time without a zone of its own is read in the IANA
 * zone its TZID names (`named`), else in the resource's.
 */
function toInstant(
  time: ICAL.Time,
  resourceZone: string,
  named: string | undefined,
  clockOf: (zone: string) => ZoneClock,
): number {
  const wall = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second)
  const zone = time.zone
  if (time.isDate) return clockOf(resourceZone).startOfDay(Math.floor(wall / DAY_MS))
  if (zone && zone.tzid === 'UTC') return wall
  // A zone defined in the file (or UTC's aliases): its own rules.
  if (zone && zone.tzid !== 'floating') return time.toUnixTime() * 1000
  return clockOf(named ?? resourceZone).toInstant(wall)
}
