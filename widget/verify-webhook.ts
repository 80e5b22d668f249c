import type { WebhookEventBody } from '../shared/api-contract'

/** Why a webhook request was refused: no usable signature header, no signature that matches, or too old. */
export type WebhookVerificationErrorCode = 'missing_signature' | 'invalid_signature' | 'timestamp_out_of_range'

export class WebhookVerificationError extends Error {
  constructor(
    readonly code: WebhookVerificationErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'WebhookVerificationError'
  }
}

export interface VerifyWebhookOptions {
  /** How far the signature's time may be from now, in seconds (default 300): an old request replayed is refused. */
  toleranceSec?: number
  /** Now, in milliseconds (tests); `Date.now()` otherwise. */
  now?: number
}

const encoder = new TextEncoder()

/**
 * Checks a webhook request from the booking API and returns its event. Pass the body
 * exactly as received (the raw text, before any JSON parsing), the `Booking-Signature`
 * header and the endpoint's secret (`whsec_…`). Throws a `WebhookVerificationError` when
 * the signature is missing or wrong or its time is outside the tolerance; answer those
 * with a 400 and anything else with a 2xx. While a secret is being rotated the header may
 * carry several `v1=` values: any one that matches is enough. Web Crypto only, so it runs
 * on Node 20+, Deno, Bun, Workers and in browsers alike.
 *
 * @example
 * import { verifyWebhook } from '@booking-embed/sdk/webhooks'
 *
 * const event = await verifyWebhook(rawBody, req.headers['booking-signature'], process.env.BOOKING_WEBHOOK_SECRET)
 * if (event.type === 'booking.created') console.log(event.data.booking.ref, event.sequence)
 */
export async function verifyWebhook(
  body: string,
  header: string | null | undefined,
  secret: string,
  options: VerifyWebhookOptions = {},
): Promise<WebhookEventBody> {
  if (typeof body !== 'string')
    throw new TypeError(`verifyWebhook: expected the raw body as a string, received ${typeof body}`)
  if (typeof secret !== 'string' || secret === '')
    throw new TypeError('verifyWebhook: expected the endpoint secret (whsec_…), received none')
  const { timestamp, signatures } = parseHeader(header ?? '')
  if (timestamp === undefined || signatures.length === 0)
    throw new WebhookVerificationError('missing_signature', 'No Booking-Signature header with t= and v1= was sent.')
  const tolerance = options.toleranceSec ?? 300
  const nowSec = Math.floor((options.now ?? Date.now()) / 1000)
  if (Math.abs(nowSec - timestamp) > tolerance)
    throw new WebhookVerificationError(
      'timestamp_out_of_range',
      `The signature's time is ${nowSec - timestamp} s from now (at most ${tolerance} s allowed).`,
    )
  const expected = await hmacHex(secret, `${timestamp}.${body}`)
  // Every candidate is compared in full, so the time taken tells nothing about a near miss.
  let matched = false
  for (const candidate of signatures) if (equalInTime(candidate, expected)) matched = true
  if (!matched) throw new WebhookVerificationError('invalid_signature', 'The signature does not match the body.')
  return JSON.parse(body) as WebhookEventBody
}

function parseHeader(header: string): { timestamp: number | undefined; signatures: string[] } {
  let timestamp: number | undefined
  const signatures: string[] = []
  for (const part of header.split(',')) {
    const at = part.indexOf('=')
    if (at < 0) continue
    const key = part.slice(0, at).trim()
    const value = part.slice(at + 1).trim()
    if (key === 't' && /^\d+$/.test(value)) timestamp = Number(value)
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase())
  }
  return { timestamp, signatures }
}

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message)))
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('')
}

function equalInTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}
