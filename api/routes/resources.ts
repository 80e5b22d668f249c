import { Hono } from 'hono'
import { BookingError } from '../../shared/errors'
import {
  DEFAULT_HORIZON_DAYS,
  MAX_SLOTS_PER_RESPONSE,
  availabilityQuerySchema,
  nextAvailableQuerySchema,
} from '../../shared/schemas'
import { DAY_MS, formatEpochDay, toEpochDay } from '../../shared/slots/calendar-days'
import {
  busyQueryRange,
  computeSlots,
  daysWithinSlotLimit,
  type ComputeSlotsInput,
} from '../../shared/slots/compute-slots'
import { placesPerBooking } from '../../shared/resource-config'
import type { PlacesInput } from '../../shared/slots/seats-left'
import type { SeatInterval, SlotConfig } from '../../shared/slots/types'
import { createZoneClock } from '../../shared/slots/zone-clock'
import { markFullDays } from '../../shared/slots/full-days'
import type { AvailabilityDay, AvailabilityResponse, NextAvailableResponse, ScheduleRule } from '../../shared/types'
import type { AppDeps, AppEnv } from '../app-env'
import {
  availabilityText,
  parseAvailabilityFormat,
  sendAvailability,
  sendAvailabilityAnswer,
  strongEtag,
  type AvailabilityFormat,
} from '../availability-response'
import { busyRangeOf, readVersionShared, slotsValidUntil, type Answer, type VersionRead } from '../availability-answers'
import { findBookedSeatsSnapshot, findBookedSnapshot } from '../store/busy-intervals'
import { invalidRequest } from '../errors'
import type { Hold } from '../holds/hold-store'
import { optionalSession } from '../request'
import { toPublicHold } from './holds'
import { sendSpans, spansNotSlots } from './spans'
import { readBusy, readSeatBusy } from '../availability-cache'
import { listActiveResources, toPublicResource, type Resource, type ServerCapabilities } from '../store/resources'
import type { CatalogEntry, ResourceCatalog } from '../store/resource-catalog'
import type { ResourceResponse, ResourcesResponse } from '../../shared/api-contract'

/**
 * Public resource routes: what can be booked and when.
 *
 * @example
 * GET /v1/resources/meeting-room/availability?from=2026-03-27&to=2026-03-30&tz=Europe/London
 * → { resource: {...}, timezone: "Europe/London", days: [{ date: "2026-03-27", slots: [{ start, end }] }] }
 * …&format=compact → the same with days: [{ date: "2026-03-27", length: 30, starts: [480, 510] }] (minutes from 00:00Z of the date)
 * A resource of several places (config.capacity > 1): …&seats=2 offers slots with at least 2 places free, each with
 * `seatsLeft` (compact: `seatsLeft: [5, 2]` per day, in slot order).
 * GET /v1/resources/meeting-room/next-available?from=2026-04-01&tz=Europe/London
 * → { nextAvailable: { date: "2026-04-06", start: "2026-04-06T07:00:00.000Z", end: "2026-04-06T07:30:00.000Z" } }
 */
export const resourceRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const resources = await listActiveResources(c.var.deps.db)
    const server = capabilities(c.var.deps)
    return c.json({ resources: resources.map((r) => toPublicResource(r, server)) } satisfies ResourcesResponse)
  })
  .get('/:idOrSlug', async (c) => {
    const { resource } = await requireResource(c.var.deps.catalog, c.req.param('idOrSlug'))
    return c.json({ resource: toPublicResource(resource, capabilities(c.var.deps)) } satisfies ResourceResponse)
  })
  .get('/:idOrSlug/availability', async (c) => {
    const { clock, catalog } = c.var.deps
    const parsed = availabilityQuerySchema.safeParse(c.req.query())
    if (!parsed.success) throw invalidRequest(parsed.error, 'The availability query is not valid.')
    const query = parsed.data
    const format = parseAvailabilityFormat(c.req.query())
    const entry = await requireResource(catalog, c.req.param('idOrSlug'))
    const { resource, rules } = entry
    if (resource.config.span)
      return sendAvailability(c, spansNotSlots(entry, capabilities(c.var.deps), query.tz), format)
    if (query.duration !== undefined) assertKnownDuration(query.duration, resource, rules)
    const viewZone = query.tz ?? resource.timezone
    const sessionId = optionalSession(c)
    const range = {
      from: query.from,
      to: query.to,
      viewZone,
      duration: query.duration,
      seats: query.seats ?? 1,
      now: clock.now(),
    }
    const kept = await keptAvailability(c.var.deps, entry, { ...range, sessionId }, format)
    if (kept) return sendAvailabilityAnswer(c, kept)
    // Weighed before any query: a range of more slots than one answer carries is refused.
    const fit = daysWithinSlotLimit(engineInput(entry, resource.config, range), MAX_SLOTS_PER_RESPONSE)
    if (fit !== undefined) throw tooManySlots(fit)
    const free = await findFreeSlots(c.var.deps, entry, resource.config, { ...range, sessionId })
    // A full day (not a closed one) is where the widget offers the waitlist.
    if (canBeFull(resource, range.seats))
      markFullDays(free.days, { ...engineInput(entry, resource.config, range), busy: [] })
    const body: AvailabilityResponse = {
      resource: toPublicResource(resource, capabilities(c.var.deps)),
      timezone: viewZone,
      days: free.days,
    }
    // Other sessions' holds are busy; this session's own hold is its selection, not a gap.
    const own = free.holds.filter((h) => h.sessionId === sessionId)
    if (own.length > 0) body.holds = own.map(toPublicHold)
    if (free.holdsUnavailable) body.holdsUnavailable = true
    return sendAvailability(c, body, format)
  })
  .get('/:idOrSlug/spans', sendSpans)
  .get('/:idOrSlug/next-available', async (c) => {
    const { clock, catalog } = c.var.deps
    const parsed = nextAvailableQuerySchema.safeParse(c.req.query())
    if (!parsed.success) throw invalidRequest(parsed.error, 'The next-available query is not valid.')
    const query = parsed.data
    const entry = await requireResource(catalog, c.req.param('idOrSlug'))
    // A span has no next slot: the guest picks a pickup from `/spans`.
    if (entry.resource.config.span) return c.json({ nextAvailable: null } satisfies NextAvailableResponse)
    const { resource, rules } = entry
    if (query.duration !== undefined) assertKnownDuration(query.duration, resource, rules)
    const viewZone = query.tz ?? resource.timezone
    const now = clock.now()
    // The horizon the public form states is the one searched, configured or not.
    const config = { ...resource.config, horizonDays: resource.config.horizonDays ?? DEFAULT_HORIZON_DAYS }
    const dayOf = createZoneClock(viewZone, {
      start: now - 2 * DAY_MS,
      end: now + (config.horizonDays + 2) * DAY_MS,
    }).dayOf
    const lastDay = dayOf(now + config.horizonDays * DAY_MS)
    // No day before today (in the asked zone) can hold a slot that has not started.
    let chunkStart = Math.max(toEpochDay(query.from), dayOf(now))
    let nextAvailable: NextAvailableResponse['nextAvailable'] = null
    const sessionId = optionalSession(c)
    while (nextAvailable === null && chunkStart <= lastDay) {
      let chunkEnd = Math.min(chunkStart + NEXT_AVAILABLE_CHUNK_DAYS - 1, lastDay)
      // Very short slots are searched a few days at a time, each step within the same cap.
      const fit = daysWithinSlotLimit(
        engineInput(entry, config, {
          from: formatEpochDay(chunkStart),
          to: formatEpochDay(chunkEnd),
          viewZone,
          duration: query.duration,
          now,
        }),
        MAX_SLOTS_PER_RESPONSE,
      )
      if (fit !== undefined) chunkEnd = chunkStart + Math.max(fit, 1) - 1
      const free = await findFreeSlots(c.var.deps, entry, config, {
        from: formatEpochDay(chunkStart),
        to: formatEpochDay(chunkEnd),
        viewZone,
        duration: query.duration,
        seats: query.seats ?? 1,
        sessionId,
        now,
        // Closed weeks and months (holidays, a season) cost no queries.
        skipClosedRange: true,
      })
      const day = free.days.find((d) => d.slots.length > 0)
      const slot = day?.slots[0]
      if (day && slot) nextAvailable = { date: day.date, start: slot.start, end: slot.end }
      chunkStart = chunkEnd + 1
    }
    c.header('Cache-Control', 'no-store')
    const body: NextAvailableResponse = { nextAvailable }
    return c.json(body)
  })

/** Days next-available looks at per step: an empty month costs one step, a year at most twelve. */
const NEXT_AVAILABLE_CHUNK_DAYS = 31

export interface FreeSlotsQuery {
  from: string
  to: string
  viewZone: string
  duration: number | undefined
  /** Places wanted in one slot (1 unless asked). */
  seats: number
  /** The asking browser session: its own holds are its selection, not busy time. */
  sessionId: string | undefined
  now: number
  /** Answer a range the schedule leaves empty without asking the database or the hold store (one more pass of the engine otherwise). */
  skipClosedRange?: boolean
}

export interface FreeSlots<Day = AvailabilityDay> {
  days: Day[]
  /** Live holds on the range, every session's. */
  holds: Hold[]
  /** The hold store could not be asked: other guests' holds are not subtracted. */
  holdsUnavailable: boolean
}

/** The engine's input for a resource and a range, busy time aside. */
export function engineInput(
  { resource, rules }: CatalogEntry,
  config: SlotConfig,
  query: Pick<FreeSlotsQuery, 'from' | 'to' | 'viewZone' | 'duration' | 'now'>,
) {
  return {
    timezone: resource.timezone,
    rules,
    config,
    from: query.from,
    to: query.to,
    viewZone: query.viewZone,
    now: query.now,
    ...(query.duration !== undefined ? { duration: query.duration } : {}),
  }
}

/** The refusal of a range that would carry more than MAX_SLOTS_PER_RESPONSE slots. */
export function tooManySlots(daysThatFit: number): BookingError {
  const message =
    daysThatFit > 0
      ? `a range covers at most ${daysThatFit} days for this resource (${MAX_SLOTS_PER_RESPONSE} slots per request); ask for fewer days`
      : `a range covers at most 0 days for this resource: it offers more than ${MAX_SLOTS_PER_RESPONSE} slots in one day`
  return new BookingError('invalid_request', 'The availability range holds more slots than one answer carries.', [
    { path: 'to', code: 'invalid', message },
  ])
}

const entryIds = new WeakMap<CatalogEntry, number>()
const idsByContent = new Map<string, number>()
let lastEntryId = 0
const encoder = new TextEncoder()

/**
 * A number for what a catalog entry holds (the resource and its schedule): the catalog
 * reloads entries every few seconds, and an unchanged one keeps its number (and so its kept
 * answers); any change to either gives a new one. Numbers are never reused.
 */
function entryId(entry: CatalogEntry): number {
  let id = entryIds.get(entry)
  if (id === undefined) {
    const content = JSON.stringify(entry)
    id = idsByContent.get(content)
    if (id === undefined) {
      if (idsByContent.size >= 10_000) idsByContent.clear()
      id = ++lastEntryId
      idsByContent.set(content, id)
    }
    entryIds.set(entry, id)
  }
  return id
}

/**
 * The finished answer from the availability cache (built and kept on a miss), or undefined
 * when this answer cannot be kept (no cache, the version unknown or unreadable): the route
 * then builds it as it always did. The key holds everything the bytes depend on: the
 * resource and its schedule as the catalog has them, the question, the
 * format, and the live holds on the range (whose and until when), so a hold placed,
 * released or expired is another key; the version and `now` are checked by the cache.
 */
async function keptAvailability(
  deps: AppDeps,
  entry: CatalogEntry,
  query: FreeSlotsQuery,
  format: AvailabilityFormat,
): Promise<Answer | undefined> {
  const caching = deps.availability
  const answers = caching?.cache.answers
  const snapshotOf = caching?.cache.snapshot
  if (!caching || !answers || !snapshotOf) return undefined
  const { resource } = entry
  let read: VersionRead
  try {
    read = await readVersionShared(caching.versions, resource.id)
  } catch {
    return undefined
  }
  const version = read.version
  if (version === undefined) return undefined
  const range = busyRangeOf(query.from, query.to, query.viewZone, resource.config)
  const live = read.holds.filter((h) => h.blockStart < range.end && range.start < h.blockEnd)
  const holdsKey = live
    .map((h) => `${h.id}@${h.expiresAt}${h.sessionId === query.sessionId ? '+' : ''}`)
    .sort()
    .join(',')
  const key = `${entryId(entry)}|${query.from}|${query.to}|${query.viewZone}|${query.duration ?? ''}|${query.seats}|${format}|${holdsKey}`
  return answers.get(key, version, query.now, async () => {
    const input = engineInput(entry, resource.config, query)
    const fit = daysWithinSlotLimit(input, MAX_SLOTS_PER_RESPONSE)
    if (fit !== undefined) throw tooManySlots(fit)
    const shared = sharedPlaces(resource, query.seats)
    let engine: ComputeSlotsInput
    let validUntil: number
    const own: Hold[] = []
    if (shared) {
      const load = () => findBookedSeatsSnapshot(deps.db, resource.id, range, query.now)
      const snapshot = caching.cache.seatSnapshot
        ? await caching.cache.seatSnapshot(resource.id, range, version, query.now, load)
        : await load()
      validUntil = snapshot.validUntil
      const held: SeatInterval[] = []
      for (const hold of live) {
        if (hold.sessionId === query.sessionId) own.push(hold)
        else held.push({ start: hold.start, end: hold.end, seats: hold.seats })
        validUntil = Math.min(validUntil, hold.expiresAt)
      }
      engine = { ...input, busy: [], places: { ...shared, booked: snapshot.intervals, held } }
    } else {
      const load = () => findBookedSnapshot(deps.db, resource.id, range, query.now)
      const snapshot = await snapshotOf(resource.id, range, version, query.now, load)
      const busy = snapshot.intervals.slice()
      validUntil = snapshot.validUntil
      for (const hold of live) {
        if (hold.sessionId === query.sessionId) own.push(hold)
        else busy.push({ start: hold.start, end: hold.end })
        validUntil = Math.min(validUntil, hold.expiresAt)
      }
      engine = { ...input, busy }
    }
    const days = computeSlots(engine)
    // A full day (not a closed one) is where the widget offers the waitlist.
    if (canBeFull(resource, query.seats)) markFullDays(days, engine)
    const body: AvailabilityResponse = {
      resource: toPublicResource(resource, capabilities(deps)),
      timezone: query.viewZone,
      days,
    }
    if (own.length > 0) body.holds = own.map(toPublicHold)
    const text = availabilityText(body, format)
    return {
      bytes: encoder.encode(text),
      etag: await strongEtag(text),
      validUntil: Math.min(validUntil, slotsValidUntil(engine, days)),
    }
  })
}

/** Free slots by day as the asking session may take them: the schedule minus bookings and other sessions' live holds. */
export async function findFreeSlots(
  deps: AppDeps,
  entry: CatalogEntry,
  config: SlotConfig,
  query: FreeSlotsQuery,
): Promise<FreeSlots> {
  return findSlotsWith(computeSlots, deps, entry, config, query)
}

/**
 * `findFreeSlots` with the engine's output of the caller's choice: formatted days for an
 * answer, or epoch-ms intervals (`computeFreeSlots`) for a pool, which merges its members'
 * slots as numbers and formats each slot of the union once.
 */
export async function findSlotsWith<Day extends { slots: unknown[] }>(
  engine: (input: ComputeSlotsInput) => Day[],
  deps: AppDeps,
  entry: CatalogEntry,
  config: SlotConfig,
  query: FreeSlotsQuery,
): Promise<FreeSlots<Day>> {
  const { resource } = entry
  const input = engineInput(entry, config, query)
  if (query.skipClosedRange) {
    const offered = engine({ ...input, busy: [] })
    if (offered.every((d) => d.slots.length === 0)) return { days: offered, holds: [], holdsUnavailable: false }
  }
  const range = busyQueryRange(query.from, query.to, query.viewZone, config)
  const shared = sharedPlaces(resource, query.seats)
  if (shared) {
    const { booked, holds: live, holdsUnavailable } = await readSeatBusy(deps, resource.id, range, query.now)
    const held: SeatInterval[] = []
    for (const hold of live) {
      if (hold.sessionId !== query.sessionId) held.push({ start: hold.start, end: hold.end, seats: hold.seats })
    }
    const days = engine({ ...input, busy: [], places: { ...shared, booked, held } })
    return { days, holds: live, holdsUnavailable }
  }
  // Without the hold store (Redis down) slots are still served, from bookings alone, and
  // say so: a time shown may then be held by someone (a 409 at hold time, never a double
  // booking).
  // Booked intervals may come from the availability cache; holds are always read live.
  const { booked, holds: live, holdsUnavailable } = await readBusy(deps, resource.id, range, query.now)
  const busy = booked
  for (const hold of live) if (hold.sessionId !== query.sessionId) busy.push({ start: hold.start, end: hold.end })
  return { days: engine({ ...input, busy }), holds: live, holdsUnavailable }
}

/** A day is full for a number of places only if one booking may take that many at all. */
function canBeFull(resource: Resource, seats: number): boolean {
  return seats <= placesPerBooking(resource.config)
}

/**
 * How places are counted for a question: undefined for a resource of one place asked for
 * one (bookings and holds simply take the slot, as they always did). A resource of one
 * place asked for more has no slot to offer, which the counting says too.
 */
function sharedPlaces(resource: Resource, seats: number): Pick<PlacesInput, 'capacity' | 'seats'> | undefined {
  const capacity = resource.config.capacity ?? 1
  if (capacity <= 1 && seats <= 1) return undefined
  return { capacity, seats }
}

export function capabilities(deps: AppDeps): ServerCapabilities {
  return { payments: deps.payments !== undefined }
}

async function requireResource(catalog: ResourceCatalog, idOrSlug: string): Promise<CatalogEntry> {
  const entry = await catalog.find(idOrSlug)
  if (!entry) throw new BookingError('not_found', `No bookable resource "${idOrSlug}".`)
  return entry
}

/** A duration must be one the resource offers: a `config.durations` entry or a window's slot length. */
export function assertKnownDuration(duration: number, resource: Resource, rules: ScheduleRule[]): void {
  const offered = new Set<number>(resource.config.durations ?? [])
  for (const rule of rules) if (rule.slotDuration !== null) offered.add(rule.slotDuration)
  if (!offered.has(duration)) {
    throw new BookingError('invalid_request', `This resource does not offer ${duration}-minute bookings.`, [
      {
        path: 'duration',
        code: 'invalid',
        message: `expected one of ${[...offered].sort((a, b) => a - b).join(', ') || '(none)'}`,
      },
    ])
  }
}
