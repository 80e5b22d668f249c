/**
 * The one list of error codes clients can rely on. No HTTP here: `api/errors.ts`
 * owns the code → status mapping.
 */
export const ERROR_CODES = [
  'invalid_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'slot_taken',
  'slot_held',
  'limit_reached',
  'idempotency_conflict',
  'invalid_transition',
  'hold_expired',
  'offer_expired',
  'already_waiting',
  'waitlist_closed',
  'payload_too_large',
  'outside_availability',
  'cancellation_closed',
  'reschedule_closed',
  'payment_unavailable',
  'rate_limited',
  'unavailable',
  'internal',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/**
 * Why one field of an `invalid_request` was refused (`details: [{path, code, message}]`).
 * Clients show their own words for the code; `message` is English for developers.
 */
export const FIELD_ERROR_CODES = ['required', 'invalid_email', 'invalid_phone', 'too_long', 'invalid'] as const
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number]

/** One item of an `invalid_request`'s details: the dotted path of the field, why, and in words. */
export interface FieldError {
  path: string
  code: FieldErrorCode
  message: string
}

export class BookingError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = 'BookingError'
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown }
}
