import { useEffect, useRef, useState } from 'preact/hooks'
import type { CancelledSeries } from '../shared/api-contract'
import { describeProblem } from './api'
import type { AdminBooking } from './bookings-model'

/*
 * A booking that is one date of a recurring series says so on its card, and offers to cancel
 * every date still to come at once (each refunded by its own policy), after asking.
 */

/** "Repeats every week · series Q4M2XK7D", for a date of a series; nothing otherwise. */
export function SeriesLine({ booking }: { booking: AdminBooking }) {
  if (!booking.seriesRef && !booking.seriesId) return null
  const every = booking.seriesEveryWeeks
  const repeats = every === undefined ? 'Repeats' : every === 1 ? 'Repeats every week' : `Repeats every ${every} weeks`
  return (
    <p class="muted bk-series">
      {repeats} · series <code>{booking.seriesRef ?? booking.seriesId}</code>
    </p>
  )
}

/**
 * "Cancel the whole series…", then the question in place of the button. `onConfirm` cancels
 * and reloads; its refusal shows here, beside the question.
 */
export function CancelSeriesAction({
  booking,
  disabled,
  onConfirm,
}: {
  booking: AdminBooking
  disabled?: boolean
  onConfirm: (booking: AdminBooking) => Promise<void>
}) {
  const [asking, setAsking] = useState(false)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | undefined>(undefined)
  const keep = useRef<HTMLButtonElement>(null)
  const open = useRef<HTMLButtonElement>(null)
  const asked = useRef(false)
  useEffect(() => {
    // The question takes the focus; answered "keep", it goes back to the button that asked.
    if (asking) keep.current?.focus()
    else if (asked.current) open.current?.focus()
    asked.current = asking
  }, [asking])
  if (!booking.seriesId) return null
  const name = booking.seriesRef ?? booking.seriesId
  const questionId = `series-${booking.id}-cancel`

  const confirm = async () => {
    setBusy(true)
    setProblem(undefined)
    try {
      await onConfirm(booking)
      setAsking(false)
    } catch (e) {
      setProblem(describeProblem(e))
    } finally {
      setBusy(false)
    }
  }

  if (!asking)
    return (
      <button type="button" class="danger" ref={open} disabled={disabled} onClick={() => setAsking(true)}>
        Cancel the whole series…
      </button>
    )
  return (
    // A whole row of the card's actions, so the question reads on a phone.
    <div role="group" aria-labelledby={questionId} style={{ flexBasis: '100%' }}>
      <p id={questionId}>
        Cancel every date of series <code>{name}</code> still to come? Each is cancelled on its own terms, refunded by
        your cancellation policy; dates already past stay as they are.
      </p>
      <div class="row">
        <button type="button" class="danger-fill" disabled={busy} onClick={() => void confirm()}>
          Cancel the series
        </button>
        <button type="button" ref={keep} disabled={busy} onClick={() => setAsking(false)}>
          Keep it
        </button>
      </div>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </div>
  )
}

/** What the owner is told afterwards: how many dates went, and any kept with the reason. */
export function seriesCancelledWords(name: string, outcome: Pick<CancelledSeries, 'cancelled' | 'kept'>): string {
  const count = outcome.cancelled.length
  const gone =
    count === 0
      ? `Series ${name} had no dates left to cancel`
      : `Series ${name} cancelled: ${count === 1 ? '1 date' : `${count} dates`} (${outcome.cancelled.join(', ')})`
  const kept = outcome.kept.map((k) => `${k.ref} kept: ${k.reason}`)
  return [`${gone}.`, ...kept].join(' ')
}
