/**
 * The reference answer for which slots busy time leaves free, written the plain way: every
 * slot is checked against every busy interval. Slow (slots × busy) and obviously right, so
 * the engine's tests compare against it and the bench measures the engine against it.
 *
 * It shares no code with the engine, not even its types, so a mistake there cannot hide here.
 */

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
