import { vi } from 'vitest'
import type { PublicResource } from '../../shared/types'

/** A fetch stand-in for widget tests: one free time each day, holds as the API would answer, no bookings. */

export const FAKE_API_URL = 'https://book.test'

export const fakeRoom: PublicResource = {
  id: 'r-1',
  slug: 'room',
  type: 'room',
  name: 'Meeting room',
  timezone: 'Europe/Berlin',
}

/** A class of 12 places, up to 4 per booking, with `FAKE_CLASS_SEATS_LEFT` still free at each day's time. */
export const fakeClass: PublicResource = {
  ...fakeRoom,
  id: 'r-2',
  slug: 'class',
  name: 'Yoga class',
  capacity: 12,
  maxSeatsPerBooking: 4,
}
export const FAKE_CLASS_SEATS_LEFT = 3

/** A JSON answer as the API writes it (204: no body). */
export function answer(body: unknown, status = 200): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}

export function fakeApiFetch() {
  return vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input))
    const method = init?.method ?? 'GET'
    if (url.pathname.endsWith('/availability')) {
      const from = url.searchParams.get('from')!
      const slot = { start: `${from}T22:00:00Z`, end: `${from}T22:30:00Z` }
      if (url.pathname.includes(`/${fakeClass.slug}/`)) {
        const seats = Number(url.searchParams.get('seats') ?? 1)
        const slots = seats <= FAKE_CLASS_SEATS_LEFT ? [{ ...slot, seatsLeft: FAKE_CLASS_SEATS_LEFT }] : []
        return answer({ resource: fakeClass, timezone: 'UTC', days: [{ date: from, slots }] })
      }
      return answer({ resource: fakeRoom, timezone: 'UTC', days: [{ date: from, slots: [slot] }] })
    }
    if (url.pathname === '/v1/holds' && method === 'POST') {
      const body = JSON.parse(String(init?.body)) as { resourceId: string; start: string; seats?: number }
      const expiresAt = new Date(Date.now() + 600_000).toISOString()
      const seats = body.resourceId === fakeClass.id ? { seats: body.seats ?? 1 } : {}
      return answer(
        { hold: { id: 'h_1', resourceId: body.resourceId, start: body.start, end: body.start, expiresAt, ...seats } },
        201,
      )
    }
    if (url.pathname.startsWith('/v1/holds/') && method === 'DELETE') return answer(null, 204)
    if (url.pathname.startsWith('/v1/bookings/'))
      return answer({ error: { code: 'not_found', message: 'No such booking.' } }, 404)
    if (url.pathname.startsWith('/v1/resources/')) return answer({ resource: fakeRoom })
    return answer({ error: { code: 'not_found', message: url.pathname } }, 404)
  })
}

/** Whether the fake API was asked to give hold `id` back. */
export function releasedHold(fetchMock: ReturnType<typeof fakeApiFetch>, id: string): boolean {
  return fetchMock.mock.calls.some(
    ([url, init]) => String(url).endsWith(`/v1/holds/${id}`) && init?.method === 'DELETE',
  )
}

/** Whether availability was asked for `resource`. */
export function askedAvailability(fetchMock: ReturnType<typeof fakeApiFetch>, resource: string): boolean {
  return fetchMock.mock.calls.some(([url]) => String(url).includes(`/v1/resources/${resource}/availability`))
}
