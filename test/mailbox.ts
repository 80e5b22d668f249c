import type { ParsedMail } from 'mailparser'
import { Temporal } from 'temporal-polyfill'
import { startSmtpSink, type SmtpSink } from './smtp-sink'

/**
 * A guest's or owner's inbox on a real local SMTP server: what the outbox worker actually
 * sent, read the way a person reads mail (by recipient, newest last), with the calendar
 * file a mail client would offer to import.
 */
export interface Mailbox {
  /** For SMTP_URL-style configuration of the sender. */
  url: string
  /** Every message received so far to `address`, oldest first. */
  to(address: string): ParsedMail[]
  /** Every message received so far, oldest first. */
  all(): ParsedMail[]
  /** Resolves with the first message to `address` that `match` accepts; rejects after `timeoutMs`, saying what did arrive. */
  waitFor(address: string, match: (mail: ParsedMail) => boolean, what: string, timeoutMs?: number): Promise<ParsedMail>
  close(): Promise<void>
}

export async function startMailbox(): Promise<Mailbox> {
  const sink: SmtpSink = await startSmtpSink()
  const to = (address: string) => sink.messages.filter((mail) => addressesOf(mail).includes(address.toLowerCase()))
  return {
    url: sink.url,
    to,
    all: () => [...sink.messages],
    async waitFor(address, match, what, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs
      // Mail arrives over a socket from the outbox worker; there is no event to wait on but its arrival.
      for (;;) {
        const found = to(address).find(match)
        if (found) return found
        if (Date.now() > deadline) {
          const seen = to(address).map((mail) => `“${mail.subject ?? ''}”`)
          throw new Error(
            `${address} never received ${what} within ${timeoutMs} ms; received: ${seen.join(', ') || 'nothing'}`,
          )
        }
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    },
    close: () => sink.close(),
  }
}

/** The recipients' addresses, lower-cased. */
export function addressesOf(mail: ParsedMail): string[] {
  const list = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []
  return list.flatMap((group) => group.value.map((a) => (a.address ?? '').toLowerCase()))
}

/** The plain-text body, or the HTML with its tags dropped when a mail has no text part. */
export function bodyOf(mail: ParsedMail): string {
  if (mail.text) return mail.text
  return typeof mail.html === 'string' ? mail.html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&') : ''
}

/** The manage link a guest taps in the email (the HTML's link, else the first one in the text). */
export function manageLinkOf(mail: ParsedMail): string | undefined {
  const html = typeof mail.html === 'string' ? mail.html : ''
  const fromHtml = [...html.matchAll(/href="([^"]+)"/g)]
    .map((m) => m[1]!.replace(/&amp;/g, '&'))
    .find((href) => /\/manage#/.test(href))
  return fromHtml ?? bodyOf(mail).match(/https?:\/\/\S+\/manage#\S+/)?.[0]
}

/** One calendar event as a calendar app reads it from the attached .ics. */
export interface CalendarInvite {
  filename: string
  contentType: string
  /** The raw text, for messages when an assertion fails. */
  raw: string
  method: string | undefined
  uid: string | undefined
  sequence: number | undefined
  summary: string | undefined
  description: string | undefined
  status: string | undefined
  /** DTSTART as an instant (ms), whether written in UTC or with a TZID. */
  start: number | undefined
}

/** Every .ics attached to `mail`, parsed. */
export function invitesOf(mail: ParsedMail): CalendarInvite[] {
  return mail.attachments
    .filter((a) => /\.ics$/i.test(a.filename ?? '') || /^text\/calendar/i.test(a.contentType))
    .map((a) => {
      const raw = a.content.toString('utf8')
      const lines = unfold(raw)
      const calendar = lines.slice(
        0,
        Math.max(
          0,
          lines.findIndex((l) => l.name === 'BEGIN' && l.value === 'VEVENT'),
        ),
      )
      const event = lines.slice(lines.findIndex((l) => l.name === 'BEGIN' && l.value === 'VEVENT'))
      const prop = (from: IcsLine[], name: string) => from.find((l) => l.name === name)
      const sequence = prop(event, 'SEQUENCE')?.value
      const dtstart = prop(event, 'DTSTART')
      return {
        filename: a.filename ?? '',
        contentType: a.contentType,
        raw,
        method: prop(calendar, 'METHOD')?.value,
        uid: prop(event, 'UID')?.value,
        sequence: sequence === undefined ? undefined : Number(sequence),
        summary: unescapeText(prop(event, 'SUMMARY')?.value),
        description: unescapeText(prop(event, 'DESCRIPTION')?.value),
        status: prop(event, 'STATUS')?.value,
        start: dtstart ? icsInstant(dtstart.value, dtstart.params.TZID) : undefined,
      }
    })
}

interface IcsLine {
  name: string
  params: Record<string, string>
  value: string
}

/** RFC 5545 content lines: folded lines joined, each split into name, parameters and value. */
function unfold(raw: string): IcsLine[] {
  return raw
    .replace(/\r?\n[ \t]/g, '')
    .split(/\r?\n/)
    .filter(Boolean)
    .map((line) => {
      const colon = nameEnd(line)
      const head = line.slice(0, colon)
      const [name = '', ...params] = head.split(';')
      return {
        name: name.toUpperCase(),
        params: Object.fromEntries(
          params.map((p) => [p.split('=')[0]!.toUpperCase(), p.slice(p.indexOf('=') + 1).replace(/^"|"$/g, '')]),
        ),
        value: line.slice(colon + 1),
      }
    })
}

/** Where a line's name and parameters end: the first colon outside a quoted parameter value. */
function nameEnd(line: string): number {
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted
    else if (line[i] === ':' && !quoted) return i
  }
  return line.length
}

function unescapeText(value: string | undefined): string | undefined {
  return value?.replace(/\\[nN]/g, '\n').replace(/\\([,;\\])/g, '$1')
}

function icsInstant(value: string, tzid: string | undefined): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/.exec(value)
  if (!m) return undefined
  const [, y, mo, d, h, mi, s, utc] = m
  if (utc) return Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!)
  const local = Temporal.PlainDateTime.from({ year: +y!, month: +mo!, day: +d!, hour: +h!, minute: +mi!, second: +s! })
  return local.toZonedDateTime(tzid ?? 'UTC').epochMilliseconds
}
