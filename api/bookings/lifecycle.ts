import type { BookingRow } from '../../drizzle/schema'
import {
  OWNER_TRANSITIONS,
  amountDue,
  awaitingPayment,
  guestChangeClosed,
  initialStatus,
  isActive,
  ownerTransitionRefusal,
  statusWords,
  type OwnerTransition,
} from '../../shared/booking-status'
import {
  capRefund,
  decideGuestCancellation,
  decideGuestReschedule,
  type CancellationDecision,
} from '../../shared/cancellation-policy'
import { BookingError } from '../../shared/errors'
import { DEFAULT_HOLD_TTL_SEC, type ResourceConfig } from '../../shared/schemas'
import type { CancellationSettlement, PublicBooking } from '../../shared/types'
import type { Clock } from '../clock'
import type { Database } from '../db/database'
import type { Logger } from '../logger'
import type { OutboxPlanner, Transaction } from '../notify/outbox'
import {
  IntentUnavailable,
  capturePayment,
  executeSettlement,
  findAbandonedIntents,
  findByIntent,
  findLapsingAuthorizations,
  findUncapturedSeriesIntents,
  isCaptured,
  openIntent,
  planSettlement,
  readIntent,
  recordIntent,
  releaseQuietly,
  retrySettlements,
  type PaymentStart,
} from '../payments/booking-payments'
import type { IntentState, PaymentGateway } from '../payments/gateway'
import { openSeriesIntent, planUnpaidDateSettlement } from '../payments/series-ledger'
import {
  cancelUnpaid,
  confirmBooking as writeConfirmation,
  confirmPaid,
  expirePendingBookings,
  insertBooking,
  insertSeries,
  lockBooking,
  lockBookings,
  markAttendance as writeAttendance,
  moveBooking as writeMove,
  moveSeriesBookings,
  refusePart,
  reoccupyExpiredBooking,
  writeCancellation,
  type NewBooking,
} from '../store/bookings'
import { findResourceById } from '../store/resources'
import { spanUnitsOf } from './resolve-span'
import { syncSeriesPayment } from './series-payment'

/*
 * The booking lifecycle: the one place that creates, moves, confirms, cancels, marks
 * attendance of and expires bookings. It decides by the rules in shared/booking-status.ts
 * and the booking's policy, writes through the constraint-guarded store (the only code
 * that writes a booking's status, and only for this module), has every change write the
 * messages it owes in its own transaction, and asks payments to move the money. Routes,
 * the webhook and the sweep call it.
 */

export interface LifecycleDeps {
  db: Database
  clock: Clock
  logger: Logger
  /** Every change writes the messages it owes through this, in its own transaction. */
  outbox: OutboxPlanner
  /** The payment provider; undefined = payments off. */
  payments: PaymentGateway | undefined
}

/** For the money paths: a provider is configured. */
export type PayingDeps = LifecycleDeps & { payments: PaymentGateway }

// ---------------------------------------------------------------- create

/** A new booking as the guest asked for it; its status, payment and terms come from the resource. */
export type BookingDraft = Omit<
  NewBooking,
  'status' | 'payment' | 'expiresAt' | 'cancellationPolicy' | 'notice' | 'notifyEmail'
>

/**
 * Writes a new booking with its outbox rows. It starts pending while it waits for the
 * owner's approval or the guest's money (the payment window is the hold's TTL), confirmed
 * otherwise; it keeps the resource's policy and notices as they stand now. A combined
 * booking (`parts`, with `serviceId`) is decided by its lead's resource (`config`) and
 * written with its part rows in the same statement: all its resources or none.
 */
export async function createBooking(
  deps: LifecycleDeps,
  draft: BookingDraft,
  config: ResourceConfig,
  by: Booker = 'guest',
): Promise<BookingRow> {
  const now = deps.clock.now()
  return insertBooking(deps.db, await decideBooking(deps, draft, config, now, by), now, deps.outbox)
}

/**
 * Who makes a new booking. The owner books for a guest (a call, a walk-in): the booking is
 * confirmed at once, as the owner's own approval, and takes no payment online, which the owner
 * settles with the guest; everything else (the slot, the constraint, the limits, the
 * guest's messages) is as for a guest's own booking.
 */
export type Booker = 'guest' | 'owner'

/**
 * Writes a recurring booking's occurrences with its series row, every occurrence or none
 * (store `insertSeries`). Each occurrence is decided like a single booking: its status, the
 * resource's policy and notices as they stand now, and the amount one date costs. A series
 * that takes payment waits, every date pending, for ONE payment of all its dates
 * (`startSeriesPayment`); each date keeps its own share of it (api/bookings/series-payment.ts).
 * They share one payment window: they are paid together or expire together.
 */
export async function createSeriesBookings(
  deps: LifecycleDeps,
  series: Parameters<typeof insertSeries>[1],
  drafts: readonly BookingDraft[],
  config: ResourceConfig,
  by: Booker = 'guest',
): Promise<BookingRow[]> {
  const now = deps.clock.now()
  const occurrences: NewBooking[] = []
  for (const draft of drafts) occurrences.push(await decideBooking(deps, draft, config, now, by))
  return insertSeries(deps.db, series, occurrences, now, deps.outbox)
}

/** A draft as the resource's terms decide it now: status, policy and notices kept, the amount due and its window. */
async function decideBooking(
  deps: LifecycleDeps,
  draft: BookingDraft,
  config: ResourceConfig,
  now: number,
  by: Booker,
): Promise<NewBooking> {
  // Per place: a booking of three places of a class pays three times the price (or deposit).
  const due =
    by === 'owner' ? undefined : amountDue(config, draft.seats ?? 1, await spanUnitsOf(deps.db, config, draft))
  if (due) requirePayments(deps)
  return {
    ...draft,
    status: by === 'owner' ? 'confirmed' : initialStatus(config),
    cancellationPolicy: config.cancellationPolicy,
    // Kept on the booking like the policy: the notice a guest booked under stays theirs.
    notice: {
      minRescheduleNoticeHours: config.minRescheduleNoticeHours,
      minCancelNoticeHours: config.minCancelNoticeHours,
    },
    payment: due,
    // From the cached catalog: the owner's address is not read inside the write.
    notifyEmail: config.notifyEmail,
    expiresAt: due ? now + (config.holdTtlSec ?? DEFAULT_HOLD_TTL_SEC) * 1000 : undefined,
  }
}

/** 422 `payment_unavailable` for a series that takes payment online on a server without a provider. */
export function assertSeriesPayable(deps: LifecycleDeps, config: ResourceConfig, by: Booker = 'guest'): void {
  if (by === 'guest' && amountDue(config)) requirePayments(deps)
}

/**
 * Opens the one payment of a prepaid series' dates (all pending, just written). If the
 * provider cannot be reached every date is cancelled at once, so no time is held by a
 * series nobody can pay for, and the guest gets 503 `unavailable`.
 */
export async function startSeriesPayment(
  deps: LifecycleDeps,
  rows: readonly BookingRow[],
  description: string,
): Promise<PaymentStart> {
  const payments = requirePayments(deps)
  try {
    return await openSeriesIntent({ ...deps, payments }, rows, description)
  } catch (error) {
    if (!(error instanceof IntentUnavailable)) throw error
    for (const row of rows) await cancelUnpaid(deps.db, row.id, 'payment_unavailable', deps.clock.now())
    deps.logger.error('payment intent could not be created; series cancelled', {
      seriesId: rows[0]?.seriesId,
      error: String(error.cause),
    })
    throw new BookingError(
      'unavailable',
      'Online payment is unavailable right now. Please try again in a few minutes.',
      undefined,
      { cause: error.cause },
    )
  }
}

/**
 * Opens the payment of a booking that takes it, after its pending row committed. If the
 * provider cannot be reached the booking is cancelled at once, so the slot is not held by
 * a booking nobody can pay for, and the guest gets 503 `unavailable`.
 */
export async function startPayment(deps: LifecycleDeps, row: BookingRow, description: string): Promise<PaymentStart> {
  const payments = requirePayments(deps)
  try {
    return await openIntent({ ...deps, payments }, row, description)
  } catch (error) {
    if (!(error instanceof IntentUnavailable)) throw error
    await cancelUnpaid(deps.db, row.id, 'payment_unavailable', deps.clock.now())
    deps.logger.error('payment intent could not be created; booking cancelled', {
      bookingId: row.id,
      error: String(error.cause),
    })
    throw new BookingError(
      'unavailable',
      'Online payment is unavailable right now. Please try again in a few minutes.',
      undefined,
      { cause: error.cause },
    )
  }
}

// ---------------------------------------------------------------- combined bookings

/**
 * Refuses (409 `invalid_transition`, naming the booking it belongs to) any action on a part
 * row of a combined booking: the owner sees it on its resource's calendar, but the booking
 * changes only as a whole, through its lead.
 */
export async function assertNotPart(deps: Pick<LifecycleDeps, 'db'>, booking: BookingRow): Promise<void> {
  if (booking.partOf) await refusePart(deps.db, booking.partOf)
}

// ---------------------------------------------------------------- move

/**
 * A guest's move closes at the booking's reschedule notice (else the policy's online
 * cut-off) and at the start; the owner's move is not bound by it.
 */
export function assertGuestMayMove(booking: BookingRow, now: number): void {
  if (!isActive(booking.status))
    throw new BookingError('invalid_transition', `This booking is ${statusWords(booking.status)}.`)
  const decision = decideGuestReschedule(booking.cancellationPolicy, booking, booking.startsAt.getTime(), now)
  if (!decision.allowed) throw guestChangeClosed('move', decision.reason)
}

/** The owner may move a pending or confirmed booking, anywhere the constraint allows. */
export function assertOwnerMayMove(booking: BookingRow): void {
  if (!isActive(booking.status))
    throw new BookingError('invalid_transition', `Cannot move a ${statusWords(booking.status)} booking.`)
}

/**
 * Moves a booking to [start, end): on conflict 409 `slot_taken` and nothing changes; the
 * moved messages state the old time and the new. A combined booking moves as a whole (the
 * database moves its parts with the lead, or refuses if one of them is taken then).
 */
export async function moveBooking(
  deps: LifecycleDeps,
  bookingId: string,
  to: { start: number; end: number },
  now: number,
): Promise<BookingRow> {
  return writeMove(deps.db, bookingId, to.start, to.end, now, deps.outbox)
}

/**
 * Moves future occurrences of one series together, each as `moveBooking` moves one (version
 * bump, reminders again), in one transaction, told to the guest and the owner in one message
 * each for the whole move (outbox `seriesRescheduled`): a conflict on any date (409 `slot_taken` or
 * `limit_reached`) or a row changed since it was read (409 `invalid_transition`) changes
 * nothing. Who may move which date is decided before (api/series/move-series.ts).
 */
export async function moveSeriesOccurrences(
  deps: LifecycleDeps,
  resourceId: string,
  moves: Parameters<typeof moveSeriesBookings>[2],
  now: number,
): Promise<BookingRow[]> {
  return moveSeriesBookings(deps.db, resourceId, moves, now, deps.outbox)
}

// ---------------------------------------------------------------- the owner's transitions

/** Refuses (409 `invalid_transition`) what the owner's transition table does not allow now. */
export function assertOwnerTransition(booking: BookingRow, transition: OwnerTransition, now: number): void {
  const refusal = ownerTransitionRefusal(
    transition,
    { status: booking.status, start: booking.startsAt.getTime(), paymentStatus: booking.paymentStatus },
    now,
  )
  if (refusal) throw new BookingError('invalid_transition', refusal)
}

/** The owner confirms a pending booking; an authorized payment is captured first. */
export async function confirmBooking(deps: LifecycleDeps, booking: BookingRow): Promise<BookingRow> {
  await assertNotPart(deps, booking)
  const now = deps.clock.now()
  assertOwnerTransition(booking, 'confirm', now)
  if (booking.paymentStatus === 'authorized' && booking.seriesId && booking.paymentIntentId && deps.payments) {
    // A series' authorization is captured for all its dates at once; then this one is confirmed.
    const synced = await syncPayment({ ...deps, payments: deps.payments }, booking.paymentIntentId)
    if (synced?.paymentStatus !== 'captured')
      throw new BookingError('unavailable', 'The payment could not be taken right now. Please try again shortly.')
    if (synced.status !== 'pending') return synced
    return writeConfirmation(deps.db, booking.id, now, deps.outbox)
  }
  if (booking.paymentStatus === 'authorized') {
    if (!deps.payments)
      throw new BookingError(
        'payment_unavailable',
        'The payment provider is not configured, so the payment cannot be captured.',
      )
    return captureAndConfirm({ ...deps, payments: deps.payments }, booking)
  }
  return writeConfirmation(deps.db, booking.id, now, deps.outbox)
}

/** Marks a started, confirmed booking as completed or missed. */
export async function markAttendance(
  deps: Pick<LifecycleDeps, 'db' | 'clock'>,
  bookingId: string,
  transition: Extract<OwnerTransition, 'no-show' | 'complete'>,
): Promise<BookingRow> {
  return writeAttendance(deps.db, bookingId, OWNER_TRANSITIONS[transition].to, deps.clock.now())
}

// ---------------------------------------------------------------- cancel

export type Canceller =
  | { by: 'guest'; note?: string | undefined }
  | { by: 'owner'; refundPercent?: number; note?: string | undefined }
  | { by: 'system'; reason: string }

/**
 * Cancels a booking and settles its money by the policy snapshot it was made under:
 * a captured payment gets a refund of the computed part; an authorization is partially
 * captured (keeping only the non-refundable part) or released when the refund is 100 %.
 * The row lock makes concurrent cancels settle once: the first one cancels, the others
 * find it cancelled and return it unchanged.
 */
export async function cancelBooking(deps: LifecycleDeps, bookingId: string, who: Canceller): Promise<BookingRow> {
  const now = deps.clock.now()
  const result = await deps.db.transaction((tx) => cancelLocked(tx, deps.outbox, bookingId, who, now, 'alone'))
  if (!result.changed) return result.row
  return settleCancellation(deps, result.row)
}

/**
 * Cancels the given dates of one series in one transaction, each by its own policy and
 * settled by it, and tells the guest and the owner once for all of them (each date's own
 * cancellation messages are written skipped). A date the canceller may not cancel any more
 * (a guest inside its cancel notice) is kept with the reason; the others are cancelled
 * regardless. All or nothing: a failure part way cancels none and tells nothing.
 */
export async function cancelSeriesDates(
  deps: LifecycleDeps,
  bookingIds: readonly string[],
  who: Canceller,
): Promise<{ cancelled: BookingRow[]; kept: { row: BookingRow; reason: string }[] }> {
  const now = deps.clock.now()
  const outcome = await deps.db.transaction(async (tx) => {
    // Locked in one order (by id), as a series move locks them, so the two queue instead of deadlocking.
    const rows = await lockBookings(tx, bookingIds)
    const cancelled: BookingRow[] = []
    const kept: { row: BookingRow; reason: string }[] = []
    for (const id of bookingIds) {
      try {
        const result = await cancelLocked(tx, deps.outbox, id, who, now, 'with-series')
        if (result.changed) cancelled.push(result.row)
      } catch (error) {
        // Refused before anything was written for this date: the transaction goes on.
        if (!(error instanceof BookingError) || error.code === 'internal' || error.code === 'unavailable') throw error
        const row = rows.find((r) => r.id === id)
        if (row) kept.push({ row, reason: error.message })
      }
    }
    await deps.outbox.seriesCancelled(
      tx,
      cancelled,
      kept.map((k) => k.row),
      now,
    )
    return { cancelled, kept }
  })
  const settled: BookingRow[] = []
  for (const row of outcome.cancelled) settled.push(await settleCancellation(deps, row))
  return { cancelled: settled, kept: outcome.kept }
}

/** One booking's cancellation inside a transaction; `told` says whether its own messages go out or its series' one does. */
async function cancelLocked(
  tx: Transaction,
  outbox: OutboxPlanner,
  bookingId: string,
  who: Canceller,
  now: number,
  told: 'alone' | 'with-series',
): Promise<{ row: BookingRow; changed: boolean }> {
  const row = await lockBooking(tx, bookingId)
  if (!row) throw new BookingError('not_found', 'No such booking.')
  // A part is cancelled with its booking (the database copies the lead's cancellation).
  if (row.partOf) return refusePart(tx, row.partOf)
  // Cancelling twice (a double click, 20 at once) returns the first cancellation as it stands.
  if (row.status === 'cancelled') return { row, changed: false }
  if (!isActive(row.status))
    throw new BookingError('invalid_transition', `This booking is ${statusWords(row.status)} and cannot be cancelled.`)
  const { tier, percent } = refundOnCancel(row, now, who)
  // A date of a prepaid series not paid yet shares its intent with the other dates.
  const settlement =
    row.seriesId && row.paymentIntentId && row.amountCaptured === 0
      ? await planUnpaidDateSettlement(tx, row, tier, percent)
      : planSettlement(row, tier, percent)
  const reason = who.by === 'system' ? who.reason : who.note ? `${who.by}: ${who.note}` : who.by
  const cancelled = await writeCancellation(tx, bookingId, { reason, settlement }, now)
  // A booking nobody was ever told about (unpaid) needs no cancellation notice either.
  if (row.paymentStatus !== 'requires_payment')
    await outbox.cancelled(tx, cancelled, now, { toldBySeries: told === 'with-series' })
  return { row: cancelled, changed: true }
}

/** Moves the money a committed cancellation planned (outside its transaction: the provider is slow). */
async function settleCancellation(deps: LifecycleDeps, row: BookingRow): Promise<BookingRow> {
  if (row.settlement?.state !== 'pending' || !deps.payments) return row
  return (await executeSettlement({ ...deps, payments: deps.payments }, row)) ?? row
}

/** The refund a cancel by `who` gives now; a guest's cancel past the notice is refused. */
function refundOnCancel(
  row: BookingRow,
  now: number,
  who: Canceller,
): { tier: CancellationSettlement['tier']; percent: number } {
  if (who.by === 'guest') {
    const decision = policyDecision(row, now, true)
    if (!decision.allowed) throw guestChangeClosed('cancel', decision.reason)
    return { tier: decision.tier, percent: decision.refundPercent }
  }
  if (who.by === 'owner' && who.refundPercent !== undefined)
    return { tier: 'owner_override', percent: who.refundPercent }
  // The system cancels only for its own reasons (an expiring authorization): all back.
  if (who.by === 'system') return { tier: 'full_refund', percent: 100 }
  return ownerPolicyRefund(policyDecision(row, now, false))
}

/**
 * What a guest cancel right now would give back, decided as `cancelBooking` decides it
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
 * always cancel, so `allowed` is always true; the refund is decided as `cancelBooking`
 * decides it for the owner.
 */
export function previewOwnerCancellation(row: BookingRow, now: number): NonNullable<PublicBooking['cancellation']> {
  const { tier, percent } = ownerPolicyRefund(policyDecision(row, now, false))
  const plan = planSettlement(row, tier, percent)
  return {
    allowed: true,
    percent,
    ...(row.currency ? { refund: { amount: plan.refund, currency: row.currency } } : {}),
  }
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

// ---------------------------------------------------------------- expiry and payments

/**
 * Cancels (`expired`) every unpaid pending booking whose payment window has passed. Such
 * a booking was never announced, so it owes no message.
 */
export async function expireUnpaidBookings(deps: Pick<LifecycleDeps, 'db' | 'clock'>): Promise<number> {
  return expirePendingBookings(deps.db, deps.clock.now())
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
export async function syncPayment(deps: PayingDeps, intentId: string): Promise<BookingRow | undefined> {
  const { db, payments, clock, logger } = deps
  const intent = await readIntent(deps, intentId)
  if (!intent) return undefined
  let booking = await findByIntent(db, intent)
  if (!booking) {
    logger.info('payment event for an intent with no booking; ignored', { intentId })
    return undefined
  }
  // One intent for every date of a prepaid series: its dates move together.
  if (booking.seriesId) {
    const first = booking
    return (await syncSeriesPayment(deps, intent)).find((date) => date.id === first.id) ?? first
  }
  const now = clock.now()

  if (intent.status === 'requires_capture') {
    if (booking.status === 'cancelled' && booking.cancelReason === 'expired' && !booking.settlement) {
      try {
        booking = (await reoccupyExpiredBooking(db, booking.id, now)) ?? booking
      } catch (error) {
        if (!(error instanceof BookingError && (error.code === 'slot_taken' || error.code === 'limit_reached')))
          throw error
        // Paid too late: someone else has the time now, or the guest booked up to a limit
        // meanwhile. Release the money at once.
        logger.info('authorization arrived after the slot was rebooked; releasing it', { bookingId: booking.id })
        return recordPayment(deps, booking.id, await payments.cancel(intent.id, `cancel:${booking.id}`), now)
      }
    }
    if (booking.status === 'cancelled') {
      // Cancelled while the guest was paying: nothing may be taken.
      return recordPayment(deps, booking.id, await releaseQuietly(payments, intent, booking.id), now)
    }
    booking = (await recordPayment(deps, booking.id, intent, now)) ?? booking
    const resource = await findResourceById(db, booking.resourceId)
    if (booking.status === 'pending' && resource?.config.requiresConfirmation) return booking
    return captureAndConfirm(deps, booking)
  }
  return recordPayment(deps, booking.id, intent, now)
}

/**
 * Due payment work, run every minute after the expiry: release intents of bookings that
 * expired unpaid, cancel owner-approval bookings whose authorization is about to lapse,
 * and retry settlements the provider refused.
 */
export async function runPaymentSweep(
  deps: PayingDeps,
): Promise<{ released: number; lapsed: number; settled: number }> {
  const { db, payments, clock } = deps
  const now = clock.now()
  let released = 0
  for (const row of await findAbandonedIntents(db)) {
    const intent = await payments.getIntent(row.paymentIntentId!)
    if (intent.status === 'requires_capture' || intent.status === 'succeeded') {
      await syncPayment(deps, intent.id) // paid after all: the webhook path decides
      continue
    }
    await recordPayment(
      deps,
      row.id,
      intent.status === 'canceled' ? intent : await releaseQuietly(payments, intent, row.id),
      now,
    )
    released++
  }
  // A series' authorization whose capture failed (the provider was down): try it again.
  for (const intentId of await findUncapturedSeriesIntents(db)) await syncPayment(deps, intentId)
  const lapsing = await findLapsingAuthorizations(db, now)
  for (const id of lapsing) {
    await cancelBooking(deps, id, { by: 'system', reason: 'not confirmed before the card authorization lapses' })
  }
  const settled = await retrySettlements(deps)
  return { released, lapsed: lapsing.length, settled }
}

/** Takes the authorized payment and confirms the booking (the owner's confirm, or at once without approval). */
async function captureAndConfirm(deps: PayingDeps, booking: BookingRow): Promise<BookingRow> {
  const intent = await capturePayment(deps.payments, booking)
  return (await recordPayment(deps, booking.id, intent, deps.clock.now())) ?? booking
}

/**
 * Records the intent on the booking and what it means for it: money captured confirms a
 * pending booking. The first time money is reserved the booking counts as made (its
 * messages go out); a pending booking that becomes confirmed gets its confirmation.
 */
async function recordPayment(
  deps: Pick<LifecycleDeps, 'db' | 'outbox'>,
  bookingId: string,
  intent: IntentState,
  now: number,
): Promise<BookingRow | undefined> {
  return deps.db.transaction(async (tx) => {
    const before = await lockBooking(tx, bookingId)
    if (!before) return undefined
    let after = await recordIntent(tx, bookingId, intent, now)
    if (after && isCaptured(intent) && after.status === 'pending')
      after = (await confirmPaid(tx, bookingId, now)) ?? after
    if (!after || after.status === 'cancelled') return after
    const nowPaid = after.paymentStatus === 'authorized' || after.paymentStatus === 'captured'
    if (
      awaitingPayment(before.paymentStatus) &&
      nowPaid &&
      before.amountAuthorized === 0 &&
      before.amountCaptured === 0
    )
      await deps.outbox.created(tx, after, now)
    else if (before.status === 'pending' && after.status === 'confirmed') await deps.outbox.confirmed(tx, after, now)
    return after
  })
}

/** The provider, or 422 `payment_unavailable` for a booking that takes payment on a server without one. */
function requirePayments(deps: LifecycleDeps): PaymentGateway {
  if (!deps.payments)
    throw new BookingError(
      'payment_unavailable',
      'This resource takes payment online, and online payment is not set up on this server.',
    )
  return deps.payments
}
