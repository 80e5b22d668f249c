import { randomBytes } from 'node:crypto'
import type { Clock } from '../api/clock'
import { createHoldBackend, type HoldBackendWithLimits as HoldBackend } from '../api/holds/create-hold-backend'

/**
 * The hold backend the suite is configured for: Upstash REST (the dev bridge in front of the
 * real Redis, started by test/global-setup.ts when REDIS_URL is set) or memory. Each call
 * gets its own key prefix, so test files never see each other's holds.
 */
export function createTestHoldBackend(clock: Clock, options: { rateLimitPerMinute?: number } = {}): HoldBackend {
  const url = process.env.UPSTASH_REDIS_REST_URL
  const token = process.env.UPSTASH_REDIS_REST_TOKEN
  return createHoldBackend({
    upstash: url && token ? { url, token } : undefined,
    holdRateLimitPerMinute: options.rateLimitPerMinute ?? 0,
    clock,
    keyPrefix: `test:${randomBytes(4).toString('hex')}:`,
  })
}

/** A valid X-Booking-Session value. */
export const newSession = () => `s_${randomBytes(12).toString('base64url')}`
