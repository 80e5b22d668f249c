import { useEffect, useRef, useState } from 'preact/hooks'
import type { BookingClient } from '../client'
import { formatSlotRange } from '../format-time'
import type { BookingState } from '../state'

export interface ConfirmationProps {
  state: BookingState
  client: Pick<BookingClient, 'getCalendarFile'>
  manageUrl?: ((ref: string, token: string) => string) | undefined
}

/** The booking's reference, its time, a calendar file to keep and the link to manage it. */
export function Confirmation({ state, client, manageUrl }: ConfirmationProps) {
  const { t, locale } = state
  const booking = state.booking.value
  const token = state.manageToken.value
  const heading = useRef<HTMLHeadingElement>(null)
  const [calendarUrl, setCalendarUrl] = useState<string | undefined>(undefined)
  useEffect(() => heading.current?.focus(), [])
  useEffect(() => {
    if (!booking || !token) return undefined
    let url: string | undefined
    // The file needs the manage token in a header, so it is fetched and offered as a blob.
    void client.getCalendarFile(booking.ref, token).then((result) => {
      if (result.data) setCalendarUrl((url = URL.createObjectURL(result.data)))
    })
    return () => url && URL.revokeObjectURL(url)
  }, [booking?.ref, booking?.version, token])
  if (!booking) return null
  return (
    <div class="done" role="status">
      <h3 ref={heading} tabIndex={-1}>
        {state.isReschedule ? t.moved : booking.status === 'confirmed' ? t.booked : t.requested}
      </h3>
      <p>{formatSlotRange(booking, state.zone.value, locale)}</p>
      <p>
        {t.reference} <strong class="ref">{booking.ref}</strong>
      </p>
      {calendarUrl && (
        <a href={calendarUrl} download={`booking-${booking.ref}.ics`}>
          {t.addToCalendar}
        </a>
      )}
      {manageUrl && token && !state.isReschedule && (
        <a href={manageUrl(booking.ref, token)} target="_blank" rel="noopener">
          {t.manageLink}
        </a>
      )}
    </div>
  )
}
