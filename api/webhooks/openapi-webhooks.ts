import type { z } from 'zod'
import { webhookEndpointCreateSchema, webhookEndpointUpdateSchema } from '../../shared/webhook-schemas'

/**
 * The owner's webhook routes for the OpenAPI document (api/openapi.ts spreads these into
 * its route list; the test there checks every served route is documented).
 */
interface WebhookRouteDoc {
  method: 'get' | 'post' | 'patch' | 'delete'
  path: string
  summary: string
  tag: 'owner'
  auth: 'admin-key'
  body?: z.ZodType
  ok: [number, string]
}

export const WEBHOOK_ROUTE_DOCS: WebhookRouteDoc[] = [
  {
    method: 'get',
    path: '/v1/admin/webhooks',
    summary: 'Webhook endpoints, newest first (without their secrets)',
    tag: 'owner',
    auth: 'admin-key',
    ok: [200, '{endpoints}'],
  },
  {
    method: 'post',
    path: '/v1/admin/webhooks',
    summary: 'Add an endpoint (https; private addresses refused): the answer carries its signing secret (whsec_…)',
    tag: 'owner',
    auth: 'admin-key',
    body: webhookEndpointCreateSchema,
    ok: [201, '{endpoint} with secret'],
  },
  {
    method: 'get',
    path: '/v1/admin/webhooks/{id}',
    summary: 'One endpoint, with its signing secret',
    tag: 'owner',
    auth: 'admin-key',
    ok: [200, '{endpoint} with secret'],
  },
  {
    method: 'patch',
    path: '/v1/admin/webhooks/{id}',
    summary: 'Change the URL, events, description or isActive (switching on clears the failure state)',
    tag: 'owner',
    auth: 'admin-key',
    body: webhookEndpointUpdateSchema,
    ok: [200, '{endpoint}'],
  },
  {
    method: 'delete',
    path: '/v1/admin/webhooks/{id}',
    summary: 'Delete an endpoint and its delivery log',
    tag: 'owner',
    auth: 'admin-key',
    ok: [200, '{endpoint}'],
  },
  {
    method: 'post',
    path: '/v1/admin/webhooks/{id}/rotate-secret',
    summary: 'A new signing secret; the old one stops verifying at once',
    tag: 'owner',
    auth: 'admin-key',
    ok: [200, '{endpoint} with secret'],
  },
  {
    method: 'get',
    path: '/v1/admin/webhooks/{id}/deliveries',
    summary: 'The 50 most recent deliveries: status, response code, latency, attempts, error',
    tag: 'owner',
    auth: 'admin-key',
    ok: [200, '{deliveries}'],
  },
  {
    method: 'post',
    path: '/v1/admin/webhooks/{id}/deliveries/{deliveryId}/resend',
    summary: 'Send a delivery again at the next run (a failed one too), with the same event id and body',
    tag: 'owner',
    auth: 'admin-key',
    ok: [200, '{delivery}'],
  },
  {
    method: 'post',
    path: '/v1/admin/webhooks/{id}/test',
    summary: 'Queue a signed `ping` event to try the receiver (sent even to a switched-off endpoint)',
    tag: 'owner',
    auth: 'admin-key',
    ok: [201, '{delivery}'],
  },
]
