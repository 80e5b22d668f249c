import { isActive } from '../../shared/booking-status'
import { cancelSeriesDates, type Canceller, type LifecycleDeps } from '../bookings/lifecycle'
import { findOccurrences } from './series-store'

/**
 * Cancels every occurrence of a series that has not started and is still active, each
 * settled under its own policy, told to the guest and the owner in one message for all
 * (see outbox.ts). A date the canceller may not cancel any more (a guest inside its cancel
 * notice) is kept and named with the reason; the others are cancelled regardless.
 */
export async function cancelFutureOccurrences(
  deps: LifecycleDeps,
  seriesId: string,
  who: Canceller,
): Promise<{ cancelled: string[]; kept: { ref: string; reason: string }[] }> {
  const now = deps.clock.now()
  const future = (await findOccurrences(deps.db, seriesId)).filter(
    (row) => isActive(row.status) && row.startsAt.getTime() > now,
  )
  const outcome = await cancelSeriesDates(
    deps,
    future.map((row) => row.id),
    who,
  )
  return {
    cancelled: outcome.cancelled.map((row) => row.ref),
    kept: outcome.kept.map(({ row, reason }) => ({ ref: row.ref, reason })),
  }
}
