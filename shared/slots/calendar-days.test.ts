import { describe, expect, it } from 'vitest'
import { formatEpochDay, toEpochDay, weekdayOf } from './calendar-days'

describe('calendar days', () => {
  it.each([
    ['1970-01-01', 0, 3],
    ['2026-03-29', 20541, 6],
    ['2026-06-08', 20612, 0],
    ['2028-02-29', 21243, 1],
    ['1969-12-31', -1, 2],
  ])('maps %s to epoch day %i with weekday %i (0=Monday) and back', (date, day, weekday) => {
    expect(toEpochDay(date)).toBe(day)
    expect(weekdayOf(day)).toBe(weekday)
    expect(formatEpochDay(day)).toBe(date)
  })
})
