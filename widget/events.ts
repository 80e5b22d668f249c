import type { PublicResource } from '../shared/types'
import type { ClientError } from './client'

/**
 * The DOM events the widget dispatches on its host element (they bubble). Holds and
 * bookings add `booking:slot-held`, `booking:created` and `booking:confirmed` here.
 *
 * @example
 * el.addEventListener('booking:error', (event) => {
 *   const { code, message } = (event as CustomEvent<BookingEventMap['booking:error']>).detail
 * })
 */
export interface BookingEventMap {
  /** Availability has been rendered for the first time. */
  'booking:ready': { resource: PublicResource }
  'booking:error': ClientError
}

export function emit<K extends keyof BookingEventMap>(host: Element, type: K, detail: BookingEventMap[K]): void {
  host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true }))
}
