import ical from 'ical-generator'
import type { BookingRow, ResourceRow } from '../../drizzle/schema'
import { bookingUid, ICS_EVENT_STATUS } from '../bookings/booking-ics'

export interface ResourceCalendarOptions {
  /** The host in every event's UID: the same one the booking's own invitation uses. */
  host: string
  /** Part row id → the lead booking's ref, the one the guest quotes. */
  leadRefs: ReadonlyMap<string, string>
  includeGuestNames: boolean
}

/** Calendar apps poll a subscribed feed at most this often when they honour the hint. */
export const FEED_REFRESH_SECONDS = 15 * 60

/**
 * The resource's bookings as one subscribable calendar. Everything in it comes from the
 * rows (DTSTAMP and LAST-MODIFIED are the booking's updated_at, never "now"), so the same
 * bookings give the same bytes and the body's digest works as a strong ETag. UIDs and
 * SEQUENCE follow the booking's invitation (version − 1): a calendar holding both sees one
 * event, and a move (which bumps the version) reads as a newer revision of it.
 */
export function resourceCalendar(
  resource: Pick<ResourceRow, 'name'>,
  rows: readonly BookingRow[],
  options: ResourceCalendarOptions,
): string {
  const calendar = ical({
    prodId: { company: 'booking-embed', product: 'feed', language: 'EN' },
    name: resource.name,
    ttl: FEED_REFRESH_SECONDS,
  })
  for (const row of rows) {
    const ref = (row.partOf && options.leadRefs.get(row.partOf)) || row.ref
    const what = options.includeGuestNames ? row.guestName : 'Booked'
    calendar.createEvent({
      id: bookingUid(row.ref, options.host),
      sequence: row.version - 1,
      stamp: row.updatedAt,
      lastModified: row.updatedAt,
      created: row.createdAt,
      start: row.startsAt,
      end: row.endsAt,
      summary: `${resource.name}: ${what} (${ref})`,
      description: [
        `Booking reference ${ref}`,
        row.seats > 1 ? `${row.seats} places` : '',
        row.partySize !== null ? `Party of ${row.partySize}` : '',
        row.status === 'pending' ? 'Awaiting confirmation or payment' : '',
      ]
        .filter(Boolean)
        .join('\n'),
      status: ICS_EVENT_STATUS[row.status],
    })
  }
  return calendar.toString()
}
