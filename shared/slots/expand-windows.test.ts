import { describe, expect, it } from 'vitest'
import type { ScheduleRule } from './types'
import { toEpochDay } from './calendar-days'
import { createZoneClock } from './zone-clock'
import { expandWindows } from './expand-windows'

const SPAN = { start: Date.parse('2026-01-01T00:00:00Z'), end: Date.parse('2027-01-01T00:00:00Z') }

function rule(when: number | string, startTime: string, endTime: string, isAvailable = true): ScheduleRule {
  return {
    weekday: typeof when === 'number' ? when : null,
    specificDate: typeof when === 'string' ? when : null,
    startTime,
    endTime,
    slotDuration: 60,
    isAvailable,
  }
}

function expand(zone: string, rules: ScheduleRule[], from: string, to: string): string[] {
  return expandWindows(rules, createZoneClock(zone, SPAN), toEpochDay(from), toEpochDay(to)).map(
    (w) => `${new Date(w.start).toISOString()}/${new Date(w.end).toISOString()}`,
  )
}

describe('expandWindows', () => {
  it.each([
    [
      'uses weekday rows (0=Monday)',
      'UTC',
      [rule(0, '09:00', '10:00')],
      '2026-06-08',
      '2026-06-09',
      ['2026-06-08T09:00:00.000Z/2026-06-08T10:00:00.000Z'],
    ],
    [
      'lets specific-date rows replace the weekday rows',
      'UTC',
      [rule(0, '09:00', '10:00'), rule('2026-06-08', '14:00', '15:00')],
      '2026-06-08',
      '2026-06-15',
      ['2026-06-08T14:00:00.000Z/2026-06-08T15:00:00.000Z', '2026-06-15T09:00:00.000Z/2026-06-15T10:00:00.000Z'],
    ],
    [
      'closes a date when one chosen row is unavailable',
      'UTC',
      [rule(0, '09:00', '10:00'), rule('2026-06-08', '11:00', '12:00'), rule('2026-06-08', '00:00', '24:00', false)],
      '2026-06-08',
      '2026-06-08',
      [],
    ],
    [
      'ends 24:00 at the next midnight',
      'Europe/Berlin',
      [rule(5, '20:00', '24:00')],
      '2026-03-28',
      '2026-03-28',
      ['2026-03-28T19:00:00.000Z/2026-03-28T23:00:00.000Z'],
    ],
    [
      'ends a window on the next date when its end is not after its start',
      'Asia/Tokyo',
      [rule(2, '22:00', '02:00')],
      '2026-06-10',
      '2026-06-10',
      ['2026-06-10T13:00:00.000Z/2026-06-10T17:00:00.000Z'],
    ],
    [
      'moves both ends of a window inside a spring-forward gap forward by the gap',
      'Europe/Berlin',
      [rule(6, '02:00', '02:30')],
      '2026-03-29',
      '2026-03-29',
      ['2026-03-29T01:00:00.000Z/2026-03-29T01:30:00.000Z'],
    ],
    [
      'drops a window that the spring-forward gap turns around',
      'Europe/Berlin',
      [rule(6, '02:30', '03:00'), rule(6, '01:00', '05:00')],
      '2026-03-29',
      '2026-03-29',
      ['2026-03-29T00:00:00.000Z/2026-03-29T03:00:00.000Z'],
    ],
    [
      'sorts windows by start whatever the rule order',
      'UTC',
      [rule(0, '13:00', '15:00'), rule(0, '09:00', '12:00')],
      '2026-06-08',
      '2026-06-08',
      ['2026-06-08T09:00:00.000Z/2026-06-08T12:00:00.000Z', '2026-06-08T13:00:00.000Z/2026-06-08T15:00:00.000Z'],
    ],
  ])('%s', (_, zone, rules, from, to, expected) => {
    expect(expand(zone, rules, from, to)).toEqual(expected)
  })
})
