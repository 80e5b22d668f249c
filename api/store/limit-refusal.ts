import { BookingError } from '../../shared/errors'
import type { BookingLimits } from '../../shared/resource-config'
import { constraintOf } from '../db/sql-state'

/*
 * The database refuses a write past a resource's booking limits (trigger
 * bookings_respect_limits) with a check_violation named bookings_limit_*, whose DETAIL
 * says which limit, its value and the resource's name. Here it becomes 409 limit_reached.
 */

type LimitName = keyof BookingLimits

const LIMIT_BY_CONSTRAINT: Record<string, LimitName | undefined> = {
  bookings_limit_per_guest_day: 'perGuestPerDay',
  bookings_limit_per_guest_week: 'perGuestPerWeek',
  bookings_limit_per_guest_month: 'perGuestPerMonth',
  bookings_limit_min_gap: 'minGapMinutes',
  bookings_limit_per_day: 'perDay',
}

const PERIOD: Partial<Record<LimitName, string>> = {
  perGuestPerDay: 'day',
  perGuestPerWeek: 'week',
  perGuestPerMonth: 'month',
}

/** The `limit_reached` error for a refusal by the limits trigger, or undefined for any other error. */
export function limitRefusal(error: unknown): BookingError | undefined {
  const limit = LIMIT_BY_CONSTRAINT[constraintOf(error) ?? '']
  if (!limit) return undefined
  const { value, resource } = detailOf(error)
  const name = resource ?? 'this resource'
  const options = { cause: error }
  if (value === undefined)
    return new BookingError('limit_reached', `This booking is past a limit of ${name}.`, { limit }, options)
  const times = value === 1 ? 'once' : `${value} times`
  if (limit === 'minGapMinutes')
    return new BookingError(
      'limit_reached',
      `Your bookings of ${name} need at least ${value} minutes between them.`,
      { limit, minutes: value },
      options,
    )
  if (limit === 'perDay')
    return new BookingError(
      'limit_reached',
      `${name} takes at most ${value} bookings per day, and this day is full.`,
      { limit, max: value },
      options,
    )
  return new BookingError(
    'limit_reached',
    `You can book ${name} at most ${times} per ${PERIOD[limit] ?? 'day'}.`,
    { limit, max: value },
    options,
  )
}

/** The trigger's DETAIL: postgres.js and PGlite both call it `detail`. */
function detailOf(error: unknown): { value?: number; resource?: string } {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const detail = (e as { detail?: unknown }).detail
    if (typeof detail !== 'string') continue
    try {
      const parsed = JSON.parse(detail) as { value?: unknown; resource?: unknown }
      if (typeof parsed.value === 'number')
        return {
          value: parsed.value,
          ...(typeof parsed.resource === 'string' ? { resource: parsed.resource } : {}),
        }
    } catch {
      // Not the trigger's detail: look further down the causes.
    }
  }
  return {}
}
