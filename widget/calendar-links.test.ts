import { describe, expect, it } from 'vitest'
import { googleCalendarUrl, outlookCalendarUrl } from './calendar-links'

const event = {
  title: 'Yoga & Tee: Raum 2',
  start: '2026-11-30T15:00:00.000Z',
  end: '2026-11-30T16:00:00Z',
  details: 'Buchungsnummer K7Q2XM3D\n+ 10 min früher kommen',
}

describe('googleCalendarUrl', () => {
  it('fills title, UTC start/end and details into Google’s event template', () => {
    const url = googleCalendarUrl(event)
    expect(url).toBe(
      'https://calendar.google.com/calendar/render?action=TEMPLATE&text=Yoga%20%26%20Tee%3A%20Raum%202' +
        '&dates=20261130T150000Z/20261130T160000Z&details=Buchungsnummer%20K7Q2XM3D%0A%2B%2010%20min%20fr%C3%BCher%20kommen',
    )
    // What Google's server reads back from it:
    const params = new URL(url).searchParams
    expect(params.get('text')).toBe(event.title)
    expect(params.get('details')).toBe(event.details)
  })

  it('leaves details out when there are none', () => {
    expect(googleCalendarUrl({ title: 'Room', start: event.start, end: event.end })).not.toContain('details=')
  })
})

describe('outlookCalendarUrl', () => {
  it('fills subject, ISO instants without milliseconds and body into Outlook’s compose deep link', () => {
    const url = new URL(outlookCalendarUrl(event))
    expect(url.origin + url.pathname).toBe('https://outlook.live.com/calendar/0/deeplink/compose')
    expect(Object.fromEntries(url.searchParams)).toEqual({
      path: '/calendar/action/compose',
      rru: 'addevent',
      subject: event.title,
      startdt: '2026-11-30T15:00:00Z',
      enddt: '2026-11-30T16:00:00Z',
      body: event.details,
    })
  })

  it('writes spaces as %20, never as a plus sign Outlook would show', () => {
    const url = outlookCalendarUrl({ title: 'Meeting room', start: event.start, end: event.end })
    expect(url).toContain('subject=Meeting%20room&')
    expect(url).not.toContain('+')
  })
})
