import { Hono } from 'hono'
import { BookingError } from '../../shared/errors'
import { adminBookingRequestSchema, messageLanguage } from '../../shared/schemas'
import type { CreatedBooking, CreatedSeries } from '../../shared/api-contract'
import type { AppEnv } from '../app-env'
import { randomRef } from '../bookings/booking-ref'
import { readGuestDetails } from '../bookings/guest-details'
import { createBooking } from '../bookings/lifecycle'
import { assertSeatsAllowed } from '../bookings/resolve-slot'
import { isSpanEntry } from '../bookings/resolve-span'
import { randomToken, sealToken, sha256Hex } from '../crypto'
import { invalidField } from '../errors'
import { readJson } from '../request'
import { conflictsOf } from '../series/check-occurrences'
import { bookSeries } from '../series/book-series'
import { toPublicSeries } from '../series/series-store'
import { toPublicBooking } from '../store/bookings'
import { holdOrThrow, tryHold } from './holds'

/**
 * The owner books for a guest (a call, a walk-in), mounted under /v1/admin behind its key
 * check. The time is taken exactly as a guest's hold would take it — a slot the schedule
 * offers, free of bookings and of other guests' holds (409 `slot_taken` / `slot_held`) — and
 * booked through the lifecycle as the owner: confirmed at once, with no payment online (the
 * owner settles it with the guest). The guest gets the usual confirmation, in `locale`, with
 * their manage link; limits per guest apply as to any booking.
 *
 * @example
 * POST /v1/admin/bookings  Authorization: Bearer <admin key>
 *   {"resourceId":"yoga-room","start":"2026-04-06T08:00:00Z","guest":{"name":"Ana","email":"ana@example.com"},"locale":"es"}
 * → 201 {"booking":{"ref":"7K3QX2MD","status":"confirmed",…},"manageToken":"…"}
 *   with "repeat":{"everyWeeks":1,"occurrences":12},"mode":"skip_conflicts"
 * → 201 {"series":{"ref":"Q4M2…","bookings":[…],"skipped":[…]},"manageToken":"…"}
 */
export const adminNewBookingRoutes = new Hono<AppEnv>().post('/', async (c) => {
  const deps = c.var.deps
  const request = await readJson(c, adminBookingRequestSchema)
  const entry = await deps.catalog.find(request.resourceId)
  if (!entry) throw new BookingError('not_found', `No bookable resource "${request.resourceId}".`)
  if (request.repeat && isSpanEntry(entry))
    throw invalidField('repeat', 'invalid', 'a span cannot repeat', 'A span cannot be booked as a series.')
  const seats = request.seats ?? 1
  assertSeatsAllowed(entry.resource.config, seats)
  const details = readGuestDetails(entry.resource, request)

  // A session of its own, so the owner's hold counts against nobody else's and expires alone.
  const sessionId = `owner_${randomToken().slice(0, 22)}`
  const placed = await tryHold(deps, entry, {
    sessionId,
    client: sessionId,
    start: request.start,
    end: request.end,
    seats,
  })
  const hold = holdOrThrow(deps, entry, seats, placed)
  const manageToken = randomToken()
  const draft = {
    seats: hold.seats,
    poolId: hold.poolId,
    partySize: hold.partySize,
    ...details,
    notes: request.notes,
    manageLinkSealed: deps.appSecret ? await sealToken(manageToken, deps.appSecret, 'message-links') : undefined,
    locale: messageLanguage(request.locale),
    guestTimezone: request.timezone,
  }
  try {
    if (request.repeat) {
      const booked = await bookSeries(deps, {
        hold,
        entry,
        request: { repeat: request.repeat, mode: request.mode ?? 'all_or_nothing' },
        sessionId,
        manageTokenHash: await sha256Hex(manageToken),
        by: 'owner',
        details: draft,
      })
      return c.json(
        {
          series: { ...toPublicSeries(booked.series, booked.rows), skipped: conflictsOf(booked.skipped) },
          manageToken,
        } satisfies CreatedSeries,
        201,
      )
    }
    const row = await createBooking(
      deps,
      {
        ...draft,
        ref: randomRef(),
        resourceId: hold.resourceId,
        start: hold.start,
        end: hold.end,
        sessionId,
        manageTokenHash: await sha256Hex(manageToken),
      },
      entry.resource.config,
      'owner',
    )
    return c.json({ booking: toPublicBooking(row), manageToken } satisfies CreatedBooking, 201)
  } finally {
    // Booked or refused, the owner's hold has done its job; a failed release only lets it expire.
    await deps.holds.release(hold.id, sessionId).catch(() => false)
  }
})
