import { Hono, type Context } from 'hono'
import type { WaitlistEntryRow } from '../../drizzle/schema'
import type {
  CreatedBooking,
  JoinedWaitlist,
  PublicWaitlistEntry,
  WaitlistEntryResponse,
} from '../../shared/api-contract'
import { BookingError, type FieldError } from '../../shared/errors'
import { checkAnswers } from '../../shared/intake'
import { normalizePhone, phoneRegionOf } from '../../shared/phone'
import { messageLanguage, waitlistClaimSchema, waitlistJoinSchema } from '../../shared/schemas'
import { availabilityRange } from '../../shared/slots/compute-slots'
import { DEFAULT_HORIZON_DAYS } from '../../shared/schemas'
import { MAX_WAITLIST_WINDOW_MS, waitlistOpen } from '../../shared/waitlist'
import type { AppDeps, AppEnv } from '../app-env'
import { requireTokenHolder } from '../manage-access'
import { randomRef } from '../bookings/booking-ref'
import { createBooking, startPayment } from '../bookings/lifecycle'
import { assertSeatsAllowed } from '../bookings/resolve-slot'
import { clientKey } from '../client-ip'
import { randomToken, sealToken, sha256Hex } from '../crypto'
import { constraintOf, sqlState, UNIQUE_VIOLATION } from '../db/sql-state'
import { invalidField } from '../errors'
import { readJson } from '../request'
import { toPublicBooking } from '../store/bookings'
import { paymentModeOf } from '../store/resources'
import { offerSession, runWaitlistOffers } from '../waitlist/offer-times'
import { endOpenOffer, findEntryByRef, findOpenOffer, insertEntry, toPublicEntry } from '../waitlist/waitlist-store'

const DAY_MS = 86_400_000

/**
 * The guest's waitlist (docs/waitlist.md): join for a full slot, day or stretch of a day;
 * then, with the entry's ref and the token returned once, see the place in line and the
 * offer, claim it (a booking made through the lifecycle like any other, payment included),
 * pass it on, or leave. Whatever frees a time, the offer worker offers it in queue order.
 *
 * @example
 * POST /v1/waitlist  {"resourceId":"physio-anna","date":"2026-12-12","guest":{"name":"Ada","email":"ada@example.com"}}
 * → 201 {"entry":{"ref":"W7K3QX2M","status":"waiting","position":3,"offer":null,…},"token":"…"}
 * GET /v1/waitlist/W7K3QX2M  Authorization: Bearer <token>
 * POST /v1/waitlist/W7K3QX2M/claim  Authorization: Bearer <token>  {}
 * → 201 {"booking":{"ref":"…","status":"confirmed",…},"manageToken":"…"}
 */
export const waitlistRoutes = new Hono<AppEnv>()
  .post('/', async (c) => {
    const deps = c.var.deps
    await admitJoin(c)
    const request = await readJson(c, waitlistJoinSchema)
    const found = await deps.catalog.find(request.resourceId)
    if (!found) throw new BookingError('not_found', `No bookable resource "${request.resourceId}".`)
    const { resource } = found
    const { config } = resource
    if (!waitlistOpen(config) || (paymentModeOf(config) === 'online' && !deps.payments))
      throw new BookingError('waitlist_closed', `${resource.name} has no waitlist.`)
    const seats = request.seats ?? 1
    assertSeatsAllowed(config, seats)
    if (request.duration !== undefined && config.durations && !config.durations.includes(request.duration))
      throw invalidField('duration', 'invalid', `one of ${config.durations.join(', ')}`, 'This length is not offered.')
    const phone =
      request.guest.phone === undefined ? undefined : normalizePhone(request.guest.phone, phoneRegionOf(resource))
    if (phone && !phone.ok)
      throw invalidField(
        'guest.phone',
        'invalid_phone',
        'not a phone number; include the country code, e.g. +44 20 7123 4567',
      )

    const window =
      request.date !== undefined
        ? availabilityRange(request.date, request.date, resource.timezone)
        : { start: request.start!, end: request.end! }
    if (window.end - window.start > MAX_WAITLIST_WINDOW_MS)
      throw invalidField('end', 'invalid', 'at most one day after start', 'A waitlist entry waits on one day at most.')
    const now = deps.clock.now()
    if (window.end <= now) throw new BookingError('outside_availability', 'This time has already passed.')
    const horizonDays = config.horizonDays ?? DEFAULT_HORIZON_DAYS
    if (window.start > now + horizonDays * DAY_MS)
      throw new BookingError('outside_availability', `${resource.name} takes bookings up to ${horizonDays} days ahead.`)

    const token = randomToken()
    let row: WaitlistEntryRow
    try {
      row = await insertEntry(deps.db, {
        id: crypto.randomUUID(),
        ref: `W${randomRef()}`,
        resourceId: resource.id,
        kind: request.date !== undefined ? 'day' : (request.kind ?? 'range'),
        windowStart: new Date(window.start),
        windowEnd: new Date(window.end),
        durationMin: request.duration ?? null,
        seats,
        guestName: request.guest.name,
        guestEmail: request.guest.email,
        guestPhone: phone?.ok ? phone.e164 : null,
        locale: messageLanguage(request.locale),
        guestTimezone: request.timezone ?? null,
        tokenHash: await sha256Hex(token),
        linkSealed: deps.appSecret ? await sealToken(token, deps.appSecret, 'message-links') : null,
        createdAt: new Date(now),
      })
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION && constraintOf(error) === 'waitlist_entries_once')
        throw new BookingError(
          'already_waiting',
          'You are already on the waitlist for this time; the link in your email shows your place.',
        )
      throw error
    }
    // A time that is free already is offered at once rather than at the next run.
    await runWaitlistOffers(deps, { resourceId: resource.id })
    return c.json({ entry: await entryView(deps, row), token } satisfies JoinedWaitlist, 201)
  })
  .get('/:ref', async (c) => {
    const entry = await requireEntry(c)
    return c.json({ entry: await entryView(c.var.deps, entry) } satisfies WaitlistEntryResponse)
  })
  .post('/:ref/claim', async (c) => {
    const deps = c.var.deps
    const entry = await requireEntry(c)
    const request = await readJson(c, waitlistClaimSchema, { optional: true })
    const offer = entry.status === 'waiting' ? await findOpenOffer(deps.db, entry.id) : undefined
    if (!offer || offer.expiresAt.getTime() <= deps.clock.now())
      throw new BookingError('offer_expired', 'There is no open offer to book: it has lapsed or was passed on.')
    const found = await deps.catalog.find(entry.resourceId)
    if (!found) throw new BookingError('not_found', 'This resource is no longer bookable.')
    const { resource } = found
    const intake = checkAnswers(resource.config.questions, request.answers, {
      country: phoneRegionOf(resource),
      readPhone: normalizePhone,
    })
    if (intake.errors.length > 0)
      throw new BookingError(
        'invalid_request',
        'Some answers to the questions are not valid.',
        intake.errors.map((e): FieldError => ({ path: e.path.join('.'), code: e.code, message: e.message })),
      )
    const manageToken = randomToken()
    let row
    try {
      row = await createBooking(
        deps,
        {
          ref: randomRef(),
          resourceId: resource.id,
          start: offer.startsAt.getTime(),
          end: offer.endsAt.getTime(),
          seats: entry.seats,
          guest: {
            name: entry.guestName,
            email: entry.guestEmail,
            ...(entry.guestPhone ? { phone: entry.guestPhone } : {}),
          },
          notes: request.notes,
          ...(Object.keys(intake.answers).length > 0 ? { answers: intake.answers } : {}),
          ...(resource.config.questions?.length ? { questionsAsked: resource.config.questions } : {}),
          sessionId: offerSession(offer.id),
          manageTokenHash: await sha256Hex(manageToken),
          manageLinkSealed: deps.appSecret ? await sealToken(manageToken, deps.appSecret, 'message-links') : undefined,
          locale: entry.locale,
          guestTimezone: entry.guestTimezone ?? undefined,
          waitlistOfferId: offer.id,
        },
        resource.config,
      )
    } catch (error) {
      // Booked over the hold by the owner: this offer cannot be had; the waiter keeps waiting.
      if (error instanceof BookingError && error.code === 'slot_taken') {
        await passOn(deps, entry, 'withdrawn')
      }
      throw error
    }
    afterResponse(c, deps.holds.release(offer.holdId, offerSession(offer.id)))
    const booking = toPublicBooking(row)
    if (row.paymentStatus === 'requires_payment') {
      const payment = await startPayment(deps, row, `${resource.name}, ${row.ref}`)
      return c.json({ booking, manageToken, payment } satisfies CreatedBooking, 201)
    }
    return c.json({ booking, manageToken } satisfies CreatedBooking, 201)
  })
  .post('/:ref/decline', async (c) => {
    const deps = c.var.deps
    const entry = await requireEntry(c)
    if (!(await passOn(deps, entry, 'declined')))
      throw new BookingError('offer_expired', 'There is no open offer to pass on.')
    return c.json({
      entry: await entryView(deps, (await findEntryByRef(deps.db, entry.ref))!),
    } satisfies WaitlistEntryResponse)
  })
  .post('/:ref/leave', async (c) => {
    const deps = c.var.deps
    const entry = await requireEntry(c)
    if (entry.status === 'booked')
      throw new BookingError(
        'invalid_transition',
        'This entry became a booking; cancel the booking from its own link instead.',
      )
    // Leaving twice is leaving once.
    if (entry.status === 'waiting') await passOn(deps, entry, 'withdrawn', 'left')
    return c.json({
      entry: await entryView(deps, (await findEntryByRef(deps.db, entry.ref))!),
    } satisfies WaitlistEntryResponse)
  })

/**
 * Ends the entry's open offer (and the entry, when it leaves or is removed), releases the
 * offer's hold and offers the time to the next waiter at once. True when an offer was open.
 */
export async function passOn(
  deps: AppDeps,
  entry: WaitlistEntryRow,
  offerStatus: 'declined' | 'withdrawn',
  entryStatus?: 'left' | 'removed',
): Promise<boolean> {
  const { offer } = await endOpenOffer(deps.db, entry.id, offerStatus, new Date(deps.clock.now()), entryStatus)
  if (offer) await deps.holds.release(offer.holdId, offerSession(offer.id))
  await runWaitlistOffers(deps, { resourceId: entry.resourceId })
  return offer !== undefined
}

async function entryView(deps: AppDeps, entry: WaitlistEntryRow): Promise<PublicWaitlistEntry> {
  const found = await deps.catalog.find(entry.resourceId)
  const resource = found?.resource ?? { name: '', timezone: 'UTC' }
  return toPublicEntry(deps.db, entry, resource, deps.clock.now())
}

/** Joins send an email to the address given: a client may only make so many. */
async function admitJoin(c: Context<AppEnv>): Promise<void> {
  const { holdRateLimiter, trustProxy } = c.var.deps
  if (!holdRateLimiter) return
  const decision = await holdRateLimiter.consume(`waitlist:${clientKey(c, trustProxy)}`)
  if (!decision.allowed)
    throw new BookingError('rate_limited', 'Too many requests from this address; please wait a moment.', {
      retryAfterSec: Math.max(1, decision.retryAfterSec),
    })
}

/** The entry for a ref and its token; a wrong token answers exactly like an unknown ref. */
async function requireEntry(c: Context<AppEnv>): Promise<WaitlistEntryRow> {
  return requireTokenHolder(c, { noun: 'waitlist entry', find: findEntryByRef, tokenHashOf: (row) => row.tokenHash })
}

function afterResponse(c: Context<AppEnv>, work: Promise<unknown>): void {
  const done = work.catch((error: unknown) =>
    c.var.deps.logger.error('waitlist hold release failed; it will expire on its own', { error: String(error) }),
  )
  try {
    c.executionCtx.waitUntil(done)
  } catch {
    // Node has no ExecutionContext; the promise simply runs on.
  }
}
