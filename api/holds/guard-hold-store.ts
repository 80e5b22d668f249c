import { BookingError } from '../../shared/errors'
import type { HoldStore, RateLimiter } from './hold-store'

const RETRY_AFTER_SEC = 5

function unavailable(cause: unknown): BookingError {
  return new BookingError(
    'unavailable',
    'Holding slots is unavailable right now; please try again shortly.',
    { retryAfterSec: RETRY_AFTER_SEC },
    { cause },
  )
}

/**
 * Turns any failure of the hold store (Redis unreachable, timeouts) into 503 `unavailable`,
 * in one place, instead of a 500 from whichever route touched it.
 */
export function guardHoldStore(store: HoldStore): HoldStore {
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A) =>
      fn(...args).catch((error: unknown) => {
        throw error instanceof BookingError ? error : unavailable(error)
      })
  return {
    place: guard(store.place.bind(store)),
    get: guard(store.get.bind(store)),
    release: guard(store.release.bind(store)),
    listLive: guard(store.listLive.bind(store)),
  }
}

/** A limiter that cannot answer refuses: holds fail closed. */
export function guardRateLimiter(limiter: RateLimiter): RateLimiter {
  return {
    consume: (key) => limiter.consume(key).catch((error: unknown) => Promise.reject(unavailable(error))),
    peek: (key) => limiter.peek(key).catch((error: unknown) => Promise.reject(unavailable(error))),
  }
}
