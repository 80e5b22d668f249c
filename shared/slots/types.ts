import type { ResourceConfig } from '../resource-config'

/**
 * One schedule window, as the engine reads it. Exactly one of `weekday` (0=Mon..6=Sun)
 * and `specificDate` (`YYYY-MM-DD`) is set. Times are local wall time `HH:MM` in the
 * resource's zone; `endTime` may be `24:00`, and `endTime <= startTime` means the window
 * ends on the next day. `slotDuration` null = undivided (length from `config.durations`).
 */
export interface ScheduleRule {
  weekday: number | null
  specificDate: string | null
  startTime: string
  endTime: string
  slotDuration: number | null
  isAvailable: boolean
}

/** Half-open instant interval [start, end) in epoch milliseconds. */
export interface Interval {
  start: number
  end: number
}

export type SlotConfig = Pick<
  ResourceConfig,
  'durations' | 'bufferBeforeMin' | 'bufferAfterMin' | 'minNoticeMin' | 'horizonDays' | 'slotStepMin' | 'startTimes'
>

/** An interval that takes `seats` places of a resource's capacity (a booking, a hold). */
export interface SeatInterval extends Interval {
  seats: number
}
