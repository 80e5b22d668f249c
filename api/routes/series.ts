import { Hono, type Context } from 'hono'
import { isActive } from '../../shared/booking-status'
import { BookingError } from '../../shared/errors'
import {
  adminCancelSchema,
  cancelRequestSchema,
  messageLanguage,
  seriesAvailabilityQuerySchema,
  seriesRequestSchema,
  seriesRescheduleSchema,
} from '../../shared/schemas'
import type {
  CancelledSeries,
  CreatedSeries,
  MovedSeries,
  SeriesAvailability,
  SeriesResponse,
} from '../../shared/api-contract'
import type { BookingRow } from '../../drizzle/schema'
import type { AppEnv } from '../app-env'
import { requireTokenHolder } from '../manage-access'
import { randomToken, sealToken, sha256Hex, unsealToken } from '../crypto'
import { invalidField, invalidRequest } from '../errors'
import {
  idempotencyOf,
  optionalSession,
  readIdempotencyKey,
  readJson,
  replayTwinOrThrow,
  requireSession,
  type Idempotency,
} from '../request'
import { bookingsToIcs } from '../bookings/booking-ics'
import { readGuestDetails } from '../bookings/guest-details'
import { startSeriesPayment } from '../bookings/lifecycle'
import { isSpanEntry } from '../bookings/resolve-span'
import { findBookingByIdempotencyKey } from '../store/bookings'
import { conflictsOf, type OccurrenceCheck } from '../series/check-occurrences'
import { bookSeries, checkSeries, skippedOccurrences } from '../series/book-series'
import { cancelFutureOccurrences } from '../series/cancel-series'
import { moveSeries, type SeriesMover } from '../series/move-series'
import {
  findOccurrences,
  findSeriesById,
  findSeriesByRef,
  toPublicSeries,
  type SeriesRow,
} from '../series/series-store'

/**
 * Recurring bookings (series): the guest holds the first date as usual, then books it
 * repeated every N weeks at the same local time; one manage token opens the series and each
 * of its dates. A single date is cancelled or moved with the booking routes, by its own ref.
 *
 * @example
 * GET /v1/resources/yoga-room/series-availability?start=2026-04-06T08:00:00Z&end=2026-04-06T09:00:00Z&everyWeeks=1&occurrences=12
 * → 200 {"occurrences":[{"date":"2026-04-06","start":"…","end":"…","free":true},…]}
 * POST /v1/bookings/series  X-Booking-Session: 7d1c…
 *   {"holdId":"h_…","guest":{…},"repeat":{"everyWeeks":1,"occurrences":12},"mode":"skip_conflicts"}
 * → 201 {"series":{"ref":"Q4M2…","bookings":[…],"skipped":[{"date":"2026-05-18",…,"reason":"taken"}]},"manageToken":"…"}
 * POST /v1/series/Q4M2…/cancel  Authorization: Bearer <manageToken>
 * GET /v1/series/Q4M2…/calendar.ics  Authorization: Bearer <manageToken>  → every date still booked, one VEVENT each
 * POST /v1/series/Q4M2…/reschedule  Authorization: Bearer <manageToken>  {"start":"2026-04-09T17:00:00Z"}
 * → 200 {"series":{…},"moved":["7K3QX2MD",…]}  (every future date to Thursday 19:00 local)
 */
export const seriesRoutes = new Hono<AppEnv>()
  .post('/bookings/series', async (c) => {
    const { holds, catalog, appSecret } = c.var.deps
    const sessionId = requireSession(c)
    const idempotencyKey = readIdempotencyKey(c)
    const request = await readJson(c, seriesRequestSchema)
    const idempotency = idempotencyKey ? await idempotencyOf(idempotencyKey, sessionId, request) : undefined
    // A retry of a series already booked (its answer lost on the way) gets that answer again.
    const replay = async () => (idempotency ? replaySeries(c, idempotency) : undefined)
    const replayed = await replay()
    if (replayed) return replayed
    const hold = await holds.get(request.holdId, sessionId)
    if (!hold) throw new BookingError('hold_expired', 'Your hold on this time has expired. Please pick a time again.')
    if (hold.serviceId !== undefined)
      throw invalidField(
        'holdId',
        'invalid',
        'hold is for a combined service',
        'A service cannot be booked as a series.',
      )
    const entry = await catalog.find(hold.resourceId)
    if (!entry) throw new BookingError('not_found', 'This resource is no longer bookable.')
    if (isSpanEntry(entry))
      throw invalidField('holdId', 'invalid', 'hold is for a span', 'A span cannot be booked as a series.')
    const guestDetails = readGuestDetails(entry.resource, request)
    const manageToken = randomToken()
    const booking = bookSeries(c.var.deps, {
      hold,
      entry,
      request,
      sessionId,
      manageTokenHash: await sha256Hex(manageToken),
      idempotency: idempotency && {
        keyHash: idempotency.keyHash,
        fingerprint: idempotency.fingerprint,
        manageTokenSealed: await sealToken(manageToken, idempotency.key),
      },
      details: {
        seats: hold.seats,
        poolId: hold.poolId,
        partySize: hold.partySize,
        ...guestDetails,
        notes: request.notes,
        manageLinkSealed: appSecret ? await sealToken(manageToken, appSecret, 'message-links') : undefined,
        locale: messageLanguage(request.locale),
        guestTimezone: request.timezone,
      },
    })
    let booked: Awaited<typeof booking>
    try {
      booked = await booking
    } catch (error) {
      return replayTwinOrThrow(error, replay)
    }
    // The first date's booking made its hold redundant; a failed release only lets it expire.
    await holds.release(hold.id, sessionId).catch(() => false)
    return c.json(await createdSeries(c, booked.series, booked.rows, booked.skipped, manageToken), 201)
  })
  .get('/resources/:idOrSlug/series-availability', async (c) => {
    const parsed = seriesAvailabilityQuerySchema.safeParse(c.req.query())
    if (!parsed.success) throw invalidRequest(parsed.error, 'The series availability query is not valid.')
    const { start, end, ...repeat } = parsed.data
    const entry = await c.var.deps.catalog.find(c.req.param('idOrSlug'))
    if (!entry) throw new BookingError('not_found', `No bookable resource "${c.req.param('idOrSlug')}".`)
    const checks = await checkSeries(c.var.deps, entry, { start, end }, repeat, optionalSession(c))
    c.header('Cache-Control', 'no-store')
    return c.json({
      occurrences: checks.map((check) => ({
        date: check.date,
        start: new Date(check.start).toISOString(),
        end: new Date(check.end).toISOString(),
        free: check.free,
        ...(check.reason ? { reason: check.reason } : {}),
      })),
    } satisfies SeriesAvailability)
  })
  .get('/series/:ref', async (c) => {
    const series = await requireManagedSeries(c)
    return c.json({
      series: toPublicSeries(series, await findOccurrences(c.var.deps.db, series.id)),
    } satisfies SeriesResponse)
  })
  // Every date still booked in one file, each event the one its booking's own file and the feed carry.
  .get('/series/:ref/calendar.ics', async (c) => {
    const { db, catalog, clock } = c.var.deps
    const series = await requireManagedSeries(c)
    const [entry, occurrences] = await Promise.all([catalog.find(series.resourceId), findOccurrences(db, series.id)])
    const ics = bookingsToIcs(
      occurrences.filter((row) => isActive(row.status)).map((booking) => ({ booking })),
      entry?.resource.name ?? 'Booking',
      { host: new URL(c.req.url).hostname, now: clock.now() },
    )
    c.header('Content-Type', 'text/calendar; charset=utf-8')
    c.header('Content-Disposition', `attachment; filename="series-${series.ref}.ics"`)
    c.header('Cache-Control', 'no-store')
    return c.body(ics)
  })
  .post('/series/:ref/cancel', async (c) => {
    const series = await requireManagedSeries(c)
    const request = await readJson(c, cancelRequestSchema, { optional: true })
    const outcome = await cancelFutureOccurrences(c.var.deps, series.id, { by: 'guest', note: request.reason })
    return c.json({
      series: toPublicSeries(series, await findOccurrences(c.var.deps.db, series.id)),
      ...outcome,
    } satisfies CancelledSeries)
  })
  .post('/series/:ref/reschedule', async (c) => {
    const series = await requireManagedSeries(c)
    return movedSeries(c, series, { by: 'guest', sessionId: optionalSession(c) })
  })

/**
 * The owner's side, mounted under /v1/admin (behind its key check): a whole series
 * cancelled at once, each future date refunded by its policy unless `refundPercent` says,
 * or moved at once.
 *
 * @example
 * POST /v1/admin/series/6f1c…/cancel  Authorization: Bearer <admin key>  {"reason":"room closed"}
 * → 200 {"series":{…},"cancelled":["7K3QX2MD",…],"kept":[]}
 * POST /v1/admin/series/6f1c…/reschedule  {"start":"2026-04-09T17:00:00Z"}  → 200 {"series":{…},"moved":[…]}
 */
export const adminSeriesRoutes = new Hono<AppEnv>()
  .post('/:id/cancel', async (c) => {
    const { db } = c.var.deps
    const series = await requireSeriesById(c)
    const body = await readJson(c, adminCancelSchema, { optional: true })
    const outcome = await cancelFutureOccurrences(c.var.deps, series.id, {
      by: 'owner',
      note: body.reason,
      ...(body.refundPercent !== undefined ? { refundPercent: body.refundPercent } : {}),
    })
    return c.json({
      series: toPublicSeries(series, await findOccurrences(db, series.id)),
      ...outcome,
    } satisfies CancelledSeries)
  })
  // The owner moves every future date regardless of the dates' notice (see move-series.ts).
  .post('/:id/reschedule', async (c) => movedSeries(c, await requireSeriesById(c), { by: 'owner' }))

/** Every future date of the series moved by the body's new time of its next one (200 MovedSeries). */
async function movedSeries(c: Context<AppEnv>, series: SeriesRow, who: SeriesMover) {
  const request = await readJson(c, seriesRescheduleSchema)
  const moved = await moveSeries(c.var.deps, series, request, who)
  return c.json({
    series: toPublicSeries(series, await findOccurrences(c.var.deps.db, series.id)),
    moved: moved.map((row) => row.ref),
  } satisfies MovedSeries)
}

/** The series for the owner's `:id`; anything but a known uuid is 404. */
async function requireSeriesById(c: Context<AppEnv>): Promise<SeriesRow> {
  const id = c.req.param('id') ?? ''
  const series = /^[0-9a-f-]{36}$/i.test(id) ? await findSeriesById(c.var.deps.db, id) : undefined
  if (!series) throw new BookingError('not_found', 'No such series.')
  return series
}

/** The series for a ref and its manage token; a wrong token answers exactly like an unknown ref. */
async function requireManagedSeries(c: Context<AppEnv>): Promise<SeriesRow> {
  return requireTokenHolder(c, { noun: 'series', find: findSeriesByRef, tokenHashOf: (row) => row.manageTokenHash })
}

/** The answer to a series booked: a series that takes payment waits, every date pending, for one payment of all of them. */
async function createdSeries(
  c: Context<AppEnv>,
  series: SeriesRow,
  rows: BookingRow[],
  skipped: OccurrenceCheck[],
  manageToken: string,
): Promise<CreatedSeries> {
  const unpaid = rows.some((row) => row.status === 'pending' && row.paymentStatus === 'requires_payment')
  // The resource's name is only read for the payment's description (the card statement's line).
  const describe = async () =>
    `${(await c.var.deps.catalog.find(series.resourceId))?.resource.name ?? series.ref}, ${series.ref} (${rows.length} dates)`
  const payment =
    unpaid && c.var.deps.payments ? await startSeriesPayment(c.var.deps, rows, await describe()) : undefined
  return {
    series: { ...toPublicSeries(series, rows), skipped: conflictsOf(skipped) },
    manageToken,
    ...(payment ? { payment } : {}),
  }
}

/**
 * The series a keyed request booked, answered again (`Idempotent-Replayed: true`), with its
 * payment still open when it is; 409 `idempotency_conflict` when the key was used for another
 * request. Undefined when the key is new.
 */
async function replaySeries(c: Context<AppEnv>, idempotency: Idempotency): Promise<Response | undefined> {
  const { db, catalog } = c.var.deps
  const first = await findBookingByIdempotencyKey(db, idempotency.keyHash)
  if (!first) return undefined
  const series = first.seriesId ? await findSeriesById(db, first.seriesId) : undefined
  if (!series || first.requestHash !== idempotency.fingerprint || !first.manageTokenSealed)
    throw new BookingError('idempotency_conflict', 'This Idempotency-Key was used for a different request.')
  const manageToken = await unsealToken(first.manageTokenSealed, idempotency.key)
  const rows = await findOccurrences(db, series.id)
  const zone = (await catalog.find(series.resourceId))?.resource.timezone ?? 'UTC'
  const skipped = skippedOccurrences(series, { start: first.startsAt.getTime(), end: first.endsAt.getTime() }, zone)
  c.header('Idempotent-Replayed', 'true')
  return c.json(await createdSeries(c, series, rows, skipped, manageToken), 201)
}
