import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { bookableResources, bookings, type BookingRow } from '../../drizzle/schema'
import type { ErrorBody } from '../../shared/errors'
import type { ResourceConfig } from '../../shared/schemas'
import type { PublicBooking, PublicHold } from '../../shared/types'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { FAKE_WEBHOOK_SECRET, startFakeStripe, type FakeStripe } from '../../test/fake-stripe'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { fixedClock } from '../clock'
import { paidBooking as authorizedBooking, pricedResource } from '../../test/paid-booking'
import { cancelBooking, confirmBooking, expireUnpaidBookings } from '../bookings/lifecycle'
import { runDueWork } from '../due-work'
import { silentLogger } from '../logger'
import { createOutboxPlanner } from '../notify/outbox'
import { createStripeGateway } from './stripe-gateway'

/*
 * Every money path through the real API and database, with Stripe played by a local
 * server in its API shape and webhooks signed with the SDK's own test helper.
 */

let database: TestDatabase
let stripe: FakeStripe
beforeAll(async () => {
  database = await createTestDatabase()
  stripe = await startFakeStripe()
})
afterAll(async () => {
  await stripe?.close()
  await database?.close()
})
beforeEach(() => {
  stripe.requests.length = 0
})

// "Now" is real time so Stripe's 300 s signature tolerance holds; slots are days ahead.
const START = new Date(Date.now() + 3 * 86_400_000)
START.setUTCHours(10, 0, 0, 0)
const SLOT = START.toISOString()
const HOUR = 3_600_000
const guest = { name: 'Ada Lovelace', email: 'ada@example.com' }
const ladder = { free_cancellation_hours: 24, partial_refund_hours: 12, partial_refund_percent: 50, no_refund_hours: 2 }

type Created = {
  booking: PublicBooking
  manageToken: string
  payment?: { clientSecret: string; publishableKey: string; amount: number; currency: string }
}

function setup() {
  const clock = fixedClock(Date.now())
  const payments = createStripeGateway({
    secretKey: 'sk_test_flow',
    publishableKey: 'pk_test_flow',
    webhookSecret: FAKE_WEBHOOK_SECRET,
    apiBase: stripe.url,
  })
  const backend = createTestHoldBackend(clock)
  const api = createTestApi({ db: database.db, clock, holds: backend.holds, payments })
  const deps = {
    db: database.db,
    clock,
    logger: silentLogger,
    payments,
    outbox: createOutboxPlanner({ adminEmail: undefined }),
  }
  return { ...api, clock, payments, deps }
}

const pricedConfig: ResourceConfig = {
  payment: 'full',
  price: { amount: 5000, currency: 'EUR' },
  cancellationPolicy: ladder,
}

async function pricedRoom(config: ResourceConfig = {}) {
  return pricedResource(database.db, { ...pricedConfig, ...config })
}

async function book(
  api: ReturnType<typeof setup>,
  resourceId: string,
  start = SLOT,
  session = newSession(),
  key?: string,
) {
  const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', { session, body: { resourceId, start } })
  expect(hold.status).toBe(201)
  return api.call<Created>('POST', '/v1/bookings', {
    session,
    body: { holdId: hold.body.hold.id, guest },
    ...(key ? { headers: { 'Idempotency-Key': key } } : {}),
  })
}

async function row(ref: string): Promise<BookingRow> {
  const [found] = await database.db.select().from(bookings).where(eq(bookings.ref, ref))
  return found!
}

async function webhook(
  api: ReturnType<typeof setup>,
  type: string,
  intentId: string,
  options: Parameters<FakeStripe['signedEvent']>[2] = {},
) {
  const event = stripe.signedEvent(type, intentId, options)
  const res = await api.app.request('/v1/webhooks/stripe', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': event.signature },
    body: event.body,
  })
  return {
    status: res.status,
    body: (await res.json()) as { received?: boolean; duplicate?: boolean; error?: { code: string } },
    event,
  }
}

describe('booking a priced resource', () => {
  it('creates a pending booking and a manual-capture PaymentIntent, and returns the client secret', async () => {
    const api = setup()
    const r = await pricedRoom({ payment: 'deposit', depositAmount: 1500 })
    const res = await book(api, r.id)
    expect(res.status).toBe(201)
    expect(res.body.booking).toMatchObject({
      status: 'pending',
      payment: { status: 'requires_payment', amount: 1500, currency: 'EUR', captured: 0, refunded: 0 },
    })
    expect(res.body.booking.expiresAt).toBe(new Date(api.clock.now() + 600_000).toISOString())
    expect(res.body.payment).toEqual({
      clientSecret: expect.stringMatching(/_secret_/),
      publishableKey: 'pk_test_flow',
      amount: 1500,
      currency: 'EUR',
    })
    const saved = await row(res.body.booking.ref)
    const create = stripe.requests.find((r) => r.path === '/v1/payment_intents')
    expect(create).toMatchObject({ idempotencyKey: `pi-create:${saved.id}` })
    expect(create?.form).toMatchObject({
      amount: '1500',
      currency: 'eur',
      capture_method: 'manual',
      'metadata[booking_id]': saved.id,
      'metadata[ref]': saved.ref,
    })
    expect(saved.paymentIntentId).toMatch(/^pi_/)
  })

  it('replays the same 201 with the same client secret for the same Idempotency-Key, without a second intent', async () => {
    const api = setup()
    const r = await pricedRoom()
    const session = newSession()
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId: r.id, start: SLOT },
    })
    const send = (body: unknown) =>
      api.call<Created>('POST', '/v1/bookings', { session, body, headers: { 'Idempotency-Key': 'pay-once-0001' } })
    const first = await send({ holdId: hold.body.hold.id, guest })
    const again = await send({ holdId: hold.body.hold.id, guest })
    expect([first.status, again.status]).toEqual([201, 201])
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(again.body.booking.ref).toBe(first.body.booking.ref)
    expect(again.body.payment).toEqual(first.body.payment)
    expect(stripe.requests.filter((q) => q.method === 'POST' && q.path === '/v1/payment_intents')).toHaveLength(1)
    const other = await send({ holdId: hold.body.hold.id, guest: { ...guest, name: 'Someone Else' } })
    expect([other.status, (other.body as unknown as ErrorBody).error.code]).toEqual([409, 'idempotency_conflict'])
  })

  it('cancels the booking and answers 503 when Stripe cannot be reached, freeing the slot', async () => {
    const api = setup()
    const r = await pricedRoom()
    stripe.failNext(/^\/v1\/payment_intents$/, 5)
    const res = await book(api, r.id)
    expect([res.status, (res.body as unknown as ErrorBody).error.code]).toEqual([503, 'unavailable'])
    const [saved] = await database.db.select().from(bookings).where(eq(bookings.resourceId, r.id))
    expect(saved).toMatchObject({ status: 'cancelled', cancelReason: 'payment_unavailable' })
    // The slot is free again at once.
    expect((await book(api, r.id)).status).toBe(201)
  })

  it('answers 422 payment_unavailable when the server has no payment provider', async () => {
    const clock = fixedClock(Date.now())
    const api = { ...createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds }), clock }
    const r = await pricedRoom()
    const res = await book(api as ReturnType<typeof setup>, r.id)
    expect([res.status, (res.body as unknown as ErrorBody).error.code]).toEqual([422, 'payment_unavailable'])
  })
})

describe('the Stripe webhook', () => {
  it('captures and confirms at once when the card is authorized, however often the event arrives', async () => {
    const api = setup()
    const r = await pricedRoom()
    const created = await book(api, r.id)
    const intentId = (await row(created.body.booking.ref)).paymentIntentId!
    stripe.authorize(intentId)
    const event = stripe.signedEvent('payment_intent.amount_capturable_updated', intentId)
    const deliveries = await Promise.all(
      Array.from({ length: 5 }, () =>
        api.app.request('/v1/webhooks/stripe', {
          method: 'POST',
          headers: { 'Stripe-Signature': event.signature },
          body: event.body,
        }),
      ),
    )
    expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200, 200, 200])
    const captures = stripe.requests.filter((q) => q.path.endsWith('/capture'))
    // Concurrent deliveries may each reach Stripe, but with one idempotency key: one capture.
    expect(new Set(captures.map((q) => q.idempotencyKey))).toEqual(
      new Set([`capture:${(await row(created.body.booking.ref)).id}`]),
    )
    expect(stripe.intent(intentId)).toMatchObject({ status: 'succeeded', amount_received: 5000 })
    expect(await row(created.body.booking.ref)).toMatchObject({
      status: 'confirmed',
      paymentStatus: 'captured',
      amountCaptured: 5000,
      expiresAt: null,
    })

    const later = await webhook(api, 'payment_intent.amount_capturable_updated', intentId, { id: event.id })
    expect(later.body).toEqual({ received: true, duplicate: true })
  })

  it('refuses a tampered or stale event with 400 and changes nothing', async () => {
    const api = setup()
    const r = await pricedRoom()
    const created = await book(api, r.id)
    const intentId = (await row(created.body.booking.ref)).paymentIntentId!
    stripe.authorize(intentId)
    const event = stripe.signedEvent('payment_intent.amount_capturable_updated', intentId)
    const tampered = await api.app.request('/v1/webhooks/stripe', {
      method: 'POST',
      headers: { 'Stripe-Signature': event.signature },
      body: event.body.replace(intentId, 'pi_someone_else'),
    })
    expect(tampered.status).toBe(400)
    expect(((await tampered.json()) as ErrorBody).error.code).toBe('invalid_request')
    const stale = await webhook(api, 'payment_intent.amount_capturable_updated', intentId, {
      timestamp: Math.floor(Date.now() / 1000) - 400,
    })
    expect(stale.status).toBe(400)
    expect(stripe.requests.filter((q) => q.path.endsWith('/capture'))).toHaveLength(0)
    expect(await row(created.body.booking.ref)).toMatchObject({ status: 'pending', paymentStatus: 'requires_payment' })
  })

  it('acts on the state Stripe reports, not the event: a canceled intent stays canceled whatever arrives', async () => {
    const api = setup()
    const r = await pricedRoom()
    const created = await book(api, r.id)
    const intentId = (await row(created.body.booking.ref)).paymentIntentId!
    stripe.authorize(intentId)
    stripe.intent(intentId).status = 'canceled' // canceled in Stripe after authorizing
    stripe.intent(intentId).amount_capturable = 0
    // The late amount_capturable_updated event must not capture a canceled intent.
    expect((await webhook(api, 'payment_intent.amount_capturable_updated', intentId)).status).toBe(200)
    expect((await webhook(api, 'payment_intent.canceled', intentId)).status).toBe(200)
    expect(stripe.requests.filter((q) => q.path.endsWith('/capture'))).toHaveLength(0)
    expect(await row(created.body.booking.ref)).toMatchObject({ status: 'pending', paymentStatus: 'canceled' })
    // It is then left to expire: the slot frees when the payment window ends.
    api.clock.set(api.clock.now() + 601_000)
    await runDueWork(api.deps)
    expect((await row(created.body.booking.ref)).status).toBe('cancelled')
  })

  it('waits for the owner when the resource needs approval; the owner’s confirm captures', async () => {
    const api = setup()
    const { hold, created } = await authorizedBooking(
      api,
      database.db,
      stripe,
      { ...pricedConfig, requiresConfirmation: true },
      SLOT,
    )
    expect(hold.status).toBe(201)
    const authorized = await row(created.body.booking.ref)
    expect(authorized).toMatchObject({
      status: 'pending',
      paymentStatus: 'authorized',
      amountAuthorized: 5000,
      amountCaptured: 0,
      expiresAt: null,
    })
    expect(authorized.captureBefore?.getTime()).toBeGreaterThan(Date.now())
    // Past the payment window it does not expire: the money is reserved.
    api.clock.set(api.clock.now() + 601_000)
    await runDueWork(api.deps)
    expect((await row(created.body.booking.ref)).status).toBe('pending')

    const confirmed = await confirmBooking(api.deps, authorized)
    expect(confirmed).toMatchObject({ status: 'confirmed', paymentStatus: 'captured', amountCaptured: 5000 })
  })

  it('cancels an unconfirmed owner-approval booking 12 h before the authorization lapses, releasing it', async () => {
    const api = setup()
    const r = await pricedRoom({ requiresConfirmation: true })
    const created = await book(api, r.id)
    const intentId = (await row(created.body.booking.ref)).paymentIntentId!
    stripe.authorize(intentId, { captureBefore: api.clock.now() + 36 * HOUR })
    await webhook(api, 'payment_intent.amount_capturable_updated', intentId)
    api.clock.set(api.clock.now() + 24 * HOUR - 60_000) // 12 h 1 min before capture_before
    await runDueWork(api.deps)
    expect((await row(created.body.booking.ref)).status).toBe('pending')
    api.clock.set(api.clock.now() + 60_000) // exactly 12 h before
    const done = await runDueWork(api.deps)
    expect(done.payments?.lapsed).toBeGreaterThanOrEqual(1)
    expect(await row(created.body.booking.ref)).toMatchObject({
      status: 'cancelled',
      paymentStatus: 'canceled',
      settlement: { method: 'release', state: 'done' },
    })
    expect(stripe.intent(intentId).status).toBe('canceled')
  })

  it('releases the authorization of a booking that expired and whose slot someone else took', async () => {
    const api = setup()
    const r = await pricedRoom()
    const late = await book(api, r.id)
    const intentId = (await row(late.body.booking.ref)).paymentIntentId!
    // The payment window passes; another guest books the same time (the stale row is expired lazily).
    api.clock.set(api.clock.now() + 601_000)
    const other = await book(api, r.id)
    expect(other.status).toBe(201)
    // Then the first guest's card goes through after all.
    stripe.authorize(intentId)
    await webhook(api, 'payment_intent.amount_capturable_updated', intentId)
    expect(stripe.intent(intentId).status).toBe('canceled')
    expect(await row(late.body.booking.ref)).toMatchObject({
      status: 'cancelled',
      paymentStatus: 'canceled',
      amountCaptured: 0,
    })
  })

  it('takes the slot back for a payment that lands just after the window, when nobody else booked it', async () => {
    const api = setup()
    const r = await pricedRoom()
    const late = await book(api, r.id)
    const intentId = (await row(late.body.booking.ref)).paymentIntentId!
    api.clock.set(api.clock.now() + 601_000)
    await expireUnpaidBookings(api.deps) // the sweep's first step, before it releases the intent
    expect((await row(late.body.booking.ref)).status).toBe('cancelled')
    stripe.authorize(intentId)
    await webhook(api, 'payment_intent.amount_capturable_updated', intentId)
    expect(await row(late.body.booking.ref)).toMatchObject({
      status: 'confirmed',
      paymentStatus: 'captured',
      cancelReason: null,
    })
  })

  it('releases the intent of a booking that expired unpaid, so it cannot be paid later', async () => {
    const api = setup()
    const r = await pricedRoom()
    const unpaid = await book(api, r.id)
    const intentId = (await row(unpaid.body.booking.ref)).paymentIntentId!
    api.clock.set(api.clock.now() + 601_000)
    const done = await runDueWork(api.deps)
    // Counts cover the whole database (other tests' rows too): at least this booking.
    expect(done.expired).toBeGreaterThanOrEqual(1)
    expect(done.payments?.released).toBeGreaterThanOrEqual(1)
    expect(await row(unpaid.body.booking.ref)).toMatchObject({
      status: 'cancelled',
      cancelReason: 'expired',
      paymentStatus: 'canceled',
    })
    expect(stripe.intent(intentId).status).toBe('canceled')
  })

  it('records a refund made in the Stripe dashboard', async () => {
    const api = setup()
    const { hold, created, intentId } = await authorizedBooking(api, database.db, stripe, pricedConfig, SLOT)
    expect(hold.status).toBe(201)
    stripe.refundOutside(intentId, 1200)
    await webhook(api, 'charge.refunded', intentId)
    expect(await row(created.body.booking.ref)).toMatchObject({
      amountCaptured: 5000,
      amountRefunded: 1200,
      status: 'confirmed',
    })
  })
})

describe('cancelling under the policy', () => {
  async function paidBooking(api: ReturnType<typeof setup>, config: ResourceConfig = {}) {
    const { hold, created, intentId } = await authorizedBooking(
      api,
      database.db,
      stripe,
      { ...pricedConfig, ...config },
      SLOT,
    )
    expect(hold.status).toBe(201)
    return { ...created.body, intentId }
  }

  it('end to end: book → authorize → confirm and capture → the guest cancels 13 h before → 50 % refunded', async () => {
    const api = setup()
    const { booking, manageToken, intentId } = await paidBooking(api)
    expect((await row(booking.ref)).status).toBe('confirmed')
    api.clock.set(START.getTime() - 13 * HOUR)
    const res = await api.call<{ booking: PublicBooking }>('POST', `/v1/bookings/${booking.ref}/cancel`, {
      token: manageToken,
    })
    expect(res.status).toBe(200)
    expect(res.body.booking).toMatchObject({
      status: 'cancelled',
      refund: { amount: 2500, currency: 'EUR', percent: 50, tier: 'partial_refund', state: 'done' },
      payment: { status: 'captured', amount: 5000, captured: 5000, refunded: 2500 },
    })
    const refunds = stripe.requests.filter((q) => q.path === '/v1/refunds')
    expect(refunds).toEqual([
      expect.objectContaining({
        form: { payment_intent: intentId, amount: '2500' },
        idempotencyKey: `refund:${(await row(booking.ref)).id}:1`,
      }),
    ])
    expect(await row(booking.ref)).toMatchObject({ amountRefunded: 2500, cancelReason: 'guest' })
  })

  it('20 concurrent cancels settle once: exactly one refund', async () => {
    const api = setup()
    const { booking, manageToken } = await paidBooking(api)
    api.clock.set(START.getTime() - 30 * HOUR)
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.call<{ booking: PublicBooking }>('POST', `/v1/bookings/${booking.ref}/cancel`, { token: manageToken }),
      ),
    )
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200))
    expect(stripe.requests.filter((q) => q.path === '/v1/refunds')).toHaveLength(1)
    expect(await row(booking.ref)).toMatchObject({
      status: 'cancelled',
      amountRefunded: 5000,
      settlement: { tier: 'full_refund', refund: 5000, state: 'done' },
    })
  })

  it('settles an authorization-only booking by capturing just the kept part', async () => {
    const api = setup()
    const { booking, manageToken, intentId } = await paidBooking(api, {
      requiresConfirmation: true,
      price: { amount: 999, currency: 'EUR' },
    })
    api.clock.set(START.getTime() - 13 * HOUR)
    const res = await api.call<{ booking: PublicBooking }>('POST', `/v1/bookings/${booking.ref}/cancel`, {
      token: manageToken,
    })
    // 50 % of 9.99 is 4.995: the guest gets 4.99 back, 5.00 is kept; together exactly 9.99.
    expect(res.body.booking.refund).toMatchObject({ amount: 499, percent: 50, state: 'done' })
    expect(stripe.requests.find((q) => q.path.endsWith('/capture'))?.form).toEqual({ amount_to_capture: '500' })
    expect(stripe.intent(intentId)).toMatchObject({ status: 'succeeded', amount_received: 500 })
    expect(await row(booking.ref)).toMatchObject({
      amountCaptured: 500,
      amountRefunded: 0,
      settlement: { method: 'partial_capture', kept: 500 },
    })
  })

  it('releases an authorization-only booking entirely when the refund is 100 %, in yen', async () => {
    const api = setup()
    const { booking, manageToken, intentId } = await paidBooking(api, {
      requiresConfirmation: true,
      price: { amount: 15000, currency: 'JPY' },
    })
    api.clock.set(START.getTime() - 48 * HOUR)
    const res = await api.call<{ booking: PublicBooking }>('POST', `/v1/bookings/${booking.ref}/cancel`, {
      token: manageToken,
    })
    expect(res.body.booking.refund).toEqual({
      amount: 15000,
      currency: 'JPY',
      percent: 100,
      tier: 'full_refund',
      state: 'done',
    })
    expect(stripe.requests.filter((q) => q.path.endsWith('/capture'))).toHaveLength(0)
    expect(stripe.intent(intentId).status).toBe('canceled')
  })

  it('refuses a guest cancel inside the last 2 h with 422 cancellation_closed, taking nothing back', async () => {
    const api = setup()
    const { booking, manageToken } = await paidBooking(api)
    api.clock.set(START.getTime() - 2 * HOUR + 1000)
    const res = await api.call<ErrorBody>('POST', `/v1/bookings/${booking.ref}/cancel`, { token: manageToken })
    expect([res.status, res.body.error.code]).toEqual([422, 'cancellation_closed'])
    expect(await row(booking.ref)).toMatchObject({ status: 'confirmed', settlement: null })
  })

  it('lets the owner cancel after the online cut-off: the ladder’s bottom rung, or the refund the owner names', async () => {
    const api = setup()
    const first = await paidBooking(api)
    const second = await paidBooking(api)
    api.clock.set(START.getTime() - HOUR) // past the 2 h online cut-off
    const byPolicy = await cancelBooking(api.deps, (await row(first.booking.ref)).id, { by: 'owner' })
    expect(byPolicy).toMatchObject({
      status: 'cancelled',
      cancelReason: 'owner',
      amountRefunded: 0,
      settlement: { tier: 'no_refund', percent: 0, method: 'none' },
    })
    const generous = await cancelBooking(api.deps, (await row(second.booking.ref)).id, {
      by: 'owner',
      refundPercent: 100,
    })
    expect(generous).toMatchObject({
      amountRefunded: 5000,
      settlement: { tier: 'owner_override', percent: 100, refund: 5000, state: 'done' },
    })
    expect(stripe.requests.filter((q) => q.path === '/v1/refunds').map((q) => q.form.amount)).toEqual(['5000'])
  })

  it('keeps the policy the booking was made under, even after the owner changes the resource’s policy', async () => {
    const api = setup()
    const { resource: r, hold, created } = await authorizedBooking(api, database.db, stripe, pricedConfig, SLOT)
    expect(hold.status).toBe(201)
    await database.db
      .update(bookableResources)
      .set({
        config: {
          payment: 'full',
          price: { amount: 5000, currency: 'EUR' },
          cancellationPolicy: { no_refund_hours: 100 },
        },
      })
      .where(eq(bookableResources.id, r.id))
    api.clock.set(START.getTime() - 13 * HOUR)
    const res = await api.call<{ booking: PublicBooking }>('POST', `/v1/bookings/${created.body.booking.ref}/cancel`, {
      token: created.body.manageToken,
    })
    expect(res.body.booking.refund).toMatchObject({ amount: 2500, tier: 'partial_refund' })
  })

  it('retries a refund Stripe refused, from the sweep, with the same idempotency key', async () => {
    const api = setup()
    const { booking, manageToken } = await paidBooking(api)
    api.clock.set(START.getTime() - 30 * HOUR)
    stripe.failNext(/^\/v1\/refunds$/, 3) // the SDK's own retries are used up too
    const res = await api.call<{ booking: PublicBooking }>('POST', `/v1/bookings/${booking.ref}/cancel`, {
      token: manageToken,
    })
    expect(res.status).toBe(200)
    expect(res.body.booking.refund).toMatchObject({ amount: 5000, state: 'failed' })
    const done = await runDueWork(api.deps)
    expect(done.payments?.settled).toBeGreaterThanOrEqual(1)
    expect(await row(booking.ref)).toMatchObject({ amountRefunded: 5000, settlement: { state: 'done', attempts: 2 } })
    const keys = stripe.requests.filter((q) => q.path === '/v1/refunds').map((q) => q.idempotencyKey)
    expect(new Set(keys).size).toBe(1)
  })
})
