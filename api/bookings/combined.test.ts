import { and, eq, isNull, or, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookings, serviceParts, services, type BookingRow } from '../../drizzle/schema'
import { BookingError, type ErrorBody } from '../../shared/errors'
import type { PublicBooking } from '../../shared/types'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertBooking as insertFixture, insertResource, uniqueSlug } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { createAdminKey } from '../admin/keys'
import { fixedClock } from '../clock'
import type { HoldStore } from '../holds/hold-store'
import { silentLogger } from '../logger'
import { createOutboxPlanner } from '../notify/outbox'
import { randomRef } from './booking-ref'
import {
  cancelBooking,
  confirmBooking,
  createBooking,
  expireUnpaidBookings,
  markAttendance,
  moveBooking,
  type LifecycleDeps,
} from './lifecycle'
import { cancelUnpaid, insertBooking, reoccupyExpiredBooking, type NewBooking } from '../store/bookings'

/*
 * Combined bookings (docs/capacity.md): one guest-facing booking on its lead resource plus a
 * part row per further resource, written, moved, cancelled and expired as one, whoever acts,
 * and never broken apart: checked against the rows in the database after each step.
 */

let database: TestDatabase
let adminKey: string
beforeAll(async () => {
  database = await createTestDatabase({ maxConnections: 30 })
  adminKey = (await createAdminKey(database.db, 'combined bookings')).key
})
afterAll(async () => {
  await database?.close()
})

const NOW = '2026-03-20T12:00:00Z'
const HOUR = 3_600_000
// Berlin is UTC+1 until 29 March: 09:00 local is 08:00Z.
const at = (iso: string) => Date.parse(iso)
const SLOT_9 = { start: at('2026-03-24T08:00:00Z'), end: at('2026-03-24T09:00:00Z') }
const SLOT_11 = { start: at('2026-03-24T10:00:00Z'), end: at('2026-03-24T11:00:00Z') }
const guest = { name: 'Ada Lovelace', email: 'ada@example.com' }

type Created = { booking: PublicBooking; manageToken: string }

function setup() {
  const clock = fixedClock(NOW)
  const backend = createTestHoldBackend(clock)
  const api = createTestApi({ db: database.db, clock, holds: backend.holds })
  const deps: LifecycleDeps = {
    db: database.db,
    clock,
    logger: silentLogger,
    outbox: createOutboxPlanner({ adminEmail: 'owner@example.test' }),
    payments: undefined,
  }
  return { clock, holds: backend.holds, ...api, deps }
}
type Setup = ReturnType<typeof setup>

/** A therapist (position 0, leads) and a treatment room (position 1), as a service. */
async function massage(options: { room?: string } = {}) {
  const schedules = everyDay({ startTime: '09:00', endTime: '17:00', slotDuration: 60 })
  const [therapist, room] = await Promise.all([
    insertResource(database.db, { name: 'Dr. Brandt', schedules }),
    options.room ? undefined : insertResource(database.db, { name: 'Room 2', schedules }),
  ])
  const roomId = options.room ?? room!.id
  const service = await insertService([therapist.id, roomId])
  return { therapist, roomId, serviceId: service }
}

async function insertService(resourceIds: string[]): Promise<string> {
  const [row] = await database.db
    .insert(services)
    .values({ slug: uniqueSlug('svc'), name: 'Massage', timezone: 'Europe/Berlin' })
    .returning()
  await database.db
    .insert(serviceParts)
    .values(resourceIds.map((resourceId, position) => ({ serviceId: row!.id, position, resourceId })))
  return row!.id
}

/**
 * Holds a service the way its hold route does: each further part first, then the lead hold
 * naming them. Placed on the hold store directly, so a test can hold what the database refuses.
 */
async function holdService(
  holds: HoldStore,
  session: string,
  service: { serviceId: string; therapistId: string; roomIds: string[] },
  slot: { start: number; end: number },
) {
  const place = async (resourceId: string, position: number, partHoldIds?: string[]) => {
    const result = await holds.place({
      resourceId,
      sessionId: session,
      ...slot,
      blockStart: slot.start,
      blockEnd: slot.end,
      ttlMs: 10 * 60_000,
      seats: 1,
      capacity: 1,
      bookedSeats: 0,
      maxPerSession: 10,
      serviceId: service.serviceId,
      servicePosition: position,
      ...(partHoldIds ? { partHoldIds } : {}),
    })
    if (!result.ok) throw new Error(`hold refused: ${result.reason}`)
    return result.hold
  }
  const parts = []
  for (const [i, roomId] of service.roomIds.entries()) parts.push(await place(roomId, i + 1))
  const lead = await place(
    service.therapistId,
    0,
    parts.map((p) => p.id),
  )
  return { lead, parts }
}

async function bookService(t: Setup, m: Awaited<ReturnType<typeof massage>>, slot = SLOT_9, headers = {}) {
  const session = newSession()
  const held = await holdService(
    t.holds,
    session,
    { serviceId: m.serviceId, therapistId: m.therapist.id, roomIds: [m.roomId] },
    slot,
  )
  const res = await t.call<Created & ErrorBody>('POST', '/v1/bookings', {
    session,
    headers,
    body: { holdId: held.lead.id, guest },
  })
  return { session, held, res }
}

/** The lead row with this ref and its part rows. */
async function rowsOf(ref: string): Promise<{ lead: BookingRow; parts: BookingRow[] }> {
  const [lead] = await database.db
    .select()
    .from(bookings)
    .where(and(eq(bookings.ref, ref), isNull(bookings.partOf)))
  const parts = await database.db.select().from(bookings).where(eq(bookings.partOf, lead!.id))
  return { lead: lead!, parts }
}

function rowsOfResult<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[]
}

/** Leads of the service without all their parts, and parts that differ from their lead: both must be 0. */
async function brokenApart(serviceId: string, partsPerLead: number) {
  const [counts] = rowsOfResult<{ incomplete: number; astray: number }>(
    await database.db.execute(sql`
      select
        (select count(*)::int from bookings l where l.service_id = ${serviceId} and l.part_of is null
           and (select count(*) from bookings p where p.part_of = l.id) <> ${partsPerLead}) as incomplete,
        (select count(*)::int from bookings p left join bookings l on l.id = p.part_of
          where p.service_id = ${serviceId} and p.part_of is not null
            and (l.id is null or (p.status, p.starts_at, p.ends_at) is distinct from (l.status, l.starts_at, l.ends_at))) as astray`),
  )
  return counts
}

/** Whether a plain booking of the resource at the slot would be accepted (written and removed again). */
async function isFree(resourceId: string, slot: { start: number; end: number }): Promise<boolean> {
  try {
    const row = await insertFixture(database.db, { resourceId, start: new Date(slot.start), end: new Date(slot.end) })
    await database.db.delete(bookings).where(eq(bookings.id, row.id))
    return true
  } catch {
    return false
  }
}

function draft(
  m: { therapistId: string; roomId: string; serviceId: string },
  slot: { start: number; end: number },
  overrides: Partial<NewBooking> = {},
): NewBooking {
  return {
    ref: randomRef(),
    resourceId: m.therapistId,
    status: 'confirmed',
    ...slot,
    guest,
    sessionId: newSession(),
    manageTokenHash: 'b'.repeat(64),
    serviceId: m.serviceId,
    parts: [{ position: 1, resourceId: m.roomId }],
    ...overrides,
  }
}

describe('booking a service through POST /v1/bookings', () => {
  it('books the lead and its room in one go: one ref, the parts named, the holds released', async () => {
    const t = setup()
    const m = await massage()
    const { session, held, res } = await bookService(t, m)
    expect(res.status, res.text).toBe(201)
    expect(res.body.booking).toMatchObject({
      resourceId: m.therapist.id,
      serviceId: m.serviceId,
      parts: [{ position: 1, resourceId: m.roomId, name: 'Room 2' }],
      status: 'confirmed',
    })
    const { lead, parts } = await rowsOf(res.body.booking.ref)
    expect(parts).toHaveLength(1)
    expect(parts[0]).toMatchObject({ resourceId: m.roomId, serviceId: m.serviceId, status: 'confirmed', seats: 1 })
    expect(parts[0]!.ref).not.toBe(lead.ref)
    expect(parts[0]!.startsAt).toEqual(lead.startsAt)
    expect(await isFree(m.roomId, SLOT_9)).toBe(false)
    await new Promise((resolve) => setTimeout(resolve, 50))
    for (const hold of [held.lead, ...held.parts]) expect(await t.holds.get(hold.id, session)).toBeUndefined()

    // The guest reads it back with its parts; the part's own ref is nobody's booking.
    const read = await t.call<{ booking: PublicBooking }>('GET', `/v1/bookings/${lead.ref}`, {
      token: res.body.manageToken,
    })
    expect(read.body.booking.parts).toEqual([{ position: 1, resourceId: m.roomId, name: 'Room 2' }])
    const part = await t.call<ErrorBody>('GET', `/v1/bookings/${parts[0]!.ref}`, { token: res.body.manageToken })
    expect([part.status, part.body.error.code]).toEqual([404, 'not_found'])
  })

  it('replays an idempotent request with the same booking and its parts', async () => {
    const t = setup()
    const m = await massage()
    const headers = { 'Idempotency-Key': `key-${newSession()}` }
    const session = newSession()
    const held = await holdService(
      t.holds,
      session,
      { serviceId: m.serviceId, therapistId: m.therapist.id, roomIds: [m.roomId] },
      SLOT_9,
    )
    const body = { holdId: held.lead.id, guest }
    const first = await t.call<Created>('POST', '/v1/bookings', { session, headers, body })
    const again = await t.call<Created>('POST', '/v1/bookings', { session, headers, body })
    expect([first.status, again.status]).toEqual([201, 201])
    expect(again.headers.get('Idempotent-Replayed')).toBe('true')
    expect(again.body.booking.ref).toBe(first.body.booking.ref)
    expect(again.body.booking.parts).toEqual(first.body.booking.parts)
    expect((await rowsOf(first.body.booking.ref)).parts).toHaveLength(1)
  })

  it('refuses to book with a part’s hold, and writes nothing', async () => {
    const t = setup()
    const m = await massage()
    const session = newSession()
    const held = await holdService(
      t.holds,
      session,
      { serviceId: m.serviceId, therapistId: m.therapist.id, roomIds: [m.roomId] },
      SLOT_9,
    )
    const res = await t.call<ErrorBody>('POST', '/v1/bookings', {
      session,
      body: { holdId: held.parts[0]!.id, guest },
    })
    expect([res.status, res.body.error.code]).toEqual([409, 'invalid_transition'])
    expect(res.body.error.message).toMatch(/part of a combined booking/)
    expect(await database.db.select().from(bookings).where(eq(bookings.resourceId, m.roomId))).toEqual([])
  })

  it('refuses when a part’s hold is gone (410 hold_expired), and writes nothing', async () => {
    const t = setup()
    const m = await massage()
    const session = newSession()
    const held = await holdService(
      t.holds,
      session,
      { serviceId: m.serviceId, therapistId: m.therapist.id, roomIds: [m.roomId] },
      SLOT_9,
    )
    await t.holds.release(held.parts[0]!.id, session)
    const res = await t.call<ErrorBody>('POST', '/v1/bookings', { session, body: { holdId: held.lead.id, guest } })
    expect([res.status, res.body.error.code]).toEqual([410, 'hold_expired'])
    expect(await database.db.select().from(bookings).where(eq(bookings.resourceId, m.therapist.id))).toEqual([])
  })

  it('takes all its resources or none: a room booked meanwhile leaves no lead row (409 slot_taken)', async () => {
    const t = setup()
    const m = await massage()
    await insertFixture(database.db, { resourceId: m.roomId, start: new Date(SLOT_9.start), end: new Date(SLOT_9.end) })
    const { res } = await bookService(t, m)
    expect([res.status, res.body.error.code]).toEqual([409, 'slot_taken'])
    expect(await database.db.select().from(bookings).where(eq(bookings.resourceId, m.therapist.id))).toEqual([])
  })
})

describe('changing a combined booking', () => {
  it('a guest cancel cancels the room too and frees it', async () => {
    const t = setup()
    const m = await massage()
    const { res } = await bookService(t, m)
    const cancelled = await t.call<{ booking: PublicBooking }>('POST', `/v1/bookings/${res.body.booking.ref}/cancel`, {
      token: res.body.manageToken,
    })
    expect(cancelled.status, cancelled.text).toBe(200)
    expect(cancelled.body.booking.parts).toHaveLength(1)
    const { lead, parts } = await rowsOf(res.body.booking.ref)
    expect([lead.status, parts[0]!.status, parts[0]!.cancelReason]).toEqual(['cancelled', 'cancelled', 'guest'])
    expect(await isFree(m.roomId, SLOT_9)).toBe(true)
  })

  it('a guest move takes the service’s new holds and moves the room with it; another room is refused', async () => {
    const t = setup()
    const m = await massage()
    const { session, res } = await bookService(t, m)
    const ref = res.body.booking.ref
    const moveHolds = await holdService(
      t.holds,
      session,
      { serviceId: m.serviceId, therapistId: m.therapist.id, roomIds: [m.roomId] },
      SLOT_11,
    )
    const moved = await t.call<{ booking: PublicBooking }>('POST', `/v1/bookings/${ref}/reschedule`, {
      session,
      token: res.body.manageToken,
      body: { holdId: moveHolds.lead.id },
    })
    expect(moved.status, moved.text).toBe(200)
    expect(moved.body.booking).toMatchObject({
      start: new Date(SLOT_11.start).toISOString(),
      parts: [{ resourceId: m.roomId }],
    })
    const { parts } = await rowsOf(ref)
    expect(parts[0]!.startsAt.getTime()).toBe(SLOT_11.start)
    expect(await isFree(m.roomId, SLOT_9)).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(await t.holds.get(moveHolds.parts[0]!.id, session)).toBeUndefined()

    // Holds on another room at the new time: the booking's room is not free then.
    const otherRoom = await insertResource(database.db, { name: 'Room 3' })
    const elsewhere = await holdService(
      t.holds,
      session,
      { serviceId: m.serviceId, therapistId: m.therapist.id, roomIds: [otherRoom.id] },
      SLOT_9,
    )
    const refused = await t.call<ErrorBody>('POST', `/v1/bookings/${ref}/reschedule`, {
      session,
      token: res.body.manageToken,
      body: { holdId: elsewhere.lead.id },
    })
    expect([refused.status, refused.body.error.code]).toEqual([409, 'slot_taken'])
    expect(refused.body.error.message).toMatch(/Room 2 .*not free/)
    expect((await rowsOf(ref)).lead.startsAt.getTime()).toBe(SLOT_11.start)
  })

  it('the owner moves it with its room; a move the room cannot make changes nothing', async () => {
    const t = setup()
    const m = await massage()
    const { res } = await bookService(t, m)
    const { lead } = await rowsOf(res.body.booking.ref)
    const move = (start: number) =>
      t.call<{ booking: PublicBooking } & ErrorBody>('POST', `/v1/admin/bookings/${lead.id}/reschedule`, {
        token: adminKey,
        body: { start: new Date(start).toISOString() },
      })
    const moved = await move(SLOT_11.start)
    expect(moved.status, moved.text).toBe(200)
    expect((await rowsOf(lead.ref)).parts[0]!.startsAt.getTime()).toBe(SLOT_11.start)

    await insertFixture(database.db, { resourceId: m.roomId, start: new Date(SLOT_9.start), end: new Date(SLOT_9.end) })
    const refused = await move(SLOT_9.start)
    expect([refused.status, refused.body.error.code]).toEqual([409, 'slot_taken'])
    const after = await rowsOf(lead.ref)
    expect([after.lead.startsAt.getTime(), after.parts[0]!.startsAt.getTime()]).toEqual([SLOT_11.start, SLOT_11.start])
    expect(await brokenApart(m.serviceId, 1)).toEqual({ incomplete: 0, astray: 0 })
  })

  it('the owner sees the room’s part on its calendar but cannot act on it alone', async () => {
    const t = setup()
    const m = await massage()
    const { res } = await bookService(t, m)
    const { parts } = await rowsOf(res.body.booking.ref)
    const partId = parts[0]!.id
    const listed = await t.call<{ bookings: (PublicBooking & { id: string })[] }>(
      'GET',
      `/v1/admin/bookings?resourceId=${m.roomId}`,
      { token: adminKey },
    )
    expect(listed.body.bookings.map((b) => [b.id, b.partOf])).toEqual([[partId, res.body.booking.ref]])
    const lead = await t.call<{ booking: PublicBooking }>('GET', `/v1/admin/bookings/${parts[0]!.partOf}`, {
      token: adminKey,
    })
    expect(lead.body.booking).toMatchObject({
      ref: res.body.booking.ref,
      parts: [{ position: 1, resourceId: m.roomId, name: 'Room 2' }],
    })
    expect(lead.body.booking.partOf).toBeUndefined()
    for (const [path, body] of [
      [`/v1/admin/bookings/${partId}/cancel`, undefined],
      [`/v1/admin/bookings/${partId}/confirm`, undefined],
      [`/v1/admin/bookings/${partId}/no-show`, undefined],
      [`/v1/admin/bookings/${partId}/reschedule`, { start: new Date(SLOT_11.start).toISOString() }],
    ] as const) {
      const refused = await t.call<ErrorBody>('POST', path, { token: adminKey, ...(body ? { body } : {}) })
      expect([refused.status, refused.body.error.code], path).toEqual([409, 'invalid_transition'])
      expect(refused.body.error.message).toBe(`This is part of booking ${res.body.booking.ref}; change that booking.`)
    }
    // The lifecycle refuses it too, whoever calls it.
    for (const attempt of [
      () => cancelBooking(t.deps, partId, { by: 'guest' }),
      () => moveBooking(t.deps, partId, SLOT_11, t.clock.now()),
      () => markAttendance(t.deps, partId, 'complete'),
      () => confirmBooking(t.deps, parts[0]!),
    ]) {
      const error = await attempt().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(BookingError)
      expect((error as BookingError).code).toBe('invalid_transition')
    }
    const after = await rowsOf(res.body.booking.ref)
    expect([after.lead.status, after.parts[0]!.status]).toEqual(['confirmed', 'confirmed'])
  })

  it('confirming and marking attendance of the lead carry its room along', async () => {
    const t = setup()
    const m = await massage()
    const row = await createBooking(
      t.deps,
      draft({ therapistId: m.therapist.id, roomId: m.roomId, serviceId: m.serviceId }, SLOT_9),
      { requiresConfirmation: true },
    )
    expect(row.status).toBe('pending')
    expect((await rowsOf(row.ref)).parts[0]!.status).toBe('pending')
    await confirmBooking(t.deps, row)
    expect((await rowsOf(row.ref)).parts[0]!.status).toBe('confirmed')
    t.clock.set(SLOT_9.start + HOUR / 2)
    await markAttendance(t.deps, row.id, 'complete')
    const { lead, parts } = await rowsOf(row.ref)
    expect([lead.status, parts[0]!.status]).toEqual(['completed', 'completed'])
  })
})

describe('expiry of unpaid combined bookings', () => {
  const unpaid = (m: Awaited<ReturnType<typeof massage>>, slot = SLOT_9, expiresAt = at(NOW) - 60_000) =>
    draft({ therapistId: m.therapist.id, roomId: m.roomId, serviceId: m.serviceId }, slot, {
      status: 'pending',
      expiresAt,
      payment: { amount: 5000, currency: 'EUR' },
    })
  const outbox = createOutboxPlanner({ adminEmail: undefined })

  it('the sweep expires the lead, counts it once, and frees the room', async () => {
    const t = setup()
    const m = await massage()
    const row = await insertBooking(database.db, unpaid(m), at(NOW) - 20 * 60_000, outbox)
    expect(await isFree(m.roomId, SLOT_9)).toBe(false)
    // A later version of the lead row, so a scan meets its part first: the sweep must still only act on leads.
    await database.db.update(bookings).set({ notes: 'rewritten' }).where(eq(bookings.id, row.id))
    const stale = await database.db
      .select({ id: bookings.id })
      .from(bookings)
      .where(and(eq(bookings.status, 'pending'), isNull(bookings.partOf), sql`${bookings.expiresAt} <= ${NOW}`))
    expect(await expireUnpaidBookings(t.deps)).toBe(stale.length)
    const { lead, parts } = await rowsOf(row.ref)
    expect([lead.status, lead.cancelReason, parts[0]!.status, parts[0]!.cancelReason]).toEqual([
      'cancelled',
      'expired',
      'cancelled',
      'expired',
    ])
    expect(await isFree(m.roomId, SLOT_9)).toBe(true)
  })

  it('a stale unpaid part in the way of a new booking of its room gets its lead expired', async () => {
    const m = await massage()
    const stale = await insertBooking(database.db, unpaid(m), at(NOW) - 20 * 60_000, outbox)
    // A plain booking of the room at that time: the write meets the part, expires its lead, retries.
    const plain = await insertBooking(
      database.db,
      {
        ...draft({ therapistId: m.roomId, roomId: m.roomId, serviceId: m.serviceId }, SLOT_9),
        serviceId: undefined,
        parts: undefined,
      },
      at(NOW),
      outbox,
    )
    expect(plain.resourceId).toBe(m.roomId)
    const { lead, parts } = await rowsOf(stale.ref)
    expect([lead.status, lead.cancelReason, parts[0]!.status]).toEqual(['cancelled', 'expired', 'cancelled'])
    expect(await brokenApart(m.serviceId, 1)).toEqual({ incomplete: 0, astray: 0 })
  })

  it('a stale unpaid part in the way of another combined booking is expired through its lead', async () => {
    const t = setup()
    const first = await massage()
    const stale = await insertBooking(database.db, unpaid(first), at(NOW) - 20 * 60_000, outbox)
    const second = await massage({ room: first.roomId })
    const row = await createBooking(
      t.deps,
      draft({ therapistId: second.therapist.id, roomId: second.roomId, serviceId: second.serviceId }, SLOT_9),
      {},
    )
    expect((await rowsOf(row.ref)).parts[0]!.status).toBe('confirmed')
    expect((await rowsOf(stale.ref)).lead.status).toBe('cancelled')
  })

  it('an unpaid lead cancelled for want of a payment takes its room along; a part alone is left as it is', async () => {
    const m = await massage()
    const row = await insertBooking(database.db, unpaid(m, SLOT_9, at(NOW) + HOUR), at(NOW), outbox)
    const { parts } = await rowsOf(row.ref)
    await cancelUnpaid(database.db, parts[0]!.id, 'payment_unavailable', at(NOW))
    expect((await rowsOf(row.ref)).parts[0]!.status).toBe('pending')
    await cancelUnpaid(database.db, row.id, 'payment_unavailable', at(NOW))
    const after = await rowsOf(row.ref)
    expect([after.lead.status, after.parts[0]!.status]).toEqual(['cancelled', 'cancelled'])
  })

  it('a late payment puts the lead and its room back, or neither when the room was taken meanwhile', async () => {
    const t = setup()
    const m = await massage()
    const row = await insertBooking(database.db, unpaid(m), at(NOW) - 20 * 60_000, outbox)
    await expireUnpaidBookings(t.deps)
    const back = await reoccupyExpiredBooking(database.db, row.id, at(NOW))
    expect(back?.status).toBe('pending')
    expect((await rowsOf(row.ref)).parts[0]!.status).toBe('pending')

    const late = await insertBooking(database.db, unpaid(m, SLOT_11), at(NOW) - 20 * 60_000, outbox)
    await expireUnpaidBookings(t.deps)
    await insertFixture(database.db, {
      resourceId: m.roomId,
      start: new Date(SLOT_11.start),
      end: new Date(SLOT_11.end),
    })
    const error = await reoccupyExpiredBooking(database.db, late.id, at(NOW)).catch((e: unknown) => e)
    expect((error as BookingError).code).toBe('slot_taken')
    const after = await rowsOf(late.ref)
    expect([after.lead.status, after.parts[0]!.status]).toEqual(['cancelled', 'cancelled'])
  })
})

const serverDatabase = Boolean(process.env.DATABASE_URL)
if (!serverDatabase) {
  console.warn(
    'Combined-booking races skipped: they need a PostgreSQL server (DATABASE_URL) for real concurrent transactions; PGlite runs one statement at a time.',
  )
}

describe.skipIf(!serverDatabase)('combined bookings racing on PostgreSQL', () => {
  async function hundredLeads(room: string) {
    const leads = await Promise.all(
      Array.from({ length: 100 }, (_, i) => insertResource(database.db, { name: `Therapist ${i}` })),
    )
    const serviceId = await insertService([leads[0]!.id, room])
    return { leads, serviceId }
  }

  it('100 bookings of 100 therapists for one room at one time: exactly one, with its room; 99 slot_taken', async () => {
    const t = setup()
    const room = await insertResource(database.db, { name: 'Room 1' })
    const { leads, serviceId } = await hundredLeads(room.id)
    const outcomes = await Promise.allSettled(
      leads.map((lead) =>
        createBooking(t.deps, draft({ therapistId: lead.id, roomId: room.id, serviceId }, SLOT_9), {}),
      ),
    )
    const made = outcomes.filter((o) => o.status === 'fulfilled')
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []))
    expect(made).toHaveLength(1)
    expect(refused.map((e) => (e instanceof BookingError ? e.code : String(e)))).toEqual(
      Array.from({ length: 99 }, () => 'slot_taken'),
    )
    const rows = await database.db
      .select()
      .from(bookings)
      .where(or(eq(bookings.serviceId, serviceId), eq(bookings.resourceId, room.id)))
    expect(rows.filter((r) => r.partOf === null)).toHaveLength(1)
    expect(rows.filter((r) => r.resourceId === room.id)).toHaveLength(1)
    expect(await brokenApart(serviceId, 1)).toEqual({ incomplete: 0, astray: 0 })
  })

  it('100 bookings taking the same two resources in opposite roles settle to one, without a deadlock or a 5xx', async () => {
    const t = setup()
    const [a, b] = await Promise.all([insertResource(database.db), insertResource(database.db)])
    const [ab, ba] = await Promise.all([insertService([a.id, b.id]), insertService([b.id, a.id])])
    const started = Date.now()
    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        createBooking(
          t.deps,
          i % 2 === 0
            ? draft({ therapistId: a.id, roomId: b.id, serviceId: ab }, SLOT_9)
            : draft({ therapistId: b.id, roomId: a.id, serviceId: ba }, SLOT_9),
          {},
        ),
      ),
    )
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    const codes = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as BookingError).code] : []))
    expect(new Set(codes)).toEqual(new Set(['slot_taken']))
    // Queued on the resources' locks in one order, not left to the 1 s deadlock detector time after time.
    expect(Date.now() - started).toBeLessThan(20_000)
    for (const service of [ab, ba]) expect(await brokenApart(service, 1)).toEqual({ incomplete: 0, astray: 0 })
    const occupying = await database.db
      .select()
      .from(bookings)
      .where(or(eq(bookings.resourceId, a.id), eq(bookings.resourceId, b.id)))
    expect(occupying).toHaveLength(2)
  })

  it('100 bookings of one room at 100 different times all succeed, each with its room', async () => {
    const t = setup()
    const room = await insertResource(database.db, { name: 'Room 1' })
    const { leads, serviceId } = await hundredLeads(room.id)
    const outcomes = await Promise.allSettled(
      leads.map((lead, i) =>
        createBooking(
          t.deps,
          draft(
            { therapistId: lead.id, roomId: room.id, serviceId },
            { start: SLOT_9.start + i * HOUR, end: SLOT_9.end + i * HOUR },
          ),
          {},
        ),
      ),
    )
    expect(
      outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason)),
    ).toEqual([])
    const roomRows = await database.db.select().from(bookings).where(eq(bookings.resourceId, room.id))
    expect(roomRows).toHaveLength(100)
    expect(await brokenApart(serviceId, 1)).toEqual({ incomplete: 0, astray: 0 })
  })
})
