import type { Interval, ScheduleRule } from './types'
import type { ZoneClock } from './zone-clock'
import { DAY_MS, MINUTE_MS, toEpochDay, weekdayOf } from './calendar-days'
import { wallTimeMinutes } from '../wall-time'

/** One schedule window as instants; `slotDuration` null = undivided. */
export interface Window extends Interval {
  slotDuration: number | null
  /** Fixed start instants inside the window, ascending (`withStartTimes`); unset: an arithmetic grid from `start`. */
  starts?: number[]
}

interface WallWindow {
  startMin: number
  endMin: number
  slotDuration: number | null
}

/** The rows that apply to a date; `closed` when any of them says `isAvailable=false`. */
interface RuleSet {
  closed: boolean
  windows: WallWindow[]
}

/**
 * The instant windows of every resource-local day in [firstDay, lastDay] (epoch days),
 * sorted by start. A date's `specificDate` rows replace its weekday rows entirely; one
 * unavailable row closes the date. An end at or before the start (or `24:00`) falls on the
 * next date, and a window that DST squeezes to nothing is dropped.
 */
export function expandWindows(rules: ScheduleRule[], clock: ZoneClock, firstDay: number, lastDay: number): Window[] {
  const byDate = new Map<number, RuleSet>()
  const byWeekday: RuleSet[] = Array.from({ length: 7 }, () => ({ closed: false, windows: [] }))
  for (const rule of rules) {
    let set: RuleSet | undefined
    if (rule.specificDate != null) {
      const day = toEpochDay(rule.specificDate)
      set = byDate.get(day)
      if (set === undefined) byDate.set(day, (set = { closed: false, windows: [] }))
    } else if (rule.weekday != null) {
      set = byWeekday[rule.weekday]
    }
    if (set === undefined) continue
    if (!rule.isAvailable) set.closed = true
    set.windows.push({
      startMin: parseWallTime(rule.startTime),
      endMin: parseWallTime(rule.endTime),
      slotDuration: rule.slotDuration,
    })
  }

  const windows: Window[] = []
  for (let day = firstDay; day <= lastDay; day++) {
    const set = byDate.get(day) ?? (byWeekday[weekdayOf(day)] as RuleSet)
    if (set.closed) continue
    for (const wall of set.windows) {
      const dayWall = day * DAY_MS
      const endWall = dayWall + wall.endMin * MINUTE_MS + (wall.endMin <= wall.startMin ? DAY_MS : 0)
      const start = clock.toInstant(dayWall + wall.startMin * MINUTE_MS)
      const end = clock.toInstant(endWall)
      if (end > start) windows.push({ start, end, slotDuration: wall.slotDuration })
    }
  }
  return windows.sort((a, b) => a.start - b.start)
}

/** `HH:MM` → minutes after midnight; `24:00` → 1440. A time the schema refuses gives no window (NaN). */
function parseWallTime(time: string): number {
  return wallTimeMinutes(time) ?? NaN
}
