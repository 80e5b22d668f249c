import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { bookings, type BookingRow } from '../../drizzle/schema'
import type { ErrorBody } from '../../shared/errors'
import type { ResourceConfig } from '../../shared/schemas'
import type { PublicBooking, PublicHold } from '../../shared/types'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { FAKE_WEBHOOK_SECRET, startFakeStripe, type FakeStripe } from '../../test/fake-stripe'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { paidBooking as authorizedBooking } from '../../test/paid-booking'
import { createAdminKey } from '../admin/keys'
import { fixedClock } from '../clock'
import type { AdminBooking } from '../routes/admin'
import { createStripeGateway } from './stripe-gateway'

/*
 * Moving a booking never buys a better refund: a move made while a cancel would have
 * refunded less than all keeps that percentage as a ceiling for every later cancellation.
 * Through the real API with Stripe played by the local stand-in; the refund is read off
 * what Stripe was asked to do.
 */

let database: TestDatabase
let stripe: FakeStripe
let adminKey: string
beforeAll(async () => {
  database = await createTestDatabase()
  stripe = await startFakeStripe()
  adminKey = (await createAdminKey(database.db, 'move-then-cancel')).key
})
afterAll(async () => {
  await stripe?.close()
  await database?.close()
})
beforeEach(() => {
  stripe.requests.length = 0
})

// "Now" starts as real time so Stripe's webhook signature tolerance holds; slots are days ahead.
const HOUR = 3_600_000
const SECOND = 1000
const START = new Date(Date.now() + 3 * 86_400_000)
START.setUTCHours(10, 0, 0, 0)
/** Where bookings are moved to: days after the original start, in the new time's free tier. */
const LATER = START.getTime() + 3 * 86_400_000
const PRICE = 5000
// free ≥ 24 h, 50 % ≥ 12 h, 0 % ≥ 2 h, closed below (as in shared/cancellation-policy.test.ts).
const ladder = { free_cancellation_hours: 24, partial_refund_hours: 12, partial_refund_percent: 50, no_refund_hours: 2 }

function setup() {
  const clock = fixedClock(Date.now())
  const payments = createStripeGateway({
    secretKey: 'sk_test_move',
    publishableKey: 'pk_test_move',
    webhookSecret: FAKE_WEBHOOK_SECRET,
    apiBase: stripe.url,
  })
  const api = createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds, payments })
  const admin = <T>(method: string, path: string, body?: unknown) =>
    api.call<T>(method, `/v1/admin${path}`, { token: adminKey, ...(body !== undefined ? { body } : {}) })
  return { ...api, clock, admin }
}
type Api = ReturnType<typeof setup>

async function row(ref: string): Promise<BookingRow> {
  const [found] = await database.db.select().from(bookings).where(eq(bookings.ref, ref))
  return found!
}

/** A confirmed booking at START, paid in full (authorized, then captured on the webhook). */
async function paidBooking(
  api: Api,
  terms: Pick<ResourceConfig, 'cancellationPolicy' | 'minRescheduleNoticeHours' | 'minCancelNoticeHours'> = {
    cancellationPolicy: ladder,
  },
) {
  const config: ResourceConfig = { payment: 'full', price: { amount: PRICE, currency: 'EUR' }, ...terms }
  const { resource, hold, created, saved, webhook } = await authorizedBooking(
    api,
    database.db,
    stripe,
    config,
    START.toISOString(),
  )
  expect(hold.status).toBe(201)
  expect(created.status).toBe(201)
  expect(webhook.status).toBe(200)
  expect(await row(saved.ref)).toMatchObject({ status: 'confirmed', amountCaptured: PRICE })
  return {
    ref: saved.ref,
    id: saved.id,
    intentId: saved.paymentIntentId!,
    resourceId: resource.id,
    manageToken: created.body.manageToken,
  }
}

type Paid = Awaited<ReturnType<typeof paidBooking>>

async function guestMove(api: Api, booking: Paid, to: number) {
  const session = newSession()
  const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
    session,
    body: { resourceId: booking.resourceId, start: new Date(to).toISOString() },
  })
  expect(hold.status).toBe(201)
  return api.call<{ booking: PublicBooking } & ErrorBody>('POST', `/v1/bookings/${booking.ref}/reschedule`, {
    session,
    token: booking.manageToken,
    body: { holdId: hold.body.hold.id },
  })
}

const ownerMove = (api: Api, booking: Paid, to: number) =>
  api.admin<{ booking: AdminBooking } & ErrorBody>('POST', `/bookings/${booking.id}/reschedule`, {
    start: new Date(to).toISOString(),
  })

const guestCancel = (api: Api, booking: Paid) =>
  api.call<{ booking: PublicBooking } & ErrorBody>('POST', `/v1/bookings/${booking.ref}/cancel`, {
    token: booking.manageToken,
  })

/** The refund amounts Stripe was asked for on this booking's intent. */
const refundsAtStripe = (booking: Paid) =>
  stripe.requests
    .filter((q) => q.path === '/v1/refunds' && q.form.payment_intent === booking.intentId)
    .map((q) => Number(q.form.amount))

/** What Stripe was asked to give back for this booking in total. */
const refundedAtStripe = (booking: Paid) => refundsAtStripe(booking).reduce((sum, amount) => sum + amount, 0)

// Hours before the original start at the moment of the move, ±1 s around each rung; the
// cancel comes right after the move, when the new start is days away (the policy alone
// would give 100 %).
const boundaries: Array<[label: string, beforeStart: number, refund: number]> = [
  ['24 h + 1 s (free)', 24 * HOUR + SECOND, PRICE],
  ['exactly 24 h (free)', 24 * HOUR, PRICE],
  ['24 h − 1 s (50 %)', 24 * HOUR - SECOND, PRICE / 2],
  ['12 h + 1 s (50 %)', 12 * HOUR + SECOND, PRICE / 2],
  ['exactly 12 h (50 %)', 12 * HOUR, PRICE / 2],
  ['12 h − 1 s (0 %)', 12 * HOUR - SECOND, 0],
  ['2 h + 1 s (0 %)', 2 * HOUR + SECOND, 0],
  ['exactly 2 h (0 %)', 2 * HOUR, 0],
]

describe('a guest who moves and then cancels gets no more than at the moment of the move', () => {
  it('the reported case: moved days ahead from inside the 50 % tier, then cancelled → Stripe refunds 50 %, not 100 %', async () => {
    const api = setup()
    const booking = await paidBooking(api)
    api.clock.set(START.getTime() - 13 * HOUR)
    expect((await guestMove(api, booking, LATER)).status).toBe(200)
    const res = await guestCancel(api, booking)
    expect(res.status).toBe(200)
    expect(res.body.booking.refund).toMatchObject({
      amount: PRICE / 2,
      percent: 50,
      tier: 'partial_refund',
      state: 'done',
    })
    expect(refundsAtStripe(booking)).toEqual([PRICE / 2])
    expect(await row(booking.ref)).toMatchObject({ amountRefunded: PRICE / 2, refundCeilingPercent: 50 })
  })

  it.each(boundaries)('guest move at %s before the start, then cancel', async (_label, beforeStart, refund) => {
    const api = setup()
    const booking = await paidBooking(api)
    api.clock.set(START.getTime() - beforeStart)
    expect((await guestMove(api, booking, LATER)).status).toBe(200)
    const res = await guestCancel(api, booking)
    expect(res.status).toBe(200)
    expect(res.body.booking.refund).toMatchObject({ amount: refund, percent: (refund / PRICE) * 100 })
    expect(refundedAtStripe(booking)).toBe(refund)
    expect(await row(booking.ref)).toMatchObject({ status: 'cancelled', amountRefunded: refund })
  })

  it('2 h − 1 s before the start the guest can no longer move (nor cancel) online; nothing changes', async () => {
    const api = setup()
    const booking = await paidBooking(api)
    api.clock.set(START.getTime() - 2 * HOUR + SECOND)
    const moved = await guestMove(api, booking, LATER)
    // The move closes at the ladder's cut-off (no reschedule notice set), with its own code.
    expect([moved.status, moved.body.error.code]).toEqual([422, 'reschedule_closed'])
    expect(await row(booking.ref)).toMatchObject({ startsAt: START, refundCeilingPercent: null, status: 'confirmed' })
    const cancelled = await guestCancel(api, booking)
    expect([cancelled.status, cancelled.body.error.code]).toEqual([422, 'cancellation_closed'])
    expect(refundsAtStripe(booking)).toEqual([])
  })

  it('the policy at cancel time still applies under the ceiling: the lower of the two wins', async () => {
    const api = setup()
    const booking = await paidBooking(api)
    api.clock.set(START.getTime() - 13 * HOUR) // ceiling 50 %
    expect((await guestMove(api, booking, LATER)).status).toBe(200)
    api.clock.set(LATER - 5 * HOUR) // the new time's 0 % tier
    const res = await guestCancel(api, booking)
    expect(res.body.booking.refund).toMatchObject({ amount: 0, percent: 0, tier: 'no_refund' })
    expect(refundsAtStripe(booking)).toEqual([])
  })

  it('the ceiling only ever goes down: a later move in the new time’s free tier keeps it, one in a lower tier lowers it', async () => {
    const api = setup()
    const booking = await paidBooking(api)
    api.clock.set(START.getTime() - 13 * HOUR) // ceiling 50 %
    expect((await guestMove(api, booking, LATER)).status).toBe(200)
    api.clock.set(LATER - 48 * HOUR) // the free tier of the new time
    expect((await guestMove(api, booking, LATER + 86_400_000)).status).toBe(200)
    expect(await row(booking.ref)).toMatchObject({ refundCeilingPercent: 50 })
    api.clock.set(LATER + 86_400_000 - 5 * HOUR) // the 0 % tier of the newest time
    expect((await guestMove(api, booking, LATER + 3 * 86_400_000)).status).toBe(200)
    expect(await row(booking.ref)).toMatchObject({ refundCeilingPercent: 0 })
    const res = await guestCancel(api, booking)
    expect(res.body.booking.refund).toMatchObject({ amount: 0, percent: 0 })
    expect(refundsAtStripe(booking)).toEqual([])
  })

  it('a move in the free tier leaves no ceiling: the cancel is refunded in full', async () => {
    const api = setup()
    const booking = await paidBooking(api)
    api.clock.set(START.getTime() - 30 * HOUR)
    expect((await guestMove(api, booking, LATER)).status).toBe(200)
    expect(await row(booking.ref)).toMatchObject({ refundCeilingPercent: null })
    expect((await guestCancel(api, booking)).body.booking.refund).toMatchObject({
      amount: PRICE,
      percent: 100,
      tier: 'full_refund',
    })
    expect(refundsAtStripe(booking)).toEqual([PRICE])
  })
})

describe('the cancel after a move, at every tier boundary of the new time ±1 s: the lower of ceiling and ladder', () => {
  // Moved 13 h before the original start (ceiling 50 %), then cancelled this long before the new start.
  it.each([
    ['24 h + 1 s (ladder 100 %, ceiling 50 %)', 24 * HOUR + SECOND, PRICE / 2],
    ['exactly 24 h (ladder 100 %)', 24 * HOUR, PRICE / 2],
    ['24 h − 1 s (ladder 50 %)', 24 * HOUR - SECOND, PRICE / 2],
    ['12 h + 1 s (ladder 50 %)', 12 * HOUR + SECOND, PRICE / 2],
    ['exactly 12 h (ladder 50 %)', 12 * HOUR, PRICE / 2],
    ['12 h − 1 s (ladder 0 %)', 12 * HOUR - SECOND, 0],
    ['2 h + 1 s (ladder 0 %)', 2 * HOUR + SECOND, 0],
    ['exactly 2 h (ladder 0 %)', 2 * HOUR, 0],
  ])('cancelled %s before the new start', async (_label, beforeNewStart, refund) => {
    const api = setup()
    const booking = await paidBooking(api)
    api.clock.set(START.getTime() - 13 * HOUR)
    expect((await guestMove(api, booking, LATER)).status).toBe(200)
    api.clock.set(LATER - beforeNewStart)
    const res = await guestCancel(api, booking)
    expect(res.status).toBe(200)
    expect(res.body.booking.refund).toMatchObject({ amount: refund, percent: (refund / PRICE) * 100 })
    expect(refundedAtStripe(booking)).toBe(refund)
  })

  it('2 h − 1 s before the new start the cancel is closed: Stripe is asked for nothing', async () => {
    const api = setup()
    const booking = await paidBooking(api)
    api.clock.set(START.getTime() - 13 * HOUR)
    expect((await guestMove(api, booking, LATER)).status).toBe(200)
    api.clock.set(LATER - 2 * HOUR + SECOND)
    const res = await guestCancel(api, booking)
    expect([res.status, res.body.error.code]).toEqual([422, 'cancellation_closed'])
    expect(refundsAtStripe(booking)).toEqual([])
  })
})

describe('the minimum notices and the refund', () => {
  // No ladder: a guest who may cancel gets everything back, but not within 48 h; moves stay open until 6 h.
  const notices = { minCancelNoticeHours: 48, minRescheduleNoticeHours: 6 }

  it.each([
    ['48 h + 1 s before (cancelling still open): no ceiling, all back', 48 * HOUR + SECOND, PRICE],
    ['exactly 48 h before: all back', 48 * HOUR, PRICE],
    ['48 h − 1 s before (cancelling closed, moving open): nothing back', 48 * HOUR - SECOND, 0],
    ['6 h + 1 s before: nothing back', 6 * HOUR + SECOND, 0],
  ])('a move made %s, then a cancel days ahead of the new time', async (_label, beforeStart, refund) => {
    const api = setup()
    const booking = await paidBooking(api, notices)
    api.clock.set(START.getTime() - beforeStart)
    expect((await guestMove(api, booking, LATER)).status).toBe(200)
    const res = await guestCancel(api, booking)
    expect(res.status).toBe(200)
    expect(res.body.booking.refund).toMatchObject({ amount: refund })
    expect(refundedAtStripe(booking)).toBe(refund)
  })

  it('6 h − 1 s before, the move itself is closed (reschedule_closed) and nothing changes', async () => {
    const api = setup()
    const booking = await paidBooking(api, notices)
    api.clock.set(START.getTime() - 6 * HOUR + SECOND)
    const moved = await guestMove(api, booking, LATER)
    expect([moved.status, moved.body.error.code]).toEqual([422, 'reschedule_closed'])
    expect(await row(booking.ref)).toMatchObject({ startsAt: START, refundCeilingPercent: null })
  })
})

describe('the owner’s move follows the same rule', () => {
  it.each([
    ...boundaries,
    // The owner may move after the online cut-off: that is the ladder's bottom rung, 0 %.
    ['2 h − 1 s (closed online)', 2 * HOUR - SECOND, 0] as [string, number, number],
  ])('owner move at %s before the start, then the guest cancels', async (_label, beforeStart, refund) => {
    const api = setup()
    const booking = await paidBooking(api)
    api.clock.set(START.getTime() - beforeStart)
    expect((await ownerMove(api, booking, LATER)).status).toBe(200)
    const res = await guestCancel(api, booking)
    expect(res.status).toBe(200)
    expect(res.body.booking.refund).toMatchObject({ amount: refund })
    expect(refundedAtStripe(booking)).toBe(refund)
  })

  it('the owner’s cancel by the policy is capped too; an explicit refundPercent still wins', async () => {
    const api = setup()
    const byPolicy = await paidBooking(api)
    const generous = await paidBooking(api)
    api.clock.set(START.getTime() - 13 * HOUR)
    expect((await guestMove(api, byPolicy, LATER)).status).toBe(200)
    expect((await ownerMove(api, generous, LATER)).status).toBe(200)

    const capped = await api.admin<{ booking: AdminBooking }>('POST', `/bookings/${byPolicy.id}/cancel`, {})
    expect(capped.body.booking.refund).toMatchObject({ amount: PRICE / 2, percent: 50, tier: 'partial_refund' })
    expect(refundsAtStripe(byPolicy)).toEqual([PRICE / 2])

    const override = await api.admin<{ booking: AdminBooking }>('POST', `/bookings/${generous.id}/cancel`, {
      refundPercent: 100,
    })
    expect(override.body.booking.refund).toMatchObject({ amount: PRICE, percent: 100, tier: 'owner_override' })
    expect(refundsAtStripe(generous)).toEqual([PRICE])
  })
})

describe('the cancellation previews state the capped figure', () => {
  it('guest manage view and owner view both show 50 % after a move made in the 50 % tier, and the cancel matches', async () => {
    const api = setup()
    const booking = await paidBooking(api)
    api.clock.set(START.getTime() - 13 * HOUR)
    expect((await guestMove(api, booking, LATER)).status).toBe(200)
    const expected = { allowed: true, percent: 50, refund: { amount: PRICE / 2, currency: 'EUR' } }
    const guestView = await api.call<{ booking: PublicBooking }>('GET', `/v1/bookings/${booking.ref}`, {
      token: booking.manageToken,
    })
    expect(guestView.body.booking.cancellation).toEqual(expected)
    const ownerView = await api.admin<{ booking: AdminBooking }>('GET', `/bookings/${booking.id}`)
    expect(ownerView.body.booking.cancellation).toEqual(expected)
    await guestCancel(api, booking)
    expect(refundsAtStripe(booking)).toEqual([PRICE / 2])
  })
})
