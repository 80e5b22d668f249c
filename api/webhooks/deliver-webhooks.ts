import { and, eq, inArray, lte, or, sql } from 'drizzle-orm'
import {
  webhookDeliveries,
  webhookEndpoints,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from '../../drizzle/schema'
import type { Clock } from '../clock'
import type { Database } from '../db/database'
import type { Logger } from '../logger'
import type { EmailSender } from '../notify/email'
import { webhookBody } from './event-body'
import { signatureHeader } from './sign'
import { checkWebhookUrl, systemResolver, type UrlGuardOptions } from './url-guard'

/** What the webhook settings bring from configuration (WEBHOOK_ALLOW_PRIVATE, ADMIN_EMAIL). */
export interface WebhookSettings {
  allowPrivate: boolean
  /** Told when an endpoint is switched off after failures; undefined = the log only. */
  ownerEmail?: string | undefined
  /** Resolves a host to every address (tests); the system's DNS, or none on the edge, otherwise. */
  resolve?: UrlGuardOptions['resolve']
}

export interface WebhookWorkerDeps {
  db: Database
  clock: Clock
  logger: Logger
  webhooks?: WebhookSettings | undefined
  /** Sends the owner's notice when an endpoint is switched off. */
  email?: EmailSender | undefined
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
/** A claimed row is this worker's for the timeout and then some; a worker that died loses it after this. */
const LEASE_MS = 60_000
const BATCH = 25
export const DELIVERY_TIMEOUT_MS = 10_000
/** Retries stop this long after the event happened: the delivery has failed for good. */
export const GIVE_UP_AFTER_MS = 3 * 24 * HOUR
/** An endpoint failing this many attempts in a row, with no success for a day, is switched off. */
export const DISABLE_AFTER_FAILURES = 15
const DISABLE_AFTER_QUIET_MS = 24 * HOUR

/** 1 min, 2 min, 4 min, … capped at 6 h. */
export function webhookRetryDelayMs(attempts: number): number {
  return Math.min(MINUTE * 2 ** Math.max(0, attempts - 1), 6 * HOUR)
}

export interface WebhookRunTotals {
  delivered: number
  retrying: number
  failed: number
}

/**
 * Sends the webhook deliveries that are due. Claimed like the message outbox (FOR UPDATE
 * SKIP LOCKED and a lease, short transactions, sending outside them), so any number of
 * workers share the work and each delivery goes to one. A booking's events reach each
 * endpoint in order: a delivery waits while an earlier one of the same booking to the same
 * endpoint is still pending or in flight.
 */
export async function deliverWebhooks(
  deps: WebhookWorkerDeps,
  options: { maxBatches?: number; batchSize?: number } = {},
): Promise<WebhookRunTotals> {
  const totals: WebhookRunTotals = { delivered: 0, retrying: 0, failed: 0 }
  let resolve = deps.webhooks?.resolve
  for (let batch = 0; batch < (options.maxBatches ?? 40); batch++) {
    const claimed = await claimDue(deps.db, deps.clock.now(), options.batchSize ?? BATCH)
    if (claimed.length === 0) break
    resolve ??= systemResolver()
    const endpoints = await deps.db
      .select()
      .from(webhookEndpoints)
      .where(inArray(webhookEndpoints.id, [...new Set(claimed.map((d) => d.endpointId))]))
    const byId = new Map(endpoints.map((e) => [e.id, e]))
    for (const row of claimed) {
      const endpoint = byId.get(row.endpointId)
      if (!endpoint) continue // deleted meanwhile: its deliveries went with it
      totals[await attempt(deps, resolve, row, endpoint)]++
    }
  }
  return totals
}

async function claimDue(db: Database, now: number, batch: number): Promise<WebhookDeliveryRow[]> {
  const at = new Date(now)
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(
        and(
          lte(webhookDeliveries.nextAttemptAt, at),
          or(
            eq(webhookDeliveries.status, 'pending'),
            and(eq(webhookDeliveries.status, 'sending'), lte(webhookDeliveries.leaseUntil, at)),
          ),
          // A switched-off endpoint gets nothing but the owner's test pings.
          or(eq(webhookEndpoints.isActive, true), eq(webhookDeliveries.event, 'ping')),
          sql`NOT EXISTS (
            SELECT 1 FROM webhook_deliveries earlier
            WHERE earlier.endpoint_id = ${webhookDeliveries.endpointId}
              AND earlier.booking_id = ${webhookDeliveries.bookingId}
              AND earlier.sequence < ${webhookDeliveries.sequence}
              AND earlier.status IN ('pending', 'sending'))`,
        ),
      )
      .orderBy(webhookDeliveries.sequence)
      .limit(batch)
      .for('update', { of: webhookDeliveries, skipLocked: true })
    if (due.length === 0) return []
    return tx
      .update(webhookDeliveries)
      .set({
        status: 'sending',
        leaseUntil: new Date(now + LEASE_MS),
        attempts: sql`${webhookDeliveries.attempts} + 1`,
      })
      .where(
        inArray(
          webhookDeliveries.id,
          due.map((d) => d.id),
        ),
      )
      .returning()
  })
}

type Outcome = keyof WebhookRunTotals

async function attempt(
  deps: WebhookWorkerDeps,
  resolve: UrlGuardOptions['resolve'],
  row: WebhookDeliveryRow,
  endpoint: WebhookEndpointRow,
): Promise<Outcome> {
  const { clock } = deps
  const body = webhookBody(row)
  const started = clock.now()
  let statusCode: number | null = null
  let error: string | null = null
  let sentAt: number | undefined
  const verdict = await checkWebhookUrl(endpoint.url, {
    allowPrivate: deps.webhooks?.allowPrivate ?? false,
    resolve,
  })
  if (!verdict.ok) error = `refused: the URL ${verdict.reason}`
  else {
    try {
      const [header, signature] = await signatureHeader(endpoint.secret, started, body)
      sentAt = performance.now()
      const response = await fetch(verdict.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'booking-webhooks/1',
          'Booking-Event-Id': `evt_${row.eventId}`,
          [header]: signature,
        },
        body,
        // A redirect could lead anywhere, past the address check: it counts as a failure.
        redirect: 'manual',
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      })
      statusCode = response.status
      // The answer's body is not needed: dropping it releases the connection.
      await response.body?.cancel().catch(() => {})
      if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`
    } catch (cause) {
      error = describeFailure(cause)
    }
  }
  const latency = sentAt === undefined ? null : Math.round(performance.now() - sentAt)
  const now = clock.now()
  const recorded = { lastStatusCode: statusCode, lastLatencyMs: latency, lastError: error, leaseUntil: null }
  if (error === null) {
    const settled = await settle(deps.db, row, { ...recorded, status: 'delivered', deliveredAt: new Date(now) })
    if (settled)
      await deps.db.update(webhookEndpoints).set({ consecutiveFailures: 0 }).where(eq(webhookEndpoints.id, endpoint.id))
    return 'delivered'
  }
  const giveUp = now - row.createdAt.getTime() >= GIVE_UP_AFTER_MS
  deps.logger.info(giveUp ? 'webhook delivery failed for good' : 'webhook delivery failed; will retry', {
    deliveryId: row.id,
    endpointId: endpoint.id,
    event: row.event,
    attempts: row.attempts,
    error,
  })
  await settle(
    deps.db,
    row,
    giveUp
      ? { ...recorded, status: 'failed' }
      : { ...recorded, status: 'pending', nextAttemptAt: new Date(now + webhookRetryDelayMs(row.attempts)) },
  )
  if (row.event !== 'ping') await countFailure(deps, endpoint, giveUp, now)
  return giveUp ? 'failed' : 'retrying'
}

/** Only the lease holder settles a row: one whose lease ran out may be another worker's now. */
async function settle(
  db: Database,
  row: WebhookDeliveryRow,
  change: Partial<typeof webhookDeliveries.$inferInsert>,
): Promise<boolean> {
  const done = await db
    .update(webhookDeliveries)
    .set(change)
    .where(
      and(
        eq(webhookDeliveries.id, row.id),
        eq(webhookDeliveries.status, 'sending'),
        eq(webhookDeliveries.attempts, row.attempts),
      ),
    )
    .returning({ id: webhookDeliveries.id })
  return done.length > 0
}

/**
 * Counts a failed attempt; switches the endpoint off when a delivery failed for good, or
 * after DISABLE_AFTER_FAILURES failed attempts in a row with nothing delivered for a day.
 */
async function countFailure(
  deps: WebhookWorkerDeps,
  endpoint: WebhookEndpointRow,
  failedForGood: boolean,
  now: number,
) {
  const { db } = deps
  const [counted] = await db
    .update(webhookEndpoints)
    .set({ consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1` })
    .where(eq(webhookEndpoints.id, endpoint.id))
    .returning({ failures: webhookEndpoints.consecutiveFailures })
  if (!counted) return
  let reason: string | undefined
  if (failedForGood) reason = 'A delivery kept failing for 3 days.'
  else if (counted.failures >= DISABLE_AFTER_FAILURES) {
    const [last] = await db
      .select({ at: sql<string | null>`max(${webhookDeliveries.deliveredAt})` })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, endpoint.id))
    const quietSince = last?.at ? new Date(last.at).getTime() : endpoint.createdAt.getTime()
    if (now - quietSince >= DISABLE_AFTER_QUIET_MS)
      reason = `${counted.failures} attempts in a row failed, with nothing delivered for 24 hours.`
  }
  if (!reason || !endpoint.isActive) return
  // Only the run that switches it off tells the owner.
  const [disabled] = await db
    .update(webhookEndpoints)
    .set({ isActive: false, disabledAt: new Date(now), disabledReason: reason })
    .where(and(eq(webhookEndpoints.id, endpoint.id), eq(webhookEndpoints.isActive, true)))
    .returning({ id: webhookEndpoints.id })
  if (!disabled) return
  deps.logger.error('webhook endpoint switched off', { endpointId: endpoint.id, url: endpoint.url, reason })
  const to = deps.webhooks?.ownerEmail
  if (deps.email && to) {
    try {
      await deps.email.send({
        to,
        subject: 'A webhook endpoint was switched off',
        text: `Deliveries to ${endpoint.url} were stopped: ${reason}\n\n${AFTER_SWITCH_OFF}\n`,
        html: `<p>Deliveries to <code>${escapeHtml(endpoint.url)}</code> were stopped: ${escapeHtml(reason)}</p><p>${AFTER_SWITCH_OFF}</p>`,
        messageId: `<webhook-off.${endpoint.id}.${now}@webhooks.invalid>`,
      })
    } catch (error) {
      deps.logger.error('webhook switch-off notice not sent', { endpointId: endpoint.id, error: String(error) })
    }
  }
}

const AFTER_SWITCH_OFF =
  'Fix the receiver, then switch the endpoint back on in the console (Webhooks); new events are sent again from then on, and failed ones can be resent from its delivery list.'

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

function describeFailure(cause: unknown): string {
  if (cause instanceof Error) {
    if (cause.name === 'TimeoutError' || cause.name === 'AbortError')
      return `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s`
    const inner = (cause as { cause?: { code?: string; message?: string } }).cause
    return (inner?.code ?? inner?.message ?? cause.message).slice(0, 300)
  }
  return String(cause).slice(0, 300)
}
