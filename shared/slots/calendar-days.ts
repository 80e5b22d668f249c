export const MINUTE_MS = 60_000
export const DAY_MS = 86_400_000

/**
 * Days since 1970-01-01 of a calendar label `YYYY-MM-DD`. A label names no instant, so
 * plain UTC arithmetic on it is exact; zones only matter when a label becomes an instant.
 */
export function toEpochDay(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS)
}

/** Inverse of `toEpochDay`. */
export function formatEpochDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10)
}

/** Weekday as schedule rules count it, 0=Monday … 6=Sunday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7
}
