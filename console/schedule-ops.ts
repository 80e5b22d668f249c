import { isoWeekday } from '../shared/calendar-labels'
import type { ScheduleRule } from '../shared/types'
import { formatWallTime, wallTimeMinutes } from '../shared/wall-time'

/**
 * The schedule editor's operations, pure: rules in, rules out. Weekdays are the API's
 * 0 = Monday … 6 = Sunday and are only ever shown as names.
 */
export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const
export const MON_TO_FRI = [0, 1, 2, 3, 4] as const
export const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6] as const

/** Minutes since midnight of HH:MM (24:00 is the end of the day); undefined for anything else. */
export const minutesOf = wallTimeMinutes

export const timeOf = formatWallTime

/**
 * What an owner types as a time, written as HH:MM: "9" → 09:00, "930" → 09:30,
 * "9.30" → 09:30, "17:5" stays as typed (not a time). Undefined when it is not a time.
 */
export function normalizeTime(text: string): string | undefined {
  const trimmed = text.trim()
  if (trimmed === '24:00' || trimmed === '24') return '24:00'
  let match = /^(\d{1,2})(?:[:.h](\d{2}))?$/.exec(trimmed)
  if (!match) {
    const digits = /^(\d{1,2})(\d{2})$/.exec(trimmed)
    if (!digits) return undefined
    match = digits
  }
  const hours = Number(match[1])
  const minutes = Number(match[2] ?? '0')
  if (hours > 23 || minutes > 59) return undefined
  return timeOf(hours * 60 + minutes)
}

/** "Friday", or a date as "2026-12-24". */
export function dayOf(rule: ScheduleRule): string {
  if (rule.specificDate) return rule.specificDate
  return WEEKDAY_NAMES[rule.weekday ?? 0] ?? `weekday ${rule.weekday}`
}

/** A date with its weekday, for the list of dates: "2026-12-24 (Thursday)". */
export function dateLabel(date: string): string {
  return `${date} (${WEEKDAY_NAMES[isoWeekday(date) - 1]})`
}

const byStart = (a: ScheduleRule, b: ScheduleRule) => (minutesOf(a.startTime) ?? 0) - (minutesOf(b.startTime) ?? 0)

/** The windows of one weekday, in order of their start. */
export function windowsOf(rules: readonly ScheduleRule[], weekday: number): ScheduleRule[] {
  return rules.filter((r) => r.weekday === weekday && !r.specificDate).sort(byStart)
}

/**
 * Gives the `to` weekdays the hours of `from` (their own hours are replaced; `from` itself
 * and the dates are kept). Rules keep their place, the copies go where the replaced ones were.
 */
export function copyDay(rules: readonly ScheduleRule[], from: number, to: readonly number[]): ScheduleRule[] {
  const source = windowsOf(rules, from)
  const targets = new Set(to.filter((day) => day !== from))
  const kept = rules.filter((r) => r.specificDate || r.weekday == null || !targets.has(r.weekday))
  const copies = [...targets]
    .sort((a, b) => a - b)
    .flatMap((weekday) => source.map((w) => ({ ...w, weekday, specificDate: null })))
  // Weekdays first in their order, then the dates: the list reads like the week.
  const weekly = [...kept.filter((r) => !r.specificDate), ...copies].sort(
    (a, b) => (a.weekday ?? 0) - (b.weekday ?? 0) || byStart(a, b),
  )
  return [...weekly, ...kept.filter((r) => r.specificDate)]
}

/** A break that fits a window: 12:00–13:00 when it is inside, else an hour (or less) in its middle. */
export function suggestBreak(rule: ScheduleRule): { start: string; end: string } {
  const start = minutesOf(rule.startTime) ?? 0
  const end = minutesOf(rule.endTime) ?? 1440
  if (start < 720 && end > 780) return { start: '12:00', end: '13:00' }
  const length = Math.min(60, Math.max(5, Math.floor((end - start) / 3 / 5) * 5))
  const middle = Math.floor((start + end) / 2 / 5) * 5
  const from = Math.max(start + 5, middle - Math.floor(length / 2 / 5) * 5)
  return { start: timeOf(from), end: timeOf(Math.min(from + length, end - 5)) }
}

/**
 * Splits the window at `index` around a break: 09:00–17:00 with a 12:00–13:00 break becomes
 * 09:00–12:00 and 13:00–17:00, both keeping the window's slot length. The break must lie
 * inside the window.
 */
export function addBreak(
  rules: readonly ScheduleRule[],
  index: number,
  breakStart: string,
  breakEnd: string,
): { rules: ScheduleRule[]; error?: undefined } | { rules?: undefined; error: string } {
  const rule = rules[index]
  if (!rule) return { error: 'That window is gone.' }
  const from = normalizeTime(breakStart)
  const to = normalizeTime(breakEnd)
  if (!from || !to) return { error: 'Write the break’s times as HH:MM, e.g. 12:00 and 13:00.' }
  const [start, end, bs, be] = [minutesOf(rule.startTime), minutesOf(rule.endTime), minutesOf(from), minutesOf(to)]
  if (start === undefined || end === undefined || bs === undefined || be === undefined)
    return { error: 'Fix this window’s times first.' }
  if (be <= bs) return { error: `The break must end after it starts (${from}–${to}).` }
  if (bs <= start || be >= end) return { error: `The break must lie inside ${rule.startTime}–${rule.endTime}.` }
  const next = [...rules]
  next.splice(index, 1, { ...rule, endTime: from }, { ...rule, startTime: to })
  return { rules: next }
}

/** A new window for a day: after its last window, else 09:00–17:00 with the given slot length. */
export function nextWindow(rules: readonly ScheduleRule[], weekday: number, slotDuration: number | null): ScheduleRule {
  const last = windowsOf(rules, weekday).at(-1)
  const lastEnd = last ? minutesOf(last.endTime) : undefined
  const start = lastEnd !== undefined && lastEnd <= 1380 ? lastEnd + 60 : undefined
  return {
    weekday,
    specificDate: null,
    startTime: start !== undefined ? timeOf(Math.min(start, 1380)) : '09:00',
    endTime: start !== undefined ? timeOf(Math.min(start + 120, 1440)) : '17:00',
    slotDuration: last ? last.slotDuration : slotDuration,
    isAvailable: true,
  }
}

/** Problems with one row of the schedule, by its index; `related` rows are highlighted too. */
export interface RowProblem {
  index: number
  message: string
  related?: number
}

const span = (r: ScheduleRule) => `${r.startTime}–${r.endTime}`

/**
 * What the API would refuse, found before saving, in words: a time that is not HH:MM, a
 * window that ends before it starts ("Friday: the window must end after it starts
 * (09:00–08:00)"), and windows of one day that overlap ("Friday 09:00–12:00 overlaps
 * Friday 11:00–14:00", told on the later one).
 */
export function findProblems(rules: readonly ScheduleRule[]): RowProblem[] {
  const problems: RowProblem[] = []
  const sound: { index: number; start: number; end: number }[] = []
  rules.forEach((rule, index) => {
    const start = minutesOf(rule.startTime)
    const end = minutesOf(rule.endTime)
    if (start === undefined || start === 1440) {
      problems.push({
        index,
        message: `${dayOf(rule)}: write the start as HH:MM, e.g. 09:00 (now “${rule.startTime}”).`,
      })
    } else if (end === undefined) {
      problems.push({ index, message: `${dayOf(rule)}: write the end as HH:MM, e.g. 17:00 (now “${rule.endTime}”).` })
    } else if (end <= start) {
      problems.push({ index, message: `${dayOf(rule)}: the window must end after it starts (${span(rule)})` })
    } else if (rule.slotDuration !== null && !(Number.isInteger(rule.slotDuration) && rule.slotDuration > 0)) {
      problems.push({
        index,
        message: `${dayOf(rule)} ${span(rule)}: the slot length must be a whole number of minutes.`,
      })
    } else {
      sound.push({ index, start, end })
    }
  })
  const days = new Map<string, typeof sound>()
  for (const window of sound) {
    const rule = rules[window.index]!
    const key = rule.specificDate ?? `w${rule.weekday}`
    days.set(key, [...(days.get(key) ?? []), window])
  }
  for (const windows of days.values()) {
    windows.sort((a, b) => a.start - b.start || a.index - b.index)
    let latest = windows[0]
    for (const window of windows.slice(1)) {
      if (latest && window.start < latest.end) {
        const [earlier, later] = [rules[latest.index]!, rules[window.index]!]
        problems.push({
          index: window.index,
          related: latest.index,
          message: `${dayOf(earlier)} ${span(earlier)} overlaps ${dayOf(later)} ${span(later)}`,
        })
      }
      if (!latest || window.end > latest.end) latest = window
    }
  }
  return problems.sort((a, b) => a.index - b.index)
}

/**
 * The server's details (`schedules.<index>`, `schedules.<index>.endTime`) as row problems;
 * anything not about one row is returned apart, for the message above Save.
 */
export function mapScheduleDetails(details: unknown): { rows: RowProblem[]; other: string[] } {
  const rows: RowProblem[] = []
  const other: string[] = []
  if (!Array.isArray(details)) return { rows, other }
  for (const detail of details as unknown[]) {
    if (!detail || typeof detail !== 'object') continue
    const { path, message } = detail as { path?: unknown; message?: unknown }
    if (typeof message !== 'string') continue
    const match = typeof path === 'string' ? /^schedules\.(\d+)(?:\.|$)/.exec(path) : null
    if (match) rows.push({ index: Number(match[1]), message })
    else other.push(message)
  }
  return { rows, other }
}
