import type { PublicBooking, PublicHold, PublicResource } from '../shared/types'
import type { ClientError } from './client'

/**
 * The DOM events the widget dispatches on its host element (they bubble).
 *
 * @example
 * el.addEventListener('booking:error', (event) => {
 *   const { code, message } = (event as CustomEvent<BookingEventMap['booking:error']>).detail
 * })
 */
export interface BookingEventMap {
  /** Availability has been rendered for the first time. */
  'booking:ready': { resource: PublicResource }
  /** The guest picked a time and it is held for them until `hold.expiresAt`. */
  'booking:slot-held': { hold: PublicHold }
  /** A booking row exists (status `confirmed`, or `pending` awaiting the owner). */
  'booking:created': { booking: PublicBooking }
  /** The booking is confirmed (at once when the resource needs no approval). */
  'booking:confirmed': { booking: PublicBooking }
  /** Something failed that the guest was shown; `code` is machine-readable. */
  'booking:error': ClientError
  /** The manage view cancelled or moved the booking (see `booking.status`, `start`, `version`). */
  'booking:changed': { booking: PublicBooking }
}

export function emit<K extends keyof BookingEventMap>(host: Element, type: K, detail: BookingEventMap[K]): void {
  host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true }))
}
