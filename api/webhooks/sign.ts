import { WEBHOOK_SIGNATURE_HEADER } from '../../shared/webhook-events'

const encoder = new TextEncoder()

/** `whsec_` and 32 random bytes, base64url: what an endpoint's deliveries are signed with. */
export function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  return `whsec_${btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')}`
}

/** Hex HMAC-SHA256 of `t.body` under the secret (Web Crypto, so the edge signs the same way). */
export async function webhookSignature(secret: string, timestamp: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(`${timestamp}.${body}`)))
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** The `Booking-Signature` header for a body sent at `nowMs`. */
export async function signatureHeader(secret: string, nowMs: number, body: string): Promise<[string, string]> {
  const t = Math.floor(nowMs / 1000)
  return [WEBHOOK_SIGNATURE_HEADER, `t=${t},v1=${await webhookSignature(secret, t, body)}`]
}
