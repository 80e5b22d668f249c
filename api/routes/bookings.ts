import { Hono, type Context } from 'hono'
import type { BookingRow } from '../../drizzle/schema'
import { isActive } from '../../shared/booking-status'
import { guestChangeDeadlines } from '../../shared/cancellation-policy'
import { BookingError } from '../../shared/errors'
import {
  bookingRequestSchema,
  messageLanguage,
  cancelRequestSchema,
  rescheduleRequestSchema,
} from '../../shared/schemas'
import type { PublicBooking, PublicBookingPart } from '../../shared/types'
import type { AppEnv } from '../app-env'
import { requireTokenHolder } from '../manage-access'
import type { Hold, HoldStore } from '../holds/hold-store'
import type { ResourceCatalog } from '../store/resource-catalog'
import { bookingToIcs } from '../bookings/booking-ics'
import { readGuestDetails } from '../bookings/guest-details'
import { randomRef } from '../bookings/booking-ref'
import { randomToken, sealToken, sha256Hex, unsealToken } from '../crypto'
import { invalidField } from '../errors'
import { idempotencyOf, readIdempotencyKey, readJson, replayTwinOrThrow, requireSession } from '../request'
import {
  assertGuestMayMove,
  cancelBooking,
  createBooking,
  moveBooking,
  previewGuestCancellation,
  startPayment,
} from '../bookings/lifecycle'
import {
  findBookingByIdempotencyKey,
  findBookingByRef,
  findBookingParts,
  toPublicBooking,
  type BookingPart,
} from '../store/bookings'
import type { Database } from '../db/database'
import { assertSpanKeepsUnits } from '../bookings/resolve-span'
import type { BookingResponse, CreatedBooking } from '../../shared/api-contract'
import { findSeriesLabels } from '../series/series-store'

/**
 * Bookings: a live hold becomes a row (the EXCLUDE constraint has the last word), and the
 * guest manages it with the token returned once at creation.
 *
 * @example
 * POST /v1/bookings  X-Booking-Session: 7d1c…  Idempotency-Key: 3f9a…
 *   {"holdId":"h_…","guest":{"name":"Ada","email":"ada@example.com"}}
 * → 201 {"booking":{"ref":"7K3QX2MD","status":"confirmed",…},"manageToken":"…"}
 * GET /v1/bookings/7K3QX2MD  Authorization: Bearer <manageToken>
 */
export const bookingRoutes = new Hono<AppEnv>()
  .post('/', async (c) => {
    const { holds, catalog, appSecret } = c.var.deps
    const sessionId = requireSession(c)
    const idempotencyKey = readIdempotencyKey(c)
    const request = await readJson(c, bookingRequestSchema)
    const idempotency = idempotencyKey ? await idempotencyOf(idempotencyKey, sessionId, request) : undefined

    const replay = async () => (idempotency ? replayIfKnown(c, idempotency) : undefined)
    // The hold is read while the replay is looked up (one wait instead of two); a replay
    // still wins over whatever the hold read says, failures included.
    const holdRead = holds.get(request.holdId, sessionId)
    holdRead.catch(() => {})
    const earlier = await replay()
    if (earlier) return earlier
    const hold = await holdRead
    if (!hold) {
      // A concurrent twin of this request may have committed and released the hold.
      const twin = await replay()
      if (twin) return twin
      throw new BookingError('hold_expired', 'Your hold on this time has expired. Please pick a time again.')
    }
    if (isPartHold(hold))
      throw new BookingError(
        'invalid_transition',
        'This hold is one part of a combined booking; book with the hold of the service (its first part).',
      )
    // A combined booking takes every part's hold, all still live, or is not made.
    const partHolds = await readPartHolds(holds, hold, sessionId)
    if (!partHolds) {
      const twin = await replay()
      if (twin) return twin
      throw new BookingError('hold_expired', 'Your hold on this time has expired. Please pick a time again.')
    }
    const parts: BookingPart[] = partHolds.map((part) => ({
      position: part.servicePosition!,
      resourceId: part.resourceId,
      poolId: part.poolId,
    }))
    const entry = await catalog.find(hold.resourceId)
    if (!entry) throw new BookingError('not_found', 'This resource is no longer bookable.')
    const { config } = entry.resource
    const details = readGuestDetails(entry.resource, request)

    const manageToken = randomToken()
    let row: BookingRow
    try {
      row = await createBooking(
        c.var.deps,
        {
          ref: randomRef(),
          resourceId: hold.resourceId,
          start: hold.start,
          end: hold.end,
          seats: hold.seats,
          poolId: hold.poolId,
          partySize: hold.partySize,
          ...(hold.serviceId !== undefined ? { serviceId: hold.serviceId, parts } : {}),
          ...details,
          notes: request.notes,
          sessionId,
          manageTokenHash: await sha256Hex(manageToken),
          idempotencyKeyHash: idempotency?.keyHash,
          requestHash: idempotency?.fingerprint,
          manageTokenSealed: idempotency ? await sealToken(manageToken, idempotency.key) : undefined,
          manageLinkSealed: appSecret ? await sealToken(manageToken, appSecret, 'message-links') : undefined,
          locale: messageLanguage(request.locale),
          guestTimezone: request.timezone,
        },
        config,
      )
    } catch (error) {
      return replayTwinOrThrow(error, replay)
    }
    // After commit, never inside the transaction (Redis is a network call), and off the
    // response path: the row now occupies the slot whether or not the hold is gone yet.
    for (const id of [hold.id, ...partHolds.map((part) => part.id)]) releaseAfterResponse(c, id, sessionId)
    const booking = toPublicBooking(row, await namedParts(catalog, parts))
    // A booking that takes payment waits, pending, for the money.
    if (row.paymentStatus === 'requires_payment') {
      const payment = await startPayment(c.var.deps, row, `${entry.resource.name}, ${row.ref}`)
      return c.json({ booking, manageToken, payment } satisfies CreatedBooking, 201)
    }
    return c.json({ booking, manageToken } satisfies CreatedBooking, 201)
  })
  .get('/:ref', async (c) => {
    const booking = await requireManagedBooking(c)
    const parts = await partsOf(c.var.deps.db, booking)
    const view = manageView(booking, c.var.deps.clock.now(), parts)
    // An occurrence of a series names it, so its page can offer the whole series (GET /v1/series/:ref).
    if (booking.seriesId) {
      const label = (await findSeriesLabels(c.var.deps.db, [booking.seriesId])).get(booking.seriesId)
      if (label) Object.assign(view, { seriesRef: label.ref, seriesEveryWeeks: label.everyWeeks })
    }
    return c.json({ booking: view } satisfies BookingResponse)
  })
  .post('/:ref/cancel', async (c) => {
    const booking = await requireManagedBooking(c)
    const request = await readJson(c, cancelRequestSchema, { optional: true })
    // Settled by the policy the booking was made under; the response states the refund and its tier.
    const cancelled = await cancelBooking(c.var.deps, booking.id, { by: 'guest', note: request.reason })
    return c.json({
      booking: toPublicBooking(cancelled, await partsOf(c.var.deps.db, cancelled)),
    } satisfies BookingResponse)
  })
  .post('/:ref/reschedule', async (c) => {
    const { holds, clock } = c.var.deps
    const booking = await requireManagedBooking(c)
    const sessionId = requireSession(c)
    const request = await readJson(c, rescheduleRequestSchema)
    const now = clock.now()
    assertGuestMayMove(booking, now)
    const hold = await holds.get(request.holdId, sessionId)
    if (!hold)
      throw new BookingError('hold_expired', 'Your hold on the new time has expired. Please pick a time again.')
    if (hold.resourceId !== booking.resourceId) {
      throw new BookingError('invalid_request', 'A booking can only move to another time of the same resource.', [
        { path: 'holdId', code: 'invalid', message: 'hold is for another resource' },
      ])
    }
    // A move keeps the booking as it is, places included (and so the price paid for them).
    if (hold.seats !== booking.seats) {
      throw invalidField(
        'holdId',
        'invalid',
        `hold is for ${hold.seats} ${hold.seats === 1 ? 'place' : 'places'}; the booking takes ${booking.seats}`,
        'Hold the new time for as many places as the booking takes.',
      )
    }
    // …and a span paid online keeps its days or nights (see assertSpanKeepsUnits).
    await assertSpanKeepsUnits(c.var.deps, booking, hold)
    // A combined booking moves with all its parts: the new time's hold is the service's, and
    // each part's hold must be on the resource that part occupies now (the parts move, they
    // are not swapped for others).
    const parts = await partsOf(c.var.deps.db, booking)
    const partHolds = await partHoldsForMove(c.var.deps, booking, parts, hold, sessionId)
    const moved = await moveBooking(c.var.deps, booking.id, hold, now)
    for (const id of [hold.id, ...partHolds.map((part) => part.id)]) releaseAfterResponse(c, id, sessionId)
    // The manage page goes on from here: it reads the new time's refund and deadlines too.
    return c.json({ booking: manageView(moved, now, parts) } satisfies BookingResponse)
  })
  .get('/:ref/calendar.ics', async (c) => {
    const { catalog, clock } = c.var.deps
    const booking = await requireManagedBooking(c)
    const entry = await catalog.find(booking.resourceId)
    const url = new URL(c.req.url)
    const ics = bookingToIcs(booking, entry?.resource.name ?? 'Booking', { host: url.hostname, now: clock.now() })
    c.header('Content-Type', 'text/calendar; charset=utf-8')
    c.header('Content-Disposition', `attachment; filename="booking-${booking.ref}.ics"`)
    c.header('Cache-Control', 'no-store')
    return c.body(ics)
  })

/** A hold of one further part of a service: the booking is made with the service's lead hold, never with it. */
function isPartHold(hold: Hold): boolean {
  return hold.servicePosition !== undefined && hold.servicePosition >= 1
}

/**
 * The holds a service's lead hold lists for its further parts, every one live, this
 * session's and of the same service; undefined when one is not (expired or released).
 */
async function readPartHolds(holds: HoldStore, lead: Hold, sessionId: string): Promise<Hold[] | undefined> {
  const ids = lead.partHoldIds ?? []
  if (ids.length === 0) return []
  const found = await Promise.all(ids.map((id) => holds.get(id, sessionId)))
  const live = found.filter(
    (part): part is Hold => part !== undefined && part.serviceId === lead.serviceId && isPartHold(part),
  )
  return live.length === ids.length ? live : undefined
}

/** The further parts of a combined booking, named; undefined for any other booking (no query). */
async function partsOf(db: Database, booking: BookingRow): Promise<PublicBookingPart[] | undefined> {
  if (!booking.serviceId) return undefined
  return (await findBookingParts(db, [booking.id])).get(booking.id) ?? []
}

/** The parts just booked, named from the resource catalog (no query while it is warm). */
async function namedParts(catalog: ResourceCatalog, parts: BookingPart[]): Promise<PublicBookingPart[]> {
  const named = await Promise.all(
    parts.map(async ({ position, resourceId }) => ({
      position,
      resourceId,
      name: (await catalog.find(resourceId))?.resource.name ?? '',
    })),
  )
  return named.sort((a, b) => a.position - b.position)
}

/**
 * For a move: the new time's part holds, which must match the booking (a service hold for a
 * booking of that service, a plain hold for any other) and sit on exactly the resources its
 * parts occupy now; a part whose resource was not held then is not free then.
 */
async function partHoldsForMove(
  deps: { holds: HoldStore },
  booking: BookingRow,
  parts: PublicBookingPart[] | undefined,
  hold: Hold,
  sessionId: string,
): Promise<Hold[]> {
  if (isPartHold(hold))
    throw invalidField('holdId', 'invalid', 'hold is one part of a service', 'Hold the new time for the whole service.')
  const combined = (parts?.length ?? 0) > 0
  if (hold.serviceId !== undefined ? hold.serviceId !== booking.serviceId : combined)
    throw invalidField(
      'holdId',
      'invalid',
      combined ? 'hold is not for this booking’s service' : 'hold is for a service; this booking is not',
      'Hold the new time for the same service the booking is for.',
    )
  const partHolds = await readPartHolds(deps.holds, hold, sessionId)
  if (!partHolds)
    throw new BookingError('hold_expired', 'Your hold on the new time has expired. Please pick a time again.')
  const held = new Set(partHolds.map((part) => part.resourceId))
  const missing = (parts ?? []).find((part) => !held.has(part.resourceId))
  if (missing || partHolds.length !== (parts?.length ?? 0)) {
    const name = missing?.name || 'resource'
    throw new BookingError(
      'slot_taken',
      `The ${name} this booking uses is not free at the new time. Pick another time.`,
      missing ? { resourceId: missing.resourceId } : undefined,
    )
  }
  return partHolds
}

/**
 * Releases a hold that a committed booking made redundant. A failure only means the hold
 * expires on its own. On edge runtimes the work is tied to the request with waitUntil.
 */
function releaseAfterResponse(c: Context<AppEnv>, holdId: string, sessionId: string): void {
  const { holds, logger } = c.var.deps
  const done = holds.release(holdId, sessionId).then(
    () => undefined,
    (error: unknown) =>
      logger.error('hold release after commit failed; it will expire on its own', { holdId, error: String(error) }),
  )
  try {
    c.executionCtx.waitUntil(done)
  } catch {
    // Node has no ExecutionContext; the promise simply runs on.
  }
}

async function replayIfKnown(
  c: Context<AppEnv>,
  idempotency: { key: string; keyHash: string; fingerprint: string },
): Promise<Response | undefined> {
  const existing = await findBookingByIdempotencyKey(c.var.deps.db, idempotency.keyHash)
  if (!existing) return undefined
  if (existing.requestHash !== idempotency.fingerprint || !existing.manageTokenSealed) {
    throw new BookingError('idempotency_conflict', 'This Idempotency-Key was used for a different request.')
  }
  const manageToken = await unsealToken(existing.manageTokenSealed, idempotency.key)
  c.header('Idempotent-Replayed', 'true')
  const booking = toPublicBooking(existing, await partsOf(c.var.deps.db, existing))
  if (existing.status === 'pending' && existing.paymentStatus === 'requires_payment' && c.var.deps.payments) {
    const payment = await startPayment(c.var.deps, existing, existing.ref)
    return c.json({ booking, manageToken, payment } satisfies CreatedBooking, 201)
  }
  return c.json({ booking, manageToken } satisfies CreatedBooking, 201)
}

/** The booking for a ref and its manage token. A wrong token answers exactly like an unknown ref. */
async function requireManagedBooking(c: Context<AppEnv>): Promise<BookingRow> {
  return requireTokenHolder(c, { noun: 'booking', find: findBookingByRef, tokenHashOf: (row) => row.manageTokenHash })
}

/**
 * The booking as its manage page reads it. While it can still change: what a cancel now
 * gives back, and until when the guest may move and cancel online (ISO instants; null once
 * closed), decided as the routes decide.
 */
function manageView(booking: BookingRow, now: number, parts?: PublicBookingPart[]): PublicBooking {
  const view = toPublicBooking(booking, parts)
  if (!isActive(booking.status)) return view
  view.cancellation = previewGuestCancellation(booking, now)
  const until = guestChangeDeadlines(booking.cancellationPolicy, booking, booking.startsAt.getTime(), now)
  const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString())
  view.changeableUntil = { reschedule: iso(until.reschedule), cancel: iso(until.cancel) }
  return view
}
