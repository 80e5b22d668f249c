import { and, eq, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm'
import { bookings, paymentEvents, type BookingRow } from '../../drizzle/schema'
import { splitPayment } from '../../shared/cancellation-policy'
import type { CancellationSettlement } from '../../shared/types'
import type { Clock } from '../clock'
import type { Database } from '../db/database'
import type { Logger } from '../logger'
import type { Transaction } from '../notify/outbox'
import { PaymentProviderError, type IntentState, type PaymentGateway } from './gateway'
import type { PaymentDue } from '../../shared/api-contract'

/*
 * The money of a booking, each step safe to run twice and in any order: the provider's
 * state is re-read before acting, provider calls carry idempotency keys built from our
 * ids, and every database write is conditional on the state it expects. No transaction is
 * ever held open across a provider call. A booking's status is not written here: the
 * booking lifecycle (api/bookings/lifecycle.ts) decides what the money means for it.
 */

export interface PaymentDeps {
  db: Database
  payments: PaymentGateway
  clock: Clock
  logger: Logger
}

/** What the guest's card step needs: the API's answer carries it as `payment`. */
export type PaymentStart = PaymentDue

/** Owner approval must come this long before the card authorization lapses. */
export const APPROVAL_MARGIN_MS = 12 * 3_600_000
/** A settlement the provider keeps refusing is left for a person after this many tries. */
const MAX_SETTLEMENT_ATTEMPTS = 8

/** The provider could not make or read the booking's intent; `cause` is its error. */
export class IntentUnavailable extends Error {
  constructor(options?: ErrorOptions) {
    super('the payment intent could not be created or read', options)
    this.name = 'IntentUnavailable'
  }
}

/**
 * The booking's PaymentIntent (made the first time, read after that) and what the card
 * form needs. Throws `IntentUnavailable` when the provider cannot be reached.
 */
export async function openIntent(deps: PaymentDeps, row: BookingRow, description: string): Promise<PaymentStart> {
  const { db, payments } = deps
  if (row.amount === null || !row.currency) throw new Error(`booking ${row.id} has no amount to pay`)
  let intent: IntentState
  try {
    intent = row.paymentIntentId
      ? await payments.getIntent(row.paymentIntentId)
      : await payments.createIntent({
          bookingId: row.id,
          resourceId: row.resourceId,
          ref: row.ref,
          amount: row.amount,
          currency: row.currency,
          description,
        })
  } catch (error) {
    throw new IntentUnavailable({ cause: error })
  }
  if (!row.paymentIntentId) {
    await db
      .update(bookings)
      .set({ paymentIntentId: intent.id })
      .where(and(eq(bookings.id, row.id), sql`${bookings.paymentIntentId} IS NULL`))
  }
  if (!intent.clientSecret) throw new Error(`intent ${intent.id} has no client secret`)
  return {
    clientSecret: intent.clientSecret,
    publishableKey: payments.publishableKey,
    amount: intent.amount,
    currency: intent.currency,
  }
}

/**
 * The intent as the provider reports it now; undefined for an intent the provider itself
 * does not know (deleted, another account's, test mode): there is nothing to bring in line,
 * and failing would only make the provider retry.
 */
export async function readIntent(
  deps: Pick<PaymentDeps, 'payments' | 'logger'>,
  intentId: string,
): Promise<IntentState | undefined> {
  try {
    return await deps.payments.getIntent(intentId)
  } catch (error) {
    if (!(error instanceof PaymentProviderError && error.status === 404)) throw error
    deps.logger.info('payment event for an intent the provider does not know; ignored', { intentId })
    return undefined
  }
}

/** Takes the authorized payment (all of it); the provider's state decides when a twin got there first. */
export async function capturePayment(payments: PaymentGateway, booking: BookingRow): Promise<IntentState> {
  if (!booking.paymentIntentId) throw new Error(`booking ${booking.id} has no payment intent`)
  try {
    return await payments.capture(
      booking.paymentIntentId,
      booking.amountAuthorized || (booking.amount ?? 0),
      `capture:${booking.id}`,
    )
  } catch (error) {
    // Captured already (a twin event got here first), or the authorization is gone.
    if (!(error instanceof PaymentProviderError) || error.status === undefined || error.status >= 500) throw error
    return payments.getIntent(booking.paymentIntentId)
  }
}

/** Whether this intent state means money was taken. */
export function isCaptured(intent: IntentState): boolean {
  return intent.status === 'succeeded' && intent.amountReceived > 0
}

/**
 * Records the intent's amounts and payment status on the booking (never its status). Once
 * the money is authorized or taken, the unpaid-booking window no longer applies.
 */
export async function recordIntent(
  db: Database | Transaction,
  bookingId: string,
  intent: IntentState,
  now: number,
): Promise<BookingRow | undefined> {
  const at = new Date(now)
  const paymentStatus =
    intent.status === 'requires_capture'
      ? 'authorized'
      : intent.status === 'succeeded'
        ? 'captured'
        : intent.status === 'canceled'
          ? 'canceled'
          : intent.status === 'requires_payment_method'
            ? sql`CASE WHEN ${bookings.paymentStatus} = 'requires_payment' AND ${bookings.amountAuthorized} = 0 THEN 'requires_payment' ELSE 'failed' END`
            : sql`${bookings.paymentStatus}`
  const captured = isCaptured(intent)
  const [row] = await db
    .update(bookings)
    .set({
      paymentStatus: paymentStatus as never,
      amountAuthorized: sql`GREATEST(${bookings.amountAuthorized}, ${intent.amountCapturable})`,
      amountCaptured: sql`GREATEST(${bookings.amountCaptured}, ${intent.amountReceived})`,
      amountRefunded: sql`LEAST(GREATEST(${bookings.amountRefunded}, ${intent.amountRefunded}), GREATEST(${bookings.amountCaptured}, ${intent.amountReceived}))`,
      captureBefore:
        intent.captureBefore !== undefined ? new Date(intent.captureBefore) : sql`${bookings.captureBefore}`,
      expiresAt: intent.status === 'requires_capture' || captured ? null : sql`${bookings.expiresAt}`,
      confirmedAt: captured
        ? sql`COALESCE(${bookings.confirmedAt}, ${at.toISOString()}::timestamptz)`
        : sql`${bookings.confirmedAt}`,
      updatedAt: at,
    })
    .where(eq(bookings.id, bookingId))
    .returning()
  return row
}

/** Releases an authorization (or stops an unpaid intent); a refusal means the provider's state decides. */
export async function releaseQuietly(
  payments: PaymentGateway,
  intent: IntentState,
  bookingId: string,
): Promise<IntentState> {
  try {
    return await payments.cancel(intent.id, `cancel:${bookingId}`)
  } catch (error) {
    if (!(error instanceof PaymentProviderError) || error.status === undefined || error.status >= 500) throw error
    return payments.getIntent(intent.id)
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export async function findByIntent(db: Database, intent: IntentState): Promise<BookingRow | undefined> {
  const [row] = await db
    .select()
    .from(bookings)
    // The metadata is anyone's who can make intents on the account: only a uuid can be one of our ids.
    .where(
      intent.bookingId && UUID.test(intent.bookingId)
        ? or(eq(bookings.paymentIntentId, intent.id), eq(bookings.id, intent.bookingId))
        : eq(bookings.paymentIntentId, intent.id),
    )
    .limit(1)
  return row
}

/** What cancelling means for the money, decided inside the cancelling transaction. */
export function planSettlement(
  row: BookingRow,
  tier: CancellationSettlement['tier'],
  percent: number,
): CancellationSettlement {
  const base = { tier, percent, currency: row.currency, attempts: 0 }
  const capturedLeft = row.amountCaptured - row.amountRefunded
  if (row.amountCaptured > 0) {
    const { refund, kept } = splitPayment(capturedLeft, percent)
    return { ...base, refund, kept, method: refund > 0 ? 'refund' : 'none', state: refund > 0 ? 'pending' : 'done' }
  }
  if (row.paymentStatus === 'authorized' && row.amountAuthorized > 0) {
    const { refund, kept } = splitPayment(row.amountAuthorized, percent)
    return { ...base, refund, kept, method: kept === 0 ? 'release' : 'partial_capture', state: 'pending' }
  }
  if (row.paymentIntentId && row.paymentStatus !== 'canceled') {
    // Not paid yet: stop the intent so the guest cannot pay for a cancelled booking.
    return { ...base, refund: 0, kept: 0, method: 'release', state: 'pending' }
  }
  return { ...base, refund: 0, kept: 0, method: 'none', state: 'done' }
}

/**
 * Carries out a cancelled booking's planned settlement at the provider; a failure is
 * recorded and retried by the sweep.
 */
export async function executeSettlement(deps: PaymentDeps, row: BookingRow): Promise<BookingRow | undefined> {
  const { db, payments, clock, logger } = deps
  const plan = row.settlement
  if (!plan || plan.state === 'done' || !row.paymentIntentId) return row
  const intentId = row.paymentIntentId
  try {
    let intent: IntentState
    if (plan.method === 'refund') {
      await payments.refund(intentId, plan.refund, `refund:${row.id}:1`)
      // A date of a prepaid series: the intent's totals are every date's, the refund is this one's.
      if (row.seriesId)
        return recordShareRefund(db, row, plan.refund, { ...plan, state: 'done', attempts: plan.attempts + 1 })
      intent = await payments.getIntent(intentId)
    } else if (plan.method === 'partial_capture') {
      intent = await payments.capture(intentId, plan.kept, `capture:${row.id}`).catch(async (error: unknown) => {
        if (!(error instanceof PaymentProviderError) || error.status === undefined || error.status >= 500) throw error
        return payments.getIntent(intentId)
      })
    } else {
      intent = await releaseQuietly(payments, await payments.getIntent(intentId), row.id)
    }
    await recordIntent(db, row.id, intent, clock.now())
    return setSettlement(db, row.id, { ...plan, state: 'done', attempts: plan.attempts + 1 })
  } catch (error) {
    logger.error('settlement at the payment provider failed; the sweep retries it', {
      bookingId: row.id,
      error: String(error),
    })
    return setSettlement(db, row.id, {
      ...plan,
      state: 'failed',
      attempts: plan.attempts + 1,
      lastError: String(error).slice(0, 500),
    })
  }
}

async function setSettlement(
  db: Database,
  id: string,
  settlement: CancellationSettlement,
): Promise<BookingRow | undefined> {
  const [row] = await db.update(bookings).set({ settlement }).where(eq(bookings.id, id)).returning()
  return row
}

/** Cancelled bookings whose intent may still be paid (expired or abandoned unpaid). */
export async function findAbandonedIntents(db: Database): Promise<BookingRow[]> {
  return db
    .select()
    .from(bookings)
    .where(
      and(
        eq(bookings.status, 'cancelled'),
        isNotNull(bookings.paymentIntentId),
        inArray(bookings.paymentStatus, ['requires_payment', 'failed']),
        sql`${bookings.settlement} IS NULL`,
        // A prepaid series' intent is every date's: open while one of them still holds its time.
        sql`NOT EXISTS (SELECT 1 FROM bookings AS sibling WHERE sibling.payment_intent_id = ${bookings.paymentIntentId} AND sibling.id <> ${bookings.id} AND sibling.status IN ('pending', 'confirmed'))`,
      ),
    )
    .limit(100)
}

/** Owner-approval bookings whose card authorization lapses within the approval margin. */
export async function findLapsingAuthorizations(db: Database, now: number): Promise<string[]> {
  const rows = await db
    .select({ id: bookings.id })
    .from(bookings)
    .where(
      and(
        eq(bookings.status, 'pending'),
        eq(bookings.paymentStatus, 'authorized'),
        // A series' authorization is captured at once (retried by the sweep), never left to lapse.
        isNull(bookings.seriesId),
        lte(bookings.captureBefore, new Date(now + APPROVAL_MARGIN_MS)),
      ),
    )
    .limit(100)
  return rows.map((row) => row.id)
}

/** Intents of prepaid series authorized but not captured: the capture failed and is tried again. */
export async function findUncapturedSeriesIntents(db: Database): Promise<string[]> {
  const rows = await db
    .selectDistinct({ intentId: bookings.paymentIntentId })
    .from(bookings)
    .where(
      and(
        isNotNull(bookings.seriesId),
        isNotNull(bookings.paymentIntentId),
        eq(bookings.paymentStatus, 'authorized'),
        inArray(bookings.status, ['pending', 'confirmed']),
      ),
    )
    .limit(100)
  return rows.flatMap((row) => (row.intentId ? [row.intentId] : []))
}

/** Retries the settlements the provider refused so far; how many are done now. */
export async function retrySettlements(deps: PaymentDeps): Promise<number> {
  const open = await deps.db
    .select()
    .from(bookings)
    .where(
      and(
        sql`${bookings.settlement} ->> 'state' IN ('pending', 'failed')`,
        sql`(${bookings.settlement} ->> 'attempts')::int < ${MAX_SETTLEMENT_ATTEMPTS}`,
      ),
    )
    .limit(100)
  let settled = 0
  for (const row of open) if ((await executeSettlement(deps, row))?.settlement?.state === 'done') settled++
  return settled
}

/** Whether a webhook event was already handled (events are delivered more than once). */
export async function isEventProcessed(db: Database, eventId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: paymentEvents.id })
    .from(paymentEvents)
    .where(eq(paymentEvents.id, eventId))
    .limit(1)
  return row !== undefined
}

export async function markEventProcessed(db: Database, eventId: string, type: string, now: number): Promise<void> {
  await db
    .insert(paymentEvents)
    .values({ id: eventId, type, processedAt: new Date(now) })
    .onConflictDoNothing()
}

/** A date's refund went through at the provider: its own share records it (the intent's total is every date's). */
export async function recordShareRefund(
  db: Database,
  row: BookingRow,
  refunded: number,
  settlement: CancellationSettlement,
): Promise<BookingRow | undefined> {
  const [updated] = await db
    .update(bookings)
    .set({
      amountRefunded: sql`LEAST(${bookings.amountRefunded} + ${refunded}, ${bookings.amountCaptured})`,
      settlement,
    })
    // Only while its settlement is still open: a retry after success never counts twice.
    .where(and(eq(bookings.id, row.id), sql`${bookings.settlement} ->> 'state' IN ('pending', 'failed')`))
    .returning()
  return updated
}
