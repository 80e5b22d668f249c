import ical, { ICalEventStatus } from 'ical-generator'
import type { BookingRow } from '../../drizzle/schema'

const STATUS: Record<BookingRow['status'], ICalEventStatus> = {
  pending: ICalEventStatus.TENTATIVE,
  confirmed: ICalEventStatus.CONFIRMED,
  completed: ICalEventStatus.CONFIRMED,
  no_show: ICalEventStatus.CONFIRMED,
  cancelled: ICalEventStatus.CANCELLED,
}

/**
 * One VEVENT in UTC. The UID is stable per booking and SEQUENCE follows the booking's
 * version, so a calendar that imported it before a reschedule updates the same event.
 */
export function bookingToIcs(booking: BookingRow, resourceName: string, options: { host: string; manageUrl?: string | undefined; now: number }): string {
  const calendar = ical({ prodId: { company: 'booking-embed', product: 'booking', language: 'EN' }, name: resourceName })
  calendar.createEvent({
    id: `${booking.ref}@${options.host}`,
    sequence: booking.version - 1,
    stamp: new Date(options.now),
    start: booking.startsAt,
    end: booking.endsAt,
    summary: `${resourceName} (booking ${booking.ref})`,
    description: `Booking reference ${booking.ref}${options.manageUrl ? `\nManage: ${options.manageUrl}` : ''}`,
    status: STATUS[booking.status],
    ...(options.manageUrl ? { url: options.manageUrl } : {}),
  })
  return calendar.toString()
}
