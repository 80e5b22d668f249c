import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { PoolResponse, HoldResponse } from '../../shared/api-contract'
import { encodeAvailability } from '../../shared/compact-availability'
import { BookingError } from '../../shared/errors'
import { poolOrder, seatsParty, type PoolCandidate } from '../../shared/pool-order'
import {
  DEFAULT_HORIZON_DAYS,
  MAX_SLOTS_PER_RESPONSE,
  availabilityQuerySchema,
  hasControlCharacters,
  nextAvailableQuerySchema,
  partySizeSchema,
  plainText,
  poolHoldRequestSchema,
} from '../../shared/schemas'
import { DAY_MS, formatEpochDay, toEpochDay } from '../../shared/slots/calendar-days'
import {
  busyQueryRange,
  computeFreeSlots,
  daysWithinSlotLimit,
  type FreeSlotsDay,
} from '../../shared/slots/compute-slots'
import { createInstantFormatter } from '../../shared/slots/format-instant'
import type { Interval } from '../../shared/slots/types'
import { createZoneClock } from '../../shared/slots/zone-clock'
import type {
  AvailabilityDay,
  CompactAvailabilityDay,
  NextAvailableResponse,
  PoolAvailabilityResponse,
  PublicPool,
  PublicPoolMember,
  Slot,
} from '../../shared/types'
import type { AppDeps, AppEnv } from '../app-env'
import { parseAvailabilityFormat, strongEtag } from '../availability-response'
import { assertSeatsAllowed } from '../bookings/resolve-slot'
import { placesPerBooking } from '../../shared/resource-config'
import { ifNoneMatchHits } from '../content-encoding'
import { invalidField, invalidRequest } from '../errors'
import type { Hold } from '../holds/hold-store'
import { optionalSession, readJson } from '../request'
import { findActivePool, memberBookingCounts, type ActivePool, type PoolMemberRow } from '../store/pools'
import type { CatalogEntry } from '../store/resource-catalog'
import { findBookedSnapshots } from '../store/busy-intervals'
import { toPublicResource } from '../store/resources'
import { admitHold, holdOrThrow, toPublicHold, tryHold } from './holds'
import {
  assertKnownDuration,
  capabilities,
  engineInput,
  findSlotsWith,
  tooManySlots,
  type FreeSlots as FreeSlotsOf,
  type FreeSlotsQuery,
} from './resources'

/**
 * Pools: "any available" of several resources (docs/capacity.md, "Pools"). The guest sees
 * the union of the members' free times and asks for a time; the hold picks the member.
 *
 * @example
 * GET /v1/pools/physios/availability?from=2026-03-24&to=2026-03-24
 * → { pool: {...}, timezone: "Europe/Berlin", days: [{ date, slots: [{ start, end, membersFree: 2 }] }] }
 * POST /v1/pools/physios/holds  X-Booking-Session: 7d1c…  {"start":"2026-03-24T08:00:00Z"}
 * → 201 {"hold":{"id":"h_…","resourceId":"<the member>","poolId":"…",…}}
 * GET /v1/pools/physios/next-available?from=2026-04-01
 * → { nextAvailable: { date: "2026-04-06", start: "2026-04-06T07:00:00.000Z", end: "2026-04-06T07:30:00.000Z" } }
 */

export const poolAvailabilityQuerySchema = z.object({
  partySize: z.coerce
    .number()
    .pipe(partySizeSchema)
    .optional()
    .describe('Guests at the table: only members that seat this many are offered'),
  member: plainText()
    .min(1)
    .max(100)
    .optional()
    .describe('A member’s id or slug: its free times only (when the pool lets guests choose)'),
})

export const poolRoutes = new Hono<AppEnv>()
  .get('/:idOrSlug', async (c) => {
    const { pool, entries } = await requirePool(c.var.deps, c.req.param('idOrSlug'))
    return c.json({ pool: toPublicPool(c.var.deps, pool, entries) } satisfies PoolResponse)
  })
  .get('/:idOrSlug/availability', async (c) => {
    const { clock } = c.var.deps
    const parsed = availabilityQuerySchema.safeParse(c.req.query())
    if (!parsed.success) throw invalidRequest(parsed.error, 'The availability query is not valid.')
    const extra = poolAvailabilityQuerySchema.safeParse(c.req.query())
    if (!extra.success) throw invalidRequest(extra.error, 'The availability query is not valid.')
    const query = parsed.data
    const format = parseAvailabilityFormat(c.req.query())
    const { pool, entries } = await requirePool(c.var.deps, c.req.param('idOrSlug'))
    const candidates = eligibleMembers(pool, entries, { ...extra.data, duration: query.duration })
    const seats = query.seats ?? 1
    const viewZone = query.tz ?? pool.timezone
    const sessionId = optionalSession(c)
    const range: FreeSlotsQuery = {
      from: query.from,
      to: query.to,
      viewZone,
      duration: query.duration,
      seats,
      sessionId,
      now: clock.now(),
    }
    for (const entry of candidates) {
      const fit = daysWithinSlotLimit(engineInput(entry, entry.resource.config, range), MAX_SLOTS_PER_RESPONSE)
      if (fit !== undefined) throw tooManySlots(fit)
    }
    const free = await freeSlotsOfMembers(c.var.deps, candidates, range)
    const shared = candidates.some((e) => (e.resource.config.capacity ?? 1) > 1)
    const body: PoolAvailabilityResponse = {
      pool: toPublicPool(c.var.deps, pool, entries),
      timezone: viewZone,
      days: unionOfDays(
        free.map((f) => f.days),
        shared,
      ),
    }
    // Other sessions' holds are busy; this session's own holds are its selection.
    const own = free.flatMap((f) => f.holds.filter((h) => h.sessionId === sessionId))
    if (own.length > 0) body.holds = uniqueHolds(own).map(toPublicHold)
    if (free.some((f) => f.holdsUnavailable)) body.holdsUnavailable = true
    return sendPoolAvailability(c, body, format)
  })
  .get('/:idOrSlug/next-available', async (c) => {
    const { clock } = c.var.deps
    const parsed = nextAvailableQuerySchema.safeParse(c.req.query())
    if (!parsed.success) throw invalidRequest(parsed.error, 'The next-available query is not valid.')
    const extra = poolAvailabilityQuerySchema.safeParse(c.req.query())
    if (!extra.success) throw invalidRequest(extra.error, 'The next-available query is not valid.')
    const query = parsed.data
    const { pool, entries } = await requirePool(c.var.deps, c.req.param('idOrSlug'))
    // Each member's horizon as its public form states it is the one searched, configured or not.
    const candidates = eligibleMembers(pool, entries, { ...extra.data, duration: query.duration }).map((entry) => ({
      ...entry,
      resource: {
        ...entry.resource,
        config: { ...entry.resource.config, horizonDays: entry.resource.config.horizonDays ?? DEFAULT_HORIZON_DAYS },
      },
    }))
    const viewZone = query.tz ?? pool.timezone
    const now = clock.now()
    const horizonDays = Math.max(...candidates.map((e) => e.resource.config.horizonDays))
    const dayOf = createZoneClock(viewZone, { start: now - 2 * DAY_MS, end: now + (horizonDays + 2) * DAY_MS }).dayOf
    const lastDay = dayOf(now + horizonDays * DAY_MS)
    // No day before today (in the asked zone) can hold a slot that has not started.
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
        seats: query.seats ?? 1,
        sessionId,
        now,
        // Closed weeks and months (holidays, a season) cost no queries.
        skipClosedRange: true,
      })
      // Very short slots are searched a few days at a time, each member within the same cap.
      for (const entry of candidates) {
        const fit = daysWithinSlotLimit(
          engineInput(entry, entry.resource.config, chunk(chunkEnd)),
          MAX_SLOTS_PER_RESPONSE,
        )
        if (fit !== undefined) chunkEnd = Math.min(chunkEnd, chunkStart + Math.max(fit, 1) - 1)
      }
      const free = await freeSlotsOfMembers(c.var.deps, candidates, chunk(chunkEnd))
      nextAvailable = firstSlotOf(free.map((f) => f.days))
      chunkStart = chunkEnd + 1
    }
    c.header('Cache-Control', 'no-store')
    const body: NextAvailableResponse = { nextAvailable }
    return c.json(body)
  })
  .post('/:idOrSlug/holds', async (c) => {
    const deps = c.var.deps
    const { sessionId, client } = await admitHold(c)
    const request = await readJson(c, poolHoldRequestSchema)
    const { pool, entries } = await requirePool(deps, c.req.param('idOrSlug'))
    const seats = request.seats ?? 1
    const { partySize } = request
    let candidates = entries
    if (request.memberId !== undefined) {
      assertMemberChoice(pool, 'memberId')
      candidates = [chosenMember(pool, entries, request.memberId)]
    }
    candidates = candidates.filter((e) => seatsParty(e.resource.config, partySize))
    if (candidates.length === 0) throw noTableFor(partySize ?? 0)
    const seating = candidates.filter((e) => seats <= placesPerBooking(e.resource.config))
    if (seating.length === 0) assertSeatsAllowed(candidates[0]!.resource.config, seats)

    const rows = new Map(pool.members.map((m) => [m.resourceId, m]))
    const counts =
      pool.strategy === 'round_robin'
        ? await memberBookingCounts(
            deps.db,
            seating.map((e) => e.resource.id),
            request.start,
            pool.timezone,
          )
        : undefined
    const ranked = poolOrder(
      pool.strategy,
      seating.map((entry) => candidateOf(entry, rows.get(entry.resource.id)!, counts)),
      partySize,
    )

    let held = false
    let taken = false
    for (const { entry } of ranked) {
      let result
      try {
        result = await tryHold(deps, entry, {
          sessionId,
          client,
          start: request.start,
          end: request.end,
          seats,
          poolId: pool.id,
          ...(partySize !== undefined ? { partySize } : {}),
        })
      } catch (error) {
        // This member is booked at that time, or does not offer it: the next one may.
        if (error instanceof BookingError && error.code === 'slot_taken') {
          taken = true
          continue
        }
        if (error instanceof BookingError && error.code === 'outside_availability') continue
        throw error
      }
      if (!result.ok && result.reason === 'slot_held') {
        held = true
        continue
      }
      return c.json({ hold: toPublicHold(holdOrThrow(deps, entry, seats, result)) } satisfies HoldResponse, 201)
    }
    if (held) {
      throw new BookingError(
        'slot_held',
        'Everyone free at this time is being booked by someone else right now. Pick another time, or try again in a few minutes.',
      )
    }
    if (taken) throw new BookingError('slot_taken', 'Nobody in this pool is free at this time any more.')
    throw new BookingError('outside_availability', 'This time is not offered: pick one of the available slots.', {
      start: new Date(request.start).toISOString(),
      ...(request.end !== undefined ? { end: new Date(request.end).toISOString() } : {}),
      hint: `GET /v1/pools/${pool.slug}/availability`,
    })
  })

/** Days next-available looks at per step, as for a resource: an empty month costs one step. */
const NEXT_AVAILABLE_CHUNK_DAYS = 31

type FreeSlots = FreeSlotsOf<FreeSlotsDay>

/**
 * The members a question is about: the one chosen, or all; those that seat the party; and
 * of those, the ones that offer the duration asked (a duration no member offers is refused).
 */
function eligibleMembers(
  pool: ActivePool,
  entries: CatalogEntry[],
  asked: { partySize?: number | undefined; member?: string | undefined; duration?: number | undefined },
): CatalogEntry[] {
  const { partySize, member, duration } = asked
  let candidates = entries
  if (member !== undefined) {
    assertMemberChoice(pool, 'member')
    candidates = [chosenMember(pool, entries, member)]
  }
  candidates = candidates.filter((e) => seatsParty(e.resource.config, partySize))
  if (candidates.length === 0) throw noTableFor(partySize ?? 0)
  if (duration === undefined) return candidates
  // A duration is offered when some member offers it; the others have no slot of that length.
  const offering = candidates.filter((e) => offers(e, duration))
  if (offering.length === 0) assertKnownDuration(duration, candidates[0]!.resource, candidates[0]!.rules)
  return offering
}

/** The earliest slot of the union (start, then end), on the first day where any member has one. */
function firstSlotOf(members: FreeSlotsDay[][]): NextAvailableResponse['nextAvailable'] {
  const days = members[0]?.length ?? 0
  for (let index = 0; index < days; index++) {
    let first: Interval | undefined
    let date: string | undefined
    for (const memberDays of members) {
      const day = memberDays[index]
      const slot = day?.slots[0]
      if (!day || !slot) continue
      if (!first || slot.start < first.start || (slot.start === first.start && slot.end < first.end)) {
        first = slot
        date = day.date
      }
    }
    if (first && date !== undefined) {
      const format = createInstantFormatter()
      return { date, start: format(first.start), end: format(first.end) }
    }
  }
  return null
}

/** A member's free slots as the resource route finds them, left as numbers: the pool formats each slot of the union once. */
const findMemberFreeSlots = (deps: AppDeps, entry: CatalogEntry, query: FreeSlotsQuery) =>
  findSlotsWith(computeFreeSlots, deps, entry, entry.resource.config, query)

/**
 * Each member's free slots, as the resource route finds them. The bookings of every member
 * of one place are read in one query, rather than one (cached) read per member.
 */
async function freeSlotsOfMembers(deps: AppDeps, entries: CatalogEntry[], query: FreeSlotsQuery): Promise<FreeSlots[]> {
  if (query.skipClosedRange) {
    // A member whose schedule leaves the range empty costs no query.
    const closed = new Map<string, FreeSlots>()
    for (const entry of entries) {
      const offered = computeFreeSlots({ ...engineInput(entry, entry.resource.config, query), busy: [] })
      if (offered.every((d) => d.slots.length === 0)) {
        closed.set(entry.resource.id, { days: offered, holds: [], holdsUnavailable: false })
      }
    }
    const open = entries.filter((e) => !closed.has(e.resource.id))
    const found = open.length > 0 ? await freeSlotsOfMembers(deps, open, { ...query, skipClosedRange: false }) : []
    const byId = new Map(open.map((e, i) => [e.resource.id, found[i]!]))
    return entries.map((e) => closed.get(e.resource.id) ?? byId.get(e.resource.id)!)
  }
  const single = (e: CatalogEntry) => (e.resource.config.capacity ?? 1) <= 1 && query.seats <= 1
  // Cache or not: a cache read per member (a Redis round trip each, a query on a miss) made a
  // pool of 20 answer in 2.7 s under the bench's 20 connections; one query, in 0.4 s.
  const batched = entries.filter(single)
  if (batched.length < 2) return Promise.all(entries.map((e) => findMemberFreeSlots(deps, e, query)))
  const ranges = batched.map((e) => busyQueryRange(query.from, query.to, query.viewZone, e.resource.config))
  // One range that covers every member's: bookings outside a member's own range change nothing.
  const range = { start: Math.min(...ranges.map((r) => r.start)), end: Math.max(...ranges.map((r) => r.end)) }
  let holdsUnavailable = false
  const [booked, holds] = await Promise.all([
    findBookedSnapshots(
      deps.db,
      batched.map((e) => e.resource.id),
      range,
      query.now,
    ),
    Promise.all(
      batched.map((e) =>
        deps.holds.listLive(e.resource.id, range.start, range.end).catch((error: unknown) => {
          // As for one resource: slots are still served from bookings alone, and say so.
          if (!(error instanceof BookingError && error.code === 'unavailable')) throw error
          holdsUnavailable = true
          return []
        }),
      ),
    ),
  ])
  const byId = new Map<string, FreeSlots>()
  batched.forEach((entry, i) => {
    const live = holds[i] ?? []
    const busy = (booked.get(entry.resource.id)?.intervals ?? []).slice()
    for (const hold of live) if (hold.sessionId !== query.sessionId) busy.push({ start: hold.start, end: hold.end })
    const days = computeFreeSlots({ ...engineInput(entry, entry.resource.config, query), busy })
    byId.set(entry.resource.id, { days, holds: live, holdsUnavailable })
  })
  return Promise.all(entries.map((e) => byId.get(e.resource.id) ?? findMemberFreeSlots(deps, e, query))).then((all) =>
    all.map((f) => ({ ...f, holdsUnavailable: f.holdsUnavailable || holdsUnavailable })),
  )
}

interface ActivePoolEntries {
  pool: ActivePool
  /** The members' catalog entries (resource and schedule), in position order. */
  entries: CatalogEntry[]
}

async function requirePool(deps: AppDeps, idOrSlug: string): Promise<ActivePoolEntries> {
  // No id or slug holds a control character, and PostgreSQL refuses NUL in a query outright.
  const pool = hasControlCharacters(idOrSlug) ? undefined : await findActivePool(deps.db, idOrSlug)
  if (!pool) throw new BookingError('not_found', `No pool "${idOrSlug}".`)
  const found = await Promise.all(pool.members.map((m) => deps.catalog.find(m.resourceId)))
  const entries = found.filter((e): e is CatalogEntry => e !== undefined)
  if (entries.length === 0) throw new BookingError('not_found', `The pool "${idOrSlug}" has nothing to book right now.`)
  return { pool, entries }
}

function assertMemberChoice(pool: ActivePool, path: string): void {
  if (pool.memberChoice) return
  throw invalidField(
    path,
    'invalid',
    'this pool assigns the member itself',
    'This pool does not let guests choose who they book.',
  )
}

function chosenMember(pool: ActivePool, entries: CatalogEntry[], idOrSlug: string): CatalogEntry {
  const wanted = idOrSlug.toLowerCase()
  const entry = entries.find((e) => e.resource.id === wanted) ?? entries.find((e) => e.resource.slug === idOrSlug)
  if (!entry) throw new BookingError('not_found', `No member "${idOrSlug}" in the pool "${pool.slug}".`)
  return entry
}

function noTableFor(partySize: number): BookingError {
  return invalidField(
    'partySize',
    'invalid',
    'no member of this pool seats a party of this size',
    `Nobody here takes a party of ${partySize}.`,
  )
}

function offers({ resource, rules }: CatalogEntry, duration: number): boolean {
  return (resource.config.durations ?? []).includes(duration) || rules.some((rule) => rule.slotDuration === duration)
}

function toPublicPool(deps: AppDeps, pool: ActivePool, entries: CatalogEntry[]): PublicPool {
  const view: PublicPool = {
    id: pool.id,
    slug: pool.slug,
    type: pool.type,
    name: pool.name,
    timezone: pool.timezone,
    memberChoice: pool.memberChoice,
    resource: toPublicResource(entries[0]!.resource, capabilities(deps)),
  }
  if (pool.memberChoice) view.members = entries.map(toPublicMember)
  const configs = entries.map((e) => e.resource.config)
  // A pool of tables: the party sizes some member seats (an open bound on any member leaves it open).
  if (configs.some((c) => c.minParty !== undefined || c.maxParty !== undefined)) {
    view.minParty = Math.min(...configs.map((c) => c.minParty ?? 1))
    if (configs.every((c) => c.maxParty !== undefined)) view.maxParty = Math.max(...configs.map((c) => c.maxParty!))
  }
  return view
}

function toPublicMember({ resource }: CatalogEntry): PublicPoolMember {
  const member: PublicPoolMember = { id: resource.id, slug: resource.slug, name: resource.name }
  if (resource.config.minParty !== undefined) member.minParty = resource.config.minParty
  if (resource.config.maxParty !== undefined) member.maxParty = resource.config.maxParty
  return member
}

interface RankedEntry extends PoolCandidate {
  entry: CatalogEntry
}

function candidateOf(
  entry: CatalogEntry,
  row: PoolMemberRow,
  counts: Map<string, { day: number; week: number }> | undefined,
): RankedEntry {
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
}

/**
 * The union of the members' free slots, day by day, in start (then end) order: each slot
 * once, with how many members are free at exactly that start and end. Where places are
 * counted (a member of several places), a slot says the most places one member has left.
 * Merged as numbers, and each slot of the union formatted once.
 */
function unionOfDays(members: FreeSlotsDay[][], shared: boolean): AvailabilityDay[] {
  const format = createInstantFormatter()
  const first = members[0] ?? []
  return first.map((day, index) => {
    let merged: MergedSlots = { slots: [], membersFree: [], seatsLeft: [] }
    for (const days of members) {
      const own = days[index]
      if (own && own.slots.length > 0) merged = mergeSlots(merged, own)
    }
    const slots: Slot[] = new Array(merged.slots.length)
    for (let k = 0; k < slots.length; k++) {
      const slot = merged.slots[k] as Interval
      slots[k] = {
        start: format(slot.start),
        end: format(slot.end),
        membersFree: merged.membersFree[k] as number,
        ...(shared ? { seatsLeft: merged.seatsLeft[k] as number } : {}),
      }
    }
    return { date: day.date, slots }
  })
}

/** Slots in time order, each with the members free at it and the most places one of them has left. */
interface MergedSlots {
  slots: Interval[]
  membersFree: number[]
  seatsLeft: number[]
}

/**
 * The union of two slot lists in time order, a slot in both counted once more: `merged`
 * (built here, in order) and one member's day, in order as the engine returns it. A member
 * that does not count places has one place left in each of its slots.
 */
function mergeSlots(merged: MergedSlots, member: FreeSlotsDay): MergedSlots {
  const own = member.slots
  const ownLeft = member.seatsLeft
  // Members of one schedule soon leave nothing new to add: then counting one in is an update in place.
  if (holdsAll(merged.slots, own)) {
    for (let i = 0, j = 0; j < own.length; i++) {
      const a = merged.slots[i]!
      const b = own[j]!
      if (a.start !== b.start || a.end !== b.end) continue
      merged.membersFree[i] = (merged.membersFree[i] as number) + 1
      merged.seatsLeft[i] = Math.max(merged.seatsLeft[i] as number, ownLeft ? (ownLeft[j] as number) : 1)
      j++
    }
    return merged
  }
  const out: MergedSlots = { slots: [], membersFree: [], seatsLeft: [] }
  let i = 0
  let j = 0
  while (i < merged.slots.length || j < own.length) {
    const a = merged.slots[i]
    const b = own[j]
    const order = a === undefined ? 1 : b === undefined ? -1 : a.start !== b.start ? a.start - b.start : a.end - b.end
    if (order < 0) {
      out.slots.push(a!)
      out.membersFree.push(merged.membersFree[i] as number)
      out.seatsLeft.push(merged.seatsLeft[i] as number)
      i++
    } else if (order > 0) {
      out.slots.push(b!)
      out.membersFree.push(1)
      out.seatsLeft.push(ownLeft ? (ownLeft[j] as number) : 1)
      j++
    } else {
      out.slots.push(a!)
      out.membersFree.push((merged.membersFree[i] as number) + 1)
      out.seatsLeft.push(Math.max(merged.seatsLeft[i] as number, ownLeft ? (ownLeft[j] as number) : 1))
      i++
      j++
    }
  }
  return out
}

/** Whether every slot of `own` is in `slots`, both in time order. */
function holdsAll(slots: Interval[], own: Interval[]): boolean {
  let i = 0
  for (const b of own) {
    while (i < slots.length && (slots[i]!.start < b.start || (slots[i]!.start === b.start && slots[i]!.end < b.end)))
      i++
    const a = slots[i]
    if (a === undefined || a.start !== b.start || a.end !== b.end) return false
    i++
  }
  return true
}

function uniqueHolds(holds: Hold[]): Hold[] {
  return [...new Map(holds.map((h) => [h.id, h])).values()]
}

/** As `sendAvailability` sends a resource's: the asked format, a strong ETag of the bytes, 304 on a match. */
async function sendPoolAvailability(
  c: Context<AppEnv>,
  body: PoolAvailabilityResponse,
  format: 'default' | 'compact',
): Promise<Response> {
  const text = JSON.stringify(format === 'compact' ? compactPool(body) : body)
  const etag = await strongEtag(text)
  c.header('Cache-Control', 'private, no-cache')
  c.header('ETag', etag)
  if (ifNoneMatchHits(c.req.header('If-None-Match'), etag)) return c.body(null, 304)
  return c.body(text, 200, { 'Content-Type': 'application/json' })
}

function compactPool(body: PoolAvailabilityResponse) {
  const { pool, days, ...rest } = body
  const { resource: _resource, ...compact } = encodeAvailability({ ...rest, resource: pool.resource, days })
  return {
    ...compact,
    pool,
    days: compact.days.map((day, i): CompactAvailabilityDay => {
      const slots = days[i]?.slots ?? []
      return slots.length === 0 ? day : { ...day, membersFree: slots.map((s) => s.membersFree ?? 1) }
    }),
  }
}
