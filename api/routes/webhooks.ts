import { Hono } from 'hono'
import { BookingError } from '../../shared/errors'
import type { AppEnv } from '../app-env'
import { syncPayment } from '../bookings/lifecycle'
import { isEventProcessed, markEventProcessed } from '../payments/booking-payments'
import { PaymentProviderError, WebhookSignatureError, type PaymentEvent } from '../payments/gateway'
import type { Logger } from '../logger'

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
  // An intent this server never made (another integration on the account, a deleted one)
  // is acknowledged with a log line naming the event: anything but 2xx, Stripe retries for days.
  if (HANDLED.has(event.type) && event.intentId) {
    try {
      await syncPayment({ db, payments, clock, logger: aboutEvent(logger, event), outbox }, event.intentId)
    } catch (error) {
      // Stripe down or slow is an outage on its side, not a bug on ours: 503, and Stripe retries.
      if (error instanceof PaymentProviderError && (error.status === undefined || error.status >= 500)) {
        throw new BookingError(
          'unavailable',
          'The payment provider could not be reached; please retry.',
          { retryAfterSec: 60 },
          { cause: error },
        )
      }
      throw error
    }
  }
  // Recorded after the effect: a crash in between means Stripe retries, and the effect is idempotent.
  await markEventProcessed(db, event.id, event.type, clock.now())
  return c.json({ received: true })
})

/** The logger with the event's id and type on every line, so a log line leads back to the event in Stripe. */
function aboutEvent(logger: Logger, event: PaymentEvent): Logger {
  const fields = { eventId: event.id, eventType: event.type }
  return {
    info: (message, extra) => logger.info(message, { ...extra, ...fields }),
    error: (message, extra) => logger.error(message, { ...extra, ...fields }),
  }
}
