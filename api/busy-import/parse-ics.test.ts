import ICAL from 'ical.js'
import { describe, expect, it } from 'vitest'
import { icsCalendar, SAMPLE_BUSY, SAMPLE_ICS } from '../../test/ics-server'
import { IcsError, parseIcs, type BusyInterval } from './parse-ics'

const window = { start: Date.parse('2026-03-01T00:00:00Z'), end: Date.parse('2027-03-01T00:00:00Z') }
const iso = (busy: BusyInterval[]) => busy.map((b) => [new Date(b.start).toISOString(), new Date(b.end).toISOString()])
const event = (...lines: string[]) => ['BEGIN:VEVENT', 'DTSTAMP:20260301T000000Z', ...lines, 'END:VEVENT']

describe('parseIcs', () => {
  it('expands a weekly series across the change to summer time, with removed, cancelled and moved occurrences', () => {
    const busy = parseIcs(SAMPLE_ICS, { window, zone: 'Europe/Berlin' })
    expect(iso(busy)).toEqual(SAMPLE_BUSY)
    expect(busy.map((b) => b.uid)).toEqual([
      'weekly@test/2026-03-16T09:00:00.000Z',
      'weekly@test/2026-03-23T09:00:00.000Z',
      'weekly@test/2026-03-30T08:00:00.000Z',
      'holiday@test',
      // The override keeps the original start it replaced.
      'weekly@test/2026-04-20T08:00:00.000Z',
    ])
  })

  it.each([
    ['Europe/Berlin', '2026-04-07T22:00:00.000Z', '2026-04-08T22:00:00.000Z'],
    ['America/New_York', '2026-04-08T04:00:00.000Z', '2026-04-09T04:00:00.000Z'],
    ['UTC', '2026-04-08T00:00:00.000Z', '2026-04-09T00:00:00.000Z'],
  ])('blocks the whole local day of an all-day event in the resource zone (%s)', (zone, start, end) => {
    const ics = icsCalendar(event('UID:a', 'DTSTART;VALUE=DATE:20260408'))
    expect(iso(parseIcs(ics, { window, zone }))).toEqual([[start, end]])
  })

  it('blocks each local day of a multi-day stay over the change to winter time', () => {
    const ics = icsCalendar(event('UID:stay', 'DTSTART;VALUE=DATE:20261024', 'DTEND;VALUE=DATE:20261026'))
    // 49 hours: the night of 25 October has an extra hour.
    expect(iso(parseIcs(ics, { window, zone: 'Europe/Berlin' }))).toEqual([
      ['2026-10-23T22:00:00.000Z', '2026-10-25T23:00:00.000Z'],
    ])
  })

  it('reads floating times in the resource zone and UTC times as UTC', () => {
    const ics = icsCalendar(
      event('UID:f', 'DTSTART:20260701T090000', 'DTEND:20260701T100000'),
      event('UID:u', 'DTSTART:20260701T090000Z', 'DURATION:PT30M'),
    )
    expect(iso(parseIcs(ics, { window, zone: 'America/New_York' }))).toEqual([
      ['2026-07-01T09:00:00.000Z', '2026-07-01T09:30:00.000Z'],
      ['2026-07-01T13:00:00.000Z', '2026-07-01T14:00:00.000Z'],
    ])
  })

  it('reads a TZID the file does not define as the IANA zone of that name', () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      ...event('UID:t', 'DTSTART;TZID=Asia/Tokyo:20260701T090000', 'DTEND;TZID=Asia/Tokyo:20260701T100000'),
      'END:VCALENDAR',
    ].join('\r\n')
    expect(iso(parseIcs(ics, { window, zone: 'Europe/Berlin' }))).toEqual([
      ['2026-07-01T00:00:00.000Z', '2026-07-01T01:00:00.000Z'],
    ])
  })

  it('adds RDATE occurrences and returns only those overlapping the window', () => {
    const ics = icsCalendar(
      event(
        'UID:r',
        'DTSTART:20260201T090000Z',
        'DTEND:20260201T100000Z',
        'RRULE:FREQ=MONTHLY',
        'RDATE:20260315T120000Z',
      ),
    )
    const busy = parseIcs(ics, {
      window: { start: Date.parse('2026-03-01T09:30:00Z'), end: Date.parse('2026-05-01T09:00:00Z') },
      zone: 'UTC',
    })
    expect(iso(busy)).toEqual([
      ['2026-03-01T09:00:00.000Z', '2026-03-01T10:00:00.000Z'],
      ['2026-03-15T12:00:00.000Z', '2026-03-15T13:00:00.000Z'],
      ['2026-04-01T09:00:00.000Z', '2026-04-01T10:00:00.000Z'],
    ])
  })

  it('stops an endless series at the end of the window', () => {
    const ics = icsCalendar(event('UID:d', 'DTSTART:20260301T090000Z', 'DTEND:20260301T100000Z', 'RRULE:FREQ=DAILY'))
    expect(parseIcs(ics, { window, zone: 'UTC' })).toHaveLength(365)
  })

  it('refuses a file with more occurrences in the window than the cap', () => {
    const ics = icsCalendar(event('UID:d', 'DTSTART:20260301T090000Z', 'DTEND:20260301T100000Z', 'RRULE:FREQ=DAILY'))
    expect(() => parseIcs(ics, { window, zone: 'UTC', maxOccurrences: 100 })).toThrow(/more than 100 busy times/)
  })

  it('refuses a series that takes too many steps to reach the window', () => {
    const ics = icsCalendar(event('UID:m', 'DTSTART:20200101T000000Z', 'DURATION:PT1M', 'RRULE:FREQ=MINUTELY'))
    expect(() => parseIcs(ics, { window, zone: 'UTC', maxSteps: 10_000 })).toThrow(IcsError)
  })

  it.each([
    ['an HTML page', '<!doctype html><html><body>Sign in</body></html>'],
    ['an empty body', ''],
    ['a vCard', 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nEND:VCARD\r\n'],
    ['a truncated calendar', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2026'],
  ])('throws a clear error for %s', (_, text) => {
    expect(() => parseIcs(text, { window, zone: 'UTC' })).toThrow(IcsError)
  })

  it('leaves the process-wide zone registry as it found it', () => {
    parseIcs(SAMPLE_ICS, { window, zone: 'UTC' })
    expect(ICAL.TimezoneService.has('Europe/Berlin')).toBe(false)
  })
})
