import { and, eq, inArray, isNotNull, lte, or, sql } from 'drizzle-orm'
import { bookings, paymentEvents, type BookingRow } from '../../drizzle/schema'
import { capRefund, decideGuestCancellation, splitPayment, type CancellationDecision } from '../../shared/cancellation-policy'
import { BookingError } from '../../shared/errors'
import type { CancellationSettlement, PublicBooking } from '../../shared/types'
import type { Clock } from '../clock'
import type { Database } from '../db/database'
import type { Logger } from '../logger'
import type { OutboxPlanner } from '../notify/outbox'
import { reoccupyExpiredBooking, type Transaction } from '../store/bookings'
import { findResourceById } from '../store/resources'
import { PaymentProviderError, type IntentState, type PaymentGateway } from './gateway'

/*
 * Money paths of a booking, each safe to run twice and in any order: the provider's state
 * is re-read before acting, provider calls carry idempotency keys built from our ids, and
 * every database write is conditional on the state it expects. No transaction is ever
 * held open across a provider call.
 */

export interface PaymentDeps {
  db: Database
  payments: PaymentGateway
  clock: Clock
  logger: Logger
  /** Messages owed by the changes made here (created once paid, confirmed, cancelled). */
  outbox?: OutboxPlanner | undefined
}

export interface PaymentStart {
  clientSecret: string
  publishableKey: string
  amount: number
  currency: string
}

const OCCUPYING = ['pending', 'confirmed'] as const
/** Owner approval must come this long before the card authorization lapses. */
const APPROVAL_MARGIN_MS = 12 * 3_600_000
/** A settlement the provider keeps refusing is left for a person after this many tries. */
const MAX_SETTLEMENT_ATTEMPTS = 8

/**
 * Creates the booking's PaymentIntent after its pending row committed. If the provider
 * cannot be reached the booking is cancelled at once, so the slot is not held by a
 * booking nobody can pay for, and the guest gets 503 `unavailable`.
 */
export async function startPayment(deps: PaymentDeps, row: BookingRow, description: string): Promise<PaymentStart> {
  const { db, payments, clock } = deps
  if (row.amount === null || !row.currency) throw new Error(`booking ${row.id} has no amount to pay`)
  let intent: IntentState
  try {
    intent = row.paymentIntentId
      ? await payments.getIntent(row.paymentIntentId)
      : await payments.createIntent({ bookingId: row.id, resourceId: row.resourceId, ref: row.ref, amount: row.amount, currency: row.currency, description })
  } catch (error) {
    const at = new Date(clock.now())
    await db
      .update(bookings)
      .set({ status: 'cancelled', cancelReason: 'payment_unavailable', cancelledAt: at, updatedAt: at })
      .where(and(eq(bookings.id, row.id), eq(bookings.status, 'pending')))
    deps.logger.error('payment intent could not be created; booking cancelled', { bookingId: row.id, error: String(error) })
    throw new BookingError('unavailable', 'Online payment is unavailable right now. Please try again in a few minutes.', undefined, { cause: error })
  }
  if (!row.paymentIntentId) {
    await db.update(bookings).set({ paymentIntentId: intent.id }).where(and(eq(bookings.id, row.id), sql`${bookings.paymentIntentId} IS NULL`))
  }
  if (!intent.clientSecret) throw new Error(`intent ${intent.id} has no client secret`)
  return { clientSecret: intent.clientSecret, publishableKey: payments.publishableKey, amount: intent.amount, currency: intent.currency }
}

/**
 * Brings a booking in line with its intent as the provider reports it now. Called for
 * every webhook (after re-reading the intent), and by the sweep.
 * - authorized: the booking stops expiring; it is captured and confirmed at once unless
 *   the resource needs the owner's approval (then the owner's confirm captures). An
 *   authorization for a booking that already expired takes the slot back if it is still
 *   free, else the authorization is released.
 * - captured: recorded, and a pending booking is confirmed.
 * - failed or canceled: recorded; an unpaid booking simply expires.
 * - refunds made anywhere (the Stripe dashboard included) are recorded.
 */
export async function syncIntent(deps: PaymentDeps, intentId: string): Promise<BookingRow | undefined> {
  const { db, payments, clock, logger } = deps
  let intent: IntentState
  try {
    intent = await payments.getIntent(intentId)
  } catch (error) {
    // An intent the provider itself does not know (deleted, another account's, test mode):
    // there is nothing to bring in line, and failing would only make the provider retry.
    if (!(error instanceof PaymentProviderError && error.status === 404)) throw error
    logger.info('payment event for an intent the provider does not know; ignored', { intentId })
    return undefined
  }
  let booking = await findByIntent(db, intent)
  if (!booking) {
    logger.info('payment event for an intent with no booking; ignored', { intentId })
    return undefined
  }
  const now = clock.now()

  if (intent.status === 'requires_capture') {
    if (booking.status === 'cancelled' && booking.cancelReason === 'expired' && !booking.settlement) {
      try {
        booking = (await reoccupyExpiredBooking(db, booking.id, now)) ?? booking
      } catch (error) {
        if (!(error instanceof BookingError && error.code === 'slot_taken')) throw error
        // Paid too late: someone else has the time now. Release the money at once.
        logger.info('authorization arrived after the slot was rebooked; releasing it', { bookingId: booking.id })
        return updateFromIntent(deps, booking.id, await payments.cancel(intent.id, `cancel:${booking.id}`), now)
      }
    }
    if (booking.status === 'cancelled') {
      // Cancelled while the guest was paying: nothing may be taken.
      return updateFromIntent(deps, booking.id, await releaseQuietly(payments, intent, booking.id), now)
    }
    booking = (await updateFromIntent(deps, booking.id, intent, now)) ?? booking
    const resource = await findResourceById(db, booking.resourceId)
    if (booking.status === 'pending' && resource?.config.requiresConfirmation) return booking
    return captureAndConfirm(deps, booking)
  }
  return updateFromIntent(deps, booking.id, intent, now)
}

/**
 * Takes the authorized payment and confirms the booking (the owner's confirm, or at once
 * for resources without approval). Confirming a pending booking needs no constraint
 * check: pending already occupies the slot.
 */
export async function captureAndConfirm(deps: PaymentDeps, booking: BookingRow): Promise<BookingRow> {
  const { payments, clock } = deps
  if (!booking.paymentIntentId) throw new Error(`booking ${booking.id} has no payment intent`)
  let intent: IntentState
  try {
    intent = await payments.capture(booking.paymentIntentId, booking.amountAuthorized || (booking.amount ?? 0), `capture:${booking.id}`)
  } catch (error) {
    // Captured already (a twin event got here first), or the authorization is gone: the
    // provider's state decides.
    if (!(error instanceof PaymentProviderError) || error.status === undefined || error.status >= 500) throw error
    intent = await payments.getIntent(booking.paymentIntentId)
  }
  return (await updateFromIntent(deps, booking.id, intent, clock.now())) ?? booking
}

/**
 * Records the intent's amounts and status on the booking; confirms it once money is
 * captured. The first time money is reserved the booking counts as made (its messages go
 * out); a pending booking that becomes confirmed gets its confirmation.
 */
async function updateFromIntent(deps: Pick<PaymentDeps, 'db' | 'outbox'>, bookingId: string, intent: IntentState, now: number): Promise<BookingRow | undefined> {
  return deps.db.transaction(async (tx) => {
    const [before] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for('update')
    if (!before) return undefined
    const after = await writeIntentState(tx, bookingId, intent, now)
    if (!after || !deps.outbox || after.status === 'cancelled') return after
    const wasUnpaid = before.paymentStatus === 'requires_payment' || before.paymentStatus === 'failed'
    const nowPaid = after.paymentStatus === 'authorized' || after.paymentStatus === 'captured'
    if (wasUnpaid && nowPaid && before.amountAuthorized === 0 && before.amountCaptured === 0) await deps.outbox.created(tx, after, now)
    else if (before.status === 'pending' && after.status === 'confirmed') await deps.outbox.confirmed(tx, after, now)
    return after
  })
}

async function writeIntentState(db: Database | Transaction, bookingId: string, intent: IntentState, now: number): Promise<BookingRow | undefined> {
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
  const captured = intent.status === 'succeeded' && intent.amountReceived > 0
  const [row] = await db
    .update(bookings)
    .set({
      paymentStatus: paymentStatus as never,
      amountAuthorized: sql`GREATEST(${bookings.amountAuthorized}, ${intent.amountCapturable})`,
      amountCaptured: sql`GREATEST(${bookings.amountCaptured}, ${intent.amountReceived})`,
      amountRefunded: sql`LEAST(GREATEST(${bookings.amountRefunded}, ${intent.amountRefunded}), GREATEST(${bookings.amountCaptured}, ${intent.amountReceived}))`,
      captureBefore: intent.captureBefore !== undefined ? new Date(intent.captureBefore) : sql`${bookings.captureBefore}`,
      // Once the money is authorized or taken, the unpaid-booking window no longer applies.
      expiresAt: intent.status === 'requires_capture' || captured ? null : sql`${bookings.expiresAt}`,
      status: captured ? sql`CASE WHEN ${bookings.status} = 'pending' THEN 'confirmed' ELSE ${bookings.status} END` : sql`${bookings.status}`,
      confirmedAt: captured ? sql`COALESCE(${bookings.confirmedAt}, ${at.toISOString()}::timestamptz)` : sql`${bookings.confirmedAt}`,
      updatedAt: at,
    })
    .where(eq(bookings.id, bookingId))
    .returning()
  return row
}

async function releaseQuietly(payments: PaymentGateway, intent: IntentState, bookingId: string): Promise<IntentState> {
  try {
    return await payments.cancel(intent.id, `cancel:${bookingId}`)
  } catch (error) {
    if (!(error instanceof PaymentProviderError) || error.status === undefined || error.status >= 500) throw error
    return payments.getIntent(intent.id)
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

async function findByIntent(db: Database, intent: IntentState): Promise<BookingRow | undefined> {
  const [row] = await db
    .select()
    .from(bookings)
    // The metadata is anyone's who can make intents on the account: only a uuid can be one of our ids.
    .where(intent.bookingId && UUID.test(intent.bookingId) ? or(eq(bookings.paymentIntentId, intent.id), eq(bookings.id, intent.bookingId)) : eq(bookings.paymentIntentId, intent.id))
    .limit(1)
  return row
}

export type Canceller = { by: 'guest'; note?: string | undefined } | { by: 'owner'; refundPercent?: number; note?: string | undefined } | { by: 'system'; reason: string }

/**
 * Cancels a booking and settles its money by the policy snapshot it was made under:
 * a captured payment gets a refund of the computed part; an authorization is partially
 * captured (keeping only the non-refundable part) or released when the refund is 100 %.
 * The row lock makes concurrent cancels settle once: the first one cancels, the others
 * find it cancelled and return it unchanged.
 */
export async function cancelWithPolicy(deps: Omit<PaymentDeps, 'payments'> & { payments: PaymentGateway | undefined }, bookingId: string, who: Canceller): Promise<BookingRow> {
  const { db, clock } = deps
  const now = clock.now()
  const result = await db.transaction(async (tx) => {
    const [row] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for('update')
    if (!row) throw new BookingError('not_found', 'No such booking.')
    // Cancelling twice (a double click, 20 at once) returns the first cancellation as it stands.
    if (row.status === 'cancelled') return { row, changed: false }
    if (!OCCUPYING.includes(row.status as (typeof OCCUPYING)[number])) {
      throw new BookingError('invalid_transition', `This booking is ${row.status.replace('_', ' ')} and cannot be cancelled.`)
    }
    const decision = policyDecision(row, now, who.by === 'guest')
    let tier: CancellationSettlement['tier']
    let percent: number
    if (who.by === 'guest') {
      if (!decision.allowed) throw closedError(decision)
      ;({ tier, percent } = { tier: decision.tier, percent: decision.refundPercent })
    } else if (who.by === 'owner' && who.refundPercent !== undefined) {
      ;({ tier, percent } = { tier: 'owner_override', percent: who.refundPercent })
    } else if (who.by === 'system') {
      // The system cancels only for its own reasons (an expiring authorization): all back.
      ;({ tier, percent } = { tier: 'full_refund', percent: 100 })
    } else {
      ;({ tier, percent } = ownerPolicyRefund(decision))
    }
    const settlement = planSettlement(row, tier, percent)
    const reason = who.by === 'system' ? who.reason : who.note ? `${who.by}: ${who.note}` : who.by
    const [cancelled] = await tx
      .update(bookings)
      .set({ status: 'cancelled', cancelledAt: new Date(now), cancelReason: reason, settlement, expiresAt: null, updatedAt: new Date(now) })
      .where(eq(bookings.id, bookingId))
      .returning()
    // A booking nobody was ever told about (unpaid) needs no cancellation notice either.
    if (row.paymentStatus !== 'requires_payment') await deps.outbox?.cancelled(tx, cancelled!, now)
    return { row: cancelled!, changed: true }
  })
  if (!result.changed || result.row.settlement?.state !== 'pending') return result.row
  if (!deps.payments) return result.row
  return (await executeSettlement({ ...deps, payments: deps.payments }, result.row)) ?? result.row
}

/**
 * What a guest cancel right now would give back, decided as `cancelWithPolicy` decides it
 * (the booking's policy snapshot, then the same settlement plan). `refund` is stated for
 * bookings that take payment: the part of what was paid or authorized that comes back.
 */
export function previewGuestCancellation(row: BookingRow, now: number): NonNullable<PublicBooking['cancellation']> {
  const decision = policyDecision(row, now, true)
  if (!decision.allowed) return { allowed: false, percent: 0 }
  const plan = planSettlement(row, decision.tier, decision.refundPercent)
  return {
    allowed: true,
    percent: decision.refundPercent,
    ...(row.currency ? { refund: { amount: plan.refund, currency: row.currency } } : {}),
  }
}

/**
 * What an owner cancel right now would give back by the policy (no override): owners may
 * always cancel, so `allowed` is always true; the refund is decided as `cancelWithPolicy`
 * decides it for the owner.
 */
export function previewOwnerCancellation(row: BookingRow, now: number): NonNullable<PublicBooking['cancellation']> {
  const { tier, percent } = ownerPolicyRefund(policyDecision(row, now, false))
  const plan = planSettlement(row, tier, percent)
  return { allowed: true, percent, ...(row.currency ? { refund: { amount: plan.refund, currency: row.currency } } : {}) }
}

/**
 * The ladder of the booking's policy snapshot at `now`, held to the ceiling a move left on
 * the booking (`refund_ceiling_percent`): the lower of the two. Guest cancels, owner cancels
 * by the policy and both previews decide through here, so they always agree; an owner's
 * explicit refund and the system's own cancellations do not. The booking's cancel notice
 * closes only the guest's own cancel (`guest`); the owner's refund follows the ladder alone.
 */
function policyDecision(row: BookingRow, now: number, guest: boolean): CancellationDecision {
  const decision = decideGuestCancellation(row.cancellationPolicy, row.startsAt.getTime(), now, guest ? row : undefined)
  if (!decision.allowed) return decision
  return { allowed: true, ...capRefund(decision.refundPercent, decision.tier, row.refundCeilingPercent) }
}

/** The owner may cancel at any time; past the online cut-off the ladder's bottom rung applies. */
function ownerPolicyRefund(decision: CancellationDecision): { tier: CancellationSettlement['tier']; percent: number } {
  return decision.allowed ? { tier: decision.tier, percent: decision.refundPercent } : { tier: 'no_refund', percent: 0 }
}

function closedError(decision: Extract<CancellationDecision, { allowed: false }>): BookingError {
  return new BookingError(
    'cancellation_closed',
    decision.reason === 'started'
      ? 'This booking has already started.'
      : 'It is too close to the start to cancel this booking online; please contact the provider.',
  )
}

/** What cancelling means for the money, decided inside the cancelling transaction. */
function planSettlement(row: BookingRow, tier: CancellationSettlement['tier'], percent: number): CancellationSettlement {
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

/** Carries out a planned settlement at the provider; a failure is recorded and retried by the sweep. */
export async function executeSettlement(deps: PaymentDeps, row: BookingRow): Promise<BookingRow | undefined> {
  const { db, payments, clock, logger } = deps
  const plan = row.settlement
  if (!plan || plan.state === 'done' || !row.paymentIntentId) return row
  const intentId = row.paymentIntentId
  try {
    let intent: IntentState
    if (plan.method === 'refund') {
      await payments.refund(intentId, plan.refund, `refund:${row.id}:1`)
      intent = await payments.getIntent(intentId)
    } else if (plan.method === 'partial_capture') {
      intent = await payments.capture(intentId, plan.kept, `capture:${row.id}`).catch(async (error: unknown) => {
        if (!(error instanceof PaymentProviderError) || error.status === undefined || error.status >= 500) throw error
        return payments.getIntent(intentId)
      })
    } else {
      intent = await releaseQuietly(payments, await payments.getIntent(intentId), row.id)
    }
    await updateFromIntent(deps, row.id, intent, clock.now())
    return setSettlement(db, row.id, { ...plan, state: 'done', attempts: plan.attempts + 1 })
  } catch (error) {
    logger.error('settlement at the payment provider failed; the sweep retries it', { bookingId: row.id, error: String(error) })
    return setSettlement(db, row.id, { ...plan, state: 'failed', attempts: plan.attempts + 1, lastError: String(error).slice(0, 500) })
  }
}

async function setSettlement(db: Database, id: string, settlement: CancellationSettlement): Promise<BookingRow | undefined> {
  const [row] = await db.update(bookings).set({ settlement }).where(eq(bookings.id, id)).returning()
  return row
}

/**
 * Due payment work, run every minute (in-process on Node, `POST /v1/internal/cron` on the
 * edge): release intents of bookings that expired unpaid, cancel owner-approval bookings
 * whose authorization is about to lapse, and retry settlements the provider refused.
 */
export async function runPaymentSweep(deps: PaymentDeps): Promise<{ released: number; lapsed: number; settled: number }> {
  const { db, payments, clock } = deps
  const now = clock.now()
  let released = 0
  const abandoned = await db
    .select()
    .from(bookings)
    .where(
      and(
        eq(bookings.status, 'cancelled'),
        isNotNull(bookings.paymentIntentId),
        inArray(bookings.paymentStatus, ['requires_payment', 'failed']),
        sql`${bookings.settlement} IS NULL`,
      ),
    )
    .limit(100)
  for (const row of abandoned) {
    const intent = await payments.getIntent(row.paymentIntentId!)
    if (intent.status === 'requires_capture' || intent.status === 'succeeded') {
      await syncIntent(deps, intent.id) // paid after all: the webhook path decides
      continue
    }
    await updateFromIntent(deps, row.id, intent.status === 'canceled' ? intent : await releaseQuietly(payments, intent, row.id), now)
    released++
  }

  const lapsing = await db
    .select({ id: bookings.id })
    .from(bookings)
    .where(and(eq(bookings.status, 'pending'), eq(bookings.paymentStatus, 'authorized'), lte(bookings.captureBefore, new Date(now + APPROVAL_MARGIN_MS))))
    .limit(100)
  for (const { id } of lapsing) {
    await cancelWithPolicy(deps, id, { by: 'system', reason: 'not confirmed before the card authorization lapses' })
  }

  const open = await db
    .select()
    .from(bookings)
    .where(and(sql`${bookings.settlement} ->> 'state' IN ('pending', 'failed')`, sql`(${bookings.settlement} ->> 'attempts')::int < ${MAX_SETTLEMENT_ATTEMPTS}`))
    .limit(100)
  let settled = 0
  for (const row of open) if ((await executeSettlement(deps, row))?.settlement?.state === 'done') settled++
  return { released, lapsed: lapsing.length, settled }
}

/** Whether a webhook event was already handled (events are delivered more than once). */
export async function isEventProcessed(db: Database, eventId: string): Promise<boolean> {
  const [row] = await db.select({ id: paymentEvents.id }).from(paymentEvents).where(eq(paymentEvents.id, eventId)).limit(1)
  return row !== undefined
}

export async function markEventProcessed(db: Database, eventId: string, type: string, now: number): Promise<void> {
  await db.insert(paymentEvents).values({ id: eventId, type, processedAt: new Date(now) }).onConflictDoNothing()
}
