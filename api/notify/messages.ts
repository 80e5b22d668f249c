import type { BookingRow, NotificationRow } from '../../drizzle/schema'
import { readableAnswers } from '../../shared/intake-answers'
import { formatMoney } from '../../shared/money'
import { nightsBetween } from '../../shared/span-pricing'
import type { MessageLanguage } from '../../shared/schemas'
import { isValidTimeZone } from '../../shared/time-zone'
import { formatMessageTime, placeName } from './message-time'
import type { SeriesSummary } from './series-summary'

/*
 * The words of every message, in the languages the widget speaks. Text a guest or owner
 * typed (names, notes, the resource's name) enters every message through `oneLine`, so it
 * cannot start a line or a header of its own, and is escaped in HTML. A guest reads times
 * on the clock they booked with (the resource's clock beside it when that shows another
 * time); the owner reads them on the resource's clock, the guest's beside.
 */

export interface MessageContext {
  event: NotificationRow['event']
  language: MessageLanguage
  /** For a move: the booking at its new time. */
  booking: BookingRow
  resourceName: string
  /** The resource's zone. */
  timezone: string
  /** The guest's manage page for this booking (with its token); none when it cannot be built. */
  manageUrl: string | undefined
  /** For `moved` / `admin_moved`: the start the booking moved away from. */
  previousStart?: Date | undefined
  /** For a series' announcement (its first date's `created`): how it repeats. */
  series?: SeriesSummary | undefined
  /** For `series_moved` / `admin_series_moved`: the series and every date the move told of, in date order. */
  seriesMove?: { ref: string; everyWeeks: number; moves: readonly { from: Date; to: Date }[] } | undefined
  /** For `series_cancelled` / `admin_series_cancelled`: the dates cancelled at once (in date order), those kept, the money back. */
  seriesCancel?: SeriesCancelFacts | undefined
}

export interface SeriesCancelFacts {
  ref: string
  everyWeeks: number
  cancelled: readonly Date[]
  /** Dates the policy kept (too close to cancel online). */
  kept: readonly Date[]
  /** What the cancelled dates refund together, per currency (minor units); none when nothing comes back. */
  refunds: readonly { amount: number; currency: string }[]
}

export interface EmailContent {
  subject: string
  text: string
  html: string
}

interface Words {
  hello: (name: string) => string
  subject: Record<NotificationRow['event'], (what: string, when: string, ref: string) => string>
  lead: Record<NotificationRow['event'], string>
  pendingLead: string
  when: string
  previously: string
  /** The end of a booking across dates (a car returned on Monday). */
  until: string
  reference: string
  manage: string
  guest: string
  notes: string
  refund: (amount: string, percent: number) => string
  /** The places a booking of a shared resource takes (more than one: one place needs no saying). */
  places: (count: number) => string
  bookedFor: string
  /** A series: the label, "every N weeks on <weekday> at <time>", and how it ends. */
  repeats: string
  /** The label of the series' own ref (the one it is managed and found by). */
  series: string
  repeat: (everyWeeks: number, weekday: string, time: string) => string
  repeatCount: (count: number, lastDate: string) => string
  repeatUntil: (date: string) => string
  /** "18:00", or "18:00 Berlin time" when the guest's clock is another zone's (`city`). */
  localTime: (time: string, city: string | undefined) => string
  /** The dates of a series not booked because they were taken. */
  skipped: string
  /** A prepaid series: "Paid", "€140.00 for 4 dates". */
  paid: string
  paidFor: (amount: string, dates: number) => string
  /** A whole series moved: "Tuesdays 18:00", "10 dates from 12 Nov 2026", the lead saying from what to what. */
  weekly: (weekday: string, time: string) => string
  seriesDates: (count: number, first: string) => string
  seriesMoved: (admin: boolean, everyWeeks: number, from: string, to: string, dates: string) => string
  nextDate: string
  dates: string
  /** A whole series cancelled: the lead, the dates cancelled and kept, and the money back in total. */
  seriesCancelled: (admin: boolean, everyWeeks: number, weekly: string, dates: string) => string
  cancelledDates: string
  keptDates: string
  refundTotal: (amount: string) => string
  /** `before` is the previous time, for a move (else empty). */
  sms: Record<NotificationRow['event'], (what: string, when: string, ref: string, before: string) => string>
}

const en: Words = {
  hello: (name) => `Hello ${name},`,
  subject: {
    created: (what, when) => `Booked: ${what}, ${when}`,
    confirmed: (what, when) => `Confirmed: ${what}, ${when}`,
    moved: (what, when) => `Moved: ${what}, ${when}`,
    reminder_24h: (what, when) => `Reminder: ${what}, ${when}`,
    reminder_1h: (what, when) => `Starting soon: ${what}, ${when}`,
    cancelled: (what, when) => `Cancelled: ${what}, ${when}`,
    admin_new_booking: (what, when, ref) => `New booking ${ref}: ${what}, ${when}`,
    admin_moved: (what, when, ref) => `Booking ${ref} moved: ${what}, ${when}`,
    admin_cancelled: (what, when, ref) => `Booking ${ref} cancelled: ${what}, ${when}`,
    series_moved: (what, when) => `Moved: ${what}, ${when}`,
    admin_series_moved: (what, when, ref) => `Series ${ref} moved: ${what}, ${when}`,
    series_cancelled: (what, when) => `Cancelled: ${what}, ${when}`,
    admin_series_cancelled: (what, when, ref) => `Series ${ref} cancelled: ${what}, ${when}`,
  },
  lead: {
    created: 'your booking is confirmed.',
    confirmed: 'your booking has been confirmed.',
    moved: 'your booking has been moved to a new time.',
    reminder_24h: 'a reminder of your booking tomorrow.',
    reminder_1h: 'your booking starts in about an hour.',
    cancelled: 'your booking has been cancelled.',
    admin_new_booking: 'a new booking was made.',
    admin_moved: 'a booking was moved to a new time.',
    admin_cancelled: 'a booking was cancelled.',
    series_moved: 'your recurring booking has been moved to a new time.',
    admin_series_moved: 'a recurring booking was moved to a new time.',
    series_cancelled: 'your recurring booking has been cancelled.',
    admin_series_cancelled: 'a recurring booking was cancelled.',
  },
  pendingLead: 'we have your booking request; you will hear from us once it is confirmed.',
  when: 'When',
  previously: 'Previously',
  until: 'Until',
  reference: 'Reference',
  manage: 'Manage or cancel your booking',
  guest: 'Guest',
  notes: 'Notes',
  refund: (amount, percent) => `Refund: ${amount} (${percent} %).`,
  places: (count) => (count === 1 ? '1 place' : `${count} places`),
  bookedFor: 'Booked for',
  repeats: 'Repeats',
  series: 'Series',
  repeat: (every, weekday, time) =>
    every === 1 ? `Every week on ${weekday} at ${time}` : `Every ${every} weeks on ${weekday} at ${time}`,
  repeatCount: (count, last) => `, ${count} times (until ${last})`,
  repeatUntil: (date) => ` until ${date}`,
  localTime: (time, city) => (city ? `${time} ${city} time` : time),
  skipped: 'Not booked (already taken)',
  paid: 'Paid',
  paidFor: (amount, dates) => (dates === 1 ? `${amount} for 1 date` : `${amount} for ${dates} dates`),
  weekly: (weekday, time) => `${weekday}s ${time}`,
  seriesDates: (count, first) => (count === 1 ? `1 date on ${first}` : `${count} dates from ${first}`),
  seriesMoved: (admin, every, from, to, dates) =>
    `${admin ? 'a' : 'your'} ${every === 1 ? 'weekly booking' : `booking every ${every} weeks`} ${admin ? 'was' : 'has'} moved from ${from} to ${to}: ${dates}.`,
  nextDate: 'Next date',
  dates: 'Dates',
  seriesCancelled: (admin, every, weekly, dates) =>
    `${admin ? 'a' : 'your'} ${every === 1 ? 'weekly booking' : `booking every ${every} weeks`} on ${weekly} ${admin ? 'was' : 'has been'} cancelled: ${dates}.`,
  cancelledDates: 'Cancelled dates',
  keptDates: 'Still booked (too close to cancel online)',
  refundTotal: (amount) => `Refund: ${amount} in total.`,
  sms: {
    created: (what, when, ref) => `Booked: ${what}, ${when}. Ref ${ref}.`,
    confirmed: (what, when, ref) => `Confirmed: ${what}, ${when}. Ref ${ref}.`,
    moved: (what, when, ref, before) =>
      `Moved: ${what}, now ${when}${before ? `; previously ${before}` : ''}. Ref ${ref}.`,
    reminder_24h: (what, when, ref) => `Reminder: ${what}, ${when}. Ref ${ref}.`,
    reminder_1h: (what, when, ref) => `Starting soon: ${what}, ${when}. Ref ${ref}.`,
    cancelled: (what, when, ref) => `Cancelled: ${what}, ${when}. Ref ${ref}.`,
    admin_new_booking: (what, when, ref) => `New booking ${ref}: ${what}, ${when}.`,
    admin_moved: (what, when, ref, before) =>
      `Moved ${ref}: ${what}, now ${when}${before ? `; previously ${before}` : ''}.`,
    admin_cancelled: (what, when, ref) => `Cancelled ${ref}: ${what}, ${when}.`,
    series_moved: (what, when, ref, before) =>
      `Moved: ${what}, now ${when}${before ? `; previously ${before}` : ''}. Ref ${ref}.`,
    admin_series_moved: (what, when, ref, before) =>
      `Series ${ref} moved: ${what}, now ${when}${before ? `; previously ${before}` : ''}.`,
    series_cancelled: (what, when, ref) => `Cancelled: ${what}, ${when}. Ref ${ref}.`,
    admin_series_cancelled: (what, when, ref) => `Series ${ref} cancelled: ${what}, ${when}.`,
  },
}

const de: Words = {
  hello: (name) => `Hallo ${name},`,
  subject: {
    created: (what, when) => `Gebucht: ${what}, ${when}`,
    confirmed: (what, when) => `Bestätigt: ${what}, ${when}`,
    moved: (what, when) => `Verschoben: ${what}, ${when}`,
    reminder_24h: (what, when) => `Erinnerung: ${what}, ${when}`,
    reminder_1h: (what, when) => `Gleich geht es los: ${what}, ${when}`,
    cancelled: (what, when) => `Storniert: ${what}, ${when}`,
    admin_new_booking: (what, when, ref) => `Neue Buchung ${ref}: ${what}, ${when}`,
    admin_moved: (what, when, ref) => `Buchung ${ref} verschoben: ${what}, ${when}`,
    admin_cancelled: (what, when, ref) => `Buchung ${ref} storniert: ${what}, ${when}`,
    series_moved: (what, when) => `Verschoben: ${what}, ${when}`,
    admin_series_moved: (what, when, ref) => `Serie ${ref} verschoben: ${what}, ${when}`,
    series_cancelled: (what, when) => `Storniert: ${what}, ${when}`,
    admin_series_cancelled: (what, when, ref) => `Serie ${ref} storniert: ${what}, ${when}`,
  },
  lead: {
    created: 'Ihre Buchung ist bestätigt.',
    confirmed: 'Ihre Buchung wurde bestätigt.',
    moved: 'Ihre Buchung wurde auf einen neuen Termin verschoben.',
    reminder_24h: 'eine Erinnerung an Ihre Buchung morgen.',
    reminder_1h: 'Ihre Buchung beginnt in etwa einer Stunde.',
    cancelled: 'Ihre Buchung wurde storniert.',
    admin_new_booking: 'es gibt eine neue Buchung.',
    admin_moved: 'eine Buchung wurde verschoben.',
    admin_cancelled: 'eine Buchung wurde storniert.',
    series_moved: 'Ihre Serienbuchung wurde auf einen neuen Termin verschoben.',
    admin_series_moved: 'eine Serienbuchung wurde verschoben.',
    series_cancelled: 'Ihre Serienbuchung wurde storniert.',
    admin_series_cancelled: 'eine Serienbuchung wurde storniert.',
  },
  pendingLead: 'wir haben Ihre Buchungsanfrage erhalten und melden uns, sobald sie bestätigt ist.',
  when: 'Wann',
  previously: 'Bisher',
  until: 'Bis',
  reference: 'Buchungsnummer',
  manage: 'Buchung verwalten oder stornieren',
  guest: 'Gast',
  notes: 'Anmerkungen',
  refund: (amount, percent) => `Erstattung: ${amount} (${percent} %).`,
  places: (count) => (count === 1 ? '1 Platz' : `${count} Plätze`),
  bookedFor: 'Gebucht für',
  repeats: 'Wiederholung',
  series: 'Terminserie',
  repeat: (every, weekday, time) =>
    every === 1 ? `Jede Woche am ${weekday} um ${time}` : `Alle ${every} Wochen am ${weekday} um ${time}`,
  repeatCount: (count, last) => `, ${count}-mal (bis ${last})`,
  repeatUntil: (date) => ` bis ${date}`,
  localTime: (time, city) => (city ? `${time} Uhr Ortszeit ${city}` : `${time} Uhr`),
  skipped: 'Nicht gebucht (bereits vergeben)',
  paid: 'Bezahlt',
  paidFor: (amount, dates) => (dates === 1 ? `${amount} für 1 Termin` : `${amount} für ${dates} Termine`),
  // "dienstags 18:00 Uhr": a weekday as an adverb is written in lower case with an s.
  weekly: (weekday, time) => `${weekday.toLowerCase()}s ${time}`,
  seriesDates: (count, first) => (count === 1 ? `1 Termin am ${first}` : `${count} Termine ab ${first}`),
  seriesMoved: (admin, every, from, to, dates) =>
    `${admin ? 'eine' : 'Ihre'} ${every === 1 ? 'wöchentliche Buchung' : `Buchung alle ${every} Wochen`} wurde von ${from} auf ${to} verschoben: ${dates}.`,
  nextDate: 'Nächster Termin',
  dates: 'Termine',
  seriesCancelled: (admin, every, weekly, dates) =>
    `${admin ? 'eine' : 'Ihre'} ${every === 1 ? 'wöchentliche Buchung' : `Buchung alle ${every} Wochen`} ${weekly} wurde storniert: ${dates}.`,
  cancelledDates: 'Stornierte Termine',
  keptDates: 'Weiterhin gebucht (zu kurzfristig für eine Online-Stornierung)',
  refundTotal: (amount) => `Erstattung: insgesamt ${amount}.`,
  sms: {
    created: (what, when, ref) => `Gebucht: ${what}, ${when}. Nr. ${ref}.`,
    confirmed: (what, when, ref) => `Bestätigt: ${what}, ${when}. Nr. ${ref}.`,
    moved: (what, when, ref, before) =>
      `Verschoben: ${what}, jetzt ${when}${before ? `; bisher ${before}` : ''}. Nr. ${ref}.`,
    reminder_24h: (what, when, ref) => `Erinnerung: ${what}, ${when}. Nr. ${ref}.`,
    reminder_1h: (what, when, ref) => `Gleich: ${what}, ${when}. Nr. ${ref}.`,
    cancelled: (what, when, ref) => `Storniert: ${what}, ${when}. Nr. ${ref}.`,
    admin_new_booking: (what, when, ref) => `Neue Buchung ${ref}: ${what}, ${when}.`,
    admin_moved: (what, when, ref, before) =>
      `Verschoben ${ref}: ${what}, jetzt ${when}${before ? `; bisher ${before}` : ''}.`,
    admin_cancelled: (what, when, ref) => `Storniert ${ref}: ${what}, ${when}.`,
    series_moved: (what, when, ref, before) =>
      `Verschoben: ${what}, jetzt ${when}${before ? `; bisher ${before}` : ''}. Nr. ${ref}.`,
    admin_series_moved: (what, when, ref, before) =>
      `Serie ${ref} verschoben: ${what}, jetzt ${when}${before ? `; bisher ${before}` : ''}.`,
    series_cancelled: (what, when, ref) => `Storniert: ${what}, ${when}. Nr. ${ref}.`,
    admin_series_cancelled: (what, when, ref) => `Serie ${ref} storniert: ${what}, ${when}.`,
  },
}

const es: Words = {
  hello: (name) => `Hola ${name}:`,
  subject: {
    created: (what, when) => `Reservado: ${what}, ${when}`,
    confirmed: (what, when) => `Confirmado: ${what}, ${when}`,
    moved: (what, when) => `Reprogramado: ${what}, ${when}`,
    reminder_24h: (what, when) => `Recordatorio: ${what}, ${when}`,
    reminder_1h: (what, when) => `Empieza pronto: ${what}, ${when}`,
    cancelled: (what, when) => `Cancelado: ${what}, ${when}`,
    admin_new_booking: (what, when, ref) => `Nueva reserva ${ref}: ${what}, ${when}`,
    admin_moved: (what, when, ref) => `Reserva ${ref} reprogramada: ${what}, ${when}`,
    admin_cancelled: (what, when, ref) => `Reserva ${ref} cancelada: ${what}, ${when}`,
    series_moved: (what, when) => `Reprogramado: ${what}, ${when}`,
    admin_series_moved: (what, when, ref) => `Serie ${ref} reprogramada: ${what}, ${when}`,
    series_cancelled: (what, when) => `Cancelado: ${what}, ${when}`,
    admin_series_cancelled: (what, when, ref) => `Serie ${ref} cancelada: ${what}, ${when}`,
  },
  lead: {
    created: 'tu reserva está confirmada.',
    confirmed: 'tu reserva ha sido confirmada.',
    moved: 'tu reserva ha cambiado de fecha u hora.',
    reminder_24h: 'te recordamos tu reserva de mañana.',
    reminder_1h: 'tu reserva empieza en una hora aproximadamente.',
    cancelled: 'tu reserva ha sido cancelada.',
    admin_new_booking: 'hay una nueva reserva.',
    admin_moved: 'se ha reprogramado una reserva.',
    admin_cancelled: 'se ha cancelado una reserva.',
    series_moved: 'tu reserva periódica ha cambiado de fecha u hora.',
    admin_series_moved: 'se ha reprogramado una reserva periódica.',
    series_cancelled: 'tu reserva periódica ha sido cancelada.',
    admin_series_cancelled: 'se ha cancelado una reserva periódica.',
  },
  pendingLead: 'hemos recibido tu solicitud de reserva; te avisaremos cuando esté confirmada.',
  when: 'Cuándo',
  previously: 'Antes',
  until: 'Hasta',
  reference: 'Referencia',
  manage: 'Gestionar o cancelar tu reserva',
  guest: 'Cliente',
  notes: 'Notas',
  refund: (amount, percent) => `Reembolso: ${amount} (${percent} %).`,
  places: (count) => (count === 1 ? '1 plaza' : `${count} plazas`),
  bookedFor: 'Reservado para',
  repeats: 'Se repite',
  series: 'Serie',
  repeat: (every, weekday, time) =>
    every === 1 ? `Cada semana, el ${weekday} a las ${time}` : `Cada ${every} semanas, el ${weekday} a las ${time}`,
  repeatCount: (count, last) => `, ${count} veces (hasta el ${last})`,
  repeatUntil: (date) => ` hasta el ${date}`,
  localTime: (time, city) => (city ? `${time} hora de ${city}` : time),
  skipped: 'No reservadas (ya ocupadas)',
  paid: 'Pagado',
  paidFor: (amount, dates) => (dates === 1 ? `${amount} por 1 fecha` : `${amount} por ${dates} fechas`),
  // "los martes", "los sábados": weekdays ending in s do not change in the plural.
  weekly: (weekday, time) => `los ${weekday.endsWith('s') ? weekday : `${weekday}s`} a las ${time}`,
  seriesDates: (count, first) => (count === 1 ? `1 fecha, el ${first}` : `${count} fechas desde el ${first}`),
  seriesMoved: (admin, every, from, to, dates) => {
    const kind = every === 1 ? 'reserva semanal' : `reserva cada ${every} semanas`
    return admin
      ? `se ha cambiado una ${kind} de ${from} a ${to}: ${dates}.`
      : `tu ${kind} ha cambiado de ${from} a ${to}: ${dates}.`
  },
  nextDate: 'Próxima fecha',
  dates: 'Fechas',
  seriesCancelled: (admin, every, weekly, dates) => {
    const kind = every === 1 ? 'reserva semanal' : `reserva cada ${every} semanas`
    return admin
      ? `se ha cancelado una ${kind} de ${weekly}: ${dates}.`
      : `tu ${kind} de ${weekly} ha sido cancelada: ${dates}.`
  },
  cancelledDates: 'Fechas canceladas',
  keptDates: 'Siguen reservadas (demasiado cerca para cancelar en línea)',
  refundTotal: (amount) => `Reembolso: ${amount} en total.`,
  sms: {
    created: (what, when, ref) => `Reservado: ${what}, ${when}. Ref. ${ref}.`,
    confirmed: (what, when, ref) => `Confirmado: ${what}, ${when}. Ref. ${ref}.`,
    moved: (what, when, ref, before) =>
      `Reprogramado: ${what}, ahora ${when}${before ? `; antes ${before}` : ''}. Ref. ${ref}.`,
    reminder_24h: (what, when, ref) => `Recordatorio: ${what}, ${when}. Ref. ${ref}.`,
    reminder_1h: (what, when, ref) => `Empieza pronto: ${what}, ${when}. Ref. ${ref}.`,
    cancelled: (what, when, ref) => `Cancelado: ${what}, ${when}. Ref. ${ref}.`,
    admin_new_booking: (what, when, ref) => `Nueva reserva ${ref}: ${what}, ${when}.`,
    admin_moved: (what, when, ref, before) =>
      `Reprogramada ${ref}: ${what}, ahora ${when}${before ? `; antes ${before}` : ''}.`,
    admin_cancelled: (what, when, ref) => `Cancelada ${ref}: ${what}, ${when}.`,
    series_moved: (what, when, ref, before) =>
      `Reprogramado: ${what}, ahora ${when}${before ? `; antes ${before}` : ''}. Ref. ${ref}.`,
    admin_series_moved: (what, when, ref, before) =>
      `Serie ${ref} reprogramada: ${what}, ahora ${when}${before ? `; antes ${before}` : ''}.`,
    series_cancelled: (what, when, ref) => `Cancelado: ${what}, ${when}. Ref. ${ref}.`,
    admin_series_cancelled: (what, when, ref) => `Serie ${ref} cancelada: ${what}, ${when}.`,
  },
}

const WORDS: Record<MessageLanguage, Words> = { en, de, es }

/** Intl locales for a series' weekdays and dates, as message-time.ts writes dates (day before month, 24-hour clock). */
const INTL: Record<MessageLanguage, string> = { en: 'en-GB', de: 'de', es: 'es' }

const isAdmin = (event: NotificationRow['event']) => event.startsWith('admin_')

/**
 * A time as this message's reader reads it: the guest on the clock they booked with
 * (the resource's beside), the owner on the resource's clock (the guest's beside).
 */
export function formatWhen(at: Date, ctx: Pick<MessageContext, 'event' | 'language' | 'booking' | 'timezone'>): string {
  const booked = ctx.booking.guestTimezone
  const guestZone = booked && isValidTimeZone(booked) ? booked : ctx.timezone
  return isAdmin(ctx.event)
    ? formatMessageTime(at, ctx.language, ctx.timezone, guestZone)
    : formatMessageTime(at, ctx.language, guestZone, ctx.timezone)
}

/**
 * The end of a booking that ends on a later date than it starts in the resource's zone (a
 * car rented from Friday to Monday, a stay): its start alone would not say when it ends.
 */
function untilOf(ctx: MessageContext): string | undefined {
  const { startsAt, endsAt } = ctx.booking
  return nightsBetween(startsAt.getTime(), endsAt.getTime(), ctx.timezone) > 0 ? formatWhen(endsAt, ctx) : undefined
}

/**
 * Typed text as one line: every run of whitespace, control characters (C0, DEL, C1) and
 * Unicode line or paragraph separators becomes one space, ends trimmed.
 */
export function oneLine(value: string): string {
  return value.replace(/[\s\p{Cc}\u2028\u2029]+/gu, ' ').trim()
}

/** The context with what was typed made single-line; the only way typed text reaches a message. */
function typedAsOneLine(ctx: MessageContext): MessageContext {
  const { booking } = ctx
  return {
    ...ctx,
    resourceName: oneLine(ctx.resourceName),
    booking: {
      ...booking,
      guestName: oneLine(booking.guestName),
      guestEmail: oneLine(booking.guestEmail),
      guestPhone: booking.guestPhone === null ? null : oneLine(booking.guestPhone),
      notes: booking.notes === null ? null : oneLine(booking.notes),
    },
  }
}

export function renderEmail(typed: MessageContext): EmailContent {
  const ctx = typedAsOneLine(typed)
  const w = WORDS[ctx.language]
  const { booking } = ctx
  const admin = isAdmin(ctx.event)
  const seriesNotice = seriesMoveWords(ctx, w) ?? seriesCancelWords(ctx, w)
  const when = seriesNotice?.when ?? formatWhen(booking.startsAt, ctx)
  const lead =
    seriesNotice?.lead ?? (ctx.event === 'created' && booking.status === 'pending' ? w.pendingLead : w.lead[ctx.event])
  const facts: [string, string][] = []
  if (seriesNotice) {
    facts.push(...seriesNotice.facts)
  } else {
    facts.push([w.when, when])
    const until = untilOf(ctx)
    if (until) facts.push([w.until, until])
    if (ctx.previousStart) facts.push([w.previously, formatWhen(ctx.previousStart, ctx)])
  }
  if (booking.seats > 1) facts.push([w.bookedFor, w.places(booking.seats)])
  facts.push(...seriesFacts(ctx, w))
  const ref = seriesRef(ctx)
  facts.push([w.reference, ref])
  if (admin) {
    facts.push([w.guest, [booking.guestName, booking.guestEmail, booking.guestPhone].filter(Boolean).join(', ')])
    if (booking.notes) facts.push([w.notes, booking.notes])
    // Each intake answer under its question as the guest was asked it (typed text: one line).
    for (const item of readableAnswers(booking.questionsAsked, booking.answers, ctx.language))
      facts.push([oneLine(item.question), oneLine(item.answer)])
  }
  const refund =
    seriesNotice?.refund ??
    (ctx.event === 'cancelled' && booking.settlement && booking.settlement.refund > 0 && booking.settlement.currency
      ? w.refund(
          formatMoney(booking.settlement.refund, booking.settlement.currency, ctx.language),
          booking.settlement.percent,
        )
      : undefined)
  const manage = !admin && ctx.event !== 'cancelled' && ctx.event !== 'series_cancelled' ? ctx.manageUrl : undefined
  const greeting = admin ? '' : w.hello(booking.guestName)

  const text = [
    greeting ? `${greeting}\n` : '',
    `${ctx.resourceName}: ${lead}\n`,
    ...facts.map(([label, value]) => `${label}: ${value}`),
    refund ? `\n${refund}` : '',
    manage ? `\n${w.manage}: ${manage}` : '',
  ]
    .filter((line) => line !== '')
    .join('\n')

  const html = `<!doctype html><html lang="${ctx.language}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2937">
${greeting ? `<p>${escapeHtml(greeting)}</p>` : ''}
<p><strong>${escapeHtml(ctx.resourceName)}</strong>: ${escapeHtml(lead)}</p>
<table role="presentation">${facts.map(([label, value]) => `<tr><th align="left" style="padding-right:12px">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('')}</table>
${refund ? `<p>${escapeHtml(refund)}</p>` : ''}
${manage ? `<p><a href="${escapeHtml(manage)}">${escapeHtml(w.manage)}</a></p>` : ''}
</body></html>`
  // One line whatever the words or a zone's name hold: a subject is a header.
  return { subject: oneLine(w.subject[ctx.event](what(ctx, w), when, ref)), text, html }
}

/**
 * The clock a message about a whole series reads on: the guest's (naming its place when it
 * is not the resource's), the owner's the resource's; "Tuesdays 18:00" for a weekly time.
 */
function seriesClock(ctx: MessageContext, w: Words) {
  const { booking, timezone } = ctx
  const guestZone = booking.guestTimezone && isValidTimeZone(booking.guestTimezone) ? booking.guestTimezone : timezone
  const zone = isAdmin(ctx.event) ? timezone : guestZone
  const format = (options: Intl.DateTimeFormatOptions, at: Date) =>
    new Intl.DateTimeFormat(INTL[ctx.language], { ...options, timeZone: zone }).format(at)
  const city = zone === timezone ? undefined : placeName(zone, ctx.language)
  const weekly = (at: Date) =>
    w.weekly(
      format({ weekday: 'long' }, at),
      w.localTime(format({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, at), city),
    )
  return { format, weekly }
}

/**
 * A whole series' move in the reader's words: from the weekday and time the guest knew to
 * the new ones ("Tuesdays 18:00" → "Thursdays 19:00", on the guest's clock, the owner's on
 * the resource's), how many dates from when, and those dates. The first date's old and new
 * time stand for all: every date moved by the same days to the same wall time.
 */
function seriesMoveWords(ctx: MessageContext, w: Words) {
  const { seriesMove, booking } = ctx
  const [first] = seriesMove?.moves ?? []
  if (!seriesMove || !first) return undefined
  const { format, weekly } = seriesClock(ctx, w)
  const [from, to] = [weekly(first.from), weekly(first.to)]
  const count = w.seriesDates(seriesMove.moves.length, format(DAY, first.to))
  return {
    from,
    when: `${to}, ${count}`,
    lead: w.seriesMoved(isAdmin(ctx.event), seriesMove.everyWeeks, from, to, count),
    facts: [
      [w.nextDate, formatWhen(booking.startsAt, ctx)],
      [w.dates, seriesMove.moves.map((move) => format(DAY, move.to)).join(', ')],
    ] as [string, string][],
    refund: undefined,
  }
}

/**
 * A whole series' cancellation in the reader's words, on the same clock as a series move:
 * which weekly time ("Tuesdays 18:00"), how many dates from when, each cancelled date, the
 * dates the policy kept, and what comes back in total.
 */
function seriesCancelWords(ctx: MessageContext, w: Words) {
  const { seriesCancel } = ctx
  const [first] = seriesCancel?.cancelled ?? []
  if (!seriesCancel || !first) return undefined
  const { format, weekly } = seriesClock(ctx, w)
  const day = (at: Date) => format(DAY, at)
  const count = w.seriesDates(seriesCancel.cancelled.length, day(first))
  const facts: [string, string][] = [[w.cancelledDates, seriesCancel.cancelled.map(day).join(', ')]]
  if (seriesCancel.kept.length > 0) facts.push([w.keptDates, seriesCancel.kept.map(day).join(', ')])
  const total = seriesCancel.refunds
    .filter((refund) => refund.amount > 0)
    .map((refund) => formatMoney(refund.amount, refund.currency, ctx.language))
  return {
    from: '',
    when: `${weekly(first)}, ${count}`,
    lead: w.seriesCancelled(isAdmin(ctx.event), seriesCancel.everyWeeks, weekly(first), count),
    facts,
    refund: total.length > 0 ? w.refundTotal(total.join(' + ')) : undefined,
  }
}

/** The ref a message names: the series' for a message about a whole series, else the booking's. */
function seriesRef(ctx: MessageContext): string {
  return ctx.seriesMove?.ref ?? ctx.seriesCancel?.ref ?? ctx.booking.ref
}

/**
 * How a series repeats and the dates it skipped, on the resource's clock (its dates keep that
 * wall time): "Every week on Tuesday at 18:00, 12 times (until 15 Dec 2026)". Named with the
 * resource's place when the guest reads times on another clock.
 */
function seriesFacts(ctx: MessageContext, w: Words): [string, string][] {
  const { series, booking, timezone } = ctx
  if (!series) return []
  const intl = INTL[ctx.language]
  const format = (options: Intl.DateTimeFormatOptions, at: Date, zone = timezone) =>
    new Intl.DateTimeFormat(intl, { ...options, timeZone: zone }).format(at)
  const day = (date: string) => format(DAY, new Date(`${date}T12:00:00Z`), 'UTC')
  const clock = format({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, booking.startsAt)
  const guestZone = booking.guestTimezone && isValidTimeZone(booking.guestTimezone) ? booking.guestTimezone : timezone
  const time = w.localTime(
    clock,
    isAdmin(ctx.event) || guestZone === timezone ? undefined : placeName(timezone, ctx.language),
  )
  const ends = series.untilDate
    ? w.repeatUntil(day(series.untilDate))
    : w.repeatCount(series.count, format(DAY, series.lastStart))
  const facts: [string, string][] = [
    [w.repeats, w.repeat(series.everyWeeks, format({ weekday: 'long' }, booking.startsAt), time) + ends],
    [w.series, series.ref],
  ]
  if (series.skippedDates.length > 0) facts.push([w.skipped, series.skippedDates.map(day).join(', ')])
  if (series.paid)
    facts.push([
      w.paid,
      w.paidFor(formatMoney(series.paid.amount, series.paid.currency, ctx.language), series.paid.dates),
    ])
  return facts
}

const DAY: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric' }

/** What was booked, as subjects and SMS name it: the resource, with the places when more than one. */
function what(ctx: MessageContext, w: Words): string {
  const { seats } = ctx.booking
  return seats > 1 ? `${ctx.resourceName} (${w.places(seats)})` : ctx.resourceName
}

/** One short SMS; a link only where the guest may act on it. */
export function renderSms(typed: MessageContext): string {
  const ctx = typedAsOneLine(typed)
  const w = WORDS[ctx.language]
  const until = untilOf(ctx)
  const seriesNotice = seriesMoveWords(ctx, w) ?? seriesCancelWords(ctx, w)
  const when =
    seriesNotice?.when ??
    (until ? `${formatWhen(ctx.booking.startsAt, ctx)} – ${until}` : formatWhen(ctx.booking.startsAt, ctx))
  const before = seriesNotice?.from ?? (ctx.previousStart ? formatWhen(ctx.previousStart, ctx) : '')
  const body = w.sms[ctx.event](what(ctx, w), when, seriesRef(ctx), before)
  const withLink =
    ctx.event === 'created' || ctx.event === 'moved' || ctx.event === 'series_moved' || ctx.event === 'reminder_24h'
  return ctx.manageUrl && withLink ? `${body} ${ctx.manageUrl}` : body
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}
