import { vi } from 'vitest'
import type { PublicBooking, PublicBookingPart, PublicHold, PublicService } from '../../shared/types'
import { answer, fakeApiFetch, fakeRoom } from './fake-api'

/*
 * A service for widget tests: a massage with Anna (the lead) and a treatment room from a
 * pool of rooms. Holds give Treatment room 2 unless the body keeps another room; a booking
 * of the lead hold carries its parts; next-available answers the day after `from`. Everything else
 * is answered by fakeApiFetch.
 */

export const fakeMassage: PublicService = {
  id: 's-1',
  slug: 'massage',
  name: 'Massage',
  timezone: 'Europe/Berlin',
  parts: [
    { position: 0, label: 'Therapist', resourceId: 'r-anna' },
    { position: 1, label: 'Treatment room', poolId: 'p-rooms' },
  ],
  resource: { ...fakeRoom, id: 'r-anna', slug: 'anna', name: 'Anna' },
}

const ROOMS: Record<string, string> = { 'room-1': 'Treatment room 1', 'room-2': 'Treatment room 2' }

export function fakeServiceApiFetch() {
  const others = fakeApiFetch()
  return vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input))
    const method = init?.method ?? 'GET'
    // By slug (the embed) or by id (a booking's serviceId, when moving it).
    const prefix = url.pathname.startsWith(`/v1/services/${fakeMassage.id}`)
      ? `/v1/services/${fakeMassage.id}`
      : `/v1/services/${fakeMassage.slug}`
    if (url.pathname === prefix) return answer({ service: fakeMassage })
    if (url.pathname === `${prefix}/availability`) {
      const from = url.searchParams.get('from')!
      const slots = [{ start: `${from}T22:00:00Z`, end: `${from}T23:00:00Z` }]
      return answer({ service: fakeMassage, timezone: 'UTC', days: [{ date: from, slots }] })
    }
    if (url.pathname === `${prefix}/next-available`) {
      const day = new Date(Date.parse(`${url.searchParams.get('from')!}T00:00:00Z`) + 86_400_000)
        .toISOString()
        .slice(0, 10)
      return answer({ nextAvailable: { date: day, start: `${day}T22:00:00.000Z`, end: `${day}T23:00:00.000Z` } })
    }
    if (url.pathname === `${prefix}/holds` && method === 'POST') {
      const body = JSON.parse(String(init?.body)) as { start: string; end?: string; parts?: PublicBookingPart[] }
      const room = body.parts?.find((part) => part.position === 1)?.resourceId ?? 'room-2'
      const hold: PublicHold = {
        id: 'h_s1',
        resourceId: fakeMassage.resource.id,
        serviceId: fakeMassage.id,
        start: body.start,
        end: body.end ?? body.start,
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
        seats: 1,
        parts: [{ position: 1, resourceId: room, name: ROOMS[room] ?? room }],
      }
      return answer({ hold }, 201)
    }
    if (url.pathname === '/v1/bookings' && method === 'POST') {
      const body = JSON.parse(String(init?.body)) as { holdId: string; guest: PublicBooking['guest'] }
      const booking: PublicBooking = { ...serviceBooking, guest: body.guest }
      return answer({ booking, manageToken: 'tok_s1' }, 201)
    }
    if (url.pathname === `/v1/bookings/${serviceBooking.ref}`) return answer({ booking: managed })
    if (url.pathname === `/v1/bookings/${serviceBooking.ref}/reschedule` && method === 'POST') {
      const start = `${new Date().toISOString().slice(0, 10)}T22:00:00.000Z`
      return answer({ booking: { ...managed, start, end: start.replace('T22', 'T23'), version: 2 } })
    }
    if (url.pathname === `/v1/resources/${fakeMassage.resource.id}`) return answer({ resource: fakeMassage.resource })
    return others(input, init)
  })
}

/** A confirmed booking of the massage with Anna in Treatment room 2. */
export const serviceBooking: PublicBooking = {
  ref: 'M4SS4G3X',
  resourceId: fakeMassage.resource.id,
  serviceId: fakeMassage.id,
  parts: [{ position: 1, resourceId: 'room-2', name: 'Treatment room 2' }],
  status: 'confirmed',
  start: '2026-12-07T09:00:00Z',
  end: '2026-12-07T10:00:00Z',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
  seats: 1,
  version: 1,
  createdAt: '2026-11-29T08:00:00Z',
}

/** The booking as its manage link shows it: still movable and cancellable until its start. */
const managed: PublicBooking = {
  ...serviceBooking,
  changeableUntil: { reschedule: serviceBooking.start, cancel: serviceBooking.start },
}
