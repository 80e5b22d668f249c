import { h, render, type ComponentChild } from 'preact'
import { isValidTimeZone } from '../shared/time-zone'
import type { PublicBooking } from '../shared/types'
import { createClient, describeValue, type BookingClient, type ClientError, type WaitlistClient } from './client'
import { emit, type BookingEventMap } from './events'
import { loadMessages, pickLocale, type Messages } from './i18n'
import type { LoadStripe } from './payment/stripe-payment'
import { viewerZone } from './first-view'
import { createBookingState, type BookingState, type GuestDraft } from './state'
import { applyStyles } from './styles'
import { BookingWidget } from './ui/BookingWidget'
import { ErrorBoundary } from './ui/ErrorBoundary'

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
  SeriesAvailabilityQuery,
  SeriesClient,
  WaitlistClient,
} from './client'
export type {
  CancelledSeries,
  CreatedSeries,
  MovedSeries,
  PublicSeries,
  SeriesAvailability,
  SeriesBookingRequest,
  SeriesConflict,
  SeriesConflictReason,
  SeriesRescheduleRequest,
  SeriesResponse,
} from '../shared/api-contract'
export type {
  JoinedWaitlist,
  PublicWaitlistEntry,
  PublicWaitlistOffer,
  WaitlistClaimRequestBody,
  WaitlistEntryResponse,
  WaitlistJoinRequestBody,
} from '../shared/api-contract'
export type { BookingEventMap } from './events'
export { verifyWebhook, WebhookVerificationError } from './verify-webhook'
export type { VerifyWebhookOptions, WebhookVerificationErrorCode } from './verify-webhook'
export type { WebhookBooking, WebhookEventBody } from '../shared/api-contract'
export type { LoadStripe, StripeLike } from './payment/stripe-payment'
export type {
  AvailabilityDay,
  AvailabilityResponse,
  PublicBooking,
  PublicBookingPart,
  PublicHold,
  PublicPool,
  PublicPoolMember,
  PublicResource,
  PublicService,
  PublicServicePart,
  Slot,
} from '../shared/types'

export type Theme = 'light' | 'dark' | 'auto'

/** What every view of the widget takes. */
export interface ViewOptions {
  /** Origin (or base URL) of the booking API. */
  apiUrl: string
  /** IANA zone to show times in; the viewer's zone when omitted. The guest can switch. */
  tz?: string
  /** `en`, `de` or `es` (any tag, e.g. `de-AT`); the page's language when omitted. */
  locale?: string
  /** `light` (default), `dark`, or `auto` to follow the viewer's system setting. */
  theme?: Theme
}

export interface MountOptions extends ViewOptions {
  /** Resource id or slug. Exactly one of `resource`, `pool` and `service`. */
  resource?: string
  /**
   * Pool id or slug ("any physio", a dining room of tables): the guest books whoever is free,
   * or picks a member when the pool allows it, and gives the party size for tables.
   */
  pool?: string
  /**
   * Service id or slug (a massage with a therapist and a treatment room): a booking takes every
   * resource the service needs at once, and the guest sees them named.
   */
  service?: string
  /**
   * Loads Stripe.js for resources that take payment (default: `loadStripe` from
   * `@stripe/stripe-js`, which fetches js.stripe.com). Pass your own to control loading,
   * or a stand-in in tests.
   */
  loadStripe?: LoadStripe
  /** Prefill for the guest form. */
  guest?: Partial<GuestDraft>
  /**
   * The page that manages a booking (its link gets `#ref=…&token=…&lang=…&theme=…`); the API's own
   * `/manage` page by default, `false` for no manage link.
   */
  manageUrl?: string | false
}

export interface ManageOptions extends ViewOptions {
  /** The booking's reference and manage token, as in the manage link. */
  ref: string
  token: string
}

/** What `mount`, `open` and `manage` return. */
export interface MountHandle {
  /** Listens to a widget event; the listener gets the event's `detail`. */
  on<K extends keyof BookingEventMap>(type: K, listener: (detail: BookingEventMap[K]) => void): void
  off<K extends keyof BookingEventMap>(type: K, listener: (detail: BookingEventMap[K]) => void): void
  /** Removes the widget (a held time is given back) and its listeners. */
  destroy(): void
}

// Symbol.for: every copy of the script on a page (loaded twice, or embed + SDK) sees the same mark.
const MOUNTED: unique symbol = Symbol.for('booking-widget.mounted')
type HostElement = Element & { [MOUNTED]?: MountHandle }

/**
 * Renders the booking widget into `el`'s shadow root and starts loading the resource's
 * availability. Mounting an element again returns the first handle. Misuse throws at once;
 * failures later are shown in the widget and dispatched on `el` as `booking:error`.
 *
 * @example
 * const widget = mount(document.querySelector('#booking')!, { resource: 'yoga-room', apiUrl: 'https://book.example.com' })
 * widget.on('booking:confirmed', ({ booking }) => console.log('booked', booking.ref, booking.start))
 */
export function mount(el: Element, options: MountOptions): MountHandle {
  assertElement(el, 'mount')
  const existing = (el as HostElement)[MOUNTED]
  if (existing) return existing
  const target = checkTarget(options, 'mount')
  return attach(el, options, (ctx) => bookingView(ctx, options, target))
}

/**
 * Opens the booking widget in a modal dialog (Esc, the close button or the backdrop close
 * it; focus returns to where it was).
 *
 * @example
 * document.querySelector('#book')!.addEventListener('click', () =>
 *   open({ resource: 'yoga-room', apiUrl: 'https://book.example.com' }))
 */
export function open(options: MountOptions): MountHandle {
  const target = checkTarget(options, 'open')
  const host = document.createElement('div')
  host.setAttribute('data-booking-popup', target.id)
  document.body.append(host)
  let state: BookingState | undefined
  // The dialog's code arrives with the first popup, not with every page that embeds the widget.
  const handle = attach(host, options, async (ctx) =>
    h(
      (await import('./ui/Popup')).Popup,
      {
        labelledBy: 'booking-title',
        closeLabel: ctx.locale.t.close,
        onClose: () => handle.destroy(),
        // Closing while a time is held asks first; leaving destroys the view, which releases the hold.
        confirmLeave: { isHolding: () => state?.hold.peek() !== undefined, words: ctx.locale.t },
      },
      bookingView(ctx, options, target, 'booking-title', (created) => (state = created)),
    ),
  )
  const destroy = handle.destroy
  handle.destroy = () => {
    destroy()
    host.remove()
  }
  return handle
}

/**
 * Shows the booking behind a manage link and lets the guest cancel it or move it.
 *
 * @example
 * const params = new URLSearchParams(location.hash.slice(1))
 * manage(document.querySelector('#manage')!, {
 *   apiUrl: 'https://book.example.com', ref: params.get('ref')!, token: params.get('token')!,
 * })
 */
export function manage(el: Element, options: ManageOptions): MountHandle {
  assertElement(el, 'manage')
  const existing = (el as HostElement)[MOUNTED]
  if (existing) return existing
  // Empty strings are let through: a truncated link shows "not valid" instead of nothing.
  for (const key of ['ref', 'token'] as const) {
    if (typeof options?.[key] !== 'string') {
      throw new TypeError(
        `manage: expected options.${key} from the manage link, received ${describeValue(options?.[key])}`,
      )
    }
  }
  // Only the manage page needs this view: a chunk of its own.
  return attach(el, options, async (ctx) =>
    h((await import('./ui/ManageBooking')).ManageBooking, {
      client: ctx.client,
      ref_: options.ref,
      token: options.token,
      zone: ctx.zone,
      t: ctx.locale.t,
      locale: ctx.locale.tag,
      onError: ctx.onError,
      onChanged: (booking: PublicBooking) => emit(el, 'booking:changed', { booking }),
    }),
  )
}

export interface WaitlistViewOptions extends ViewOptions {
  /** The entry's reference and token, as in the waitlist link (`#waitlist=…&token=…`). */
  ref: string
  token: string
  /** The page that manages the booking a claimed offer makes (`#ref=…&token=…`); the API's `/manage` by default, `false` for none. */
  manageUrl?: string | false
}

/**
 * Shows a waitlist entry behind its link: the time waited for, the place in line, and an
 * open offer to book (or pass on) before it ends; the guest may also leave the list.
 *
 * @example
 * const params = new URLSearchParams(location.hash.slice(1))
 * manageWaitlist(document.querySelector('#waitlist')!, {
 *   apiUrl: 'https://book.example.com', ref: params.get('waitlist')!, token: params.get('token')!,
 * })
 */
export function manageWaitlist(el: Element, options: WaitlistViewOptions): MountHandle {
  assertElement(el, 'manageWaitlist')
  const existing = (el as HostElement)[MOUNTED]
  if (existing) return existing
  for (const key of ['ref', 'token'] as const) {
    if (typeof options?.[key] !== 'string') {
      throw new TypeError(
        `manageWaitlist: expected options.${key} from the waitlist link, received ${describeValue(options?.[key])}`,
      )
    }
  }
  const managePage =
    options.manageUrl === false ? undefined : (options.manageUrl ?? `${options.apiUrl.replace(/\/+$/, '')}/manage`)
  // Like the booking view: only the manage page needs it, a chunk of its own.
  return attach(el, options, async (ctx) =>
    h((await import('./ui/WaitlistView')).WaitlistView, {
      client: ctx.client,
      ref_: options.ref,
      token: options.token,
      t: ctx.locale.t,
      locale: ctx.locale.tag,
      onError: ctx.onError,
      loadPaymentModule,
      manageUrl: managePage
        ? (ref: string, token: string) =>
            `${managePage}#${new URLSearchParams({ ref, token, lang: ctx.locale.tag, theme: options.theme ?? 'light' })}`
        : undefined,
      onBooked: (booking: PublicBooking) => emit(el, 'booking:created', { booking }),
    }),
  )
}

interface ViewContext {
  client: BookingClient & WaitlistClient
  zone: string
  locale: { tag: string; t: Messages }
  host: Element
  onError: (error: ClientError) => void
  /** Runs when the view is destroyed. */
  cleanup: (fn: () => void) => void
}

// The card module is fetched only when a booking needs it: a chunk of its own.
const loadPaymentModule = () => import('./payment/stripe-payment')

const RETURN_PARAMS = ['booking_ref', 'payment_intent', 'payment_intent_client_secret', 'redirect_status']
const remembered = (ref: string) => `booking-widget:pay:${ref}`

/** Where 3-D Secure sends the guest back: this page, marked with the booking's ref. */
function returnUrl(ref: string): string {
  const url = new URL(location.href)
  url.hash = ''
  for (const key of RETURN_PARAMS) url.searchParams.delete(key)
  url.searchParams.set('booking_ref', ref)
  return url.href
}

/** The booking a 3-D Secure redirect came back for, if it was started by this resource's widget. */
function takeRedirectReturn(resource: string): { ref: string; token: string; succeeded: boolean } | undefined {
  const params = new URLSearchParams(location.search)
  const ref = params.get('booking_ref')
  if (!ref) return undefined
  try {
    const saved = JSON.parse(sessionStorage.getItem(remembered(ref)) ?? 'null') as {
      token: string
      resource: string
    } | null
    if (!saved || saved.resource !== resource) return undefined
    sessionStorage.removeItem(remembered(ref))
    const clean = new URL(location.href)
    for (const key of RETURN_PARAMS) clean.searchParams.delete(key)
    history.replaceState(history.state, '', clean.href)
    return { ref, token: saved.token, succeeded: params.get('redirect_status') === 'succeeded' }
  } catch {
    return undefined // storage blocked: the guest still has the confirmation email and manage link
  }
}

function bookingView(
  ctx: ViewContext,
  options: MountOptions,
  target: Target,
  titleId?: string,
  expose?: (state: BookingState) => void,
): ComponentChild {
  const { host } = ctx
  // What a 3-D Secure return is matched against: a pool and a resource may share a slug.
  const resource = target.pool ? `pool:${target.id}` : target.service ? `service:${target.id}` : target.id
  const state = createBookingState(ctx.client, {
    resource: target.id,
    pool: target.pool,
    service: target.service,
    zone: ctx.zone,
    t: ctx.locale.t,
    locale: ctx.locale.tag,
    guest: options.guest ?? {},
    onError: ctx.onError,
    onHeld: (hold) => emit(host, 'booking:slot-held', { hold }),
    onBooked: (booking) => emit(host, 'booking:created', { booking }),
    onConfirmed: (booking) => emit(host, 'booking:confirmed', { booking }),
    payment: {
      loadModule: loadPaymentModule,
      loadStripe: options.loadStripe,
      returnUrl,
      remember: (ref: string, token: string) => {
        try {
          sessionStorage.setItem(remembered(ref), JSON.stringify({ token, resource }))
        } catch {
          // Storage blocked: a redirect cannot resume here, the manage link still works.
        }
      },
    },
  })
  // Disposing the booking state gives a held time back, so leaving never keeps it from others.
  ctx.cleanup(() => state[Symbol.dispose]())
  expose?.(state)
  const back = takeRedirectReturn(resource)
  if (back) {
    // The payment model that finishes a 3-D Secure return comes with the later steps' code,
    // fetched now, beside the first month. If it cannot be fetched, the guest still has the
    // confirmation email and the manage link.
    void import('./ui/later-steps').then(
      (steps) => steps.withLaterSteps(state).resumeAfterRedirect(back.ref, back.token, back.succeeded),
      () => undefined,
    )
  }
  void state.load()
  const managePage =
    options.manageUrl === false ? undefined : (options.manageUrl ?? `${options.apiUrl.replace(/\/+$/, '')}/manage`)
  // The link carries the language and theme the guest booked in, so the manage page opens in them.
  const linkParams = { lang: ctx.locale.tag, theme: options.theme ?? 'light' }
  const manageUrl = managePage
    ? (ref: string, token: string) => `${managePage}#${new URLSearchParams({ ref, token, ...linkParams })}`
    : undefined
  return h(BookingWidget, {
    state,
    client: ctx.client,
    manageUrl,
    titleId,
    onReady: (r) => emit(host, 'booking:ready', { resource: r }),
  })
}

/** The shared part of every view: shadow root, styles, theme, language, zone, events, teardown. */
function attach(
  el: Element,
  options: ViewOptions,
  view: (ctx: ViewContext) => ComponentChild | Promise<ComponentChild>,
): MountHandle {
  const { apiUrl, tz, theme = 'light' } = options
  if (tz !== undefined && (typeof tz !== 'string' || !isValidTimeZone(tz))) {
    throw new TypeError(`expected options.tz to be an IANA time zone, received ${describeValue(tz)}`)
  }
  if (!['light', 'dark', 'auto'].includes(theme)) {
    throw new TypeError(`expected options.theme to be "light", "dark" or "auto", received ${describeValue(theme)}`)
  }
  const client = createClient({ apiUrl })
  const locale = pickLocale([options.locale, el.closest('[lang]')?.getAttribute('lang'), ...navigator.languages])

  const shadow = el.shadowRoot ?? el.attachShadow({ mode: 'open' })
  applyStyles(shadow)
  // Preact renders into its own container so it never diffs against a fallback <style>.
  const container = document.createElement('div')
  container.className = 'root'
  container.setAttribute('data-theme', theme)
  container.lang = locale.tag
  shadow.append(container)

  const cleanups: (() => void)[] = []
  const onError = (error: ClientError) => emit(el, 'booking:error', error)
  let destroyed = false
  // English is at hand; another language's words arrive first (a small file, then cached).
  void loadMessages(locale.language).then(async (t) => {
    if (destroyed) return
    const ctx: ViewContext = {
      client,
      zone: tz ?? viewerZone(),
      locale: { tag: locale.tag, t },
      host: el,
      onError,
      cleanup: (fn) => cleanups.push(fn),
    }
    let child: ComponentChild
    try {
      child = await view(ctx)
    } catch {
      // A view's chunk could not be fetched (offline, blocked): say so where the view would be.
      child = h('p', { class: 'msg error', role: 'alert' }, t.errors.network_error)
      onError({ code: 'network_error', message: 'The widget could not load a part of itself.' })
    }
    if (!destroyed) render(h(ErrorBoundary, { message: t.crashed, onError }, child), container)
  })

  // Listener → the DOM listener wrapping it, per event type, so `off` and `destroy` can find it.
  const listeners = new Map<string, Map<unknown, EventListener>>()
  const handle: MountHandle = {
    on(type, listener) {
      const ofType = listeners.get(type) ?? new Map<unknown, EventListener>()
      listeners.set(type, ofType)
      if (ofType.has(listener)) return
      const wrapped: EventListener = (event) => listener((event as CustomEvent).detail)
      ofType.set(listener, wrapped)
      el.addEventListener(type, wrapped)
    },
    off(type, listener) {
      const wrapped = listeners.get(type)?.get(listener)
      if (!wrapped) return
      listeners.get(type)?.delete(listener)
      el.removeEventListener(type, wrapped)
    },
    destroy() {
      if ((el as HostElement)[MOUNTED] !== handle) return
      delete (el as HostElement)[MOUNTED]
      destroyed = true
      for (const fn of cleanups) fn()
      render(null, container)
      container.remove()
      for (const [type, ofType] of listeners)
        for (const wrapped of ofType.values()) el.removeEventListener(type, wrapped)
      listeners.clear()
    },
  }
  ;(el as HostElement)[MOUNTED] = handle
  return handle
}

function assertElement(el: unknown, fn: string): asserts el is Element {
  if (typeof el !== 'object' || el === null || (el as Node).nodeType !== Node.ELEMENT_NODE) {
    throw new TypeError(`${fn}: expected an Element, received ${describeValue(el)}`)
  }
}

/**
 * What a booking view books: a resource, a pool (`pool` true) that assigns one of its members,
 * or a service (`service` true) that takes several resources at once.
 */
interface Target {
  id: string
  pool: boolean
  service: boolean
}

/** Exactly one of `resource`, `pool` and `service`, a non-empty id or slug. */
function checkTarget(options: MountOptions, fn: string): Target {
  const resource: unknown = options?.resource
  const pool: unknown = options?.pool
  const service: unknown = options?.service
  const given = (value: unknown) => value !== undefined && value !== null
  if (given(service)) {
    const other = given(resource) ? 'resource' : given(pool) ? 'pool' : undefined
    if (other) {
      throw new TypeError(
        `${fn}: expected exactly one of resource, pool and service, received both ${other} ${describeValue(options[other])} and service ${describeValue(service)}`,
      )
    }
    if (typeof service !== 'string' || service === '') {
      throw new TypeError(
        `${fn}: expected service to be a service id or slug, received service ${describeValue(service)}`,
      )
    }
    return { id: service, pool: false, service: true }
  }
  if (given(resource) && given(pool)) {
    throw new TypeError(
      `${fn}: expected exactly one of resource, pool and service, received both (resource ${describeValue(resource)}, pool ${describeValue(pool)})`,
    )
  }
  const id = given(pool) ? pool : resource
  if (typeof id !== 'string' || id === '') {
    throw new TypeError(
      `${fn}: expected exactly one of resource, pool and service, received ${given(pool) ? 'pool ' : given(resource) ? 'resource ' : ''}${describeValue(id)}`,
    )
  }
  return { id, pool: given(pool), service: false }
}
