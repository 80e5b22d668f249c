import type { Context } from 'hono'
import type { z } from 'zod'
import { BookingError } from '../shared/errors'
import { sessionIdSchema } from '../shared/schemas'
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
