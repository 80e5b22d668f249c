import { useEffect, useRef, useState } from 'preact/hooks'
import { formatMoney } from '../../shared/money'
import { formatSlotRange } from '../format-time'
import type { CardPayment } from '../payment/stripe-payment'
import { withLaterSteps } from '../models/later-steps'
import type { BookingState } from '../state'
import { PriceSummary } from './PriceSummary'

/**
 * The card step of a booking that takes payment: what is paid and under which policy,
 * then Stripe's Payment Element (loaded only now) and the pay button. A weekly series pays
 * once for every date: its first date is shown, with how many dates and how often.
 */
export function PaymentStep(props: { state: BookingState }) {
  const state = withLaterSteps(props.state)
  const { t, locale } = state
  const booking = state.booking.value
  const due = state.payment.value
  const heading = useRef<HTMLHeadingElement>(null)
  const slot = useRef<HTMLDivElement>(null)
  const [card, setCard] = useState<CardPayment | undefined>(undefined)
  const [failed, setFailed] = useState(false)

  useEffect(() => {
    heading.current?.focus()
    let mounted: CardPayment | undefined
    let gone = false
    if (slot.current) {
      state.mountCard(slot.current).then(
        (ready) => {
          mounted = ready
          if (gone) ready.destroy()
          else setCard(ready)
        },
        () => !gone && setFailed(true),
      )
    }
    return () => {
      gone = true
      mounted?.destroy()
    }
  }, [])

  if (!booking || !due) return null
  const busy = state.busy.value
  const amount = formatMoney(due.amount, due.currency, locale)
  const series = state.series.value
  const dates =
    series?.bookings[0]?.ref === booking.ref ? series.bookings.filter((each) => each.status !== 'cancelled') : undefined
  return (
    <form
      class="details"
      onSubmit={(event) => {
        event.preventDefault()
        if (card) void state.pay(card)
      }}
    >
      <h3 ref={heading} tabIndex={-1}>
        {t.paymentTitle}
      </h3>
      <p>{formatSlotRange(booking, state.zone.value, locale)}</p>
      {/* A series' terms per date (its total follows); a single booking's as the server asks. */}
      <PriceSummary state={dates ? props.state : state} />
      {series && dates && (
        <p class="series-due">
          <strong>{t.repeat.payFor(dates.length, series.everyWeeks, amount)}</strong>
        </p>
      )}
      {failed ? (
        <p class="notice" role="alert">
          {t.paymentUnavailable}
        </p>
      ) : (
        !card && (
          <p class="muted" role="status">
            {t.paymentLoading}
          </p>
        )
      )}
      <div class="card-element" ref={slot} />
      <div class="actions">
        <button type="submit" class="primary" disabled={!card || busy}>
          {busy ? t.paying : t.pay(amount)}
        </button>
      </div>
    </form>
  )
}
