import type { BookingRow } from '../../drizzle/schema'
import { BookingError } from '../../shared/errors'
import type { SpanConfig } from '../../shared/resource-config'
import { DEFAULT_HORIZON_DAYS, type ResourceConfig } from '../../shared/schemas'
import { spanUnits } from '../../shared/span-pricing'
import { DAY_MS, MINUTE_MS, formatEpochDay } from '../../shared/slots/calendar-days'
import { expandWindows } from '../../shared/slots/expand-windows'
import { createSpanTimes, type SpanRefusal, type SpanTimes } from '../../shared/slots/span-times'
import type { Interval } from '../../shared/slots/types'
import { createZoneClock } from '../../shared/slots/zone-clock'
import type { Database } from '../db/database'
import { invalidField } from '../errors'
import { findBookedIntervals } from '../store/busy-intervals'
import type { CatalogEntry, ResourceCatalog } from '../store/resource-catalog'
import { findResourceById } from '../store/resources'

/*
 * Spans across days (docs/capacity.md, multi-day spans) on the server: the pure rules of
 * shared/slots/span-times.ts fed with a resource's schedule, notice, horizon and busy time,
 * for the `/spans` route and for holds; and the units a span booking pays for.
 */

/** A resource booked by the span, with its span settings. */
export type SpanEntry = CatalogEntry & { resource: { config: ResourceConfig & { span: SpanConfig } } }

export function isSpanEntry(entry: CatalogEntry): entry is SpanEntry {
  return entry.resource.config.span !== undefined
}

/** The instants `spanTimesOf` must see windows and busy time within to answer spans touching `[start, end]`. */
export function spanReach(entry: SpanEntry, start: number, end: number, now: number): Interval {
  const horizon = horizonOf(entry, now)
  // Nothing starts before now or ends past the horizon: a question about the far past or
  // future costs what one about the bookable days does.
  const from = Math.min(Math.max(start, now - DAY_MS), horizon)
  return {
    start: from - DAY_MS,
    end: Math.max(from, Math.min(end, horizon)) + entry.resource.config.span.maxMinutes * MINUTE_MS + DAY_MS,
  }
}

/**
 * The span rules of a resource over `reach` (see `spanReach`): its windows in its zone,
 * `busy` widened by its buffers, its notice and horizon (the public default when unset,
 * which bounds how far a span is looked for).
 */
export function spanTimesOf(entry: SpanEntry, reach: Interval, busy: Interval[], now: number): SpanTimes {
  const { resource, rules } = entry
  const { config } = resource
  const clock = createZoneClock(resource.timezone, { start: reach.start - 2 * DAY_MS, end: reach.end + 2 * DAY_MS })
  // A window starting the local day before can run into the first day asked about.
  const windows = expandWindows(rules, clock, clock.dayOf(reach.start) - 1, clock.dayOf(reach.end) + 1)
  return createSpanTimes({
    span: config.span,
    windows,
    clock,
    busy,
    buffers: { beforeMs: (config.bufferBeforeMin ?? 0) * MINUTE_MS, afterMs: (config.bufferAfterMin ?? 0) * MINUTE_MS },
    earliestStart: now + (config.minNoticeMin ?? 0) * MINUTE_MS,
    horizon: horizonOf(entry, now),
  })
}

/** The last instant a span may end: now plus the horizon. */
export function horizonOf(entry: SpanEntry, now: number): number {
  return now + (entry.resource.config.horizonDays ?? DEFAULT_HORIZON_DAYS) * DAY_MS
}

/** The busy time a span check needs around `reach`: bookings widened by both buffers either side. */
export function busyRangeOf(entry: SpanEntry, reach: Interval): Interval {
  const { bufferBeforeMin = 0, bufferAfterMin = 0 } = entry.resource.config
  const widen = (bufferBeforeMin + bufferAfterMin) * MINUTE_MS
  return { start: reach.start - widen, end: reach.end + widen }
}

/**
 * The span [start, end) a guest asked to hold, checked against the rules and the bookings
 * now (other sessions' holds are the hold store's business, as for slots). Refused with
 * 422 `outside_availability` naming the rule it breaks, 409 `slot_taken` when it breaks
 * none but a booking occupies part of it.
 */
export async function resolveSpan(
  db: Database,
  entry: SpanEntry,
  start: number,
  end: number | undefined,
  now: number,
): Promise<Interval> {
  if (end === undefined) {
    throw invalidField('end', 'required', 'a span needs its return time', 'Give the return time (`end`) of the span.')
  }
  if (end <= start) {
    throw invalidField('end', 'invalid', 'must be after start', '`end` must be after `start`.')
  }
  // Refused before any schedule is read: a span of centuries would otherwise expand them all.
  const { maxMinutes } = entry.resource.config.span
  const early = end - start > maxMinutes * MINUTE_MS ? 'too_long' : start < now - DAY_MS ? 'too_soon' : undefined
  const reach = { start: start - DAY_MS, end: end + DAY_MS }
  const refusal =
    early ??
    spanTimesOf(
      entry,
      reach,
      await findBookedIntervals(db, entry.resource.id, busyRangeOf(entry, reach), now),
      now,
    ).check(start, end)
  if (refusal === undefined) return { start, end }
  if (refusal === 'taken') throw new BookingError('slot_taken', 'This span overlaps another booking.')
  if (refusal === 'not_after_start') throw invalidField('end', 'invalid', 'must be after start')
  throw new BookingError('outside_availability', refusalMessage(entry, refusal), {
    reason: refusal,
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    hint: `GET /v1/resources/${entry.resource.slug}/spans?from=${dayLabel(start - DAY_MS)}&to=${dayLabel(start + DAY_MS)}`,
  })
}

function refusalMessage(entry: SpanEntry, refusal: Exclude<SpanRefusal, 'taken' | 'not_after_start'>): string {
  const { span, minNoticeMin = 0 } = entry.resource.config
  const horizonDays = entry.resource.config.horizonDays ?? DEFAULT_HORIZON_DAYS
  const step = span.stepMin ?? 30
  switch (refusal) {
    case 'start_outside_hours':
      return span.checkIn !== undefined
        ? 'A stay cannot begin on this date: the resource is closed then.'
        : 'The pickup time is outside the opening hours.'
    case 'end_outside_hours':
      return span.checkOut !== undefined
        ? 'A stay cannot end on this date: the resource is closed then.'
        : 'The return time is outside the opening hours.'
    case 'start_off_grid':
      return `The pickup time is not one offered: pickups are every ${step} minutes from the opening time.`
    case 'end_off_grid':
      return `The return time is not one offered: returns are every ${step} minutes from the opening time.`
    case 'not_check_in':
      return `A stay begins at check-in, ${span.checkIn} on the arrival date.`
    case 'not_check_out':
      return `A stay ends at check-out, ${span.checkOut} on the departure date.`
    case 'too_short':
      return span.checkIn !== undefined && span.minMinutes <= 24 * 60
        ? 'A stay lasts at least one night.'
        : `The span is too short: it lasts at least ${lengthWords(span.minMinutes)}.`
    case 'too_long':
      return `The span is too long: it lasts at most ${lengthWords(span.maxMinutes)}.`
    case 'too_soon':
      return `The pickup is too soon: book at least ${lengthWords(minNoticeMin)} ahead.`
    case 'beyond_horizon':
      return `The span ends too far ahead: bookings reach at most ${horizonDays} days ahead.`
  }
}

/** "3 days 4 hours", "90 minutes": a length as a guest reads it. */
function lengthWords(minutes: number): string {
  if (minutes < 60) return `${minutes} minutes`
  const days = Math.floor(minutes / 1440)
  const rest = minutes % 1440
  const parts: string[] = []
  if (days > 0) parts.push(`${days} ${days === 1 ? 'day' : 'days'}`)
  if (rest > 0) parts.push(rest % 60 === 0 ? `${rest / 60} ${rest === 60 ? 'hour' : 'hours'}` : `${rest} minutes`)
  return parts.join(' ')
}

function dayLabel(ms: number): string {
  return formatEpochDay(Math.floor(ms / DAY_MS))
}

/**
 * How many times a booking of [start, end) pays its resource's price: 1 for a resource
 * booked by the slot, the span's days or nights otherwise. Nights are dates in the
 * resource's zone, read from the resource row (only for those).
 */
export async function spanUnitsOf(
  db: Database,
  config: ResourceConfig,
  draft: { resourceId: string; start: number; end: number },
): Promise<number> {
  const { span } = config
  if (!span) return 1
  const timeZone = span.pricing === 'per_night' ? (await findResourceById(db, draft.resourceId))?.timezone : 'UTC'
  return spanUnits(span, draft.start, draft.end, timeZone ?? 'UTC')
}

/**
 * A guest's move of a span booking paid online keeps its days or nights: the price was
 * paid for that many, so a longer span would be had for nothing and a shorter one owed a
 * refund no policy states. 400 `invalid_request` on `holdId` otherwise; a span paid on site
 * (nothing taken yet) moves to any length.
 */
export async function assertSpanKeepsUnits(
  deps: { catalog: ResourceCatalog },
  booking: Pick<BookingRow, 'resourceId' | 'startsAt' | 'endsAt' | 'amount'>,
  to: { start: number; end: number },
): Promise<void> {
  if (booking.amount === null) return
  const entry = await deps.catalog.find(booking.resourceId)
  const span = entry?.resource.config.span
  if (!entry || !span) return
  const { timezone } = entry.resource
  const paid = spanUnits(span, booking.startsAt.getTime(), booking.endsAt.getTime(), timezone)
  const asked = spanUnits(span, to.start, to.end, timezone)
  if (paid === asked) return
  const unit = (n: number) =>
    `${n} ${span.pricing === 'per_night' ? (n === 1 ? 'night' : 'nights') : n === 1 ? 'day' : 'days'}`
  throw invalidField(
    'holdId',
    'invalid',
    `hold is for ${unit(asked)}; the booking paid for ${unit(paid)}`,
    `Hold a span of ${unit(paid)} to move this booking: its price was paid for that many.`,
  )
}
