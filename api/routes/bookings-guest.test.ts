import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookings } from '../../drizzle/schema'
import type { ErrorBody } from '../../shared/errors'
import type { CancellationPolicy, ResourceConfig } from '../../shared/schemas'
import type { PublicBooking, PublicHold } from '../../shared/types'
import { randomToken, sha256Hex } from '../crypto'
import { fixedClock } from '../clock'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { bookingValues, everyDay, insertResource } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'

/*
 * What the guest types and what the guest is told: phone numbers in the form people write
 * them, a machine code for every rejected field, and the refund a cancel would give now.
 */

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.close()
})

const NOW = '2026-03-20T12:00:00Z'
const HOUR = 3_600_000
const guest = { name: 'Ada Lovelace', email: 'ada@example.com' }

type Created = { booking: PublicBooking; manageToken: string }

function setup() {
  const clock = fixedClock(NOW)
  return createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds })
}

/** Open 09:00–12:00 every day in its zone, hourly. */
async function resource(timezone: string, config: ResourceConfig = {}) {
  return insertResource(database.db, {
    timezone,
    config,
    schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
  })
}

async function hold(api: ReturnType<typeof setup>, resourceId: string, start: string, session: string) {
  const res = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', { session, body: { resourceId, start } })
  expect(res.status).toBe(201)
  return res.body.hold
}

describe('POST /v1/bookings: phone numbers as people type them', () => {
  it.each([
    ['a Berlin number in national form', 'Europe/Berlin', {}, '030 1234567', '+49301234567'],
    ['a German mobile with dashes', 'Europe/Berlin', {}, '0151-1234 5678', '+4915112345678'],
    ['a New York number with brackets', 'America/New_York', {}, '(212) 555-0123', '+12125550123'],
    ['an international number anywhere', 'America/New_York', {}, '+44 20 7123 4567', '+442071234567'],
    [
      'a national number of the configured country',
      'Europe/Berlin',
      { country: 'GB' },
      '020 7123 4567',
      '+442071234567',
    ],
  ] satisfies [string, string, ResourceConfig, string, string][])(
    'stores and returns %s in E.164',
    async (_label, zone, config, typed, e164) => {
      const api = setup()
      const r = await resource(zone, config)
      const session = newSession()
      // 11:00 on 24 March in either zone.
      const h = await hold(
        api,
        r.id,
        zone === 'Europe/Berlin' ? '2026-03-24T10:00:00Z' : '2026-03-24T15:00:00Z',
        session,
      )
      const res = await api.call<Created>('POST', '/v1/bookings', {
        session,
        body: { holdId: h.id, guest: { ...guest, phone: typed } },
      })
      expect(res.status).toBe(201)
      expect(res.body.booking.guest.phone).toBe(e164)
      const [row] = await database.db.select().from(bookings).where(eq(bookings.ref, res.body.booking.ref))
      expect(row?.guestPhone).toBe(e164)
    },
  )

  it.each([
    ['too few digits', '12'],
    ['a word', 'hello'],
    ['an extension the schema does not take', '+49 30 1234567 ext. 12'],
  ])('refuses %s with invalid_phone, writes nothing and keeps the hold', async (_label, typed) => {
    const api = setup()
    const r = await resource('Europe/Berlin')
    const session = newSession()
    const h = await hold(api, r.id, '2026-03-24T10:00:00Z', session)
    const res = await api.call<ErrorBody>('POST', '/v1/bookings', {
      session,
      body: { holdId: h.id, guest: { ...guest, phone: typed } },
    })
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_request'])
    expect(res.body.error.details).toEqual([
      { path: 'guest.phone', code: 'invalid_phone', message: expect.any(String) },
    ])
    expect(await database.db.select().from(bookings).where(eq(bookings.resourceId, r.id))).toHaveLength(0)
    // The guest fixes the number and books on the same hold.
    const fixed = await api.call<Created>('POST', '/v1/bookings', {
      session,
      body: { holdId: h.id, guest: { ...guest, phone: '030 1234567' } },
    })
    expect([fixed.status, fixed.body.booking.guest.phone]).toEqual([201, '+49301234567'])
  })

  it('refuses a national number for a resource whose zone has no country, unless one is configured', async () => {
    const api = setup()
    const utc = await resource('UTC')
    const session = newSession()
    const h = await hold(api, utc.id, '2026-03-24T10:00:00Z', session)
    const res = await api.call<ErrorBody>('POST', '/v1/bookings', {
      session,
      body: { holdId: h.id, guest: { ...guest, phone: '030 1234567' } },
    })
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'guest.phone', code: 'invalid_phone' })])
    const international = await api.call<Created>('POST', '/v1/bookings', {
      session,
      body: { holdId: h.id, guest: { ...guest, phone: '+49 30 1234567' } },
    })
    expect(international.body.booking.guest.phone).toBe('+49301234567')
  })
})

describe('POST /v1/bookings: a code for every rejected field', () => {
  it.each([
    ['an empty name', { guest: { ...guest, name: '  ' } }, 'guest.name', 'required'],
    ['a missing name', { guest: { email: guest.email } }, 'guest.name', 'required'],
    ['a missing email', { guest: { name: guest.name } }, 'guest.email', 'required'],
    ['an email without a domain', { guest: { ...guest, email: 'ada@' } }, 'guest.email', 'invalid_email'],
    ['a name over 200 characters', { guest: { ...guest, name: 'x'.repeat(201) } }, 'guest.name', 'too_long'],
    ['notes over 2000 characters', { guest, notes: 'n'.repeat(2001) }, 'notes', 'too_long'],
    ['a phone that is a number type', { guest: { ...guest, phone: 4930123 } }, 'guest.phone', 'invalid_phone'],
    ['an answer that is an object', { guest, answers: { people: { n: 4 } } }, 'answers.people', 'invalid'],
  ])('answers 400 for %s with the field’s path and code', async (_label, body, path, code) => {
    const api = setup()
    const res = await api.call<ErrorBody>('POST', '/v1/bookings', {
      session: newSession(),
      body: { holdId: 'h_any', ...body },
    })
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_request'])
    expect(res.body.error.details).toEqual(expect.arrayContaining([{ path, code, message: expect.any(String) }]))
  })

  it('puts a code on every detail when several fields fail at once', async () => {
    const api = setup()
    const res = await api.call<ErrorBody>('POST', '/v1/bookings', {
      session: newSession(),
      body: { guest: { name: '', email: 'x', phone: 'call me' } },
    })
    const details = res.body.error.details as { path: string; code: string }[]
    expect(details.map((d) => [d.path, d.code]).sort()).toEqual([
      ['guest.email', 'invalid_email'],
      ['guest.name', 'required'],
      ['guest.phone', 'invalid_phone'],
      ['holdId', 'required'],
    ])
  })
})

describe('GET /v1/bookings/:ref: what cancelling now would give back', () => {
  const LADDER: CancellationPolicy = {
    free_cancellation_hours: 24,
    partial_refund_hours: 6,
    partial_refund_percent: 50,
    no_refund_hours: 2,
  }

  /** A confirmed booking whose payment was captured, starting `hoursAhead` after now. */
  async function paidBooking(hoursAhead: number, policy: CancellationPolicy, amount = 9500) {
    const r = await resource('America/New_York')
    const start = Date.parse(NOW) + hoursAhead * HOUR
    const token = randomToken()
    const [row] = await database.db
      .insert(bookings)
      .values({
        ...bookingValues({ resourceId: r.id, start: new Date(start), end: new Date(start + HOUR) }),
        manageTokenHash: await sha256Hex(token),
        cancellationPolicy: policy,
        amount,
        currency: 'USD',
        paymentStatus: 'captured',
        amountCaptured: amount,
      })
      .returning()
    return { ref: row!.ref, token }
  }

  async function view(api: ReturnType<typeof setup>, ref: string, token: string) {
    const res = await api.call<{ booking: PublicBooking }>('GET', `/v1/bookings/${ref}`, { token })
    expect(res.status).toBe(200)
    return res.body.booking
  }

  it('states a full refund 72 h before under a free-24 h policy, and the cancel gives exactly that', async () => {
    const api = setup()
    const { ref, token } = await paidBooking(72, { free_cancellation_hours: 24 })
    const preview = (await view(api, ref, token)).cancellation
    expect(preview).toEqual({ allowed: true, percent: 100, refund: { amount: 9500, currency: 'USD' } })
    const cancelled = await api.call<{ booking: PublicBooking }>('POST', `/v1/bookings/${ref}/cancel`, { token })
    expect(cancelled.body.booking.refund).toMatchObject({ amount: preview?.refund?.amount, percent: preview?.percent })
    // Once cancelled there is nothing left to preview.
    expect((await view(api, ref, token)).cancellation).toBeUndefined()
  })

  it('states the partial rung, rounded down to the minor unit as the cancel rounds it', async () => {
    const api = setup()
    const { ref, token } = await paidBooking(12, LADDER, 9999)
    expect((await view(api, ref, token)).cancellation).toEqual({
      allowed: true,
      percent: 50,
      refund: { amount: 4999, currency: 'USD' },
    })
  })

  it('says cancelling online is closed inside the no-refund window', async () => {
    const api = setup()
    const { ref, token } = await paidBooking(1, LADDER)
    expect((await view(api, ref, token)).cancellation).toEqual({ allowed: false, percent: 0 })
    const refused = await api.call<ErrorBody>('POST', `/v1/bookings/${ref}/cancel`, { token })
    expect(refused.body.error.code).toBe('cancellation_closed')
  })

  it('states a free cancellation without a refund for a resource that takes no payment', async () => {
    const api = setup()
    const r = await resource('Europe/Berlin', { cancellationPolicy: { free_cancellation_hours: 24 } })
    const session = newSession()
    const h = await hold(api, r.id, '2026-03-24T10:00:00Z', session)
    const created = await api.call<Created>('POST', '/v1/bookings', { session, body: { holdId: h.id, guest } })
    expect(created.body.booking.cancellation).toBeUndefined()
    const booking = await view(api, created.body.booking.ref, created.body.manageToken)
    expect(booking.cancellation).toEqual({ allowed: true, percent: 100 })
  })
})
