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
  /** The asking session's own live holds on this resource (its selection); omitted when none. */
  holds?: PublicHold[]
}

export type BookingStatus = 'pending' | 'confirmed' | 'cancelled' | 'completed' | 'no_show'

/** A booking as the guest (and the widget) sees it. Instants are ISO-8601 UTC. */
export interface PublicBooking {
  ref: string
  resourceId: string
  status: BookingStatus
  start: string
  end: string
  guest: { name: string; email: string; phone?: string }
  notes?: string
  answers?: Record<string, string | number | boolean>
  /** Bumped by every reschedule. */
  version: number
  createdAt: string
  confirmedAt?: string
  /** An unpaid pending booking stops holding its slot at this instant. */
  expiresAt?: string
  cancelledAt?: string
  cancelReason?: string
}

/** `POST /v1/holds` → 201 `{hold}`. */
export interface PublicHold {
  id: string
  resourceId: string
  start: string
  end: string
  expiresAt: string
}
