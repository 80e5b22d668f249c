import { useEffect, useRef, useState } from 'preact/hooks'
import { formatMoney } from '../shared/money'
import { describeProblem } from './api'
import { overrideRefund, parsePercent, refundBasis, type AdminBooking } from './bookings-model'

/** What `POST /v1/admin/bookings/:id/cancel` takes: no `refundPercent` means the policy decides. */
export interface CancelRequest {
  refundPercent?: number
  reason?: string
}

export interface CancelDialogProps {
  booking: AdminBooking
  /** The booking's time as the card shows it ("09:00–10:00 Berlin time (08:00 London)"). */
  when: string
  locale?: string
  onClose: () => void
  /** Sends the cancel; rejects with the API's error, which the dialog shows. */
  onConfirm: (request: CancelRequest) => Promise<void>
}

const FOCUSABLE =
  'button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])'

/**
 * Cancelling a booking, in the page: what the policy refunds right now, or a share the owner
 * chooses instead, and an optional reason. With no money paid online there is nothing to
 * share out, so the dialog says no money moves and asks only for the reason. A modal
 * <dialog> keeps focus inside (Tab wraps around too) and closes on Esc; focus goes back to
 * the button that opened it.
 */
export function CancelDialog({ booking, when, locale, onClose, onConfirm }: CancelDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null)
  const percentInput = useRef<HTMLInputElement>(null)
  const policy = booking.cancellation
  const [choice, setChoice] = useState<'policy' | 'override'>('policy')
  const [percentText, setPercentText] = useState(policy ? String(policy.percent) : '')
  const [percentError, setPercentError] = useState<string | undefined>(undefined)
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | undefined>(undefined)

  // Read while rendering, before anything on the page changes in this update.
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : undefined))
  useEffect(() => {
    const element = dialog.current
    if (!element) return undefined
    if (!element.open) element.showModal()
    focusables(element)[0]?.focus()
    return () => {
      if (element.open) element.close()
      if (opener?.isConnected) opener.focus()
    }
  }, [])

  const payment = booking.payment
  const basis = refundBasis(payment)
  const currency = payment?.currency ?? policy?.refund?.currency
  const money = (minor: number) => (currency ? formatMoney(minor, currency, locale) : String(minor))
  const typedPercent = parsePercent(percentText)
  // Nothing captured or authorized: any percentage of nothing is nothing, so no choice is offered.
  const refundable = basis > 0
  const id = (part: string) => `cancel-${booking.id}-${part}`

  const close = () => {
    if (!busy) onClose()
  }
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      close()
      return
    }
    if (event.key !== 'Tab' || !dialog.current) return
    const items = focusables(dialog.current)
    const first = items[0]
    const last = items[items.length - 1]
    const active = document.activeElement
    if (!first || !last) return
    if (event.shiftKey && (active === first || !dialog.current.contains(active))) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && (active === last || !dialog.current.contains(active))) {
      event.preventDefault()
      first.focus()
    }
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    const request: CancelRequest = {}
    if (refundable && choice === 'override') {
      if (typedPercent === undefined) {
        setPercentError('Enter a whole number from 0 to 100.')
        percentInput.current?.focus()
        return
      }
      request.refundPercent = typedPercent
    }
    const because = reason.trim()
    if (because) request.reason = because
    setBusy(true)
    setError(undefined)
    try {
      await onConfirm(request)
    } catch (e) {
      setError(describeProblem(e))
      setBusy(false)
    }
  }

  return (
    <dialog
      ref={dialog}
      class="bk-dialog"
      aria-labelledby={id('title')}
      aria-describedby={id('policy')}
      onKeyDown={onKeyDown}
      onCancel={(event) => {
        // Esc from the browser itself: the page decides when the dialog goes.
        event.preventDefault()
        close()
      }}
    >
      <form onSubmit={(e) => void submit(e)}>
        <h2 id={id('title')}>Cancel booking {booking.ref}?</h2>
        <p>
          {booking.guest.name} · {when}
        </p>
        <p id={id('policy')} class="bk-policy">
          {policyText(booking, basis, money)}
        </p>
        {refundable && (
          <fieldset>
            <legend>Refund to the guest</legend>
            <label class="check">
              <input
                type="radio"
                name={id('refund')}
                value="policy"
                checked={choice === 'policy'}
                onChange={() => setChoice('policy')}
              />
              {policy
                ? `As the policy says: ${policy.percent} % (${money(overrideRefund(payment, policy.percent))})`
                : 'As the policy says'}
            </label>
            <label class="check">
              <input
                type="radio"
                name={id('refund')}
                value="override"
                checked={choice === 'override'}
                onChange={() => setChoice('override')}
              />
              A share I choose
            </label>
            <label class="bk-percent">
              Refund percentage (0–100)
              <span class="row">
                <input
                  ref={percentInput}
                  type="text"
                  inputMode="numeric"
                  autoComplete="off"
                  value={percentText}
                  aria-invalid={percentError ? true : undefined}
                  aria-describedby={percentError ? id('percent-error') : id('percent-amount')}
                  onInput={(e) => {
                    setPercentText((e.currentTarget as HTMLInputElement).value)
                    setChoice('override')
                    setPercentError(undefined)
                  }}
                />
                <span aria-hidden="true">%</span>
              </span>
            </label>
            {percentError ? (
              <p id={id('percent-error')} class="error">
                {percentError}
              </p>
            ) : (
              <p id={id('percent-amount')} class="muted">
                {choice === 'override' && typedPercent !== undefined
                  ? `${money(overrideRefund(payment, typedPercent))} back to the guest.`
                  : ''}
              </p>
            )}
          </fieldset>
        )}
        <label>
          Reason (optional)
          <textarea
            rows={2}
            maxLength={500}
            value={reason}
            onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)}
          />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="bk-dialog-actions">
          <button type="button" onClick={close} disabled={busy}>
            Keep booking
          </button>
          <button type="submit" class="danger-fill" disabled={busy}>
            {busy ? 'Cancelling…' : 'Cancel booking'}
          </button>
        </div>
      </form>
    </dialog>
  )
}

function policyText(booking: AdminBooking, basis: number, money: (minor: number) => string): string {
  const policy = booking.cancellation
  if (basis === 0) {
    const payment = booking.payment
    if (payment?.status === 'requires_payment')
      return 'The guest has not paid, so no money moves; the payment is stopped.'
    if (payment && payment.captured > 0) return 'What the guest paid online was already refunded, so no money moves.'
    return 'Nothing was paid online for this booking, so no money moves.'
  }
  if (!policy) return `Paid: ${money(basis)}. The booking's cancellation policy decides the refund.`
  const refund = policy.refund?.amount ?? 0
  return `Cancelled now, the policy gives back ${policy.percent} %: ${money(refund)} of ${money(basis)}.`
}

function focusables(root: HTMLElement): HTMLElement[] {
  // Of a radio group only the checked one is reached with Tab.
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => !(el instanceof HTMLInputElement && el.type === 'radio' && !el.checked),
  )
}
