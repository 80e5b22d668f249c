/**
 * Holds keep a slot for one browser session while the guest types their details. Redis
 * (or memory) is for speed and experience only; the EXCLUDE constraint on bookings is
 * the guarantee. Expiry is logical (`expiresAt` against the injected clock, so every
 * process and both stores agree); key TTLs only collect garbage.
 */
export interface Hold {
  id: string
  resourceId: string
  sessionId: string
  /** The held slot, epoch ms, half-open. */
  start: number
  end: number
  /** The interval that must stay free: the slot widened by the resource's buffers. */
  blockStart: number
  blockEnd: number
  expiresAt: number
  /** Places held of the resource's capacity (1 on a resource of one place). */
  seats: number
  /** Who placed it (a client key: IPv4 address or IPv6 /64), when a per-client limit applied. */
  clientKey?: string
  /** The pool it was placed through ("any available"); `resourceId` is the member it took. */
  poolId?: string
  /** Guests at the table, when asked with a party size (the booking keeps it). */
  partySize?: number
  /**
   * A combined booking's holds (docs/capacity.md): the service, on the lead hold and on each
   * part's. The lead hold (position 0, the one the guest books with) lists its parts' holds,
   * placed before it; a part hold (position ≥ 1) cannot be booked on its own.
   */
  serviceId?: string
  servicePosition?: number
  partHoldIds?: string[]
}

export interface PlaceHoldRequest {
  resourceId: string
  sessionId: string
  start: number
  end: number
  blockStart: number
  blockEnd: number
  ttlMs: number
  /** Places to hold (1 on a resource of one place). */
  seats: number
  /** The resource's capacity (docs/capacity.md). */
  capacity: number
  /**
   * The most places already booked at any instant of the block interval, as the route read
   * them from the database: the store refuses when these, the other sessions' overlapping
   * holds and `seats` together exceed `capacity`.
   */
  bookedSeats: number
  /** Live holds one session may have across all resources. */
  maxPerSession: number
  /** The client placing it (IPv4 address or IPv6 /64); counted only with `maxPerClient`. */
  clientKey?: string
  /** Live holds one client may have across all its sessions; undefined or 0 = no limit. */
  maxPerClient?: number
  /** Carried onto the hold (see `Hold`). */
  poolId?: string
  partySize?: number
  serviceId?: string
  servicePosition?: number
  partHoldIds?: string[]
}

export type PlaceHoldResult =
  /** `replaced`: the session's earlier holds on this resource, released by this move. */
  | { ok: true; hold: Hold; replaced: string[] }
  /**
   * Too few places left: another session's live holds overlap (block intervals) and, with
   * the booked places, leave fewer than `seats`. On a resource of one place: any overlap.
   */
  | { ok: false; reason: 'slot_held' }
  /** The session already has `maxPerSession` live holds on other resources. */
  | { ok: false; reason: 'session_limit' }
  /** The client already has `maxPerClient` live holds; `retryAt` (epoch ms) is when the first of them lapses. */
  | { ok: false; reason: 'client_limit'; retryAt: number }

export interface HoldStore {
  /**
   * Atomically: drop expired holds, refuse when the booked places, other sessions' live
   * overlapping holds and the new seats exceed the capacity (any overlap, at capacity 1),
   * enforce the per-session and per-client limits, release the session's own earlier holds
   * on this resource (a re-hold moves, and is not counted twice), and insert the new hold.
   */
  place(request: PlaceHoldRequest): Promise<PlaceHoldResult>
  /** The session's live hold with this id, or undefined (unknown, expired, or not its own). */
  get(holdId: string, sessionId: string): Promise<Hold | undefined>
  /** Compare-then-delete: removes the hold only if it is this session's. True if removed. */
  release(holdId: string, sessionId: string): Promise<boolean>
  /** Live holds on a resource whose block interval overlaps [from, to). */
  listLive(resourceId: string, from: number, to: number): Promise<Hold[]>
}

export interface RateLimitDecision {
  allowed: boolean
  /** Whole seconds until a request would be allowed again (0 when allowed). */
  retryAfterSec: number
}

/** Fixed budget of events per key per window. Errors propagate: callers fail closed. */
export interface RateLimiter {
  consume(key: string): Promise<RateLimitDecision>
  /** What `consume` would answer now, without spending: for budgets only some events draw on (failures). */
  peek(key: string): Promise<RateLimitDecision>
}
