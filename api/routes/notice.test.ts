import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookings, type BookingRow } from '../../drizzle/schema'
import type { ErrorBody } from '../../shared/errors'
import type { ResourceConfig } from '../../shared/schemas'
import type { PublicBooking, PublicHold, PublicResource } from '../../shared/types'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertResource } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { createAdminKey } from '../admin/keys'
import { fixedClock } from '../clock'
import type { AdminBooking } from './admin'

/*
 * The minimum notice for a guest's own move and cancel (`minRescheduleNoticeHours`,
 * `minCancelNoticeHours`), through the API: each closes its own action at its own time,
 * with its own code, in real elapsed hours; the booking keeps the notice it was made under;
 * the owner is not bound by it.
 */

let database: TestDatabase
let adminKey: string
beforeAll(async () => {
  database = await createTestDatabase()
  adminKey = (await createAdminKey(database.db, 'notice')).key
})
afterAll(async () => {
  await database?.close()
})

const HOUR = 3_600_000
const SECOND = 1000
const NOW = '2026-03-20T12:00:00Z'
/** Tuesday 24 March, 11:00 in Berlin. */
const START = Date.parse('2026-03-24T10:00:00Z')
/** Where bookings are moved to: two days later. */
const LATER = START + 2 * 86_400_000
const guest = { name: 'Ada Lovelace', email: 'ada@example.com' }
const NOTICE: ResourceConfig = { minRescheduleNoticeHours: 6, minCancelNoticeHours: 24 }

type Created = { booking: PublicBooking; manageToken: string }
type Reply = { booking: PublicBooking } & ErrorBody

function setup() {
  const clock = fixedClock(NOW)
  const api = createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds })
  const admin = <T>(method: string, path: string, body?: unknown) =>
    api.call<T>(method, `/v1/admin${path}`, { token: adminKey, ...(body !== undefined ? { body } : {}) })
  return { ...api, clock, admin }
}
type Api = ReturnType<typeof setup>

/** Open all day in Berlin, hourly. */
const resource = (config: ResourceConfig) =>
  insertResource(database.db, {
    timezone: 'Europe/Berlin',
    config,
    schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 60 }),
  })

async function book(api: Api, resourceId: string, start = START) {
  const session = newSession()
  const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
    session,
    body: { resourceId, start: new Date(start).toISOString() },
  })
  expect(hold.status).toBe(201)
  const created = await api.call<Created>('POST', '/v1/bookings', {
    session,
    body: { holdId: hold.body.hold.id, guest },
  })
  expect(created.status).toBe(201)
  const [row] = await database.db.select().from(bookings).where(eq(bookings.ref, created.body.booking.ref))
  return { ref: created.body.booking.ref, id: row!.id, token: created.body.manageToken, resourceId }
}
type Booked = Awaited<ReturnType<typeof book>>

async function row(booking: Booked): Promise<BookingRow> {
  const [found] = await database.db.select().from(bookings).where(eq(bookings.id, booking.id))
  return found!
}

async function guestMove(api: Api, booking: Booked, to = LATER) {
  const session = newSession()
  const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
    session,
    body: { resourceId: booking.resourceId, start: new Date(to).toISOString() },
  })
  expect(hold.status).toBe(201)
  return api.call<Reply>('POST', `/v1/bookings/${booking.ref}/reschedule`, {
    session,
    token: booking.token,
    body: { holdId: hold.body.hold.id },
  })
}

const guestCancel = (api: Api, booking: Booked) =>
  api.call<Reply>('POST', `/v1/bookings/${booking.ref}/cancel`, { token: booking.token })
const manageView = async (api: Api, booking: Booked) =>
  (await api.call<{ booking: PublicBooking }>('GET', `/v1/bookings/${booking.ref}`, { token: booking.token })).body
    .booking
const iso = (at: number) => new Date(at).toISOString()

describe('minRescheduleNoticeHours: the guest’s move closes at its own notice, with reschedule_closed', () => {
  it.each([
    ['6 h + 1 s before: moved', 6 * HOUR + SECOND, 200],
    ['exactly 6 h before: moved', 6 * HOUR, 200],
    ['6 h − 1 s before: refused', 6 * HOUR - SECOND, 422],
  ])('%s', async (_label, before, status) => {
    const api = setup()
    const booking = await book(api, (await resource(NOTICE)).id)
    api.clock.set(START - before)
    const res = await guestMove(api, booking)
    expect(res.status).toBe(status)
    if (status === 200) {
      expect(res.body.booking.start).toBe(iso(LATER))
      return
    }
    expect(res.body.error.code).toBe('reschedule_closed')
    expect(await row(booking)).toMatchObject({ startsAt: new Date(START), version: 1, status: 'confirmed' })
  })

  it('refuses a move once the booking has started, with reschedule_closed', async () => {
    const api = setup()
    const booking = await book(api, (await resource({ minRescheduleNoticeHours: 0 })).id)
    api.clock.set(START - SECOND)
    expect((await guestMove(api, booking)).status).toBe(200)
    api.clock.set(LATER + SECOND)
    const late = await guestMove(api, booking, LATER + 86_400_000)
    expect([late.status, late.body.error.code]).toEqual([422, 'reschedule_closed'])
  })

  it('the cancel notice does not close moves: 23 h before, the move goes through while a cancel is refused', async () => {
    const api = setup()
    const booking = await book(api, (await resource(NOTICE)).id)
    api.clock.set(START - 23 * HOUR)
    const cancel = await guestCancel(api, booking)
    expect([cancel.status, cancel.body.error.code]).toEqual([422, 'cancellation_closed'])
    expect((await guestMove(api, booking)).status).toBe(200)
  })
})

describe('minCancelNoticeHours: the guest’s cancel closes at its own notice, with cancellation_closed', () => {
  it.each([
    ['24 h + 1 s before: cancelled', 24 * HOUR + SECOND, 200],
    ['exactly 24 h before: cancelled', 24 * HOUR, 200],
    ['24 h − 1 s before: refused', 24 * HOUR - SECOND, 422],
  ])('%s', async (_label, before, status) => {
    const api = setup()
    const booking = await book(api, (await resource(NOTICE)).id)
    api.clock.set(START - before)
    const res = await guestCancel(api, booking)
    expect(res.status).toBe(status)
    if (status === 200) {
      expect(res.body.booking).toMatchObject({ status: 'cancelled', refund: { percent: 100, tier: 'full_refund' } })
      return
    }
    expect(res.body.error.code).toBe('cancellation_closed')
    expect(await row(booking)).toMatchObject({ status: 'confirmed', cancelledAt: null })
  })

  it('with a ladder, the notice closes cancelling early but leaves the refund to the ladder before that', async () => {
    const api = setup()
    const ladder = {
      free_cancellation_hours: 48,
      partial_refund_hours: 12,
      partial_refund_percent: 50,
      no_refund_hours: 2,
    }
    const r = await resource({ cancellationPolicy: ladder, minCancelNoticeHours: 30 })
    const open = await book(api, r.id)
    const closed = await book(api, r.id, START + HOUR)
    api.clock.set(START - 30 * HOUR)
    expect((await guestCancel(api, open)).body.booking.refund).toMatchObject({ percent: 50, tier: 'partial_refund' })
    api.clock.set(START + HOUR - 30 * HOUR + SECOND)
    expect((await manageView(api, closed)).cancellation).toEqual({ allowed: false, percent: 0 })
    expect((await guestCancel(api, closed)).body.error.code).toBe('cancellation_closed')
  })
})

describe('a resource with only the refund ladder', () => {
  it('still closes late moves at no_refund_hours, now answering reschedule_closed; late cancels still cancellation_closed', async () => {
    const api = setup()
    const r = await resource({ cancellationPolicy: { free_cancellation_hours: 24, no_refund_hours: 2 } })
    const early = await book(api, r.id)
    const late = await book(api, r.id, START + HOUR)
    api.clock.set(START - 2 * HOUR - SECOND)
    expect((await guestMove(api, early)).status).toBe(200)
    api.clock.set(START + HOUR - 2 * HOUR + SECOND)
    const moved = await guestMove(api, late, LATER + HOUR)
    expect([moved.status, moved.body.error.code]).toEqual([422, 'reschedule_closed'])
    const cancelled = await guestCancel(api, late)
    expect([cancelled.status, cancelled.body.error.code]).toEqual([422, 'cancellation_closed'])
  })

  it('an explicit reschedule notice of 0 opens moves until the start, even past the ladder’s cut-off', async () => {
    const api = setup()
    const r = await resource({ cancellationPolicy: { no_refund_hours: 2 }, minRescheduleNoticeHours: 0 })
    const booking = await book(api, r.id)
    api.clock.set(START - HOUR)
    expect((await guestMove(api, booking)).status).toBe(200)
  })
})

describe('the owner is not bound by the notices', () => {
  it('moves 1 s after the guest’s move closed; a move made inside the cancel notice keeps nothing back (a 0 % ceiling)', async () => {
    const api = setup()
    const booking = await book(api, (await resource(NOTICE)).id)
    api.clock.set(START - 6 * HOUR + SECOND)
    expect((await guestMove(api, booking)).body.error.code).toBe('reschedule_closed')
    const moved = await api.admin<{ booking: AdminBooking }>('POST', `/bookings/${booking.id}/reschedule`, {
      start: iso(LATER),
    })
    expect(moved.status).toBe(200)
    expect(moved.body.booking.start).toBe(iso(LATER))
    api.clock.set(LATER - HOUR)
    const cancelled = await api.admin<{ booking: AdminBooking }>('POST', `/bookings/${booking.id}/cancel`, {})
    expect(cancelled.status).toBe(200)
    expect(cancelled.body.booking).toMatchObject({ status: 'cancelled', refund: { percent: 0 } })
  })

  it('the owner’s cancel inside the cancel notice refunds by the ladder, not 0 %', async () => {
    const api = setup()
    const booking = await book(
      api,
      (await resource({ ...NOTICE, cancellationPolicy: { free_cancellation_hours: 12 } })).id,
    )
    api.clock.set(START - 20 * HOUR)
    expect((await guestCancel(api, booking)).body.error.code).toBe('cancellation_closed')
    const cancelled = await api.admin<{ booking: AdminBooking }>('POST', `/bookings/${booking.id}/cancel`, {})
    expect(cancelled.body.booking.refund).toMatchObject({ percent: 100, tier: 'full_refund' })
  })
})

describe('the manage view says until when the guest can move and cancel', () => {
  it('states both deadlines while open, null for each once closed', async () => {
    const api = setup()
    const booking = await book(api, (await resource(NOTICE)).id)
    expect((await manageView(api, booking)).changeableUntil).toEqual({
      reschedule: iso(START - 6 * HOUR),
      cancel: iso(START - 24 * HOUR),
    })
    api.clock.set(START - 24 * HOUR + SECOND)
    const view = await manageView(api, booking)
    expect(view.changeableUntil).toEqual({ reschedule: iso(START - 6 * HOUR), cancel: null })
    expect(view.cancellation).toEqual({ allowed: false, percent: 0 })
    api.clock.set(START - 6 * HOUR + SECOND)
    expect((await manageView(api, booking)).changeableUntil).toEqual({ reschedule: null, cancel: null })
  })

  it('with no notice and no policy, both stay open until the start; the move’s answer carries the new time’s', async () => {
    const api = setup()
    const booking = await book(api, (await resource({})).id)
    expect((await manageView(api, booking)).changeableUntil).toEqual({ reschedule: iso(START), cancel: iso(START) })
    const moved = await guestMove(api, booking)
    expect(moved.body.booking.changeableUntil).toEqual({ reschedule: iso(LATER), cancel: iso(LATER) })
    expect(moved.body.booking.cancellation).toEqual({ allowed: true, percent: 100 })
  })

  it('leaves it out once the booking is cancelled', async () => {
    const api = setup()
    const booking = await book(api, (await resource(NOTICE)).id)
    await guestCancel(api, booking)
    expect((await manageView(api, booking)).changeableUntil).toBeUndefined()
  })
})

describe('the notice a guest booked under is theirs', () => {
  it('an owner’s later change of the notice applies to new bookings only', async () => {
    const api = setup()
    const r = await resource(NOTICE)
    const before = await book(api, r.id)
    const patched = await api.admin('PATCH', `/resources/${r.id}`, {
      config: { minRescheduleNoticeHours: 48, minCancelNoticeHours: 72 },
    })
    expect(patched.status).toBe(200)
    const after = await book(api, r.id, START + HOUR)
    expect(await row(before)).toMatchObject({ minRescheduleNoticeHours: 6, minCancelNoticeHours: 24 })
    expect(await row(after)).toMatchObject({ minRescheduleNoticeHours: 48, minCancelNoticeHours: 72 })
    api.clock.set(START - 30 * HOUR)
    expect((await guestMove(api, before)).status).toBe(200)
    expect((await guestMove(api, after, LATER + HOUR)).body.error.code).toBe('reschedule_closed')
  })

  it('the public resource states the notices for the guest to read before booking', async () => {
    const api = setup()
    const r = await resource(NOTICE)
    const res = await api.call<{ resource: PublicResource }>('GET', `/v1/resources/${r.slug}`)
    expect(res.body.resource).toMatchObject({ minRescheduleNoticeHours: 6, minCancelNoticeHours: 24 })
  })

  it.each([
    [{ minRescheduleNoticeHours: -1 }, 'config.minRescheduleNoticeHours'],
    [{ minCancelNoticeHours: 8761 }, 'config.minCancelNoticeHours'],
  ])('the admin API refuses %j with invalid_request naming the field', async (config, path) => {
    const api = setup()
    const r = await resource({})
    const res = await api.admin<ErrorBody>('PATCH', `/resources/${r.id}`, { config })
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_request'])
    expect((res.body.error.details as Array<{ path: string }>).map((d) => d.path)).toContain(path)
  })
})

describe('notice hours are real elapsed hours across the spring-forward night in Berlin', () => {
  // Sunday 29 March 2026 10:00 CEST; clocks jumped 02:00 → 03:00, so Saturday 10:00 CET is only 23 h before.
  const SUNDAY = Date.parse('2026-03-29T08:00:00Z')
  const SATURDAY_0900 = Date.parse('2026-03-28T08:00:00Z')

  it.each([
    ['Saturday 09:00 CET − 1 s (24 h + 1 s before): moved', SATURDAY_0900 - SECOND, 200],
    ['Saturday 09:00 CET (exactly 24 h before): moved', SATURDAY_0900, 200],
    ['Saturday 09:00 CET + 1 s: refused', SATURDAY_0900 + SECOND, 422],
    ['Saturday 10:00 CET (the same wall time, 23 h before): refused', SATURDAY_0900 + HOUR, 422],
  ])('24 h notice, %s', async (_label, at, status) => {
    const api = setup()
    const booking = await book(
      api,
      (await resource({ minRescheduleNoticeHours: 24, minCancelNoticeHours: 24 })).id,
      SUNDAY,
    )
    expect((await manageView(api, booking)).changeableUntil).toEqual({
      reschedule: iso(SATURDAY_0900),
      cancel: iso(SATURDAY_0900),
    })
    api.clock.set(at)
    const moved = await guestMove(api, booking, SUNDAY + 2 * 86_400_000)
    expect(moved.status).toBe(status)
    if (status === 422) {
      expect(moved.body.error.code).toBe('reschedule_closed')
      expect((await guestCancel(api, booking)).body.error.code).toBe('cancellation_closed')
    }
  })
})
