import { signal } from '@preact/signals'
import { useEffect, useMemo, useRef } from 'preact/hooks'
import type { PublicBooking, PublicResource, PublicService } from '../../shared/types'
import type { BookingClient, ClientError, ClientErrorCode, SeriesClient } from '../client'
import { formatMoney } from '../../shared/money'
import { errorText } from '../error-text'
import { formatRangeWithZone } from '../format-time'
import type { Messages } from '../i18n'
import { createBookingState } from '../state'
import { BookingWidget } from './BookingWidget'
import { CalendarLinks } from './CalendarLinks'
import { CancelQuestion } from './CancelQuestion'
import type { ManageSeries as ManageSeriesView, ManageSeriesProps, SeriesCalls } from './ManageSeries'
import { partNames } from './ServiceParts'

/** What a service's booking needs besides: optional, so a client that predates services still shows the rest. */
type ServiceCalls = 'getService' | 'getServiceAvailability' | 'getServiceNextAvailable' | 'placeServiceHold'

export interface ManageBookingProps {
  client: Omit<BookingClient, ServiceCalls> &
    Partial<Pick<BookingClient, ServiceCalls>> &
    // A client without them shows a date of a series as a single booking.
    Partial<Pick<SeriesClient, SeriesCalls>>
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
 * things a guest may do with it: cancel it (seeing first what they get back), or move it
 * to another free time.
 */
export function ManageBooking(props: ManageBookingProps) {
  const { client, t, locale, zone } = props
  const model = useMemo(() => {
    const booking = signal<PublicBooking | undefined>(undefined)
    const resource = signal<PublicResource | undefined>(undefined)
    /** For a combined booking: the service, whose name heads the view. */
    const service = signal<PublicService | undefined>(undefined)
    // Codes, not sentences: the words are looked up at render, in the language shown then.
    const failure = signal<ClientErrorCode | undefined>(undefined)
    const view = signal<View>('show')
    const busy = signal(false)
    const done = signal<'moved' | 'cancelled' | undefined>(undefined)
    /** What the guest types as the reason; lives here so no re-render or "Keep it" loses it. */
    const reason = signal('')
    /** For a date of a series: the series' view, a chunk fetched only then. */
    const seriesView = signal<typeof ManageSeriesView | undefined>(undefined)
    /** Counts this date's own cancels and moves, so the series below reads its dates again. */
    const revision = signal(0)
    return { booking, resource, service, failure, view, busy, done, reason, seriesView, revision }
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
      const [resource, service] = await Promise.all([
        client.getResource(booking.resourceId),
        booking.serviceId ? client.getService?.(booking.serviceId) : undefined,
      ])
      if (resource.data) model.resource.value = resource.data
      if (service?.data) model.service.value = service.data
    })
  }, [])

  const view = model.view.value
  useEffect(() => {
    if (view === 'show') heading.current?.focus()
    else if (view === 'confirm-cancel') question.current?.focus()
  }, [view])

  const booking = model.booking.value
  const seriesRef = booking?.seriesRef
  useEffect(() => {
    if (!seriesRef || !client.getSeries || model.seriesView.peek()) return
    void import('./ManageSeries').then(
      (chunk) => (model.seriesView.value = chunk.ManageSeries),
      // Not fetched (offline, blocked): the date itself still shows and can be changed.
      () => {},
    )
  }, [seriesRef])

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
      model.revision.value++
      model.failure.value = undefined
      model.view.value = 'show'
      props.onChanged(moved)
    }
    // Moving closed (or the booking changed) while the guest chose: back to the booking as it stands now.
    const onClosed = (error: ClientError) => {
      show(error)
      model.view.value = 'show'
      void fetchBooking()
    }
    return (
      <Reschedule
        {...props}
        booking={booking}
        resource={model.resource.value}
        onDone={onDone}
        onClosed={onClosed}
        onBack={() => (model.view.value = 'show')}
      />
    )
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
    model.revision.value++
    model.view.value = 'show'
    props.onChanged(result.data)
  }

  const active = booking.status === 'pending' || booking.status === 'confirmed'
  const until = booking.changeableUntil
  // A server from before the notices only said whether cancelling had closed; moves closed with it.
  const cancelClosed = until ? until.cancel === null : booking.cancellation?.allowed === false
  const moveClosed = until ? until.reschedule === null : cancelClosed
  const closedNote =
    cancelClosed && moveClosed ? t.manageClosed : moveClosed ? t.moveClosed : cancelClosed ? t.cancelClosed : undefined
  const busy = model.busy.value
  const done = model.done.value
  const title = model.service.value?.name ?? model.resource.value?.name
  // A combined booking names what it takes; the lead's name comes with its resource.
  const parts = booking.serviceId ? partNames(model.resource.value?.name, booking.parts) : []
  const SeriesView = model.seriesView.value
  const seriesClient = withSeriesCalls(client)
  return (
    <section class="card" aria-labelledby="booking-manage-title">
      <h2 id="booking-manage-title" ref={heading} tabIndex={-1}>
        {title ?? t.yourBooking}
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
        <dd>
          {formatRangeWithZone(booking, zone, locale)}
          {/* Under the time rather than a row of its own: the list's two columns stay paired. */}
          {booking.seats !== undefined && booking.seats > 1 && (
            <>
              <br />
              <span>{t.places(booking.seats)}</span>
            </>
          )}
          {parts.length > 0 && (
            <>
              <br />
              <span class="assigned">{t.withParts(parts)}</span>
            </>
          )}
        </dd>
        <dt>{t.reference}</dt>
        <dd class="ref">{booking.ref}</dd>
        <dt class="sr">{t.bookingStatus}</dt>
        <dd>
          <strong>{t.status[booking.status]}</strong>
        </dd>
        {booking.refund && booking.refund.amount > 0 && booking.refund.currency && (
          <>
            <dt class="sr">{t.cancelBooking}</dt>
            <dd>
              {t.refundLine(
                formatMoney(booking.refund.amount, booking.refund.currency, locale),
                booking.refund.percent,
              )}
            </dd>
          </>
        )}
      </dl>
      {active && done === 'moved' && (
        <CalendarLinks booking={booking} token={props.token} title={title ?? t.yourBooking} t={t} client={client} />
      )}
      {active && closedNote && <p class="notice">{closedNote}</p>}
      {active && (
        <Deadlines
          booking={booking}
          moveClosed={moveClosed}
          cancelClosed={cancelClosed}
          t={t}
          zone={zone}
          locale={locale}
        />
      )}
      {active &&
        !(cancelClosed && moveClosed) &&
        (view === 'confirm-cancel' && !cancelClosed ? (
          <CancelQuestion
            id="booking-cancel-question"
            question={t.confirmCancel}
            questionRef={question}
            reason={model.reason}
            busy={busy}
            confirmLabel={t.yesCancel}
            onKeep={() => (model.view.value = 'show')}
            onConfirm={() => void cancel()}
            t={t}
          >
            <RefundPreview booking={booking} t={t} locale={locale} />
          </CancelQuestion>
        ) : (
          <div class="actions">
            {!moveClosed && (
              <button type="button" onClick={() => (model.view.value = 'reschedule')}>
                {t.changeTime}
              </button>
            )}
            {!cancelClosed && (
              <button type="button" class="danger" onClick={() => (model.view.value = 'confirm-cancel')}>
                {t.cancelBooking}
              </button>
            )}
          </div>
        ))}
      {SeriesView && seriesRef && seriesClient && (
        <SeriesView
          client={seriesClient}
          seriesRef={seriesRef}
          revision={model.revision.value}
          token={props.token}
          zone={zone}
          t={t}
          locale={locale}
          resource={model.resource.value}
          title={title ?? t.yourBooking}
          onError={props.onError}
          onChanged={() => {
            // Every later date changed at once, this one maybe too: it is shown as it stands now.
            model.done.value = undefined
            void fetchBooking().then((changed) => changed && props.onChanged(changed))
          }}
        />
      )}
    </section>
  )
}

/** The client, when it offers what a series' view needs. */
function withSeriesCalls(client: ManageBookingProps['client']): ManageSeriesProps['client'] | undefined {
  const { getSeries, cancelSeries, rescheduleSeries, getSeriesCalendarFile } = client
  return getSeries && cancelSeries && rescheduleSeries && getSeriesCalendarFile
    ? { ...client, getSeries, cancelSeries, rescheduleSeries, getSeriesCalendarFile }
    : undefined
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
  if (refund.amount > 0)
    return <p>{t.refundPreview(formatMoney(refund.amount, refund.currency, locale), preview.percent)}</p>
  if (preview.percent === 0) return <p>{t.noRefundPreview}</p>
  return null
}

/**
 * Until when the guest may still move and cancel online, when a notice closes either before
 * the start (with none, both stay open until the start, which needs no saying). One
 * sentence when both close together.
 */
function Deadlines(props: {
  booking: PublicBooking
  moveClosed: boolean
  cancelClosed: boolean
  t: Messages
  zone: string
  locale: string
}) {
  const { booking, t } = props
  const early = (at: string | null | undefined) => (at && Date.parse(at) < Date.parse(booking.start) ? at : undefined)
  const move = props.moveClosed ? undefined : early(booking.changeableUntil?.reschedule)
  const cancel = props.cancelClosed ? undefined : early(booking.changeableUntil?.cancel)
  const when = (at: string) => formatDeadline(at, props.zone, props.locale)
  if (move && move === cancel) return <p class="muted">{t.changeUntil(when(move))}</p>
  if (!move && !cancel) return null
  return (
    <>
      {move && <p class="muted">{t.moveUntil(when(move))}</p>}
      {cancel && <p class="muted">{t.cancelUntil(when(cancel))}</p>}
    </>
  )
}

/** An instant as the guest reads a deadline, in the zone the booking is shown in: "Sun, Dec 6, 10:00 AM" (with the year when not this one). */
function formatDeadline(instant: string, zone: string, locale: string): string {
  const at = new Date(instant)
  const year = (d: Date) => new Intl.DateTimeFormat('en', { timeZone: zone, year: 'numeric' }).format(d)
  const { hourCycle } = new Intl.DateTimeFormat(locale, { timeZone: zone, timeStyle: 'short' }).resolvedOptions()
  return new Intl.DateTimeFormat(locale, {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(year(at) !== year(new Date()) ? { year: 'numeric' } : {}),
    hour: 'numeric',
    minute: '2-digit',
    hourCycle,
  }).format(at)
}

/** The booking flow's calendar and hold, ending in a move instead of a new booking. */
function Reschedule(
  props: ManageBookingProps & {
    booking: PublicBooking
    resource: PublicResource | undefined
    onDone: (booking: PublicBooking) => void
    onClosed: (error: ClientError) => void
    onBack: () => void
  },
) {
  const { client, booking } = props
  const state = useMemo(
    () =>
      createBookingState(client, {
        // A combined booking moves as its service: the new time must suit every part.
        resource: booking.serviceId ?? booking.resourceId,
        service: booking.serviceId !== undefined,
        zone: props.zone,
        t: props.t,
        locale: props.locale,
        // The same length as now: a move changes when, not how long.
        duration: props.resource?.durations?.length
          ? (Date.parse(booking.end) - Date.parse(booking.start)) / 60_000
          : undefined,
        // A refusal that ends the move is answered on the booking itself; the rest stay in the calendar.
        onError: (error) =>
          error.code === 'reschedule_closed' || error.code === 'invalid_transition'
            ? props.onClosed(error)
            : props.onError(error),
        reschedule: {
          ref: booking.ref,
          token: props.token,
          from: { start: booking.start, end: booking.end },
          seats: booking.seats,
          // Every resource stays as it is: the same therapist and room at the new time.
          parts: booking.serviceId
            ? [
                { position: 0, resourceId: booking.resourceId },
                ...(booking.parts ?? []).map(({ position, resourceId }) => ({ position, resourceId })),
              ]
            : undefined,
          onMoved: props.onDone,
        },
      }),
    [],
  )
  useEffect(() => {
    void state.load()
    return () => state[Symbol.dispose]()
  }, [])
  // Back to the booking sits inside the card, under the times, where the thumb already is.
  return <BookingWidget state={state} client={client} titleId="booking-reschedule-title" onLeavePick={props.onBack} />
}
