import { Hono, type Context } from 'hono'
import type { BookingRow, NotificationRow } from '../../drizzle/schema'
import { isActive, isOwnerTransition, type OwnerTransition } from '../../shared/booking-status'
import { BookingError } from '../../shared/errors'
import {
  adminBookingsQuerySchema,
  adminCancelSchema,
  adminNotificationsQuerySchema,
  adminRescheduleSchema,
  adminResourceCreateSchema,
  adminResourceUpdateSchema,
  adminScheduleSchema,
  adminSetupSchema,
} from '../../shared/schemas'
import { countAuthFailure, refuseIfLockedOut } from '../admin/auth-failures'
import { verifyAdminKey } from '../admin/keys'
import { exchangeSetupToken } from '../admin/setup'
import type { AppEnv } from '../app-env'
import { invalidField, invalidRequest } from '../errors'
import {
  assertNotPart,
  assertOwnerMayMove,
  assertOwnerTransition,
  cancelBooking,
  confirmBooking,
  markAttendance,
  moveBooking,
  previewOwnerCancellation,
} from '../bookings/lifecycle'
import { clientKey } from '../client-ip'
import { bearerToken, readJson } from '../request'
import { adminWaitlistRoutes } from './admin-waitlist'
import { adminNewBookingRoutes } from './admin-new-booking'
import { adminBusySourceRoutes } from './admin-busy-sources'
import { adminPoolRoutes } from './admin-pools'
import { adminSeriesRoutes } from './series'
import { adminServiceRoutes } from './admin-services'
import { adminWebhookRoutes } from './admin-webhooks'
import { adminExportRoutes } from './admin-export'
import { adminFeedRoutes } from './admin-feeds'
import {
  createResource,
  deleteOrDeactivateResource,
  getBooking,
  getResource,
  getSchedules,
  listBookings,
  listNotifications,
  listResources,
  replaceSchedules,
  toAdminResource,
  updateResource,
} from '../store/admin'
import { findCombined, readableAnswersOf, toPublicBooking } from '../store/bookings'
import { findSeriesLabels, type SeriesLabel } from '../series/series-store'
import type {
  AdminBooking,
  AdminBookingResponse,
  AdminBookingsPage,
  AdminNotification,
  AdminNotificationsResponse,
  AdminResourceResponse,
  AdminResourcesResponse,
  AdminSchedulesResponse,
  AdminSetupResponse,
} from '../../shared/api-contract'

// A booking as its owner sees it, defined with the rest of the API's answers.
export type { AdminBooking }

function toAdminBooking(
  row: BookingRow,
  now: number,
  combined?: Awaited<ReturnType<typeof findCombined>>,
  seriesLabels?: Map<string, SeriesLabel>,
): AdminBooking {
  const booking: AdminBooking = { id: row.id, ...toPublicBooking(row, combined?.parts.get(row.id)) }
  // An occurrence of a recurring booking names its series.
  if (row.seriesId) booking.seriesId = row.seriesId
  const label = row.seriesId ? seriesLabels?.get(row.seriesId) : undefined
  if (label) Object.assign(booking, { seriesRef: label.ref, seriesEveryWeeks: label.everyWeeks })
  // A part row of a combined booking (the room it takes) names the booking it belongs to.
  const lead = row.partOf ? combined?.leadRefs.get(row.partOf) : undefined
  if (lead) booking.partOf = lead
  if (isActive(row.status)) booking.cancellation = previewOwnerCancellation(row, now)
  const answers = readableAnswersOf(row)
  if (answers) booking.answersReadable = answers
  return booking
}

const toAdminNotification = (row: NotificationRow): AdminNotification => ({
  id: row.id,
  bookingId: row.bookingId,
  event: row.event,
  channel: row.channel,
  recipient: row.recipient,
  version: row.version,
  status: row.status,
  attempts: row.attempts,
  sendAfter: row.sendAfter.toISOString(),
  sentAt: row.sentAt?.toISOString() ?? null,
  lastError: row.lastError,
  skipReason: row.skipReason,
})

/**
 * The owner API: resources and their schedules, bookings and their messages. Every route
 * needs `Authorization: Bearer <admin key>` (made with `npm run admin:key`), except
 * `POST /setup`, which trades the first-run link's one-time token for the first key.
 *
 * @example
 * POST /v1/admin/resources  Authorization: Bearer bka_…
 *   {"slug":"yoga-room","type":"room","name":"Yoga room","timezone":"Europe/Berlin","config":{}}
 * → 201 {"resource":{"id":"…","slug":"yoga-room",…,"isActive":true}}
 * PUT /v1/admin/resources/<id>/schedules  {"schedules":[{"weekday":0,"startTime":"09:00","endTime":"12:00","slotDuration":60}]}
 * POST /v1/admin/bookings/<id>/confirm
 * POST /v1/admin/bookings/<id>/reschedule  {"start":"2026-04-02T09:00:00Z"}  → 200 {"booking":{…,"version":2}}
 */
export const adminRoutes = new Hono<AppEnv>()
  // Registered before the key check: Hono runs handlers in the order they were added, and
  // this one answers without calling next(), so the check below never sees /setup.
  .post('/setup', async (c) => {
    const { db, clock, manageRateLimiter, trustProxy } = c.var.deps
    // 256-bit tokens cannot be guessed; the per-address limit keeps anyone from trying.
    if (manageRateLimiter) {
      const decision = await manageRateLimiter.consume(`setup:${clientKey(c, trustProxy)}`)
      if (!decision.allowed)
        throw new BookingError('rate_limited', 'Too many attempts from this address; please wait a moment.', {
          retryAfterSec: decision.retryAfterSec,
        })
    }
    await refuseIfLockedOut(c)
    const { token } = await readJson(c, adminSetupSchema)
    const made = await exchangeSetupToken(db, token, clock.now())
    if (!made) await countAuthFailure(c)
    // Unknown, used and expired tokens get the same answer.
    if (!made)
      throw new BookingError(
        'unauthorized',
        'This setup link is unknown, used or expired. Restarting the server prints a new one while no owner key exists; or run npm run admin:key.',
      )
    return c.json({ key: made.key, prefix: made.row.prefix, name: made.row.name } satisfies AdminSetupResponse, 201)
  })
  .use(async (c, next) => {
    const unauthorized = () =>
      new BookingError('unauthorized', 'A valid admin key is required (Authorization: Bearer <key>).')
    // No Authorization header at all is no sign-in attempt (a console opened before signing in).
    if (c.req.header('authorization') === undefined) throw unauthorized()
    await refuseIfLockedOut(c)
    const key = await verifyAdminKey(c.var.deps.db, bearerToken(c), c.var.deps.clock.now())
    if (!key) {
      await countAuthFailure(c)
      throw unauthorized()
    }
    await next()
  })
  // After the key check, which runs for every path registered on this app, mounted ones too.
  .route('/pools', adminPoolRoutes)
  .route('/series', adminSeriesRoutes)
  .route('/webhooks', adminWebhookRoutes)
  .route('/services', adminServiceRoutes)
  // Before `/bookings/:id`, so `bookings.csv` is never read as a booking's id.
  .route('/', adminExportRoutes)
  .route('/resources/:id/feed', adminFeedRoutes)
  .route('/', adminBusySourceRoutes)
  .route('/waitlist', adminWaitlistRoutes)
  .route('/bookings', adminNewBookingRoutes)

  .get('/resources', async (c) =>
    c.json({ resources: (await listResources(c.var.deps.db)).map(toAdminResource) } satisfies AdminResourcesResponse),
  )
  .post('/resources', async (c) => {
    const input = await readJson(c, adminResourceCreateSchema)
    const row = await createResource(c.var.deps.db, input)
    c.var.deps.catalog.invalidate()
    return c.json({ resource: toAdminResource(row) } satisfies AdminResourceResponse, 201)
  })
  .get('/resources/:id', async (c) =>
    c.json({
      resource: toAdminResource(await getResource(c.var.deps.db, c.req.param('id'))),
    } satisfies AdminResourceResponse),
  )
  .patch('/resources/:id', async (c) => {
    const change = await readJson(c, adminResourceUpdateSchema)
    const row = await updateResource(c.var.deps.db, c.req.param('id'), change)
    c.var.deps.catalog.invalidate()
    return c.json({ resource: toAdminResource(row) } satisfies AdminResourceResponse)
  })
  .delete('/resources/:id', async (c) => {
    const result = await deleteOrDeactivateResource(c.var.deps.db, c.req.param('id'))
    c.var.deps.catalog.invalidate()
    // A resource with bookings stays, inactive: the answer says so.
    return result.deleted
      ? c.body(null, 204)
      : c.json({ resource: toAdminResource(result.row) } satisfies AdminResourceResponse)
  })
  .get('/resources/:id/schedules', async (c) =>
    c.json({ schedules: await getSchedules(c.var.deps.db, c.req.param('id')) } satisfies AdminSchedulesResponse),
  )
  .put('/resources/:id/schedules', async (c) => {
    const { schedules } = await readJson(c, adminScheduleSchema)
    const rules = schedules.map((r) => ({ ...r, weekday: r.weekday ?? null, specificDate: r.specificDate ?? null }))
    const saved = await replaceSchedules(c.var.deps.db, c.req.param('id'), rules)
    c.var.deps.catalog.invalidate()
    return c.json({ schedules: saved } satisfies AdminSchedulesResponse)
  })

  .get('/bookings', async (c) => {
    const parsed = adminBookingsQuerySchema.safeParse(c.req.query())
    if (!parsed.success) throw invalidRequest(parsed.error)
    const q = parsed.data
    const instant = (v: string | number | undefined) =>
      v === undefined ? undefined : typeof v === 'number' ? v : Date.parse(`${v}T00:00:00Z`)
    const page = await listBookings(c.var.deps.db, {
      resourceId: q.resourceId,
      from: instant(q.from),
      to: instant(q.to),
      status: q.status,
      q: q.q,
      cursor: q.cursor,
      limit: q.limit,
    })
    const now = c.var.deps.clock.now()
    const [combined, seriesLabels] = await Promise.all([
      findCombined(c.var.deps.db, page.rows),
      findSeriesLabels(
        c.var.deps.db,
        page.rows.flatMap((row) => (row.seriesId ? [row.seriesId] : [])),
      ),
    ])
    return c.json({
      bookings: page.rows.map((row) => toAdminBooking(row, now, combined, seriesLabels)),
      nextCursor: page.nextCursor ?? null,
    } satisfies AdminBookingsPage)
  })
  .get('/bookings/:id', async (c) =>
    c.json({
      booking: await adminView(c, await getBooking(c.var.deps.db, c.req.param('id'))),
    } satisfies AdminBookingResponse),
  )
  // Registered before `/:transition`, which would otherwise take "reschedule" as its name.
  .post('/bookings/:id/reschedule', async (c) => {
    const { db, clock } = c.var.deps
    const booking = await getBooking(db, c.req.param('id'))
    const request = await readJson(c, adminRescheduleSchema)
    await assertNotPart(c.var.deps, booking)
    assertOwnerMayMove(booking)
    const now = clock.now()
    if (request.start <= now) throw invalidField('start', 'invalid', 'must be in the future')
    const start = request.start
    const end = request.end ?? start + (booking.endsAt.getTime() - booking.startsAt.getTime())
    // A repeated request (a retry after a lost response) changes nothing and tells nobody again.
    if (start === booking.startsAt.getTime() && end === booking.endsAt.getTime())
      return c.json({ booking: toAdminBooking(booking, now) } satisfies AdminBookingResponse)
    // The owner may leave the published schedule (and the buffers, which are part of it),
    // but never land on another booking: the write passes the same EXCLUDE constraint as a
    // guest's move (409 slot_taken, nothing changed) and writes the same moved messages.
    const moved = await moveBooking(c.var.deps, booking.id, { start, end }, now)
    return c.json({ booking: await adminView(c, moved) } satisfies AdminBookingResponse)
  })
  .post('/bookings/:id/:transition', async (c) => {
    const transition = c.req.param('transition')
    if (!isOwnerTransition(transition))
      throw new BookingError('not_found', `No transition "${transition}"; use confirm, cancel, no-show or complete.`)
    return c.json({
      booking: await adminView(c, await applyTransition(c, c.req.param('id'), transition)),
    } satisfies AdminBookingResponse)
  })

  .get('/notifications', async (c) => {
    const parsed = adminNotificationsQuerySchema.safeParse(c.req.query())
    if (!parsed.success) throw invalidRequest(parsed.error)
    await getBooking(c.var.deps.db, parsed.data.bookingId)
    return c.json({
      notifications: (await listNotifications(c.var.deps.db, parsed.data.bookingId)).map(toAdminNotification),
    } satisfies AdminNotificationsResponse)
  })

/** One booking as its owner sees it, with its parts (or the booking it is part of). */
async function adminView(c: Context<AppEnv>, row: BookingRow): Promise<AdminBooking> {
  const [combined, seriesLabels] = await Promise.all([
    findCombined(c.var.deps.db, [row]),
    findSeriesLabels(c.var.deps.db, row.seriesId ? [row.seriesId] : []),
  ])
  return toAdminBooking(row, c.var.deps.clock.now(), combined, seriesLabels)
}

/**
 * An owner transition from the table in shared/booking-status.ts: `confirm` captures an
 * authorized payment; `cancel` settles by the policy unless the owner names a refund;
 * attendance can only be marked once the booking started.
 */
async function applyTransition(c: Context<AppEnv>, id: string, transition: OwnerTransition): Promise<BookingRow> {
  const deps = c.var.deps
  const booking = await getBooking(deps.db, id)
  // A part of a combined booking changes only with it: the refusal names that booking.
  await assertNotPart(deps, booking)
  assertOwnerTransition(booking, transition, deps.clock.now())
  switch (transition) {
    case 'confirm':
      return confirmBooking(deps, booking)
    case 'cancel': {
      const body = await readJson(c, adminCancelSchema, { optional: true })
      return cancelBooking(deps, id, {
        by: 'owner',
        note: body.reason,
        ...(body.refundPercent !== undefined ? { refundPercent: body.refundPercent } : {}),
      })
    }
    case 'no-show':
    case 'complete':
      return markAttendance(deps, id, transition)
  }
}
