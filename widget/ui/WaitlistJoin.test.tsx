// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AvailabilityResponse, PublicResource } from '../../shared/types'
import type { BookingClient, WaitlistClient } from '../client'
import { CATALOGUES } from '../locales'
import { createBookingState } from '../state'
import { BookingWidget } from './BookingWidget'

/*
 * Joining the waitlist of a fully booked day from the widget: offered on a day the resource
 * is open but full (never on a closed day), the form's choices in the resource's local time,
 * what is sent, and what the guest reads when it worked or did not.
 */

const physio: PublicResource = {
  id: 'r-1',
  slug: 'physio',
  type: 'physio',
  name: 'Physio Anna',
  timezone: 'Europe/Berlin',
  horizonDays: 60,
  bookable: true,
  waitlist: { offerMinutes: 20 },
}
const now = () => new Date('2026-11-29T10:00:00Z')
// Tuesdays are open 09:00–17:00 in Berlin (UTC+1): the 1st and the 15th have times left; the 8th is full.
const FREE = ['2026-12-01', '2026-12-15']
const FULL_DATE = '2026-12-08'
const FULL = /December 8/
const CLOSED = /December 6/ // a Sunday: no Sunday ever has times

function fakeClient(resource: PublicResource) {
  return {
    getAvailability: vi.fn<BookingClient['getAvailability']>(
      async (_id, query): Promise<{ data: AvailabilityResponse }> => ({
        data: {
          resource,
          timezone: query.tz ?? resource.timezone,
          days: [
            ...FREE.filter((d) => d >= query.from && d <= query.to).map((date) => ({
              date,
              slots: [
                { start: `${date}T08:00:00Z`, end: `${date}T09:00:00Z` },
                { start: `${date}T15:00:00Z`, end: `${date}T16:00:00Z` },
              ],
            })),
            // The server marks the day its schedule opens but bookings fill; a closed day is not marked.
            ...(FULL_DATE >= query.from && FULL_DATE <= query.to
              ? [{ date: FULL_DATE, slots: [], full: true as const }]
              : []),
          ].sort((a, b) => a.date.localeCompare(b.date)),
        },
      }),
    ),
    getNextAvailable: vi.fn<BookingClient['getNextAvailable']>(async () => ({ data: null })),
    placeHold: vi.fn<BookingClient['placeHold']>(),
    releaseHold: vi.fn<BookingClient['releaseHold']>(async () => ({ data: true as const })),
    createBooking: vi.fn<BookingClient['createBooking']>(),
    rescheduleBooking: vi.fn<BookingClient['rescheduleBooking']>(),
    getBooking: vi.fn<BookingClient['getBooking']>(),
    getCalendarFile: vi.fn<BookingClient['getCalendarFile']>(),
    joinWaitlist: vi.fn<WaitlistClient['joinWaitlist']>(async (body) => ({
      data: {
        token: 'wl-token',
        entry: {
          ref: 'WK7Q2XM3D',
          resourceId: body.resourceId,
          resourceName: 'Physio Anna',
          timezone: 'Europe/Berlin',
          kind: body.date ? 'day' : 'range',
          windowStart: body.start ?? '2026-12-07T23:00:00.000Z',
          windowEnd: body.end ?? '2026-12-08T23:00:00.000Z',
          seats: body.seats ?? 1,
          status: 'waiting',
          position: 2,
          offer: null,
          guest: body.guest,
          locale: body.locale ?? 'en',
        },
      },
    })),
  }
}

function renderWidget(resource: PublicResource = physio, locale: 'en' | 'de' = 'en') {
  const client = fakeClient(resource)
  const state = createBookingState(client, {
    resource: resource.slug,
    zone: 'Europe/Berlin',
    t: CATALOGUES[locale]!,
    locale,
    now,
    onError: vi.fn(),
  })
  void state.load()
  render(<BookingWidget state={state} client={client} />)
  return { client, state }
}

/** November (shown first) has no times left: page on to December and open a day. */
async function openDay(name: RegExp, next = 'Next month') {
  fireEvent.click(await screen.findByRole('button', { name: next }))
  await screen.findByRole('listbox')
  fireEvent.click(within(screen.getByRole('grid')).getByRole('button', { name }))
}

const type = (label: string | RegExp, value: string) =>
  fireEvent.input(screen.getByLabelText(label), { target: { value } })

afterEach(cleanup)

describe('the waitlist of a fully booked day', () => {
  it('is offered on a full day of an open weekday, never on a closed day or without a waitlist', async () => {
    renderWidget()
    await openDay(CLOSED)
    expect(await screen.findByText('No free times on this day.', { selector: '.msg' })).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Join the waitlist' })).toBeNull()
    fireEvent.click(within(screen.getByRole('grid')).getByRole('button', { name: FULL }))
    expect(await screen.findByText('This day is fully booked.')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Join the waitlist' })).toBeTruthy()
    cleanup()

    renderWidget({ ...physio, waitlist: undefined })
    await openDay(FULL)
    expect(await screen.findByText('No free times on this day.', { selector: '.msg' })).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Join the waitlist' })).toBeNull()
  })

  it('joins for the whole day, in the guest’s language and zone, and says where the offer will be emailed', async () => {
    const { client } = renderWidget()
    await openDay(FULL)
    fireEvent.click(await screen.findByRole('button', { name: 'Join the waitlist' }))
    const form = await screen.findByRole('heading', { name: /Join the waitlist: Tuesday, December 8/ })
    await waitFor(() => expect(document.activeElement).toBe(form))
    expect(screen.getByText(/kept for you for 20 minutes and we send you an email/)).toBeTruthy()
    type('Name', 'Ada Lovelace')
    type('Email', 'ada@example.com')
    type('Phone (optional)', '+49 30 1234567')
    fireEvent.submit(form.closest('form')!)
    expect(await screen.findByText('We’ll email you at ada@example.com as soon as a time frees up.')).toBeTruthy()
    expect(screen.getByText('You are number 2 in line.')).toBeTruthy()
    expect(client.joinWaitlist).toHaveBeenCalledWith({
      resourceId: 'r-1',
      date: '2026-12-08',
      guest: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+49 30 1234567' },
      locale: 'en',
      timezone: 'Europe/Berlin',
    })
    // Back to the day, which still offers the list; focus returns to its button.
    fireEvent.click(screen.getByRole('button', { name: 'Back' }))
    const again = await screen.findByRole('button', { name: 'Join the waitlist' })
    await waitFor(() => expect(document.activeElement).toBe(again))
  })

  it('waits between two local times read off the weekday’s hours, in German', async () => {
    const { client } = renderWidget(physio, 'de')
    await openDay(/, 8\. Dezember/, 'Nächster Monat')
    expect(await screen.findByText('Dieser Tag ist ausgebucht.')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'In die Warteliste eintragen' }))
    await screen.findByLabelText('Name')
    fireEvent.click(screen.getByLabelText('Zwischen'))
    const from = screen.getByLabelText('Von') as HTMLSelectElement
    const until = screen.getByLabelText('Bis') as HTMLSelectElement
    // Tuesdays run 09:00–17:00 in Berlin: half-hour steps within them.
    expect([...from.options].map((o) => o.text)).toEqual(
      Array.from({ length: 16 }, (_, i) => `${String(9 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`),
    )
    expect(until.options[until.options.length - 1]!.text).toBe('17:00')
    fireEvent.change(from, { target: { value: String(15 * 60) } })
    fireEvent.change(screen.getByLabelText('Bis'), { target: { value: String(17 * 60) } })
    type('Name', 'Grete Weber')
    type('E-Mail', 'grete@example.de')
    fireEvent.submit(screen.getByLabelText('Name').closest('form')!)
    expect(
      await screen.findByText('Sobald ein Termin frei wird, schreiben wir Ihnen an grete@example.de.'),
    ).toBeTruthy()
    expect(client.joinWaitlist).toHaveBeenCalledWith(
      expect.objectContaining({
        kind: 'range',
        start: '2026-12-08T14:00:00.000Z',
        end: '2026-12-08T16:00:00.000Z',
        locale: 'de',
      }),
    )
  })

  it('asks for the places of a class, and keeps the guest’s own fields when some are refused', async () => {
    const { client } = renderWidget({ ...physio, capacity: 8, maxSeatsPerBooking: 3 })
    await openDay(FULL)
    fireEvent.click(await screen.findByRole('button', { name: 'Join the waitlist' }))
    const submit = await screen.findByRole('button', { name: 'Join the waitlist' })
    // Nothing typed: said under the fields, nothing sent.
    fireEvent.click(submit)
    fireEvent.submit(submit.closest('form')!)
    expect((await screen.findAllByText('Please fill in this field.')).length).toBe(2)
    expect(client.joinWaitlist).not.toHaveBeenCalled()
    fireEvent.change(screen.getByLabelText('Places', { selector: 'select' }), { target: { value: '3' } })
    type('Name', 'Ada')
    type('Email', 'ada@example.com')
    client.joinWaitlist.mockResolvedValueOnce({
      error: {
        code: 'invalid_request',
        message: 'bad',
        status: 400,
        details: [{ path: 'guest.email', code: 'invalid_email', message: 'not an email' }],
      },
    })
    fireEvent.submit(submit.closest('form')!)
    expect(await screen.findByText('Please enter a whole email address: a name, @ and a domain.')).toBeTruthy()
    expect(client.joinWaitlist).toHaveBeenLastCalledWith(expect.objectContaining({ seats: 3 }))
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Ada')

    client.joinWaitlist.mockResolvedValueOnce({
      error: { code: 'already_waiting', message: 'already', status: 409 },
    })
    fireEvent.submit(submit.closest('form')!)
    expect(
      await screen.findByText('You are already on the waitlist for this time, with this email address.'),
    ).toBeTruthy()
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Join the waitlist' })).toHaveProperty('disabled', false),
    )
  })
})
