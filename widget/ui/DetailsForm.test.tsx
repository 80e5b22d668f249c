// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AvailabilityResponse, PublicBooking, PublicHold, PublicResource } from '../../shared/types'
import type { BookingClient } from '../client'
import { CATALOGUES } from '../locales'
import { createBookingState } from '../state'
import { BookingWidget } from './BookingWidget'

/*
 * The guest form as people fill it: slowly, while the hold's countdown ticks, sometimes
 * after the server refused a field. What the guest typed is never put back or wiped.
 */

const room: PublicResource = { id: 'r-1', slug: 'room', type: 'room', name: 'Meeting room', timezone: 'Europe/Berlin' }
const now = () => new Date('2026-03-27T12:00:00Z')
const slot = { start: '2026-03-30T08:00:00Z', end: '2026-03-30T08:30:00Z' }

function createFakeClient() {
  const hold: PublicHold = {
    id: 'h_1',
    resourceId: room.id,
    ...slot,
    expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
  }
  const booking = (name: string): PublicBooking => ({
    ref: 'K7Q2XM3D',
    resourceId: room.id,
    status: 'confirmed',
    ...slot,
    guest: { name, email: 'ada@example.com' },
    version: 1,
    createdAt: '2026-03-27T12:00:00Z',
  })
  return {
    getAvailability: vi.fn<BookingClient['getAvailability']>(
      async (_id, query): Promise<{ data: AvailabilityResponse }> => ({
        data: {
          resource: room,
          timezone: query.tz ?? room.timezone,
          days: query.from <= '2026-03-30' && query.to >= '2026-03-30' ? [{ date: '2026-03-30', slots: [slot] }] : [],
        },
      }),
    ),
    getNextAvailable: vi.fn<BookingClient['getNextAvailable']>(async () => ({ data: null })),
    placeHold: vi.fn<BookingClient['placeHold']>(async () => ({ data: hold })),
    releaseHold: vi.fn<BookingClient['releaseHold']>(async () => ({ data: true as const })),
    createBooking: vi.fn<BookingClient['createBooking']>(async ({ guest }) => ({
      data: { booking: booking(guest.name), manageToken: 'token' },
    })),
    rescheduleBooking: vi.fn<BookingClient['rescheduleBooking']>(),
    getBooking: vi.fn<BookingClient['getBooking']>(),
    getCalendarFile: vi.fn<BookingClient['getCalendarFile']>(async () => ({ data: new Blob(['BEGIN:VCALENDAR']) })),
  }
}

function renderForm(locale: 'en' | 'de' | 'es' = 'en', client = createFakeClient()) {
  const state = createBookingState(client, {
    resource: 'room',
    zone: 'Europe/London',
    t: CATALOGUES[locale]!,
    locale,
    now,
  })
  void state.load()
  render(<BookingWidget state={state} client={client} />)
  return { state, client }
}

async function hold() {
  fireEvent.click(within(await screen.findByRole('listbox')).getAllByRole('option')[0]!)
  await screen.findByRole('timer')
}

/** Types like the browser does for a person: the value grows and an input event fires per key. */
function type(label: string | RegExp, text: string) {
  const input = screen.getByLabelText(label) as HTMLInputElement
  for (let i = 1; i <= text.length; i++) fireEvent.input(input, { target: { value: text.slice(0, i) } })
  return input
}

const valueOf = (label: string | RegExp) => (screen.getByLabelText(label) as HTMLInputElement).value
const tick = () => new Promise((resolve) => setTimeout(resolve, 1_100))

afterEach(cleanup)

describe('the details form', () => {
  it('keeps what the guest typed while the countdown ticks, and books with it', async () => {
    const { client } = renderForm()
    await hold()
    type('Name', 'Ada Lovelace')
    await tick()
    type('Email', 'ada@example.com')
    await tick()
    expect(valueOf('Name')).toBe('Ada Lovelace')
    expect(valueOf('Email')).toBe('ada@example.com')
    fireEvent.submit(screen.getByRole('button', { name: 'Book' }).closest('form')!)
    await screen.findByRole('heading', { name: 'Booked!' })
    expect(client.createBooking.mock.calls[0]?.[0]).toMatchObject({
      guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
    })
  }, 10_000)

  it('shows the server’s objection under the phone field in German, focuses it, and keeps the other fields', async () => {
    const client = createFakeClient()
    client.createBooking.mockResolvedValueOnce({
      error: {
        code: 'invalid_request',
        message: 'The request is not valid.',
        status: 400,
        details: [{ path: 'guest.phone', code: 'invalid_phone', message: 'not a phone number' }],
      },
    })
    renderForm('de', client)
    await hold()
    type('Name', 'Ada Lovelace')
    type('E-Mail', 'ada@example.com')
    type('Telefon (optional)', '12')
    fireEvent.submit(screen.getByRole('button', { name: 'Buchen' }).closest('form')!)

    const phone = await waitFor(() => {
      const input = screen.getByLabelText(/^Telefon/) as HTMLInputElement
      expect(input.getAttribute('aria-invalid')).toBe('true')
      return input
    })
    const message = document.getElementById(phone.getAttribute('aria-describedby')!)
    expect(message?.textContent).toBe(CATALOGUES.de!.fieldError.invalid_phone)
    expect(screen.getByRole('alert').textContent).toBe(CATALOGUES.de!.checkFields)
    await waitFor(() => expect(document.activeElement).toBe(phone))
    expect(valueOf('Name')).toBe('Ada Lovelace')
    expect(valueOf('E-Mail')).toBe('ada@example.com')
    expect(phone.value).toBe('12')
    await tick()
    expect(phone.value).toBe('12')

    // Fixing the field takes its message away; the second try books.
    type(/^Telefon/, '030 1234567')
    expect(phone.getAttribute('aria-invalid')).toBeNull()
    expect(document.getElementById('booking-phone-error')).toBeNull()
    fireEvent.submit(screen.getByRole('button', { name: 'Buchen' }).closest('form')!)
    await screen.findByRole('heading', { name: 'Gebucht!' })
    expect(client.createBooking.mock.calls[1]?.[0]).toMatchObject({
      guest: { phone: '030 1234567' },
      locale: 'de',
      timezone: 'Europe/London',
    })
  }, 10_000)

  it('checks empty and malformed fields itself, in the guest’s language, without asking the server', async () => {
    const { client } = renderForm('es')
    await hold()
    type('Correo electrónico', 'ada-at-example')
    fireEvent.submit(screen.getByRole('button', { name: 'Reservar' }).closest('form')!)
    const name = screen.getByLabelText('Nombre') as HTMLInputElement
    await waitFor(() => expect(document.activeElement).toBe(name))
    expect(document.getElementById(name.getAttribute('aria-describedby')!)?.textContent).toBe(
      CATALOGUES.es!.fieldError.required,
    )
    const email = screen.getByLabelText('Correo electrónico') as HTMLInputElement
    expect(document.getElementById(email.getAttribute('aria-describedby')!)?.textContent).toBe(
      CATALOGUES.es!.fieldError.invalid_email,
    )
    expect(email.value).toBe('ada-at-example')
    expect(client.createBooking).not.toHaveBeenCalled()
  })

  it.each([
    ['payment_unavailable', 'de'],
    ['cancellation_closed', 'es'],
    ['unavailable', 'de'],
    ['not_found', 'es'],
  ] as const)('says %s in the guest’s language (%s), never the API’s English message', async (code, locale) => {
    const client = createFakeClient()
    client.createBooking.mockResolvedValueOnce({ error: { code, message: 'English text for developers', status: 422 } })
    renderForm(locale, client)
    await hold()
    type(locale === 'de' ? 'Name' : 'Nombre', 'Ada')
    type(locale === 'de' ? 'E-Mail' : 'Correo electrónico', 'ada@example.com')
    fireEvent.submit(screen.getByRole('button', { name: locale === 'de' ? 'Buchen' : 'Reservar' }).closest('form')!)
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toBe(CATALOGUES[locale]!.errors[code])
    expect(alert.textContent).not.toContain('English')
  })
})
