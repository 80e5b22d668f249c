import { signal } from '@preact/signals'
import { useEffect, useMemo, useRef } from 'preact/hooks'
import type { PublicBooking, PublicResource } from '../../shared/types'
import type { BookingClient, ClientError } from '../client'
import { formatMoney } from '../../shared/money'
import { formatSlotRange } from '../format-time'
import type { Messages } from '../i18n'
import { createBookingState } from '../state'
import { BookingWidget } from './BookingWidget'

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

/**
 * The guest's own booking, opened from the manage link: its time and status, and the two
 * things a guest may do with it: cancel it, or move it to another free time.
 */
export function ManageBooking(props: ManageBookingProps) {
  const { client, t, locale, zone } = props
  const model = useMemo(() => {
    const booking = signal<PublicBooking | undefined>(undefined)
    const resource = signal<PublicResource | undefined>(undefined)
    const failure = signal<string | undefined>(undefined)
    const view = signal<View>('show')
    const busy = signal(false)
    const done = signal<string | undefined>(undefined)
    return { booking, resource, failure, view, busy, done }
  }, [])
  const heading = useRef<HTMLHeadingElement>(null)

  const show = (error: ClientError) => {
    model.failure.value = error.code === 'not_found' ? t.notFound : error.code === 'network_error' ? t.networkError : error.message
    if (error.code !== 'not_found') props.onError(error)
  }

  useEffect(() => {
    if (!props.ref_ || !props.token) return show({ code: 'not_found', message: '' })
    void client.getBooking(props.ref_, props.token).then(async (result) => {
      if (result.error) return show(result.error)
      model.booking.value = result.data
      const resource = await client.getResource(result.data.resourceId)
      if (resource.data) model.resource.value = resource.data
    })
  }, [])

  useEffect(() => {
    if (model.view.value === 'show') heading.current?.focus()
  }, [model.view.value])

  const booking = model.booking.value
  const failure = model.failure.value
  if (!booking) {
    return (
      <section class="card">
        <h2>{t.yourBooking}</h2>
        {failure ? (
          <p class="notice" role="alert">
            {failure}
          </p>
        ) : (
          <p class="msg muted" role="status">
            {t.loading}
          </p>
        )}
      </section>
    )
  }

  if (model.view.value === 'reschedule') {
    const onDone = (moved: PublicBooking) => {
      model.booking.value = moved
      model.done.value = t.moved
      model.view.value = 'show'
      props.onChanged(moved)
    }
    return <Reschedule {...props} booking={booking} resource={model.resource.value} onDone={onDone} onBack={() => (model.view.value = 'show')} />
  }

  const cancel = async () => {
    model.busy.value = true
    const result = await client.cancelBooking(booking.ref, props.token)
    model.busy.value = false
    if (result.error) return show(result.error)
    model.booking.value = result.data
    model.done.value = t.cancelled
    model.view.value = 'show'
    props.onChanged(result.data)
  }

  const active = booking.status === 'pending' || booking.status === 'confirmed'
  const busy = model.busy.value
  return (
    <section class="card" aria-labelledby="booking-manage-title">
      <h2 id="booking-manage-title" ref={heading} tabIndex={-1}>
        {model.resource.value?.name ?? t.yourBooking}
      </h2>
      {model.done.value && (
        <p class="done" role="status">
          {model.done.value}
        </p>
      )}
      {failure && (
        <p class="notice" role="alert">
          {failure}
        </p>
      )}
      <dl class="facts">
        <dt>{t.yourBooking}</dt>
        <dd>{formatSlotRange(booking, zone, locale)}</dd>
        <dt>{t.reference}</dt>
        <dd class="ref">{booking.ref}</dd>
        <dt class="sr">Status</dt>
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
      {active &&
        (model.view.value === 'confirm-cancel' ? (
          <div class="actions" role="group" aria-label={t.confirmCancel}>
            <p class="grow">{t.confirmCancel}</p>
            <button type="button" onClick={() => (model.view.value = 'show')} disabled={busy}>
              {t.keep}
            </button>
            <button type="button" class="danger" onClick={() => void cancel()} disabled={busy}>
              {t.yesCancel}
            </button>
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
        reschedule: { ref: booking.ref, token: props.token, onMoved: props.onDone },
      }),
    [],
  )
  useEffect(() => {
    void state.load()
    return () => state.releaseHeld()
  }, [])
  return (
    <>
      <BookingWidget state={state} client={client} titleId="booking-reschedule-title" />
      {state.step.value === 'pick' && (
        <div class="actions">
          <button type="button" onClick={props.onBack}>
            {props.t.back}
          </button>
        </div>
      )}
    </>
  )
}
