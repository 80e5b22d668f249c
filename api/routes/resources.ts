import { Hono } from 'hono'
import { availabilityQuerySchema } from '../../shared/schemas'
import { BookingError } from '../../shared/errors'
import { busyQueryRange, computeSlots } from '../../shared/slots/compute-slots'
import type { AvailabilityResponse, ScheduleRule } from '../../shared/types'
import type { AppEnv } from '../app-env'
import { invalidRequest } from '../errors'
import { optionalSession } from '../request'
import { toPublicHold } from './holds'
import { findBookedIntervals } from '../store/busy-intervals'
import { listActiveResources, toPublicResource, type Resource } from '../store/resources'
import type { CatalogEntry, ResourceCatalog } from '../store/resource-catalog'

/**
 * Public resource routes: what can be booked and when.
 *
 * @example
 * GET /v1/resources/meeting-room/availability?from=2026-03-27&to=2026-03-30&tz=Europe/London
 * → { resource: {...}, timezone: "Europe/London", days: [{ date: "2026-03-27", slots: [{ start, end }] }] }
 */
export const resourceRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const resources = await listActiveResources(c.var.deps.db)
    return c.json({ resources: resources.map(toPublicResource) })
  })
  .get('/:idOrSlug', async (c) => {
    const { resource } = await requireResource(c.var.deps.catalog, c.req.param('idOrSlug'))
    return c.json({ resource: toPublicResource(resource) })
  })
  .get('/:idOrSlug/availability', async (c) => {
    const { db, clock, catalog, holds } = c.var.deps
    const parsed = availabilityQuerySchema.safeParse(c.req.query())
    if (!parsed.success) throw invalidRequest(parsed.error, 'The availability query is not valid.')
    const query = parsed.data
    const { resource, rules } = await requireResource(catalog, c.req.param('idOrSlug'))
    if (query.duration !== undefined) assertKnownDuration(query.duration, resource, rules)
    const viewZone = query.tz ?? resource.timezone
    const now = clock.now()
    const range = busyQueryRange(query.from, query.to, viewZone, resource.config)
    const sessionId = optionalSession(c)
    // Without the hold store (Redis down) availability is still served, from bookings
    // alone, and says so: a time shown may then be held by someone (a 409 at hold time,
    // never a double booking).
    let holdsUnavailable = false
    const [booked, live] = await Promise.all([
      findBookedIntervals(db, resource.id, range, now),
      holds.listLive(resource.id, range.start, range.end).catch((error: unknown) => {
        if (!(error instanceof BookingError && error.code === 'unavailable')) throw error
        holdsUnavailable = true
        return []
      }),
    ])
    // Other sessions' holds are busy; this session's own hold is its selection, not a gap.
    const own = live.filter((h) => h.sessionId === sessionId)
    const busy = booked
    for (const hold of live) if (hold.sessionId !== sessionId) busy.push({ start: hold.start, end: hold.end })
    const days = computeSlots({
      timezone: resource.timezone,
      rules,
      config: resource.config,
      busy,
      from: query.from,
      to: query.to,
      viewZone,
      now,
      ...(query.duration !== undefined ? { duration: query.duration } : {}),
    })
    c.header('Cache-Control', 'no-store')
    const body: AvailabilityResponse = { resource: toPublicResource(resource), timezone: viewZone, days }
    if (own.length > 0) body.holds = own.map(toPublicHold)
    if (holdsUnavailable) body.holdsUnavailable = true
    return c.json(body)
  })

async function requireResource(catalog: ResourceCatalog, idOrSlug: string): Promise<CatalogEntry> {
  const entry = await catalog.find(idOrSlug)
  if (!entry) throw new BookingError('not_found', `No bookable resource "${idOrSlug}".`)
  return entry
}

/** A duration must be one the resource offers: a `config.durations` entry or a window's slot length. */
function assertKnownDuration(duration: number, resource: Resource, rules: ScheduleRule[]): void {
  const offered = new Set<number>(resource.config.durations ?? [])
  for (const rule of rules) if (rule.slotDuration !== null) offered.add(rule.slotDuration)
  if (!offered.has(duration)) {
    throw new BookingError('invalid_request', `This resource does not offer ${duration}-minute bookings.`, [
      { path: 'duration', message: `expected one of ${[...offered].sort((a, b) => a - b).join(', ') || '(none)'}` },
    ])
  }
}
