import { DAY_MS, toEpochDay } from './slots/calendar-days'
import { createInstantFormatter } from './slots/format-instant'
import type {
  AvailabilityDay,
  AvailabilityResponse,
  CompactAvailabilityDay,
  CompactAvailabilityResponse,
  Slot,
} from './types'

/*
 * The compact availability shape (`?format=compact`): a slot costs a few digits instead of
 * two ISO strings. Offsets count real minutes from 00:00 UTC of the day's label, so the
 * decoder needs no time-zone data and every instant comes back exactly (DST days included).
 */

const MINUTE_MS = 60_000

export function encodeAvailability(body: AvailabilityResponse): CompactAvailabilityResponse {
  const { days, ...rest } = body
  return { format: 'compact', ...rest, days: days.map(encodeDay) }
}

function encodeDay(day: AvailabilityDay): CompactAvailabilityDay {
  if (day.slots.length === 0)
    return day.full ? { date: day.date, starts: [], full: true } : { date: day.date, starts: [] }
  const anchor = toEpochDay(day.date) * DAY_MS
  const slots = day.slots.map((slot) => {
    const start = Date.parse(slot.start)
    return { offset: (start - anchor) / MINUTE_MS, length: (Date.parse(slot.end) - start) / MINUTE_MS }
  })
  const length = mostCommon(slots.map((s) => s.length))
  const encoded: CompactAvailabilityDay = {
    date: day.date,
    length,
    starts: slots.map((s): number | [number, number] => (s.length === length ? s.offset : [s.offset, s.length])),
  }
  // A resource of several places: every slot says how many are left, in the order of `starts`.
  if (day.slots[0]?.seatsLeft !== undefined) encoded.seatsLeft = day.slots.map((slot) => slot.seatsLeft as number)
  return encoded
}

function mostCommon(values: number[]): number {
  const counts = new Map<number, number>()
  let best = values[0] as number
  for (const value of values) {
    const count = (counts.get(value) ?? 0) + 1
    counts.set(value, count)
    if (count > (counts.get(best) as number)) best = value
  }
  return best
}

/** The default shape back, string for string; throws on a body that is not compact availability. */
export function decodeAvailability(body: CompactAvailabilityResponse): AvailabilityResponse {
  const { format: _format, days, ...rest } = body
  const format = createInstantFormatter()
  // Rounding to the millisecond undoes the float division of the encoder exactly.
  const at = (anchor: number, minutes: number) => format(Math.round(anchor + minutes * MINUTE_MS))
  const decoded = days.map((day): AvailabilityDay => {
    const anchor = toEpochDay(day.date) * DAY_MS
    if (!Number.isFinite(anchor)) throw new TypeError(`not a day: ${String(day.date)}`)
    const { seatsLeft, membersFree } = day
    if (seatsLeft !== undefined && (!Array.isArray(seatsLeft) || seatsLeft.length !== day.starts.length))
      throw new TypeError(`not one seatsLeft per slot on ${day.date}`)
    if (membersFree !== undefined && (!Array.isArray(membersFree) || membersFree.length !== day.starts.length))
      throw new TypeError(`not one membersFree per slot on ${day.date}`)
    return {
      date: day.date,
      ...(day.full === true && day.starts.length === 0 ? { full: true as const } : {}),
      slots: day.starts.map((entry, i) => {
        const [offset, length] = typeof entry === 'number' ? [entry, day.length as number] : entry
        if (!Number.isFinite(offset) || !Number.isFinite(length))
          throw new TypeError(`not a slot: ${JSON.stringify(entry)}`)
        const slot: Slot = { start: at(anchor, offset), end: at(anchor, offset + length) }
        if (seatsLeft !== undefined) {
          const left = seatsLeft[i]
          if (!Number.isInteger(left)) throw new TypeError(`not a number of places: ${JSON.stringify(left)}`)
          slot.seatsLeft = left as number
        }
        if (membersFree !== undefined) {
          const free = membersFree[i]
          if (!Number.isInteger(free)) throw new TypeError(`not a number of members: ${JSON.stringify(free)}`)
          slot.membersFree = free as number
        }
        return slot
      }),
    }
  })
  const { resource, timezone, ...optional } = rest
  return { resource, timezone, days: decoded, ...optional }
}

export function isCompactAvailability(body: unknown): body is CompactAvailabilityResponse {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { format?: unknown }).format === 'compact' &&
    Array.isArray((body as { days?: unknown }).days)
  )
}
