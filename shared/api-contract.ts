import type {
  AdminPool,
  AdminService,
  AdminResource,
  PublicBooking,
  PublicHold,
  PublicPool,
  PublicResource,
  PublicService,
  ScheduleRule,
} from './types'
import type { IntakeAnswers } from './resource-config'

/*
 * What each route of the API takes and answers, in one place: the routes check their
 * answers against these types, and the widget, the SDK and the owner console read them.
 * Request bodies are the shapes the route's schema accepts (its `z.input`), written out
 * because the published SDK's types must not need zod; contract-shapes.test.ts fails
 * type-checking when one drifts from its schema. The owner API's bodies, which the SDK
 * does not send, stay zod-typed in admin-contract.ts. Types only: nothing here is code.
 */

// ——— Public API ———

/** `GET /v1/resources` → 200. */
export interface ResourcesResponse {
  resources: PublicResource[]
}

/** `GET /v1/resources/:idOrSlug` → 200. */
export interface ResourceResponse {
  resource: PublicResource
}

/** `POST /v1/holds` body. Instants are ISO-8601 with `Z` or an offset. */
export interface HoldRequestBody {
  /** Resource id or slug. */
  resourceId: string
  start: string
  /** Omitted: the slot that starts at `start` (for undivided windows, the shortest duration). */
  end?: string
  /** Places to hold, for a resource with capacity above 1 (default 1). */
  seats?: number
}

/**
 * `POST /v1/pools/:idOrSlug/holds` body: a time from the pool's availability; the server
 * picks the member by the pool's strategy (or takes `memberId`, when the pool lets guests
 * choose) and answers a hold of that member, like `POST /v1/holds`.
 */
export interface PoolHoldRequestBody {
  start: string
  end?: string
  seats?: number
  /** Guests at the table, for a pool of tables: only members that seat this many are picked. */
  partySize?: number
  /** A member's id or slug, when the guest chose one. */
  memberId?: string
}

/**
 * `POST /v1/services/:idOrSlug/holds` body: a time from the service's availability. The
 * server holds every part at once (a pool part: a free member by the pool's strategy) and
 * answers the lead hold, with `parts` naming what each further part took; the guest books
 * with the lead hold's id like any other.
 */
export interface ServiceHoldRequestBody {
  start: string
  end?: string
  /**
   * Resource ids per part position (0 is the lead), to keep the resources a booking already
   * has (moving a combined booking keeps its therapist and room); omitted parts are assigned
   * as usual.
   */
  parts?: { position: number; resourceId: string }[]
}

/** `GET /v1/services/:idOrSlug` → 200. */
export interface ServiceResponse {
  service: PublicService
}

/** `GET /v1/pools/:idOrSlug` → 200. */
export interface PoolResponse {
  pool: PublicPool
}

/** `POST /v1/holds` → 201. */
export interface HoldResponse {
  hold: PublicHold
}

/** The guest of `POST /v1/bookings`. */
export interface BookingRequestGuest {
  name: string
  email: string
  /**
   * As typed: digits with spaces, dashes, brackets, dots or slashes, national (`030 1234567`)
   * or international (`+44 20 7123 4567`). Whether it is a real number depends on the
   * resource's country, so the booking route checks that and stores it in E.164.
   */
  phone?: string
}

/** `POST /v1/bookings` body. */
export interface BookingRequestBody {
  holdId: string
  guest: BookingRequestGuest
  notes?: string
  /** Answers to the resource's intake questions, by question id (choice questions: the choice ids). */
  answers?: IntakeAnswers
  /** Language for the guest's messages (any BCP 47 tag; `en`, `de`, `es` are spoken, others fall back to `en`). */
  locale?: string
  /** The IANA zone the guest saw the times in; messages state times in it (else the resource's zone). */
  timezone?: string
}

/**
 * What the card form needs to take a booking's payment (the provider's client secret and
 * publishable key); the amount is in minor units of `currency`.
 */
export interface PaymentDue {
  clientSecret: string
  publishableKey: string
  /** Minor units of `currency`. */
  amount: number
  currency: string
}

/** `POST /v1/bookings` → 201. */
export interface CreatedBooking {
  booking: PublicBooking
  /** Shown once: the guest's key to view, cancel or reschedule this booking. */
  manageToken: string
  /** For resources that take payment: what the card form needs. The booking stays pending until paid. */
  payment?: PaymentDue
}

/** `GET /v1/bookings/:ref`, `POST …/cancel`, `POST …/reschedule` → 200. */
export interface BookingResponse {
  booking: PublicBooking
}

/** `POST /v1/bookings/:ref/cancel` body. */
export interface CancelRequestBody {
  reason?: string
}

/** `POST /v1/bookings/:ref/reschedule` body. */
export interface RescheduleRequestBody {
  holdId: string
}

// ——— Owner (admin) API, under /v1/admin (request bodies in admin-contract.ts) ———

/** `POST /setup` → 201: the owner's first key, shown this once. */
export interface AdminSetupResponse {
  key: string
  prefix: string
  name: string
}

/** `GET /resources` → 200. */
export interface AdminResourcesResponse {
  resources: AdminResource[]
}

/** `POST /resources`, `GET|PATCH /resources/:id`, a `DELETE` that deactivates → the resource. */
export interface AdminResourceResponse {
  resource: AdminResource
}

/** `GET|PUT /resources/:id/schedules` → 200. */
export interface AdminSchedulesResponse {
  schedules: ScheduleRule[]
}

/** `GET /pools` → 200: every pool, inactive ones included. */
export interface AdminPoolsResponse {
  pools: AdminPool[]
}

/** `POST /pools` (201), `GET|PATCH|DELETE /pools/:id`, `PUT /pools/:id/members` → the pool. */
export interface AdminPoolResponse {
  pool: AdminPool
}

/** `GET /services` → 200: every service, inactive ones included. */
export interface AdminServicesResponse {
  services: AdminService[]
}

/** `POST /services` (201), `GET|PATCH|DELETE /services/:id` → the service. */
export interface AdminServiceResponse {
  service: AdminService
}

/**
 * A booking as its owner sees it: the guest's view plus the internal id, and while it is
 * pending or confirmed, what cancelling it now would refund by its policy (`cancellation`).
 */
export type AdminBooking = PublicBooking & { id: string }

/** `GET /bookings` → 200: a page, and the cursor of the next one (null on the last). */
export interface AdminBookingsPage {
  bookings: AdminBooking[]
  nextCursor: string | null
}

/** `GET /bookings/:id`, `POST /bookings/:id/reschedule`, `POST /bookings/:id/:transition` → 200. */
export interface AdminBookingResponse {
  booking: AdminBooking
}

/** One entry of a booking's message log. */
export interface AdminNotification {
  id: string
  bookingId: string
  event: string
  channel: string
  recipient: string | null
  version: number
  status: string
  attempts: number
  sendAfter: string
  sentAt: string | null
  lastError: string | null
  skipReason: string | null
}

/** `GET /notifications?bookingId` → 200. */
export interface AdminNotificationsResponse {
  notifications: AdminNotification[]
}

// ——— Webhooks (owner API under /v1/admin/webhooks, and what a receiver gets) ———

/** One of the owner's webhook endpoints. `secret` (`whsec_…`) only on create, rotate and `GET /webhooks/:id`. */
export interface AdminWebhookEndpoint {
  id: string
  url: string
  description: string | null
  events: import('./webhook-events').WebhookEvent[]
  secret?: string
  isActive: boolean
  /** Set when the endpoint was switched off after repeated failures (or by the owner). */
  disabledAt: string | null
  disabledReason: string | null
  /** Failed attempts since the last success. */
  consecutiveFailures: number
  createdAt: string
}

/** `POST /webhooks` (201), `GET|PATCH|DELETE /webhooks/:id`, `POST /webhooks/:id/rotate-secret` → 200. */
export interface AdminWebhookEndpointResponse {
  endpoint: AdminWebhookEndpoint
}

/** `GET /webhooks` → 200, newest first, without secrets. */
export interface AdminWebhookEndpointsResponse {
  endpoints: AdminWebhookEndpoint[]
}

/** One event sent (or to be sent) to one endpoint. */
export interface AdminWebhookDelivery {
  id: string
  /** `evt_…`, as in the body the receiver gets. */
  eventId: string
  event: import('./webhook-events').WebhookEvent | 'ping'
  bookingId: string | null
  sequence: number
  status: 'pending' | 'sending' | 'delivered' | 'failed'
  attempts: number
  nextAttemptAt: string
  lastStatusCode: number | null
  lastLatencyMs: number | null
  lastError: string | null
  deliveredAt: string | null
  createdAt: string
}

/** `GET /webhooks/:id/deliveries` → 200 (newest first, at most 50); `POST …/resend`, `POST /webhooks/:id/test` → `{delivery}`. */
export interface AdminWebhookDeliveriesResponse {
  deliveries: AdminWebhookDelivery[]
}

export interface AdminWebhookDeliveryResponse {
  delivery: AdminWebhookDelivery
}

/** A booking as a webhook receiver gets it: as it stood when the event happened. */
export interface WebhookBooking {
  id: string
  ref: string
  resourceId: string
  serviceId: string | null
  poolId: string | null
  status: import('./booking-status').BookingStatus
  start: string
  end: string
  seats: number
  partySize: number | null
  guest: { name: string; email: string; phone: string | null }
  notes: string | null
  /** The intake answers by question id, as given. */
  answers: IntakeAnswers | null
  /** The same answers in words, beside the questions as they were asked, in the booking's language. */
  answersReadable: { questionId: string; question: string; answer: string }[]
  locale: string
  version: number
  /** Money in minor units of `currency`; present when the booking takes a payment. */
  payment?: {
    status: import('./booking-status').PaymentStatus | null
    amount: number | null
    currency: string | null
    authorized: number
    captured: number
    refunded: number
  }
  cancelReason: string | null
  createdAt: string
}

/**
 * The JSON body of a webhook delivery, signed in the `Booking-Signature` header as
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`. The same event has the
 * same body on every retry; `sequence` increases with every event of one booking.
 */
export type WebhookEventBody = {
  id: string
  created: number
  sequence: number
} & (
  | {
      type: Exclude<import('./webhook-events').WebhookEvent, `waitlist.${string}`>
      data: {
        booking: WebhookBooking
        /** On changes: how the booking stood before. */
        previous?: { status: string; start: string; end: string; resourceId: string }
      }
    }
  | {
      type: 'waitlist.joined' | 'waitlist.offered' | 'waitlist.claimed' | 'waitlist.expired'
      data: WebhookWaitlistData
    }
  | { type: 'ping'; data: { endpointId: string } }
)

// --- Calendar feeds (owner API: /v1/admin/resources/:id/feed) ---

/** A resource's subscribable calendar: its secret address (null = turned off) and what it shows. */
export interface AdminCalendarFeed {
  /** `…/v1/feeds/<token>.ics`; anyone holding it reads the calendar, so rotate it when it leaks. */
  url: string | null
  /** The resource's `config.feedGuestNames` (set through the resource's PATCH). */
  includeGuestNames: boolean
}

/** `GET|POST|DELETE /resources/:id/feed` → 200. */
export interface AdminCalendarFeedResponse {
  feed: AdminCalendarFeed
}

// --- Busy-time import (owner API: /v1/admin/resources/:id/busy-sources, /v1/admin/busy-sources/:id) ---

/** A calendar whose busy events block a resource, and how its last fetches went. Instants are ISO UTC. */
export interface AdminBusySource {
  id: string
  resourceId: string
  url: string
  label: string | null
  pollMinutes: number
  lastAttemptAt: string | null
  /** The last fetch that was read: its busy times are the ones in force. */
  lastSuccessAt: string | null
  /** Why the last attempt failed; null once one succeeds. */
  lastError: string | null
  nextPollAt: string
  /** Busy times in force from this calendar. */
  blockCount: number
}

/** `POST /resources/:id/busy-sources` `{url, label?, pollMinutes?}` → 201 (fetched once; a failure shows in `lastError`). */
export interface AdminBusySourceCreate {
  url: string
  label?: string | null
  pollMinutes?: number
}

/** `PATCH /busy-sources/:id`: any of the fields. */
export type AdminBusySourceUpdate = Partial<AdminBusySourceCreate>

/** `POST /resources/:id/busy-sources`, `PATCH|POST …/refresh /busy-sources/:id` → the source. */
export interface AdminBusySourceResponse {
  source: AdminBusySource
}

/** `GET /resources/:id/busy-sources` → 200. */
export interface AdminBusySourcesResponse {
  sources: AdminBusySource[]
}

// --- Recurring bookings (series): /v1/bookings/series, /v1/series/:ref, series-availability ---

/** Why an occurrence of a series cannot be booked: booked, held by another guest now, or not offered then. */
export type SeriesConflictReason = 'taken' | 'held' | 'closed'

/** One date of a series that was not booked (or would not be): its local date and interval (ISO UTC). */
export interface SeriesConflict {
  date: string
  start: string
  end: string
  reason: SeriesConflictReason
}

/** `POST /v1/bookings/series` body: a hold of the first occurrence, repeated every N weeks at its local time. */
export interface SeriesBookingRequest {
  holdId: string
  guest: { name: string; email: string; phone?: string }
  notes?: string
  answers?: Record<string, string | number | boolean | string[]>
  locale?: string
  timezone?: string
  /** `occurrences` (the first included, 2–52) or `until` (a local date `YYYY-MM-DD`), not both. */
  repeat: { everyWeeks: number; occurrences?: number; until?: string }
  /** `all_or_nothing`: every date or 409 `slot_taken` listing the taken ones; `skip_conflicts`: the free ones. */
  mode: 'all_or_nothing' | 'skip_conflicts'
}

/** A series and its occurrences (cancelled ones included), in date order. */
export interface PublicSeries {
  ref: string
  id: string
  resourceId: string
  everyWeeks: number
  occurrences?: number
  until?: string
  mode: 'all_or_nothing' | 'skip_conflicts'
  bookings: PublicBooking[]
  /** Local dates skipped when it was booked (`skip_conflicts`). */
  skippedDates: string[]
}

/** `POST /v1/bookings/series` → 201: one manage token opens the series and each occurrence (`GET /v1/bookings/:ref`). */
export interface CreatedSeries {
  /** `skipped`: the dates not booked (`skip_conflicts`) and why. */
  series: PublicSeries & { skipped: SeriesConflict[] }
  manageToken: string
  /**
   * On a resource that takes payment online: ONE payment for every date booked (the sum of
   * each date's amount), for the card step. The dates stay `pending` until it is authorized;
   * each date then holds its own share, refunded by its own policy when it is cancelled.
   */
  payment?: PaymentDue
}

/** `GET /v1/series/:ref` → 200. */
export interface SeriesResponse {
  series: PublicSeries
}

/** `POST /v1/series/:ref/cancel` → 200: the future occurrences cancelled, and those the policy kept (too close to cancel online). */
export interface CancelledSeries {
  series: PublicSeries
  cancelled: string[]
  kept: { ref: string; reason: string }[]
}

/** `POST /v1/series/:ref/reschedule` body: the new time of the next date; the later ones follow at the same local shift. */
export interface SeriesRescheduleRequest {
  /** The new start of the series' next active date (ISO instant). */
  start: string
  /** Its new end; omitted, every date keeps its length. */
  end?: string
}

/**
 * `POST /v1/series/:ref/reschedule` (guest) and `POST /v1/admin/series/:id/reschedule`
 * (owner) → 200: every future active date moved by the same local shift, all in one
 * transaction; `moved` lists their refs (empty when the series already was there).
 */
export interface MovedSeries {
  series: PublicSeries
  moved: string[]
}

/** `GET /v1/resources/:idOrSlug/series-availability` → 200: every occurrence, free or why not. */
export interface SeriesAvailability {
  occurrences: { date: string; start: string; end: string; free: boolean; reason?: SeriesConflictReason }[]
}

// --- Waitlist (docs/waitlist.md): /v1/waitlist, /v1/waitlist/:ref, /v1/admin/waitlist ---

/**
 * `POST /v1/waitlist` body: wait for a time of a resource. Give `start` and `end` (one slot,
 * `kind: 'slot'`, or a stretch of a day, `kind: 'range'`, the default) or a local `date`
 * (the whole day in the resource's zone); the booking offered lies within that window.
 */
export interface WaitlistJoinRequestBody {
  resourceId: string
  kind?: 'slot' | 'range'
  start?: string
  end?: string
  date?: string
  duration?: number
  seats?: number
  guest: { name: string; email: string; phone?: string }
  locale?: string
  timezone?: string
}

/** `POST /v1/waitlist/:ref/claim` body: what a booking takes beyond the waiter's details. */
export interface WaitlistClaimRequestBody {
  notes?: string
  answers?: Record<string, string | number | boolean | string[]>
}

/** The time offered to a waiter, kept for them until `expiresAt` (ISO UTC). */
export interface PublicWaitlistOffer {
  start: string
  end: string
  expiresAt: string
}

/** A waitlist entry as its guest sees it (`GET /v1/waitlist/:ref` with the entry's token). */
export interface PublicWaitlistEntry {
  ref: string
  resourceId: string
  resourceName: string
  /** The resource's IANA zone: the window's local times are in it. */
  timezone: string
  kind: 'slot' | 'range' | 'day'
  /** The window the booking will lie within (ISO UTC, half-open). */
  windowStart: string
  windowEnd: string
  seats: number
  status: 'waiting' | 'booked' | 'left' | 'removed' | 'expired'
  /** While waiting: 1 = served next among the waiters whose windows overlap this one. */
  position: number | null
  /** The open offer, while there is one. */
  offer: PublicWaitlistOffer | null
  /** The booking the entry became (`status: 'booked'`). */
  bookingRef?: string
  guest: { name: string; email: string; phone?: string }
  locale: string
}

/** `POST /v1/waitlist` → 201: the token opens the entry (`Authorization: Bearer`), shown once. */
export interface JoinedWaitlist {
  entry: PublicWaitlistEntry
  token: string
}

/** `GET /v1/waitlist/:ref`, `POST …/decline`, `POST …/leave` → 200. */
export interface WaitlistEntryResponse {
  entry: PublicWaitlistEntry
}

/** An entry in the owner's list, with every offer it had (newest first). */
export interface AdminWaitlistEntry extends PublicWaitlistEntry {
  id: string
  createdAt: string
  endedAt: string | null
  offers: (PublicWaitlistOffer & {
    status: 'open' | 'claimed' | 'declined' | 'lapsed' | 'withdrawn'
    offeredAt: string
    endedAt: string | null
  })[]
}

/** `GET /v1/admin/waitlist?resourceId=&from=&to=&status=` → 200, in queue order. */
export interface AdminWaitlistResponse {
  entries: AdminWaitlistEntry[]
}

/** The `data` of a `waitlist.*` webhook event. */
export interface WebhookWaitlistData {
  entry: {
    id: string
    ref: string
    resourceId: string
    kind: 'slot' | 'range' | 'day'
    windowStart: string
    windowEnd: string
    seats: number
    status: string
    guest: { name: string; email: string; phone: string | null }
    locale: string
    bookingId: string | null
    createdAt: string
  }
  /** On waitlist.offered / .claimed, and on .expired when an offer lapsed (absent when the entry's window passed). */
  offer?: {
    id: string
    start: string
    end: string
    status: string
    offeredAt: string
    expiresAt: string
    bookingId: string | null
  }
}
