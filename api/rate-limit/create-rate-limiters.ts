import type { Redis } from '@upstash/redis'
import type { Clock } from '../clock'
import type { RateLimiter } from '../holds/hold-store'
import { createMemoryRateLimiter, createUpstashRateLimiter } from './rate-limiter'

/** The per-client limits the API enforces; undefined = that limit is off. */
export interface RateLimiters {
  /** Hold creations per client per minute (HOLD_RATE_LIMIT). */
  holdRateLimiter: RateLimiter | undefined
  /** Manage-link requests (ref + token) per client per minute (MANAGE_RATE_LIMIT): stops ref/token guessing. */
  manageRateLimiter: RateLimiter | undefined
  /** Failed admin authentications per client per 15 minutes (ADMIN_AUTH_FAILURE_LIMIT): stops key and setup-token guessing. */
  adminAuthRateLimiter: RateLimiter | undefined
}

export interface RateLimitSettings {
  /** Hold creations per client per minute; 0 = no limit. */
  holdRateLimitPerMinute: number
  /** Manage requests per client per minute; 0 or absent = no limit. */
  manageRateLimitPerMinute?: number | undefined
  /** Failed admin authentications per client per 15 minutes; 0 or absent = no limit. */
  adminAuthFailureLimit?: number | undefined
}

/** Where the counts live: Redis (shared by every process) or this process's memory. */
export type RateLimitStore = { redis: Redis; keyPrefix: string } | { clock: Clock }

export const ADMIN_AUTH_WINDOW_SEC = 15 * 60

export function createRateLimiters(settings: RateLimitSettings, store: RateLimitStore): RateLimiters {
  const {
    holdRateLimitPerMinute: hold,
    manageRateLimitPerMinute: manage = 0,
    adminAuthFailureLimit: adminAuth = 0,
  } = settings
  const limiter = (limit: number, windowSec: number, name: string): RateLimiter | undefined => {
    if (limit <= 0) return undefined
    if ('redis' in store)
      return createUpstashRateLimiter(store.redis, { limit, windowSec, prefix: `${store.keyPrefix}${name}` })
    return createMemoryRateLimiter(store.clock, { limit, windowMs: windowSec * 1000 })
  }
  return {
    holdRateLimiter: limiter(hold, 60, 'ratelimit'),
    manageRateLimiter: limiter(manage, 60, 'ratelimit:manage'),
    adminAuthRateLimiter: limiter(adminAuth, ADMIN_AUTH_WINDOW_SEC, 'ratelimit:admin-auth'),
  }
}
