import { Hono, type Context } from 'hono'
import type { HoldResponse, ServiceResponse } from '../../shared/api-contract'
import { encodeAvailability } from '../../shared/compact-availability'
import { BookingError } from '../../shared/errors'
import { poolOrder, type PoolCandidate } from '../../shared/pool-order'
import {
  DEFAULT_HOLD_TTL_SEC,
  DEFAULT_HORIZON_DAYS,
  MAX_SLOTS_PER_RESPONSE,
  availabilityQuerySchema,
  hasControlCharacters,
  nextAvailableQuerySchema,
  serviceHoldRequestSchema,
} from '../../shared/schemas'
import { DAY_MS, MINUTE_MS, formatEpochDay, toEpochDay } from '../../shared/slots/calendar-days'
import { computeFreeSlots, daysWithinSlotLimit, type FreeSlotsDay } from '../../shared/slots/compute-slots'
import { expandWindows } from '../../shared/slots/expand-windows'
import { createInstantFormatter } from '../../shared/slots/format-instant'
import { mostSeatsIn, seatsLeft } from '../../shared/slots/seats-left'
import { subtractBusy, type Buffers } from '../../shared/slots/subtract-busy'
import type { Interval, SeatInterval } from '../../shared/slots/types'
import { createZoneClock } from '../../shared/slots/zone-clock'
import type {
  AvailabilityDay,
  CompactAvailabilityDay,
  NextAvailableResponse,
  PublicHold,
  PublicService,
  ServiceAvailabilityResponse,
} from '../../shared/types'
import type { AppDeps, AppEnv } from '../app-env'
import { parseAvailabilityFormat, strongEtag } from '../availability-response'
import { resolveOfferedSlot } from '../bookings/resolve-slot'
import { ifNoneMatchHits } from '../content-encoding'
import { invalidField, invalidRequest } from '../errors'
import type { Hold, PlaceHoldResult } from '../holds/hold-store'
import { optionalSession, readJson } from '../request'
import { findBookedIntervals, findBookedSeatsSnapshot, findBookedSnapshots } from '../store/busy-intervals'
import { findActivePool, type ActivePool } from '../store/pools'
import type { CatalogEntry } from '../store/resource-catalog'
import { toPublicResource } from '../store/resources'
import { memberBookingCounts } from '../store/pools'
import { findActiveService, type ActiveService } from '../store/services'
import { admitHold, holdOrThrow, toPublicHold, tryHold } from './holds'
import {
  assertKnownDuration,
  capabilities,
  engineInput,
  findSlotsWith,
  tooManySlots,
  type FreeSlotsQuery,
} from './resources'

/**
 * Services: several resources booked at once (docs/capacity.md, combined bookings). The
 * lead part (position 0) gives the slots; a slot is offered when every other part has a
 * resource free for it (a pool part: any member), each widened by that resource's own
 * buffers and inside its own schedule. The hold takes every part or none.
 *
 * @example
 * GET /v1/services/massage-with-room/availability?from=2026-03-24&to=2026-03-24
 * → { service: {...}, timezone: "Europe/Berlin", days: [{ date, slots: [{ start, end }] }] }
 * POST /v1/services/massage-with-room/holds  X-Booking-Session: 7d1c…  {"start":"2026-03-24T08:00:00Z"}
 * → 201 {"hold":{"id":"h_…","resourceId":"<the lead>","serviceId":"…","parts":[{"position":1,"resourceId":"…","name":"Room 2"}],…}}
 */
export const serviceRoutes = new Hono<AppEnv>()
  .get('/:idOrSlug', async (c) => {
    const resolved = await requireService(c.var.deps, c.req.param('idOrSlug'))
    return c.json({ service: toPublicService(c.var.deps, resolved) } satisfies ServiceResponse)
  })
  .get('/:idOrSlug/availability', async (c) => {
    const deps = c.var.deps
    const parsed = availabilityQuerySchema.safeParse(c.req.query())
    if (!parsed.success) throw invalidRequest(parsed.error, 'The availability query is not valid.')
    const query = parsed.data
    assertOnePlace(query.seats)
    const format = parseAvailabilityFormat(c.req.query())
    const resolved = await requireService(deps, c.req.param('idOrSlug'))
    const leads = leadEntries(resolved, query.duration)
    const sessionId = optionalSession(c)
    const range: FreeSlotsQuery = {
      from: query.from,
      to: query.to,
      viewZone: query.tz ?? resolved.service.timezone,
      duration: query.duration,
      seats: 1,
      sessionId,
      now: deps.clock.now(),
    }
    for (const entry of leads) {
      const fit = daysWithinSlotLimit(engineInput(entry, entry.resource.config, range), MAX_SLOTS_PER_RESPONSE)
      if (fit !== undefined) throw tooManySlots(fit)
    }
    const free = await serviceFreeSlots(deps, resolved, leads, range)
    const format1 = createInstantFormatter()
    const body: ServiceAvailabilityResponse = {
      service: toPublicService(deps, resolved),
      timezone: range.viewZone,
      days: free.days.map((day): AvailabilityDay => ({
        date: day.date,
        slots: day.slots.map((s) => ({ start: format1(s.start), end: format1(s.end) })),
      })),
    }
    // This session's own holds are its selection; its lead holds are what it picked.
    const own = free.leadHolds.filter(
      (h) => h.sessionId === sessionId && h.serviceId === resolved.service.id && (h.servicePosition ?? 0) === 0,
    )
    if (own.length > 0) body.holds = own.map((h) => toPublicServiceHold(h, resolved, free.partHolds))
    if (free.holdsUnavailable) body.holdsUnavailable = true
    return sendServiceAvailability(c, body, format)
  })
  .get('/:idOrSlug/next-available', async (c) => {
    const deps = c.var.deps
    const parsed = nextAvailableQuerySchema.safeParse(c.req.query())
    if (!parsed.success) throw invalidRequest(parsed.error, 'The next-available query is not valid.')
    const query = parsed.data
    assertOnePlace(query.seats)
    const resolved = await requireService(deps, c.req.param('idOrSlug'))
    // Each lead's horizon as its public form states it is the one searched, configured or not.
    const leads = leadEntries(resolved, query.duration).map((entry) => ({
      ...entry,
      resource: {
        ...entry.resource,
        config: { ...entry.resource.config, horizonDays: entry.resource.config.horizonDays ?? DEFAULT_HORIZON_DAYS },
      },
    }))
    const viewZone = query.tz ?? resolved.service.timezone
    const now = deps.clock.now()
    const horizonDays = Math.max(...leads.map((e) => e.resource.config.horizonDays))
    const dayOf = createZoneClock(viewZone, { start: now - 2 * DAY_MS, end: now + (horizonDays + 2) * DAY_MS }).dayOf
    const lastDay = dayOf(now + horizonDays * DAY_MS)
    let chunkStart = Math.max(toEpochDay(query.from), dayOf(now))
    let nextAvailable: NextAvailableResponse['nextAvailable'] = null
    const sessionId = optionalSession(c)
    while (nextAvailable === null && chunkStart <= lastDay) {
      let chunkEnd = Math.min(chunkStart + NEXT_AVAILABLE_CHUNK_DAYS - 1, lastDay)
      const chunk = (to: number): FreeSlotsQuery => ({
        from: formatEpochDay(chunkStart),
        to: formatEpochDay(to),
        viewZone,
        duration: query.duration,
        seats: 1,
        sessionId,
        now,
        skipClosedRange: true,
      })
      for (const entry of leads) {
        const fit = daysWithinSlotLimit(
          engineInput(entry, entry.resource.config, chunk(chunkEnd)),
          MAX_SLOTS_PER_RESPONSE,
        )
        if (fit !== undefined) chunkEnd = Math.min(chunkEnd, chunkStart + Math.max(fit, 1) - 1)
      }
      const free = await serviceFreeSlots(deps, resolved, leads, chunk(chunkEnd))
      const day = free.days.find((d) => d.slots.length > 0)
      const slot = day?.slots[0]
      if (day && slot) {
        const format = createInstantFormatter()
        nextAvailable = { date: day.date, start: format(slot.start), end: format(slot.end) }
      }
      chunkStart = chunkEnd + 1
    }
    c.header('Cache-Control', 'no-store')
    return c.json({ nextAvailable } satisfies NextAvailableResponse)
  })
  .post('/:idOrSlug/holds', async (c) => {
    const deps = c.var.deps
    const { sessionId, client } = await admitHold(c)
    const request = await readJson(c, serviceHoldRequestSchema)
    const resolved = await requireService(deps, c.req.param('idOrSlug'))
    const { service, parts } = resolved
    const chosen = chosenResources(parts, request.parts ?? [])
    const [lead, ...others] = parts as [ResolvedPart, ...ResolvedPart[]]
    // A move keeps the booking's own lead (a pool lead's member) when the guest names it.
    const keptLead = chosen.get(0)
    const leads = keptLead ? [keptLead] : await ranked(deps, lead, request.start)
    const interval = await leadInterval(deps, resolved, leads, request.start, request.end)
    const context: PartContext = {
      deps,
      sessionId,
      client,
      serviceId: service.id,
      // A service's holds are one selection: every part lives as long as the lead, and a
      // little longer, so no part lapses before the hold the guest books with.
      ttlMs:
        Math.max(...leads.map((e) => e.resource.config.holdTtlSec ?? DEFAULT_HOLD_TTL_SEC)) * 1000 + PART_TTL_MARGIN_MS,
      // The session (and client) limits count holds; a service needs one per part for one
      // booking, so its parts must not use up the allowance meant for separate bookings.
      extraHolds: parts.length - 1,
    }
    const placed: Hold[] = []
    try {
      // Parts first and the lead last: a lead hold exists only with all its parts held.
      for (const part of others) {
        const pick = chosen.get(part.position)
        const candidates = (pick ? [pick] : await ranked(deps, part, interval.start)).filter(
          (e) => !placed.some((h) => h.resourceId === e.resource.id),
        )
        placed.push(await placePart(context, part, candidates, interval))
      }
      let held = false
      for (const entry of leads) {
        // A resource in two pools is held once: the lead never takes what a part holds.
        if (placed.some((h) => h.resourceId === entry.resource.id)) continue
        let result: PlaceHoldResult
        try {
          result = await tryHold(deps, entry, {
            sessionId,
            client,
            start: interval.start,
            end: interval.end,
            seats: 1,
            ...(lead.pool ? { poolId: lead.pool.id } : {}),
            service: { serviceId: service.id, position: 0, partHoldIds: placed.map((h) => h.id) },
            extraHolds: context.extraHolds,
          })
        } catch (error) {
          // Booked or not offered since the first look: the next lead candidate may do.
          if (error instanceof BookingError && (error.code === 'slot_taken' || error.code === 'outside_availability'))
            continue
          throw error
        }
        if (!result.ok && result.reason === 'slot_held') {
          held = true
          continue
        }
        const hold = holdOrThrow(deps, entry, 1, result)
        return c.json({ hold: toPublicServiceHold(hold, resolved, placed) } satisfies HoldResponse, 201)
      }
      throw refusal(lead, held ? 'slot_held' : 'slot_taken')
    } catch (error) {
      await Promise.all(placed.map((h) => deps.holds.release(h.id, sessionId).catch(() => false)))
      throw error
    }
  })

/** Days next-available looks at per step, as for a resource: an empty month costs one step. */
const NEXT_AVAILABLE_CHUNK_DAYS = 31

/** How much longer a part hold lives than its lead's TTL (the lead is placed last). */
const PART_TTL_MARGIN_MS = 5_000

/** One part as the routes use it: what guests read, and the resources that can fill it. */
interface ResolvedPart {
  position: number
  label: string
  resourceId?: string
  pool?: ActivePool
  /** The resource, or the pool's active members in position order. */
  entries: CatalogEntry[]
}

interface ResolvedService {
  service: ActiveService
  parts: ResolvedPart[]
}

/** An active service whose every part has something to book; else 404. */
async function requireService(deps: AppDeps, idOrSlug: string): Promise<ResolvedService> {
  // No id or slug holds a control character, and PostgreSQL refuses NUL in a query outright.
  const service = hasControlCharacters(idOrSlug) ? undefined : await findActiveService(deps.db, idOrSlug)
  if (!service || service.parts.length === 0) throw new BookingError('not_found', `No service "${idOrSlug}".`)
  const nothing = () => new BookingError('not_found', `The service "${idOrSlug}" has nothing to book right now.`)
  const parts = await Promise.all(
    service.parts.map(async (part): Promise<ResolvedPart> => {
      if (part.resourceId !== undefined) {
        const entry = await deps.catalog.find(part.resourceId)
        if (!entry) throw nothing()
        const { position, resourceId } = part
        return { position, resourceId, label: part.label ?? entry.resource.name, entries: [entry] }
      }
      const pool = await findActivePool(deps.db, part.poolId!)
      if (!pool) throw nothing()
      const found = await Promise.all(pool.members.map((m) => deps.catalog.find(m.resourceId)))
      const entries = found.filter((e): e is CatalogEntry => e !== undefined)
      if (entries.length === 0) throw nothing()
      return { position: part.position, pool, label: part.label ?? pool.name, entries }
    }),
  )
  return { service, parts }
}

function toPublicService(deps: AppDeps, { service, parts }: ResolvedService): PublicService {
  return {
    id: service.id,
    slug: service.slug,
    name: service.name,
    timezone: service.timezone,
    parts: parts.map((p) => ({
      position: p.position,
      label: p.label,
      ...(p.resourceId !== undefined ? { resourceId: p.resourceId } : {}),
      ...(p.pool ? { poolId: p.pool.id } : {}),
    })),
    resource: toPublicResource(parts[0]!.entries[0]!.resource, capabilities(deps)),
  }
}

/** A service takes one place of each part per booking. */
function assertOnePlace(seats: number | undefined): void {
  if (seats === undefined || seats === 1) return
  throw invalidField('seats', 'invalid', 'at most 1 per booking', 'A service takes one place of each part per booking.')
}

/** The lead's resources that offer the asked duration (a duration none offers is refused). */
function leadEntries({ parts }: ResolvedService, duration: number | undefined): CatalogEntry[] {
  const entries = parts[0]!.entries
  if (duration === undefined) return entries
  const offering = entries.filter(
    ({ resource, rules }) =>
      (resource.config.durations ?? []).includes(duration) || rules.some((r) => r.slotDuration === duration),
  )
  if (offering.length === 0) assertKnownDuration(duration, entries[0]!.resource, entries[0]!.rules)
  return offering
}

interface ServiceFreeSlots {
  days: FreeSlotsDay[]
  /** Live holds on the lead's resources, every session's. */
  leadHolds: Hold[]
  /** Live holds on the other parts' resources, by id. */
  partHolds: Map<string, Hold>
  holdsUnavailable: boolean
}

/**
 * The lead's free slots (a pool lead: the union of its members') at which every other part
 * has a resource free, day by day.
 */
async function serviceFreeSlots(
  deps: AppDeps,
  { parts }: ResolvedService,
  leads: CatalogEntry[],
  query: FreeSlotsQuery,
): Promise<ServiceFreeSlots> {
  const found = await Promise.all(
    leads.map((entry) => findSlotsWith(computeFreeSlots, deps, entry, entry.resource.config, query)),
  )
  const days = unionOfDays(found.map((f) => f.days))
  const result: ServiceFreeSlots = {
    days,
    leadHolds: found.flatMap((f) => f.holds),
    partHolds: new Map(),
    holdsUnavailable: found.some((f) => f.holdsUnavailable),
  }
  const slots = days.flatMap((d) => d.slots)
  if (slots.length === 0) return result
  const keep = slots.map(() => true)
  for (const part of parts.slice(1)) {
    const free = slots.map(() => false)
    const checks = await partChecks(deps, part, slots, query.sessionId)
    for (const check of checks) {
      check.free.forEach((ok, i) => (free[i] ||= ok))
      for (const hold of check.holds) result.partHolds.set(hold.id, hold)
      if (check.holdsUnavailable) result.holdsUnavailable = true
    }
    free.forEach((ok, i) => (keep[i] &&= ok))
  }
  const kept = new Set(slots.filter((_, i) => keep[i]))
  result.days = days.map((d) => ({ date: d.date, slots: d.slots.filter((s) => kept.has(s)) }))
  return result
}

/** Each day's slots of every lead resource, each once, in start (then end) order. */
function unionOfDays(leads: FreeSlotsDay[][]): FreeSlotsDay[] {
  const first = leads[0] ?? []
  if (leads.length === 1) return first.map((d) => ({ date: d.date, slots: d.slots }))
  return first.map((day, index) => {
    const byKey = new Map<string, Interval>()
    for (const days of leads) for (const s of days[index]?.slots ?? []) byKey.set(`${s.start}|${s.end}`, s)
    const slots = [...byKey.values()].sort((a, b) => a.start - b.start || a.end - b.end)
    return { date: day.date, slots }
  })
}

/**
 * `partFree` for each resource of a part. The bookings of a pool part's members of one place
 * are read in one query over a range that covers every member's (bookings outside a member's
 * own range change nothing), rather than one query per member.
 */
async function partChecks(deps: AppDeps, part: ResolvedPart, slots: Interval[], sessionId: string | undefined) {
  const single = part.entries.filter((e) => (e.resource.config.capacity ?? 1) <= 1)
  let booked: Map<string, Interval[]> | undefined
  if (single.length >= 2) {
    const reach = Math.max(...single.map((e) => buffersOf(e).beforeMs + buffersOf(e).afterMs))
    const range = {
      start: Math.min(...slots.map((s) => s.start)) - reach,
      end: Math.max(...slots.map((s) => s.end)) + reach,
    }
    const snapshots = await findBookedSnapshots(
      deps.db,
      single.map((e) => e.resource.id),
      range,
      deps.clock.now(),
    )
    booked = new Map(single.map((e) => [e.resource.id, snapshots.get(e.resource.id)?.intervals ?? []]))
  }
  return Promise.all(
    part.entries.map((entry) => partFree(deps, entry, slots, sessionId, booked?.get(entry.resource.id))),
  )
}

const buffersOf = ({ resource }: CatalogEntry): Buffers => ({
  beforeMs: (resource.config.bufferBeforeMin ?? 0) * MINUTE_MS,
  afterMs: (resource.config.bufferAfterMin ?? 0) * MINUTE_MS,
})

/**
 * Whether one resource of a further part is free for each of `slots` (in order): inside one
 * of its schedule's open stretches, and with a place left after its bookings and other
 * sessions' live holds, all widened by its own buffers as its own availability counts them.
 */
async function partFree(
  deps: AppDeps,
  entry: CatalogEntry,
  slots: Interval[],
  sessionId: string | undefined,
  /** The resource's bookings, when already read (of one place only). */
  preread?: Interval[],
): Promise<{ free: boolean[]; holds: Hold[]; holdsUnavailable: boolean }> {
  const { id, config } = entry.resource
  const buffers = buffersOf(entry)
  const reach = buffers.beforeMs + buffers.afterMs
  const range = {
    start: Math.min(...slots.map((s) => s.start)) - reach,
    end: Math.max(...slots.map((s) => s.end)) + reach,
  }
  const capacity = config.capacity ?? 1
  const now = deps.clock.now()
  let holdsUnavailable = false
  const [booked, live] = await Promise.all([
    capacity > 1
      ? findBookedSeatsSnapshot(deps.db, id, range, now).then((s) => s.intervals)
      : (preread?.slice() ?? findBookedIntervals(deps.db, id, range, now)),
    deps.holds.listLive(id, range.start, range.end).catch((error: unknown) => {
      // As for a resource: slots are still served from bookings alone, and say so.
      if (!(error instanceof BookingError && error.code === 'unavailable')) throw error
      holdsUnavailable = true
      return [] as Hold[]
    }),
  ])
  const others = live.filter((h) => h.sessionId !== sessionId)
  const open = withinSchedule(entry, slots)
  let free: boolean[]
  if (capacity > 1) {
    const held: SeatInterval[] = others.map((h) => ({ start: h.start, end: h.end, seats: h.seats }))
    free = seatsLeft(slots, { capacity, booked: booked as SeatInterval[], held }, buffers).map((left) => left >= 1)
  } else {
    const busy = booked.concat(others.map((h) => ({ start: h.start, end: h.end })))
    const kept = new Set(subtractBusy(slots, busy, buffers))
    free = slots.map((s) => kept.has(s))
  }
  return { free: free.map((ok, i) => ok && open[i]!), holds: live, holdsUnavailable }
}

/** Whether each slot lies inside one open stretch of the resource's schedule (touching windows join). */
function withinSchedule({ resource, rules }: CatalogEntry, slots: Interval[]): boolean[] {
  const first = Math.min(...slots.map((s) => s.start))
  const last = Math.max(...slots.map((s) => s.end))
  const clock = createZoneClock(resource.timezone, { start: first - 4 * DAY_MS, end: last + 4 * DAY_MS })
  const stretches: Interval[] = []
  // A window starting the local day before can run into the first slot.
  for (const w of expandWindows(rules, clock, clock.dayOf(first) - 1, clock.dayOf(last))) {
    const previous = stretches[stretches.length - 1]
    if (previous && w.start <= previous.end) previous.end = Math.max(previous.end, w.end)
    else stretches.push({ start: w.start, end: w.end })
  }
  return slots.map((s) => stretches.some((w) => w.start <= s.start && s.end <= w.end))
}

/** A pool part's members in the order its strategy tries them; a resource part's one resource. */
async function ranked(deps: AppDeps, part: ResolvedPart, at: number): Promise<CatalogEntry[]> {
  const pool = part.pool
  if (!pool) return part.entries
  const rows = new Map(pool.members.map((m) => [m.resourceId, m]))
  const counts =
    pool.strategy === 'round_robin'
      ? await memberBookingCounts(
          deps.db,
          part.entries.map((e) => e.resource.id),
          at,
          pool.timezone,
        )
      : undefined
  const candidates = part.entries.map((entry): PoolCandidate & { entry: CatalogEntry } => {
    const row = rows.get(entry.resource.id)!
    const count = counts?.get(entry.resource.id)
    return {
      entry,
      resourceId: entry.resource.id,
      position: row.position,
      weight: row.weight,
      minParty: entry.resource.config.minParty,
      maxParty: entry.resource.config.maxParty,
      ...(counts ? { bookingsThatDay: count?.day ?? 0, bookingsThatWeek: count?.week ?? 0 } : {}),
    }
  })
  return poolOrder(pool.strategy, candidates).map((c) => c.entry)
}

/**
 * The interval asked for, as the lead offers it (the first lead resource, in its strategy's
 * order, that offers it free of bookings): 409 `slot_taken` when every lead resource that
 * offers it is booked, 422 `outside_availability` when none offers it.
 */
async function leadInterval(
  deps: AppDeps,
  { service }: ResolvedService,
  leads: CatalogEntry[],
  start: number,
  end: number | undefined,
): Promise<Interval> {
  let taken = false
  for (const entry of leads) {
    try {
      const slot = await resolveOfferedSlot(deps.db, entry, start, end, deps.clock.now())
      return { start: slot.start, end: slot.end }
    } catch (error) {
      if (error instanceof BookingError && error.code === 'slot_taken') {
        taken = true
        continue
      }
      if (error instanceof BookingError && error.code === 'outside_availability') continue
      throw error
    }
  }
  if (taken) throw new BookingError('slot_taken', 'This time is already booked.')
  throw new BookingError('outside_availability', 'This time is not offered: pick one of the available slots.', {
    start: new Date(start).toISOString(),
    ...(end !== undefined ? { end: new Date(end).toISOString() } : {}),
    hint: `GET /v1/services/${service.slug}/availability`,
  })
}

/** The resources the guest asked to keep (`parts[].resourceId`, 0 the lead), by position; each must be one its part may take. */
function chosenResources(
  parts: ResolvedPart[],
  asked: { position: number; resourceId: string }[],
): Map<number, CatalogEntry> {
  const chosen = new Map<number, CatalogEntry>()
  asked.forEach((ask, index) => {
    const part = parts.find((p) => p.position === ask.position)
    if (!part) throw invalidField(`parts.${index}.position`, 'invalid', 'the service has no part at this position')
    const wanted = ask.resourceId.toLowerCase()
    const entry =
      part.entries.find((e) => e.resource.id === wanted) ?? part.entries.find((e) => e.resource.slug === ask.resourceId)
    if (!entry) throw invalidField(`parts.${index}.resourceId`, 'invalid', 'not a resource this part may take')
    chosen.set(part.position, entry)
  })
  return chosen
}

interface PartContext {
  deps: AppDeps
  sessionId: string
  client: string
  serviceId: string
  ttlMs: number
  extraHolds: number
}

/**
 * Holds one further part for the interval: the first candidate free of bookings (as
 * availability counts them) that the hold store lets this session take; a candidate held by
 * another session gives way to the next, as in a pool.
 */
async function placePart(context: PartContext, part: ResolvedPart, candidates: CatalogEntry[], interval: Interval) {
  const { deps, sessionId, client, extraHolds } = context
  const { holds, db, clock, limits } = deps
  let held = false
  for (const entry of candidates) {
    const { id, config } = entry.resource
    if (!withinSchedule(entry, [interval])[0]) continue
    const buffers = buffersOf(entry)
    const capacity = config.capacity ?? 1
    const reach = buffers.beforeMs + buffers.afterMs
    const range = { start: interval.start - reach, end: interval.end + reach }
    let bookedSeats = 0
    if (capacity > 1) {
      const { intervals } = await findBookedSeatsSnapshot(db, id, range, clock.now())
      bookedSeats = mostSeatsIn(intervals, interval, buffers)
      if (bookedSeats + 1 > capacity) continue
    } else if (subtractBusy([interval], await findBookedIntervals(db, id, range, clock.now()), buffers).length === 0) {
      continue
    }
    const result = await holds.place({
      resourceId: id,
      sessionId,
      start: interval.start,
      end: interval.end,
      blockStart: interval.start - buffers.beforeMs,
      blockEnd: interval.end + buffers.afterMs,
      ttlMs: context.ttlMs,
      seats: 1,
      capacity,
      bookedSeats,
      maxPerSession: limits.holdsPerSession + extraHolds,
      ...(limits.holdsPerClient ? { clientKey: client, maxPerClient: limits.holdsPerClient + extraHolds } : {}),
      ...(part.pool ? { poolId: part.pool.id } : {}),
      serviceId: context.serviceId,
      servicePosition: part.position,
    })
    if (!result.ok && result.reason === 'slot_held') {
      held = true
      continue
    }
    return holdOrThrow(deps, entry, 1, result)
  }
  throw refusal(part, held ? 'slot_held' : 'slot_taken')
}

function refusal(part: ResolvedPart, code: 'slot_held' | 'slot_taken'): BookingError {
  const what = part.label
  return code === 'slot_held'
    ? new BookingError(
        'slot_held',
        `Someone else is booking this time right now (${what}). Pick another, or try again in a few minutes.`,
        { position: part.position },
      )
    : new BookingError('slot_taken', `This time is no longer free (${what}).`, { position: part.position })
}

/** The lead hold as guests see it, with the service and what each further part took. */
function toPublicServiceHold(lead: Hold, { service, parts }: ResolvedService, partHolds: Hold[] | Map<string, Hold>) {
  const byId = partHolds instanceof Map ? partHolds : new Map(partHolds.map((h) => [h.id, h]))
  const names = new Map(parts.flatMap((p) => p.entries.map((e) => [e.resource.id, e.resource.name] as const)))
  const view: PublicHold = { ...toPublicHold(lead), serviceId: service.id, parts: [] }
  for (const id of lead.partHoldIds ?? []) {
    const hold = byId.get(id)
    if (!hold || hold.servicePosition === undefined) continue
    view.parts!.push({
      position: hold.servicePosition,
      resourceId: hold.resourceId,
      name: names.get(hold.resourceId) ?? '',
    })
  }
  return view
}

/** As a pool's: the asked format, a strong ETag of the bytes, 304 on a match. */
async function sendServiceAvailability(
  c: Context<AppEnv>,
  body: ServiceAvailabilityResponse,
  format: 'default' | 'compact',
): Promise<Response> {
  const text = JSON.stringify(format === 'compact' ? compactService(body) : body)
  const etag = await strongEtag(text)
  c.header('Cache-Control', 'private, no-cache')
  c.header('ETag', etag)
  if (ifNoneMatchHits(c.req.header('If-None-Match'), etag)) return c.body(null, 304)
  return c.body(text, 200, { 'Content-Type': 'application/json' })
}

function compactService(body: ServiceAvailabilityResponse) {
  const { service, days, ...rest } = body
  const { resource: _resource, ...compact } = encodeAvailability({ ...rest, resource: service.resource, days })
  return { ...compact, service, days: compact.days as CompactAvailabilityDay[] }
}
