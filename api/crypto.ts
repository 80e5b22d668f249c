/**
 * Random tokens, digests and sealed secrets on WebCrypto, so they run on edge runtimes too.
 * Used for manage tokens (256 random bits, only the SHA-256 stored), admin keys, setup
 * tokens, the cron and metrics secrets, and the local CLI channel.
 */
const encoder = new TextEncoder()

export function randomToken(bytes = 32): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)))
}

export async function sha256Hex(value: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value)))
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** Equal-time comparison of two hex digests, so a wrong token leaks nothing through timing. */
export function digestsEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

/**
 * Why a token is sealed, and so which key seals it: under the raw Idempotency-Key (which
 * only the client knows; the database keeps its hash) for replays, or under APP_SECRET for
 * the links in messages the outbox sender sends later. Each purpose derives its own key.
 */
export type SealPurpose = 'replay' | 'message-links'

/** Encrypts the manage token under a key derived from `secret` for `purpose`. AES-GCM with a random IV. */
export async function sealToken(token: string, secret: string, purpose: SealPurpose = 'replay'): Promise<string> {
  const key = await deriveSealKey(secret, purpose)
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, encoder.encode(token)))
  return `${toBase64Url(iv)}.${toBase64Url(sealed)}`
}

export async function unsealToken(sealed: string, secret: string, purpose: SealPurpose = 'replay'): Promise<string> {
  const [iv, data] = sealed.split('.')
  if (!iv || !data) throw new Error('malformed sealed token')
  const key = await deriveSealKey(secret, purpose)
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64Url(iv) }, key, fromBase64Url(data))
  return new TextDecoder().decode(plain)
}

async function deriveSealKey(secret: string, purpose: SealPurpose): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey'])
  // The replay purpose keeps its original info string, so tokens sealed before still open.
  const info = purpose === 'replay' ? 'booking-manage-token' : `booking-manage-token:${purpose}`
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: encoder.encode('booking-embed'), info: encoder.encode(info) },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  )
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromBase64Url(value: string): Uint8Array<ArrayBuffer> {
  const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'))
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}
