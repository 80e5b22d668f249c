import { formatMoney } from '../../shared/money'
import { describePolicy } from '../policy-text'
import type { BookingState } from '../state'

/** Price, what is paid now (all or a deposit) and the cancellation policy, in plain words. */
export function PriceSummary({ state }: { state: BookingState }) {
  const resource = state.resource.value
  const { t, locale } = state
  if (!resource?.price || !resource.payment || resource.payment === 'none') return null
  const price = formatMoney(resource.price.amount, resource.price.currency, locale)
  const due = state.payment.value ?? resource.deposit
  const now = due ? formatMoney(due.amount, due.currency, locale) : price
  return (
    <div class="price">
      <p>
        <strong>{resource.payment === 'deposit' ? t.payDeposit(now, price) : t.payFull(price)}</strong>
      </p>
      <ul class="policy">
        {describePolicy(resource.cancellationPolicy, t).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </div>
  )
}
