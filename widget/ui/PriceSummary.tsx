import { formatMoney } from '../../shared/money'
import { dueAtBooking } from '../../shared/payment-terms'
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
  const price = resource.price ? formatMoney(resource.price.amount, resource.price.currency, locale) : undefined
  let line: string | undefined
  if (price && dueNow) {
    // Once a booking asks for payment, the server's amount; before that the resource's terms.
    const due = state.payment?.value ?? dueNow
    line =
      resource.payment === 'deposit'
        ? t.payDeposit(formatMoney(due.amount, due.currency, locale), price)
        : t.payFull(price)
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
