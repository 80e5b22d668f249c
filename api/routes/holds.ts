import { Hono, type Context } from 'hono'
import { BookingError } from '../../shared/errors'
import { DEFAULT_HOLD_TTL_SEC, holdRequestSchema } from '../../shared/schemas'
import type { PublicHold } from '../../shared/types'
import type { AppDeps, AppEnv } from '../app-env'
import { assertSeatsAllowed, resolveOfferedSlot, type OfferedSlot } from '../bookings/resolve-slot'
import { isSpanEntry, resolveSpan } from '../bookings/resolve-span'
import type { Hold, PlaceHoldResult } from '../holds/hold-store'
import type { CatalogEntry } from '../store/resource-catalog'
import { clientKey } from '../client-ip'
import { readJson, requireSession } from '../request'
import type { HoldResponse } from '../../shared/api-contract'

const MINUTE_MS = 60_000
/**
 * Holds: a slot kept for one browser session while the guest types their details.
 *
 * @example
 * POST /v1/holds  X-Booking-Session: 7d1c…  {"resourceId":"meeting-room","start":"2026-03-30T08:00:00Z"}
 * → 201 {"hold":{"id":"h_…","resourceId":"…","start":"…","end":"…","expiresAt":"…","seats":1}}
 */
export const holdRoutes = new Hono<AppEnv>()
  .post('/', async (c) => {
    const { sessionId, client } = await admitHold(c)
    const request = await readJson(c, holdRequestSchema)
    const entry = await c.var.deps.catalog.find(request.resourceId)
    if (!entry) throw new BookingError('not_found', `No bookable resource "${request.resourceId}".`)
    const seats = request.seats ?? 1
    assertSeatsAllowed(entry.resource.config, seats)
    const result = await tryHold(c.var.deps, entry, {
      sessionId,
      client,
      start: request.start,
      end: request.end,
      seats,
    })
    return c.json({ hold: toPublicHold(holdOrThrow(c.var.deps, entry, seats, result)) } satisfies HoldResponse, 201)
  })
  .delete('/:id', async (c) => {
    const sessionId = requireSession(c)
    const { holds } = c.var.deps
    const held = await holds.get(c.req.param('id'), sessionId)
    const released = await holds.release(c.req.param('id'), sessionId)
    if (!released) throw new BookingError('not_found', 'No such hold for this session (it may have expired).')
    // A combined booking's lead hold takes its parts' holds with it.
    await Promise.all((held?.partHoldIds ?? []).map((id) => holds.release(id, sessionId)))
    return c.body(null, 204)
  })

/** The session placing a hold and its client key, once the client's hold budget allowed it (429 otherwise). */
export async function admitHold(c: Context<AppEnv>): Promise<{ sessionId: string; client: string }> {
  const { holdRateLimiter, trustProxy } = c.var.deps
  const sessionId = requireSession(c)
  const client = clientKey(c, trustProxy)
  if (holdRateLimiter) {
    const decision = await holdRateLimiter.consume(`holds:${client}`)
    if (!decision.allowed) {
      throw new BookingError('rate_limited', 'Too many holds from this address; please wait a moment.', {
        retryAfterSec: Math.max(1, decision.retryAfterSec),
      })
    }
  }
  return { sessionId, client }
}

export interface HoldAttempt {
  sessionId: string
  client: string
  start: number
  end: number | undefined
  seats: number
  /** Carried onto the hold when it is placed through a pool. */
  poolId?: string
  partySize?: number
  /** Carried onto the lead hold of a service (see `Hold`). */
  service?: { serviceId: string; position: number; partHoldIds?: string[] }
  /**
   * Holds the session (and the client) may have beyond the usual limits: a service's part
   * holds, which one booking needs together.
   */
  extraHolds?: number
}

/**
 * Holds the offered slot of one resource for the session: the slot as availability offers
 * it (409 `slot_taken` / 422 `outside_availability` thrown when it is not free of
 * bookings), then the hold store's atomic placement, whose refusal is returned.
 */
export async function tryHold(deps: AppDeps, entry: CatalogEntry, attempt: HoldAttempt): Promise<PlaceHoldResult> {
  const { holds, db, clock, limits } = deps
  // A resource booked by the span (pickup to return across days) is checked by its own rules.
  const slot: OfferedSlot = isSpanEntry(entry)
    ? await resolveSpan(db, entry, attempt.start, attempt.end, clock.now())
    : await resolveOfferedSlot(db, entry, attempt.start, attempt.end, clock.now(), attempt.seats)
  const {
    bufferBeforeMin = 0,
    bufferAfterMin = 0,
    holdTtlSec = DEFAULT_HOLD_TTL_SEC,
    capacity = 1,
  } = entry.resource.config
  return holds.place({
    resourceId: entry.resource.id,
    sessionId: attempt.sessionId,
    start: slot.start,
    end: slot.end,
    blockStart: slot.start - bufferBeforeMin * MINUTE_MS,
    blockEnd: slot.end + bufferAfterMin * MINUTE_MS,
    ttlMs: holdTtlSec * 1000,
    seats: attempt.seats,
    capacity,
    bookedSeats: slot.bookedSeats ?? 0,
    maxPerSession: limits.holdsPerSession + (attempt.extraHolds ?? 0),
    // New sessions cost nothing, so the session limit alone does not stop one client squatting.
    ...(limits.holdsPerClient
      ? { clientKey: attempt.client, maxPerClient: limits.holdsPerClient + (attempt.extraHolds ?? 0) }
      : {}),
    ...(attempt.poolId !== undefined ? { poolId: attempt.poolId } : {}),
    ...(attempt.partySize !== undefined ? { partySize: attempt.partySize } : {}),
    ...(attempt.service
      ? {
          serviceId: attempt.service.serviceId,
          servicePosition: attempt.service.position,
          ...(attempt.service.partHoldIds ? { partHoldIds: attempt.service.partHoldIds } : {}),
        }
      : {}),
  })
}

/** The placed hold, or the refusal as the error the guest gets. */
export function holdOrThrow(deps: AppDeps, entry: CatalogEntry, seats: number, result: PlaceHoldResult): Hold {
  const { limits, clock } = deps
  if (result.ok) return result.hold
  if (result.reason === 'slot_held') {
    throw new BookingError(
      'slot_held',
      (entry.resource.config.capacity ?? 1) > 1
        ? `Others are booking places at this time right now and too few are left for ${seats}. Pick another time or fewer places, or try again in a few minutes.`
        : 'Someone else is booking this time right now. Pick another, or try again in a few minutes.',
    )
  }
  if (result.reason === 'client_limit') {
    throw new BookingError(
      'rate_limited',
      `This address already holds ${limits.holdsPerClient} slots, the most one visitor may hold at once; book or release one, or wait until one expires.`,
      { limit: limits.holdsPerClient, retryAfterSec: Math.max(1, Math.ceil((result.retryAt - clock.now()) / 1000)) },
    )
  }
  throw new BookingError(
    'rate_limited',
    `A session may hold at most ${limits.holdsPerSession} slots at once; finish or release one first.`,
    { limit: limits.holdsPerSession, retryAfterSec: 60 },
  )
}

export function toPublicHold(hold: Hold): PublicHold {
  return {
    id: hold.id,
    resourceId: hold.resourceId,
    start: new Date(hold.start).toISOString(),
    end: new Date(hold.end).toISOString(),
    expiresAt: new Date(hold.expiresAt).toISOString(),
    seats: hold.seats,
    ...(hold.poolId !== undefined ? { poolId: hold.poolId } : {}),
    ...(hold.partySize !== undefined ? { partySize: hold.partySize } : {}),
  }
}
