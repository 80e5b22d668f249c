import { Hono, type Context } from 'hono'
import type {
  AdminWebhookDeliveriesResponse,
  AdminWebhookDeliveryResponse,
  AdminWebhookEndpointResponse,
  AdminWebhookEndpointsResponse,
} from '../../shared/api-contract'
import { webhookEndpointCreateSchema, webhookEndpointUpdateSchema } from '../../shared/webhook-schemas'
import type { AppEnv } from '../app-env'
import { invalidField } from '../errors'
import { readJson } from '../request'
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  queuePing,
  resendDelivery,
  rotateSecret,
  toAdminDelivery,
  toAdminEndpoint,
  updateEndpoint,
} from '../webhooks/endpoints'
import { checkWebhookUrl, systemResolver } from '../webhooks/url-guard'

/**
 * The owner's webhook endpoints, mounted under /v1/admin/webhooks behind the admin key
 * check. Each delivery is a POST of the event's JSON signed with the endpoint's secret
 * (`Booking-Signature: t=…,v1=…`); the secret is shown on creation, on rotation and by
 * `GET /webhooks/:id`, never in the list.
 *
 * @example
 * POST /v1/admin/webhooks  Authorization: Bearer bka_…
 *   {"url":"https://hooks.example.com/bookings","events":["booking.created","booking.cancelled"]}
 * → 201 {"endpoint":{"id":"…","url":"https://hooks.example.com/bookings",…,"secret":"whsec_…","isActive":true}}
 * GET  /v1/admin/webhooks/<id>/deliveries → {"deliveries":[{"eventId":"evt_…","status":"delivered",…}]}
 * POST /v1/admin/webhooks/<id>/test → 201 {"delivery":{"event":"ping","status":"pending",…}}
 */
export const adminWebhookRoutes = new Hono<AppEnv>()
  .get('/', async (c) =>
    c.json({
      endpoints: (await listEndpoints(c.var.deps.db)).map((row) => toAdminEndpoint(row)),
    } satisfies AdminWebhookEndpointsResponse),
  )
  .post('/', async (c) => {
    const input = await readJson(c, webhookEndpointCreateSchema)
    await assertReachable(c, input.url)
    const row = await createEndpoint(c.var.deps.db, input)
    return c.json({ endpoint: toAdminEndpoint(row, { withSecret: true }) } satisfies AdminWebhookEndpointResponse, 201)
  })
  .get('/:id', async (c) =>
    c.json({
      endpoint: toAdminEndpoint(await getEndpoint(c.var.deps.db, c.req.param('id')), { withSecret: true }),
    } satisfies AdminWebhookEndpointResponse),
  )
  .patch('/:id', async (c) => {
    const change = await readJson(c, webhookEndpointUpdateSchema)
    await getEndpoint(c.var.deps.db, c.req.param('id'))
    if (change.url !== undefined) await assertReachable(c, change.url)
    const row = await updateEndpoint(c.var.deps.db, c.req.param('id'), change)
    return c.json({ endpoint: toAdminEndpoint(row) } satisfies AdminWebhookEndpointResponse)
  })
  .delete('/:id', async (c) =>
    c.json({
      endpoint: toAdminEndpoint(await deleteEndpoint(c.var.deps.db, c.req.param('id'))),
    } satisfies AdminWebhookEndpointResponse),
  )
  .post('/:id/rotate-secret', async (c) =>
    c.json({
      endpoint: toAdminEndpoint(await rotateSecret(c.var.deps.db, c.req.param('id')), { withSecret: true }),
    } satisfies AdminWebhookEndpointResponse),
  )
  .get('/:id/deliveries', async (c) =>
    c.json({
      deliveries: (await listDeliveries(c.var.deps.db, c.req.param('id'))).map(toAdminDelivery),
    } satisfies AdminWebhookDeliveriesResponse),
  )
  .post('/:id/deliveries/:deliveryId/resend', async (c) => {
    const { db, clock } = c.var.deps
    const row = await resendDelivery(db, c.req.param('id'), c.req.param('deliveryId'), clock.now())
    return c.json({ delivery: toAdminDelivery(row) } satisfies AdminWebhookDeliveryResponse)
  })
  .post('/:id/test', async (c) => {
    const { db, clock } = c.var.deps
    const row = await queuePing(db, c.req.param('id'), clock.now())
    return c.json({ delivery: toAdminDelivery(row) } satisfies AdminWebhookDeliveryResponse, 201)
  })

/** The address check of delivery time, made at once so the owner hears of a refused URL while typing it. */
async function assertReachable(c: Context<AppEnv>, url: string): Promise<void> {
  const settings = c.var.deps.webhooks
  const verdict = await checkWebhookUrl(url, {
    allowPrivate: settings?.allowPrivate ?? false,
    resolve: settings?.resolve ?? systemResolver(),
  })
  if (!verdict.ok)
    throw invalidField('url', 'invalid', `The URL ${verdict.reason}.`, `The webhook URL ${verdict.reason}.`)
}
