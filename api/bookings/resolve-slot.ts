import { BookingError } from '../../shared/errors'
import { busyQueryRange, computeSlots } from '../../shared/slots/compute-slots'
import type { Interval } from '../../shared/slots/types'
import type { Database } from '../db/database'
import { findBookedIntervals } from '../store/busy-intervals'
import type { CatalogEntry } from '../store/resource-catalog'

const DAY_MS = 86_400_000

/**
 * The free slot a guest asked for, exactly as availability would offer it now (schedule,
 * bookings with buffers, notice, horizon; holds are the hold store's business). `end`
 * omitted = the slot starting at `start` (the shortest one for undivided windows).
 * A slot the schedule offers but a booking occupies → 409 `slot_taken`; anything else
 * the schedule does not offer → 422 `outside_availability`.
 */
export async function resolveOfferedSlot(
  db: Database,
  { resource, rules }: CatalogEntry,
  start: number,
  end: number | undefined,
  now: number,
): Promise<Interval> {
  if (end !== undefined && end <= start) {
    throw new BookingError('invalid_request', '`end` must be after `start`.', [{ path: 'end', message: 'must be after start' }])
  }
  const duration = end !== undefined ? (end - start) / 60_000 : undefined
  const day = new Date(start).toISOString().slice(0, 10)
  const input = {
    timezone: resource.timezone,
    rules,
    config: resource.config,
    from: day,
    to: day,
    viewZone: 'UTC',
    now,
    ...(duration !== undefined && Number.isInteger(duration) ? { duration } : {}),
  }
  const match = (days: ReturnType<typeof computeSlots>) =>
    days[0]?.slots.find((s) => Date.parse(s.start) === start && (end === undefined || Date.parse(s.end) === end))

  const booked = await findBookedIntervals(db, resource.id, busyQueryRange(day, day, 'UTC', resource.config), now)
  const free = match(computeSlots({ ...input, busy: booked }))
  if (free) return { start: Date.parse(free.start), end: Date.parse(free.end) }
  if (match(computeSlots({ ...input, busy: [] }))) {
    throw new BookingError('slot_taken', 'This time is already booked.')
  }
  throw new BookingError('outside_availability', 'This time is not offered: pick one of the available slots.', {
    start: new Date(start).toISOString(),
    ...(end !== undefined ? { end: new Date(end).toISOString() } : {}),
    hint: `GET /v1/resources/${resource.slug}/availability?from=${new Date(start - DAY_MS).toISOString().slice(0, 10)}&to=${day}`,
  })
}
