import { Hono } from 'hono'
import type { AdminBusySourceResponse, AdminBusySourcesResponse } from '../../shared/api-contract'
import { busySourceCreateSchema, busySourceUpdateSchema } from '../../shared/busy-source-schemas'
import type { AppEnv } from '../app-env'
import {
  createBusySource,
  deleteBusySource,
  getBusySource,
  listBusySources,
  updateBusySource,
} from '../busy-import/busy-sources-store'
import { refreshBusySource } from '../busy-import/poll-busy-sources'
import { readJson } from '../request'

/**
 * Calendars whose busy events block a resource (a staff member's Google "secret address",
 * a room's Airbnb or Booking.com calendar), mounted under /v1/admin behind the key check.
 * A new calendar is fetched at once and answered with how that went: a failed first read
 * is still saved (201) and says why in `lastError`. The request's own availability bump
 * (every admin write) covers busy times added or removed here.
 *
 * @example
 * POST /v1/admin/resources/<id>/busy-sources  Authorization: Bearer bka_…
 *   {"url":"https://calendar.google.com/calendar/ical/…/basic.ics","label":"Anna (Google)","pollMinutes":15}
 * → 201 {"source":{"id":"…","lastSuccessAt":"2026-11-29T21:00:00.000Z","lastError":null,"blockCount":42,…}}
 * POST /v1/admin/busy-sources/<id>/refresh  → 200 {"source":{…}}
 * DELETE /v1/admin/busy-sources/<id>  → 204
 */
export const adminBusySourceRoutes = new Hono<AppEnv>()
  .get('/resources/:id/busy-sources', async (c) =>
    c.json({
      sources: await listBusySources(c.var.deps.db, c.req.param('id')),
    } satisfies AdminBusySourcesResponse),
  )
  .post('/resources/:id/busy-sources', async (c) => {
    const deps = c.var.deps
    const input = await readJson(c, busySourceCreateSchema)
    const row = await createBusySource(deps.db, c.req.param('id'), input, deps.clock.now())
    await refreshBusySource(deps, row.id)
    return c.json({ source: await getBusySource(deps.db, row.id) } satisfies AdminBusySourceResponse, 201)
  })
  .patch('/busy-sources/:id', async (c) => {
    const deps = c.var.deps
    const change = await readJson(c, busySourceUpdateSchema)
    await updateBusySource(deps.db, c.req.param('id'), change)
    // A new address is read now, so the owner sees at once whether it works.
    if (change.url !== undefined) await refreshBusySource(deps, c.req.param('id'))
    return c.json({ source: await getBusySource(deps.db, c.req.param('id')) } satisfies AdminBusySourceResponse)
  })
  .delete('/busy-sources/:id', async (c) => {
    await deleteBusySource(c.var.deps.db, c.req.param('id'))
    return c.body(null, 204)
  })
  .post('/busy-sources/:id/refresh', async (c) => {
    const deps = c.var.deps
    await getBusySource(deps.db, c.req.param('id'))
    await refreshBusySource(deps, c.req.param('id'))
    return c.json({ source: await getBusySource(deps.db, c.req.param('id')) } satisfies AdminBusySourceResponse)
  })
