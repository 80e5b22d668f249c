import type { AppDeps } from './app-env'
import { processOutbox, type OutboxWorkerDeps } from './notify/worker'
import { runPaymentSweep } from './payments/booking-payments'
import { expirePendingBookings } from './store/bookings'

/**
 * Everything that comes due with time, run every minute: in-process on Node, and through
 * `POST /v1/internal/cron` where a scheduler calls in (edge runtimes have no timers).
 * Expiring unpaid bookings comes first, so their payment intents are released in the same
 * run; the outbox goes last.
 */
export async function runDueWork(deps: Pick<AppDeps, 'db' | 'clock' | 'logger' | 'payments'> & Partial<Pick<AppDeps, 'outbox' | 'notifiers'>>) {
  const expired = await expirePendingBookings(deps.db, deps.clock.now())
  const payments = deps.payments ? await runPaymentSweep({ ...deps, payments: deps.payments }) : undefined
  // Last, so messages written by the steps above go out in the same run.
  const notifications = deps.notifiers ? await processOutbox({ ...deps, ...deps.notifiers }) : undefined
  return { expired, ...(payments ? { payments } : {}), ...(notifications ? { notifications } : {}) }
}

export type Notifiers = Omit<OutboxWorkerDeps, 'db' | 'clock' | 'logger'>
