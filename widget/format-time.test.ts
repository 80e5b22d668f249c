import { describe, expect, it } from 'vitest'
import { formatDayLabel, formatDuration, formatMonth, formatSlotRange, formatSlotTime, formatWeekday } from './format-time'

// ICU separates "9:00" and "AM", and range ends, with narrow/thin spaces; compare words, not space kinds.
const plain = (text: string) => text.replace(/\s+/g, ' ')

describe('formatSlotTime', () => {
  it.each([
    ['2026-03-27T08:00:00Z', 'Europe/Berlin', 'en-GB', '09:00'],
    ['2026-03-27T08:00:00Z', 'Europe/Berlin', 'de-DE', '09:00'],
    ['2026-03-27T08:00:00Z', 'Europe/Berlin', 'en-US', '9:00 AM'],
    ['2026-03-27T13:30:00Z', 'America/New_York', 'en-US', '9:30 AM'],
    ['2026-03-27T23:00:00Z', 'Europe/Berlin', 'en-GB', '00:00'], // midnight
    // Spring forward in Berlin: the hour after 01:59 is 03:00.
    ['2026-03-29T00:30:00Z', 'Europe/Berlin', 'en-GB', '01:30'],
    ['2026-03-29T01:30:00Z', 'Europe/Berlin', 'en-GB', '03:30'],
    // Fall back in New York: 01:30 happens twice, once per offset.
    ['2026-11-01T05:30:00Z', 'America/New_York', 'en-GB', '01:30'],
    ['2026-11-01T06:30:00Z', 'America/New_York', 'en-GB', '01:30'],
  ])('shows %s in %s for %s as %s', (instant, zone, locale, expected) => {
    expect(plain(formatSlotTime(instant, zone, locale))).toBe(expected)
  })
})

describe('formatSlotRange', () => {
  it('shows the day and both ends in the given zone', () => {
    const slot = { start: '2026-03-27T13:00:00Z', end: '2026-03-27T13:30:00Z' }
    expect(plain(formatSlotRange(slot, 'America/New_York', 'en-US'))).toBe('Fri, Mar 27, 9:00 – 9:30 AM')
  })

  it('names both days when a slot crosses midnight in the zone', () => {
    const slot = { start: '2026-03-27T22:00:00Z', end: '2026-03-28T02:00:00Z' }
    const text = plain(formatSlotRange(slot, 'Europe/Berlin', 'en-GB'))
    expect(text).toContain('Fri 27 Mar')
    expect(text).toContain('Sat 28 Mar')
  })
})

describe('calendar labels', () => {
  it('names the calendar day of a date label whatever the zone of the process', () => {
    expect(formatDayLabel('2026-03-29', 'en-US')).toBe('Sun, Mar 29')
    expect(formatDayLabel('2027-01-01', 'en-GB')).toBe('Fri 1 Jan')
  })

  it('writes a long label for screen readers, in the locale', () => {
    expect(formatDayLabel('2026-03-29', 'en-US', true)).toBe('Sunday, March 29, 2026')
    expect(formatDayLabel('2026-03-29', 'de', true)).toBe('Sonntag, 29. März 2026')
  })

  it.each([
    ['en', 'March 2026'],
    ['de', 'März 2026'],
    ['es', 'marzo de 2026'],
  ])('names the month in %s as %s', (locale, expected) => {
    expect(formatMonth('2026-03', locale)).toBe(expected)
  })

  it('names ISO weekdays from Monday', () => {
    expect([1, 2, 7].map((day) => formatWeekday(day, 'en', 'long'))).toEqual(['Monday', 'Tuesday', 'Sunday'])
    expect(formatWeekday(1, 'es', 'narrow')).toBe('L')
  })
})

describe('formatDuration', () => {
  it.each([
    [30, 'en', '30 min'],
    [60, 'en', '1 hr'],
    [90, 'en', '1 hr 30 min'],
    [480, 'en', '8 hr'],
    [90, 'de', '1 Std. 30 Min.'],
    [120, 'es', '2 h'],
  ])('writes %i minutes in %s as %s', (minutes, locale, expected) => {
    expect(formatDuration(minutes, locale)).toBe(expected)
  })
})
