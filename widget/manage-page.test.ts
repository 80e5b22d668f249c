// @vitest-environment happy-dom
import { fireEvent, waitFor, within } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { PublicBooking, PublicResource } from '../shared/types'
import { mount } from './sdk'

/*
 * The manage link round trip: the widget's confirmation link carries the guest's language
 * and theme, and the manage page (manage.js) opens in them, in a DOM against a fetch that
 * answers like the API.
 */

const API = 'https://book.test'
const room: PublicResource = { id: 'r-1', slug: 'room', type: 'room', name: 'Meeting room', timezone: 'UTC' }

function answer(body: unknown, status = 200): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}

/** One free time each day at 22:00 UTC; the booking made from it is served back by ref. */
function apiFetch() {
  let booking: PublicBooking | undefined
  return vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input))
    const method = init?.method ?? 'GET'
    const path = url.pathname
    if (path.endsWith('/availability')) {
      const from = url.searchParams.get('from')!
      return answer({
        resource: room,
        timezone: 'UTC',
        days: [{ date: from, slots: [{ start: `${from}T22:00:00Z`, end: `${from}T22:30:00Z` }] }],
      })
    }
    if (path.endsWith('/next-available')) return answer({ nextAvailable: null })
    if (path === '/v1/holds' && method === 'POST') {
      const body = JSON.parse(String(init?.body)) as { start: string; end: string }
      return answer(
        {
          hold: {
            id: 'h_1',
            resourceId: room.id,
            start: body.start,
            end: body.end,
            expiresAt: new Date(Date.now() + 600_000).toISOString(),
          },
        },
        201,
      )
    }
    if (path.startsWith('/v1/holds/')) return answer(null, 204)
    if (path === '/v1/bookings' && method === 'POST') {
      booking = {
        ref: 'K7Q2XM3D',
        resourceId: room.id,
        status: 'confirmed',
        start: `${new Date().toISOString().slice(0, 10)}T22:00:00Z`,
        end: `${new Date().toISOString().slice(0, 10)}T22:30:00Z`,
        guest: { name: 'Ada', email: 'ada@example.com' },
        version: 1,
        createdAt: new Date().toISOString(),
        cancellation: { allowed: true, percent: 100 },
      }
      return answer({ booking, manageToken: 'manage-token' }, 201)
    }
    if (path.endsWith('/calendar.ics')) return new Response('BEGIN:VCALENDAR', { status: 200 })
    // A date of a weekly series, opened with the series' token.
    const bearer = new Headers(init?.headers).get('Authorization')
    if (path === `/v1/bookings/${seriesDate.ref}` && bearer === 'Bearer series-token')
      return answer({ booking: seriesDate })
    if (path === `/v1/series/${SERIES_REF}` && bearer === 'Bearer series-token')
      return answer({ series: { ...seriesShape, bookings: seriesDates } })
    if (path === `/v1/series/${SERIES_REF}/cancel` && method === 'POST' && bearer === 'Bearer series-token') {
      const cancelled = seriesDates.map((date) => ({ ...date, status: 'cancelled' as const, version: 2 }))
      seriesDates.splice(0, seriesDates.length, ...cancelled)
      return answer({
        series: { ...seriesShape, bookings: cancelled },
        cancelled: cancelled.map((date) => date.ref),
        kept: [],
      })
    }
    if (path === '/v1/bookings/K7Q2XM3D' && booking) return answer({ booking })
    if (path.startsWith('/v1/resources/')) return answer({ resource: room })
    return answer({ error: { code: 'not_found', message: path } }, 404)
  })
}

beforeEach(() => {
  vi.stubGlobal('fetch', apiFetch())
  vi.resetModules()
})
afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
  history.replaceState(null, '', '/')
})

const SERIES_REF = 'S3R1E5AA'
const seriesShape = {
  ref: SERIES_REF,
  id: '6f1c0000-0000-4000-8000-000000000001',
  resourceId: room.id,
  everyWeeks: 2,
  occurrences: 3,
  mode: 'all_or_nothing',
  skippedDates: [],
}
/** Three dates two weeks apart, the first a week from now, at 18:00 UTC. */
function seriesDateOn(weeks: number, ref: string): PublicBooking {
  const day = new Date(Date.now() + weeks * 7 * 86_400_000).toISOString().slice(0, 10)
  return {
    ref,
    resourceId: room.id,
    status: 'confirmed',
    start: `${day}T18:00:00Z`,
    end: `${day}T19:00:00Z`,
    guest: { name: 'Ada', email: 'ada@example.com' },
    version: 1,
    createdAt: new Date().toISOString(),
    seriesRef: SERIES_REF,
    seriesEveryWeeks: 2,
    cancellation: { allowed: true, percent: 100 },
  }
}
const seriesDate = seriesDateOn(1, 'A1B2C3D4')
let seriesDates: PublicBooking[] = []
beforeEach(() => {
  seriesDates = [seriesDate, seriesDateOn(3, 'E5F6G7H8'), seriesDateOn(5, 'J9K2M3N4')]
})

const root = (el: Element) => el.shadowRoot!.querySelector<HTMLElement>('.root')!

/** Opens `/manage` with the given fragment and runs the manage page's entry on it, as manage.js does. */
async function openManagePage(fragment: string, attributes = '') {
  history.replaceState(null, '', `/manage${fragment}`)
  document.body.innerHTML = `<div data-booking-manage ${attributes}></div>`
  ;(await import('./manage-page')).start(null)
  return document.querySelector('[data-booking-manage]')!
}

describe('the manage link', () => {
  it('carries the language and theme the guest booked in, and the manage page opens in them', async () => {
    const widget = document.body.appendChild(document.createElement('div'))
    mount(widget, { resource: 'room', apiUrl: API, tz: 'UTC', locale: 'de', theme: 'dark' })
    const booking = within(root(widget))
    fireEvent.click((await booking.findAllByRole('option'))[0]!)
    fireEvent.input(await booking.findByLabelText('Name'), { target: { value: 'Ada' } })
    fireEvent.input(booking.getByLabelText('E-Mail'), { target: { value: 'ada@example.com' } })
    fireEvent.submit(booking.getByRole('button', { name: 'Buchen' }).closest('form')!)
    const link = new URL(
      (await booking.findByRole('link', { name: 'Buchung verwalten oder stornieren' })).getAttribute('href')!,
    )
    expect(link.origin + link.pathname).toBe(`${API}/manage`)
    expect(Object.fromEntries(new URLSearchParams(link.hash.slice(1)))).toEqual({
      ref: 'K7Q2XM3D',
      token: 'manage-token',
      lang: 'de',
      theme: 'dark',
    })

    const page = await openManagePage(link.hash)
    const manage = within(root(page))
    await manage.findByRole('button', { name: 'Buchung stornieren' })
    expect(manage.getByText('Buchungsnummer')).toBeTruthy()
    expect(root(page).getAttribute('data-theme')).toBe('dark')
    expect(root(page).lang).toBe('de')
  })

  it('lets the element’s own data-locale and data-theme win over the link’s', async () => {
    const page = await openManagePage(
      '#ref=ZZZZZZZZ&token=nope&lang=de&theme=dark',
      'data-locale="es" data-theme="light"',
    )
    await waitFor(() => expect(root(page).textContent).toContain('Este enlace de reserva no es válido.'))
    expect(root(page).getAttribute('data-theme')).toBe('light')
  })

  it('ignores a theme it does not know instead of failing to open', async () => {
    const page = await openManagePage('#ref=ZZZZZZZZ&token=nope&lang=es&theme=neon')
    await waitFor(() => expect(root(page).textContent).toContain('Este enlace de reserva no es válido.'))
    expect(root(page).getAttribute('data-theme')).toBe('light')
  })

  it('opens a date of a series with the series under it, and cancels every later date with the same token', async () => {
    const page = await openManagePage(`#ref=${seriesDate.ref}&token=series-token&lang=de`)
    const manage = within(root(page))
    await manage.findByRole('heading', { name: 'Ihre Terminserie' })
    expect(await manage.findByText(/^Alle 2 Wochen am \w+ um 18:00 Uhr$/)).toBeTruthy()
    // The single date keeps its own buttons; the series adds its own below.
    expect(manage.getByRole('button', { name: 'Buchung stornieren' })).toBeTruthy()
    fireEvent.click(manage.getByRole('button', { name: 'Alle weiteren Termine stornieren' }))
    fireEvent.click(manage.getByRole('button', { name: 'Ja, alle stornieren' }))
    expect(await manage.findByText('3 Termine storniert.')).toBeTruthy()
    const calls = vi
      .mocked(fetch)
      .mock.calls.map(([input, init]) => `${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`)
    expect(calls).toContain(`POST /v1/series/${SERIES_REF}/cancel`)
    expect(manage.queryByRole('button', { name: 'Alle weiteren Termine stornieren' })).toBeNull()
  })
})
