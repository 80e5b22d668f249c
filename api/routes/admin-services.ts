import { Hono } from 'hono'
import type { AdminServiceResponse, AdminServicesResponse } from '../../shared/api-contract'
import { adminServiceCreateSchema, adminServiceUpdateSchema } from '../../shared/schemas'
import type { AppEnv } from '../app-env'
import { readJson } from '../request'
import { createService, deactivateService, getService, listServices, updateService } from '../store/services'

/**
 * The owner's services (a massage with its room, a car with its driver), mounted under
 * /v1/admin/services behind the admin key check. Each part is a resource or a pool; the
 * first leads. A service is never deleted, only deactivated, because its bookings keep
 * pointing at it.
 *
 * @example
 * POST /v1/admin/services  Authorization: Bearer bka_…
 *   {"slug":"massage-with-room","name":"Massage with room",
 *    "parts":[{"resourceId":"anna","label":"Therapist"},{"poolId":"rooms","label":"Room"}]}
 * → 201 {"service":{"id":"…","timezone":"Europe/Berlin","parts":[{"position":0,"resourceId":"…","name":"Anna",…},…]}}
 * PATCH /v1/admin/services/<id>  {"parts":[…]}   (replaces the whole list)
 */
export const adminServiceRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ services: await listServices(c.var.deps.db) } satisfies AdminServicesResponse))
  .post('/', async (c) => {
    const input = await readJson(c, adminServiceCreateSchema)
    return c.json({ service: await createService(c.var.deps.db, input) } satisfies AdminServiceResponse, 201)
  })
  .get('/:id', async (c) =>
    c.json({ service: await getService(c.var.deps.db, c.req.param('id')) } satisfies AdminServiceResponse),
  )
  .patch('/:id', async (c) => {
    const change = await readJson(c, adminServiceUpdateSchema)
    return c.json({
      service: await updateService(c.var.deps.db, c.req.param('id'), change),
    } satisfies AdminServiceResponse)
  })
  .delete('/:id', async (c) =>
    c.json({ service: await deactivateService(c.var.deps.db, c.req.param('id')) } satisfies AdminServiceResponse),
  )
