import { useEffect, useRef, useState } from 'preact/hooks'
import { formatSlotRange } from '../format-time'
import type { BookingState, GuestDraft } from '../state'
import { PriceSummary } from './PriceSummary'

/**
 * The guest's details while their hold runs, with the time left to finish. When moving an
 * existing booking there is nothing to type: the held time is confirmed instead.
 */
export function DetailsForm({ state }: { state: BookingState }) {
  const { t, locale } = state
  const hold = state.hold.value
  const heading = useRef<HTMLHeadingElement>(null)
  const secondsLeft = useCountdown(hold?.expiresAt, () => void state.holdExpired())
  useEffect(() => heading.current?.focus(), [])
  if (!hold) return null

  const onSubmit = (event: Event) => {
    event.preventDefault()
    if (state.isReschedule) return void state.confirmMove()
    const form = new FormData(event.currentTarget as HTMLFormElement)
    const field = (name: keyof GuestDraft) => String(form.get(name) ?? '')
    void state.submitDetails({ name: field('name'), email: field('email'), phone: field('phone'), notes: field('notes') })
  }
  const draft = state.draft.value
  const busy = state.busy.value
  const payment = state.resource.value?.payment
  const takesPayment = payment === 'full' || payment === 'deposit'
  return (
    <form class="details" onSubmit={onSubmit}>
      <h3 ref={heading} tabIndex={-1}>
        {formatSlotRange(hold, state.zone.value, locale)}
      </h3>
      <p class="muted" role="timer" aria-live="off">
        {t.heldFor(formatCountdown(secondsLeft))}
      </p>
      {/* Announced once, when a minute is left; the ticking timer itself stays quiet. */}
      <p class="sr" aria-live="assertive">
        {secondsLeft > 0 && secondsLeft <= 60 ? t.minuteLeft : ''}
      </p>
      {!state.isReschedule && <PriceSummary state={state} />}
      {!state.isReschedule && (
        <>
          <label>
            {t.name} <input name="name" autoComplete="name" required maxLength={200} value={draft.name} />
          </label>
          <label>
            {t.email} <input name="email" type="email" autoComplete="email" required maxLength={254} value={draft.email} />
          </label>
          <label>
            {t.phone}{' '}
            <input name="phone" type="tel" autoComplete="tel" placeholder="+44 20 7123 4567" maxLength={32} value={draft.phone} />
          </label>
          <label>
            {t.notes} <textarea name="notes" rows={2} maxLength={2000} value={draft.notes} />
          </label>
        </>
      )}
      <div class="actions">
        <button type="button" onClick={() => void state.backToSlots()} disabled={busy}>
          {t.back}
        </button>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t.booking : state.isReschedule ? t.moveHere : takesPayment ? t.continueToPay : t.book}
        </button>
      </div>
    </form>
  )
}

function useCountdown(until: string | undefined, onZero: () => void): number {
  const left = () => (until ? Math.max(0, Math.round((Date.parse(until) - Date.now()) / 1000)) : 0)
  const [seconds, setSeconds] = useState(left)
  useEffect(() => {
    if (!until) return undefined
    const timer = setInterval(() => {
      const next = left()
      setSeconds(next)
      if (next === 0) {
        clearInterval(timer)
        onZero()
      }
    }, 1000)
    return () => clearInterval(timer)
  }, [until])
  return seconds
}

function formatCountdown(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
}
