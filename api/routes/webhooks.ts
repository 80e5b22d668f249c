import { Hono } from 'hono'
import { BookingError } from '../../shared/errors'
import type { AppEnv } from '../app-env'
import { isEventProcessed, markEventProcessed, syncIntent } from '../payments/booking-payments'
import { WebhookSignatureError } from '../payments/gateway'

/** The events that can change a booking; others are acknowledged and ignored. */
const HANDLED = new Set([
  'payment_intent.amount_capturable_updated',
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'charge.refunded',
])

/**
 * Stripe's webhook. The signature is checked on the raw body (300 s tolerance); each event
 * id takes effect once; the PaymentIntent is re-read before acting, since events come out
 * of order and more than once — the event only says which intent to look at.
 *
 * @example
 * POST /v1/webhooks/stripe  Stripe-Signature: t=…,v1=…   {"id":"evt_…","type":"payment_intent.amount_capturable_updated",…}
 * → 200 {"received":true}
 */
export const webhookRoutes = new Hono<AppEnv>().post('/stripe', async (c) => {
  const { db, payments, clock, logger, outbox } = c.var.deps
  if (!payments) throw new BookingError('not_found', 'Payments are not set up on this server.')
  const raw = await c.req.text()
  let event
  try {
    event = await payments.parseWebhook(raw, c.req.header('stripe-signature'))
  } catch (error) {
    if (error instanceof WebhookSignatureError) {
      throw new BookingError('invalid_request', 'The webhook signature does not verify.', undefined, { cause: error })
    }
    throw error
  }
  if (await isEventProcessed(db, event.id)) return c.json({ received: true, duplicate: true })
  if (HANDLED.has(event.type) && event.intentId) await syncIntent({ db, payments, clock, logger, outbox }, event.intentId)
  // Recorded after the effect: a crash in between means Stripe retries, and the effect is idempotent.
  await markEventProcessed(db, event.id, event.type, clock.now())
  return c.json({ received: true })
})
