import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { FAKE_WEBHOOK_SECRET, startFakeStripe, type FakeStripe } from '../../test/fake-stripe'
import { PaymentProviderError, WebhookSignatureError, type PaymentGateway } from './gateway'
import { createStripeGateway } from './stripe-gateway'

/** The Stripe adapter through the official SDK against a local server in Stripe's API shape. */
describe('Stripe gateway', () => {
  let fake: FakeStripe
  let gateway: PaymentGateway
  const newIntent = (bookingId = crypto.randomUUID()) =>
    gateway.createIntent({
      bookingId,
      resourceId: 'res-1',
      ref: 'K7Q2XM3D',
      amount: 5000,
      currency: 'EUR',
      description: 'Meeting room, 30 min',
    })

  beforeAll(async () => {
    fake = await startFakeStripe()
    gateway = createStripeGateway({
      secretKey: 'sk_test_123',
      publishableKey: 'pk_test_123',
      webhookSecret: FAKE_WEBHOOK_SECRET,
      apiBase: fake.url,
    })
  })
  afterAll(() => fake.close())
  beforeEach(() => {
    fake.requests.length = 0
  })

  it('creates a manual-capture intent, form-encoded, with metadata and our idempotency key', async () => {
    const bookingId = crypto.randomUUID()
    const intent = await newIntent(bookingId)
    const [request] = fake.requests
    expect(request).toMatchObject({
      method: 'POST',
      path: '/v1/payment_intents',
      idempotencyKey: `pi-create:${bookingId}`,
      authorization: 'Bearer sk_test_123',
    })
    expect(request?.form).toMatchObject({
      amount: '5000',
      currency: 'eur',
      capture_method: 'manual',
      'metadata[booking_id]': bookingId,
      'metadata[resource_id]': 'res-1',
      'metadata[ref]': 'K7Q2XM3D',
    })
    expect(intent).toMatchObject({ status: 'requires_payment_method', amount: 5000, currency: 'EUR', bookingId })
    expect(intent.clientSecret).toMatch(/_secret_/)
    // The same booking asking again gets the same intent, not a second one.
    expect((await newIntent(bookingId)).id).toBe(intent.id)
  })

  it('reads the authorization and its capture_before, then captures part of it', async () => {
    const intent = await newIntent()
    const captureBefore = Date.parse('2026-12-01T10:00:00Z')
    fake.authorize(intent.id, { captureBefore })
    const authorized = await gateway.getIntent(intent.id)
    expect(authorized).toMatchObject({ status: 'requires_capture', amountCapturable: 5000, captureBefore })

    const captured = await gateway.capture(intent.id, 2500, 'capture:b1')
    expect(fake.requests.find((r) => r.path.endsWith('/capture'))).toMatchObject({
      form: { amount_to_capture: '2500' },
      idempotencyKey: 'capture:b1',
    })
    expect(captured).toMatchObject({ status: 'succeeded', amountReceived: 2500, amountCapturable: 0 })
  })

  it('refunds part of a captured payment, and the intent shows it', async () => {
    const intent = await newIntent()
    fake.authorize(intent.id)
    await gateway.capture(intent.id, 5000, 'capture:b2')
    const refund = await gateway.refund(intent.id, 2500, 'refund:b2:1')
    expect(refund.amount).toBe(2500)
    expect(fake.requests.find((r) => r.path === '/v1/refunds')).toMatchObject({
      form: { payment_intent: intent.id, amount: '2500' },
      idempotencyKey: 'refund:b2:1',
    })
    // A retry with the same key is a replay, not a second refund.
    await gateway.refund(intent.id, 2500, 'refund:b2:1')
    expect((await gateway.getIntent(intent.id)).amountRefunded).toBe(2500)
  })

  it('cancels an authorization, and reports Stripe’s refusal to cancel a captured intent', async () => {
    const intent = await newIntent()
    fake.authorize(intent.id)
    expect(await gateway.cancel(intent.id, 'cancel:b3')).toMatchObject({ status: 'canceled', amountCapturable: 0 })
    const paid = await newIntent()
    fake.authorize(paid.id)
    await gateway.capture(paid.id, 5000, 'capture:b4')
    const refused = await gateway.cancel(paid.id, 'cancel:b4').catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(PaymentProviderError)
    expect(refused).toMatchObject({ status: 400, code: 'payment_intent_unexpected_state' })
  })

  it('retries a provider error with the same idempotency key, then gives up with a typed error', async () => {
    fake.failNext(/^\/v1\/payment_intents$/, 1)
    const intent = await newIntent()
    const creates = fake.requests.filter((r) => r.path === '/v1/payment_intents')
    expect(creates).toHaveLength(2)
    expect(creates[0]?.idempotencyKey).toBe(creates[1]?.idempotencyKey)
    expect(intent.status).toBe('requires_payment_method')

    fake.failNext(/^\/v1\/payment_intents$/, 5)
    await expect(newIntent()).rejects.toBeInstanceOf(PaymentProviderError)
  })

  describe('webhooks', () => {
    it('verifies a signed event and names the intent it is about, for charge events too', async () => {
      const intent = await newIntent()
      fake.authorize(intent.id)
      const event = fake.signedEvent('payment_intent.amount_capturable_updated', intent.id)
      expect(await gateway.parseWebhook(event.body, event.signature)).toEqual({
        id: event.id,
        type: 'payment_intent.amount_capturable_updated',
        intentId: intent.id,
      })
      const refunded = fake.signedEvent('charge.refunded', intent.id)
      expect((await gateway.parseWebhook(refunded.body, refunded.signature)).intentId).toBe(intent.id)
    })

    it('refuses a tampered body, a missing signature, another secret and a stale timestamp', async () => {
      const intent = await newIntent()
      const event = fake.signedEvent('payment_intent.succeeded', intent.id)
      const refuse = (body: string, signature: string | undefined) =>
        expect(gateway.parseWebhook(body, signature)).rejects.toBeInstanceOf(WebhookSignatureError)
      await refuse(event.body.replace('"amount":5000', '"amount":1'), event.signature)
      await refuse(event.body, undefined)
      await refuse(event.body, '')
      const foreign = fake.signedEvent('payment_intent.succeeded', intent.id, { secret: 'whsec_someone_else' })
      await refuse(foreign.body, foreign.signature)
      const stale = fake.signedEvent('payment_intent.succeeded', intent.id, {
        timestamp: Math.floor(Date.now() / 1000) - 301,
      })
      await refuse(stale.body, stale.signature)
      // Inside the 300 s tolerance it still verifies.
      const late = fake.signedEvent('payment_intent.succeeded', intent.id, {
        timestamp: Math.floor(Date.now() / 1000) - 290,
      })
      expect((await gateway.parseWebhook(late.body, late.signature)).id).toBe(late.id)
    })
  })
})
