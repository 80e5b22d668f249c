import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AdminWebhookEndpointResponse, WebhookEventBody } from '../../shared/api-contract'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { FAKE_WEBHOOK_SECRET, startFakeStripe, type FakeStripe } from '../../test/fake-stripe'
import { createTestHoldBackend } from '../../test/holds'
import { paidBooking } from '../../test/paid-booking'
import { verifyWebhook } from '../../widget/verify-webhook'
import { createAdminKey } from '../admin/keys'
import { fixedClock } from '../clock'
import { silentLogger } from '../logger'
import { createStripeGateway } from '../payments/stripe-gateway'
import { deliverWebhooks } from './deliver-webhooks'
import { startLocalReceiver, type LocalReceiver } from './local-receiver'

/* Payment events, from a card paid through the local Stripe stand-in to the owner's refund. */

let database: TestDatabase
let stripe: FakeStripe
let receiver: LocalReceiver
let key: string
beforeAll(async () => {
  ;[database, stripe, receiver] = await Promise.all([createTestDatabase(), startFakeStripe(), startLocalReceiver()])
  key = (await createAdminKey(database.db, 'payment webhooks')).key
})
afterAll(async () => {
  await Promise.all([stripe?.close(), receiver?.close()])
  await database?.close()
})

const START = new Date(Date.now() + 5 * 86_400_000)
START.setUTCHours(10, 0, 0, 0)

describe('payment webhooks', () => {
  it('sends payment.authorized, payment.captured and booking.confirmed, then payment.refunded and booking.cancelled', async () => {
    // Real time (Stripe's signature tolerance), a minute ahead of the database that stamps the events.
    const clock = fixedClock(Date.now() + 60_000)
    const webhooks = { allowPrivate: true }
    const payments = createStripeGateway({
      secretKey: 'sk_test_hooks',
      publishableKey: 'pk_test_hooks',
      webhookSecret: FAKE_WEBHOOK_SECRET,
      apiBase: stripe.url,
    })
    const api = createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds, payments, webhooks })
    const made = await api.call<AdminWebhookEndpointResponse>('POST', '/v1/admin/webhooks', {
      token: key,
      body: {
        url: receiver.url,
        events: [
          'booking.confirmed',
          'booking.cancelled',
          'payment.authorized',
          'payment.captured',
          'payment.refunded',
        ],
      },
    })
    const secret = made.body.endpoint.secret!

    const { saved } = await paidBooking(
      api,
      database.db,
      stripe,
      { payment: 'full', price: { amount: 4200, currency: 'EUR' } },
      START.toISOString(),
    )
    const cancel = await api.call('POST', `/v1/admin/bookings/${saved.id}/cancel`, {
      token: key,
      body: { refundPercent: 100 },
    })
    expect(cancel.status).toBe(200)
    await deliverWebhooks({ db: database.db, clock, logger: silentLogger, webhooks })

    const events = await Promise.all(
      receiver.received.map((r) =>
        verifyWebhook(r.body, String(r.headers['booking-signature']), secret, { now: clock.now() }),
      ),
    )
    const types = events.map((e) => e.type)
    expect(types).toEqual(
      expect.arrayContaining([
        'payment.authorized',
        'payment.captured',
        'booking.confirmed',
        'payment.refunded',
        'booking.cancelled',
      ]),
    )
    expect(types).toHaveLength(5)
    // Sequences follow the commits: authorized before captured, refunded last but for the cancellation it came with.
    const seq = (type: string) => events.find((e) => e.type === type)!.sequence
    expect(seq('payment.authorized')).toBeLessThan(seq('payment.captured'))
    expect(seq('payment.captured')).toBeLessThan(seq('payment.refunded'))
    const refunded = events.find((e) => e.type === 'payment.refunded') as Extract<
      WebhookEventBody,
      { data: { booking: unknown } }
    >
    expect(refunded.data.booking.payment).toEqual({
      status: expect.any(String),
      amount: 4200,
      currency: expect.stringMatching(/^eur$/i),
      authorized: expect.any(Number),
      captured: 4200,
      refunded: 4200,
    })
    const authorized = events.find((e) => e.type === 'payment.authorized') as typeof refunded
    expect(authorized.data.booking.payment).toMatchObject({
      status: 'authorized',
      amount: 4200,
      captured: 0,
      refunded: 0,
    })
  })
})
