import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator'
import type { BookingRow } from '../../drizzle/schema'
import { messageLanguage, type MessageLanguage } from '../../shared/schemas'

/** A booking's STATUS in any calendar file or feed that carries it. */
export const ICS_EVENT_STATUS: Record<BookingRow['status'], ICalEventStatus> = {
  pending: ICalEventStatus.TENTATIVE,
  confirmed: ICalEventStatus.CONFIRMED,
  completed: ICalEventStatus.CONFIRMED,
  no_show: ICalEventStatus.CONFIRMED,
  cancelled: ICalEventStatus.CANCELLED,
}

const WORDS: Record<
  MessageLanguage,
  { summary: (what: string, ref: string) => string; reference: string; manage: string; places: (n: number) => string }
> = {
  en: {
    summary: (what, ref) => `${what} (booking ${ref})`,
    reference: 'Booking reference',
    manage: 'Manage or cancel',
    places: (n) => (n === 1 ? '1 place' : `${n} places`),
  },
  de: {
    summary: (what, ref) => `${what} (Buchung ${ref})`,
    reference: 'Buchungsnummer',
    manage: 'Verwalten oder stornieren',
    places: (n) => (n === 1 ? '1 Platz' : `${n} Plätze`),
  },
  es: {
    summary: (what, ref) => `${what} (reserva ${ref})`,
    reference: 'Referencia de la reserva',
    manage: 'Gestionar o cancelar',
    places: (n) => (n === 1 ? '1 plaza' : `${n} plazas`),
  },
}

/** The event's UID: the same in every file and feed that carries the booking, so a calendar keeps one event. */
export const bookingUid = (ref: string, host: string): string => `${ref}@${host}`

/**
 * What the calendar file asks of the guest's calendar (RFC 5546):
 * - `request`: add or update the event (created, confirmed, moved);
 * - `cancel`: remove it;
 * - `download`: no METHOD, a plain file to import (the manage page's "Add to calendar").
 */
export type IcsMethod = 'request' | 'cancel' | 'download'

export interface BookingIcsOptions {
  host: string
  manageUrl?: string | undefined
  now: number
  method?: IcsMethod | undefined
  /** Who sends the invitation (the From of the email); RFC 5546 wants one on REQUEST and CANCEL. */
  organizer?: { name: string; email: string } | undefined
  /** Default: the booking's language. */
  language?: MessageLanguage | undefined
}

/** One booking of a calendar file, with the manage link its event carries. */
export interface IcsEntry {
  booking: BookingRow
  manageUrl?: string | undefined
}

/**
 * One VEVENT in UTC, in the booking's language. The UID is the same for the booking's
 * whole life and SEQUENCE follows its version (version − 1), so a calendar that imported
 * it before a reschedule updates the same event. A cancellation is one more revision of
 * the event (its STATUS changes), so it goes out one SEQUENCE above the last request.
 */
export function bookingToIcs(booking: BookingRow, resourceName: string, options: BookingIcsOptions): string {
  return bookingsToIcs([{ booking, manageUrl: options.manageUrl }], resourceName, options)
}

/**
 * Several bookings in one calendar file, one VEVENT each as `bookingToIcs` writes it: the
 * dates of a series, so one invitation puts every date in the guest's calendar (and one
 * update moves them all). Each event keeps its booking's own UID and SEQUENCE, so a later
 * message about one date updates that date alone.
 */
export function bookingsToIcs(
  entries: readonly IcsEntry[],
  resourceName: string,
  options: Omit<BookingIcsOptions, 'manageUrl'>,
): string {
  const method = options.method ?? 'download'
  const language = options.language ?? messageLanguage(entries[0]?.booking.locale)
  const words = WORDS[language]
  const calendar = ical({
    prodId: { company: 'booking-embed', product: 'booking', language: language.toUpperCase() },
    name: resourceName,
    ...(method === 'request'
      ? { method: ICalCalendarMethod.REQUEST }
      : method === 'cancel'
        ? { method: ICalCalendarMethod.CANCEL }
        : {}),
  })
  for (const { booking, manageUrl } of entries) {
    const event = calendar.createEvent({
      id: bookingUid(booking.ref, options.host),
      sequence: booking.version - 1 + (method === 'cancel' ? 1 : 0),
      stamp: new Date(options.now),
      start: booking.startsAt,
      end: booking.endsAt,
      summary: words.summary(resourceName, booking.ref),
      description: [
        `${words.reference} ${booking.ref}`,
        // A booking of one place reads as before; more places are worth a line of their own.
        booking.seats > 1 ? words.places(booking.seats) : '',
        manageUrl ? `${words.manage}: ${manageUrl}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
      status: method === 'cancel' ? ICalEventStatus.CANCELLED : ICS_EVENT_STATUS[booking.status],
      ...(manageUrl ? { url: manageUrl } : {}),
    })
    if (method !== 'download' && options.organizer) {
      event.organizer(options.organizer)
      event.createAttendee({
        email: booking.guestEmail,
        name: booking.guestName,
        role: ICalAttendeeRole.REQ,
        // The guest chose this time themselves: nothing to accept or decline, no reply wanted.
        status: ICalAttendeeStatus.ACCEPTED,
        rsvp: false,
      })
    }
  }
  return calendar.toString()
}
