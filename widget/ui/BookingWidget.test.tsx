// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AvailabilityResponse, PublicBooking, PublicHold, PublicResource } from '../../shared/types'
import type { AvailabilityQuery, BookingClient } from '../client'
import { CATALOGUES } from '../locales'
import { createBookingState } from '../state'
import { BookingWidget } from './BookingWidget'

/*
 * Every step of the flow and each way it can fail, rendered by Preact into a DOM
 * (happy-dom), driven the way a guest would: clicks, keys, typing.
 */

const room: PublicResource = { id: 'r-1', slug: 'room', type: 'room', name: 'Meeting room', timezone: 'Europe/Berlin' }
const now = () => new Date('2026-03-27T12:00:00Z')

/** 09:00, 09:30 and 10:00 Berlin time on the given days. */
function availability(query: AvailabilityQuery, dates: string[]): AvailabilityResponse {
  const days = dates
    .filter((date) => date >= query.from && date <= query.to)
    .map((date) => ({
      date,
      slots: [
        ['08:00', '08:30'],
        ['08:30', '09:00'],
        ['09:00', '09:30'],
      ].map(([start, end]) => ({ start: `${date}T${start}:00Z`, end: `${date}T${end}:00Z` })),
    }))
  return { resource: room, timezone: query.tz ?? room.timezone, days }
}

function createFakeClient(freeDates = ['2026-03-30', '2026-03-31', '2026-04-02']) {
  const hold = (start: string, end: string): PublicHold => ({
    id: `h_${start}`,
    resourceId: room.id,
    start,
    end,
    expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
  })
  const client = {
    getAvailability: vi.fn<BookingClient['getAvailability']>(async (_id, query) => ({
      data: availability(query, freeDates),
    })),
    getNextAvailable: vi.fn<BookingClient['getNextAvailable']>(async () => ({ data: null })),
    placeHold: vi.fn<BookingClient['placeHold']>(async ({ start, end }) => ({ data: hold(start, end ?? start) })),
    releaseHold: vi.fn<BookingClient['releaseHold']>(async () => ({ data: true as const })),
    createBooking: vi.fn<BookingClient['createBooking']>(async ({ guest }) => ({
      data: { booking: bookingOf(guest.name), manageToken: 'manage-token' },
    })),
    rescheduleBooking: vi.fn<BookingClient['rescheduleBooking']>(),
    getBooking: vi.fn<BookingClient['getBooking']>(),
    getCalendarFile: vi.fn<BookingClient['getCalendarFile']>(async () => ({ data: new Blob(['BEGIN:VCALENDAR']) })),
  }
  return client
}

function bookingOf(name: string): PublicBooking {
  return {
    ref: 'K7Q2XM3D',
    resourceId: room.id,
    status: 'confirmed',
    start: '2026-03-30T08:00:00Z',
    end: '2026-03-30T08:30:00Z',
    guest: { name, email: 'ada@example.com' },
    version: 1,
    createdAt: '2026-03-27T12:00:00Z',
  }
}

function renderWidget(client = createFakeClient(), opts: { locale?: 'en' | 'de' | 'es'; onError?: () => void } = {}) {
  const locale = opts.locale ?? 'en'
  const state = createBookingState(client, {
    resource: 'room',
    zone: 'Europe/Berlin',
    t: CATALOGUES[locale]!,
    locale,
    now,
    onError: opts.onError ?? vi.fn(),
    guest: { phone: '+49 30 1234567' },
  })
  void state.load()
  const view = render(
    <BookingWidget
      state={state}
      client={client}
      manageUrl={(ref, token) => `https://book.test/manage#ref=${ref}&token=${token}`}
    />,
  )
  return { state, client, view }
}

const dayButton = (name: RegExp) => within(screen.getByRole('grid')).getByRole('button', { name })
const timesList = () => screen.findByRole('listbox')

async function holdFirstTime() {
  const list = await timesList()
  fireEvent.click(within(list).getAllByRole('option')[0]!)
  return screen.findByRole('timer')
}

async function fillAndBook(name = 'Ada Lovelace') {
  fireEvent.input(screen.getByLabelText('Name'), { target: { value: name } })
  fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'ada@example.com' } })
  fireEvent.submit(screen.getByRole('button', { name: 'Book' }).closest('form')!)
}

afterEach(cleanup)

describe('picking a time', () => {
  it('shows the month as a grid, marks the days with free times and lists the first free day’s times', async () => {
    renderWidget()
    const list = await timesList()
    expect(screen.getByRole('grid', { name: 'March 2026' })).toBeTruthy()
    expect(list.getAttribute('aria-label')).toBe('Choose a time, Monday, March 30, 2026')
    // 08:00Z is 10:00 in Berlin after the spring change on 29 March.
    expect(
      within(list)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['10:00 AM', '10:30 AM', '11:00 AM'])
    expect(dayButton(/March 30/).className).toContain('free')
    expect(dayButton(/March 28/).className).not.toContain('free')
    // Days before today cannot be picked; the selected day is the grid's one tab stop.
    expect((dayButton(/March 26/) as HTMLButtonElement).disabled).toBe(true)
    expect(dayButton(/March 30/).tabIndex).toBe(0)
    expect(dayButton(/March 30/).parentElement?.getAttribute('aria-selected')).toBe('true')
  })

  it('moves the day with the arrow keys and shows that day’s times', async () => {
    renderWidget()
    await timesList()
    fireEvent.keyDown(dayButton(/March 30/), { key: 'ArrowRight' })
    await waitFor(() => expect(screen.getByRole('listbox').getAttribute('aria-label')).toMatch(/March 31/))
    // A week up would be before today: nothing moves.
    fireEvent.keyDown(dayButton(/March 31/), { key: 'ArrowUp' })
    expect(dayButton(/March 31/).tabIndex).toBe(0)
    fireEvent.keyDown(dayButton(/March 31/), { key: 'ArrowLeft' })
    await waitFor(() => expect(dayButton(/March 30/).tabIndex).toBe(0))
    fireEvent.keyDown(dayButton(/March 30/), { key: 'ArrowLeft' })
    await screen.findByText('No free times on this day.', { selector: 'p.msg' })
    expect(dayButton(/March 29/).tabIndex).toBe(0)
    expect(document.activeElement).toBe(dayButton(/March 29/))
  })

  it('pages to the next month, which was fetched ahead', async () => {
    const { client } = renderWidget()
    await timesList()
    expect(client.getAvailability).toHaveBeenCalledTimes(2)
    fireEvent.click(screen.getByRole('button', { name: 'Next month' }))
    await screen.findByRole('grid', { name: 'April 2026' })
    expect((await timesList()).getAttribute('aria-label')).toMatch(/April 2/)
    expect(client.getAvailability.mock.calls.map(([, q]) => q.from)).toEqual(['2026-03-27', '2026-04-01', '2026-05-01'])
  })

  it('asks again in another zone when the guest switches it', async () => {
    const { client } = renderWidget()
    await timesList()
    fireEvent.click(
      screen.getByRole('button', { name: /^Change time zone: Berlin · Central European (Standard )?Time/ }),
    )
    const search = screen.getByRole('combobox', { name: 'Search for a city or time zone' })
    // The guest's own zone and the resource's are offered first, before any typing.
    expect(within(screen.getByRole('listbox', { name: 'Time zone' })).getAllByRole('option')[0]?.textContent).toMatch(
      /^Berlin/,
    )
    fireEvent.input(search, { target: { value: 'new yo' } })
    const match = within(screen.getByRole('listbox', { name: 'Time zone' })).getAllByRole('option')
    expect(match.map((o) => o.textContent)).toEqual([expect.stringMatching(/^New York .*Eastern.*\(GMT-4\)/)])
    fireEvent.keyDown(search, { key: 'Enter' })
    await waitFor(() =>
      expect(client.getAvailability.mock.calls.some(([, q]) => q.tz === 'America/New_York')).toBe(true),
    )
    expect(await screen.findByText('Meeting room is in Berlin.')).toBeTruthy()
    expect(screen.getByRole('button', { name: /^Change time zone: New York/ })).toBeTruthy()
    expect(within(await timesList()).getAllByRole('option')[0]?.textContent).toBe('4:00 AM')
  })

  it('offers a retry when availability cannot be reached, and recovers', async () => {
    const client = createFakeClient()
    client.getAvailability.mockResolvedValueOnce({ error: { code: 'network_error', message: 'offline' } })
    const onError = vi.fn()
    renderWidget(client, { onError })
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain(CATALOGUES.en!.errors.network_error)
    expect(onError).toHaveBeenCalledWith({ code: 'network_error', message: 'offline' })
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }))
    expect(await timesList()).toBeTruthy()
  })
})

describe('holding and booking', () => {
  it('holds the time, shows the countdown and the form prefilled, and books it', async () => {
    const { client } = renderWidget()
    const timer = await holdFirstTime()
    expect(timer.textContent).toMatch(/Held for you for (9:5\d|10:00)/)
    expect(client.placeHold).toHaveBeenCalledWith({
      resourceId: room.id,
      start: '2026-03-30T08:00:00Z',
      end: '2026-03-30T08:30:00Z',
    })
    // Focus moves to the step's heading, which names the held time.
    await waitFor(() => expect(document.activeElement?.tagName).toBe('H3'))
    expect(document.activeElement?.textContent).toMatch(/Mon, Mar 30, 10:00\s*–\s*10:30\s*AM/)
    expect((screen.getByLabelText('Phone (optional)') as HTMLInputElement).value).toBe('+49 30 1234567')

    await fillAndBook()
    const heading = await screen.findByRole('heading', { name: 'Booked!' })
    expect(client.createBooking.mock.calls[0]?.[0]).toEqual({
      holdId: 'h_2026-03-30T08:00:00Z',
      guest: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+49 30 1234567' },
      locale: 'en',
      timezone: 'Europe/Berlin',
    })
    await waitFor(() => expect(document.activeElement).toBe(heading))
    expect(screen.getByText('K7Q2XM3D')).toBeTruthy()
    expect((await screen.findByText('Add to calendar (.ics)')).getAttribute('download')).toBe('booking-K7Q2XM3D.ics')
    expect(screen.getByText('Manage or cancel this booking').getAttribute('href')).toBe(
      'https://book.test/manage#ref=K7Q2XM3D&token=manage-token',
    )
  })

  it.each(['slot_taken', 'slot_held'] as const)(
    'on %s says the time was just taken, shows fresh times and keeps what the guest typed',
    async (code) => {
      const client = createFakeClient()
      const { view } = renderWidget(client)
      await holdFirstTime()
      client.createBooking.mockResolvedValueOnce({ error: { code, message: 'taken', status: 409 } })
      await fillAndBook('Grace Hopper')
      expect((await screen.findByRole('alert')).textContent).toBe(CATALOGUES.en!.slotTaken)
      const calls = client.getAvailability.mock.calls.length
      expect(calls).toBeGreaterThanOrEqual(3) // asked again, not served from the cache
      await timesList()
      fireEvent.click(within(screen.getByRole('listbox')).getAllByRole('option')[1]!)
      await screen.findByRole('timer')
      expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Grace Hopper')
      view.unmount()
    },
  )

  it('takes the guest back to the times with a message when the hold has expired', async () => {
    const client = createFakeClient()
    renderWidget(client)
    await holdFirstTime()
    client.createBooking.mockResolvedValueOnce({ error: { code: 'hold_expired', message: 'gone', status: 410 } })
    await fillAndBook()
    expect((await screen.findByRole('alert')).textContent).toBe(CATALOGUES.en!.errors.hold_expired)
    expect(await timesList()).toBeTruthy()
  })

  it('asks the guest to wait when rate limited, staying on the form', async () => {
    const client = createFakeClient()
    renderWidget(client)
    await holdFirstTime()
    client.createBooking.mockResolvedValueOnce({ error: { code: 'rate_limited', message: 'slow down', status: 429 } })
    await fillAndBook()
    expect((await screen.findByRole('alert')).textContent).toBe(CATALOGUES.en!.errors.rate_limited)
    expect(screen.getByRole('timer')).toBeTruthy()
  })

  it('keeps the form after a network failure and books on the retry with the same key', async () => {
    const client = createFakeClient()
    renderWidget(client)
    await holdFirstTime()
    client.createBooking.mockResolvedValueOnce({ error: { code: 'network_error', message: 'offline' } })
    await fillAndBook()
    expect((await screen.findByRole('alert')).textContent).toBe(CATALOGUES.en!.errors.network_error)
    fireEvent.submit(screen.getByRole('button', { name: 'Book' }).closest('form')!)
    await screen.findByRole('heading', { name: 'Booked!' })
    const [first, second] = client.createBooking.mock.calls
    expect(first?.[1]?.idempotencyKey).toBe(second?.[1]?.idempotencyKey)
  })

  it('gives the hold back when the guest goes back', async () => {
    const { client } = renderWidget()
    await holdFirstTime()
    fireEvent.click(screen.getByRole('button', { name: 'Back' }))
    await timesList()
    expect(client.releaseHold).toHaveBeenCalledWith('h_2026-03-30T08:00:00Z')
  })
})

describe('languages', () => {
  it('speaks German with German dates and times', async () => {
    renderWidget(createFakeClient(), { locale: 'de' })
    const list = await timesList()
    expect(screen.getByRole('grid', { name: 'März 2026' })).toBeTruthy()
    expect(list.getAttribute('aria-label')).toBe('Uhrzeit wählen, Montag, 30. März 2026')
    expect(within(list).getAllByRole('option')[0]?.textContent).toBe('10:00')
    expect(screen.getByRole('button', { name: 'Nächster Monat' })).toBeTruthy()
  })

  it('speaks Spanish', async () => {
    renderWidget(createFakeClient(), { locale: 'es' })
    await timesList()
    expect(screen.getByRole('grid', { name: 'marzo de 2026' })).toBeTruthy()
    await holdFirstTime()
    expect(screen.getByLabelText('Nombre')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Reservar' })).toBeTruthy()
  })
})
