import type { z } from 'zod'
import type {
  adminBookingsQuerySchema,
  adminCancelSchema,
  adminRescheduleSchema,
  adminResourceCreateSchema,
  adminResourceUpdateSchema,
  adminScheduleSchema,
  adminSetupSchema,
  bookingRequestSchema,
  cancelRequestSchema,
  holdRequestSchema,
  rescheduleRequestSchema,
} from './schemas'
import type { AdminResource, PublicBooking, PublicHold, PublicResource, ScheduleRule } from './types'

/*
 * What each route of the API takes and answers, in one place: the routes check their
 * answers against these types, and the widget, the SDK and the owner console read them.
 * Request bodies are the shapes the route's schema accepts (`z.input`), so a client that
 * types its body against them sends what the server takes. Types only: nothing here is
 * code, so a bundle that must stay free of zod (the console) may import it.
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

/** `POST /v1/holds` body. */
export type HoldRequestBody = z.input<typeof holdRequestSchema>

/** `POST /v1/holds` → 201. */
export interface HoldResponse {
  hold: PublicHold
}

/** `POST /v1/bookings` body. */
export type BookingRequestBody = z.input<typeof bookingRequestSchema>

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
export type CancelRequestBody = z.input<typeof cancelRequestSchema>

/** `POST /v1/bookings/:ref/reschedule` body. */
export type RescheduleRequestBody = z.input<typeof rescheduleRequestSchema>

// ——— Owner (admin) API, under /v1/admin ———

/** `POST /setup` body. */
export type AdminSetupBody = z.input<typeof adminSetupSchema>

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

/** `POST /resources` body. */
export type AdminResourceCreateBody = z.input<typeof adminResourceCreateSchema>

/** `PATCH /resources/:id` body: any of the fields, at least one. */
export type AdminResourceUpdateBody = z.input<typeof adminResourceUpdateSchema>

/** `PUT /resources/:id/schedules` body. */
export type AdminScheduleBody = z.input<typeof adminScheduleSchema>

/** `GET|PUT /resources/:id/schedules` → 200. */
export interface AdminSchedulesResponse {
  schedules: ScheduleRule[]
}

/**
 * A booking as its owner sees it: the guest's view plus the internal id, and while it is
 * pending or confirmed, what cancelling it now would refund by its policy (`cancellation`).
 */
export type AdminBooking = PublicBooking & { id: string }

/** `GET /bookings` query, as sent (strings). */
export type AdminBookingsQuery = { [Key in keyof z.input<typeof adminBookingsQuerySchema>]?: string }

/** `GET /bookings` → 200: a page, and the cursor of the next one (null on the last). */
export interface AdminBookingsPage {
  bookings: AdminBooking[]
  nextCursor: string | null
}

/** `GET /bookings/:id`, `POST /bookings/:id/reschedule`, `POST /bookings/:id/:transition` → 200. */
export interface AdminBookingResponse {
  booking: AdminBooking
}

/** `POST /bookings/:id/reschedule` body. */
export type AdminRescheduleBody = z.input<typeof adminRescheduleSchema>

/** `POST /bookings/:id/cancel` body (optional). */
export type AdminCancelBody = z.input<typeof adminCancelSchema>

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
