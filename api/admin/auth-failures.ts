import type { Context } from 'hono'
import { BookingError } from '../../shared/errors'
import type { AppEnv } from '../app-env'
import { clientKey } from '../client-ip'
import { describeError } from '../errors'
import type { RateLimitDecision } from '../holds/hold-store'

/*
 * Failed admin authentications (bad keys, bad setup tokens) drawn from one budget per
 * client (ADMIN_AUTH_FAILURE_LIMIT per 15 minutes). Once it is spent the client is
 * refused outright, a correct key included: otherwise the limit would only slow guessing
 * down, never stop it. Successes draw nothing, so an owner at work is never counted.
 */

const budgetKey = (c: Context<AppEnv>) => `admin-auth:${clientKey(c, c.var.deps.trustProxy)}`

/** 429 `rate_limited` (with Retry-After) when this client has no failures left. */
export async function refuseIfLockedOut(c: Context<AppEnv>): Promise<void> {
  const limiter = c.var.deps.adminAuthRateLimiter
  if (!limiter) return
  const decision = await ask(c, () => limiter.peek(budgetKey(c)))
  if (decision && !decision.allowed) {
    const minutes = Math.max(1, Math.ceil(decision.retryAfterSec / 60))
    throw new BookingError(
      'rate_limited',
      `Too many failed sign-in attempts from this address; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      {
        retryAfterSec: decision.retryAfterSec,
      },
    )
  }
}

/** Counts one failed authentication against this client. */
export async function countAuthFailure(c: Context<AppEnv>): Promise<void> {
  const limiter = c.var.deps.adminAuthRateLimiter
  if (limiter) await ask(c, () => limiter.consume(budgetKey(c)))
}

/**
 * Fails open, unlike the hold limiters: keys and setup tokens carry 256 random bits, so
 * this budget is a second line, and a Redis outage must not lock the owner out of the
 * console they would use to deal with it. The outage is logged.
 */
async function ask(c: Context<AppEnv>, run: () => Promise<RateLimitDecision>): Promise<RateLimitDecision | undefined> {
  try {
    return await run()
  } catch (error) {
    c.var.deps.logger.error('admin sign-in limiter unavailable; not limiting', {
      requestId: c.get('requestId'),
      ...describeError(error),
    })
    return undefined
  }
}
