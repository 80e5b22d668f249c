import type { Context } from 'hono'
import type { z } from 'zod'
import { BookingError } from '../shared/errors'
import { idempotencyKeySchema, sessionIdSchema } from '../shared/schemas'
import { sha256Hex } from './crypto'
import { IdempotencyKeyTaken } from './store/bookings'
import { invalidRequest } from './errors'

/** The JSON body, validated; malformed JSON and schema failures are 400 `invalid_request`. */
export async function readJson<S extends z.ZodType>(
  c: Context,
  schema: S,
  options: { optional?: boolean } = {},
): Promise<z.output<S>> {
  let body: unknown
  try {
    const text = await c.req.text()
    body = options.optional && text.trim() === '' ? {} : JSON.parse(text)
  } catch (cause) {
    if (cause instanceof BookingError) throw cause
    throw new BookingError('invalid_request', 'The request body must be JSON.', undefined, { cause })
  }
  const parsed = schema.safeParse(body)
  if (!parsed.success) throw invalidRequest(parsed.error)
  return parsed.data
}

/** The browser session a hold belongs to (`X-Booking-Session`). */
export function requireSession(c: Context): string {
  const parsed = sessionIdSchema.safeParse(c.req.header('x-booking-session'))
  if (!parsed.success) throw invalidRequest(parsed.error, 'A valid X-Booking-Session header is required.')
  return parsed.data
}

export function optionalSession(c: Context): string | undefined {
  const parsed = sessionIdSchema.safeParse(c.req.header('x-booking-session'))
  return parsed.success ? parsed.data : undefined
}

/** `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(c: Context): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')
  return match?.[1]
}

/** The `Idempotency-Key` header, validated; undefined when the client sent none. */
export function readIdempotencyKey(c: Context): string | undefined {
  const raw = c.req.header('idempotency-key')
  if (raw === undefined) return undefined
  const parsed = idempotencyKeySchema.safeParse(raw)
  if (!parsed.success) throw invalidRequest(parsed.error, 'The Idempotency-Key header is not valid.')
  return parsed.data
}

/** A keyed request: its key (to seal the manage token under), the key's hash (stored) and its fingerprint. */
export interface Idempotency {
  key: string
  keyHash: string
  fingerprint: string
}

/** Same session + same body ⇔ same request. Keys are sorted so property order does not matter. */
export async function idempotencyOf(key: string, sessionId: string, body: unknown): Promise<Idempotency> {
  return { key, keyHash: await sha256Hex(key), fingerprint: await sha256Hex(`${sessionId}\n${stableJson(body)}`) }
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/**
 * A keyed write refused because a twin request with the same key committed first (it took the
 * key, or the time, or the guest's last place under a limit): the twin's answer, replayed.
 * Any other refusal stands; a key taken by a different request is 409 `idempotency_conflict`.
 */
export async function replayTwinOrThrow(
  error: unknown,
  replay: () => Promise<Response | undefined>,
): Promise<Response> {
  if (
    error instanceof IdempotencyKeyTaken ||
    (error instanceof BookingError && (error.code === 'slot_taken' || error.code === 'limit_reached'))
  ) {
    const twin = await replay()
    if (twin) return twin
    if (error instanceof IdempotencyKeyTaken)
      throw new BookingError('idempotency_conflict', 'This Idempotency-Key was used for a different request.')
  }
  throw error
}
