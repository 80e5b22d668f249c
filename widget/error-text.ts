import { FIELD_ERROR_CODES, type FieldErrorCode } from '../shared/errors'
import type { ClientErrorCode } from './client'
import type { Messages } from './i18n'
import { GUEST_FIELDS, type FieldErrors, type GuestField } from './guest-fields'

/*
 * What a guest reads when something fails. The API's `message` is English for developers;
 * the guest gets a sentence in their language chosen by the error's code.
 */

/** The sentence for an error code; a general one for codes the guest cannot act on. */
export function errorText(t: Messages, code: ClientErrorCode): string {
  return (t.errors as Record<string, string | undefined>)[code] ?? t.errors.generic
}

/** The sentence for a `limit_reached` refusal, naming the limit its details name when they do. */
export function limitText(t: Messages, details: unknown): string {
  const { limit, max, minutes } = (typeof details === 'object' && details !== null ? details : {}) as {
    limit?: unknown
    max?: unknown
    minutes?: unknown
  }
  const words = t.limitReached
  if (limit === 'minGapMinutes' && typeof minutes === 'number') return words.minGapMinutes(minutes)
  if (typeof max !== 'number') return t.errors.limit_reached
  if (limit === 'perGuestPerDay' || limit === 'perGuestPerWeek' || limit === 'perGuestPerMonth')
    return words[limit](max)
  if (limit === 'perDay') return words.perDay()
  return t.errors.limit_reached
}

const FIELD_BY_PATH: Record<string, GuestField> = {
  'guest.name': 'name',
  'guest.email': 'email',
  'guest.phone': 'phone',
  notes: 'notes',
}

/**
 * The `invalid_request` details the form can show under its fields (`[{path, code}]`),
 * translated; details about anything else are left to the general notice.
 */
export function fieldErrorsFrom(details: unknown, t: Messages): FieldErrors {
  const errors: FieldErrors = {}
  if (!Array.isArray(details)) return errors
  for (const item of details as unknown[]) {
    if (typeof item !== 'object' || item === null) continue
    const { path, code } = item as { path?: unknown; code?: unknown }
    const field = typeof path === 'string' ? FIELD_BY_PATH[path] : undefined
    if (!field || errors[field]) continue
    errors[field] = isFieldErrorCode(code) ? t.fieldError[code] : t.fieldError.invalid
  }
  // Shown in the form's order, so the first key is the first bad field.
  return Object.fromEntries(GUEST_FIELDS.filter((f) => errors[f]).map((f) => [f, errors[f]])) as FieldErrors
}

const isFieldErrorCode = (code: unknown): code is FieldErrorCode =>
  (FIELD_ERROR_CODES as readonly unknown[]).includes(code)
