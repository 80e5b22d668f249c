import type { WaitlistEntryRow, WaitlistMessageRow, WaitlistOfferRow } from '../../drizzle/schema'
import type { MessageLanguage } from '../../shared/schemas'
import { isValidTimeZone } from '../../shared/time-zone'
import { formatMessageTime } from '../notify/message-time'
import { escapeHtml, oneLine, type EmailContent } from '../notify/messages'

/*
 * The words of the waitlist's messages to a waiter: "you are on the list" when they join,
 * "a time is free for you" when one is offered, "you are no longer on the list" when the
 * owner removes the entry (that one links nowhere: the entry's page is gone). Times read on the clock the guest joined
 * with (else the resource's), stating whose clock it is, as the booking messages do. Typed
 * text (names, the resource's name) enters only through `oneLine`, and is escaped in HTML.
 */

export interface WaitlistMessageContext {
  event: WaitlistMessageRow['event']
  language: MessageLanguage
  entry: Pick<WaitlistEntryRow, 'ref' | 'kind' | 'windowStart' | 'windowEnd' | 'seats' | 'guestName' | 'guestTimezone'>
  /** For `offered`: the time offered and until when it is kept. */
  offer?: Pick<WaitlistOfferRow, 'startsAt' | 'expiresAt'> | undefined
  resourceName: string
  /** The resource's zone. */
  timezone: string
  /** Minutes a freed time is kept for the waiter (the resource's, else the default). */
  offerMinutes: number
  /** Whether the waiter is also told by SMS (a phone given and an SMS provider configured). */
  smsToo: boolean
  /** The waitlist view of the manage page, with the entry's token; none when it cannot be built. */
  link: string | undefined
  /** When the message is written: an expiry on that day is said as a clock time alone. */
  now: number
}

interface Words {
  hello: (name: string) => string
  joinedSubject: (what: string, window: string) => string
  joinedLead: string
  waitingFor: string
  places: (count: number) => string
  seatsLabel: string
  reference: string
  /** What happens when a time frees, and how long it is kept. */
  joinedHow: (minutes: number, smsToo: boolean) => string
  seeOrLeave: string
  offeredSubject: (what: string, when: string) => string
  /** The offered time and until when it is kept; `clockOnly`: `until` is a time of today. */
  offeredLead: (what: string, when: string, until: string, clockOnly: boolean) => string
  claim: string
  declineNote: string
  offeredSms: (what: string, when: string, until: string, clockOnly: boolean) => string
  removedSubject: (what: string, window: string) => string
  removedLead: (what: string) => string
  /** The fact line naming the window an entry waited on, once it waits no more. */
  requested: string
  /** One slot, a stretch of a day, a whole day. `clocks` ends with the clock's place. */
  slot: (date: string, clocks: string) => string
  range: (date: string, clocks: string) => string
  day: (date: string) => string
  /** How two clock times join in `slot` and `range` ("18:00–19:00", "zwischen 17:00 und 20:00"). */
  slotClocks: (from: string, to: string) => string
  rangeClocks: (from: string, to: string) => string
}

const en: Words = {
  hello: (name) => `Hello ${name},`,
  joinedSubject: (what, window) => `You're on the waitlist: ${what}, ${window}`,
  joinedLead: 'you are on the waitlist.',
  waitingFor: 'Waiting for',
  places: (count) => (count === 1 ? '1 place' : `${count} places`),
  seatsLabel: 'For',
  reference: 'Reference',
  joinedHow: (minutes, smsToo) =>
    `As soon as a matching time frees up, we will let you know by email${smsToo ? ' and text message' : ''}. ` +
    `We keep that time for you for ${minutes} minutes: claim it from the link in that message.`,
  seeOrLeave: 'See your place or leave the waitlist',
  offeredSubject: (what, when) => `Free for you: ${what}, ${when}`,
  offeredLead: (what, when, until) => `A time at ${what} is free for you: ${when}. It is kept for you until ${until}.`,
  claim: 'Claim it',
  declineNote: 'Not for you? Decline it on the same page, and you stay on the waitlist for other times.',
  offeredSms: (what, when, until) => `A time at ${what} is free for you: ${when}, kept until ${until}.`,
  removedSubject: (what, window) => `No longer on the waitlist: ${what}, ${window}`,
  removedLead: (what) => `You are no longer on the waitlist for ${what}. The place could not be kept for you.`,
  requested: 'Requested time',
  slot: (date, clocks) => `${date}, ${clocks}`,
  range: (date, clocks) => `${date}, any time ${clocks}`,
  day: (date) => `any time on ${date}`,
  slotClocks: (from, to) => `${from}–${to}`,
  rangeClocks: (from, to) => `${from}–${to}`,
}

const de: Words = {
  hello: (name) => `Hallo ${name},`,
  joinedSubject: (what, window) => `Sie stehen auf der Warteliste: ${what}, ${window}`,
  joinedLead: 'Sie stehen auf der Warteliste.',
  waitingFor: 'Gewünschte Zeit',
  places: (count) => (count === 1 ? '1 Platz' : `${count} Plätze`),
  seatsLabel: 'Für',
  reference: 'Referenznummer',
  joinedHow: (minutes, smsToo) =>
    `Sobald eine passende Zeit frei wird, benachrichtigen wir Sie per E-Mail${smsToo ? ' und SMS' : ''}. ` +
    `Wir halten diese Zeit dann ${minutes} Minuten lang für Sie frei: Buchen Sie sie über den Link in der Benachrichtigung.`,
  seeOrLeave: 'Ihren Platz ansehen oder die Warteliste verlassen',
  offeredSubject: (what, when) => `Für Sie frei: ${what}, ${when}`,
  offeredLead: (what, when, until) =>
    `Bei ${what} ist ein Termin für Sie frei geworden: ${when}. Wir reservieren ihn bis ${until} für Sie.`,
  claim: 'Termin buchen',
  declineNote:
    'Passt er Ihnen nicht? Auf derselben Seite können Sie ihn ablehnen; für andere Zeiten bleiben Sie auf der Warteliste.',
  offeredSms: (what, when, until) => `Bei ${what} ist ein Termin für Sie frei: ${when}, reserviert bis ${until}.`,
  removedSubject: (what, window) => `Nicht mehr auf der Warteliste: ${what}, ${window}`,
  removedLead: (what) =>
    `Sie stehen nicht mehr auf der Warteliste für ${what}. Der Platz konnte leider nicht für Sie freigehalten werden.`,
  requested: 'Gewünschte Zeit',
  slot: (date, clocks) => `${date}, ${clocks}`,
  range: (date, clocks) => `${date}, jederzeit ${clocks}`,
  day: (date) => `jederzeit am ${date}`,
  slotClocks: (from, to) => `${from}–${to}`,
  rangeClocks: (from, to) => `zwischen ${from} und ${to}`,
}

const es: Words = {
  hello: (name) => `Hola ${name}:`,
  joinedSubject: (what, window) => `Estás en la lista de espera: ${what}, ${window}`,
  joinedLead: 'estás en la lista de espera.',
  waitingFor: 'Horario deseado',
  places: (count) => (count === 1 ? '1 plaza' : `${count} plazas`),
  seatsLabel: 'Para',
  reference: 'Referencia',
  joinedHow: (minutes, smsToo) =>
    `En cuanto quede libre un horario que te encaje, te avisaremos por correo electrónico${smsToo ? ' y por SMS' : ''}. ` +
    `Te lo guardaremos durante ${minutes} minutos: resérvalo desde el enlace de ese mensaje.`,
  seeOrLeave: 'Ver tu lugar o salir de la lista de espera',
  offeredSubject: (what, when) => `Libre para ti: ${what}, ${when}`,
  offeredLead: (what, when, until, clockOnly) =>
    `Ha quedado libre un horario para ti en ${what}: ${when}. Te lo guardamos hasta ${clockOnly ? 'las' : 'el'} ${until}.`,
  claim: 'Resérvalo',
  declineNote:
    '¿No te viene bien? Puedes rechazarlo en la misma página y seguirás en la lista de espera para otros horarios.',
  offeredSms: (what, when, until, clockOnly) =>
    `Libre para ti en ${what}: ${when}. Te lo guardamos hasta ${clockOnly ? 'las' : 'el'} ${until}.`,
  removedSubject: (what, window) => `Ya no estás en la lista de espera: ${what}, ${window}`,
  removedLead: (what) => `Ya no estás en la lista de espera de ${what}. No ha sido posible mantener tu lugar.`,
  requested: 'Horario deseado',
  slot: (date, clocks) => `${date}, ${clocks}`,
  range: (date, clocks) => `${date}, a cualquier hora ${clocks}`,
  day: (date) => `a cualquier hora del ${date}`,
  slotClocks: (from, to) => `${from}–${to}`,
  rangeClocks: (from, to) => `entre las ${from} y las ${to}`,
}

const WORDS: Record<MessageLanguage, Words> = { en, de, es }

/** Intl locales as message-time.ts uses them: day-month order and a 24-hour clock in English too. */
const INTL: Record<MessageLanguage, string> = { en: 'en-GB', de: 'de', es: 'es' }
const LONG_DATE: Intl.DateTimeFormatOptions = { dateStyle: 'full' }
const SHORT_DATE: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short' }
const CLOCK: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }

function format(at: Date, language: MessageLanguage, zone: string, options: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(INTL[language], { ...options, timeZone: zone }).format(at)
}

/** The zone the guest reads times in: the one they joined with, else the resource's. */
function readerZone(ctx: Pick<WaitlistMessageContext, 'entry' | 'timezone'>): string {
  const joined = ctx.entry.guestTimezone
  return joined && isValidTimeZone(joined) ? joined : ctx.timezone
}

/**
 * `at`'s clock time with the place whose clock it is ("18:00 London time", "18:00 Uhr
 * Ortszeit London"): formatMessageTime's wording without the date, so places read alike in
 * every message. `clocks` replaces the time (a range of two), when given.
 */
function clockWithPlace(at: Date, language: MessageLanguage, zone: string, clocks?: string): string {
  const date = format(at, language, zone, LONG_DATE)
  const time = format(at, language, zone, CLOCK)
  const full = formatMessageTime(at, language, zone)
  const withPlace = full.startsWith(`${date}, `) ? full.slice(date.length + 2) : time
  return clocks === undefined ? withPlace : withPlace.replace(time, clocks)
}

/**
 * The window a waiter waits on, as the widget offered it: one slot, a stretch of a day, or
 * a whole day. Slots and stretches read on the guest's clock; a day is the resource's
 * local day, so its clock is named when the guest's is another.
 */
export function formatWindow(ctx: Pick<WaitlistMessageContext, 'entry' | 'timezone' | 'language'>): string {
  const w = WORDS[ctx.language]
  const { kind, windowStart: start, windowEnd: end } = ctx.entry
  if (kind === 'day') {
    const day = w.day(format(start, ctx.language, ctx.timezone, LONG_DATE))
    if (readerZone(ctx) === ctx.timezone) return day
    return `${day} (${clockWithPlace(start, ctx.language, ctx.timezone, w.slotClocks('00:00', '24:00'))})`
  }
  const zone = readerZone(ctx)
  const clocks = kind === 'slot' ? w.slotClocks : w.rangeClocks
  const range = clocks(format(start, ctx.language, zone, CLOCK), endClock(start, end, ctx.language, zone))
  const date = format(start, ctx.language, zone, LONG_DATE)
  return (kind === 'slot' ? w.slot : w.range)(date, clockWithPlace(start, ctx.language, zone, range))
}

/** The end's clock: 24:00 at the next midnight, the date too when it is later than that. */
function endClock(start: Date, end: Date, language: MessageLanguage, zone: string): string {
  const clock = format(end, language, zone, CLOCK)
  const startDay = format(start, language, zone, SHORT_DATE)
  if (format(end, language, zone, SHORT_DATE) === startDay) return clock
  const justBefore = new Date(end.getTime() - 1)
  if (clock === '00:00' && format(justBefore, language, zone, SHORT_DATE) === startDay) return '24:00'
  return `${format(end, language, zone, SHORT_DATE)}, ${clock}`
}

/** The offered time as booking messages say a booking's: the guest's clock, the resource's beside. */
function offeredWhen(ctx: WaitlistMessageContext, offer: NonNullable<WaitlistMessageContext['offer']>): string {
  return formatMessageTime(offer.startsAt, ctx.language, readerZone(ctx), ctx.timezone)
}

/** Until when the offer is kept: a clock time when that is today on the guest's clock, else the full time. */
function keptUntil(ctx: WaitlistMessageContext, offer: NonNullable<WaitlistMessageContext['offer']>) {
  const zone = readerZone(ctx)
  const today = format(new Date(ctx.now), ctx.language, zone, SHORT_DATE)
  const clockOnly = format(offer.expiresAt, ctx.language, zone, SHORT_DATE) === today
  const until = clockOnly
    ? clockWithPlace(offer.expiresAt, ctx.language, zone)
    : formatMessageTime(offer.expiresAt, ctx.language, zone)
  return { until, clockOnly }
}

/** The context with what was typed made single-line; the only way typed text reaches a message. */
function typedAsOneLine(ctx: WaitlistMessageContext): WaitlistMessageContext {
  return {
    ...ctx,
    resourceName: oneLine(ctx.resourceName),
    entry: { ...ctx.entry, guestName: oneLine(ctx.entry.guestName) },
  }
}

/** What is waited for, as subjects and SMS name it: the resource, with the places when more than one. */
function what(ctx: WaitlistMessageContext, w: Words): string {
  return ctx.entry.seats > 1 ? `${ctx.resourceName} (${w.places(ctx.entry.seats)})` : ctx.resourceName
}

function requireOffer(ctx: WaitlistMessageContext): NonNullable<WaitlistMessageContext['offer']> {
  if (!ctx.offer) throw new Error('an offered message needs its offer')
  return ctx.offer
}

export function renderWaitlistEmail(typed: WaitlistMessageContext): EmailContent {
  const ctx = typedAsOneLine(typed)
  const w = WORDS[ctx.language]
  const greeting = w.hello(ctx.entry.guestName)
  const facts: [string, string][] = []
  let subject: string
  let lead: string
  /** Said before the link (what will happen) and after it (what else the page does). */
  let before: string | undefined
  let after: string | undefined
  let linkLabel = ''
  let link = ctx.link
  if (ctx.event === 'removed') {
    const window = formatWindow(ctx)
    subject = w.removedSubject(what(ctx, w), window)
    lead = w.removedLead(what(ctx, w))
    facts.push([w.requested, window])
    facts.push([w.reference, ctx.entry.ref])
    // The entry's page shows nothing to do any more: no link.
    link = undefined
  } else if (ctx.event === 'joined') {
    const window = formatWindow(ctx)
    subject = w.joinedSubject(what(ctx, w), window)
    lead = `${ctx.resourceName}: ${w.joinedLead}`
    facts.push([w.waitingFor, window])
    if (ctx.entry.seats > 1) facts.push([w.seatsLabel, w.places(ctx.entry.seats)])
    facts.push([w.reference, ctx.entry.ref])
    before = w.joinedHow(ctx.offerMinutes, ctx.smsToo)
    linkLabel = w.seeOrLeave
  } else {
    const offer = requireOffer(ctx)
    const when = offeredWhen(ctx, offer)
    const { until, clockOnly } = keptUntil(ctx, offer)
    subject = w.offeredSubject(what(ctx, w), when)
    lead = w.offeredLead(what(ctx, w), when, until, clockOnly)
    after = w.declineNote
    linkLabel = w.claim
  }

  const text = [
    `${greeting}\n`,
    `${lead}${facts.length ? '\n' : ''}`,
    ...facts.map(([label, value]) => `${label}: ${value}`),
    before ? `\n${before}` : '',
    link ? `\n${linkLabel}: ${link}` : '',
    after ? `\n${after}` : '',
  ]
    .filter((line) => line !== '')
    .join('\n')

  const paragraph = (value: string | undefined) => (value ? `<p>${escapeHtml(value)}</p>` : '')
  const html = `<!doctype html><html lang="${ctx.language}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2937">
${paragraph(greeting)}
${paragraph(lead)}
${facts.length ? `<table role="presentation">${facts.map(([label, value]) => `<tr><th align="left" style="padding-right:12px">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('')}</table>` : ''}
${paragraph(before)}
${link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(linkLabel)}</a></p>` : ''}
${paragraph(after)}
</body></html>`
  // One line whatever the words or a zone's name hold: a subject is a header.
  return { subject: oneLine(subject), text, html }
}

/** The offer by SMS (joining is told by email alone): the time, until when it is kept, the claim link. */
export function renderWaitlistSms(typed: WaitlistMessageContext): string {
  const ctx = typedAsOneLine(typed)
  const w = WORDS[ctx.language]
  const offer = requireOffer(ctx)
  const { until, clockOnly } = keptUntil(ctx, offer)
  const body = w.offeredSms(what(ctx, w), offeredWhen(ctx, offer), until, clockOnly)
  return ctx.link ? `${body} ${w.claim}: ${ctx.link}` : body
}
