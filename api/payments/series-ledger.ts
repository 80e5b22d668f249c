import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import { bookings, type BookingRow } from '../../drizzle/schema'
import { isActive } from '../../shared/booking-status'
import type { CancellationSettlement } from '../../shared/types'
import type { Database } from '../db/database'
import type { Transaction } from '../notify/outbox'
import { IntentUnavailable, isCaptured, type PaymentDeps, type PaymentStart } from './booking-payments'
import type { IntentState } from './gateway'

/*
 * The money of a prepaid series: ONE PaymentIntent for all its dates, so the guest pays once,
 * and each date's row keeps its own share of it as if it were a booking of its own: `amount`
 * is what one date costs, `amount_captured` that date's part of the capture, `amount_refunded`
 * what its own cancellation gave back. A date's cancellation then refunds its share by its own
 * policy (a partial refund of the shared intent), with the same settlement code as a single
 * booking. The intent's totals are never copied onto a date: they are the sum of all of them.
 */

/** Every date of a series that shares this intent, in date order. */
export async function findIntentDates(db: Database | Transaction, intentId: string): Promise<BookingRow[]> {
  return db.select().from(bookings).where(eq(bookings.paymentIntentId, intentId)).orderBy(asc(bookings.startsAt))
}

/** The same dates, locked (by id, the order every multi-row writer takes) for the rest of the transaction. */
export async function lockIntentDates(tx: Transaction, intentId: string): Promise<BookingRow[]> {
  const rows = await tx
    .select()
    .from(bookings)
    .where(eq(bookings.paymentIntentId, intentId))
    .orderBy(asc(bookings.id))
    .for('update')
  return rows.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
}

/**
 * What cancelling a date of a series that has not paid yet means for the shared intent: the
 * date simply drops out of what will be captured, and the intent stays open for the dates
 * still holding their time. Only the last of them stops it (released, as a single booking's).
 */
export async function planUnpaidDateSettlement(
  tx: Transaction,
  row: BookingRow,
  tier: CancellationSettlement['tier'],
  percent: number,
): Promise<CancellationSettlement> {
  const base = { tier, percent, currency: row.currency, refund: 0, kept: 0, attempts: 0 }
  // Two dates cancelled at once queue here, so the second sees the first gone and stops the intent.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`series-payment:${row.paymentIntentId}`}, 0))`)
  const dates = row.paymentIntentId ? await findIntentDates(tx, row.paymentIntentId) : []
  const inUse = dates.some((date) => date.id !== row.id && isActive(date.status))
  if (inUse || !row.paymentIntentId || row.paymentStatus === 'canceled')
    return { ...base, method: 'none', state: 'done' }
  return { ...base, method: 'release', state: 'pending' }
}

/** What the dates still holding their time cost together: the amount to take now. */
export function amountOfActiveDates(dates: readonly BookingRow[]): number {
  return dates.filter((date) => isActive(date.status)).reduce((sum, date) => sum + (date.amount ?? 0), 0)
}

/**
 * The series' intent (made the first time, read after that) for the sum of its dates, and
 * what the card form needs. Every date records the intent's id. Throws `IntentUnavailable`
 * when the provider cannot be reached.
 */
export async function openSeriesIntent(
  deps: PaymentDeps,
  dates: readonly BookingRow[],
  description: string,
): Promise<PaymentStart> {
  const [first] = dates
  if (!first?.seriesId || !first.currency) throw new Error('a series payment needs its dates')
  const existing = dates.find((date) => date.paymentIntentId)?.paymentIntentId
  let intent: IntentState
  try {
    intent = existing
      ? await deps.payments.getIntent(existing)
      : await deps.payments.createIntent({
          // The first date's id keys the intent (`pi-create:<id>`): a retry gets the same one.
          bookingId: first.id,
          resourceId: first.resourceId,
          ref: first.ref,
          amount: amountOfActiveDates(dates),
          currency: first.currency,
          description,
        })
  } catch (error) {
    throw new IntentUnavailable({ cause: error })
  }
  await deps.db
    .update(bookings)
    .set({ paymentIntentId: intent.id })
    .where(and(eq(bookings.seriesId, first.seriesId), isNull(bookings.paymentIntentId), sql`${bookings.amount} > 0`))
  if (!intent.clientSecret) throw new Error(`intent ${intent.id} has no client secret`)
  return {
    clientSecret: intent.clientSecret,
    publishableKey: deps.payments.publishableKey,
    amount: intent.amount,
    currency: intent.currency,
  }
}

/** One date's share after the intent moved, and whether its share was taken by a capture it was no longer part of. */
export interface DateShare {
  row: BookingRow
  /** Cancelled while unpaid, yet captured with the others (a cancel racing the capture): refunded in full. */
  refundInFull: boolean
}

/**
 * Records the intent's state on each locked date as that date's share (never the intent's
 * totals). Captured money is handed out to the dates that still hold their time first, in
 * date order, then to any cancelled in the moments before the capture (they get it all back).
 * A date's status is not written here: the lifecycle decides (api/bookings/series-payment.ts).
 */
export async function recordSeriesIntent(
  tx: Transaction,
  dates: readonly BookingRow[],
  intent: IntentState,
  now: number,
): Promise<DateShare[]> {
  const at = new Date(now)
  const captured = isCaptured(intent)
  let unassigned = captured ? intent.amountReceived - dates.reduce((sum, d) => sum + d.amountCaptured, 0) : 0
  const shareOf = (date: BookingRow): number => {
    if (!captured || date.amountCaptured > 0 || !date.amount) return date.amountCaptured
    const share = Math.min(date.amount, Math.max(0, unassigned))
    unassigned -= share
    return share
  }
  const ordered = [...dates.filter((d) => isActive(d.status)), ...dates.filter((d) => !isActive(d.status))]
  const result: DateShare[] = []
  for (const date of ordered) {
    const amountCaptured = shareOf(date)
    const holdsTime = isActive(date.status)
    const paymentStatus = statusOfShare(date, intent, amountCaptured, holdsTime)
    const refundInFull = !holdsTime && amountCaptured > 0 && date.amountCaptured === 0
    const settlement: CancellationSettlement | null = refundInFull
      ? {
          tier: date.settlement?.tier ?? 'full_refund',
          percent: 100,
          refund: amountCaptured,
          kept: 0,
          currency: date.currency,
          method: 'refund',
          state: 'pending',
          attempts: 0,
        }
      : date.settlement
    const [row] = await tx
      .update(bookings)
      .set({
        paymentStatus,
        amountAuthorized:
          intent.status === 'requires_capture' && holdsTime ? (date.amount ?? 0) : date.amountAuthorized,
        amountCaptured,
        captureBefore: intent.captureBefore !== undefined ? new Date(intent.captureBefore) : date.captureBefore,
        expiresAt: holdsTime && (intent.status === 'requires_capture' || captured) ? null : date.expiresAt,
        confirmedAt: captured && holdsTime ? (date.confirmedAt ?? at) : date.confirmedAt,
        settlement,
        updatedAt: at,
      })
      .where(eq(bookings.id, date.id))
      .returning()
    if (row) result.push({ row, refundInFull })
  }
  return result.sort((a, b) => a.row.startsAt.getTime() - b.row.startsAt.getTime())
}

function statusOfShare(
  date: BookingRow,
  intent: IntentState,
  amountCaptured: number,
  holdsTime: boolean,
): NonNullable<BookingRow['paymentStatus']> {
  if (amountCaptured > 0) return 'captured'
  switch (intent.status) {
    case 'requires_capture':
      return holdsTime ? 'authorized' : 'canceled'
    // Taken without this date (it was cancelled before the capture), or released.
    case 'succeeded':
    case 'canceled':
      return 'canceled'
    case 'requires_payment_method':
      return date.paymentStatus === 'requires_payment' && date.amountAuthorized === 0 ? 'requires_payment' : 'failed'
    default:
      return date.paymentStatus ?? 'requires_payment'
  }
}
