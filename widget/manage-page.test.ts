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
})
