import { Hono } from 'hono'
import type { AdminPoolResponse, AdminPoolsResponse } from '../../shared/api-contract'
import { adminPoolCreateSchema, adminPoolMembersSchema, adminPoolUpdateSchema } from '../../shared/schemas'
import type { AppEnv } from '../app-env'
import { readJson } from '../request'
import { createPool, deactivatePool, getPool, listPools, replacePoolMembers, updatePool } from '../store/pools'

/**
 * The owner's pools ("any free physio", a dining room of tables), mounted under
 * /v1/admin/pools behind the admin key check. A member may be any resource, whatever its
 * type: the pool's type is a label for the widget, and an owner mixing kinds on purpose
 * (a room that also serves as a desk) is not refused. A pool is never deleted, only
 * deactivated, because its bookings keep pointing at it.
 *
 * @example
 * POST /v1/admin/pools  Authorization: Bearer bka_…
 *   {"slug":"physios","type":"therapist","name":"Any physio","timezone":"Europe/Berlin",
 *    "strategy":"round_robin","members":[{"resourceId":"anna"},{"resourceId":"ben","weight":2}]}
 * → 201 {"pool":{"id":"…","slug":"physios",…,"members":[{"resourceId":"…","position":0,"weight":1},…]}}
 * PUT /v1/admin/pools/<id>/members  {"members":[{"resourceId":"ben"},{"resourceId":"anna"}]}
 */
export const adminPoolRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ pools: await listPools(c.var.deps.db) } satisfies AdminPoolsResponse))
  .post('/', async (c) => {
    const input = await readJson(c, adminPoolCreateSchema)
    return c.json({ pool: await createPool(c.var.deps.db, input) } satisfies AdminPoolResponse, 201)
  })
  .get('/:id', async (c) =>
    c.json({ pool: await getPool(c.var.deps.db, c.req.param('id')) } satisfies AdminPoolResponse),
  )
  .patch('/:id', async (c) => {
    const change = await readJson(c, adminPoolUpdateSchema)
    return c.json({ pool: await updatePool(c.var.deps.db, c.req.param('id'), change) } satisfies AdminPoolResponse)
  })
  .delete('/:id', async (c) =>
    c.json({ pool: await deactivatePool(c.var.deps.db, c.req.param('id')) } satisfies AdminPoolResponse),
  )
  .put('/:id/members', async (c) => {
    const { members } = await readJson(c, adminPoolMembersSchema)
    return c.json({
      pool: await replacePoolMembers(c.var.deps.db, c.req.param('id'), members),
    } satisfies AdminPoolResponse)
  })
