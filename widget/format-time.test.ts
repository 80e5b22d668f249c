import { describe, expect, it } from 'vitest'
import {
  formatDayLabel,
  formatDuration,
  formatMonth,
  formatRangeWithZone,
  formatSlotRange,
  formatSlotTime,
  formatWeekday,
  formatZoneName,
} from './format-time'

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

describe('formatRangeWithZone', () => {
  // A fixed "now" late in 2026: times in 2026 leave the year out, times in 2027 show it.
  const now = new Date('2026-11-29T08:00:00Z')
  const range = (start: string, end: string, zone: string, locale: string) =>
    plain(formatRangeWithZone({ start, end }, zone, locale, now))

  it('names the day, both ends and the zone, without the year when it is this year', () => {
    expect(range('2026-11-30T15:00:00Z', '2026-11-30T16:00:00Z', 'Europe/London', 'en-GB')).toBe(
      'Mon 30 Nov, 15:00–16:00 (United Kingdom Time)',
    )
    expect(range('2026-11-30T15:00:00Z', '2026-11-30T16:00:00Z', 'America/New_York', 'en-US')).toBe(
      'Mon, Nov 30, 10:00 – 11:00 AM (Eastern Time)',
    )
  })

  it('adds the year when the time is not in the current year', () => {
    expect(range('2027-01-04T15:00:00Z', '2027-01-04T16:00:00Z', 'Europe/London', 'en-GB')).toBe(
      'Mon, 4 Jan 2027, 15:00–16:00 (United Kingdom Time)',
    )
  })

  it('reads the year in the zone: New Year’s Eve in New York is still this year', () => {
    // 03:00Z on 1 January is 22:00 on 31 December in New York.
    expect(range('2027-01-01T03:00:00Z', '2027-01-01T04:00:00Z', 'America/New_York', 'en-US')).toBe(
      'Thu, Dec 31, 10:00 – 11:00 PM (Eastern Time)',
    )
  })

  it('names the zone in the guest’s language', () => {
    expect(range('2026-12-01T09:00:00Z', '2026-12-01T09:30:00Z', 'Europe/Berlin', 'de')).toBe(
      'Di., 1. Dez., 10:00–10:30 Uhr (Mitteleuropäische Zeit)',
    )
    expect(range('2026-12-01T09:00:00Z', '2026-12-01T09:30:00Z', 'Europe/Madrid', 'es')).toBe(
      'mar, 1 dic, 10:00–10:30 (hora de Europa central)',
    )
  })

  it('gives each end its offset on a spring-forward day, where one hour spans two on the clock', () => {
    // Berlin, 28 March 2027: 02:00 does not exist, so 00:30Z–01:30Z reads 01:30 to 03:30.
    expect(range('2027-03-28T00:30:00Z', '2027-03-28T01:30:00Z', 'Europe/Berlin', 'en-GB')).toBe(
      'Sun, 28 Mar 2027, 01:30 GMT+1 – 03:30 GMT+2 (Central European Time)',
    )
  })

  it('tells the two 01:30s of a fall-back night apart', () => {
    const text = plain(
      formatRangeWithZone(
        { start: '2026-11-01T05:30:00Z', end: '2026-11-01T06:30:00Z' },
        'America/New_York',
        'en-US',
        new Date('2026-10-01T00:00:00Z'),
      ),
    )
    expect(text).toBe('Sun, Nov 1, 1:30 AM GMT-4 – 1:30 AM GMT-5 (Eastern Time)')
  })

  it('names both days when the range crosses midnight', () => {
    expect(range('2026-12-31T23:00:00Z', '2027-01-01T00:30:00Z', 'UTC', 'en-GB')).toBe(
      'Thu, 31 Dec 2026, 23:00 – Fri, 1 Jan 2027, 00:30 (Coordinated Universal Time)',
    )
  })
})

describe('formatZoneName', () => {
  it.each([
    ['Europe/Berlin', 'en', 'Central European Time'],
    ['Europe/Berlin', 'de', 'Mitteleuropäische Zeit'],
    ['America/New_York', 'es', 'hora oriental'],
    // UTC has no region name; its long name beats "GMT+00:00".
    ['UTC', 'en', 'Coordinated Universal Time'],
  ])('names %s in %s as %s', (zone, locale, expected) => {
    expect(formatZoneName(zone, locale, new Date('2026-11-29T08:00:00Z'))).toBe(expected)
  })
})
