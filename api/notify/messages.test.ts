import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { simpleParser } from 'mailparser'
import { describe, expect, it } from 'vitest'
import { NOTIFICATION_EVENTS, type BookingRow } from '../../drizzle/schema'
import { silentLogger } from '../logger'
import { bookingToIcs } from '../bookings/booking-ics'
import { createFileSender } from './email'
import { oneLine, renderEmail, renderSms, type MessageContext } from './messages'

/*
 * Text a guest (or an owner) typed never shapes a message: line breaks and control
 * characters in it become single spaces in the subject, the plain-text body and SMS,
 * and it stays escaped in HTML.
 */

const hostileName = 'Ann\r\nBcc: evil@x'
const hostileRoom = 'Room\r\nBcc: evil@x\u0000\u0007'
const hostileNotes = 'first line\n\nBcc: evil@x\u2028second\tpart\u0085end'

function context(event: MessageContext['event'], language: MessageContext['language']): MessageContext {
  const booking = {
    id: '00000000-0000-4000-8000-000000000001',
    ref: 'ABCD2345',
    resourceId: '00000000-0000-4000-8000-000000000002',
    status: 'confirmed',
    startsAt: new Date('2030-11-25T15:00:00Z'),
    endsAt: new Date('2030-11-25T16:00:00Z'),
    guestName: hostileName,
    guestEmail: 'ann@example.com',
    guestPhone: '+447400123456',
    notes: hostileNotes,
    locale: language,
    guestTimezone: 'Europe/London',
    settlement: null,
  } as unknown as BookingRow
  return {
    event,
    language,
    booking,
    resourceName: hostileRoom,
    timezone: 'Europe/Berlin',
    manageUrl: 'https://book.example/manage#ref=ABCD2345&token=t',
    previousStart: event === 'moved' || event === 'admin_moved' ? new Date('2030-11-24T15:00:00Z') : undefined,
  }
}

/** A line of the text that starts with something other than the message's own words. */
const injected = /^(Bcc|Cc|To|From|Subject|second|end)\b/im

describe('oneLine', () => {
  it('collapses runs of whitespace and control characters to one space and trims', () => {
    expect(oneLine(hostileName)).toBe('Ann Bcc: evil@x')
    expect(oneLine('  a \r\n\r\n b\u0000\u001fc\u007f\u009fd\u2028e\u2029f  ')).toBe('a b c d e f')
    expect(oneLine('Zoë Müller-Łukasz')).toBe('Zoë Müller-Łukasz')
    expect(oneLine('\n\t ')).toBe('')
  })
})

describe('messages with line breaks in what a guest or owner typed', () => {
  for (const language of ['en', 'de', 'es'] as const) {
    for (const event of NOTIFICATION_EVENTS) {
      it(`${event} (${language}): a one-line subject, no injected line in the text or SMS, escaped HTML`, () => {
        const ctx = context(event, language)
        const email = renderEmail(ctx)
        expect(email.subject).not.toMatch(/[\r\n\u0000-\u001f\u007f-\u009f\u2028\u2029]/)
        expect(email.subject).toContain('Room Bcc: evil@x')
        expect(email.text).not.toMatch(injected)
        expect(email.text).not.toMatch(/[\r\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/)
        if (!event.startsWith('admin_')) expect(email.text).toContain('Ann Bcc: evil@x')
        else expect(email.text).toContain('first line Bcc: evil@x second part end')
        expect(email.html).not.toMatch(/<[^>]*evil/)
        const sms = renderSms(ctx)
        expect(sms).not.toMatch(/[\r\n\u0000-\u001f\u007f-\u009f\u2028\u2029]/)
        expect(sms).toContain('Room Bcc: evil@x')
      })
    }
  }

  it('keeps guest text inert in HTML: markup is escaped', () => {
    const ctx = context('admin_new_booking', 'en')
    ctx.booking = { ...ctx.booking, guestName: '<img src=x onerror=alert(1)>', notes: '<script>x</script>' }
    ctx.resourceName = '<b>Room</b>'
    const { html } = renderEmail(ctx)
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;')
    expect(html).toContain('&lt;b&gt;Room&lt;/b&gt;')
    expect(html).not.toMatch(/<img|<script|<b>/)
  })

  it('written as an .eml, the message has no header the guest wrote', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mail-'))
    try {
      const sender = createFileSender({ dir, from: 'bookings@localhost', logger: silentLogger })
      const content = renderEmail(context('created', 'en'))
      await sender.send({ to: 'ann@example.com', ...content, messageId: '<n9.1@localhost>' })
      const [file] = await readdir(dir)
      const raw = await readFile(join(dir, file!), 'utf8')
      const parsed = await simpleParser(raw)
      expect(parsed.bcc).toBeUndefined()
      expect(parsed.headers.has('bcc')).toBe(false)
      expect(parsed.subject).toBe(content.subject)
      expect(raw.split(/\r?\n\r?\n/)[0]).not.toMatch(/^Bcc:/im)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('a booking of several places', () => {
  const expected = {
    en: { places: '2 places', one: /\b1 place|places?\b/, fact: 'Booked for: 2 places' },
    de: { places: '2 Plätze', one: /\b1 Platz|Plätze?\b/, fact: 'Gebucht für: 2 Plätze' },
    es: { places: '2 plazas', one: /\b1 plaza|plazas?\b/, fact: 'Reservado para: 2 plazas' },
  } as const
  const withSeats = (ctx: MessageContext, seats: number): MessageContext => ({
    ...ctx,
    resourceName: 'Yoga class',
    booking: { ...ctx.booking, seats },
  })

  for (const language of ['en', 'de', 'es'] as const) {
    const words = expected[language]
    for (const event of NOTIFICATION_EVENTS) {
      it(`${event} (${language}): the subject, the text, the HTML and the SMS say how many places`, () => {
        const ctx = withSeats(context(event, language), 2)
        const email = renderEmail(ctx)
        expect(email.subject).toContain(`Yoga class (${words.places})`)
        expect(email.text).toContain(words.fact)
        expect(email.html).toContain(words.places)
        expect(renderSms(ctx)).toContain(`Yoga class (${words.places})`)
      })
    }

    it(`(${language}) a booking of one place reads exactly as before: no places anywhere`, () => {
      for (const event of NOTIFICATION_EVENTS) {
        const one = withSeats(context(event, language), 1)
        const before = { ...one, booking: { ...one.booking } }
        delete (before.booking as Partial<BookingRow>).seats
        const email = renderEmail(one)
        expect(email).toEqual(renderEmail(before))
        expect(renderSms(one)).toBe(renderSms(before))
        expect(`${email.subject}\n${email.text}\n${renderSms(one)}`).not.toMatch(words.one)
      }
    })

    it(`(${language}) the calendar file's description names the places`, () => {
      const booking = { ...withSeats(context('created', language), 3).booking, version: 1 }
      const ics = bookingToIcs(booking, 'Yoga class', { host: 'book.example', now: Date.parse('2030-11-01T00:00:00Z') })
      const unfolded = ics.replace(/\r\n[ \t]/g, '')
      const description = /^DESCRIPTION:(.*)$/m.exec(unfolded)?.[1] ?? ''
      expect(description).toContain(words.places.replace('2', '3'))
      const single = bookingToIcs({ ...booking, seats: 1 }, 'Yoga class', { host: 'book.example', now: 0 })
      expect(single).not.toMatch(words.one)
    })
  }
})
