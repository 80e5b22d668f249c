import { Hono } from 'hono'
import type { AdminWaitlistResponse } from '../../shared/api-contract'
import { BookingError } from '../../shared/errors'
import { adminWaitlistQuerySchema } from '../../shared/schemas'
import { availabilityRange } from '../../shared/slots/compute-slots'
import type { AppEnv } from '../app-env'
import { invalidRequest } from '../errors'
import { findResourceById } from '../store/resources'
import { findEntryById, listForOwner } from '../waitlist/waitlist-store'
import { passOn } from './waitlist'

/**
 * The owner's view of the waitlist, mounted under /v1/admin behind the key check: a
 * resource's entries for some local days, in queue order with every offer each had; and
 * removing an entry (its open offer passes to the next waiter at once; the guest is told
 * by email, written with the removal in waitlist-store's endOpenOffer).
 *
 * @example
 * GET /v1/admin/waitlist?resourceId=<id>&from=2026-12-12&status=all  Authorization: Bearer bka_…
 * → 200 {"entries":[{"id":"…","ref":"W…","position":1,"status":"waiting","offer":{…},"offers":[…],…}]}
 * POST /v1/admin/waitlist/<id>/remove → 200 {"entry":{…,"status":"removed"}}
 */
export const adminWaitlistRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const parsed = adminWaitlistQuerySchema.safeParse(c.req.query())
    if (!parsed.success) throw invalidRequest(parsed.error)
    const q = parsed.data
    const resource = await findResourceById(c.var.deps.db, q.resourceId).catch(() => undefined)
    if (!resource) throw new BookingError('not_found', `No resource with id "${q.resourceId}".`)
    const range = availabilityRange(q.from, q.to ?? q.from, resource.timezone)
    const entries = await listForOwner(c.var.deps.db, resource, range, q.status === 'all')
    return c.json({ entries } satisfies AdminWaitlistResponse)
  })
  .post('/:id/remove', async (c) => {
    const deps = c.var.deps
    const entry = await findEntryById(deps.db, c.req.param('id')).catch(() => undefined)
    if (!entry) throw new BookingError('not_found', 'No waitlist entry with this id.')
    if (entry.status === 'waiting') await passOn(deps, entry, 'withdrawn', 'removed')
    const resource = (await findResourceById(deps.db, entry.resourceId))!
    const day = entry.windowStart.toISOString().slice(0, 10)
    const [view] = (await listForOwner(deps.db, resource, availabilityRange(day, day, 'UTC'), true)).filter(
      (e) => e.id === entry.id,
    )
    return c.json({ entry: view })
  })
