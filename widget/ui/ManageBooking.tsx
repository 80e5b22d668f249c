import { signal } from '@preact/signals'
import { useEffect, useMemo, useRef } from 'preact/hooks'
import type { PublicBooking, PublicResource } from '../../shared/types'
import type { BookingClient, ClientError, ClientErrorCode } from '../client'
import { formatMoney } from '../../shared/money'
import { errorText } from '../error-text'
import { formatRangeWithZone } from '../format-time'
import type { Messages } from '../i18n'
import { createBookingState } from '../state'
import { BookingWidget } from './BookingWidget'
import { CalendarLinks } from './CalendarLinks'

export interface ManageBookingProps {
  client: BookingClient
  ref_: string
  token: string
  zone: string
  t: Messages
  locale: string
  onError: (error: ClientError) => void
  onChanged: (booking: PublicBooking) => void
}

type View = 'show' | 'confirm-cancel' | 'reschedule'

/** The longest reason the API takes. */
const REASON_MAX = 500

/**
 * The guest's own booking, opened from the manage link: its time and status, and the two
 * things a guest may do with it: cancel it (seeing first what they get back), or move it
 * to another free time.
 */
export function ManageBooking(props: ManageBookingProps) {
  const { client, t, locale, zone } = props
  const model = useMemo(() => {
    const booking = signal<PublicBooking | undefined>(undefined)
    const resource = signal<PublicResource | undefined>(undefined)
    // Codes, not sentences: the words are looked up at render, in the language shown then.
    const failure = signal<ClientErrorCode | undefined>(undefined)
    const view = signal<View>('show')
    const busy = signal(false)
    const done = signal<'moved' | 'cancelled' | undefined>(undefined)
    /** What the guest types as the reason; lives here so no re-render or "Keep it" loses it. */
    const reason = signal('')
    return { booking, resource, failure, view, busy, done, reason }
  }, [])
  const heading = useRef<HTMLHeadingElement>(null)
  const question = useRef<HTMLParagraphElement>(null)

  const show = (error: ClientError) => {
    model.failure.value = error.code
    if (error.code !== 'not_found') props.onError(error)
  }

  const fetchBooking = async () => {
    const result = await client.getBooking(props.ref_, props.token)
    if (result.error) return show(result.error)
    model.booking.value = result.data
    return result.data
  }

  useEffect(() => {
    if (!props.ref_ || !props.token) return show({ code: 'not_found', message: '' })
    void fetchBooking().then(async (booking) => {
      if (!booking) return
      const resource = await client.getResource(booking.resourceId)
      if (resource.data) model.resource.value = resource.data
    })
  }, [])

  const view = model.view.value
  useEffect(() => {
    if (view === 'show') heading.current?.focus()
    else if (view === 'confirm-cancel') question.current?.focus()
  }, [view])

  const booking = model.booking.value
  const failure = model.failure.value
  // A wrong or stale link is the guest's "not valid" message, not the resource's.
  const failureText = failure && (failure === 'not_found' ? t.notFound : errorText(t, failure))
  if (!booking) {
    return (
      <section class="card">
        <h2>{t.yourBooking}</h2>
        {failureText ? (
          <p class="notice" role="alert">
            {failureText}
          </p>
        ) : (
          <p class="msg muted" role="status">
            {t.loading}
          </p>
        )}
      </section>
    )
  }

  if (view === 'reschedule') {
    const onDone = (moved: PublicBooking) => {
      model.booking.value = moved
      model.done.value = 'moved'
      model.failure.value = undefined
      model.view.value = 'show'
      props.onChanged(moved)
    }
    return <Reschedule {...props} booking={booking} resource={model.resource.value} onDone={onDone} onBack={() => (model.view.value = 'show')} />
  }

  const cancel = async () => {
    model.busy.value = true
    model.failure.value = undefined
    const reason = model.reason.peek().trim()
    const result = await client.cancelBooking(booking.ref, props.token, reason || undefined)
    model.busy.value = false
    if (result.error) {
      show(result.error)
      // Closed or changed meanwhile (the start came closer, the owner acted): show how it stands now.
      if (result.error.code === 'cancellation_closed' || result.error.code === 'invalid_transition') {
        model.view.value = 'show'
        void fetchBooking()
      }
      return
    }
    model.booking.value = result.data
    model.done.value = 'cancelled'
    model.view.value = 'show'
    props.onChanged(result.data)
  }

  const active = booking.status === 'pending' || booking.status === 'confirmed'
  const closed = booking.cancellation?.allowed === false
  const busy = model.busy.value
  const done = model.done.value
  return (
    <section class="card" aria-labelledby="booking-manage-title">
      <h2 id="booking-manage-title" ref={heading} tabIndex={-1}>
        {model.resource.value?.name ?? t.yourBooking}
      </h2>
      {done && (
        <p class="done" role="status">
          {done === 'moved' ? t.moved : t.cancelled}
        </p>
      )}
      {failureText && (
        <p class="notice" role="alert">
          {failureText}
        </p>
      )}
      <dl class="facts">
        <dt>{t.yourBooking}</dt>
        <dd>{formatRangeWithZone(booking, zone, locale)}</dd>
        <dt>{t.reference}</dt>
        <dd class="ref">{booking.ref}</dd>
        <dt class="sr">{t.bookingStatus}</dt>
        <dd>
          <strong>{t.status[booking.status]}</strong>
        </dd>
        {booking.refund && booking.refund.amount > 0 && booking.refund.currency && (
          <>
            <dt class="sr">{t.cancelBooking}</dt>
            <dd>{t.refundLine(formatMoney(booking.refund.amount, booking.refund.currency, locale), booking.refund.percent)}</dd>
          </>
        )}
      </dl>
      {active && done === 'moved' && (
        <CalendarLinks booking={booking} token={props.token} title={model.resource.value?.name ?? t.yourBooking} t={t} client={client} />
      )}
      {active && closed && <p class="notice">{t.manageClosed}</p>}
      {active &&
        !closed &&
        (view === 'confirm-cancel' ? (
          <div class="confirm" role="group" aria-labelledby="booking-cancel-question">
            <p id="booking-cancel-question" ref={question} tabIndex={-1}>
              {t.confirmCancel}
            </p>
            <RefundPreview booking={booking} t={t} locale={locale} />
            <label>
              {t.cancelReason}
              <textarea
                rows={2}
                maxLength={REASON_MAX}
                value={model.reason.value}
                onInput={(event) => (model.reason.value = event.currentTarget.value)}
              />
            </label>
            <div class="actions">
              <button type="button" onClick={() => (model.view.value = 'show')} disabled={busy}>
                {t.keep}
              </button>
              <button type="button" class="danger" onClick={() => void cancel()} disabled={busy}>
                {t.yesCancel}
              </button>
            </div>
          </div>
        ) : (
          <div class="actions">
            <button type="button" onClick={() => (model.view.value = 'reschedule')}>
              {t.changeTime}
            </button>
            <button type="button" class="danger" onClick={() => (model.view.value = 'confirm-cancel')}>
              {t.cancelBooking}
            </button>
          </div>
        ))}
    </section>
  )
}

/**
 * What cancelling now gives back, from the API's preview under the booking's policy. A
 * booking without payment has nothing to get back and says nothing; one whose payment is
 * not made yet neither.
 */
function RefundPreview({ booking, t, locale }: { booking: PublicBooking; t: Messages; locale: string }) {
  const preview = booking.cancellation
  const refund = preview?.refund
  if (!preview?.allowed || !refund) return null
  if (refund.amount > 0) return <p>{t.refundPreview(formatMoney(refund.amount, refund.currency, locale), preview.percent)}</p>
  if (preview.percent === 0) return <p>{t.noRefundPreview}</p>
  return null
}

/** The booking flow's calendar and hold, ending in a move instead of a new booking. */
function Reschedule(
  props: ManageBookingProps & {
    booking: PublicBooking
    resource: PublicResource | undefined
    onDone: (booking: PublicBooking) => void
    onBack: () => void
  },
) {
  const { client, booking } = props
  const state = useMemo(
    () =>
      createBookingState(client, {
        resource: booking.resourceId,
        zone: props.zone,
        t: props.t,
        locale: props.locale,
        // The same length as now: a move changes when, not how long.
        duration: props.resource?.durations?.length ? (Date.parse(booking.end) - Date.parse(booking.start)) / 60_000 : undefined,
        onError: props.onError,
        reschedule: { ref: booking.ref, token: props.token, from: { start: booking.start, end: booking.end }, onMoved: props.onDone },
      }),
    [],
  )
  useEffect(() => {
    void state.load()
    return () => state.releaseHeld()
  }, [])
  // Back to the booking sits inside the card, under the times, where the thumb already is.
  return <BookingWidget state={state} client={client} titleId="booking-reschedule-title" onLeavePick={props.onBack} />
}
