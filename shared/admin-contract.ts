import type { z } from 'zod'
import type {
  adminBookingRequestSchema,
  adminBookingsQuerySchema,
  adminCancelSchema,
  adminPoolCreateSchema,
  adminPoolMembersSchema,
  adminPoolUpdateSchema,
  adminRescheduleSchema,
  adminResourceCreateSchema,
  adminResourceUpdateSchema,
  adminScheduleSchema,
  adminServiceCreateSchema,
  adminServiceUpdateSchema,
  adminSetupSchema,
} from './schemas'

/*
 * What the owner (admin) API under /v1/admin takes: the shapes each route's schema accepts
 * (`z.input`), so a client that types its body against them sends what the server takes.
 * Apart from api-contract.ts because these refer to zod's types, which the published SDK's
 * types must not; only the console and the API read them. Types only: nothing here is code,
 * so the console's bundle stays free of zod.
 */

/** `POST /setup` body. */
export type AdminSetupBody = z.input<typeof adminSetupSchema>

/** `POST /resources` body. */
export type AdminResourceCreateBody = z.input<typeof adminResourceCreateSchema>

/** `PATCH /resources/:id` body: any of the fields, at least one. */
export type AdminResourceUpdateBody = z.input<typeof adminResourceUpdateSchema>

/** `PUT /resources/:id/schedules` body. */
export type AdminScheduleBody = z.input<typeof adminScheduleSchema>

/** `POST /pools` body: members in order, each a resource id or slug. */
export type AdminPoolCreateBody = z.input<typeof adminPoolCreateSchema>

/** `PATCH /pools/:id` body: any field but the members, at least one. */
export type AdminPoolUpdateBody = z.input<typeof adminPoolUpdateSchema>

/** `PUT /pools/:id/members` body: the whole list, in order. */
export type AdminPoolMembersBody = z.input<typeof adminPoolMembersSchema>

/** `GET /bookings` query, as sent (strings). */
export type AdminBookingsQuery = { [Key in keyof z.input<typeof adminBookingsQuerySchema>]?: string }

/** `POST /bookings/:id/reschedule` body. */
export type AdminRescheduleBody = z.input<typeof adminRescheduleSchema>

/** `POST /bookings` body: the owner books for a guest (instants as ISO strings). */
export type AdminBookingBody = z.input<typeof adminBookingRequestSchema>

/** `POST /bookings/:id/cancel` body (optional). */
export type AdminCancelBody = z.input<typeof adminCancelSchema>

/** `POST /services` body: parts in order (the first leads), each a resource or a pool by id or slug. */
export type AdminServiceCreateBody = z.input<typeof adminServiceCreateSchema>

/** `PATCH /services/:id` body: any field, at least one; `parts` replaces the whole list. */
export type AdminServiceUpdateBody = z.input<typeof adminServiceUpdateSchema>
