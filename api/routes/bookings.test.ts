import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { bookings } from '../../drizzle/schema'
import type { ErrorBody } from '../../shared/errors'
import type { ResourceConfig } from '../../shared/schemas'
import type { AvailabilityResponse, PublicBooking, PublicHold } from '../../shared/types'
import { fixedClock } from '../clock'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertBooking, insertResource } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.close()
})

const NOW = '2026-03-20T12:00:00Z'
const SLOT_9 = { start: '2026-03-24T08:00:00.000Z', end: '2026-03-24T09:00:00.000Z' }
const SLOT_10 = { start: '2026-03-24T09:00:00.000Z', end: '2026-03-24T10:00:00.000Z' }
const guest = { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+442071234567' }

type Created = { booking: PublicBooking; manageToken: string }

function setup(options: { cronSecret?: string } = {}) {
  const clock = fixedClock(NOW)
  const backend = createTestHoldBackend(clock)
  return { ...createTestApi({ db: database.db, clock, holds: backend.holds, cronSecret: options.cronSecret }), clock }
}

async function room(config: ResourceConfig = {}) {
  return insertResource(database.db, {
    name: 'Room Ada',
    config,
    schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
  })
}

async function holdAndBook(
  api: ReturnType<typeof setup>,
  resourceId: string,
  start: string,
  session = newSession(),
  extra: Record<string, unknown> = {},
) {
  const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', { session, body: { resourceId, start } })
  expect(hold.status).toBe(201)
  return api.call<Created>('POST', '/v1/bookings', { session, body: { holdId: hold.body.hold.id, guest, ...extra } })
}

describe('POST /v1/bookings', () => {
  it('turns a live hold into a confirmed booking with a ref and a manage token, and frees the hold', async () => {
    const api = setup()
    const r = await room({
      cancellationPolicy: { free_cancellation_hours: 24 },
      questions: [{ id: 'people', type: 'number', label: { en: 'People' } }],
    })
    const session = newSession()
    const res = await holdAndBook(api, r.id, SLOT_9.start, session, {
      notes: 'Projector please',
      answers: { people: 4 },
    })
    expect(res.status).toBe(201)
    expect(res.body.manageToken).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(res.body.booking).toEqual({
      ref: expect.stringMatching(/^[0-9A-Z]{8}$/),
      resourceId: r.id,
      status: 'confirmed',
      start: SLOT_9.start,
      end: SLOT_9.end,
      seats: 1,
      guest,
      notes: 'Projector please',
      answers: { people: 4 },
      version: 1,
      createdAt: '2026-03-20T12:00:00.000Z',
      confirmedAt: '2026-03-20T12:00:00.000Z',
    })
    const [row] = await database.db.select().from(bookings).where(eq(bookings.ref, res.body.booking.ref))
    expect(row?.manageTokenHash).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(row)).not.toContain(res.body.manageToken)
    expect(row?.cancellationPolicy).toEqual({ free_cancellation_hours: 24 })

    // The hold is gone and the slot is booked: nobody can hold it, availability lacks it.
    const again = await api.call<ErrorBody>('POST', '/v1/holds', {
      session,
      body: { resourceId: r.id, start: SLOT_9.start },
    })
    expect(again.body.error.code).toBe('slot_taken')
    // The hold is released just after the response; the booking occupies the slot already.
    await vi.waitFor(async () => {
      const avail = await api.call<AvailabilityResponse>(
        'GET',
        `/v1/resources/${r.slug}/availability?from=2026-03-24&to=2026-03-24`,
        { session },
      )
      expect(avail.body.days[0]?.slots.map((s) => s.start)).not.toContain(SLOT_9.start)
      expect(avail.body.holds).toBeUndefined()
    })
  })

  it('makes a pending booking without a payment deadline when the owner confirms', async () => {
    const api = setup()
    const r = await room({ requiresConfirmation: true })
    const res = await holdAndBook(api, r.id, SLOT_9.start)
    expect(res.body.booking.status).toBe('pending')
    expect(res.body.booking.confirmedAt).toBeUndefined()
    expect(res.body.booking.expiresAt).toBeUndefined()
  })

  it('answers 422 payment_unavailable for a resource that takes payment (payments are not configured)', async () => {
    const api = setup()
    const r = await room({ payment: 'full', price: { amount: 5000, currency: 'EUR' } })
    const res = await holdAndBook(api, r.id, SLOT_9.start)
    expect([res.status, (res.body as unknown as ErrorBody).error.code]).toEqual([422, 'payment_unavailable'])
  })

  it('answers 410 hold_expired for an expired hold, another session’s hold, or an unknown one', async () => {
    const api = setup()
    const r = await room({ holdTtlSec: 60 })
    const session = newSession()
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId: r.id, start: SLOT_9.start },
    })
    const foreign = await api.call<ErrorBody>('POST', '/v1/bookings', {
      session: newSession(),
      body: { holdId: hold.body.hold.id, guest },
    })
    const unknown = await api.call<ErrorBody>('POST', '/v1/bookings', { session, body: { holdId: 'h_nope', guest } })
    api.clock.set('2026-03-20T12:01:01Z')
    const expired = await api.call<ErrorBody>('POST', '/v1/bookings', {
      session,
      body: { holdId: hold.body.hold.id, guest },
    })
    for (const res of [foreign, unknown, expired])
      expect([res.status, res.body.error.code]).toEqual([410, 'hold_expired'])
    expect(await database.db.select().from(bookings).where(eq(bookings.resourceId, r.id))).toHaveLength(0)
  })

  it.each([
    ['an empty name', { ...guest, name: '  ' }, 'guest.name'],
    ['a 201-character name', { ...guest, name: 'x'.repeat(201) }, 'guest.name'],
    ['a bad email', { ...guest, email: 'ada@' }, 'guest.email'],
    ['a phone that is not a number', { ...guest, phone: '12' }, 'guest.phone'],
  ])('answers 400 with details for %s, writing nothing', async (_label, badGuest, path) => {
    const api = setup()
    const r = await room()
    const session = newSession()
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId: r.id, start: SLOT_9.start },
    })
    const res = await api.call<ErrorBody>('POST', '/v1/bookings', {
      session,
      body: { holdId: hold.body.hold.id, guest: badGuest },
    })
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_request'])
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]))
    expect(await database.db.select().from(bookings).where(eq(bookings.resourceId, r.id))).toHaveLength(0)
  })

  it('refuses notes over 2000 characters', async () => {
    const api = setup()
    const r = await room()
    const res = await holdAndBook(api, r.id, SLOT_9.start, newSession(), { notes: 'n'.repeat(2001) })
    expect(res.status).toBe(400)
  })

  it('answers 400 on `timezone` for a zone that does not exist, writing nothing', async () => {
    const api = setup()
    const r = await room()
    const res = await holdAndBook(api, r.id, SLOT_9.start, newSession(), { timezone: 'Europe/Atlantis' })
    expect([res.status, (res.body as unknown as ErrorBody).error.code]).toEqual([400, 'invalid_request'])
    expect((res.body as unknown as ErrorBody).error.details).toEqual([expect.objectContaining({ path: 'timezone' })])
    expect(await database.db.select().from(bookings).where(eq(bookings.resourceId, r.id))).toHaveLength(0)
  })

  it('answers 413 for an oversized body', async () => {
    const api = setup()
    const res = await api.call<ErrorBody>('POST', '/v1/bookings', {
      session: newSession(),
      body: { holdId: 'h', guest, notes: 'x'.repeat(70_000) },
    })
    expect([res.status, res.body.error.code]).toEqual([413, 'payload_too_large'])
  })

  it('replays the same 201 for the same Idempotency-Key and body, and refuses the key with another body', async () => {
    const api = setup()
    const r = await room()
    const session = newSession()
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId: r.id, start: SLOT_9.start },
    })
    const headers = { 'Idempotency-Key': 'key-0001-abcdef' }
    const body = { holdId: hold.body.hold.id, guest }
    const first = await api.call<Created>('POST', '/v1/bookings', { session, body, headers })
    const second = await api.call<Created>('POST', '/v1/bookings', {
      session,
      body: { guest, holdId: hold.body.hold.id },
      headers,
    })
    expect(first.status).toBe(201)
    expect(second.status).toBe(201)
    expect(second.body).toEqual(first.body)
    const other = await api.call<ErrorBody>('POST', '/v1/bookings', {
      session,
      body: { ...body, notes: 'different' },
      headers,
    })
    expect([other.status, other.body.error.code]).toEqual([409, 'idempotency_conflict'])
    expect(await database.db.select().from(bookings).where(eq(bookings.resourceId, r.id))).toHaveLength(1)
  })

  it('cancels expired unpaid pending bookings that block the slot and books it (lazy expiry)', async () => {
    const api = setup()
    const r = await room()
    const stale = await insertBooking(database.db, {
      resourceId: r.id,
      ...SLOT_9,
      status: 'pending',
      expiresAt: '2026-03-20T11:00:00Z',
    })
    const res = await holdAndBook(api, r.id, SLOT_9.start)
    expect(res.status).toBe(201)
    const [old] = await database.db.select().from(bookings).where(eq(bookings.id, stale.id))
    expect([old?.status, old?.cancelReason]).toEqual(['cancelled', 'expired'])
  })
})

describe('guest self-service', () => {
  it('shows the booking to its token and answers a wrong token exactly like an unknown ref', async () => {
    const api = setup()
    const r = await room()
    const { body } = await holdAndBook(api, r.id, SLOT_9.start)
    const ok = await api.call<{ booking: PublicBooking }>('GET', `/v1/bookings/${body.booking.ref}`, {
      token: body.manageToken,
    })
    expect(ok.status).toBe(200)
    // The manage view adds what a cancel would give back now (the room has no policy: all of it),
    // and until when moving and cancelling stay open online (no notice: until the start).
    expect(ok.body.booking).toEqual({
      ...body.booking,
      cancellation: { allowed: true, percent: 100 },
      changeableUntil: { reschedule: body.booking.start, cancel: body.booking.start },
    })
    const wrong = await api.call('GET', `/v1/bookings/${body.booking.ref}`, { token: 'x'.repeat(43) })
    const missing = await api.call('GET', `/v1/bookings/ZZZZZZZZ`, { token: body.manageToken })
    const none = await api.call('GET', `/v1/bookings/${body.booking.ref}`)
    expect(wrong.status).toBe(404)
    expect(wrong.text).toBe(missing.text)
    expect(none.text).toBe(missing.text)
  })

  it('cancels once, frees the slot, and answers a repeated cancel with the same cancellation', async () => {
    const api = setup()
    const r = await room()
    const { body } = await holdAndBook(api, r.id, SLOT_9.start)
    const cancelled = await api.call<{ booking: PublicBooking }>('POST', `/v1/bookings/${body.booking.ref}/cancel`, {
      token: body.manageToken,
    })
    expect(cancelled.status).toBe(200)
    expect(cancelled.body.booking).toMatchObject({
      status: 'cancelled',
      cancelReason: 'guest',
      cancelledAt: '2026-03-20T12:00:00.000Z',
      refund: { amount: 0, currency: null, percent: 100, tier: 'full_refund', state: 'done' },
    })
    // A retry (the first response lost, a double click) changes nothing and says what happened.
    api.clock.set('2026-03-20T12:05:00Z')
    const twice = await api.call<{ booking: PublicBooking }>('POST', `/v1/bookings/${body.booking.ref}/cancel`, {
      token: body.manageToken,
    })
    expect(twice.status).toBe(200)
    expect(twice.body.booking).toEqual(cancelled.body.booking)
    const hold = await api.call('POST', '/v1/holds', {
      session: newSession(),
      body: { resourceId: r.id, start: SLOT_9.start },
    })
    expect(hold.status).toBe(201)
  })

  it('closes online cancellation inside no_refund_hours and after the start', async () => {
    const api = setup()
    const r = await room({ cancellationPolicy: { free_cancellation_hours: 48, no_refund_hours: 24 } })
    const { body } = await holdAndBook(api, r.id, SLOT_9.start)
    api.clock.set('2026-03-23T09:00:00Z') // 23 h before
    const late = await api.call<ErrorBody>('POST', `/v1/bookings/${body.booking.ref}/cancel`, {
      token: body.manageToken,
      body: { reason: 'ill' },
    })
    expect([late.status, late.body.error.code]).toEqual([422, 'cancellation_closed'])
    api.clock.set('2026-03-24T08:30:00Z')
    const started = await api.call<ErrorBody>('POST', `/v1/bookings/${body.booking.ref}/cancel`, {
      token: body.manageToken,
    })
    expect([started.status, started.body.error.code]).toEqual([422, 'cancellation_closed'])
  })

  it('reschedules atomically onto a held slot, bumping the version', async () => {
    const api = setup()
    const r = await room()
    const session = newSession()
    const { body } = await holdAndBook(api, r.id, SLOT_9.start, session)
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId: r.id, start: SLOT_10.start },
    })
    const moved = await api.call<{ booking: PublicBooking }>('POST', `/v1/bookings/${body.booking.ref}/reschedule`, {
      session,
      token: body.manageToken,
      body: { holdId: hold.body.hold.id },
    })
    expect(moved.status).toBe(200)
    expect(moved.body.booking).toMatchObject({ ref: body.booking.ref, ...SLOT_10, version: 2 })
    // The old time is free again.
    const old = await api.call('POST', '/v1/holds', {
      session: newSession(),
      body: { resourceId: r.id, start: SLOT_9.start },
    })
    expect(old.status).toBe(201)
  })

  it('leaves the booking unchanged when the new time was booked meanwhile', async () => {
    const api = setup()
    const r = await room()
    const session = newSession()
    const { body } = await holdAndBook(api, r.id, SLOT_9.start, session)
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId: r.id, start: SLOT_10.start },
    })
    // Someone else's booking lands on the held time behind Redis's back (e.g. an owner entry).
    await insertBooking(database.db, { resourceId: r.id, ...SLOT_10 })
    const res = await api.call<ErrorBody>('POST', `/v1/bookings/${body.booking.ref}/reschedule`, {
      session,
      token: body.manageToken,
      body: { holdId: hold.body.hold.id },
    })
    expect([res.status, res.body.error.code]).toEqual([409, 'slot_taken'])
    const after = await api.call<{ booking: PublicBooking }>('GET', `/v1/bookings/${body.booking.ref}`, {
      token: body.manageToken,
    })
    expect(after.body.booking).toMatchObject({ ...SLOT_9, version: 1, status: 'confirmed' })
  })

  it('serves a valid iCalendar event in UTC', async () => {
    const api = setup()
    const r = await room()
    const { body } = await holdAndBook(api, r.id, SLOT_9.start)
    const res = await api.call('GET', `/v1/bookings/${body.booking.ref}/calendar.ics`, { token: body.manageToken })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/)
    const lines = res.text.split(/\r\n/)
    expect(lines[0]).toBe('BEGIN:VCALENDAR')
    expect(lines).toContain('BEGIN:VEVENT')
    expect(lines).toContain(`UID:${body.booking.ref}@localhost`)
    expect(lines).toContain('DTSTAMP:20260320T120000Z')
    expect(lines).toContain('DTSTART:20260324T080000Z')
    expect(lines).toContain('DTEND:20260324T090000Z')
    expect(lines).toContain('STATUS:CONFIRMED')
    expect(lines.find((l) => l.startsWith('SUMMARY:'))).toContain('Room Ada')
    expect(lines.at(-1) === 'END:VCALENDAR' || lines.at(-2) === 'END:VCALENDAR').toBe(true)
  })
})

describe('POST /v1/internal/cron', () => {
  it('needs the cron secret and cancels expired unpaid pending bookings', async () => {
    const api = setup({ cronSecret: 'cron-secret-123' })
    const r = await room()
    const stale = await insertBooking(database.db, {
      resourceId: r.id,
      ...SLOT_9,
      status: 'pending',
      expiresAt: '2026-03-20T11:59:00Z',
    })
    const fresh = await insertBooking(database.db, {
      resourceId: r.id,
      ...SLOT_10,
      status: 'pending',
      expiresAt: '2026-03-20T12:10:00Z',
    })
    const denied = await api.call<ErrorBody>('POST', '/v1/internal/cron', { token: 'wrong' })
    expect([denied.status, denied.body.error.code]).toEqual([401, 'unauthorized'])
    const ran = await api.call<{ expired: number }>('POST', '/v1/internal/cron', { token: 'cron-secret-123' })
    expect(ran.status).toBe(200)
    expect(ran.body.expired).toBeGreaterThanOrEqual(1)
    const rows = await database.db.select().from(bookings).where(eq(bookings.resourceId, r.id))
    expect(rows.find((b) => b.id === stale.id)).toMatchObject({ status: 'cancelled', cancelReason: 'expired' })
    expect(rows.find((b) => b.id === fresh.id)?.status).toBe('pending')
  })
})
