/*
 * Wall-clock times of a schedule, `HH:MM` from 00:00 to 24:00 (24:00 is the end of a day).
 * The API's schema, the slot engine's reading of a rule and the console's schedule editor
 * all read them here. Zod-free, so the console may import it.
 */

/** `HH:MM` (00:00–23:59) or `24:00`. */
export const WALL_TIME_PATTERN = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/

/** Minutes after midnight of a wall time (`24:00` → 1440); undefined for anything else. */
export function wallTimeMinutes(time: string): number | undefined {
  if (!WALL_TIME_PATTERN.test(time)) return undefined
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))
}

/** Minutes after midnight (0–1440) written as `HH:MM`. */
export function formatWallTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}
