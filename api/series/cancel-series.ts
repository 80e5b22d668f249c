import { isActive } from '../../shared/booking-status'
import { BookingError } from '../../shared/errors'
import { cancelBooking, type Canceller, type LifecycleDeps } from '../bookings/lifecycle'
import { findOccurrences } from './series-store'

/**
 * Cancels every occurrence of a series that has not started and is still active, one at a
 * time through the lifecycle, so each is settled and announced under its own policy. A date
 * the canceller may not cancel any more (a guest inside its cancel notice) is kept and named
 * with the reason; the others are cancelled regardless.
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
  const cancelled: string[] = []
  const kept: { ref: string; reason: string }[] = []
  for (const row of future) {
    try {
      await cancelBooking(deps, row.id, who)
      cancelled.push(row.ref)
    } catch (error) {
      if (!(error instanceof BookingError) || error.code === 'internal' || error.code === 'unavailable') throw error
      kept.push({ ref: row.ref, reason: error.message })
    }
  }
  return { cancelled, kept }
}
