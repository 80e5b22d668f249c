import type { AppDeps } from './app-env'
import { bumpAvailability } from './availability-cache'
import { processOutbox, type OutboxWorkerDeps } from './notify/outbox-sender'
import { expireUnpaidBookings, runPaymentSweep } from './bookings/lifecycle'
import { deliverWebhooks } from './webhooks/deliver-webhooks'
import { pollBusySources } from './busy-import/poll-busy-sources'
import { runWaitlistOffers } from './waitlist/offer-times'
import { processWaitlistMessages } from './waitlist/send-waitlist-messages'

/**
 * Everything that comes due with time, run every minute: in-process on Node, and through
 * `POST /v1/internal/cron` where a scheduler calls in (edge runtimes have no timers).
 * Expiring unpaid bookings comes first, so their payment intents are released in the same
 * run; the outbox goes last.
 */
export async function runDueWork(
  deps: Pick<AppDeps, 'db' | 'clock' | 'logger' | 'payments'> &
    Partial<Pick<AppDeps, 'outbox' | 'notifiers' | 'availability' | 'webhooks' | 'holds'>>,
) {
  let expired: number
  let payments: Awaited<ReturnType<typeof runPaymentSweep>> | undefined
  try {
    expired = await expireUnpaidBookings(deps)
    if (deps.payments) {
      // The sweep's cancellations and late payments owe messages: it never runs without an outbox.
      if (!deps.outbox) throw new Error('the payment sweep needs an outbox to write the messages its changes owe')
      payments = await runPaymentSweep({ ...deps, payments: deps.payments, outbox: deps.outbox })
    }
  } finally {
    // Expiry and payment outcomes (lapsed authorizations, late payments) change bookings.
    await bumpAvailability(deps.availability, (error) =>
      deps.logger.error('availability version bump failed', { error: String(error) }),
    )
  }
  // After expiry, so times freed by unpaid bookings lapsing are offered in the same run; its
  // holds live in the hold store, so it runs only where this process reaches it.
  const waitlist = deps.holds ? await runWaitlistOffers({ ...deps, holds: deps.holds }) : undefined
  // Last, so messages written by the steps above go out in the same run.
  const notifications = deps.notifiers ? await processOutbox({ ...deps, ...deps.notifiers }) : undefined
  const waitlistMessages = deps.notifiers ? await processWaitlistMessages({ ...deps, ...deps.notifiers }) : undefined
  // Owner webhooks after the messages: the events the steps above wrote go out in this run too.
  const webhooks = await deliverWebhooks({ ...deps, email: deps.notifiers?.email })
  // Imported busy calendars last: a slow calendar host (up to 15 s a fetch) delays nothing above.
  const busyCalendars = await pollBusySources(deps)
  return {
    expired,
    ...(payments ? { payments } : {}),
    ...(notifications ? { notifications } : {}),
    ...(waitlistMessages ? { waitlistMessages } : {}),
    ...(waitlist ? { waitlist } : {}),
    webhooks,
    busyCalendars,
  }
}

export type Notifiers = Omit<OutboxWorkerDeps, 'db' | 'clock' | 'logger'>
