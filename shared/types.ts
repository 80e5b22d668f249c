import type { CancellationPolicy, Money, ResourceConfig } from './schemas'

export type { CancellationPolicy, Money, ResourceConfig }
export type { ScheduleRule } from './slots/types'

/** What anyone may see of a resource (`GET /v1/resources/:idOrSlug`). */
export interface PublicResource {
  id: string
  slug: string
  type: string
  name: string
  timezone: string
  durations?: number[]
  price?: Money
  payment?: 'none' | 'deposit' | 'full'
  cancellationPolicy?: CancellationPolicy
}

/** A bookable slot; instants are ISO-8601 UTC with `Z`. */
export interface Slot {
  start: string
  end: string
}

export interface AvailabilityDay {
  /** A day in the requested zone, `YYYY-MM-DD`. */
  date: string
  slots: Slot[]
}

export interface AvailabilityResponse {
  resource: PublicResource
  timezone: string
  days: AvailabilityDay[]
}
