import { describe, expect, it } from 'vitest'
import { addDays, shiftWeek, todayIn, weekDates, weekRange } from './week'

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

describe('week ranges', () => {
  it('spans seven calendar days from the start, inclusive', () => {
    expect(weekRange('2026-03-27')).toEqual({ from: '2026-03-27', to: '2026-04-02' })
  })

  it('crosses a year end', () => {
    expect(weekRange('2026-12-29')).toEqual({ from: '2026-12-29', to: '2027-01-04' })
  })

  it('lists each day of a DST week exactly once', () => {
    expect(weekDates('2026-03-26')).toEqual([
      '2026-03-26',
      '2026-03-27',
      '2026-03-28',
      '2026-03-29',
      '2026-03-30',
      '2026-03-31',
      '2026-04-01',
    ])
  })

  it('counts a leap day', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01')
  })
})

describe('shiftWeek', () => {
  const today = '2026-03-27'

  it('moves forward by whole weeks', () => {
    expect(shiftWeek(today, 1, today)).toBe('2026-04-03')
    expect(shiftWeek('2026-04-03', 1, today)).toBe('2026-04-10')
  })

  it('moves back to an earlier week that is not before today', () => {
    expect(shiftWeek('2026-04-10', -1, today)).toBe('2026-04-03')
    expect(shiftWeek('2026-04-03', -1, today)).toBe(today)
  })

  it('never goes before today', () => {
    expect(shiftWeek(today, -1, today)).toBe(today)
    expect(shiftWeek('2026-03-30', -1, today)).toBe(today)
  })
})
