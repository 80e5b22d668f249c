import type { AddressInfo } from 'node:net'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookings, serviceParts, services } from '../../drizzle/schema'
import type { ErrorBody } from '../../shared/errors'
import type { ResourceConfig } from '../../shared/schemas'
import type {
  CompactAvailabilityDay,
  PublicBooking,
  PublicHold,
  PublicService,
  ServiceAvailabilityResponse,
} from '../../shared/types'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertBooking, insertPool, insertResource, uniqueSlug } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { bumpsAvailability } from '../availability-cache'
import { fixedClock } from '../clock'
import { startHttpServer } from '../http-server'

/*
 * Services through the API (docs/capacity.md, combined bookings), against the configured
 * database and hold store: availability is exactly the intersection of the parts' free
 * times, a hold takes every part or none, and a crowd racing for the one room gets one hold.
 */

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase({ maxConnections: 40 })
})
afterAll(async () => {
  await database?.close()
})

const NOW = '2026-03-20T12:00:00Z'
const DAY = '2026-03-24'
// Berlin is UTC+1 until 29 March: 09:00 local is 08:00Z.
const at = (hourZ: number, minute = 0) =>
  `${DAY}T${String(hourZ).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00.000Z`

function setup(limits: { holdsPerSession?: number } = {}) {
  const clock = fixedClock(NOW)
  const backend = createTestHoldBackend(clock)
  return createTestApi({
    db: database.db,
    clock,
    holds: backend.holds,
    limits: { holdsPerSession: limits.holdsPerSession ?? 2 },
  })
}
type Api = ReturnType<typeof setup>

const resource = (name: string, config: ResourceConfig = {}, window = { startTime: '09:00', endTime: '12:00' }) =>
  insertResource(database.db, { name, config, schedules: everyDay({ ...window, slotDuration: 60 }) })

/** A service written straight to the tables: parts in order, each a resource or a pool. */
async function insertService(parts: ({ resourceId: string } | { poolId: string })[], label?: string) {
  const [row] = await database.db
    .insert(services)
    .values({ slug: uniqueSlug('svc'), name: 'Massage with room', timezone: 'Europe/Berlin' })
    .returning()
  await database.db.insert(serviceParts).values(
    parts.map((p, position) => ({
      serviceId: row!.id,
      position,
      resourceId: 'resourceId' in p ? p.resourceId : null,
      poolId: 'poolId' in p ? p.poolId : null,
      label: position === 1 && label ? label : null,
    })),
  )
  return row!
}

/** A therapist (the lead) and a pool of two rooms. */
async function spa(roomConfig: ResourceConfig = {}) {
  const therapist = await resource('Anna', { price: { amount: 8000, currency: 'EUR' } })
  const room1 = await resource('Room 1', roomConfig)
  const room2 = await resource('Room 2', roomConfig)
  const rooms = await insertPool(database.db, { name: 'Any room', members: [room1.id, room2.id] })
  const service = await insertService([{ resourceId: therapist.id }, { poolId: rooms.id }], 'Room')
  return { therapist, room1, room2, rooms, service }
}

type HoldResult = { hold: PublicHold } & ErrorBody

function serviceHold(api: Api, service: { slug: string }, body: Record<string, unknown>, session = newSession()) {
  return api.call<HoldResult>('POST', `/v1/services/${service.slug}/holds`, { session, body })
}

function availability(api: Api, service: { slug: string }, query = '', session?: string) {
  return api.call<ServiceAvailabilityResponse & ErrorBody>(
    'GET',
    `/v1/services/${service.slug}/availability?from=${DAY}&to=${DAY}${query}`,
    session ? { session } : {},
  )
}

const startsOf = async (api: Api, service: { slug: string }, session?: string) => {
  const res = await availability(api, service, '', session)
  expect(res.status, res.text).toBe(200)
  return res.body.days.flatMap((d) => d.slots.map((s) => s.start.slice(11, 16)))
}

const holdResource = (api: Api, resourceId: string, start: string, session = newSession()) =>
  api.call<HoldResult>('POST', '/v1/holds', { session, body: { resourceId, start } })

describe('GET /v1/services/:idOrSlug', () => {
  it('shows the service, its parts (labels or names) and the lead’s public view', async () => {
    const api = setup()
    const { therapist, rooms, service } = await spa()
    const res = await api.call<{ service: PublicService }>('GET', `/v1/services/${service.slug}`)
    expect(res.status, res.text).toBe(200)
    expect(res.body.service).toMatchObject({
      id: service.id,
      slug: service.slug,
      name: 'Massage with room',
      timezone: 'Europe/Berlin',
      parts: [
        { position: 0, label: 'Anna', resourceId: therapist.id },
        { position: 1, label: 'Room', poolId: rooms.id },
      ],
    })
    expect(res.body.service.resource).toMatchObject({ id: therapist.id, price: { amount: 8000, currency: 'EUR' } })
    expect((await api.call('GET', `/v1/services/${service.id}`)).status).toBe(200)
  })

  it('answers 404 for an unknown or inactive service, and for one whose part has nothing to book', async () => {
    const api = setup()
    const therapist = await resource('T')
    const inactiveRoom = await insertResource(database.db, { name: 'Old room', isActive: false })
    const gone = await insertService([{ resourceId: therapist.id }, { resourceId: inactiveRoom.id }])
    const emptyPool = await insertPool(database.db, { members: [] })
    const empty = await insertService([{ resourceId: therapist.id }, { poolId: emptyPool.id }])
    const { service } = await spa()
    await database.db.update(services).set({ isActive: false }).where(eq(services.id, service.id))
    for (const slug of ['no-such-service', service.slug, gone.slug, empty.slug]) {
      for (const path of ['', '/availability?from=2026-03-24&to=2026-03-24']) {
        const res = await api.call<ErrorBody>('GET', `/v1/services/${slug}${path}`)
        expect([res.status, res.body.error.code], slug + path).toEqual([404, 'not_found'])
      }
      const held = await serviceHold(api, { slug }, { start: at(8) })
      expect(held.status).toBe(404)
    }
  })
})

describe('GET /v1/services/:idOrSlug/availability', () => {
  it('is the lead’s slots at which every part is free: a slot goes when the therapist, every room, or a held room is taken', async () => {
    const api = setup()
    const { therapist, room1, room2, service } = await spa()
    expect(await startsOf(api, service)).toEqual(['08:00', '09:00', '10:00'])
    // The therapist booked at 08:00Z.
    await insertBooking(database.db, { resourceId: therapist.id, start: at(8), end: at(9) })
    expect(await startsOf(api, service)).toEqual(['09:00', '10:00'])
    // One room booked at 09:00Z: the other is free, so the slot stays.
    await insertBooking(database.db, { resourceId: room1.id, start: at(9), end: at(10) })
    expect(await startsOf(api, service)).toEqual(['09:00', '10:00'])
    // Both rooms booked at 09:00Z: no room, no slot.
    await insertBooking(database.db, { resourceId: room2.id, start: at(9), end: at(10) })
    expect(await startsOf(api, service)).toEqual(['10:00'])
    // At 10:00Z one room is booked and another session holds the other.
    await insertBooking(database.db, { resourceId: room1.id, start: at(10), end: at(11) })
    const other = newSession()
    expect((await holdResource(api, room2.id, at(10), other)).status).toBe(201)
    expect(await startsOf(api, service)).toEqual([])
    // The session holding the room still sees the time: its own hold is its selection.
    expect(await startsOf(api, service, other)).toEqual(['10:00'])
  })

  it('widens each part by its own buffers, keeps to its own schedule, and counts its places', async () => {
    const api = setup()
    const therapist = await resource('T')
    // Open 10:00–12:00 local only (09:00Z–11:00Z), 30 minutes kept free before each booking.
    const room = await resource('Buffered room', { bufferBeforeMin: 30 }, { startTime: '10:00', endTime: '12:00' })
    const service = await insertService([{ resourceId: therapist.id }, { resourceId: room.id }])
    expect(await startsOf(api, service)).toEqual(['09:00', '10:00'])
    // A booking at 10:15Z: its 30 minutes before reach into the 09:00Z slot.
    await insertBooking(database.db, { resourceId: room.id, start: at(10, 15), end: at(10, 30) })
    expect(await startsOf(api, service)).toEqual([])

    const studio = await resource('Studio', { capacity: 2 })
    const shared = await insertService([{ resourceId: therapist.id }, { resourceId: studio.id }])
    await insertBooking(database.db, { resourceId: studio.id, start: at(8), end: at(9) })
    expect(await startsOf(api, shared)).toEqual(['08:00', '09:00', '10:00'])
    await insertBooking(database.db, { resourceId: studio.id, start: at(8), end: at(9) })
    expect(await startsOf(api, shared)).toEqual(['09:00', '10:00'])
  })

  it('answers the compact format and a 304 for an unchanged answer; lists the session’s own service hold', async () => {
    const api = setup()
    const { service } = await spa()
    const session = newSession()
    const held = await serviceHold(api, service, { start: at(9) }, session)
    expect(held.status, held.text).toBe(201)
    const full = await availability(api, service, '', session)
    expect(full.body.holds).toEqual([held.body.hold])
    const compact = await api.call<{ format: string; days: CompactAvailabilityDay[]; service: PublicService }>(
      'GET',
      `/v1/services/${service.slug}/availability?from=${DAY}&to=${DAY}&format=compact`,
    )
    expect(compact.status).toBe(200)
    // Another session: the therapist is held at 09:00Z (minute 540 of the day in UTC).
    expect(compact.body).toMatchObject({ format: 'compact', service: { id: service.id } })
    expect(compact.body.days).toEqual([{ date: DAY, length: 60, starts: [480, 600] }])
    const etag = compact.headers.get('ETag')!
    const again = await api.call(
      'GET',
      `/v1/services/${service.slug}/availability?from=${DAY}&to=${DAY}&format=compact`,
      { headers: { 'If-None-Match': etag } },
    )
    expect(again.status).toBe(304)
    const seats = await availability(api, service, '&seats=2')
    expect([seats.status, seats.body.error.code]).toEqual([400, 'invalid_request'])
  })

  it('finds the next time every part is free', async () => {
    const api = setup()
    const { therapist, room1, room2, service } = await spa()
    for (const id of [room1.id, room2.id]) {
      for (const hour of [8, 9])
        await insertBooking(database.db, { resourceId: id, start: at(hour), end: at(hour + 1) })
    }
    await insertBooking(database.db, { resourceId: therapist.id, start: at(10), end: at(11) })
    const res = await api.call<{ nextAvailable: { start: string } | null }>(
      'GET',
      `/v1/services/${service.slug}/next-available?from=${DAY}`,
    )
    expect(res.status, res.text).toBe(200)
    expect(res.body.nextAvailable?.start).toBe('2026-03-25T08:00:00.000Z')
  })
})

describe('POST /v1/services/:idOrSlug/holds', () => {
  it('holds every part and answers the lead hold with what each part took', async () => {
    const api = setup()
    const { therapist, room1, room2, rooms, service } = await spa()
    const session = newSession()
    const res = await serviceHold(api, service, { start: at(8) }, session)
    expect(res.status, res.text).toBe(201)
    expect(res.body.hold).toMatchObject({
      resourceId: therapist.id,
      start: at(8),
      end: at(9),
      serviceId: service.id,
      parts: [{ position: 1, resourceId: room1.id, name: 'Room 1' }],
    })
    // Room 1 is held: another session gets room 2, then nobody gets a room.
    const second = await serviceHold(api, service, { start: at(8) })
    expect([second.status, second.body.error?.code]).toEqual([409, 'slot_held'])
    expect((await holdResource(api, room1.id, at(8))).body.error.code).toBe('slot_held')
    const otherTherapist = await resource('Ben')
    const byBen = await insertService([{ resourceId: otherTherapist.id }, { poolId: rooms.id }])
    const ben = await serviceHold(api, byBen, { start: at(8) })
    expect(ben.body.hold.parts).toEqual([{ position: 1, resourceId: room2.id, name: 'Room 2' }])
    const none = await serviceHold(api, byBen, { start: at(8) })
    expect([none.status, none.body.error.code]).toEqual([409, 'slot_held'])
    // A chosen room, when free.
    const chosen = await serviceHold(api, service, { start: at(9), parts: [{ position: 1, resourceId: room2.slug }] })
    expect(chosen.body.hold.parts).toEqual([{ position: 1, resourceId: room2.id, name: 'Room 2' }])
    const stranger = await serviceHold(api, service, {
      start: at(10),
      parts: [{ position: 1, resourceId: therapist.id }],
    })
    expect([stranger.status, stranger.body.error.code]).toEqual([400, 'invalid_request'])
  })

  it('takes all parts or none: a room held by another session leaves no hold on the therapist', async () => {
    const api = setup()
    const therapist = await resource('T')
    const room = await resource('Only room')
    const service = await insertService([{ resourceId: therapist.id }, { resourceId: room.id }])
    expect((await holdResource(api, room.id, at(9))).status).toBe(201)
    const session = newSession()
    const res = await serviceHold(api, service, { start: at(9) }, session)
    expect([res.status, res.body.error.code]).toEqual([409, 'slot_held'])
    expect((await availability(api, service, '', session)).body.holds).toBeUndefined()
    // The therapist is free for anyone else: nothing of the refused service hold is left.
    expect((await holdResource(api, therapist.id, at(9))).status).toBe(201)

    // The lead held by another session: the room placed first is released again.
    const lead = await serviceHold(api, service, { start: at(10) }, session)
    expect(lead.status).toBe(201)
    const takenLead = await resource('T2')
    const service2 = await insertService([{ resourceId: takenLead.id }, { resourceId: room.id }])
    expect((await holdResource(api, takenLead.id, at(8))).status).toBe(201)
    const refused = await serviceHold(api, service2, { start: at(8) })
    expect([refused.status, refused.body.error.code]).toEqual([409, 'slot_held'])
    expect((await holdResource(api, room.id, at(8))).status).toBe(201)

    // Booked, not held: 409 slot_taken; a time the lead does not offer: 422.
    await insertBooking(database.db, { resourceId: room.id, start: at(11), end: at(12) })
    const t3 = await resource('T3', {}, { startTime: '09:00', endTime: '13:00' })
    const service3 = await insertService([{ resourceId: t3.id }, { resourceId: room.id }])
    const booked = await serviceHold(api, service3, { start: at(11) })
    expect([booked.status, booked.body.error.code]).toEqual([409, 'slot_taken'])
    expect((await holdResource(api, t3.id, at(11))).status).toBe(201)
    const outside = await serviceHold(api, service3, { start: at(15) })
    expect([outside.status, outside.body.error.code]).toEqual([422, 'outside_availability'])
  })

  it('releases the parts with the lead (DELETE /v1/holds/:id), and needs a session', async () => {
    const api = setup()
    const { room1, service } = await spa()
    const session = newSession()
    const held = await serviceHold(api, service, { start: at(8) }, session)
    expect(held.status).toBe(201)
    expect((await holdResource(api, room1.id, at(8))).status).toBe(409)
    expect((await api.call('DELETE', `/v1/holds/${held.body.hold.id}`, { session })).status).toBe(204)
    expect((await holdResource(api, room1.id, at(8))).status).toBe(201)
    const anonymous = await api.call<ErrorBody>('POST', `/v1/services/${service.slug}/holds`, {
      body: { start: at(9) },
    })
    expect(anonymous.status).toBe(400)
  })

  it('is not refused by the session limit for having several parts', async () => {
    const api = setup({ holdsPerSession: 1 })
    const therapist = await resource('T')
    const roomA = await resource('A')
    const roomB = await resource('B')
    const service = await insertService([
      { resourceId: therapist.id },
      { resourceId: roomA.id },
      { resourceId: roomB.id },
    ])
    const session = newSession()
    const res = await serviceHold(api, service, { start: at(8) }, session)
    expect(res.status, res.text).toBe(201)
    expect(res.body.hold.parts?.map((p) => p.resourceId)).toEqual([roomA.id, roomB.id])
    // Picking another time moves the selection: the earlier holds on the same resources go.
    const moved = await serviceHold(api, service, { start: at(9) }, session)
    expect(moved.status, moved.text).toBe(201)
    expect((await holdResource(api, roomA.id, at(8))).status).toBe(201)
  })

  it('holds through a pool lead: the first free member by its strategy', async () => {
    const api = setup()
    const a = await resource('A')
    const b = await resource('B')
    const therapists = await insertPool(database.db, { members: [a.id, b.id] })
    const room = await resource('Room', {}, { startTime: '09:00', endTime: '12:00' })
    const service = await insertService([{ poolId: therapists.id }, { resourceId: room.id }])
    await insertBooking(database.db, { resourceId: a.id, start: at(8), end: at(9) })
    const res = await serviceHold(api, service, { start: at(8) })
    expect(res.status, res.text).toBe(201)
    expect(res.body.hold).toMatchObject({ resourceId: b.id, poolId: therapists.id, serviceId: service.id })
  })

  it('keeps the lead member a move names (parts position 0), instead of the first free one', async () => {
    const api = setup()
    const a = await resource('A')
    const b = await resource('B')
    const therapists = await insertPool(database.db, { members: [a.id, b.id] })
    const room = await resource('Room', {}, { startTime: '09:00', endTime: '12:00' })
    const service = await insertService([{ poolId: therapists.id }, { resourceId: room.id }])
    const kept = await serviceHold(api, service, {
      start: at(9),
      parts: [
        { position: 0, resourceId: b.id },
        { position: 1, resourceId: room.id },
      ],
    })
    expect(kept.status, kept.text).toBe(201)
    expect(kept.body.hold).toMatchObject({ resourceId: b.id, parts: [{ position: 1, resourceId: room.id }] })
    // The named member is busy: the hold is refused rather than handed to another member.
    await insertBooking(database.db, { resourceId: b.id, start: at(10), end: at(11) })
    const busy = await serviceHold(api, service, { start: at(10), parts: [{ position: 0, resourceId: b.id }] })
    expect(busy.status).toBe(409)
  })
})

describe('service holds and the availability version', () => {
  it('a service hold lives in the hold store and bumps nothing; a booking still does', () => {
    expect(bumpsAvailability('POST', '/v1/services/massage/holds')).toBe(false)
    expect(bumpsAvailability('POST', '/v1/services/massage/other')).toBe(true)
    expect(bumpsAvailability('POST', '/v1/bookings')).toBe(true)
  })
})

describe('a pool part’s strategy', () => {
  it('round_robin gives the room with the fewest bookings that day', async () => {
    const api = setup()
    const therapist = await resource('T', {}, { startTime: '08:00', endTime: '12:00' })
    const busy = await resource('Busy room', {}, { startTime: '08:00', endTime: '12:00' })
    const quiet = await resource('Quiet room', {}, { startTime: '08:00', endTime: '12:00' })
    const rooms = await insertPool(database.db, { strategy: 'round_robin', members: [busy.id, quiet.id] })
    const service = await insertService([{ resourceId: therapist.id }, { poolId: rooms.id }])
    await insertBooking(database.db, { resourceId: busy.id, start: at(7), end: at(8) })
    const res = await serviceHold(api, service, { start: at(9) })
    expect(res.status, res.text).toBe(201)
    expect(res.body.hold.parts).toEqual([{ position: 1, resourceId: quiet.id, name: 'Quiet room' }])
    const bad = await serviceHold(api, service, { start: at(10), parts: [{ position: 3, resourceId: quiet.id }] })
    expect([bad.status, bad.body.error.details]).toEqual([400, [expect.objectContaining({ path: 'parts.0.position' })]])
  })
})

describe('a crowd on one service over HTTP', () => {
  it('100 guests for the one room: exactly 1 hold (201), 99 × 409, no 5xx; the winner books the therapist and the room', async () => {
    const { app } = setup({ holdsPerSession: 2 })
    // Many therapists (a pool), one room: the room is what they race for.
    const therapists = []
    for (let i = 0; i < 5; i++) therapists.push(await resource(`T${i}`))
    const pool = await insertPool(database.db, { members: therapists.map((t) => t.id) })
    const room = await resource('The room')
    const service = await insertService([{ poolId: pool.id }, { resourceId: room.id }])
    const { server, port } = await new Promise<{ server: ReturnType<typeof startHttpServer>; port: number }>(
      (resolve) => {
        const server = startHttpServer({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
          resolve({ server, port: info.port }),
        )
      },
    )
    try {
      const results = await Promise.all(
        Array.from({ length: 100 }, async () => {
          const session = newSession()
          const res = await fetch(`http://127.0.0.1:${port}/v1/services/${service.slug}/holds`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-Booking-Session': session },
            body: JSON.stringify({ start: at(9) }),
          })
          return { status: res.status, body: (await res.json()) as HoldResult, session }
        }),
      )
      const tally: Record<string, number> = {}
      for (const r of results) {
        const key = r.status === 201 ? '201' : `${r.status} ${r.body.error?.code}`
        tally[key] = (tally[key] ?? 0) + 1
      }
      expect(tally).toEqual({ '201': 1, '409 slot_held': 99 })
      const winner = results.find((r) => r.status === 201)!
      expect(winner.body.hold.parts).toEqual([{ position: 1, resourceId: room.id, name: 'The room' }])

      // The winner books: one lead booking on its therapist and one part row on the room.
      const booked = await fetch(`http://127.0.0.1:${port}/v1/bookings`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Booking-Session': winner.session },
        body: JSON.stringify({
          holdId: winner.body.hold.id,
          guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
        }),
      })
      const booking = (await booked.json()) as { booking: PublicBooking }
      expect(booked.status, JSON.stringify(booking)).toBe(201)
      expect(booking.booking.parts).toEqual([{ position: 1, resourceId: room.id, name: 'The room' }])
      const rows = await database.db
        .select({ id: bookings.id, resourceId: bookings.resourceId, partOf: bookings.partOf, status: bookings.status })
        .from(bookings)
        .where(eq(bookings.serviceId, service.id))
      const lead = rows.filter((r) => r.partOf === null)
      expect(lead).toHaveLength(1)
      expect(lead[0]!.resourceId).toBe(winner.body.hold.resourceId)
      expect(rows.filter((r) => r.partOf !== null)).toEqual([
        { id: expect.any(String), resourceId: room.id, partOf: lead[0]!.id, status: lead[0]!.status },
      ])
    } finally {
      server.closeAllConnections?.()
      await new Promise((resolve) => server.close(() => resolve(undefined)))
    }
  }, 60_000)
})
