import { Hono } from 'hono'
import { BookingError } from '../../shared/errors'
import type { AppEnv } from '../app-env'
import { digestsEqual, sha256Hex } from '../bookings/tokens'
import { bearerToken } from '../request'
import { runDueWork } from '../due-work'

/**
 * Work a scheduler may trigger from outside (edge runtimes have no timers of their own).
 *
 * @example
 * POST /v1/internal/cron  Authorization: Bearer $CRON_SECRET  → 200 {"expired": 2, "payments": {…}}
 */
export const internalRoutes = new Hono<AppEnv>().post('/cron', async (c) => {
  const { cronSecret } = c.var.deps
  const given = bearerToken(c)
  // Without CRON_SECRET the endpoint is closed; the in-process sweep still runs on Node.
  if (!cronSecret || !given || !digestsEqual(await sha256Hex(given), await sha256Hex(cronSecret))) {
    throw new BookingError('unauthorized', 'A valid cron secret is required.')
  }
  return c.json(await runDueWork(c.var.deps))
})
