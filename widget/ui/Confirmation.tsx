import { useEffect, useRef, useState } from 'preact/hooks'
import type { BookingClient } from '../client'
import { formatSlotRange } from '../format-time'
import type { BookingState } from '../state'

/** The booking's reference, its time, and a calendar file to keep. */
export function Confirmation({ state, client }: { state: BookingState; client: Pick<BookingClient, 'getCalendarFile'> }) {
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
  }, [booking?.ref, token])
  if (!booking) return null
  return (
    <div class="done" role="status">
      <h3 ref={heading} tabIndex={-1}>
        {booking.status === 'confirmed' ? 'Booked!' : 'Requested: the provider will confirm'}
      </h3>
      <p>{formatSlotRange(booking, state.zone)}</p>
      <p>
        Reference <strong class="ref">{booking.ref}</strong>
      </p>
      {calendarUrl && (
        <p>
          <a href={calendarUrl} download={`booking-${booking.ref}.ics`}>
            Add to calendar (.ics)
          </a>
        </p>
      )}
    </div>
  )
}
