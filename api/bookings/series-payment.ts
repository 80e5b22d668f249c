import type { BookingRow } from '../../drizzle/schema'
import { isActive } from '../../shared/booking-status'
import { BookingError } from '../../shared/errors'
import type { LifecycleDeps } from './lifecycle'
import { executeSettlement, isCaptured, releaseQuietly } from '../payments/booking-payments'
import { PaymentProviderError, type IntentState, type PaymentGateway } from '../payments/gateway'
import { amountOfActiveDates, findIntentDates, lockIntentDates, recordSeriesIntent } from '../payments/series-ledger'
import { confirmPaid, reoccupyExpiredBooking } from '../store/bookings'
import { findResourceById } from '../store/resources'

/*
 * The lifecycle of a prepaid series' one payment (its money per date: api/payments/series-ledger.ts).
 *
 * The guest's card is authorized once for every date. It is captured at once, even where the
 * owner approves bookings: a card authorization lapses within about a week, a series runs
 * for weeks, and with one intent there is no capturing date by date. What is captured is
 * what the dates still holding their time cost (a date cancelled before is left out). The
 * series is then announced once, by its first date, and every date is confirmed, unless the
 * owner approves bookings: then each date waits, paid, for the owner, and a date the owner
 * declines is refunded by its policy like any paid booking's cancellation.
 */

type PayingDeps = LifecycleDeps & { payments: PaymentGateway }

/**
 * Brings every date of a series in line with its shared intent as the provider reports it
 * now (the webhook and the sweep call it through `syncPayment`). Safe to run twice and at
 * once: the capture is keyed by the series and amount, and the dates are recorded locked.
 */
export async function syncSeriesPayment(deps: PayingDeps, intent: IntentState): Promise<BookingRow[]> {
  const { db, payments, clock, logger } = deps
  if (intent.status !== 'requires_capture') return recordSeriesPayment(deps, intent)

  // Paid after the window closed: each date takes its time back where it is still free.
  for (const date of await findIntentDates(db, intent.id)) {
    if (date.status !== 'cancelled' || date.cancelReason !== 'expired' || date.settlement) continue
    try {
      await reoccupyExpiredBooking(db, date.id, clock.now())
    } catch (error) {
      if (!(error instanceof BookingError && (error.code === 'slot_taken' || error.code === 'limit_reached')))
        throw error
      logger.info('a series date was taken while its payment was late; it stays cancelled', { bookingId: date.id })
    }
  }
  // Authorized: the dates stop expiring before the capture is attempted.
  const dates = await recordSeriesPayment(deps, intent)
  const due = amountOfActiveDates(dates)
  const first = dates[0]
  if (!first) return dates
  if (due === 0) {
    logger.info('every date of a series was cancelled before its payment came; releasing it', { intentId: intent.id })
    return recordSeriesPayment(deps, await releaseQuietly(payments, intent, first.id))
  }
  return recordSeriesPayment(deps, await captureSeries(payments, intent, first.seriesId ?? first.id, due))
}

/** Takes `amount` of the series' authorization; the provider's state decides when a twin got there first. */
async function captureSeries(
  payments: PaymentGateway,
  intent: IntentState,
  seriesId: string,
  amount: number,
): Promise<IntentState> {
  try {
    // Keyed by the amount too: a retry after a date was cancelled asks for less, never replays more.
    return await payments.capture(intent.id, Math.min(amount, intent.amountCapturable), `capture:${seriesId}:${amount}`)
  } catch (error) {
    if (!(error instanceof PaymentProviderError) || error.status === undefined || error.status >= 500) throw error
    return payments.getIntent(intent.id)
  }
}

/**
 * Records the intent on every date sharing it and what that means for them: captured money
 * confirms the dates still pending (unless the owner approves them), and the first capture
 * announces the series. A date whose share was captured after it was cancelled gets it back.
 */
async function recordSeriesPayment(deps: PayingDeps, intent: IntentState): Promise<BookingRow[]> {
  const now = deps.clock.now()
  const [any] = await findIntentDates(deps.db, intent.id)
  if (!any) return []
  // Read before the transaction: on an embedded database with one connection it would wait for itself.
  const approval = (await findResourceById(deps.db, any.resourceId))?.config.requiresConfirmation === true
  const { rows, refunds } = await deps.db.transaction(async (tx) => {
    const before = await lockIntentDates(tx, intent.id)
    if (before.length === 0) return { rows: [], refunds: [] }
    const wasCaptured = before.some((date) => date.amountCaptured > 0)
    const shares = await recordSeriesIntent(tx, before, intent, now)
    const after: BookingRow[] = []
    for (const { row } of shares) {
      const confirm = isCaptured(intent) && row.status === 'pending' && row.amountCaptured > 0 && !approval
      after.push(confirm ? ((await confirmPaid(tx, row.id, now)) ?? row) : row)
    }
    const holding = after.filter((date) => isActive(date.status))
    if (!wasCaptured && isCaptured(intent) && holding.length > 0) await deps.outbox.seriesPaid(tx, holding, now)
    return { rows: after, refunds: shares.filter((share) => share.refundInFull).map((share) => share.row) }
  })
  for (const row of refunds) await executeSettlement(deps, row)
  return rows
}
