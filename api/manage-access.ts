import type { Context } from 'hono'
import { BookingError } from '../shared/errors'
import type { AppEnv } from './app-env'
import { clientKey } from './client-ip'
import { digestsEqual, sha256Hex } from './crypto'
import type { Database } from './db/database'
import { bearerToken } from './request'

/** What a guest's link opens: a booking, a series or a waitlist entry, found by its ref. */
export interface TokenGuarded<T> {
  /** For the 404's message: "No <noun> with this reference." */
  noun: string
  find: (db: Database, ref: string) => Promise<T | undefined>
  tokenHashOf: (row: T) => string
}

/**
 * The row for the path's `:ref` whose token (`Authorization: Bearer …`) hashes to its stored
 * hash. A wrong token answers exactly like an unknown ref (404). Refs are short; tokens are
 * not, but guessing either is slowed to a crawl per address (429 `rate_limited`).
 */
export async function requireTokenHolder<T>(c: Context<AppEnv>, guarded: TokenGuarded<T>): Promise<T> {
  const { manageRateLimiter, trustProxy, db } = c.var.deps
  if (manageRateLimiter) {
    const decision = await manageRateLimiter.consume(`manage:${clientKey(c, trustProxy)}`)
    if (!decision.allowed)
      throw new BookingError('rate_limited', 'Too many look-ups from this address; please wait a moment.', {
        retryAfterSec: decision.retryAfterSec,
      })
  }
  const notFound = new BookingError('not_found', `No ${guarded.noun} with this reference.`)
  const token = bearerToken(c)
  const ref = c.req.param('ref') ?? ''
  if (!token || !/^[0-9A-Za-z]{4,16}$/.test(ref)) throw notFound
  const [row, tokenHash] = await Promise.all([guarded.find(db, ref), sha256Hex(token)])
  if (!row || !digestsEqual(guarded.tokenHashOf(row), tokenHash)) throw notFound
  return row
}
