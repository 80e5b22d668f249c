import Stripe from 'stripe'
import { PaymentProviderError, WebhookSignatureError, type IntentState, type PaymentGateway } from './gateway'

export interface StripeGatewayOptions {
  secretKey: string
  publishableKey: string
  webhookSecret: string
  /** Another API host (a local server in Stripe's shape, in tests). */
  apiBase?: string | undefined
}

/** Signatures older than this are refused, so a captured webhook cannot be replayed later. */
const WEBHOOK_TOLERANCE_SEC = 300

/**
 * Stripe through its official SDK. The fetch HTTP client and SubtleCrypto verification
 * keep it runnable on edge runtimes as well as Node.
 */
export function createStripeGateway(options: StripeGatewayOptions): PaymentGateway {
  const base = options.apiBase ? new URL(options.apiBase) : undefined
  const stripe = new Stripe(options.secretKey, {
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 2,
    timeout: 10_000,
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
          protocol: base.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  })
  const crypto = Stripe.createSubtleCryptoProvider()

  const call = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run()
    } catch (error) {
      const e = error as { message?: string; statusCode?: number; code?: string }
      throw new PaymentProviderError(`Stripe ${what}: ${e.message ?? String(error)}`, e.statusCode, e.code, {
        cause: error,
      })
    }
  }
  const read = (id: string) =>
    call('retrieve', () => stripe.paymentIntents.retrieve(id, { expand: ['latest_charge'] })).then(toIntentState)

  return {
    publishableKey: options.publishableKey,

    createIntent: async (input) =>
      toIntentState(
        await call('create', () =>
          stripe.paymentIntents.create(
            {
              amount: input.amount,
              currency: input.currency.toLowerCase(),
              capture_method: 'manual',
              automatic_payment_methods: { enabled: true },
              description: input.description,
              metadata: { booking_id: input.bookingId, resource_id: input.resourceId, ref: input.ref },
            },
            { idempotencyKey: `pi-create:${input.bookingId}` },
          ),
        ),
      ),

    getIntent: read,

    capture: async (id, amount, idempotencyKey) => {
      await call('capture', () => stripe.paymentIntents.capture(id, { amount_to_capture: amount }, { idempotencyKey }))
      return read(id)
    },

    cancel: async (id, idempotencyKey) => {
      await call('cancel', () => stripe.paymentIntents.cancel(id, {}, { idempotencyKey }))
      return read(id)
    },

    refund: async (intentId, amount, idempotencyKey) => {
      const refund = await call('refund', () =>
        stripe.refunds.create({ payment_intent: intentId, amount }, { idempotencyKey }),
      )
      return { id: refund.id, amount: refund.amount }
    },

    parseWebhook: async (rawBody, signature) => {
      if (!signature) throw new WebhookSignatureError('missing Stripe-Signature header')
      let event: Stripe.Event
      try {
        event = await stripe.webhooks.constructEventAsync(
          rawBody,
          signature,
          options.webhookSecret,
          WEBHOOK_TOLERANCE_SEC,
          crypto,
        )
      } catch (error) {
        throw new WebhookSignatureError(error instanceof Error ? error.message : String(error), { cause: error })
      }
      const object = event.data.object as {
        object?: string
        id?: string
        payment_intent?: string | { id: string } | null
      }
      const intentId =
        object.object === 'payment_intent'
          ? object.id
          : typeof object.payment_intent === 'string'
            ? object.payment_intent
            : (object.payment_intent?.id ?? undefined)
      return { id: event.id, type: event.type, intentId }
    },
  }
}

function toIntentState(intent: Stripe.PaymentIntent): IntentState {
  const charge =
    typeof intent.latest_charge === 'object' && intent.latest_charge !== null ? intent.latest_charge : undefined
  const captureBefore = charge?.payment_method_details?.card?.capture_before
  return {
    id: intent.id,
    status: intent.status as IntentState['status'],
    amount: intent.amount,
    currency: intent.currency.toUpperCase(),
    amountCapturable: intent.amount_capturable,
    amountReceived: intent.amount_received,
    amountRefunded: charge?.amount_refunded ?? 0,
    captureBefore: captureBefore ? captureBefore * 1000 : undefined,
    bookingId: intent.metadata?.booking_id,
    clientSecret: intent.client_secret ?? undefined,
  }
}
