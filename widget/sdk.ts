import { h, render } from 'preact'
import { isValidTimeZone } from '../shared/time-zone'
import { createClient, describeValue, type ClientError } from './client'
import { emit } from './events'
import { createBookingState } from './state'
import { applyStyles } from './styles'
import { BookingWidget } from './ui/BookingWidget'
import { ErrorBoundary } from './ui/ErrorBoundary'
import { todayIn } from './week'

export { createClient } from './client'
export type {
  AvailabilityQuery,
  BookingClient,
  ClientError,
  ClientErrorCode,
  ClientOptions,
  ClientResult,
  BookingInput,
  CreatedBooking,
  GuestDetails,
} from './client'
export type { BookingEventMap } from './events'
export type { AvailabilityDay, AvailabilityResponse, PublicBooking, PublicHold, PublicResource, Slot } from '../shared/types'

export interface MountOptions {
  /** Resource id or slug. */
  resource: string
  /** Origin (or base URL) of the booking API. */
  apiUrl: string
  /** IANA zone to show times in; the viewer's zone when omitted. */
  tz?: string
}

// Symbol.for: every copy of the script on a page (loaded twice, or embed + SDK) sees the same mark.
const MOUNTED: unique symbol = Symbol.for('booking-widget.mounted')
type HostElement = Element & { [MOUNTED]?: true }

/**
 * Renders the booking widget into `el`'s (new, open) shadow root and starts loading the
 * resource's availability. Mounting an element a second time does nothing. Misuse throws
 * at once; failures later are shown in the widget and dispatched on `el` as
 * `booking:error` events, and `booking:ready` follows the first rendered availability.
 *
 * @example
 * const el = document.querySelector('#booking')!
 * el.addEventListener('booking:ready', () => console.log('availability shown'))
 * mount(el, { resource: 'yoga-room', apiUrl: 'https://book.example.com' })
 */
export function mount(el: Element, options: MountOptions): void {
  if (typeof el !== 'object' || el === null || (el as Node).nodeType !== Node.ELEMENT_NODE) {
    throw new TypeError(`mount: expected an Element, received ${describeValue(el)}`)
  }
  const host = el as HostElement
  if (host[MOUNTED]) return
  const { resource, apiUrl, tz } = options ?? {}
  if (typeof resource !== 'string' || resource === '') {
    throw new TypeError(`mount: expected options.resource to be a resource id or slug, received ${describeValue(resource)}`)
  }
  if (tz !== undefined && (typeof tz !== 'string' || !isValidTimeZone(tz))) {
    throw new TypeError(`mount: expected options.tz to be an IANA time zone, received ${describeValue(tz)}`)
  }
  const client = createClient({ apiUrl })

  const shadow = el.attachShadow({ mode: 'open' })
  host[MOUNTED] = true
  applyStyles(shadow)
  // Preact renders into its own container so it never diffs against a fallback <style>.
  const container = document.createElement('div')
  shadow.append(container)

  const zone = tz ?? viewerZone()
  const onError = (error: ClientError) => emit(el, 'booking:error', error)
  const state = createBookingState(client, {
    resource,
    zone,
    today: todayIn(zone, new Date()),
    onError,
    onHeld: (hold) => emit(el, 'booking:slot-held', { hold }),
    onBooked: (booking) => {
      emit(el, 'booking:created', { booking })
      if (booking.status === 'confirmed') emit(el, 'booking:confirmed', { booking })
    },
  })
  render(
    h(ErrorBoundary, { onError }, h(BookingWidget, { state, client, onReady: (r) => emit(el, 'booking:ready', { resource: r }) })),
    container,
  )
  void state.load()
}

function viewerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}
