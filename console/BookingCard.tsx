import { useState } from 'preact/hooks'
import { answerWords } from '../shared/intake-answers'
import {
  ACTION_LABELS,
  STATUS_LABELS,
  dayLabel,
  legalActions,
  paymentLabel,
  timeLabel,
  wallTime,
  type AdminBooking,
  type Notice,
  type OwnerAction,
} from './bookings-model'
import { MoveAction, type MoveHandlers } from './MoveBooking'
import { CancelSeriesAction, SeriesLine } from './SeriesActions'

export interface BookingCardProps {
  booking: AdminBooking
  resourceName: string
  /** The booking's resource's zone: its times are read in it. */
  resourceZone: string
  /** The owner's own zone (the browser's): shown beside when it reads differently. */
  ownerZone: string
  locale?: string
  now: number
  /** The action in progress on this booking, if any: its buttons wait. */
  busy?: boolean
  error?: string
  onAction: (booking: AdminBooking, action: OwnerAction) => void
  loadMessages: (booking: AdminBooking) => Promise<Notice[]>
  /** Cancels every future date of the booking's series and reloads; without it, no such action. */
  onCancelSeries?: (booking: AdminBooking) => Promise<void>
  /** Moves the booking (or its series from it) and reloads; without it, no "Move…". */
  move?: MoveHandlers
}

/**
 * One booking as the owner needs it: when (in the resource's zone, and the owner's), who
 * and how to reach them, what they wrote, where it stands and its money, and only the
 * actions that make sense right now. A card, so it reads the same on a phone.
 */
export function BookingCard({
  booking,
  resourceName,
  resourceZone,
  ownerZone,
  locale,
  now,
  busy,
  error,
  onAction,
  loadMessages,
  onCancelSeries,
  move,
}: BookingCardProps) {
  const [log, setLog] = useState<{ open: boolean; rows?: Notice[]; error?: string }>({ open: false })
  const times = timeLabel(booking.start, booking.end, resourceZone, ownerZone, locale)
  const date = wallTime(Date.parse(booking.start), resourceZone).date
  const money = paymentLabel(booking, locale)
  // In words under the questions as asked; the raw answers only from a server without them.
  const answers: [string, string, string][] = booking.answersReadable
    ? booking.answersReadable.map((a) => [a.questionId, a.question, a.answer])
    : Object.entries(booking.answers ?? {}).map(([id, answer]) => [
        id,
        id,
        typeof answer === 'boolean' ? (answer ? 'yes' : 'no') : answerWords(undefined, answer, 'en'),
      ])
  const titleId = `booking-${booking.id}-title`
  const errorId = `booking-${booking.id}-error`

  const toggleLog = async () => {
    if (log.open) return setLog({ ...log, open: false })
    setLog({ ...log, open: true })
    try {
      setLog({ open: true, rows: await loadMessages(booking) })
    } catch (e) {
      setLog({ open: true, error: (e as Error).message })
    }
  }

  return (
    <article class={`bk-card ${booking.status}`} aria-labelledby={titleId} data-ref={booking.ref}>
      <div class="bk-when">
        <h3 id={titleId}>
          <span class="bk-date">{dayLabel(date, locale)}</span> <span class="bk-time">{times.resource}</span>
          {times.owner && <span class="bk-owner-time muted"> ({times.owner})</span>}
        </h3>
        <p class="muted">
          {resourceName}
          {booking.seats !== undefined && booking.seats > 1 && (
            <span class="bk-seats"> · {booking.seats} places</span>
          )}{' '}
          · <code>{booking.ref}</code>
        </p>
        <SeriesLine booking={booking} />
      </div>
      <div class="bk-guest">
        <p class="bk-name">{booking.guest.name}</p>
        <p>
          <a href={`mailto:${booking.guest.email}`}>{booking.guest.email}</a>
        </p>
        {booking.guest.phone && (
          <p>
            <a href={`tel:${booking.guest.phone}`}>{booking.guest.phone}</a>
          </p>
        )}
      </div>
      <div class="bk-state">
        <p>
          <span class={`status ${booking.status}`}>{STATUS_LABELS[booking.status]}</span>
        </p>
        {money && <p class="bk-money">{money}</p>}
        {booking.status === 'cancelled' && booking.cancelReason && (
          <p class="muted">Cancelled ({booking.cancelReason})</p>
        )}
      </div>
      {(booking.notes || answers.length > 0) && (
        <dl class="bk-notes">
          {booking.notes && (
            <div>
              <dt>Notes</dt>
              <dd>{booking.notes}</dd>
            </div>
          )}
          {answers.map(([id, question, answer]) => (
            <div key={id}>
              <dt>{question}</dt>
              <dd>{answer}</dd>
            </div>
          ))}
        </dl>
      )}
      <div class="bk-actions" role="group" aria-label={`Actions for ${booking.ref}`}>
        {legalActions(booking, now).map((action) => (
          <button
            key={action}
            type="button"
            class={action === 'cancel' ? 'danger' : ''}
            disabled={busy}
            aria-describedby={error ? errorId : undefined}
            onClick={() => onAction(booking, action)}
          >
            {ACTION_LABELS[action]}
          </button>
        ))}
        <button type="button" aria-expanded={log.open} onClick={() => void toggleLog()}>
          Messages
        </button>
        {move && (
          <MoveAction booking={booking} zone={resourceZone} locale={locale} now={now} disabled={busy} handlers={move} />
        )}
        {onCancelSeries && <CancelSeriesAction booking={booking} disabled={busy} onConfirm={onCancelSeries} />}
      </div>
      {error && (
        <p id={errorId} class="error" role="alert">
          {error}
        </p>
      )}
      {log.open && <MessageLog rows={log.rows} error={log.error} />}
    </article>
  )
}

function MessageLog({ rows, error }: { rows: Notice[] | undefined; error: string | undefined }) {
  if (error) return <p class="error">{error}</p>
  if (!rows) return <p class="muted">Loading messages…</p>
  if (rows.length === 0) return <p class="muted">No messages for this booking.</p>
  return (
    <ul class="bk-log" aria-label="Messages">
      {rows.map((n) => (
        <li key={n.id}>
          <strong>
            {n.event.replace(/_/g, ' ')} · {n.channel}
          </strong>{' '}
          to {n.recipient ?? '—'}: {n.status}
          {n.skipReason ? ` (${n.skipReason})` : ''}
          {n.lastError ? ` — ${n.lastError}` : ''}
          {n.attempts > 1 ? ` · ${n.attempts} tries` : ''}
          <span class="muted"> · {new Date(n.sentAt ?? n.sendAfter).toLocaleString()}</span>
        </li>
      ))}
    </ul>
  )
}
