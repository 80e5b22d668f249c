import { and, desc, eq, ne, sql } from 'drizzle-orm'
import {
  webhookDeliveries,
  webhookEndpoints,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from '../../drizzle/schema'
import type { AdminWebhookDelivery, AdminWebhookEndpoint } from '../../shared/api-contract'
import { BookingError } from '../../shared/errors'
import type { WebhookEvent } from '../../shared/webhook-events'
import type { Database } from '../db/database'
import { newWebhookSecret } from './sign'

/*
 * The owner's webhook endpoints and their delivery log. `get*` throws not_found, as the
 * other stores do; the URL is checked by the route (url-guard.ts) before it gets here.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const notFound = () => new BookingError('not_found', 'No such webhook endpoint.')

export function toAdminEndpoint(row: WebhookEndpointRow, options: { withSecret?: boolean } = {}): AdminWebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events as WebhookEvent[],
    ...(options.withSecret ? { secret: row.secret } : {}),
    isActive: row.isActive,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    disabledReason: row.disabledReason,
    consecutiveFailures: row.consecutiveFailures,
    createdAt: row.createdAt.toISOString(),
  }
}

export function toAdminDelivery(row: WebhookDeliveryRow): AdminWebhookDelivery {
  return {
    id: row.id,
    eventId: `evt_${row.eventId}`,
    event: row.event as AdminWebhookDelivery['event'],
    bookingId: row.bookingId,
    sequence: row.sequence,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt.toISOString(),
    lastStatusCode: row.lastStatusCode,
    lastLatencyMs: row.lastLatencyMs,
    lastError: row.lastError,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  }
}

export function listEndpoints(db: Database): Promise<WebhookEndpointRow[]> {
  return db.select().from(webhookEndpoints).orderBy(desc(webhookEndpoints.createdAt), webhookEndpoints.id)
}

export async function getEndpoint(db: Database, id: string): Promise<WebhookEndpointRow> {
  if (!UUID.test(id)) throw notFound()
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id))
  if (!row) throw notFound()
  return row
}

export async function createEndpoint(
  db: Database,
  input: { url: string; events: WebhookEvent[]; description?: string | undefined },
): Promise<WebhookEndpointRow> {
  const [row] = await db
    .insert(webhookEndpoints)
    .values({
      url: input.url,
      events: input.events,
      description: input.description ?? null,
      secret: newWebhookSecret(),
    })
    .returning()
  return row!
}

export async function updateEndpoint(
  db: Database,
  id: string,
  change: { url?: string; events?: WebhookEvent[]; description?: string | null; isActive?: boolean },
): Promise<WebhookEndpointRow> {
  await getEndpoint(db, id)
  const set: Partial<typeof webhookEndpoints.$inferInsert> = { ...change }
  // Switched back on: a fresh start, as if it had never failed.
  if (change.isActive === true) Object.assign(set, { disabledAt: null, disabledReason: null, consecutiveFailures: 0 })
  const [row] = await db.update(webhookEndpoints).set(set).where(eq(webhookEndpoints.id, id)).returning()
  if (!row) throw notFound()
  return row
}

export async function deleteEndpoint(db: Database, id: string): Promise<WebhookEndpointRow> {
  await getEndpoint(db, id)
  const [row] = await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id)).returning()
  if (!row) throw notFound()
  return row
}

export async function rotateSecret(db: Database, id: string): Promise<WebhookEndpointRow> {
  await getEndpoint(db, id)
  const [row] = await db
    .update(webhookEndpoints)
    .set({ secret: newWebhookSecret() })
    .where(eq(webhookEndpoints.id, id))
    .returning()
  if (!row) throw notFound()
  return row
}

export const DELIVERY_LOG_LIMIT = 50

export async function listDeliveries(db: Database, endpointId: string): Promise<WebhookDeliveryRow[]> {
  await getEndpoint(db, endpointId)
  return db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.endpointId, endpointId))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.sequence))
    .limit(DELIVERY_LOG_LIMIT)
}

/** Sends a delivery again at the next run, whatever became of it (a failed one too); one in flight stays as it is. */
export async function resendDelivery(
  db: Database,
  endpointId: string,
  deliveryId: string,
  now: number,
): Promise<WebhookDeliveryRow> {
  await getEndpoint(db, endpointId)
  const missing = () => new BookingError('not_found', 'No such delivery for this endpoint.')
  if (!UUID.test(deliveryId)) throw missing()
  const mine = and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpointId))
  const [row] = await db
    .update(webhookDeliveries)
    .set({ status: 'pending', nextAttemptAt: new Date(now), leaseUntil: null, deliveredAt: null })
    .where(and(mine, ne(webhookDeliveries.status, 'sending')))
    .returning()
  if (row) return row
  const [current] = await db.select().from(webhookDeliveries).where(mine)
  if (!current) throw missing()
  return current
}

/** A `ping` event for the owner to try their receiver with; it goes out even to a switched-off endpoint. */
export async function queuePing(db: Database, endpointId: string, now: number): Promise<WebhookDeliveryRow> {
  await getEndpoint(db, endpointId)
  const [row] = await db
    .insert(webhookDeliveries)
    .values({
      endpointId,
      eventId: crypto.randomUUID(),
      event: 'ping',
      sequence: sql`nextval('webhook_event_sequence')`,
      payload: {},
      nextAttemptAt: new Date(now),
      createdAt: new Date(now),
    })
    .returning()
  return row!
}
