import type { Context } from 'hono'
import { z } from 'zod'
import { encodeAvailability } from '../shared/compact-availability'
import type { AvailabilityResponse } from '../shared/types'
import { ifNoneMatchHits } from './content-encoding'
import { invalidRequest } from './errors'

/** `?format=` of availability: `default` (also when absent) or `compact` (what the widget asks for). */
export const availabilityFormatQuerySchema = z.object({ format: z.enum(['default', 'compact']).optional() })

export type AvailabilityFormat = 'default' | 'compact'

export function parseAvailabilityFormat(query: Record<string, string>): AvailabilityFormat {
  const parsed = availabilityFormatQuerySchema.safeParse(query)
  if (!parsed.success) throw invalidRequest(parsed.error, 'The availability query is not valid.')
  return parsed.data.format ?? 'default'
}

/**
 * Sends availability in the asked format with a strong ETag: a hash of the exact bytes, so
 * it changes whenever anything in the answer does (bookings, other sessions' holds, this
 * session's own holds) and never otherwise. A matching If-None-Match gets an empty 304.
 * `private, no-cache`: a browser may keep the answer but must revalidate before each use.
 */
export async function sendAvailability(
  c: Context,
  body: AvailabilityResponse,
  format: AvailabilityFormat,
): Promise<Response> {
  const text = availabilityText(body, format)
  const etag = await strongEtag(text)
  c.header('Cache-Control', 'private, no-cache')
  c.header('ETag', etag)
  if (ifNoneMatchHits(c.req.header('If-None-Match'), etag)) return c.body(null, 304)
  return c.body(text, 200, { 'Content-Type': 'application/json' })
}

/** The JSON text of availability in the asked format. */
export function availabilityText(body: AvailabilityResponse, format: AvailabilityFormat): string {
  return JSON.stringify(format === 'compact' ? encodeAvailability(body) : body)
}

/**
 * Sends a kept answer (see availability-answers.ts) as `sendAvailability` would have sent
 * it: the same bytes, headers and ETag, with no per-request work beyond the comparison.
 */
export function sendAvailabilityAnswer(c: Context, answer: { bytes: Uint8Array; etag: string }): Response {
  c.header('Cache-Control', 'private, no-cache')
  c.header('ETag', answer.etag)
  if (ifNoneMatchHits(c.req.header('If-None-Match'), answer.etag)) return c.body(null, 304)
  return c.body(answer.bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/json' })
}

/** SHA-256 (Web Crypto: Node and Workers alike), 128 bits of it in base64url, quoted. */
export async function strongEtag(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))
  let binary = ''
  for (const byte of digest.subarray(0, 16)) binary += String.fromCharCode(byte)
  return `"${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}"`
}
