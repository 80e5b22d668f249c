import { Hono } from 'hono'
import { BookingError } from '../../shared/errors'
import { DEFAULT_HORIZON_DAYS } from '../../shared/schemas'
import type { AppEnv } from '../app-env'
import { ifNoneMatchHits } from '../content-encoding'
import { sha256Hex } from '../crypto'
import { publicOrigin } from '../feeds/feed-address'
import { findResourceByFeedToken, lastBookingChange, leadRefs, loadFeedBookings } from '../feeds/feed-store'
import { resourceCalendar } from '../feeds/resource-calendar'
import { toResource } from '../store/resources'

const DAY_MS = 24 * 60 * 60 * 1000
/** How far back the feed reaches: recent history stays visible beside what is ahead. */
const FEED_PAST_DAYS = 60

/**
 * A resource's bookings as a calendar that Google, Apple or Outlook subscribe to, at the
 * secret address the owner makes (and rotates) in the console. Unknown, rotated and
 * turned-off addresses all answer 404 alike.
 *
 * @example
 * GET /v1/feeds/9hX…Q.ics  If-None-Match: "3f…"
 * → 200 text/calendar (BEGIN:VCALENDAR … X-WR-CALNAME:Yoga room …), or 304 when unchanged
 */
export const feedRoutes = new Hono<AppEnv>().get('/:file', async (c) => {
  const { db, clock } = c.var.deps
  const token = /^([A-Za-z0-9_-]{16,128})\.ics$/.exec(c.req.param('file'))?.[1]
  const row = token ? await findResourceByFeedToken(db, token) : undefined
  if (!row) throw new BookingError('not_found', 'No such calendar feed.')
  const resource = toResource(row)
  const now = clock.now()
  const horizonDays = resource.config.horizonDays ?? DEFAULT_HORIZON_DAYS
  const [rows, changed] = await Promise.all([
    loadFeedBookings(db, row.id, {
      from: new Date(now - FEED_PAST_DAYS * DAY_MS),
      to: new Date(now + horizonDays * DAY_MS),
      now: new Date(now),
    }),
    lastBookingChange(db, row.id),
  ])
  const body = resourceCalendar(resource, rows, {
    host: new URL(publicOrigin(c)).hostname,
    leadRefs: await leadRefs(db, rows),
    includeGuestNames: resource.config.feedGuestNames === true,
  })
  // HTTP dates have whole seconds; comparing at that precision keeps If-Modified-Since exact.
  const lastModified = Math.floor((changed ?? row.createdAt).getTime() / 1000) * 1000
  const etag = `"${(await sha256Hex(body)).slice(0, 40)}"`
  c.header('ETag', etag)
  c.header('Last-Modified', new Date(lastModified).toUTCString())
  // Private: the address is a secret, no shared cache should keep the guests' bookings.
  c.header('Cache-Control', 'private, max-age=300')
  const ifNoneMatch = c.req.header('if-none-match')
  const ifModifiedSince = Date.parse(c.req.header('if-modified-since') ?? '')
  // If-None-Match wins when both are sent (RFC 9110 13.2.2): the ETag also sees a renamed
  // resource or a changed guest-names setting, which no booking's updated_at records.
  const unchanged =
    ifNoneMatch !== undefined
      ? ifNoneMatchHits(ifNoneMatch, etag)
      : !Number.isNaN(ifModifiedSince) && lastModified <= ifModifiedSince
  if (unchanged) return c.body(null, 304)
  return c.body(body, 200, { 'Content-Type': 'text/calendar; charset=utf-8' })
})
