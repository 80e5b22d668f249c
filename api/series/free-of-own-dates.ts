import type { BookingRow } from '../../drizzle/schema'
import { busyQueryRange, computeSlots } from '../../shared/slots/compute-slots'
import { mostSeatsIn } from '../../shared/slots/seats-left'
import type { Interval } from '../../shared/slots/types'
import type { AppDeps } from '../app-env'
import { findBookedIntervals, findBookedSeatsSnapshot } from '../store/busy-intervals'
import type { CatalogEntry } from '../store/resource-catalog'

/**
 * Whether `slot` is offered and free once the series' own dates (`own`, about to move away
 * in the same transaction) no longer count: a series moved by half an hour lands on its own
 * old times, which must not make it look taken. Decided as resolveOfferedSlot decides (the
 * engine over the booked intervals, or the places left for a resource of several), with
 * each own booking taken out once.
 */
export async function freeOfOwnDates(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  { resource, rules }: CatalogEntry,
  slot: Interval,
  own: readonly BookingRow[],
  seats: number,
): Promise<boolean> {
  const now = deps.clock.now()
  const { config } = resource
  const capacity = config.capacity ?? 1
  if (capacity > 1) {
    const buffers = { beforeMs: (config.bufferBeforeMin ?? 0) * 60_000, afterMs: (config.bufferAfterMin ?? 0) * 60_000 }
    const reach = buffers.beforeMs + buffers.afterMs
    const range = { start: slot.start - reach, end: slot.end + reach }
    const { intervals } = await findBookedSeatsSnapshot(deps.db, resource.id, range, now)
    return mostSeatsIn(withoutOwn(intervals, own), slot, buffers) + seats <= capacity
  }
  const day = new Date(slot.start).toISOString().slice(0, 10)
  const booked = await findBookedIntervals(deps.db, resource.id, busyQueryRange(day, day, 'UTC', config), now)
  const duration = (slot.end - slot.start) / 60_000
  const days = computeSlots({
    timezone: resource.timezone,
    rules,
    config,
    busy: withoutOwn(booked, own),
    from: day,
    to: day,
    viewZone: 'UTC',
    now,
    ...(Number.isInteger(duration) ? { duration } : {}),
  })
  return Boolean(days[0]?.slots.some((s) => Date.parse(s.start) === slot.start && Date.parse(s.end) === slot.end))
}

/** The intervals with one entry per own booking removed (an imported block at the same time stays). */
function withoutOwn<T extends Interval>(intervals: readonly T[], own: readonly BookingRow[]): T[] {
  const left = [...intervals]
  for (const row of own) {
    const index = left.findIndex(
      (i) =>
        i.start === row.startsAt.getTime() &&
        i.end === row.endsAt.getTime() &&
        (!('seats' in i) || i.seats === row.seats),
    )
    if (index >= 0) left.splice(index, 1)
  }
  return left
}
