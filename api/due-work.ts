import type { AppDeps } from './app-env'
import { runPaymentSweep } from './payments/booking-payments'
import { expirePendingBookings } from './store/bookings'

/**
 * Everything that comes due with time, run every minute: in-process on Node, and through
 * `POST /v1/internal/cron` where a scheduler calls in (edge runtimes have no timers).
 * Expiring unpaid bookings comes first, so their payment intents are released in the same run.
 */
export async function runDueWork(deps: Pick<AppDeps, 'db' | 'clock' | 'logger' | 'payments'>) {
  const expired = await expirePendingBookings(deps.db, deps.clock.now())
  const payments = deps.payments ? await runPaymentSweep({ ...deps, payments: deps.payments }) : undefined
  return { expired, ...(payments ? { payments } : {}) }
}
