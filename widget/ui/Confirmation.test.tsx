// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AvailabilityResponse, PublicBooking, PublicResource } from '../../shared/types'
import type { AvailabilityQuery, BookingClient } from '../client'
import type { Messages } from '../i18n'
import { CATALOGUES } from '../locales'
import { createBookingState } from '../state'
import { BookingWidget } from './BookingWidget'

/* The confirmation after a guest booked: what they read, keep, and do next. */

const room: PublicResource = { id: 'r-1', slug: 'room', type: 'room', name: 'Meeting room', timezone: 'Europe/Berlin' }
const now = () => new Date('2026-11-29T08:00:00Z')

function availability(query: AvailabilityQuery): AvailabilityResponse {
  const date = '2026-11-30'
  const slots = [{ start: `${date}T08:00:00Z`, end: `${date}T08:30:00Z` }]
  return {
    resource: room,
    timezone: query.tz ?? room.timezone,
    days: date >= query.from && date <= query.to ? [{ date, slots }] : [],
  }
}

const booked: PublicBooking = {
  ref: 'K7Q2XM3D',
  resourceId: room.id,
  status: 'confirmed',
  start: '2026-11-30T08:00:00Z',
  end: '2026-11-30T08:30:00Z',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
  version: 1,
  createdAt: '2026-11-29T08:00:00Z',
}

function createFakeClient() {
  return {
    getAvailability: vi.fn<BookingClient['getAvailability']>(async (_id, query) => ({ data: availability(query) })),
    getNextAvailable: vi.fn<BookingClient['getNextAvailable']>(async () => ({ data: null })),
    placeHold: vi.fn<BookingClient['placeHold']>(async ({ start, end }) => ({
      data: {
        id: 'h_1',
        resourceId: room.id,
        start,
        end: end ?? start,
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
      },
    })),
    releaseHold: vi.fn<BookingClient['releaseHold']>(async () => ({ data: true as const })),
    createBooking: vi.fn<BookingClient['createBooking']>(async () => ({
      data: { booking: booked, manageToken: 'manage-token' },
    })),
    rescheduleBooking: vi.fn<BookingClient['rescheduleBooking']>(),
    getBooking: vi.fn<BookingClient['getBooking']>(),
    getCalendarFile: vi.fn<BookingClient['getCalendarFile']>(async () => ({ data: new Blob(['BEGIN:VCALENDAR']) })),
  }
}

async function bookAsGuest(language: 'en' | 'de' = 'en') {
  const client = createFakeClient()
  const t = CATALOGUES[language] as Messages
  const state = createBookingState(client, {
    resource: 'room',
    zone: 'Europe/Berlin',
    t,
    locale: language,
    now,
    onError: vi.fn(),
  })
  void state.load()
  render(<BookingWidget state={state} client={client} />)
  fireEvent.click(within(await screen.findByRole('listbox')).getAllByRole('option')[0]!)
  await screen.findByRole('timer')
  fireEvent.input(screen.getByLabelText(t.name), { target: { value: 'Ada Lovelace' } })
  fireEvent.input(screen.getByLabelText(t.email), { target: { value: 'ada@example.com' } })
  fireEvent.submit(screen.getByRole('button', { name: t.book }).closest('form')!)
  await screen.findByRole('heading', { name: t.booked })
  return { client, state }
}

afterEach(cleanup)

describe('the confirmation', () => {
  it('states the booked time with its zone', async () => {
    await bookAsGuest()
    expect(screen.getByText(/Nov 30/).textContent?.replace(/\s+/g, ' ')).toBe(
      'Mon, Nov 30, 9:00 – 9:30 AM (Central European Time)',
    )
  })

  it('offers the time to Google Calendar and Outlook beside the .ics file', async () => {
    await bookAsGuest()
    const links = screen.getByRole('group', { name: 'Add to your calendar' })
    expect(within(links).getByRole('link', { name: 'Google Calendar' }).getAttribute('href')).toBe(
      'https://calendar.google.com/calendar/render?action=TEMPLATE&text=Meeting%20room&dates=20261130T080000Z/20261130T083000Z&details=Reference%20K7Q2XM3D',
    )
    expect(within(links).getByRole('link', { name: 'Outlook' }).getAttribute('href')).toBe(
      'https://outlook.live.com/calendar/0/deeplink/compose?path=/calendar/action/compose&rru=addevent&subject=Meeting%20room' +
        '&startdt=2026-11-30T08:00:00Z&enddt=2026-11-30T08:30:00Z&body=Reference%20K7Q2XM3D',
    )
    // Both open in a new tab and tell the calendar nothing about the page they came from.
    for (const link of within(links).getAllByRole('link', { name: /Google|Outlook/ })) {
      expect([link.getAttribute('target'), link.getAttribute('rel')]).toEqual(['_blank', 'noopener noreferrer'])
    }
    expect((await within(links).findByRole('link', { name: 'Add to calendar (.ics)' })).getAttribute('download')).toBe(
      'booking-K7Q2XM3D.ics',
    )
  })

  it('names the links and the time in German for a German guest', async () => {
    await bookAsGuest('de')
    expect(screen.getByRole('link', { name: 'Google Kalender' })).toBeTruthy()
    expect(screen.getByText(/Nov\./).textContent).toBe('Mo., 30. Nov., 09:00–09:30 Uhr (Mitteleuropäische Zeit)')
    expect(screen.getByRole('button', { name: 'Weiteren Termin buchen' })).toBeTruthy()
  })

  it('"Book another time" goes back to the calendar with availability asked afresh', async () => {
    const { client, state } = await bookAsGuest()
    const asked = client.getAvailability.mock.calls.length
    fireEvent.click(screen.getByRole('button', { name: 'Book another time' }))
    const list = await screen.findByRole('listbox')
    expect(within(list).getAllByRole('option')).toHaveLength(1)
    // Asked again, not served from the month cache: the booked time may be gone.
    expect(client.getAvailability.mock.calls.length).toBeGreaterThan(asked)
    expect(screen.queryByRole('heading', { name: 'Booked!' })).toBeNull()
    expect([state.step.value, state.booking.value, state.manageToken.value]).toEqual(['pick', undefined, undefined])
    await waitFor(() => expect(screen.getByRole('grid', { name: 'November 2026' })).toBeTruthy())
  })
})
