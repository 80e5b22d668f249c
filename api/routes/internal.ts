import { Hono } from 'hono'
import { BookingError } from '../../shared/errors'
import type { AppEnv } from '../app-env'
import { digestsEqual, sha256Hex } from '../bookings/tokens'
import { bearerToken } from '../request'
import { expirePendingBookings } from '../store/bookings'

/**
 * Work a scheduler may trigger from outside (edge runtimes have no timers of their own).
 *
 * @example
 * POST /v1/internal/cron  Authorization: Bearer $CRON_SECRET  → 200 {"expired": 2}
 */
export const internalRoutes = new Hono<AppEnv>().post('/cron', async (c) => {
  const { cronSecret, db, clock } = c.var.deps
  const given = bearerToken(c)
  // Without CRON_SECRET the endpoint is closed; the in-process sweep still runs on Node.
  if (!cronSecret || !given || !digestsEqual(await sha256Hex(given), await sha256Hex(cronSecret))) {
    throw new BookingError('unauthorized', 'A valid cron secret is required.')
  }
  const expired = await expirePendingBookings(db, clock.now())
  return c.json({ expired })
})
