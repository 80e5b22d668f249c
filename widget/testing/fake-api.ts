import { vi } from 'vitest'
import type { PublicPool, PublicResource } from '../../shared/types'

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

/** Two physios the guest may choose between; "anyone" gets Dr. Kim (Dr. Lee is taken). */
export const fakePhysios: PublicPool = {
  id: 'p-1',
  slug: 'physios',
  type: 'physio',
  name: 'Physiotherapy',
  timezone: 'Europe/Berlin',
  memberChoice: true,
  members: [
    { id: 'r-3', slug: 'lee', name: 'Dr. Lee' },
    { id: 'r-4', slug: 'kim', name: 'Dr. Kim' },
  ],
  resource: { ...fakeRoom, id: 'r-3', slug: 'lee', name: 'Dr. Lee' },
}

/** A dining room of a table for 2 (`t-2`) and one for 3 to 6 (`t-6`); the pool assigns the smallest that fits. */
export const fakeTables: PublicPool = {
  id: 'p-2',
  slug: 'dining',
  type: 'table',
  name: 'Dining room',
  timezone: 'Europe/Berlin',
  memberChoice: false,
  minParty: 1,
  maxParty: 6,
  resource: { ...fakeRoom, id: 't-2', slug: 'table-2', name: 'Table 2', type: 'table', minParty: 1, maxParty: 2 },
}
const FAKE_TABLE_6 = { id: 't-6', slug: 'table-6', name: 'Table 6', minParty: 3, maxParty: 6 }

/** A JSON answer as the API writes it (204: no body). */
export function answer(body: unknown, status = 200): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}

export function fakeApiFetch() {
  let heldStart = ''
  return vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input))
    const method = init?.method ?? 'GET'
    if (url.pathname.endsWith('/series-availability')) {
      const query = url.searchParams
      const dates = fakeSeriesDates(
        query.get('start')!,
        Number(query.get('everyWeeks')),
        Number(query.get('occurrences')),
      )
      return answer({ occurrences: dates })
    }
    if (url.pathname === '/v1/bookings/series' && method === 'POST') return fakeSeries(heldStart, String(init?.body))
    const pool = [fakePhysios, fakeTables].find((p) => url.pathname.startsWith(`/v1/pools/${p.slug}`))
    if (pool) return fakePool(pool, url, init)
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
      heldStart = body.start
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
    if (url.pathname === '/v1/resources/t-6') return answer({ resource: { ...fakeTables.resource, ...FAKE_TABLE_6 } })
    if (url.pathname.startsWith('/v1/resources/')) return answer({ resource: fakeRoom })
    return answer({ error: { code: 'not_found', message: url.pathname } }, 404)
  })
}

/** A pool's answers: both members free at each day's time (one when a member is chosen); next-available: the day after `from`. */
function fakePool(pool: PublicPool, url: URL, init?: RequestInit): Response {
  if (url.pathname.endsWith('/next-available')) {
    const day = new Date(Date.parse(`${url.searchParams.get('from')!}T00:00:00Z`) + 86_400_000)
      .toISOString()
      .slice(0, 10)
    return answer({ nextAvailable: { date: day, start: `${day}T22:00:00.000Z`, end: `${day}T22:30:00.000Z` } })
  }
  if (url.pathname.endsWith('/availability')) {
    const from = url.searchParams.get('from')!
    const membersFree = url.searchParams.has('member') ? 1 : 2
    const slots = [{ start: `${from}T22:00:00Z`, end: `${from}T22:30:00Z`, membersFree }]
    return answer({ pool, timezone: 'UTC', days: [{ date: from, slots }] })
  }
  if (url.pathname.endsWith('/holds') && init?.method === 'POST') {
    const body = JSON.parse(String(init.body)) as { start: string; partySize?: number; memberId?: string }
    const party = body.partySize !== undefined ? { partySize: body.partySize } : {}
    const member = pool === fakeTables ? ((body.partySize ?? 1) <= 2 ? 't-2' : 't-6') : (body.memberId ?? 'r-4')
    const expiresAt = new Date(Date.now() + 600_000).toISOString()
    const hold = {
      id: `h_${member}`,
      resourceId: member,
      poolId: pool.id,
      start: body.start,
      end: body.start,
      expiresAt,
    }
    return answer({ hold: { ...hold, seats: 1, ...party } }, 201)
  }
  return answer({ pool })
}

/** A weekly series from `start` (30 minutes each): its second date is already booked. */
function fakeSeriesDates(start: string, everyWeeks: number, count: number) {
  return Array.from({ length: count }, (_, i) => {
    const at = Date.parse(start) + i * everyWeeks * 7 * 86_400_000
    const interval = { start: new Date(at).toISOString(), end: new Date(at + 1_800_000).toISOString() }
    return { date: interval.start.slice(0, 10), ...interval, free: i !== 1, ...(i === 1 ? { reason: 'taken' } : {}) }
  })
}

/** `POST /v1/bookings/series` as the API answers it, against `fakeSeriesDates`. */
function fakeSeries(heldStart: string, body: string): Response {
  const request = JSON.parse(body) as {
    guest: { name: string; email: string }
    repeat: { everyWeeks: number; occurrences: number }
    mode: string
  }
  const dates = fakeSeriesDates(heldStart, request.repeat.everyWeeks, request.repeat.occurrences)
  const taken = dates.filter((date) => !date.free)
  if (request.mode === 'all_or_nothing' && taken.length > 0)
    return answer(
      { error: { code: 'slot_taken', message: 'Some dates are taken.', details: { conflicts: taken } } },
      409,
    )
  const bookings = dates
    .filter((date) => date.free)
    .map((date, i) => ({
      ref: `SER${i}`,
      resourceId: fakeRoom.id,
      status: 'confirmed',
      start: date.start,
      end: date.end,
      guest: request.guest,
      version: 1,
      createdAt: heldStart,
    }))
  const skipped = taken.map(({ date, start, end }) => ({ date, start, end, reason: 'taken' }))
  const series = { ref: 'SERIES1', id: 's-1', resourceId: fakeRoom.id, ...request.repeat, mode: request.mode }
  return answer(
    { series: { ...series, bookings, skippedDates: skipped.map((s) => s.date), skipped }, manageToken: 'series-token' },
    201,
  )
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
