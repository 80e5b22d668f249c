import { BookingError } from '../../shared/errors'
import type { AppDeps } from '../app-env'
import { resolveOfferedSlot } from '../bookings/resolve-slot'
import type { Hold } from '../holds/hold-store'
import type { CatalogEntry } from '../store/resource-catalog'
import type { Occurrence } from './occurrences'

/** Why an occurrence cannot be booked: booked by others, held by another guest now, or not offered then. */
export type ConflictReason = 'taken' | 'held' | 'closed'

export interface OccurrenceCheck extends Occurrence {
  free: boolean
  reason?: ConflictReason
}

/**
 * Checks EVERY occurrence as a single hold would be checked (the schedule, notice and
 * horizon, bookings with buffers, places left), plus the live holds of other sessions. The
 * write still goes through the constraint: this only names the dates that would fail.
 * `sessionId`'s own holds never count against it.
 */
export async function checkOccurrences(
  deps: Pick<AppDeps, 'db' | 'holds' | 'clock'>,
  entry: CatalogEntry,
  occurrences: readonly Occurrence[],
  options: { seats: number; sessionId?: string | undefined },
): Promise<OccurrenceCheck[]> {
  if (occurrences.length === 0) return []
  const now = deps.clock.now()
  const { resource } = entry
  const capacity = resource.config.capacity ?? 1
  const minute = 60_000
  const before = (resource.config.bufferBeforeMin ?? 0) * minute
  const after = (resource.config.bufferAfterMin ?? 0) * minute
  const from = Math.min(...occurrences.map((o) => o.start)) - before - after
  const to = Math.max(...occurrences.map((o) => o.end)) + before + after
  const others = (await deps.holds.listLive(resource.id, from, to)).filter(
    (hold) => hold.sessionId !== options.sessionId,
  )
  return Promise.all(
    occurrences.map(async (occurrence): Promise<OccurrenceCheck> => {
      let bookedSeats = 0
      try {
        const slot = await resolveOfferedSlot(deps.db, entry, occurrence.start, occurrence.end, now, options.seats)
        bookedSeats = slot.bookedSeats ?? 0
      } catch (error) {
        if (!(error instanceof BookingError)) throw error
        if (error.code === 'slot_taken') return { ...occurrence, free: false, reason: 'taken' }
        if (error.code === 'outside_availability') return { ...occurrence, free: false, reason: 'closed' }
        throw error
      }
      const block = { start: occurrence.start - before, end: occurrence.end + after }
      const heldSeats = others.filter((hold) => overlaps(hold, block)).reduce((sum, hold) => sum + hold.seats, 0)
      if (heldSeats > 0 && bookedSeats + heldSeats + options.seats > capacity)
        return { ...occurrence, free: false, reason: 'held' }
      return { ...occurrence, free: true }
    }),
  )
}

function overlaps(hold: Hold, block: { start: number; end: number }): boolean {
  return hold.blockStart < block.end && block.start < hold.blockEnd
}

/** The occurrences that are not free, as the API states them. */
export function conflictsOf(
  checks: readonly OccurrenceCheck[],
): { date: string; start: string; end: string; reason: ConflictReason }[] {
  return checks
    .filter((check) => !check.free)
    .map((check) => ({
      date: check.date,
      start: new Date(check.start).toISOString(),
      end: new Date(check.end).toISOString(),
      reason: check.reason ?? 'taken',
    }))
}
