import { formatMoney } from '../../shared/money'
import { dueAtBooking } from '../../shared/payment-terms'
import { formatSpanTotal } from '../format-time'
import { describePolicy } from '../policy-text'
import type { LaterState } from '../models/later-steps'
import type { BookingState } from '../state'

/**
 * Price, what is paid now (all, a deposit, or nothing online: "paid on site") and the
 * cancellation policy, in plain words. Nothing for a free resource without a policy.
 */
export function PriceSummary({ state }: { state: BookingState & Partial<Pick<LaterState, 'payment'>> }) {
  const resource = state.resource.value
  const { t, locale } = state
  if (!resource) return null
  const dueNow = dueAtBooking(resource)
  // A price of a shared resource is per place: the guest reads the total for the places chosen.
  const seats = state.seats.value
  const money = (amount: number, currency: string) => formatMoney(amount * seats, currency, locale)
  const price = resource.price
    ? money(resource.price.amount, resource.price.currency) +
      (seats > 1 ? ` (${seats} × ${formatMoney(resource.price.amount, resource.price.currency, locale)})` : '')
    : undefined
  let line: string | undefined
  // A span across days: its total once held ("3 days × €49.00 = €147.00"), the price per day or night before.
  const span = resource.span
  const held = span ? state.hold.value : undefined
  if (span && resource.price && price) {
    const whole =
      (held && formatSpanTotal(t, span, resource.price, held, resource.timezone, locale)) ||
      (span.pricing === 'per_night' ? t.perNight(price) : t.perDay(price))
    const server = state.payment?.value
    const deposit = server ?? dueNow
    line = !dueNow
      ? t.payOnSite(whole)
      : resource.payment === 'deposit' && deposit
        ? t.payDeposit(formatMoney(deposit.amount, deposit.currency, locale), whole)
        : t.payFull(whole)
  } else if (price && dueNow) {
    // Once a booking asks for payment, the server's amount (already for every place); before that the resource's terms.
    const server = state.payment?.value
    const due = server ? formatMoney(server.amount, server.currency, locale) : money(dueNow.amount, dueNow.currency)
    line = resource.payment === 'deposit' ? t.payDeposit(due, price) : t.payFull(price)
  } else if (price) line = t.payOnSite(price)
  // The policy matters once money or a firm commitment is involved; a free, policy-less
  // resource would only get "free cancellation until the start", which is noise.
  const notice = {
    minRescheduleNoticeHours: resource.minRescheduleNoticeHours,
    minCancelNoticeHours: resource.minCancelNoticeHours,
  }
  const committed =
    dueNow || resource.cancellationPolicy || notice.minRescheduleNoticeHours || notice.minCancelNoticeHours
  const policy = committed ? describePolicy(resource.cancellationPolicy, t, notice) : []
  if (!line && policy.length === 0) return null
  return (
    <div class="price">
      {line && (
        <p>
          <strong>{line}</strong>
        </p>
      )}
      {policy.length > 0 && (
        <ul class="policy">
          {policy.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      )}
    </div>
  )
}
