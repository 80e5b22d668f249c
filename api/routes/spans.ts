import type { Context } from 'hono'
import { z } from 'zod'
import { BookingError } from '../../shared/errors'
import { MAX_AVAILABILITY_DAYS, daysBetween, instantSchema, isoDateSchema, timeZoneSchema } from '../../shared/schemas'
import { formatEpochDay, toEpochDay } from '../../shared/slots/calendar-days'
import { availabilityRange } from '../../shared/slots/compute-slots'
import type { AvailabilityResponse, SpanDay, SpansResponse } from '../../shared/types'
import type { AppEnv } from '../app-env'
import { readBusy } from '../availability-cache'
import { strongEtag } from '../availability-response'
import { busyRangeOf, isSpanEntry, spanReach, spanTimesOf } from '../bookings/resolve-span'
import { ifNoneMatchHits } from '../content-encoding'
import { invalidRequest } from '../errors'
import { optionalSession } from '../request'
import type { CatalogEntry } from '../store/resource-catalog'
import { toPublicResource, type ServerCapabilities } from '../store/resources'

/*
 * `GET /v1/resources/:idOrSlug/spans`: when a resource booked by the span (a car, a room
 * by the night) can be picked up, and for a pickup when it can come back.
 *
 * @example
 * GET /v1/resources/city-car/spans?from=2026-12-04&to=2026-12-07&timezone=Europe/Berlin
 * → { resource, timezone, span, days: [{ date: "2026-12-04", pickups: ["2026-12-04T07:00:00.000Z", …] }, …] }
 * …&start=2026-12-04T09:00:00Z
 * → { …, days: [{ date: "2026-12-04", returns: [...] }, …], latestReturn: "2026-12-18T09:00:00.000Z" }
 */

export const spansQuerySchema = z
  .object({
    from: isoDateSchema,
    to: isoDateSchema,
    /** The zone days are cut in (default: the resource's); `tz` as availability spells it is read too. */
    timezone: timeZoneSchema.optional(),
    tz: timeZoneSchema.optional(),
    /** A pickup: answer its returns instead of the pickups. */
    start: instantSchema.optional(),
  })
  .refine((q) => q.from <= q.to, { message: '`from` must not be after `to`', path: ['to'] })
  .refine((q) => daysBetween(q.from, q.to) + 1 <= MAX_AVAILABILITY_DAYS, {
    message: `a range covers at most ${MAX_AVAILABILITY_DAYS} days`,
    path: ['to'],
  })

export async function sendSpans(c: Context<AppEnv>): Promise<Response> {
  const { catalog, clock } = c.var.deps
  const parsed = spansQuerySchema.safeParse(c.req.query())
  if (!parsed.success) throw invalidRequest(parsed.error, 'The spans query is not valid.')
  const query = parsed.data
  const idOrSlug = c.req.param('idOrSlug') ?? ''
  const entry = await catalog.find(idOrSlug)
  if (!entry) throw new BookingError('not_found', `No bookable resource "${idOrSlug}".`)
  if (!isSpanEntry(entry)) throw notBookedBySpan(entry)
  const viewZone = query.timezone ?? query.tz ?? entry.resource.timezone
  const now = clock.now()
  const range = availabilityRange(query.from, query.to, viewZone)
  // A pickup outside the asked days still has its latest return answered.
  const reach = spanReach(
    entry,
    Math.min(range.start, query.start ?? range.start),
    Math.max(range.end, query.start ?? range.end),
    now,
  )

  const { booked, holds } = await readBusy(c.var.deps, entry.resource.id, busyRangeOf(entry, reach), now)
  // Other sessions' live holds are taken for now; this session's own are its selection.
  const sessionId = optionalSession(c)
  const busy = [...booked]
  for (const hold of holds) if (hold.sessionId !== sessionId) busy.push({ start: hold.start, end: hold.end })
  const times = spanTimesOf(entry, reach, busy, now)

  const dates = daysOf(query.from, query.to)
  const body: SpansResponse = {
    resource: toPublicResource(entry.resource, { payments: c.var.deps.payments !== undefined }),
    timezone: viewZone,
    span: entry.resource.config.span,
    days: [],
  }
  if (query.start === undefined) {
    body.days = byDay(times.pickups(range.start, range.end), dates, viewZone, 'pickups')
  } else {
    const returns = times.returns(query.start)
    body.days = byDay(
      returns.filter((r) => r >= range.start && r < range.end),
      dates,
      viewZone,
      'returns',
    )
    body.latestReturn = returns.length > 0 ? new Date(returns[returns.length - 1] as number).toISOString() : null
  }

  const text = JSON.stringify(body)
  const etag = await strongEtag(text)
  c.header('Cache-Control', 'private, no-cache')
  c.header('ETag', etag)
  if (ifNoneMatchHits(c.req.header('If-None-Match'), etag)) return c.body(null, 304)
  return c.body(text, 200, { 'Content-Type': 'application/json' })
}

/** Every date from `from` to `to`, inclusive. */
function daysOf(from: string, to: string): string[] {
  const dates: string[] = []
  for (let day = toEpochDay(from); day <= toEpochDay(to); day++) dates.push(formatEpochDay(day))
  return dates
}

/** Instants (ascending, within the dates) sorted into the view zone's days, every date present. */
function byDay(instants: number[], dates: string[], viewZone: string, key: 'pickups' | 'returns'): SpanDay[] {
  const days: SpanDay[] = dates.map((date) => ({ date, [key]: [] }))
  const starts = dates.map((date) => availabilityRange(date, date, viewZone).start)
  let index = 0
  for (const at of instants) {
    while (index + 1 < starts.length && at >= (starts[index + 1] as number)) index++
    ;(days[index] as SpanDay)[key]!.push(new Date(at).toISOString())
  }
  return days
}

/** `/spans` of a resource booked by the slot: it has no spans, and its availability says when it is free. */
function notBookedBySpan(entry: CatalogEntry): BookingError {
  const { slug } = entry.resource
  return new BookingError(
    'outside_availability',
    `"${slug}" is booked by the slot, not as a span across days: ask its availability instead.`,
    { hint: `GET /v1/resources/${slug}/availability` },
  )
}

/**
 * `/availability` of a resource booked by the span: no slots, and the resource whose `span`
 * says why. Its windows are handover times, so slots cut from them would be offered and then
 * refused when held; answering 200 (not an error) lets the widget learn from its first,
 * prefetched request that it should show the span picker, with no extra round trip.
 */
export function spansNotSlots(
  entry: CatalogEntry,
  capabilities: ServerCapabilities,
  viewZone: string | undefined,
): AvailabilityResponse {
  return {
    resource: toPublicResource(entry.resource, capabilities),
    timezone: viewZone ?? entry.resource.timezone,
    days: [],
  }
}
