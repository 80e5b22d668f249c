import { useEffect, useState } from 'preact/hooks'
import type { PublicBooking } from '../../shared/types'
import { googleCalendarUrl, outlookCalendarUrl } from '../calendar-links'
import type { BookingClient, ClientResult } from '../client'
import type { Messages } from '../i18n'

export interface CalendarLinksProps {
  booking: PublicBooking
  /** The manage token: the .ics is only served to its holder. */
  token: string
  /** The event's title in the guest's calendar, e.g. the resource's name. */
  title: string
  t: Messages
  client: Pick<BookingClient, 'getCalendarFile'>
  /** A file offered instead of the booking's own (every date of its series), with what each link says. */
  offer?: CalendarOffer | undefined
}

export interface CalendarOffer {
  /** Fetches the file; fetched again only when `fileName` changes. */
  load: () => Promise<ClientResult<Blob>>
  fileName: string
  fileLabel: string
  googleLabel: string
  outlookLabel: string
}

/** The booking's time to keep: the .ics file, and Google Calendar and Outlook links. */
export function CalendarLinks({ booking, token, title, t, client, offer }: CalendarLinksProps) {
  const [fileUrl, setFileUrl] = useState<string | undefined>(undefined)
  useEffect(() => {
    // A moved booking must never offer the file of its old time, even for a moment.
    setFileUrl(undefined)
    let url: string | undefined
    let current = true
    // The file needs the manage token in a header, so it is fetched and offered as a blob.
    void (offer ? offer.load() : client.getCalendarFile(booking.ref, token)).then((result) => {
      if (current && result.data) setFileUrl((url = URL.createObjectURL(result.data)))
    })
    return () => {
      current = false
      if (url) URL.revokeObjectURL(url)
    }
  }, [booking.ref, booking.version, token, offer?.fileName])
  // The manage link stays out: these URLs are sent to the calendar's servers.
  const event = { title, start: booking.start, end: booking.end, details: `${t.reference} ${booking.ref}` }
  return (
    <div class="links" role="group" aria-label={t.calendarLinks}>
      {fileUrl && (
        <a href={fileUrl} download={offer?.fileName ?? `booking-${booking.ref}.ics`}>
          {offer?.fileLabel ?? t.addToCalendar}
        </a>
      )}
      <a href={googleCalendarUrl(event)} target="_blank" rel="noopener noreferrer">
        {offer?.googleLabel ?? t.googleCalendar}
      </a>
      <a href={outlookCalendarUrl(event)} target="_blank" rel="noopener noreferrer">
        {offer?.outlookLabel ?? t.outlookCalendar}
      </a>
    </div>
  )
}
