import { Ratelimit } from '@upstash/ratelimit'
import type { Redis } from '@upstash/redis'
import type { Clock } from '../clock'
import type { RateLimitDecision, RateLimiter } from '../holds/hold-store'

/**
 * In-memory fixed window per key (one process; the embedded default). Windows that have
 * ended are dropped once the map grows, so memory stays bounded by recent clients.
 */
export function createMemoryRateLimiter(clock: Clock, options: { limit: number; windowMs: number }): RateLimiter {
  const windows = new Map<string, { startedAt: number; count: number }>()
  return {
    async consume(key): Promise<RateLimitDecision> {
      const now = clock.now()
      if (windows.size > 10_000) {
        for (const [k, w] of windows) if (now - w.startedAt >= options.windowMs) windows.delete(k)
      }
      let window = windows.get(key)
      if (!window || now - window.startedAt >= options.windowMs) {
        window = { startedAt: now, count: 0 }
        windows.set(key, window)
      }
      if (window.count >= options.limit) {
        return {
          allowed: false,
          retryAfterSec: Math.max(1, Math.ceil((window.startedAt + options.windowMs - now) / 1000)),
        }
      }
      window.count++
      return { allowed: true, retryAfterSec: 0 }
    },
    async peek(key): Promise<RateLimitDecision> {
      const now = clock.now()
      const window = windows.get(key)
      if (!window || now - window.startedAt >= options.windowMs || window.count < options.limit)
        return { allowed: true, retryAfterSec: 0 }
      return {
        allowed: false,
        retryAfterSec: Math.max(1, Math.ceil((window.startedAt + options.windowMs - now) / 1000)),
      }
    },
  }
}

/** Sliding window in Redis via @upstash/ratelimit, shared by every API process. */
export function createUpstashRateLimiter(
  redis: Redis,
  options: { limit: number; windowSec: number; prefix?: string },
): RateLimiter {
  const limiter = new Ratelimit({
    redis,
    limiter: Ratelimit.slidingWindow(options.limit, `${options.windowSec} s`),
    prefix: options.prefix ?? 'ratelimit',
    analytics: false,
  })
  return {
    async consume(key): Promise<RateLimitDecision> {
      const { success, reset } = await limiter.limit(key)
      return success
        ? { allowed: true, retryAfterSec: 0 }
        : { allowed: false, retryAfterSec: Math.max(1, Math.ceil((reset - Date.now()) / 1000)) }
    },
    async peek(key): Promise<RateLimitDecision> {
      const { remaining, reset } = await limiter.getRemaining(key)
      return remaining > 0
        ? { allowed: true, retryAfterSec: 0 }
        : { allowed: false, retryAfterSec: Math.max(1, Math.ceil((reset - Date.now()) / 1000)) }
    },
  }
}
