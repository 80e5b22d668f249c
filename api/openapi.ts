import { z } from 'zod'
import { ERROR_CODES } from '../shared/errors'
import {
  adminBookingRequestSchema,
  adminBookingsQuerySchema,
  adminCancelSchema,
  adminNotificationsQuerySchema,
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
  availabilityQuerySchema,
  bookingRequestSchema,
  cancelRequestSchema,
  holdRequestSchema,
  localAdminKeyCreateSchema,
  nextAvailableQuerySchema,
  poolHoldRequestSchema,
  rescheduleRequestSchema,
  seriesAvailabilityQuerySchema,
  seriesRequestSchema,
  seriesRescheduleSchema,
  waitlistClaimSchema,
  waitlistJoinSchema,
  adminWaitlistQuerySchema,
  serviceHoldRequestSchema,
} from '../shared/schemas'
import { busySourceCreateSchema, busySourceUpdateSchema } from '../shared/busy-source-schemas'
import { availabilityFormatQuerySchema } from './availability-response'
import { adminExportQuerySchema } from './routes/admin-export'
import { WEBHOOK_ROUTE_DOCS } from './webhooks/openapi-webhooks'
import { poolAvailabilityQuerySchema } from './routes/pools'
import { spansQuerySchema } from './routes/spans'
import { AVAILABILITY_OK, availabilityResponses, availabilitySchemas } from './openapi-availability'

/*
 * The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with
 * (zod's own JSON Schema output, so a changed schema changes the document). The route
 * list is checked against the app's real routes by a test: a route missing here fails it.
 */

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'

interface RouteDoc {
  method: Method
  path: string
  summary: string
  tag: 'public' | 'guest' | 'owner' | 'system'
  body?: z.ZodType
  query?: z.ZodObject
  /** Status → description of the success response. */
  ok: [number, string]
  auth?: 'manage-token' | 'admin-key' | 'cron-secret' | 'stripe-signature' | 'local-secret'
  session?: boolean
  /** Responses documented in full (schemas, headers, more statuses); they replace `ok`'s bare description. */
  responses?: Record<number, unknown>
}

/** `?seats=` as the availability routes read it, with what it means for the reader of the document. */
const SEATS_QUERY = nextAvailableQuerySchema.shape.seats.describe(
  'Places wanted in one slot (default 1): only slots with at least this many free are offered. A resource of one place has no slot for more than 1.',
)

export const API_ROUTES: RouteDoc[] = [
  { method: 'get', path: '/health', summary: 'Liveness', tag: 'system', ok: [200, '{status: "ok"}'] },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics (text format)',
    tag: 'system',
    ok: [200, 'text/plain; version=0.0.4'],
  },
  {
    method: 'get',
    path: '/widget.js',
    summary: 'The embed script: a small loader for the hashed modules under /assets (5-minute cache, ETag)',
    tag: 'system',
    ok: [200, 'JavaScript'],
  },
  { method: 'get', path: '/v1/openapi.json', summary: 'This document', tag: 'system', ok: [200, 'OpenAPI 3.1'] },
  {
    method: 'get',
    path: '/v1/resources',
    summary: 'Active resources, public form',
    tag: 'public',
    ok: [200, '{resources}'],
  },
  { method: 'get', path: '/v1/resources/{idOrSlug}', summary: 'One resource', tag: 'public', ok: [200, '{resource}'] },
  {
    method: 'get',
    path: '/v1/resources/{idOrSlug}/availability',
    summary:
      'Free slots by day in a zone (at most 62 days); a resource booked by the span answers no days, its `resource.span` pointing at /spans',
    tag: 'public',
    // The fields of both query schemas; the range rules are stated in the summary.
    query: z.object({
      ...(availabilityQuerySchema as unknown as z.ZodObject).shape,
      seats: SEATS_QUERY,
      ...availabilityFormatQuerySchema.shape,
    }),
    ok: [200, AVAILABILITY_OK],
    responses: availabilityResponses(),
  },
  {
    method: 'get',
    path: '/v1/resources/{idOrSlug}/spans',
    summary:
      'A resource booked as a span across days (a car, a room by the night): each day’s pickup times (at most 62 days), or with `start` each day’s return times for that pickup and latestReturn (null when it cannot start then); hold a span with POST /v1/holds {resourceId, start, end}. 422 outside_availability for a resource booked by the slot',
    tag: 'public',
    query: spansQuerySchema as unknown as z.ZodObject,
    ok: [200, '{resource, timezone, span, days: [{date, pickups} | {date, returns}], latestReturn?} (ETag)'],
  },
  {
    method: 'get',
    path: '/v1/resources/{idOrSlug}/next-available',
    summary:
      'The first free slot on or after a day (in a zone), within the booking horizon (null for a resource booked by the span)',
    tag: 'public',
    query: nextAvailableQuerySchema.extend({ seats: SEATS_QUERY }),
    ok: [200, '{nextAvailable: {date, start, end} | null}'],
  },
  {
    method: 'get',
    path: '/v1/pools/{idOrSlug}',
    summary: 'One pool ("any available"): its first member’s public view, and its members when guests may choose',
    tag: 'public',
    ok: [200, '{pool}'],
  },
  {
    method: 'get',
    path: '/v1/pools/{idOrSlug}/availability',
    summary:
      'The union of the members’ free slots by day (at most 62 days), each with membersFree; partySize keeps the tables that seat the party, member one member',
    tag: 'public',
    query: z.object({
      ...(availabilityQuerySchema as unknown as z.ZodObject).shape,
      seats: SEATS_QUERY,
      ...poolAvailabilityQuerySchema.shape,
      ...availabilityFormatQuerySchema.shape,
    }),
    ok: [
      200,
      '{pool, timezone, days: [{date, slots: [{start, end, membersFree}]}], holds?} (compact: membersFree per day, in slot order)',
    ],
  },
  {
    method: 'get',
    path: '/v1/pools/{idOrSlug}/next-available',
    summary:
      'The first time any eligible member is free on or after a day (in a zone), within the furthest member’s booking horizon; partySize and member as for the pool’s availability',
    tag: 'public',
    query: nextAvailableQuerySchema.extend({ seats: SEATS_QUERY, ...poolAvailabilityQuerySchema.shape }),
    ok: [200, '{nextAvailable: {date, start, end} | null}'],
  },
  {
    method: 'post',
    path: '/v1/pools/{idOrSlug}/holds',
    summary:
      'Hold a time of the pool for this session: the member is picked by the pool’s strategy (or memberId, when guests may choose); 409 slot_held when every free member is being held',
    tag: 'public',
    body: poolHoldRequestSchema,
    session: true,
    ok: [201, '{hold} (resourceId: the member; poolId, partySize)'],
  },
  {
    method: 'get',
    path: '/v1/services/{idOrSlug}',
    summary:
      'One service (several resources at once): its parts, and its lead part’s public view for price and durations',
    tag: 'public',
    ok: [200, '{service}'],
  },
  {
    method: 'get',
    path: '/v1/services/{idOrSlug}/availability',
    summary:
      'The lead part’s free slots by day (at most 62 days) at which every other part has a resource free (a pool part: any member), each widened by that resource’s buffers',
    tag: 'public',
    query: z.object({
      ...(availabilityQuerySchema as unknown as z.ZodObject).shape,
      ...availabilityFormatQuerySchema.shape,
    }),
    ok: [200, '{service, timezone, days: [{date, slots: [{start, end}]}], holds?}'],
  },
  {
    method: 'get',
    path: '/v1/services/{idOrSlug}/next-available',
    summary: 'The first time every part is free on or after a day (in a zone), within the lead’s booking horizon',
    tag: 'public',
    query: nextAvailableQuerySchema,
    ok: [200, '{nextAvailable: {date, start, end} | null}'],
  },
  {
    method: 'post',
    path: '/v1/services/{idOrSlug}/holds',
    summary:
      'Hold a time of the service for this session: every part at once or none (a pool part: a free member by its strategy, or parts[].resourceId); 409 slot_held / slot_taken naming the part that is not free',
    tag: 'public',
    body: serviceHoldRequestSchema,
    session: true,
    ok: [201, '{hold} (resourceId: the lead; serviceId, parts: [{position, resourceId, name}])'],
  },
  {
    method: 'post',
    path: '/v1/holds',
    summary:
      'Hold a slot for this session; for a resource booked by the span, `end` is the return time and a span breaking a rule is refused with 422 outside_availability naming it (details.reason)',
    tag: 'public',
    body: holdRequestSchema,
    session: true,
    ok: [201, '{hold}'],
  },
  {
    method: 'delete',
    path: '/v1/holds/{id}',
    summary: 'Release this session’s hold',
    tag: 'public',
    session: true,
    ok: [204, 'released'],
  },
  {
    method: 'post',
    path: '/v1/bookings',
    summary: 'Turn a hold into a booking (Idempotency-Key optional)',
    tag: 'public',
    body: bookingRequestSchema,
    session: true,
    ok: [201, '{booking, manageToken, payment?}'],
  },
  {
    method: 'get',
    path: '/v1/bookings/{ref}',
    summary: 'The guest’s booking, with what cancelling now would give back',
    tag: 'guest',
    auth: 'manage-token',
    ok: [200, '{booking: {…, cancellation?: {allowed, percent, refund?}}}'],
  },
  {
    method: 'post',
    path: '/v1/bookings/{ref}/cancel',
    summary: 'Cancel under the policy; states the refund',
    tag: 'guest',
    auth: 'manage-token',
    body: cancelRequestSchema,
    ok: [200, '{booking}'],
  },
  {
    method: 'post',
    path: '/v1/bookings/{ref}/reschedule',
    summary: 'Move to a held time',
    tag: 'guest',
    auth: 'manage-token',
    session: true,
    body: rescheduleRequestSchema,
    ok: [200, '{booking}'],
  },
  {
    method: 'post',
    path: '/v1/bookings/series',
    summary:
      'Book a hold’s time repeated every N weeks at the same local time (Idempotency-Key optional; all_or_nothing: 409 slot_taken listing every taken date; skip_conflicts: the free dates); on a resource that takes payment online, ONE payment for every date (`payment`), the dates pending until it is authorized',
    tag: 'public',
    body: seriesRequestSchema,
    session: true,
    ok: [201, '{series: {ref, id, bookings, skipped, …}, manageToken, payment?}'],
  },
  {
    method: 'get',
    path: '/v1/resources/{idOrSlug}/series-availability',
    summary: 'Whether each date of a series (the first included) is free, and why not',
    tag: 'public',
    query: seriesAvailabilityQuerySchema,
    ok: [200, '{occurrences: [{date, start, end, free, reason?}]}'],
  },
  {
    method: 'get',
    path: '/v1/series/{ref}',
    summary: 'The guest’s series with all its dates (the manage token of the series)',
    tag: 'guest',
    auth: 'manage-token',
    ok: [200, '{series}'],
  },
  {
    method: 'get',
    path: '/v1/series/{ref}/calendar.ics',
    summary:
      'Every date of the series still booked as one iCalendar file (each date’s own UID, as in its booking’s file)',
    tag: 'guest',
    auth: 'manage-token',
    ok: [200, 'text/calendar'],
  },
  {
    method: 'post',
    path: '/v1/series/{ref}/cancel',
    summary: 'Cancel every future date of the series, each under its own policy',
    tag: 'guest',
    auth: 'manage-token',
    body: cancelRequestSchema,
    ok: [200, '{series, cancelled, kept}'],
  },
  {
    method: 'post',
    path: '/v1/series/{ref}/reschedule',
    summary:
      'Move every future date of the series: `start` is the next date’s new time, the others keep the same local shift and wall time (one transaction; 409 slot_taken listing the dates not free; 422 reschedule_closed naming dates past their notice)',
    tag: 'guest',
    auth: 'manage-token',
    body: seriesRescheduleSchema,
    ok: [200, '{series, moved}'],
  },
  {
    method: 'post',
    path: '/v1/admin/series/{id}/cancel',
    summary: 'Cancel every future date of a series as the owner (refund by each date’s policy, or refundPercent)',
    tag: 'owner',
    auth: 'admin-key',
    body: adminCancelSchema,
    ok: [200, '{series, cancelled, kept}'],
  },
  {
    method: 'post',
    path: '/v1/admin/series/{id}/reschedule',
    summary:
      'Move every future date of a series as the owner (not bound by notice; still within the schedule and horizon, 409 slot_taken listing the dates not free)',
    tag: 'owner',
    auth: 'admin-key',
    body: seriesRescheduleSchema,
    ok: [200, '{series, moved}'],
  },
  {
    method: 'post',
    path: '/v1/waitlist',
    summary:
      'Wait for a full time: one slot or a stretch of a day (start, end) or a whole local day (date). When a time in it frees, the first waiter is offered it under a hold for waitlistOfferMinutes, by email and SMS (409 already_waiting; 422 waitlist_closed)',
    tag: 'public',
    body: waitlistJoinSchema,
    ok: [201, '{entry: {ref, status, position, offer, …}, token}'],
  },
  {
    method: 'get',
    path: '/v1/waitlist/{ref}',
    summary: 'The guest’s waitlist entry: place in line, the open offer and until when (the entry’s token)',
    tag: 'guest',
    auth: 'manage-token',
    ok: [200, '{entry}'],
  },
  {
    method: 'post',
    path: '/v1/waitlist/{ref}/claim',
    summary:
      'Book the offered time, answered like POST /v1/bookings (payment included); 410 offer_expired once the offer lapsed or was passed on',
    tag: 'guest',
    auth: 'manage-token',
    body: waitlistClaimSchema,
    ok: [201, '{booking, manageToken, payment?}'],
  },
  {
    method: 'post',
    path: '/v1/waitlist/{ref}/decline',
    summary: 'Pass the offered time to the next waiter; the entry keeps waiting for other times',
    tag: 'guest',
    auth: 'manage-token',
    ok: [200, '{entry}'],
  },
  {
    method: 'post',
    path: '/v1/waitlist/{ref}/leave',
    summary: 'Leave the waitlist (an open offer passes to the next waiter)',
    tag: 'guest',
    auth: 'manage-token',
    ok: [200, '{entry}'],
  },
  {
    method: 'get',
    path: '/v1/admin/waitlist',
    summary: 'A resource’s waitlist for some local days, in queue order, with every offer each entry had',
    tag: 'owner',
    auth: 'admin-key',
    query: adminWaitlistQuerySchema,
    ok: [200, '{entries}'],
  },
  {
    method: 'post',
    path: '/v1/admin/waitlist/{id}/remove',
    summary: 'Take an entry off the waitlist (its open offer passes to the next waiter)',
    tag: 'owner',
    auth: 'admin-key',
    ok: [200, '{entry}'],
  },
  {
    method: 'get',
    path: '/v1/bookings/{ref}/calendar.ics',
    summary: 'The booking as an iCalendar file',
    tag: 'guest',
    auth: 'manage-token',
    ok: [200, 'text/calendar'],
  },
  {
    method: 'post',
    path: '/v1/webhooks/stripe',
    summary: 'Stripe events (signature checked)',
    tag: 'system',
    auth: 'stripe-signature',
    ok: [200, '{received}'],
  },
  {
    method: 'post',
    path: '/v1/internal/cron',
    summary: 'Run the due work once',
    tag: 'system',
    auth: 'cron-secret',
    ok: [200, '{expired, payments?, notifications?}'],
  },
  {
    method: 'get',
    path: '/v1/internal/admin-keys',
    summary:
      'npm run admin:key -- --list through the running server (embedded database; from this machine, with the lock file’s secret)',
    tag: 'system',
    auth: 'local-secret',
    ok: [200, '{keys: [{id, prefix, name, createdAt, lastUsedAt, revokedAt}]}'],
  },
  {
    method: 'post',
    path: '/v1/internal/admin-keys',
    summary: 'npm run admin:key -- --name through the running server: the key is made in the database the server holds',
    tag: 'system',
    auth: 'local-secret',
    body: localAdminKeyCreateSchema,
    ok: [201, '{key, id, prefix, name, createdAt, lastUsedAt, revokedAt}'],
  },
  {
    method: 'delete',
    path: '/v1/internal/admin-keys/{idOrPrefix}',
    summary: 'npm run admin:key -- --revoke through the running server',
    tag: 'system',
    auth: 'local-secret',
    ok: [200, '{key}'],
  },
  {
    method: 'post',
    path: '/v1/admin/setup',
    summary:
      'Trade the one-time token of the first-run link (/admin#setup=<token>, printed by npm start while no key is active) for the first owner key; no key needed. Unknown, used and expired tokens alike: 401',
    tag: 'owner',
    body: adminSetupSchema,
    ok: [201, '{key, prefix, name}'],
  },
  {
    method: 'get',
    path: '/v1/admin/resources',
    summary: 'All resources, inactive too',
    tag: 'owner',
    auth: 'admin-key',
    ok: [200, '{resources}'],
  },
  {
    method: 'post',
    path: '/v1/admin/resources',
    summary: 'Create a resource',
    tag: 'owner',
    auth: 'admin-key',
    body: adminResourceCreateSchema,
    ok: [201, '{resource}'],
  },
  {
    method: 'get',
    path: '/v1/admin/resources/{id}',
    summary: 'One resource',
    tag: 'owner',
    auth: 'admin-key',
    ok: [200, '{resource}'],
  },
  {
    method: 'patch',
    path: '/v1/admin/resources/{id}',
    summary: 'Change a resource',
    tag: 'owner',
    auth: 'admin-key',
    body: adminResourceUpdateSchema,
    ok: [200, '{resource}'],
  },
  {
    method: 'delete',
    path: '/v1/admin/resources/{id}',
    summary: 'Delete (204), or deactivate when it has bookings (200)',
    tag: 'owner',
    auth: 'admin-key',
    ok: [204, 'deleted'],
  },
  {
    method: 'get',
    path: '/v1/admin/resources/{id}/schedules',
    summary: 'The whole schedule',
    tag: 'owner',
    auth: 'admin-key',
    ok: [200, '{schedules}'],
  },
  {
    method: 'put',
    path: '/v1/admin/resources/{id}/schedules',
    summary: 'Replace the whole schedule',
    tag: 'owner',
    auth: 'admin-key',
    body: adminScheduleSchema,
    ok: [200, '{schedules}'],
  },
  {
    method: 'get',
    path: '/v1/admin/pools',
    summary: 'All pools, inactive too, each with its members in order',
    tag: 'owner',
    auth: 'admin-key',
    ok: [200, '{pools}'],
  },
  {
    method: 'post',
    path: '/v1/admin/pools',
    summary:
      'Create a pool ("any available") with its members in order (resource ids or slugs; an unknown one: 400 naming its index)',
    tag: 'owner',
    auth: 'admin-key',
    body: adminPoolCreateSchema,
    ok: [201, '{pool}'],
  },
  {
    method: 'get',
    path: '/v1/admin/pools/{id}',
    summary: 'One pool',
    tag: 'owner',
    auth: 'admin-key',
    ok: [200, '{pool}'],
  },
  {
    method: 'patch',
    path: '/v1/admin/pools/{id}',
    summary: 'Change a pool (not its members: PUT …/members)',
    tag: 'owner',
    auth: 'admin-key',
    body: adminPoolUpdateSchema,
    ok: [200, '{pool}'],
  },
  {
    method: 'delete',
    path: '/v1/admin/pools/{id}',
    summary: 'Deactivate a pool (its bookings keep pointing at it)',
    tag: 'owner',
    auth: 'admin-key',
    ok: [200, '{pool}'],
  },
  {
    method: 'put',
    path: '/v1/admin/pools/{id}/members',
    summary: 'Replace the members; their order is their position',
    tag: 'owner',
    auth: 'admin-key',
    body: adminPoolMembersSchema,
    ok: [200, '{pool}'],
  },
  {
    method: 'get',
    path: '/v1/admin/services',
    summary: 'All services, inactive too, each with its parts in order',
    tag: 'owner',
    auth: 'admin-key',
    ok: [200, '{services}'],
  },
  {
    method: 'post',
    path: '/v1/admin/services',
    summary:
      'Create a service with 2–8 parts in order, the first leading (each a resource or a pool by id or slug, active, once; a pool and one of its members not both: 400 naming the part)',
    tag: 'owner',
    auth: 'admin-key',
    body: adminServiceCreateSchema,
    ok: [201, '{service}'],
  },
  {
    method: 'get',
    path: '/v1/admin/services/{id}',
    summary: 'One service',
    tag: 'owner',
    auth: 'admin-key',
    ok: [200, '{service}'],
  },
  {
    method: 'patch',
    path: '/v1/admin/services/{id}',
    summary: 'Change a service; parts, when given, replace the whole list',
    tag: 'owner',
    auth: 'admin-key',
    body: adminServiceUpdateSchema,
    ok: [200, '{service}'],
  },
  {
    method: 'delete',
    path: '/v1/admin/services/{id}',
    summary: 'Deactivate a service (its bookings keep pointing at it)',
    tag: 'owner',
    auth: 'admin-key',
    ok: [200, '{service}'],
  },
  {
    method: 'get',
    path: '/v1/admin/bookings',
    summary:
      'Bookings by time, filtered (q: part of the ref, guest name or email), paged; pending and confirmed ones state what cancelling now refunds',
    tag: 'owner',
    auth: 'admin-key',
    query: adminBookingsQuerySchema,
    ok: [200, '{bookings: [{…, cancellation?: {allowed: true, percent, refund?}}], nextCursor}'],
  },
  {
    method: 'post',
    path: '/v1/admin/bookings',
    summary:
      'Book for a guest (a call, a walk-in): a time the resource offers, free of bookings and of guests’ holds (409 slot_taken / slot_held), confirmed at once with no payment online; the guest gets the usual confirmation with their manage link in `locale`; with `repeat` (and `mode`, default all_or_nothing) a series',
    tag: 'owner',
    auth: 'admin-key',
    body: adminBookingRequestSchema,
    ok: [201, '{booking, manageToken} | {series: {ref, id, bookings, skipped, …}, manageToken}'],
  },
  {
    method: 'get',
    path: '/v1/admin/bookings/{id}',
    summary: 'One booking, with what cancelling now refunds while it is pending or confirmed',
    tag: 'owner',
    auth: 'admin-key',
    ok: [200, '{booking: {…, cancellation?: {allowed: true, percent, refund?}}}'],
  },
  {
    method: 'post',
    path: '/v1/admin/bookings/{id}/reschedule',
    summary:
      'Move a pending or confirmed booking to a future time, off the schedule if need be, never onto another booking (end omitted: same length)',
    tag: 'owner',
    auth: 'admin-key',
    body: adminRescheduleSchema,
    ok: [200, '{booking}'],
  },
  {
    method: 'post',
    path: '/v1/admin/bookings/{id}/{transition}',
    summary: 'confirm | cancel ({refundPercent?}) | no-show | complete',
    tag: 'owner',
    auth: 'admin-key',
    body: adminCancelSchema,
    ok: [200, '{booking}'],
  },
  {
    method: 'get',
    path: '/v1/admin/notifications',
    summary: 'A booking’s messages',
    tag: 'owner',
    auth: 'admin-key',
    query: adminNotificationsQuerySchema,
    ok: [200, '{notifications}'],
  },
  {
    method: 'get',
    path: '/v1/admin/bookings.csv',
    summary:
      "The bookings as CSV (UTF-8 with BOM, RFC 4180, formula cells prefixed with '), with the same filters as GET /v1/admin/bookings, streamed as an attachment",
    tag: 'owner',
    auth: 'admin-key',
    query: adminExportQuerySchema,
    ok: [200, 'text/csv'],
  },
  {
    method: 'get',
    path: '/v1/admin/resources/{id}/feed',
    summary: "The resource's calendar feed: its address (null = off) and whether it shows guests' names",
    tag: 'owner',
    auth: 'admin-key',
    ok: [200, '{feed: {url, includeGuestNames}}'],
  },
  {
    method: 'post',
    path: '/v1/admin/resources/{id}/feed',
    summary: 'Make the feed address, or a new one: the old address answers 404 at once',
    tag: 'owner',
    auth: 'admin-key',
    ok: [200, '{feed: {url, includeGuestNames}}'],
  },
  {
    method: 'delete',
    path: '/v1/admin/resources/{id}/feed',
    summary: 'Turn the feed off',
    tag: 'owner',
    auth: 'admin-key',
    ok: [200, '{feed: {url: null, includeGuestNames}}'],
  },
  {
    method: 'get',
    path: '/v1/admin/resources/{id}/busy-sources',
    summary: 'The calendars (ICS addresses) whose busy times block the resource, each with its last fetch',
    tag: 'owner',
    auth: 'admin-key',
    ok: [200, '{sources}'],
  },
  {
    method: 'post',
    path: '/v1/admin/resources/{id}/busy-sources',
    summary: 'Follow a calendar: fetched at once (a failure shows in lastError) and then every pollMinutes',
    tag: 'owner',
    auth: 'admin-key',
    body: busySourceCreateSchema,
    ok: [201, '{source}'],
  },
  {
    method: 'patch',
    path: '/v1/admin/busy-sources/{id}',
    summary: 'Change a calendar’s address, name or interval (a new address is fetched at once)',
    tag: 'owner',
    auth: 'admin-key',
    body: busySourceUpdateSchema,
    ok: [200, '{source}'],
  },
  {
    method: 'delete',
    path: '/v1/admin/busy-sources/{id}',
    summary: 'Stop following a calendar; its busy times stop blocking at once',
    tag: 'owner',
    auth: 'admin-key',
    ok: [204, 'removed'],
  },
  {
    method: 'post',
    path: '/v1/admin/busy-sources/{id}/refresh',
    summary: 'Fetch a calendar now',
    tag: 'owner',
    auth: 'admin-key',
    ok: [200, '{source}'],
  },
  {
    method: 'get',
    path: '/v1/feeds/{file}',
    summary:
      "A resource's bookings as a calendar to subscribe to (file: <feed token>.ics); ETag and Last-Modified, 304 when unchanged; an unknown or rotated token 404",
    tag: 'public',
    ok: [200, 'text/calendar'],
  },
  ...WEBHOOK_ROUTE_DOCS,
]

const SECURITY: Record<NonNullable<RouteDoc['auth']>, string> = {
  'manage-token': 'manageToken',
  'admin-key': 'adminKey',
  'cron-secret': 'cronSecret',
  'stripe-signature': 'stripeSignature',
  'local-secret': 'localSecret',
}

const jsonSchema = (schema: z.ZodType) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >
  return rest
}

export function buildOpenApiDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const route of API_ROUTES) {
    const parameters: unknown[] = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }))
    if (route.query) {
      const schema = jsonSchema(route.query) as { properties?: Record<string, unknown>; required?: string[] }
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        parameters.push({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: property })
      }
    }
    if (route.session)
      parameters.push({
        name: 'X-Booking-Session',
        in: 'header',
        required: true,
        schema: { type: 'string', minLength: 16, maxLength: 128 },
      })
    paths[route.path] ??= {}
    paths[route.path]![route.method] = {
      summary: route.summary,
      tags: [route.tag],
      ...(parameters.length ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: route.method !== 'post' || route.body !== cancelRequestSchema,
              content: { 'application/json': { schema: jsonSchema(route.body) } },
            },
          }
        : {}),
      ...(route.auth ? { security: [{ [SECURITY[route.auth]]: [] }] } : {}),
      responses: {
        [route.ok[0]]: { description: route.ok[1] },
        ...route.responses,
        '4XX': {
          description: 'An error the client can act on',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        '503': {
          description: 'A dependency is unavailable; retry later (Retry-After)',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Booking API',
      version,
      description: 'Embeddable booking: availability, holds, bookings, payments, the owner API.',
    },
    paths,
    components: {
      securitySchemes: {
        manageToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The guest’s manage token from the booking response',
        },
        adminKey: { type: 'http', scheme: 'bearer', description: 'An owner key from `npm run admin:key`' },
        cronSecret: { type: 'http', scheme: 'bearer', description: 'CRON_SECRET' },
        stripeSignature: { type: 'apiKey', in: 'header', name: 'Stripe-Signature' },
        localSecret: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The secret in the embedded database’s lock file (<DATA_DIR>.lock.json, mode 0600); accepted only from this machine',
        },
      },
      schemas: {
        ...availabilitySchemas,
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', enum: [...ERROR_CODES] },
                message: { type: 'string' },
                details: {},
              },
            },
          },
        },
      },
    },
  }
}
