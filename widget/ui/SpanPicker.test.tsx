// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi, type Mock } from 'vitest'
import { spanPrice, spanUnits } from '../../shared/span-pricing'
import type { PublicResource, SpanDay } from '../../shared/types'
import { createClient } from '../client'
import { formatMoney } from '../../shared/money'
import { CATALOGUES } from '../locales'
import { createBookingState } from '../state'
import { answer, FAKE_API_URL } from '../testing/fake-api'
import { BookingWidget } from './BookingWidget'

/*
 * A car booked as a span: the guest taps the pickup day and time, then the return day and
 * time on the same grid (days past the latest return cannot be taken), reads the length and
 * the total, holds the span with both ends, books it and reads the dates and the total back.
 * A room by the night takes dates only: its check-in and check-out times come with them.
 */

const ZONE = 'Europe/Berlin'
// Tuesday 1 December 2026, 09:00 in Berlin.
const NOW = new Date('2026-12-01T08:00:00Z')

const car: PublicResource = {
  id: 'car-1',
  slug: 'car',
  type: 'car',
  name: 'City car',
  timezone: ZONE,
  price: { amount: 4900, currency: 'EUR' },
  payment: 'none',
  span: { minMinutes: 240, maxMinutes: 14 * 1440, pricing: 'per_day', stepMin: 30 },
}
const room: PublicResource = {
  ...car,
  id: 'room-1',
  slug: 'room',
  type: 'room',
  name: 'Garden room',
  price: { amount: 9000, currency: 'EUR' },
  span: { minMinutes: 1200, maxMinutes: 7 * 1440, pricing: 'per_night', checkIn: '15:00', checkOut: '11:00' },
}

/** Berlin is at UTC+1 in December: a wall time on a day as an instant. */
const berlin = (date: string, time: string) => new Date(Date.parse(`${date}T${time}:00Z`) - 3_600_000).toISOString()
const days = (from: string, to: string) => {
  const out: string[] = []
  for (let d = Date.parse(`${from}T00:00:00Z`); d <= Date.parse(`${to}T00:00:00Z`); d += 86_400_000)
    out.push(new Date(d).toISOString().slice(0, 10))
  return out
}

/** The span API as the server answers it: pickups from the 4th, returns up to a booking on the 8th at 18:00. */
function spanApi(resource: PublicResource) {
  const dates = resource.span?.checkIn !== undefined
  const fetchMock: FetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input))
    const method = init?.method ?? 'GET'
    // As the server does: no slots for a span resource, and the resource whose `span` says why.
    if (url.pathname.endsWith('/availability')) return answer({ format: 'compact', resource, timezone: ZONE, days: [] })
    if (url.pathname === `/v1/resources/${resource.slug}`) return answer({ resource })
    if (url.pathname.endsWith('/spans')) {
      const from = url.searchParams.get('from')!
      const to = url.searchParams.get('to')!
      const start = url.searchParams.get('start')
      const inRange = (date: string) => date >= from && date <= to
      if (!start) {
        const pickups: SpanDay[] = days('2026-12-04', '2026-12-31')
          .filter(inRange)
          .map((date) => ({
            date,
            pickups: dates ? [berlin(date, '15:00')] : [berlin(date, '10:00'), berlin(date, '10:30')],
          }))
        return answer({ resource, timezone: ZONE, span: resource.span, days: pickups })
      }
      const startDate = start.slice(0, 10)
      const returns: SpanDay[] = days('2026-12-05', '2026-12-10')
        .filter((date) => inRange(date) && date > startDate)
        .map((date) => ({ date, returns: dates ? [berlin(date, '11:00')] : [berlin(date, '09:00')] }))
      return answer({
        resource,
        timezone: ZONE,
        span: resource.span,
        days: returns,
        latestReturn: berlin('2026-12-08', '18:00'),
      })
    }
    if (url.pathname === '/v1/holds' && method === 'POST') {
      const body = JSON.parse(String(init?.body)) as { resourceId: string; start: string; end: string }
      const expiresAt = new Date(Date.now() + 600_000).toISOString()
      return answer({ hold: { id: 'h_span', ...body, expiresAt, seats: 1 } }, 201)
    }
    if (url.pathname === '/v1/bookings' && method === 'POST') {
      const held = holds(fetchMock)[0]!
      return answer(
        {
          booking: {
            ref: 'K7Q2XM3D',
            resourceId: resource.id,
            status: 'confirmed',
            start: held.start,
            end: held.end,
            seats: 1,
          },
          manageToken: 'tok',
        },
        201,
      )
    }
    if (url.pathname.startsWith('/v1/holds/') && method === 'DELETE') return answer(null, 204)
    return answer({ error: { code: 'not_found', message: url.pathname } }, 404)
  })
  return fetchMock
}

type FetchMock = Mock<(input: RequestInfo | URL, init?: RequestInit) => Promise<Response>>

function holds(fetchMock: FetchMock) {
  return fetchMock.mock.calls
    .filter(([url, init]) => String(url).endsWith('/v1/holds') && init?.method === 'POST')
    .map(([, init]) => JSON.parse(String(init?.body)) as { resourceId: string; start: string; end: string })
}

function renderSpan(resource: PublicResource, language: 'en' | 'de' = 'en') {
  const fetchMock = spanApi(resource)
  vi.stubGlobal('fetch', fetchMock)
  const client = createClient({ apiUrl: FAKE_API_URL })
  const state = createBookingState(client, {
    resource: resource.slug,
    zone: ZONE,
    t: CATALOGUES[language],
    locale: language === 'en' ? 'en-GB' : 'de-DE',
    now: () => NOW,
  })
  void state.load()
  render(<BookingWidget state={state} client={client} />)
  return { fetchMock, state }
}

const day = (name: RegExp) => screen.getByRole('button', { name })
const spansAsked = (fetchMock: FetchMock) =>
  fetchMock.mock.calls.map(([url]) => new URL(String(url))).filter((url) => url.pathname.endsWith('/spans'))

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('a car booked as a span', () => {
  it('takes pickup day and time, then return day and time, shows length and total, holds and books', async () => {
    const { fetchMock } = renderSpan(car)
    await screen.findByText('Choose the pickup day')
    await waitFor(() => expect(day(/^Friday,? 4 December 2026/).getAttribute('aria-disabled')).toBeNull())
    // Days without a pickup cannot be taken.
    expect(day(/^Thursday,? 3 December 2026/).getAttribute('aria-disabled')).toBe('true')
    const first = spansAsked(fetchMock)[0]!
    expect(Object.fromEntries(first.searchParams)).toEqual({ from: '2026-12-01', to: '2026-12-31', timezone: ZONE })

    fireEvent.click(day(/^Friday,? 4 December 2026/))
    const pickups = await screen.findByRole('group', { name: /^Pickup time, Friday,? 4 December 2026/ })
    expect(
      within(pickups)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['10:00', '10:30'])
    fireEvent.click(within(pickups).getByRole('button', { name: '10:00' }))

    // Now the returns for that pickup: the grid marks the pickup and stops at the latest return.
    await screen.findByText('Choose the return day')
    await waitFor(() => expect(day(/^Monday,? 7 December 2026/).getAttribute('aria-disabled')).toBeNull())
    expect(spansAsked(fetchMock).at(-1)!.searchParams.get('start')).toBe(berlin('2026-12-04', '10:00'))
    expect(spansAsked(fetchMock).at(-1)!.searchParams.get('from')).toBe('2026-12-04')
    expect(day(/^Friday,? 4 December 2026, Pickup$/).getAttribute('aria-pressed')).toBe('true')
    expect(day(/^Wednesday,? 9 December 2026/).getAttribute('aria-disabled')).toBe('true')
    expect(screen.getByText(/Return by Tue 8 Dec, 18:00 at the latest/)).toBeTruthy()

    fireEvent.click(day(/^Monday,? 7 December 2026/))
    const returns = await screen.findByRole('group', { name: /^Return time, Monday,? 7 December 2026/ })
    fireEvent.click(within(returns).getByRole('button', { name: '09:00' }))
    expect(day(/^Monday,? 7 December 2026, Return$/).getAttribute('aria-pressed')).toBe('true')
    // The days between are shown as the range.
    expect(day(/^Saturday,? 5 December 2026/).classList.contains('between')).toBe(true)

    const units = spanUnits(
      car.span!,
      Date.parse(berlin('2026-12-04', '10:00')),
      Date.parse(berlin('2026-12-07', '09:00')),
      ZONE,
    )
    const total = formatMoney(spanPrice(car.price!, units).amount, 'EUR', 'en-GB')
    expect(units).toBe(3)
    const summary = await screen.findByText(`3 days × €49.00 = ${total}`)
    expect(summary.closest('.span-sum')?.textContent).toMatch(/Fri 4 Dec, 10:00\s–\sMon 7 Dec, 09:00/)

    fireEvent.click(screen.getByRole('button', { name: 'Continue' }))
    await waitFor(() => expect(holds(fetchMock)).toHaveLength(1))
    expect(holds(fetchMock)[0]).toEqual({
      resourceId: car.id,
      start: berlin('2026-12-04', '10:00'),
      end: berlin('2026-12-07', '09:00'),
    })

    const name = await screen.findByLabelText('Name')
    expect(screen.getByText(/Price: 3 days × €49.00 = €147.00, paid on site/)).toBeTruthy()
    fireEvent.input(name, { target: { value: 'Ada Lovelace' } })
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'ada@example.com' } })
    fireEvent.submit(screen.getByRole('button', { name: 'Book' }).closest('form')!)
    const done = await screen.findByRole('heading', { name: 'Booked!' })
    const confirmation = done.closest('.done')!.textContent!
    expect(confirmation).toMatch(/Fri 4 Dec, 10:00\s–\sMon 7 Dec, 09:00/)
    expect(confirmation).toContain('3 days × €49.00 = €147.00')
  })

  it('moves through the days with the arrow keys without choosing, and Enter takes one', async () => {
    renderSpan(car)
    await screen.findByText('Choose the pickup day')
    await waitFor(() => expect(day(/^Friday,? 4 December 2026/).getAttribute('aria-disabled')).toBeNull())
    const friday = day(/^Friday,? 4 December 2026/)
    expect(friday.tabIndex).toBe(0)
    fireEvent.keyDown(friday, { key: 'ArrowRight' })
    const saturday = day(/^Saturday,? 5 December 2026/)
    expect(saturday.tabIndex).toBe(0)
    expect(document.activeElement?.getAttribute('aria-label')).toBe(saturday.getAttribute('aria-label'))
    expect(screen.queryByRole('group', { name: /^Pickup time/ })).toBeNull()
    fireEvent.click(saturday)
    expect(await screen.findByRole('group', { name: /^Pickup time, Saturday,? 5 December 2026/ })).toBeTruthy()
  })

  it('speaks German', async () => {
    renderSpan(car, 'de')
    await screen.findByText('Abholtag wählen')
    await waitFor(() => expect(day(/^Freitag, 4\. Dezember 2026/).getAttribute('aria-disabled')).toBeNull())
    fireEvent.click(day(/^Freitag, 4\. Dezember 2026/))
    fireEvent.click(
      within(await screen.findByRole('group', { name: /^Abholzeit/ })).getByRole('button', { name: '10:00' }),
    )
    await screen.findByText('Rückgabetag wählen')
    await waitFor(() => expect(day(/^Montag, 7\. Dezember 2026/).getAttribute('aria-disabled')).toBeNull())
    fireEvent.click(day(/^Montag, 7\. Dezember 2026/))
    fireEvent.click(
      within(await screen.findByRole('group', { name: /^Rückgabezeit/ })).getByRole('button', { name: '09:00' }),
    )
    expect(await screen.findByText(/^3 Tage × 49,00 €\s=\s147,00 €$/)).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Weiter' })).toBeTruthy()
  })
})

describe('a room by the night', () => {
  it('takes dates only: check-in and check-out times come with them, priced per night', async () => {
    const { fetchMock } = renderSpan(room)
    await screen.findByText('Choose the check-in date')
    await waitFor(() => expect(day(/^Friday,? 4 December 2026/).getAttribute('aria-disabled')).toBeNull())
    fireEvent.click(day(/^Friday,? 4 December 2026/))
    await screen.findByText('Choose the check-out date')
    expect(screen.queryByRole('group', { name: /time/ })).toBeNull()
    await waitFor(() => expect(day(/^Sunday,? 6 December 2026/).getAttribute('aria-disabled')).toBeNull())
    fireEvent.click(day(/^Sunday,? 6 December 2026/))
    expect(await screen.findByText('2 nights × €90.00 = €180.00')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }))
    await waitFor(() => expect(holds(fetchMock)).toHaveLength(1))
    expect(holds(fetchMock)[0]).toMatchObject({
      start: berlin('2026-12-04', '15:00'),
      end: berlin('2026-12-06', '11:00'),
    })
  })
})
