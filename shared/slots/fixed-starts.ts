import type { Window } from './expand-windows'
import type { ZoneClock } from './zone-clock'
import { DAY_MS, MINUTE_MS } from './calendar-days'
import { wallTimeMinutes } from '../wall-time'

/**
 * The windows with `starts` set: the instants of `startTimes` (local `HH:MM`) on every local
 * day a window touches that fall inside it, ascending. A window across midnight takes the
 * first day's late times and the next day's early ones. A time a spring-forward jump skips
 * does not exist that day and gives no start; a time a fall-back repeats starts at its first
 * occurrence only, so a start time is offered at most once a day. Whether the slot's length
 * fits before the window's end is `cutSlots`' question: it depends on the chosen duration.
 */
export function withStartTimes(windows: Window[], startTimes: string[], clock: ZoneClock): Window[] {
  const minutes = startTimes.map(wallTimeMinutes).filter((m): m is number => m !== undefined)
  return windows.map((window) => {
    const starts: number[] = []
    const lastDay = clock.dayOf(window.end - 1)
    for (let day = clock.dayOf(window.start); day <= lastDay; day++) {
      for (const minute of minutes) {
        const start = clock.firstInstantOf(day * DAY_MS + minute * MINUTE_MS)
        if (start !== undefined && start >= window.start && start < window.end) starts.push(start)
      }
    }
    // Ascending wall times of one day are ascending instants; sorting is cheap insurance.
    starts.sort((a, b) => a - b)
    return { ...window, starts }
  })
}
