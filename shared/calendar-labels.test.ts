import { describe, expect, it } from 'vitest'
import {
  addDays,
  addMonths,
  cityOf,
  firstDayOfWeek,
  isoWeekday,
  lastDayOf,
  monthGrid,
  monthOf,
  monthRange,
  todayIn,
  wallClockIn,
} from './calendar-labels'

describe('todayIn', () => {
  it.each([
    ['2026-03-27T22:59:59Z', 'Europe/Berlin', '2026-03-27'],
    ['2026-03-27T23:00:00Z', 'Europe/Berlin', '2026-03-28'], // local midnight
    ['2026-03-27T23:30:00Z', 'America/New_York', '2026-03-27'],
    ['2026-03-27T10:00:00Z', 'Pacific/Kiritimati', '2026-03-28'], // UTC+14
    ['2026-03-27T10:00:00Z', 'Pacific/Pago_Pago', '2026-03-26'], // UTC−11
    // Spring forward in Berlin (2026-03-29 01:00Z): the day starts at 23:00Z the evening before.
    ['2026-03-28T22:59:59Z', 'Europe/Berlin', '2026-03-28'],
    ['2026-03-28T23:00:00Z', 'Europe/Berlin', '2026-03-29'],
    ['2026-03-29T21:59:59Z', 'Europe/Berlin', '2026-03-29'],
    ['2026-03-29T22:00:00Z', 'Europe/Berlin', '2026-03-30'],
    // Spring forward in New York (2026-03-08 07:00Z).
    ['2026-03-08T04:59:59Z', 'America/New_York', '2026-03-07'],
    ['2026-03-08T05:00:00Z', 'America/New_York', '2026-03-08'],
    ['2026-12-31T23:30:00Z', 'UTC', '2026-12-31'],
    ['2026-12-31T23:30:00Z', 'Europe/Lisbon', '2026-12-31'],
    ['2026-12-31T23:30:00Z', 'Europe/Madrid', '2027-01-01'],
  ])('at %s in %s it is %s', (now, zone, expected) => {
    expect(todayIn(zone, new Date(now))).toBe(expected)
  })
})

describe('months', () => {
  it.each([
    ['2026-03', 1, '2026-04'],
    ['2026-12', 1, '2027-01'],
    ['2027-01', -1, '2026-12'],
    ['2026-03', -15, '2024-12'],
  ])('%s moved by %i months is %s', (month, months, expected) => {
    expect(addMonths(month, months)).toBe(expected)
  })

  it.each([
    ['2026-02', '2026-02-28'],
    ['2028-02', '2028-02-29'], // leap year
    ['2026-04', '2026-04-30'],
    ['2026-12', '2026-12-31'],
  ])('the last day of %s is %s', (month, expected) => {
    expect(lastDayOf(month)).toBe(expected)
  })

  it('asks for the month from today on, and for nothing in a month already past', () => {
    expect(monthRange('2026-03', '2026-03-27')).toEqual({ from: '2026-03-27', to: '2026-03-31' })
    expect(monthRange('2026-04', '2026-03-27')).toEqual({ from: '2026-04-01', to: '2026-04-30' })
    expect(monthRange('2026-02', '2026-03-27')).toBeUndefined()
  })

  it('adds whole days across a year end and a DST change (labels carry no zone)', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30')
    expect(monthOf('2026-03-29')).toBe('2026-03')
  })

  it('knows the ISO weekday of a date', () => {
    expect(isoWeekday('2026-03-30')).toBe(1) // Monday
    expect(isoWeekday('2026-03-29')).toBe(7) // Sunday
    expect(isoWeekday('1969-12-31')).toBe(3) // before the epoch
  })
})

describe('monthGrid', () => {
  it('lays March 2026 out in Monday-first weeks with blanks outside the month', () => {
    const weeks = monthGrid('2026-03', 1)
    // 1 March 2026 is a Sunday: six blanks lead, and 31 March (Tuesday) leaves five.
    expect(weeks).toHaveLength(6)
    expect(weeks[0]).toEqual([null, null, null, null, null, null, '2026-03-01'])
    expect(weeks[5]).toEqual(['2026-03-30', '2026-03-31', null, null, null, null, null])
    expect(weeks.flat().filter(Boolean)).toHaveLength(31)
  })

  it('starts weeks on Sunday where the locale does', () => {
    const weeks = monthGrid('2026-03', 7)
    expect(weeks[0]?.[0]).toBe('2026-03-01')
    expect(weeks).toHaveLength(5)
    expect(weeks.every((week) => week.length === 7)).toBe(true)
  })

  it('fits a February that starts on the first weekday in four rows', () => {
    // 1 February 2027 is a Monday.
    expect(monthGrid('2027-02', 1)).toHaveLength(4)
  })
})

describe('firstDayOfWeek', () => {
  it('is an ISO weekday, Monday where the runtime has no week data', () => {
    expect([1, 6, 7]).toContain(firstDayOfWeek('en-US'))
    expect(firstDayOfWeek('not a locale!')).toBe(1)
  })
})

describe('wallClockIn', () => {
  it.each([
    // Berlin springs forward at 01:00Z on 29 March 2026: 00:59Z reads 01:59, 01:00Z reads 03:00.
    ['2026-03-29T00:59:00Z', 'Europe/Berlin', { year: 2026, month: 3, day: 29, hour: 1, minute: 59, second: 0 }],
    ['2026-03-29T01:00:00Z', 'Europe/Berlin', { year: 2026, month: 3, day: 29, hour: 3, minute: 0, second: 0 }],
    // Midnight reads 00, never 24; New York is still on the previous day.
    ['2026-01-01T00:00:00Z', 'UTC', { year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0 }],
    ['2026-01-01T00:00:00Z', 'America/New_York', { year: 2025, month: 12, day: 31, hour: 19, minute: 0, second: 0 }],
  ])('reads %s in %s', (instant, zone, expected) => {
    expect(wallClockIn(Date.parse(instant), zone)).toEqual(expected)
  })

  it('names a zone by its city', () => {
    expect([cityOf('America/New_York'), cityOf('America/Argentina/Buenos_Aires'), cityOf('UTC')]).toEqual([
      'New York',
      'Buenos Aires',
      'UTC',
    ])
  })
})
