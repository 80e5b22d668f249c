import { createElement, useEffect, useRef, type CSSProperties, type ReactElement } from 'react'
import type { BookingEventMap } from './events'
import { mount, type MountOptions } from './sdk'

/** The widget's events as callbacks; each gets the event's `detail`. */
export interface BookingWidgetCallbacks {
  onReady?: (detail: BookingEventMap['booking:ready']) => void
  onSlotHeld?: (detail: BookingEventMap['booking:slot-held']) => void
  onCreated?: (detail: BookingEventMap['booking:created']) => void
  onConfirmed?: (detail: BookingEventMap['booking:confirmed']) => void
  onError?: (detail: BookingEventMap['booking:error']) => void
}

export interface BookingWidgetProps extends MountOptions, BookingWidgetCallbacks {
  className?: string
  style?: CSSProperties
}

const CALLBACKS: [keyof BookingEventMap, keyof BookingWidgetCallbacks][] = [
  ['booking:ready', 'onReady'],
  ['booking:slot-held', 'onSlotHeld'],
  ['booking:created', 'onCreated'],
  ['booking:confirmed', 'onConfirmed'],
  ['booking:error', 'onError'],
]

/**
 * The booking widget as a React component. It mounts once per resource (or pool, or service), API, zone,
 * language and theme; new callbacks are picked up without remounting. Unmounting gives a held time back.
 *
 * @example
 * <BookingWidget resource="yoga-room" apiUrl="https://book.example.com" onConfirmed={({ booking }) => go(booking.ref)} />
 */
export function BookingWidget(props: BookingWidgetProps): ReactElement {
  const host = useRef<HTMLDivElement>(null)
  // The latest props, read when an event arrives: inline arrow callbacks do not remount the widget.
  const latest = useRef(props)
  latest.current = props
  const { resource, pool, service, apiUrl, tz, locale, theme, manageUrl } = props
  useEffect(() => {
    const el = host.current
    if (!el) return
    const { loadStripe, guest } = latest.current
    const handle = mount(el, { resource, pool, service, apiUrl, tz, locale, theme, manageUrl, loadStripe, guest })
    for (const [type, callback] of CALLBACKS) {
      handle.on(type, (detail) => (latest.current[callback] as ((d: typeof detail) => void) | undefined)?.(detail))
    }
    return () => handle.destroy()
  }, [resource, pool, service, apiUrl, tz, locale, theme, manageUrl])
  return createElement('div', { ref: host, className: props.className, style: props.style })
}

export type { BookingEventMap } from './events'
export type { MountOptions } from './sdk'
