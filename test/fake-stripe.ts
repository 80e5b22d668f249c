import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Stripe from 'stripe'

/**
 * A local HTTP server in the shape of Stripe's API, for the endpoints the app uses:
 * form-encoded requests, `Idempotency-Key` replays, PaymentIntents with manual capture,
 * refunds and charges. It keeps state like Stripe does (an authorization, then a full or
 * partial capture, then refunds up to what was captured), records every request, and
 * signs webhook events with the SDK's own test helper.
 */
export interface FakeStripe {
  url: string
  requests: RecordedRequest[]
  /** The card step a guest does in the browser: the intent becomes `requires_capture`. */
  authorize(intentId: string, options?: { captureBefore?: number }): FakeIntent
  /** The guest's card is declined. */
  fail(intentId: string): FakeIntent
  /** A refund made in Stripe's dashboard, outside the app. */
  refundOutside(intentId: string, amount: number): FakeCharge
  intent(id: string): FakeIntent
  /** Makes the next `count` requests to paths matching `pattern` answer 500. */
  failNext(pattern: RegExp, count?: number): void
  /** A signed webhook body and header for `type` about the intent (or its charge). */
  signedEvent(
    type: string,
    intentId: string,
    options?: { id?: string; timestamp?: number; secret?: string },
  ): { body: string; signature: string; id: string }
  close(): Promise<void>
}

export interface RecordedRequest {
  method: string
  path: string
  form: Record<string, string>
  idempotencyKey: string | undefined
  authorization: string | undefined
}

export interface FakeCharge {
  id: string
  object: 'charge'
  amount: number
  amount_captured: number
  amount_refunded: number
  refunded: boolean
  payment_intent: string
  payment_method_details: { type: 'card'; card: { capture_before: number } }
}

export interface FakeIntent {
  id: string
  object: 'payment_intent'
  amount: number
  currency: string
  status: string
  capture_method: string
  amount_capturable: number
  amount_received: number
  client_secret: string
  description: string | null
  metadata: Record<string, string>
  latest_charge: string | null
  created: number
  livemode: false
}

export const FAKE_WEBHOOK_SECRET = 'whsec_test_fake_stripe_secret'

export async function startFakeStripe(): Promise<FakeStripe> {
  const intents = new Map<string, FakeIntent>()
  const charges = new Map<string, FakeCharge>()
  const replays = new Map<string, { status: number; body: unknown }>()
  const requests: RecordedRequest[] = []
  const failures: { pattern: RegExp; left: number }[] = []
  const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`

  const error = (status: number, message: string, code?: string) => ({
    status,
    body: { error: { type: 'invalid_request_error', message, ...(code ? { code } : {}) } },
  })
  const find = (intentId: string) => {
    const intent = intents.get(intentId)
    if (!intent)
      throw Object.assign(new Error(`No such payment_intent: '${intentId}'`), { status: 404, code: 'resource_missing' })
    return intent
  }
  const view = (intent: FakeIntent, form: Record<string, string>) => {
    const expand = Object.entries(form).some(([k, v]) => k.startsWith('expand') && v === 'latest_charge')
    return expand && intent.latest_charge ? { ...intent, latest_charge: charges.get(intent.latest_charge) } : intent
  }

  function handle(method: string, path: string, form: Record<string, string>): { status: number; body: unknown } {
    let match: RegExpMatchArray | null
    if (method === 'POST' && path === '/v1/payment_intents') {
      const amount = Number(form.amount)
      if (!Number.isInteger(amount) || amount < 1)
        return error(400, 'Invalid integer: amount', 'parameter_invalid_integer')
      const intentId = id('pi')
      const metadata = Object.fromEntries(
        Object.entries(form)
          .filter(([k]) => k.startsWith('metadata['))
          .map(([k, v]) => [k.slice(9, -1), v]),
      )
      const intent: FakeIntent = {
        id: intentId,
        object: 'payment_intent',
        amount,
        currency: form.currency ?? 'eur',
        status: 'requires_payment_method',
        capture_method: form.capture_method ?? 'automatic',
        amount_capturable: 0,
        amount_received: 0,
        client_secret: `${intentId}_secret_${randomBytes(8).toString('hex')}`,
        description: form.description ?? null,
        metadata,
        latest_charge: null,
        created: Math.floor(Date.now() / 1000),
        livemode: false,
      }
      intents.set(intentId, intent)
      return { status: 200, body: intent }
    }
    if ((match = path.match(/^\/v1\/payment_intents\/([^/]+)$/)) && method === 'GET') {
      return { status: 200, body: view(find(match[1]!), form) }
    }
    if ((match = path.match(/^\/v1\/payment_intents\/([^/]+)\/capture$/)) && method === 'POST') {
      const intent = find(match[1]!)
      if (intent.status !== 'requires_capture') {
        return error(
          400,
          `This PaymentIntent could not be captured because it has a status of ${intent.status}.`,
          'payment_intent_unexpected_state',
        )
      }
      const amount = form.amount_to_capture !== undefined ? Number(form.amount_to_capture) : intent.amount_capturable
      if (!Number.isInteger(amount) || amount < 0 || amount > intent.amount_capturable) {
        return error(400, 'amount_to_capture must be at most the amount capturable', 'amount_too_large')
      }
      intent.amount_received = amount
      intent.amount_capturable = 0
      intent.status = 'succeeded'
      const charge = charges.get(intent.latest_charge!)!
      charge.amount_captured = amount
      return { status: 200, body: intent }
    }
    if ((match = path.match(/^\/v1\/payment_intents\/([^/]+)\/cancel$/)) && method === 'POST') {
      const intent = find(match[1]!)
      if (intent.status === 'succeeded' || intent.status === 'canceled') {
        return error(
          400,
          `You cannot cancel this PaymentIntent because it has a status of ${intent.status}.`,
          'payment_intent_unexpected_state',
        )
      }
      intent.status = 'canceled'
      intent.amount_capturable = 0
      return { status: 200, body: intent }
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const intent = find(form.payment_intent ?? '')
      const charge = intent.latest_charge ? charges.get(intent.latest_charge) : undefined
      if (!charge || intent.status !== 'succeeded')
        return error(400, 'This PaymentIntent has no captured charge to refund.', 'charge_not_captured')
      const amount = form.amount !== undefined ? Number(form.amount) : charge.amount_captured - charge.amount_refunded
      if (!Number.isInteger(amount) || amount < 1 || charge.amount_refunded + amount > charge.amount_captured) {
        return error(400, `Refund amount (${amount}) is greater than unrefunded amount on charge`, 'amount_too_large')
      }
      charge.amount_refunded += amount
      charge.refunded = charge.amount_refunded === charge.amount_captured
      return {
        status: 200,
        body: {
          id: id('re'),
          object: 'refund',
          amount,
          payment_intent: intent.id,
          charge: charge.id,
          status: 'succeeded',
        },
      }
    }
    if ((match = path.match(/^\/v1\/charges\/([^/]+)$/)) && method === 'GET') {
      const charge = charges.get(match[1]!)
      return charge ? { status: 200, body: charge } : error(404, 'No such charge', 'resource_missing')
    }
    return error(404, `Unrecognized request URL (${method}: ${path})`)
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const raw = req.method === 'GET' ? url.searchParams.toString() : Buffer.concat(chunks).toString('utf8')
      const form = Object.fromEntries(new URLSearchParams(raw))
      const idempotencyKey = req.headers['idempotency-key'] as string | undefined
      requests.push({
        method: req.method ?? '',
        path: url.pathname,
        form,
        idempotencyKey,
        authorization: req.headers.authorization,
      })
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': id('req') })
        res.end(JSON.stringify(body))
      }
      const failure = failures.find((f) => f.left > 0 && f.pattern.test(url.pathname))
      if (failure) {
        failure.left--
        return send(500, { error: { type: 'api_error', message: 'An unknown error occurred' } })
      }
      // Stripe replays the first response for a key (on the same path) instead of acting again.
      const replayKey = idempotencyKey && req.method === 'POST' ? `${url.pathname}|${idempotencyKey}` : undefined
      const earlier = replayKey ? replays.get(replayKey) : undefined
      if (earlier) {
        res.setHeader('Idempotent-Replayed', 'true')
        return send(earlier.status, earlier.body)
      }
      let result: { status: number; body: unknown }
      try {
        result = handle(req.method ?? 'GET', url.pathname, form)
      } catch (e) {
        const err = e as { status?: number; code?: string; message: string }
        result = error(err.status ?? 500, err.message, err.code)
      }
      if (replayKey && result.status < 500) replays.set(replayKey, result)
      send(result.status, result.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url,
    requests,
    authorize(intentId, options = {}) {
      const intent = find(intentId)
      const charge: FakeCharge = {
        id: id('ch'),
        object: 'charge',
        amount: intent.amount,
        amount_captured: 0,
        amount_refunded: 0,
        refunded: false,
        payment_intent: intent.id,
        payment_method_details: {
          type: 'card',
          card: { capture_before: Math.floor((options.captureBefore ?? Date.now() + 7 * 86_400_000) / 1000) },
        },
      }
      charges.set(charge.id, charge)
      intent.latest_charge = charge.id
      intent.status = 'requires_capture'
      intent.amount_capturable = intent.amount
      return intent
    },
    fail(intentId) {
      const intent = find(intentId)
      intent.status = 'requires_payment_method'
      return intent
    },
    refundOutside(intentId, amount) {
      const intent = find(intentId)
      const charge = charges.get(intent.latest_charge ?? '')
      if (!charge) throw new Error('nothing captured to refund')
      charge.amount_refunded += amount
      charge.refunded = charge.amount_refunded === charge.amount_captured
      return charge
    },
    intent: find,
    failNext(pattern, count = 1) {
      failures.push({ pattern, left: count })
    },
    signedEvent(type, intentId, options = {}) {
      const intent = find(intentId)
      const object = type.startsWith('charge.') ? charges.get(intent.latest_charge ?? '') : intent
      const eventId = options.id ?? id('evt')
      const body = JSON.stringify({
        id: eventId,
        object: 'event',
        type,
        api_version: '2025-01-27',
        created: Math.floor(Date.now() / 1000),
        livemode: false,
        data: { object },
      })
      const signature = Stripe.webhooks.generateTestHeaderString({
        payload: body,
        secret: options.secret ?? FAKE_WEBHOOK_SECRET,
        ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
      })
      return { body, signature, id: eventId }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
