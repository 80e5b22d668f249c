import { isoWeekday, wallClockIn } from '../shared/calendar-labels'
import type { Slot } from '../shared/types'

/*
 * The times a guest may wait between on a fully booked day, in the resource's local time.
 * The public API does not publish a resource's schedule, so the day's opening hours are read
 * off the free times of the same weekday in the month on show (the nearest guess there is).
 */

const STEP = 30

/** Opening hours (minutes after local midnight) of a weekday, as the shown month's free times of that weekday tell them. */
export function hoursOf(
  date: string,
  slotsByDate: ReadonlyMap<string, readonly Slot[]>,
  zone: string,
): { open: number; close: number } | undefined {
  let open = Infinity
  let close = -Infinity
  const weekday = isoWeekday(date)
  for (const [day, slots] of slotsByDate) {
    if (day === date || isoWeekday(day) !== weekday) continue
    for (const slot of slots) {
      const start = minutesOfDay(Date.parse(slot.start), zone)
      const end = minutesOfDay(Date.parse(slot.end), zone)
      open = Math.min(open, start)
      // A slot that ends at (or past) midnight closes the day.
      close = Math.max(close, end <= start ? 1440 : end)
    }
  }
  if (open === Infinity) return undefined
  return { open: Math.floor(open / STEP) * STEP, close: Math.min(1440, Math.ceil(close / STEP) * STEP) }
}

/** The choices of the two selects: every half hour from opening to closing, after `earliest` on today. */
export function timeChoices(
  hours: { open: number; close: number } | undefined,
  earliest = 0,
): { starts: number[]; ends: number[] } {
  const { open, close } = hours ?? { open: 0, close: 1440 }
  const from = Math.max(open, Math.ceil(earliest / STEP) * STEP)
  const starts: number[] = []
  const ends: number[] = []
  for (let m = from; m < close; m += STEP) starts.push(m)
  for (let m = from + STEP; m <= close; m += STEP) ends.push(m)
  return { starts, ends }
}

/** Minutes after local midnight in `zone` at the instant `ms`. */
export function minutesOfDay(ms: number, zone: string): number {
  const clock = wallClockIn(ms, zone)
  return clock.hour * 60 + clock.minute
}

/**
 * The instant (ISO UTC) a clock in `zone` reads `minutes` after midnight of `date`: the
 * offset is read at a first guess and corrected once, which settles it except inside a
 * clock change (where the nearest instant is taken).
 */
export function instantAt(date: string, minutes: number, zone: string): string {
  const wall = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000
  let guess = wall
  for (let i = 0; i < 2; i++) {
    const clock = wallClockIn(guess, zone)
    const shown = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second)
    guess += wall - shown
  }
  return new Date(guess).toISOString()
}
