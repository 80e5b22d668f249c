// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AvailabilityResponse, PublicResource } from '../../shared/types'
import type { BookingClient } from '../client'
import { CATALOGUES } from '../locales'
import { createBookingState } from '../state'
import { BookingWidget } from './BookingWidget'
import { Popup } from './Popup'

/*
 * Before a time is picked: what is being booked, and no dead ends — an empty month points to
 * the next free day, the calendar stops at the horizon, a calendar that cannot take bookings
 * says so instead of letting the guest fill a form for nothing.
 */

const base: PublicResource = {
  id: 'r-1',
  slug: 'room',
  type: 'room',
  name: 'Meeting room',
  timezone: 'Europe/Berlin',
  horizonDays: 60,
  bookable: true,
}
const now = () => new Date('2026-11-29T10:00:00Z')
const slotOn = (date: string) => ({ start: `${date}T09:00:00Z`, end: `${date}T09:30:00Z` })

function createFakeClient(resource: PublicResource, freeDates: string[]) {
  return {
    getAvailability: vi.fn<BookingClient['getAvailability']>(
      async (_id, query): Promise<{ data: AvailabilityResponse }> => ({
        data: {
          resource,
          timezone: query.tz ?? resource.timezone,
          days: freeDates
            .filter((d) => d >= query.from && d <= query.to)
            .map((date) => ({ date, slots: [slotOn(date)] })),
        },
      }),
    ),
    getNextAvailable: vi.fn<BookingClient['getNextAvailable']>(async (_id, query) => {
      const date = freeDates.find((d) => d >= query.from)
      return { data: date ? { date, ...slotOn(date) } : null }
    }),
    placeHold: vi.fn<BookingClient['placeHold']>(),
    releaseHold: vi.fn<BookingClient['releaseHold']>(async () => ({ data: true as const })),
    createBooking: vi.fn<BookingClient['createBooking']>(),
    rescheduleBooking: vi.fn<BookingClient['rescheduleBooking']>(),
    getBooking: vi.fn<BookingClient['getBooking']>(),
    getCalendarFile: vi.fn<BookingClient['getCalendarFile']>(),
  }
}

function renderPick(resource: PublicResource, freeDates: string[], locale: 'en' | 'de' = 'en') {
  const client = createFakeClient(resource, freeDates)
  const onError = vi.fn()
  const state = createBookingState(client, {
    resource: resource.slug,
    zone: 'Europe/Berlin',
    t: CATALOGUES[locale]!,
    locale,
    now,
    onError,
  })
  void state.load()
  render(<BookingWidget state={state} client={client} />)
  return { client, onError, state }
}

const day = (name: RegExp) => within(screen.getByRole('grid')).getByRole('button', { name })

afterEach(cleanup)

describe('before a time is picked', () => {
  it('heads the times with their day, and fills the first and last weeks with the neighbouring months’ days', async () => {
    renderPick(base, ['2026-11-30'])
    // The heading is for the eye; the list's own label says the day to screen readers.
    expect((await screen.findByRole('listbox')).previousElementSibling?.textContent).toBe('Monday, November 30')
    // November 2026 ends on a Monday: the rest of that week is December's, muted but bookable.
    expect(day(/December 5, 2026/).className).toContain('other')
    expect((day(/December 5, 2026/) as HTMLButtonElement).disabled).toBe(false)
    fireEvent.click(screen.getByRole('button', { name: 'Next month' }))
    await screen.findByRole('grid', { name: 'December 2026' })
    // December starts on a Tuesday: Sunday 29 November (today) and Monday 30 lead in.
    expect(day(/November 29, 2026/).className).toContain('other')
    expect(day(/November 30, 2026/).className).toContain('other')
  })

  it('turns an empty month into one tap to the next free day, asked for in one request', async () => {
    const { client } = renderPick(base, ['2027-01-12'])
    const next = await screen.findByRole('button', { name: 'Next available: Tue, Jan 12' })
    expect(screen.getByText('No free times this month.')).toBeTruthy()
    expect(client.getNextAvailable).toHaveBeenCalledTimes(1)
    expect(client.getNextAvailable.mock.calls[0]?.[1]).toEqual({ from: '2026-12-01', tz: 'Europe/Berlin' })
    fireEvent.click(next)
    await screen.findByRole('grid', { name: 'January 2027' })
    const list = await screen.findByRole('listbox')
    expect(list.getAttribute('aria-label')).toBe('Choose a time, Tuesday, January 12, 2027')
    // A day in another year says its year.
    expect(list.previousElementSibling?.textContent).toBe('Tuesday, January 12, 2027')
  })

  it('points from an empty day to the next free day of the month without asking the server', async () => {
    const { client } = renderPick(base, ['2026-11-30', '2026-12-03'])
    await screen.findByRole('listbox')
    fireEvent.click(screen.getByRole('button', { name: 'Next month' }))
    await screen.findByRole('grid', { name: 'December 2026' })
    fireEvent.click(day(/December 1, 2026/))
    fireEvent.click(await screen.findByRole('button', { name: 'Next available: Thu, Dec 3' }))
    expect((await screen.findByRole('listbox')).getAttribute('aria-label')).toMatch(/December 3/)
    expect(client.getNextAvailable).not.toHaveBeenCalled()
  })

  it('says when nothing is free in the whole booking period', async () => {
    renderPick(base, [])
    expect(await screen.findByText('No free times in the booking period.')).toBeTruthy()
  })

  it('stops the calendar at the booking horizon', async () => {
    renderPick({ ...base, horizonDays: 20 }, ['2026-11-30'])
    await screen.findByRole('listbox')
    const next = screen.getByRole('button', { name: 'Next month' }) as HTMLButtonElement
    // 29 November + 20 days = 19 December: December is reachable, January is not.
    expect(next.disabled).toBe(false)
    fireEvent.click(next)
    await screen.findByRole('grid', { name: 'December 2026' })
    expect((screen.getByRole('button', { name: 'Next month' }) as HTMLButtonElement).disabled).toBe(true)
    expect((day(/December 19, 2026/) as HTMLButtonElement).disabled).toBe(false)
    expect((day(/December 20, 2026/) as HTMLButtonElement).disabled).toBe(true)
  })

  it('shows what is booked: the slot length, a price paid on site, and the cancellation policy', async () => {
    renderPick(
      {
        ...base,
        price: { amount: 4500, currency: 'EUR' },
        payment: 'none',
        cancellationPolicy: { free_cancellation_hours: 24 },
      },
      ['2026-11-30'],
      'de',
    )
    await screen.findByRole('listbox')
    expect(screen.getByText('Dauer: 30 Min.')).toBeTruthy()
    expect(screen.getByText('Preis: 45,00 €, Zahlung vor Ort')).toBeTruthy()
    expect(screen.getByText('Kostenlose Stornierung bis 24 Std. vor Beginn.')).toBeTruthy()
  })

  it('does not offer a resource whose payments the owner has not set up', async () => {
    renderPick(
      {
        ...base,
        price: { amount: 4500, currency: 'EUR' },
        payment: 'full',
        bookable: false,
        notBookableReason: 'payment_unavailable',
      },
      ['2026-11-30'],
    )
    expect((await screen.findByRole('alert')).textContent).toBe(CATALOGUES.en!.paymentNotSetUp)
    expect(screen.queryByRole('grid')).toBeNull()
  })

  it('tells the guest an unknown calendar is not available, without a useless retry, and the owner the code', async () => {
    const client = createFakeClient(base, [])
    client.getAvailability.mockResolvedValue({
      error: { code: 'not_found', message: 'No such resource.', status: 404 },
    })
    const onError = vi.fn()
    const state = createBookingState(client, {
      resource: 'nope',
      zone: 'Europe/Berlin',
      t: CATALOGUES.de!,
      locale: 'de',
      now,
      onError,
    })
    void state.load()
    render(<BookingWidget state={state} client={client} />)
    expect((await screen.findByRole('alert')).textContent).toBe('Dieser Buchungskalender ist nicht verfügbar.')
    expect(screen.queryByRole('button', { name: 'Erneut versuchen' })).toBeNull()
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'not_found' }))
  })
})

describe('closing the popup', () => {
  const words = CATALOGUES.en!
  function renderPopup(holding: boolean) {
    const onClose = vi.fn()
    render(
      <Popup labelledBy="t" closeLabel="Close" onClose={onClose} confirmLeave={{ isHolding: () => holding, words }}>
        <h2 id="t">Meeting room</h2>
      </Popup>,
    )
    return onClose
  }

  it('asks first while a time is held, and stays when the guest keeps it', async () => {
    const onClose = renderPopup(true)
    fireEvent.click(screen.getByRole('button', { name: 'Close' }))
    const question = await screen.findByRole('alertdialog', { name: words.leaveTitle })
    expect(onClose).not.toHaveBeenCalled()
    await waitFor(() => expect(document.activeElement?.textContent).toBe(words.stay))
    fireEvent.click(within(question).getByRole('button', { name: words.stay }))
    expect(screen.queryByRole('alertdialog')).toBeNull()
    fireEvent.click(screen.getByRole('button', { name: 'Close' }))
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: words.leave }))
    expect(onClose).toHaveBeenCalledTimes(1)
  })

  it('closes at once when nothing is held', () => {
    const onClose = renderPopup(false)
    fireEvent.click(screen.getByRole('button', { name: 'Close' }))
    expect(onClose).toHaveBeenCalledTimes(1)
  })
})
