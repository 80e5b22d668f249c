import { useEffect, useRef } from 'preact/hooks'
import type { BookingClient, SeriesClient } from '../client'
import { formatRangeWithZone, formatSpanTotal } from '../format-time'
import type { BookingState } from '../state'
import { Assigned } from './Assigned'
import { CalendarLinks, type CalendarOffer } from './CalendarLinks'

export interface ConfirmationProps {
  state: BookingState
  client: Pick<BookingClient, 'getCalendarFile'> & Partial<Pick<SeriesClient, 'getSeriesCalendarFile'>>
  manageUrl?: ((ref: string, token: string) => string) | undefined
  /** Offered in place of the booking's own calendar file (a series' every date). */
  calendar?: CalendarOffer | undefined
}

/**
 * The booking's reference and its time with the zone, ways to put it in a calendar, the
 * link to manage it, and a way back to the calendar to book another time.
 */
export function Confirmation({ state, client, manageUrl, calendar }: ConfirmationProps) {
  const { t, locale } = state
  const booking = state.booking.value
  const token = state.manageToken.value
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  if (!booking) return null
  // A span across days: its length and total under the dates.
  const resource = state.resource.value
  const span = resource?.span
  return (
    <div class="done" role="status">
      <h3 ref={heading} tabIndex={-1}>
        {state.isReschedule ? t.moved : booking.status === 'confirmed' ? t.booked : t.requested}
      </h3>
      <p>{formatRangeWithZone(booking, state.zone.value, locale, state.now())}</p>
      {booking.seats !== undefined && booking.seats > 1 && <p>{t.places(booking.seats)}</p>}
      {span && resource && <p>{formatSpanTotal(t, span, resource.price, booking, resource.timezone, locale)}</p>}
      <Assigned state={state} booked={booking} />
      <p>
        {t.reference} <strong class="ref">{booking.ref}</strong>
      </p>
      {token && (
        <CalendarLinks
          booking={booking}
          token={token}
          title={(state.isPool && state.pool.value?.name) || state.resource.value?.name || t.yourBooking}
          t={t}
          client={client}
          offer={calendar}
        />
      )}
      {manageUrl && token && !state.isReschedule && (
        <a href={manageUrl(booking.ref, token)} target="_blank" rel="noopener">
          {t.manageLink}
        </a>
      )}
      {!state.isReschedule && (
        <div class="actions">
          <button type="button" onClick={() => void state.bookAnother()}>
            {t.bookAnother}
          </button>
        </div>
      )}
    </div>
  )
}
