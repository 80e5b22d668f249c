import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { isDatabaseUnavailable } from './db/sql-state'
import { HTTPException } from 'hono/http-exception'
import type { ZodError } from 'zod'
import { BookingError, type ErrorBody, type ErrorCode, type FieldError, type FieldErrorCode } from '../shared/errors'

/** The one place that turns an error code into an HTTP status. */
export const STATUS_BY_CODE: Record<ErrorCode, ContentfulStatusCode> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  slot_taken: 409,
  slot_held: 409,
  limit_reached: 409,
  idempotency_conflict: 409,
  invalid_transition: 409,
  hold_expired: 410,
  offer_expired: 410,
  already_waiting: 409,
  waitlist_closed: 422,
  payload_too_large: 413,
  outside_availability: 422,
  cancellation_closed: 422,
  reschedule_closed: 422,
  payment_unavailable: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
}

/** A 400 `invalid_request` whose details list every failing field, path first. */
export function invalidRequest(error: ZodError, message = 'The request is not valid.'): BookingError {
  return new BookingError(
    'invalid_request',
    message,
    error.issues.map((i): FieldError => ({ path: i.path.join('.'), code: fieldErrorCode(i), message: i.message })),
  )
}

/** A 400 `invalid_request` about one field, for checks made after the schema (e.g. with the resource known). */
export function invalidField(
  path: string,
  code: FieldErrorCode,
  fieldMessage: string,
  message = 'The request is not valid.',
): BookingError {
  const details: FieldError[] = [{ path, code, message: fieldMessage }]
  return new BookingError('invalid_request', message, details)
}

/**
 * The code for a zod issue. Zod drops the rejected input from its issues, so "missing"
 * is read from its default message ("…, received undefined"); a schema that words its own
 * message for a missing value falls back to `invalid`.
 */
export function fieldErrorCode(issue: ZodError['issues'][number]): FieldErrorCode {
  const missing = issue.code === 'invalid_type' && /received (undefined|null)$/.test(issue.message)
  const empty = issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) <= 1
  if (missing || empty) return 'required'
  // Any other rejection of a phone number means the same to a guest: not a number we can use.
  if (issue.path[issue.path.length - 1] === 'phone') return 'invalid_phone'
  if (issue.code === 'invalid_format' && issue.format === 'email') return 'invalid_email'
  if (issue.code === 'too_big' && issue.origin === 'string') return 'too_long'
  return 'invalid'
}

export type ErrorLogger = (requestId: string, error: unknown) => void

/**
 * Hono `onError`: known errors map through STATUS_BY_CODE; anything else is a 500
 * `internal` whose cause is logged with the request id and never sent to the client.
 */
export function createErrorHandler(logError: ErrorLogger) {
  return (err: Error, c: Context): Response => {
    const known = toBookingError(err)
    // An outage of a dependency is worth a log line (with the request id); client errors are not.
    if (known?.code === 'unavailable') logError(c.get('requestId') ?? 'unknown', err)
    if (known) return errorResponse(c, known)
    const requestId = c.get('requestId') ?? 'unknown'
    logError(requestId, err)
    return errorResponse(c, new BookingError('internal', `Something went wrong on our side (request ${requestId}).`))
  }
}

export function errorResponse(c: Context, error: BookingError): Response {
  const body: ErrorBody = { error: { code: error.code, message: error.message } }
  if (error.details !== undefined) body.error.details = error.details
  if ((error.code === 'rate_limited' || error.code === 'unavailable') && isRetryDetails(error.details)) {
    c.header('Retry-After', String(error.details.retryAfterSec))
  }
  return c.json(body, STATUS_BY_CODE[error.code])
}

function toBookingError(err: unknown): BookingError | undefined {
  if (err instanceof BookingError) return err
  // The database restarting or unreachable is our outage, not the client's mistake: 503, retry.
  if (isDatabaseUnavailable(err)) {
    return new BookingError(
      'unavailable',
      'The booking service is briefly unavailable. Please try again in a few seconds.',
      { retryAfterSec: 5 },
      { cause: err },
    )
  }
  if (err instanceof HTTPException) {
    // Hono raises these for malformed input it parses itself (bad JSON, body limit).
    if (err.status === 413) return new BookingError('payload_too_large', 'The request body is too large.')
    if (err.status >= 400 && err.status < 500) return new BookingError('invalid_request', err.message || 'Bad request.')
  }
  return undefined
}

function isRetryDetails(details: unknown): details is { retryAfterSec: number } {
  return (
    typeof details === 'object' &&
    details !== null &&
    typeof (details as { retryAfterSec?: unknown }).retryAfterSec === 'number'
  )
}

/**
 * What is safe to log about an unexpected error: its class, SQLSTATE and the innermost
 * cause's message. Drizzle's own message embeds the SQL and its parameters (guest PII),
 * so it is skipped in favour of the driver's.
 */
export function describeError(error: unknown): Record<string, string> {
  const out: Record<string, string> = { error: error instanceof Error ? error.name : typeof error }
  let innermost: unknown = error
  for (let depth = 0; depth < 5 && (innermost as { cause?: unknown })?.cause; depth++) {
    innermost = (innermost as { cause: unknown }).cause
  }
  const code = (innermost as { code?: unknown })?.code
  if (typeof code === 'string') out.code = code
  if (innermost !== error && innermost instanceof Error) out.cause = innermost.message.slice(0, 300)
  else if (error instanceof Error && error.name !== 'DrizzleQueryError') out.detail = error.message.slice(0, 300)
  // Only frame lines: a multi-line message (Drizzle's has "params: …") must not slip in.
  const frames = error instanceof Error ? (error.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)) : []
  if (frames.length > 0)
    out.at = frames
      .slice(0, 2)
      .map((l) => l.trim())
      .join(' | ')
  return out
}
