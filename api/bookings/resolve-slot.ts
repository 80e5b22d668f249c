import { BookingError } from '../../shared/errors'
import { busyQueryRange, computeSlots } from '../../shared/slots/compute-slots'
import type { Interval } from '../../shared/slots/types'
import { mostSeatsIn } from '../../shared/slots/seats-left'
import { placesPerBooking } from '../../shared/resource-config'
import type { ResourceConfig } from '../../shared/schemas'
import type { Database } from '../db/database'
import { invalidField } from '../errors'
import { findBookedIntervals, findBookedSeatsSnapshot } from '../store/busy-intervals'
import type { CatalogEntry } from '../store/resource-catalog'

const DAY_MS = 86_400_000

interface Read {
  now: number
  result: Promise<Interval[]>
  start(): void
}

interface Reads {
  running?: Read
  next?: Read
}

const readsByDatabase = new WeakMap<Database, Map<string, Reads>>()

/**
 * The booked intervals of a resource on a range, one query for many identical concurrent
 * checks: a crowd holding one slot at once would otherwise queue a thousand equal queries
 * on the pool for a slot only one of them can win.
 *
 * A check never shares a query that started before it arrived (a booking answered just
 * before might be missing from it): it waits for the one in flight to finish and shares
 * the next, which starts after every check waiting for it. That next query runs at the
 * latest `now` among them; an unpaid booking that lapses in between no longer blocks, which
 * is what any of them would find a moment later (the booking insert stays the last word).
 */
function sharedBookedRead(db: Database, resourceId: string, range: Interval, now: number): Promise<Interval[]> {
  let byKey = readsByDatabase.get(db)
  if (!byKey) readsByDatabase.set(db, (byKey = new Map()))
  const key = `${resourceId}|${range.start}|${range.end}`
  let reads = byKey.get(key)
  if (!reads) byKey.set(key, (reads = {}))
  const current = reads
  const settle = (read: Read) => {
    if (current.running !== read) return
    current.running = current.next
    current.next = undefined
    if (current.running) current.running.start()
    else if (byKey.get(key) === current) byKey.delete(key)
  }
  const newRead = (at: number): Read => {
    let resolve!: (value: Promise<Interval[]>) => void
    const read: Read = {
      now: at,
      result: new Promise<Interval[]>((r) => (resolve = r)),
      start() {
        const query = findBookedIntervals(db, resourceId, range, read.now)
        resolve(query)
        void query.then(
          () => settle(read),
          () => settle(read),
        )
      },
    }
    return read
  }
  if (!current.running) {
    current.running = newRead(now)
    current.running.start()
    return current.running.result
  }
  if (!current.next) current.next = newRead(now)
  current.next.now = Math.max(current.next.now, now)
  return current.next.result
}

/** 400 `invalid_request` naming the limit when `seats` is more than one booking may take. */
export function assertSeatsAllowed(config: ResourceConfig, seats: number): void {
  const limit = placesPerBooking(config)
  if (seats <= limit) return
  throw invalidField(
    'seats',
    'invalid',
    `at most ${limit} per booking`,
    limit === 1
      ? 'This resource takes one place per booking.'
      : `This resource takes at most ${limit} places per booking.`,
  )
}

/** An offered slot; for a resource of more than one place, also the most places booked in its block interval. */
export interface OfferedSlot extends Interval {
  bookedSeats?: number
}

/**
 * The free slot a guest asked for, exactly as availability would offer it now (schedule,
 * bookings with buffers, notice, horizon; holds are the hold store's business). `end`
 * omitted = the slot starting at `start` (the shortest one for undivided windows).
 * A slot the schedule offers but a booking occupies → 409 `slot_taken`; anything else
 * the schedule does not offer → 422 `outside_availability`. On a resource of more than
 * one place, bookings only refuse the slot when fewer than `seats` places are left in its
 * block interval (the slot widened by the buffers).
 */
export async function resolveOfferedSlot(
  db: Database,
  { resource, rules }: CatalogEntry,
  start: number,
  end: number | undefined,
  now: number,
  seats = 1,
): Promise<OfferedSlot> {
  if (end !== undefined && end <= start) {
    throw new BookingError('invalid_request', '`end` must be after `start`.', [
      { path: 'end', message: 'must be after start' },
    ])
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

  const capacity = resource.config.capacity ?? 1
  if (capacity > 1) {
    const slot = match(computeSlots({ ...input, busy: [] }))
    if (!slot) throw notOffered(resource.slug, start, end, day)
    const { bufferBeforeMin = 0, bufferAfterMin = 0 } = resource.config
    const offered = { start: Date.parse(slot.start), end: Date.parse(slot.end) }
    const buffers = { beforeMs: bufferBeforeMin * 60_000, afterMs: bufferAfterMin * 60_000 }
    // Counted as availability counts them (bookings and the slot both widened by the
    // buffers), so a time shown with places left can be held.
    const reach = buffers.beforeMs + buffers.afterMs
    const { intervals } = await findBookedSeatsSnapshot(
      db,
      resource.id,
      { start: offered.start - reach, end: offered.end + reach },
      now,
    )
    const bookedSeats = mostSeatsIn(intervals, offered, buffers)
    if (bookedSeats + seats > capacity) {
      const left = Math.max(0, capacity - bookedSeats)
      throw new BookingError(
        'slot_taken',
        left === 0
          ? 'This time is fully booked.'
          : `Only ${left} ${left === 1 ? 'place is' : 'places are'} left at this time.`,
        { seatsLeft: left },
      )
    }
    return { ...offered, bookedSeats }
  }

  // Other checks share the list: each gets its own copy to hand to the engine.
  const booked = (
    await sharedBookedRead(db, resource.id, busyQueryRange(day, day, 'UTC', resource.config), now)
  ).slice()
  const free = match(computeSlots({ ...input, busy: booked }))
  if (free) return { start: Date.parse(free.start), end: Date.parse(free.end) }
  if (match(computeSlots({ ...input, busy: [] }))) {
    throw new BookingError('slot_taken', 'This time is already booked.')
  }
  throw notOffered(resource.slug, start, end, day)
}

function notOffered(slug: string, start: number, end: number | undefined, day: string): BookingError {
  return new BookingError('outside_availability', 'This time is not offered: pick one of the available slots.', {
    start: new Date(start).toISOString(),
    ...(end !== undefined ? { end: new Date(end).toISOString() } : {}),
    hint: `GET /v1/resources/${slug}/availability?from=${new Date(start - DAY_MS).toISOString().slice(0, 10)}&to=${day}`,
  })
}
