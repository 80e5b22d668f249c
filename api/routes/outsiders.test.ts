import { eq } from 'drizzle-orm'
import Stripe from 'stripe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookings, paymentEvents } from '../../drizzle/schema'
import type { ErrorBody, FieldError } from '../../shared/errors'
import type { AvailabilityResponse, NextAvailableResponse, PublicBooking, PublicHold } from '../../shared/types'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { FAKE_WEBHOOK_SECRET, startFakeStripe, type FakeStripe } from '../../test/fake-stripe'
import { everyDay, insertBooking, insertResource } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { createAdminKey } from '../admin/keys'
import { fixedClock } from '../clock'
import type { Logger } from '../logger'
import { createStripeGateway } from '../payments/stripe-gateway'
import type { AdminResource } from '../store/admin'
import type { AdminBooking } from './admin'

/*
 * What anyone on the internet (or an owner's typo) can send must never answer 500:
 * control characters in text, dates at the ends of the calendar, webhooks about payments
 * this server never made, and amounts larger than the database stores. Each is refused
 * with 400 naming the field, or acknowledged, and nothing is written.
 */

let database: TestDatabase
let stripe: FakeStripe
let key: string
beforeAll(async () => {
  database = await createTestDatabase()
  stripe = await startFakeStripe()
  key = (await createAdminKey(database.db, 'outsiders')).key
})
afterAll(async () => {
  await stripe?.close()
  await database?.close()
})

const NOW = '2026-06-01T09:00:00Z'
const SLOT = '2026-06-03T10:00:00Z'

interface Logged {
  level: 'info' | 'error'
  message: string
  fields: Record<string, unknown> | undefined
}

function setup() {
  const clock = fixedClock(NOW)
  const logs: Logged[] = []
  const logger: Logger = {
    info: (message, fields) => logs.push({ level: 'info', message, fields }),
    error: (message, fields) => logs.push({ level: 'error', message, fields }),
  }
  const payments = createStripeGateway({
    secretKey: 'sk_test_outsiders',
    publishableKey: 'pk_test_outsiders',
    webhookSecret: FAKE_WEBHOOK_SECRET,
    apiBase: stripe.url,
  })
  const api = createTestApi({ db: database.db, clock, logger, payments, holds: createTestHoldBackend(clock).holds })
  const admin = <T = ErrorBody>(method: string, path: string, body?: unknown) =>
    api.call<T>(method, `/v1/admin${path}`, { token: key, ...(body !== undefined ? { body } : {}) })
  return { ...api, admin, logs, clock }
}

let counter = 0
const slug = () => `outsider-${process.pid}-${++counter}`

async function openRoom(config = {}) {
  return insertResource(database.db, {
    slug: slug(),
    config,
    schedules: everyDay({ startTime: '08:00', endTime: '20:00', slotDuration: 60 }),
  })
}

/** A live hold on SLOT in a fresh session, for a booking request. */
async function holdFor(api: ReturnType<typeof setup>, resourceId: string, start = SLOT) {
  const session = newSession()
  const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', { session, body: { resourceId, start } })
  expect(hold.status).toBe(201)
  return { session, holdId: hold.body.hold.id }
}

async function bookedRoom(api: ReturnType<typeof setup>) {
  const room = await openRoom()
  const { session, holdId } = await holdFor(api, room.id)
  const made = await api.call<{ booking: PublicBooking; manageToken: string }>('POST', '/v1/bookings', {
    session,
    body: { holdId, guest: { name: 'Ada', email: 'ada@example.com' } },
  })
  expect(made.status).toBe(201)
  const [row] = await database.db.select().from(bookings).where(eq(bookings.ref, made.body.booking.ref))
  return { room, ref: made.body.booking.ref, manageToken: made.body.manageToken, id: row!.id }
}

/** 400 `invalid_request` whose details name `path` (with `code`, when given). */
function expectRefused(res: { status: number; body: unknown; text: string }, path: string, code?: string) {
  expect(res.status, res.text).toBe(400)
  const error = (res.body as ErrorBody).error
  expect(error.code).toBe('invalid_request')
  const details = (error.details ?? []) as FieldError[]
  expect(
    details.map((d) => d.path),
    res.text,
  ).toContain(path)
  if (code) expect(details.find((d) => d.path === path)?.code, res.text).toBe(code)
  return details.find((d) => d.path === path)!
}

// ——— 1. Control characters ———

/** C0 controls (NUL first) and DEL; never allowed anywhere. */
const CONTROLS = ['\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\u001b', '\u001f', '\u007f']
/** Line breaks and tab: refused in one-line fields, kept in multi-line free text. */
const LINE_CONTROLS = ['\n', '\r', '\t']
const NAMED = (c: string) => `U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`

describe('control characters in guest input', () => {
  const guest = { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7123 4567' }
  type Body = { holdId: string; guest: typeof guest; notes?: string; answers?: Record<string, unknown> }
  // An address or a number with a control character in it is not one: those two fields keep
  // the codes the widget already words for them.
  const fields: [string, (body: Body, c: string) => void, string][] = [
    ['guest.name', (b, c) => (b.guest.name = `Ada${c}Lovelace`), 'invalid'],
    ['guest.email', (b, c) => (b.guest.email = `ada${c}@example.com`), 'invalid_email'],
    ['guest.phone', (b, c) => (b.guest.phone = `+44 20${c}7123 4567`), 'invalid_phone'],
    ['notes', (b, c) => (b.notes = `Please${c}knock`), 'invalid'],
    ['answers', (b, c) => (b.answers = { [`door${c}code`]: 'x' }), 'invalid'],
    ['answers.door', (b, c) => (b.answers = { door: `12${c}34` }), 'invalid'],
  ]

  it.each(fields)('refuses them in %s with 400 naming the field, and books nothing', async (path, put, code) => {
    const api = setup()
    const room = await openRoom()
    const { session, holdId } = await holdFor(api, room.id)
    for (const c of CONTROLS) {
      const body: Body = { holdId, guest: { ...guest } }
      put(body, c)
      const res = await api.call<ErrorBody>('POST', '/v1/bookings', { session, body })
      const detail = expectRefused(res, path, code)
      if (code === 'invalid') expect(detail.message, NAMED(c)).toMatch(/control characters/)
    }
    expect(await database.db.select().from(bookings).where(eq(bookings.resourceId, room.id))).toEqual([])
  })

  it('refuses line breaks and tabs in the one-line fields', async () => {
    const api = setup()
    const room = await openRoom()
    const { session, holdId } = await holdFor(api, room.id)
    for (const c of LINE_CONTROLS) {
      const name = await api.call<ErrorBody>('POST', '/v1/bookings', {
        session,
        body: { holdId, guest: { ...guest, name: `Ada${c}Lovelace` } },
      })
      expectRefused(name, 'guest.name', 'invalid')
      const phone = await api.call<ErrorBody>('POST', '/v1/bookings', {
        session,
        body: { holdId, guest: { ...guest, phone: `+44 20${c}7123 4567` } },
      })
      expectRefused(phone, 'guest.phone', 'invalid_phone')
      const key = await api.call<ErrorBody>('POST', '/v1/bookings', {
        session,
        body: { holdId, guest, answers: { [`door${c}code`]: 'x' } },
      })
      expectRefused(key, 'answers', 'invalid')
    }
  })

  it('keeps line breaks and tabs in notes and answers, stored as sent', async () => {
    const api = setup()
    const room = await openRoom({ questions: [{ id: 'directions', type: 'long_text', label: { en: 'Directions' } }] })
    const { session, holdId } = await holdFor(api, room.id)
    const notes = 'First line\r\nSecond line\n\tindented'
    const res = await api.call<{ booking: PublicBooking }>('POST', '/v1/bookings', {
      session,
      body: { holdId, guest, notes, answers: { directions: 'Left\nthen right' } },
    })
    expect(res.status, res.text).toBe(201)
    const [row] = await database.db.select().from(bookings).where(eq(bookings.ref, res.body.booking.ref))
    expect([row?.notes, row?.answers]).toEqual([notes, { directions: 'Left\nthen right' }])
  })

  it('refuses them in a guest cancel reason, keeping line breaks', async () => {
    const api = setup()
    const { ref, manageToken, id } = await bookedRoom(api)
    for (const c of CONTROLS) {
      const res = await api.call<ErrorBody>('POST', `/v1/bookings/${ref}/cancel`, {
        token: manageToken,
        body: { reason: `ill${c}` },
      })
      expectRefused(res, 'reason', 'invalid')
    }
    expect((await database.db.select().from(bookings).where(eq(bookings.id, id)))[0]?.status).toBe('confirmed')
    const ok = await api.call<{ booking: PublicBooking }>('POST', `/v1/bookings/${ref}/cancel`, {
      token: manageToken,
      body: { reason: 'ill\nsorry' },
    })
    expect([ok.status, ok.body.booking.status]).toEqual([200, 'cancelled'])
  })

  it('refuses them in the path and the query, which reach the database', async () => {
    const api = setup()
    const room = await openRoom()
    for (const c of CONTROLS) {
      const e = encodeURIComponent(c)
      for (const path of [
        `/v1/resources/${e}`,
        `/v1/resources/x${e}/availability?from=2026-06-02&to=2026-06-02`,
        `/v1/resources/${e}/next-available?from=2026-06-02`,
      ]) {
        const res = await api.call<ErrorBody>('GET', path)
        expect([res.status, res.body.error.code], `${path} ${res.text}`).toEqual([404, 'not_found'])
      }
      expectRefused(
        await api.call('GET', `/v1/resources/${room.slug}/availability?from=2026-06-02&to=2026-06-02&tz=UTC${e}`),
        'tz',
        'invalid',
      )
      expectRefused(
        await api.call('GET', `/v1/resources/${room.slug}/next-available?from=2026-06-02&tz=${e}UTC`),
        'tz',
        'invalid',
      )
      expectRefused(
        await api.call('POST', '/v1/holds', {
          session: newSession(),
          body: { resourceId: `${room.slug}${c}`, start: SLOT },
        }),
        'resourceId',
        'invalid',
      )
      const manage = await api.call<ErrorBody>('GET', `/v1/bookings/AB${e}CD`, { token: 'x'.repeat(43) })
      expect(manage.status).toBe(404)
      const release = await api.call<ErrorBody>('DELETE', `/v1/holds/h_${e}`, { session: newSession() })
      expect(release.status).toBe(404)
    }
  })
})

describe('control characters in owner input', () => {
  const resource = () => ({
    slug: slug(),
    type: 'room',
    name: 'Studio',
    timezone: 'Europe/Berlin',
    config: { notifyEmail: 'owner@example.com', country: 'DE' },
  })
  const fields: [string, (body: ReturnType<typeof resource>, c: string) => void, string][] = [
    ['slug', (b, c) => (b.slug = `${b.slug}${c}`), 'invalid'],
    ['type', (b, c) => (b.type = `room${c}`), 'invalid'],
    ['name', (b, c) => (b.name = `Stu${c}dio`), 'invalid'],
    ['timezone', (b, c) => (b.timezone = `Europe/Berlin${c}`), 'invalid'],
    ['config.notifyEmail', (b, c) => (b.config.notifyEmail = `owner${c}@example.com`), 'invalid_email'],
    ['config.country', (b, c) => (b.config.country = `D${c}`), 'invalid'],
  ]

  it.each(fields)('refuses them in a resource %s on create and on update', async (path, put, code) => {
    const { admin } = setup()
    const made = await admin<{ resource: AdminResource }>('POST', '/resources', resource())
    expect(made.status, made.text).toBe(201)
    for (const c of [...CONTROLS, ...LINE_CONTROLS]) {
      const body = resource()
      put(body, c)
      expectRefused(await admin('POST', '/resources', body), path, code)
      const change = path.startsWith('config.') ? { config: body.config } : { [path]: body[path as keyof typeof body] }
      expectRefused(await admin('PATCH', `/resources/${made.body.resource.id}`, change), path, code)
    }
    const after = await admin<{ resource: AdminResource }>('GET', `/resources/${made.body.resource.id}`)
    expect(after.body.resource).toMatchObject({ name: 'Studio', type: 'room', timezone: 'Europe/Berlin' })
  })

  it('refuses them in schedule fields', async () => {
    const { admin } = setup()
    const room = await openRoom()
    for (const c of CONTROLS) {
      expectRefused(
        await admin('PUT', `/resources/${room.id}/schedules`, {
          schedules: [{ specificDate: `2026-06-0${c}`, startTime: '09:00', endTime: '10:00', slotDuration: 60 }],
        }),
        'schedules.0.specificDate',
      )
      expectRefused(
        await admin('PUT', `/resources/${room.id}/schedules`, {
          schedules: [{ weekday: 0, startTime: `09:00${c}`, endTime: '10:00', slotDuration: 60 }],
        }),
        'schedules.0.startTime',
      )
    }
  })

  it('refuses them in an owner cancel reason, keeping line breaks', async () => {
    const api = setup()
    const { id } = await bookedRoom(api)
    for (const c of CONTROLS)
      expectRefused(await api.admin('POST', `/bookings/${id}/cancel`, { reason: `no${c}show` }), 'reason', 'invalid')
    expect((await database.db.select().from(bookings).where(eq(bookings.id, id)))[0]?.status).toBe('confirmed')
    const ok = await api.admin<{ booking: AdminBooking }>('POST', `/bookings/${id}/cancel`, {
      reason: 'Closed for repairs.\nSorry!',
    })
    expect([ok.status, ok.body.booking.status]).toEqual([200, 'cancelled'])
  })

  it('refuses them in the bookings search, its cursor and ids in the path', async () => {
    const { admin } = setup()
    for (const c of CONTROLS) {
      const e = encodeURIComponent(c)
      expectRefused(await admin('GET', `/bookings?q=Ada${e}`), 'q', 'invalid')
      expectRefused(await admin('GET', `/bookings?cursor=${e}abc`), 'cursor')
      for (const path of [`/bookings/${e}`, `/resources/${e}`, `/resources/${e}/schedules`])
        expect((await admin('GET', path)).status).toBe(404)
    }
    // A cursor that decodes to a start no date can hold.
    const forged = btoa(JSON.stringify([1e300, '00000000-0000-4000-8000-000000000000']))
    expectRefused(await admin('GET', `/bookings?cursor=${forged}`), 'cursor')
  })

  it('refuses them in a first-run setup token and in an admin key header', async () => {
    const api = setup()
    for (const c of CONTROLS) {
      const res = await api.call<ErrorBody>('POST', '/v1/admin/setup', { body: { token: `abc${c}def` } })
      expect(res.status, res.text).toBeLessThan(500)
    }
    // Headers cannot carry NUL, CR or LF; the other controls can reach the server.
    for (const c of CONTROLS.filter((ch) => ch !== '\u0000')) {
      const res = await api.call<ErrorBody>('GET', '/v1/admin/resources', {
        headers: { Authorization: `Bearer bka_AAAA${c}AAA_${'A'.repeat(43)}` },
      })
      expect(res.status).toBe(401)
    }
  })
})

// ——— 2. Dates at the edges ———

const BAD_DATES = [
  '0000-01-01',
  '0001-01-01',
  '1969-12-31',
  '3000-01-01',
  '9999-12-30',
  '9999-12-31',
  '+010000-01-01',
  '-000001-01-01',
]
const BAD_INSTANTS = [
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '1970-01-01T00:30:00+01:00',
  '2999-12-31T23:30:00-01:00',
  '3000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+010000-01-01T00:00:00Z',
  '-000001-01-01T00:00:00Z',
]

describe('dates at the edges of the calendar', () => {
  it('refuses availability and next-available days outside 1970–2999 with 400 naming the field', async () => {
    const api = setup()
    const room = await openRoom()
    for (const date of BAD_DATES) {
      const e = encodeURIComponent(date)
      expectRefused(
        await api.call('GET', `/v1/resources/${room.slug}/availability?from=${e}&to=${e}`),
        'from',
        'invalid',
      )
      expectRefused(
        await api.call('GET', `/v1/resources/${room.slug}/availability?from=2026-06-02&to=${e}`),
        'to',
        'invalid',
      )
      expectRefused(await api.call('GET', `/v1/resources/${room.slug}/next-available?from=${e}`), 'from', 'invalid')
    }
    expectRefused(
      await api.call('GET', `/v1/resources/${room.slug}/availability?from=2999-12-31&to=3000-01-01`),
      'to',
      'invalid',
    )
  })

  it('answers the first and last days of the range, in every zone, without a 500', async () => {
    const api = setup()
    const room = await insertResource(database.db, {
      slug: slug(),
      config: { bufferBeforeMin: 10_080, bufferAfterMin: 10_080 },
      schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 60 }),
    })
    for (const tz of ['UTC', 'Pacific/Kiritimati', 'Etc/GMT+12']) {
      for (const [from, to] of [
        ['1970-01-01', '1970-01-01'],
        ['2999-11-01', '2999-12-31'],
        ['2999-12-31', '2999-12-31'],
      ]) {
        const res = await api.call<AvailabilityResponse>(
          'GET',
          `/v1/resources/${room.slug}/availability?from=${from}&to=${to}&tz=${encodeURIComponent(tz)}`,
        )
        expect(res.status, `${tz} ${from} ${res.text}`).toBe(200)
      }
      const next = await api.call<NextAvailableResponse>(
        'GET',
        `/v1/resources/${room.slug}/next-available?from=2999-12-31&tz=${encodeURIComponent(tz)}`,
      )
      expect([next.status, next.body.nextAvailable], next.text).toEqual([200, null])
    }
  })

  it('refuses hold instants outside 1970–2999 with 400 naming the field', async () => {
    const api = setup()
    const room = await openRoom()
    for (const instant of BAD_INSTANTS) {
      expectRefused(
        await api.call('POST', '/v1/holds', { session: newSession(), body: { resourceId: room.id, start: instant } }),
        'start',
        'invalid',
      )
      expectRefused(
        await api.call('POST', '/v1/holds', {
          session: newSession(),
          body: { resourceId: room.id, start: SLOT, end: instant },
        }),
        'end',
        'invalid',
      )
    }
    // The last hour of the range, on a resource with no horizon, is a slot like any other.
    const last = await api.call('POST', '/v1/holds', {
      session: newSession(),
      body: { resourceId: room.id, start: '2999-12-31T18:00:00Z' },
    })
    expect(last.status, last.text).toBe(201)
  })

  it('refuses owner booking filters outside the range, as dates and as instants', async () => {
    const { admin } = setup()
    for (const value of [...BAD_DATES, ...BAD_INSTANTS]) {
      const e = encodeURIComponent(value)
      expectRefused(await admin('GET', `/bookings?from=${e}`), 'from', 'invalid')
      expectRefused(await admin('GET', `/bookings?to=${e}`), 'to', 'invalid')
    }
    const edges = await admin<{ bookings: AdminBooking[] }>(
      'GET',
      '/bookings?from=1970-01-01&to=2999-12-31T23:59:59.999Z',
    )
    expect(edges.status, edges.text).toBe(200)
  })

  it('refuses schedule dates outside the range, and serves one on the last day', async () => {
    const api = setup()
    const room = await openRoom()
    for (const date of BAD_DATES) {
      expectRefused(
        await api.admin('PUT', `/resources/${room.id}/schedules`, {
          schedules: [{ specificDate: date, startTime: '09:00', endTime: '10:00', slotDuration: 60 }],
        }),
        'schedules.0.specificDate',
        'invalid',
      )
    }
    const last = await api.admin('PUT', `/resources/${room.id}/schedules`, {
      schedules: [{ specificDate: '2999-12-31', startTime: '23:00', endTime: '24:00', slotDuration: 60 }],
    })
    expect(last.status, last.text).toBe(200)
    const days = await api.call<AvailabilityResponse>(
      'GET',
      `/v1/resources/${room.slug}/availability?from=2999-12-31&to=2999-12-31&tz=Pacific/Kiritimati`,
    )
    expect(days.status, days.text).toBe(200)
  })

  it('refuses an owner move outside the range, and moves a booking to the last hour', async () => {
    const api = setup()
    const room = await openRoom()
    const booking = await insertBooking(database.db, {
      resourceId: room.id,
      start: '2026-06-05T10:00:00Z',
      end: '2026-06-05T11:00:00Z',
    })
    for (const instant of BAD_INSTANTS) {
      expectRefused(
        await api.admin('POST', `/bookings/${booking.id}/reschedule`, { start: instant }),
        'start',
        'invalid',
      )
      expectRefused(
        await api.admin('POST', `/bookings/${booking.id}/reschedule`, { start: '2026-06-06T10:00:00Z', end: instant }),
        'end',
        'invalid',
      )
    }
    const last = await api.admin<{ booking: AdminBooking }>('POST', `/bookings/${booking.id}/reschedule`, {
      start: '2999-12-31T23:00:00Z',
    })
    expect([last.status, last.body.booking?.start], last.text).toEqual([200, '2999-12-31T23:00:00.000Z'])
  })
})

// ——— 3. Webhooks about payments this server never made ———

describe('a signed webhook about an unknown PaymentIntent', () => {
  async function send(api: ReturnType<typeof setup>, body: string, signature: string) {
    const res = await api.app.request('/v1/webhooks/stripe', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature },
      body,
    })
    return { status: res.status, body: (await res.json()) as { received?: boolean } }
  }

  /** An event Stripe would sign for an intent only Stripe has. */
  function signed(type: string, object: Record<string, unknown>) {
    const id = `evt_outsider_${++counter}_${Date.now()}`
    const body = JSON.stringify({
      id,
      object: 'event',
      type,
      api_version: '2025-01-27',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: { object },
    })
    return {
      id,
      body,
      signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret: FAKE_WEBHOOK_SECRET }),
    }
  }

  const intentAt = async (metadata: Record<string, string>) => {
    const gateway = createStripeGateway({
      secretKey: 'sk_test_outsiders',
      publishableKey: 'pk',
      webhookSecret: FAKE_WEBHOOK_SECRET,
      apiBase: stripe.url,
    })
    // Another system on the same Stripe account made this one (or someone reused the metadata key).
    const made = await gateway.createIntent({
      bookingId: 'unused',
      resourceId: 'unused',
      ref: 'unused',
      amount: 1000,
      currency: 'EUR',
      description: 'elsewhere',
    })
    const intent = stripe.intent(made.id)
    intent.metadata = metadata
    stripe.authorize(made.id)
    return made.id
  }

  it.each([
    ['no metadata', {}],
    ['a booking_id that is not ours', { booking_id: '00000000-0000-4000-8000-00000000abcd' }],
    ['a booking_id that is not a uuid', { booking_id: 'order-1234' }],
  ])(
    'answers 200 received for an intent Stripe knows with %s, logs it and records the event',
    async (_label, metadata) => {
      const api = setup()
      const intentId = await intentAt(metadata)
      for (const type of ['payment_intent.amount_capturable_updated', 'payment_intent.succeeded', 'charge.refunded']) {
        const event = stripe.signedEvent(type, intentId)
        const res = await send(api, event.body, event.signature)
        expect([res.status, res.body], type).toEqual([200, { received: true }])
        expect(await database.db.select().from(paymentEvents).where(eq(paymentEvents.id, event.id))).toHaveLength(1)
        const line = api.logs.find((l) => l.fields?.eventId === event.id)
        expect(line?.level).toBe('info')
        expect(line?.fields).toMatchObject({ intentId, eventId: event.id })
      }
      // Nothing of ours was touched: no capture, no cancel.
      expect(stripe.requests.filter((r) => r.path.startsWith(`/v1/payment_intents/${intentId}/`))).toEqual([])
    },
  )

  it('answers 200 received for an intent Stripe itself does not know (retrieve answers 404)', async () => {
    const api = setup()
    const intentId = `pi_unknown_${Date.now()}`
    const event = signed('payment_intent.amount_capturable_updated', {
      id: intentId,
      object: 'payment_intent',
      amount: 1000,
      currency: 'eur',
      status: 'requires_capture',
      metadata: {},
    })
    const res = await send(api, event.body, event.signature)
    expect([res.status, res.body]).toEqual([200, { received: true }])
    expect(await database.db.select().from(paymentEvents).where(eq(paymentEvents.id, event.id))).toHaveLength(1)
    const line = api.logs.find((l) => l.fields?.eventId === event.id)
    expect(line?.fields).toMatchObject({ intentId, eventId: event.id })
    // No guest data in the line: ids and the event type only.
    expect(Object.keys(line?.fields ?? {}).sort()).toEqual(['eventId', 'eventType', 'intentId'])
    // A repeat is a duplicate, as for any event.
    const again = await send(api, event.body, event.signature)
    expect([again.status, again.body]).toEqual([200, { received: true, duplicate: true }])
  })

  it('answers 503 when Stripe itself fails, so Stripe retries, and records nothing', async () => {
    const api = setup()
    const intentId = await intentAt({})
    const event = stripe.signedEvent('payment_intent.succeeded', intentId)
    stripe.failNext(new RegExp(`/v1/payment_intents/${intentId}$`), 3)
    const res = await send(api, event.body, event.signature)
    expect(res.status).toBe(503)
    expect(await database.db.select().from(paymentEvents).where(eq(paymentEvents.id, event.id))).toEqual([])
  })
})

// ——— 4. Money and other numbers ———

describe('amounts the database cannot store', () => {
  const priced = (amount: number, extra: Record<string, unknown> = {}) => ({
    slug: slug(),
    type: 'room',
    name: 'Priced',
    timezone: 'Europe/Berlin',
    config: { price: { amount, currency: 'EUR' }, payment: 'full', ...extra },
  })

  it.each([100_000_000, 2_147_483_647, 2_147_483_648, 2 ** 53, 1e21])(
    'refuses a price of %d with 400 on create and update',
    async (amount) => {
      const { admin } = setup()
      expectRefused(await admin('POST', '/resources', priced(amount)), 'config.price.amount', 'invalid')
      const made = await admin<{ resource: AdminResource }>('POST', '/resources', priced(1000))
      expectRefused(
        await admin('PATCH', `/resources/${made.body.resource.id}`, { config: priced(amount).config }),
        'config.price.amount',
        'invalid',
      )
      expectRefused(
        await admin('POST', '/resources', priced(1000, { payment: 'deposit', depositAmount: amount })),
        'config.depositAmount',
        'invalid',
      )
    },
  )

  it('accepts the ceiling, 99,999,999 minor units, and books it', async () => {
    const api = setup()
    const made = await api.admin<{ resource: AdminResource }>(
      'POST',
      '/resources',
      priced(99_999_999, { payment: 'deposit', depositAmount: 99_999_999 }),
    )
    expect(made.status, made.text).toBe(201)
    const id = made.body.resource.id
    expect(
      (
        await api.admin('PUT', `/resources/${id}/schedules`, {
          schedules: [{ weekday: 2, startTime: '09:00', endTime: '17:00', slotDuration: 60 }],
        })
      ).status,
    ).toBe(200)
    const { session, holdId } = await holdFor(api, id)
    const booked = await api.call<{ booking: PublicBooking }>('POST', '/v1/bookings', {
      session,
      body: { holdId, guest: { name: 'Ada', email: 'ada@example.com' } },
    })
    expect([booked.status, booked.body.booking?.payment?.amount], booked.text).toEqual([201, 99_999_999])
  })

  it('still loads a resource stored before the ceiling with a larger on-site price', async () => {
    const { call } = setup()
    const legacy = await insertResource(database.db, {
      slug: slug(),
      config: { price: { amount: 150_000_000, currency: 'EUR' } },
      schedules: everyDay({ startTime: '08:00', endTime: '20:00' }),
    })
    expect((await call('GET', `/v1/resources/${legacy.slug}`)).status).toBe(200)
    expect((await call('GET', '/v1/resources')).status).toBe(200)
  })

  it('refuses other numbers no request may carry: unsafe integers, refund percents, limits, durations', async () => {
    const { admin, call } = setup()
    const room = await openRoom()
    for (const minNoticeMin of [1e21, 2 ** 53]) {
      expectRefused(
        await admin('POST', '/resources', {
          slug: slug(),
          type: 'room',
          name: 'N',
          timezone: 'UTC',
          config: { minNoticeMin },
        }),
        'config.minNoticeMin',
        'invalid',
      )
    }
    // A notice longer than any horizon is pointless but harmless: nothing is ever offered.
    const far = await admin<{ resource: AdminResource }>('POST', '/resources', {
      slug: slug(),
      type: 'room',
      name: 'N',
      timezone: 'UTC',
      config: { minNoticeMin: 1e12 },
    })
    expect(far.status, far.text).toBe(201)
    expect((await call('GET', `/v1/resources/${far.body.resource.slug}/next-available?from=2026-06-02`)).status).toBe(
      200,
    )
    const booking = await insertBooking(database.db, {
      resourceId: room.id,
      start: '2026-06-05T12:00:00Z',
      end: '2026-06-05T13:00:00Z',
    })
    for (const refundPercent of [1e21, 2 ** 53, -1, 101, 50.5]) {
      expectRefused(
        await admin('POST', `/bookings/${booking.id}/cancel`, { refundPercent }),
        'refundPercent',
        'invalid',
      )
    }
    for (const limit of ['1e21', '9007199254740993', '-0', 'Infinity'])
      expect((await admin('GET', `/bookings?limit=${limit}`)).status).toBe(400)
    for (const duration of ['1e21', '9007199254740993', '-0']) {
      const res = await call(
        'GET',
        `/v1/resources/${room.slug}/availability?from=2026-06-02&to=2026-06-02&duration=${duration}`,
      )
      expect(res.status, res.text).toBe(400)
    }
    // Sent as written: JSON.stringify would turn -0 into 0.
    const zero = await admin<{ booking: AdminBooking }>(
      'POST',
      `/bookings/${booking.id}/cancel`,
      '{"refundPercent":-0}',
    )
    expect(zero.status, zero.text).toBe(200)
    const negativeZeroPrice = await admin(
      'POST',
      '/resources',
      `{"slug":"${slug()}","type":"room","name":"Free","timezone":"UTC","config":{"price":{"amount":-0,"currency":"EUR"}}}`,
    )
    expect(negativeZeroPrice.status, negativeZeroPrice.text).toBe(201)
    expect(
      await admin(
        'POST',
        '/resources',
        `{"slug":"${slug()}","type":"room","name":"Big","timezone":"UTC","config":{"price":{"amount":1e400,"currency":"EUR"}}}`,
      ),
    ).toMatchObject({ status: 400 })
  })
})
