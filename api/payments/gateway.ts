/**
 * The payment provider behind a small interface, so the booking code never sees Stripe's
 * SDK and tests can drive it with a local server in the provider's shape. Amounts are
 * integer minor units; currencies are upper-case ISO codes.
 */
export interface PaymentGateway {
  /** For the widget's card form. */
  readonly publishableKey: string
  /** A manual-capture intent for a booking; the same booking always gets the same intent. */
  createIntent(input: NewIntent): Promise<IntentState>
  /** The provider's current view: events arrive late and twice, this is what we act on. */
  getIntent(id: string): Promise<IntentState>
  /** Takes `amount` of an authorization (all of it, or a part: the rest is released). */
  capture(id: string, amount: number, idempotencyKey: string): Promise<IntentState>
  /** Releases an authorization, or stops an unpaid intent from being paid later. */
  cancel(id: string, idempotencyKey: string): Promise<IntentState>
  /** Gives back part or all of a captured payment. */
  refund(intentId: string, amount: number, idempotencyKey: string): Promise<{ id: string; amount: number }>
  /** Verifies a webhook's signature on the raw body; throws `WebhookSignatureError`. */
  parseWebhook(rawBody: string, signature: string | undefined): Promise<PaymentEvent>
}

export interface NewIntent {
  bookingId: string
  resourceId: string
  ref: string
  amount: number
  currency: string
  description: string
}

export type IntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'canceled'
  | 'succeeded'

export interface IntentState {
  id: string
  status: IntentStatus
  amount: number
  currency: string
  /** Authorized and not yet captured. */
  amountCapturable: number
  /** Captured. */
  amountReceived: number
  /** Refunded of the captured amount, wherever the refund was made. */
  amountRefunded: number
  /** When the card authorization lapses (epoch ms), once there is one. */
  captureBefore: number | undefined
  /** Our booking id, from the intent's metadata. */
  bookingId: string | undefined
  clientSecret: string | undefined
}

export interface PaymentEvent {
  id: string
  type: string
  /** The intent the event is about (for charge events, the charge's intent). */
  intentId: string | undefined
}

/** A webhook whose signature does not verify (tampered, stale, or signed with another secret). */
export class WebhookSignatureError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'WebhookSignatureError'
  }
}

/** The provider refused or could not be reached; `code` is the provider's, when it sent one. */
export class PaymentProviderError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = 'PaymentProviderError'
  }
}
