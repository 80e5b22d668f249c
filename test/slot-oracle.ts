/**
 * The reference answer for which slots busy time leaves free, written the plain way: every
 * slot is checked against every busy interval. Slow (slots × busy) and obviously right, so
 * the engine's tests compare against it and the bench measures the engine against it.
 *
 * It also places slot starts the plain way (a step from an opening's start, or every minute
 * checked against fixed local start times), for the engine's grid to be compared against.
 *
 * It shares no code with the engine, not even its types, so a mistake there cannot hide here.
 */

import { Temporal } from 'temporal-polyfill'

/** Half-open [start, end) in epoch milliseconds. */
export interface Span {
  start: number
  end: number
}

/** Time kept clear before and after every slot and every busy interval, in milliseconds. */
export interface Margins {
  beforeMs: number
  afterMs: number
}

/** A day of slots as the engine returns them, instants as ISO strings. */
export interface SlotDay {
  date: string
  slots: { start: string; end: string }[]
}

/**
 * Whether `busy` leaves `slot` free. Both are widened by `beforeMs` at the start and `afterMs`
 * at the end; the slot is free when the widened busy interval begins at or after the widened
 * slot's end, or ends at or before its start. Touching is free.
 */
export function leavesFree(busy: Span, slot: Span, margins: Margins): boolean {
  const { beforeMs, afterMs } = margins
  return slot.end + afterMs <= busy.start - beforeMs || busy.end + afterMs <= slot.start - beforeMs
}

/** The slots every busy interval leaves free, in the order given. */
export function freeSlotsByOracle<T extends Span>(slots: T[], busy: Span[], margins: Margins): T[] {
  // An empty or reversed interval holds no instant, so it blocks nothing however wide the margins.
  const occupied = busy.filter((interval) => interval.end > interval.start)
  return slots.filter((slot) => occupied.every((interval) => leavesFree(interval, slot, margins)))
}

/** Each day with only the slots every busy interval leaves free; every day stays, empty or not. */
export function freeDaysByOracle(days: SlotDay[], busy: Span[], margins: Margins): SlotDay[] {
  return days.map((day) => {
    const spans = day.slots.map((slot) => ({ slot, start: Date.parse(slot.start), end: Date.parse(slot.end) }))
    return { date: day.date, slots: freeSlotsByOracle(spans, busy, margins).map((span) => span.slot) }
  })
}

/**
 * One opening of a local day, as a schedule states it: wall times `HH:MM` on `date`
 * (`YYYY-MM-DD`); an end at or before the start, or `24:00`, falls on the next day.
 */
export interface WallOpening {
  date: string
  startTime: string
  endTime: string
}

/** How starts are placed in an opening: every `stepMin` minutes from its start, or at fixed local times. */
export type StartRule = { stepMin: number } | { startTimes: string[] }

/**
 * The candidate slots of `openings` of `lengthMin` minutes in `zone`, brute force: with a
 * step, walk from the opening's start instant; with fixed times, look at every minute of the
 * opening and keep those whose local wall time is listed and shown there for the first time
 * that day (none shows a time a spring-forward jump skips; a repeated one counts once).
 * Sorted by start, then end; repeats removed. Temporal and Intl only, no engine code.
 */
export function candidateSlotsByOracle(
  zone: string,
  openings: WallOpening[],
  lengthMin: number,
  rule: StartRule,
): Span[] {
  const lengthMs = lengthMin * 60_000
  const slots: Span[] = []
  for (const opening of openings) {
    const { start, end } = openingInstants(zone, opening)
    if ('stepMin' in rule) {
      for (let s = start; s + lengthMs <= end; s += rule.stepMin * 60_000) slots.push({ start: s, end: s + lengthMs })
      continue
    }
    const listed = new Set(rule.startTimes)
    for (let s = start; s + lengthMs <= end; s += 60_000) {
      const wall = wallOf(zone, s)
      if (!listed.has(wall.time)) continue
      // Shown first here when no instant of the three hours before shows the same date and time.
      let repeated = false
      for (let back = 60_000; back <= 3 * 3_600_000 && !repeated; back += 60_000) {
        const earlier = wallOf(zone, s - back)
        repeated = earlier.date === wall.date && earlier.time === wall.time
      }
      if (!repeated) slots.push({ start: s, end: s + lengthMs })
    }
  }
  slots.sort((a, b) => a.start - b.start || a.end - b.end)
  return slots.filter((slot, i) => i === 0 || slot.start !== slots[i - 1]!.start || slot.end !== slots[i - 1]!.end)
}

function openingInstants(zone: string, opening: WallOpening): Span {
  const date = Temporal.PlainDate.from(opening.date)
  const crosses = opening.endTime === '24:00' || opening.endTime <= opening.startTime
  const endDate = crosses ? date.add({ days: 1 }) : date
  const endTime = opening.endTime === '24:00' ? '00:00' : opening.endTime
  const at = (day: Temporal.PlainDate, time: string) =>
    day.toZonedDateTime({ timeZone: zone, plainTime: Temporal.PlainTime.from(time) }).epochMilliseconds
  return { start: at(date, opening.startTime), end: at(endDate, endTime) }
}

const wallFormats = new Map<string, Intl.DateTimeFormat>()

/** Local date and `HH:MM` of an instant in `zone`. */
function wallOf(zone: string, ms: number): { date: string; time: string } {
  let format = wallFormats.get(zone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
    wallFormats.set(zone, format)
  }
  const parts = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]))
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` }
}
