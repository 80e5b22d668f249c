import { describe, expect, it } from 'vitest'
import { formatWindow, renderWaitlistEmail, renderWaitlistSms, type WaitlistMessageContext } from './waitlist-messages'

/*
 * The waitlist's words: windows and offered times on the guest's clock with the clock's
 * place named, in English, German and Spanish; typed text never shapes a message.
 */

const LINK = 'https://book.example/manage#waitlist=W1234567&token=t&lang=en'

function context(
  overrides: Partial<WaitlistMessageContext> = {},
  entry: Partial<WaitlistMessageContext['entry']> = {},
) {
  return {
    event: 'joined',
    language: 'en',
    entry: {
      ref: 'W1234567',
      kind: 'slot',
      windowStart: new Date('2026-12-12T17:00:00Z'),
      windowEnd: new Date('2026-12-12T18:00:00Z'),
      seats: 1,
      guestName: 'Ada',
      guestTimezone: null,
      ...entry,
    },
    offer: { startsAt: new Date('2026-12-12T17:00:00Z'), expiresAt: new Date('2026-12-10T10:15:00Z') },
    resourceName: 'Court 3',
    timezone: 'Europe/Berlin',
    offerMinutes: 15,
    smsToo: true,
    link: LINK,
    now: Date.parse('2026-12-10T10:00:00Z'),
    ...overrides,
  } satisfies WaitlistMessageContext
}

describe('formatWindow', () => {
  it('says a slot, a stretch and a day in each language, naming the clock', () => {
    const range = { kind: 'range', windowStart: new Date('2026-12-12T16:00:00Z') } as const
    const windowEnd = new Date('2026-12-12T19:00:00Z')
    expect(formatWindow(context())).toBe('Saturday, 12 December 2026, 18:00–19:00 Berlin time')
    expect(formatWindow(context({}, { ...range, windowEnd }))).toBe(
      'Saturday, 12 December 2026, any time 17:00–20:00 Berlin time',
    )
    expect(formatWindow(context({ language: 'de' }, { ...range, windowEnd }))).toBe(
      'Samstag, 12. Dezember 2026, jederzeit zwischen 17:00 und 20:00 Uhr Ortszeit Berlin',
    )
    expect(formatWindow(context({ language: 'es' }, { ...range, windowEnd }))).toBe(
      'sábado, 12 de diciembre de 2026, a cualquier hora entre las 17:00 y las 20:00 hora de Berlín',
    )
    const day = {
      kind: 'day',
      windowStart: new Date('2026-12-11T23:00:00Z'),
      windowEnd: new Date('2026-12-12T23:00:00Z'),
    } as const
    expect(formatWindow(context({}, day))).toBe('any time on Saturday, 12 December 2026')
    expect(formatWindow(context({ language: 'de' }, day))).toBe('jederzeit am Samstag, 12. Dezember 2026')
    expect(formatWindow(context({ language: 'es' }, day))).toBe('a cualquier hora del sábado, 12 de diciembre de 2026')
  })

  it('reads slots on the guest’s clock; a day stays the resource’s, its clock named', () => {
    expect(formatWindow(context({}, { guestTimezone: 'America/New_York' }))).toBe(
      'Saturday, 12 December 2026, 12:00–13:00 New York time',
    )
    expect(formatWindow(context({}, { guestTimezone: 'UTC' }))).toBe('Saturday, 12 December 2026, 17:00–18:00 UTC')
    expect(formatWindow(context({ language: 'es' }, { guestTimezone: 'America/New_York' }))).toBe(
      'sábado, 12 de diciembre de 2026, 12:00–13:00 hora de Nueva York',
    )
    const day = {
      kind: 'day',
      windowStart: new Date('2026-12-11T23:00:00Z'),
      windowEnd: new Date('2026-12-12T23:00:00Z'),
      guestTimezone: 'Europe/London',
    } as const
    expect(formatWindow(context({}, day))).toBe('any time on Saturday, 12 December 2026 (00:00–24:00 Berlin time)')
    expect(formatWindow(context({ language: 'de' }, day))).toBe(
      'jederzeit am Samstag, 12. Dezember 2026 (00:00–24:00 Uhr Ortszeit Berlin)',
    )
  })

  it('ends a window at midnight as 24:00, and names the later day when it runs past it', () => {
    const late = { windowStart: new Date('2026-12-12T22:00:00Z') }
    expect(formatWindow(context({}, { ...late, windowEnd: new Date('2026-12-12T23:00:00Z') }))).toBe(
      'Saturday, 12 December 2026, 23:00–24:00 Berlin time',
    )
    expect(formatWindow(context({}, { ...late, kind: 'range', windowEnd: new Date('2026-12-13T01:00:00Z') }))).toBe(
      'Saturday, 12 December 2026, any time 23:00–Sun 13 Dec, 02:00 Berlin time',
    )
  })
})

describe('the joined email', () => {
  it('promises SMS only when one will go, and names the places wanted', () => {
    const email = renderWaitlistEmail(context({ smsToo: false }, { seats: 3 }))
    expect(email.subject).toBe(
      "You're on the waitlist: Court 3 (3 places), Saturday, 12 December 2026, 18:00–19:00 Berlin time",
    )
    expect(email.text).toContain('we will let you know by email. We keep that time for you for 15 minutes')
    expect(email.text).toContain('For: 3 places')
    expect(renderWaitlistEmail(context()).text).toContain('by email and text message')
  })

  it('goes without the link line when there is no link', () => {
    const email = renderWaitlistEmail(context({ link: undefined }))
    expect(email.text).not.toContain('See your place')
    expect(email.html).not.toContain('<a ')
    expect(renderWaitlistSms(context({ event: 'offered', link: undefined }))).not.toContain('Claim')
  })
})

describe('the offered messages', () => {
  it('say the expiry as a clock time today, else with its date (Spanish: “hasta las” / “hasta el”)', () => {
    const today = context({ event: 'offered', language: 'es' })
    expect(renderWaitlistSms(today)).toContain('Te lo guardamos hasta las 11:15 hora de Berlín.')
    const tomorrow = context({ event: 'offered', language: 'es', now: Date.parse('2026-12-09T22:00:00Z') })
    expect(renderWaitlistSms(tomorrow)).toContain(
      'Te lo guardamos hasta el jueves, 10 de diciembre de 2026, 11:15 hora de Berlín.',
    )
    expect(renderWaitlistEmail(context({ event: 'offered', now: Date.parse('2026-12-09T22:00:00Z') })).text).toContain(
      'It is kept for you until Thursday, 10 December 2026, 11:15 Berlin time.',
    )
  })

  it('tell how to decline after the claim link, in each language', () => {
    for (const [language, claim, decline] of [
      ['en', 'Claim it', 'Not for you?'],
      ['de', 'Termin buchen', 'Passt er Ihnen nicht?'],
      ['es', 'Resérvalo', '¿No te viene bien?'],
    ] as const) {
      const { text, html } = renderWaitlistEmail(context({ event: 'offered', language }))
      expect(text.indexOf(`${claim}: ${LINK}`)).toBeGreaterThan(0)
      expect(text.indexOf(decline)).toBeGreaterThan(text.indexOf(LINK))
      expect(html).toContain(`<a href="${LINK.replace(/&/g, '&amp;')}">${claim}</a>`)
    }
  })
})

describe('the removed email', () => {
  it('says the guest is off the list, politely, with the window and reference, in each language, and links nowhere', () => {
    for (const [language, subject, lead, fact] of [
      [
        'en',
        'No longer on the waitlist: Court 3, Saturday, 12 December 2026, 18:00–19:00 Berlin time',
        'You are no longer on the waitlist for Court 3. The place could not be kept for you.',
        'Requested time: Saturday, 12 December 2026, 18:00–19:00 Berlin time',
      ],
      [
        'es',
        'Ya no estás en la lista de espera: Court 3, sábado, 12 de diciembre de 2026, 18:00–19:00 hora de Berlín',
        'Ya no estás en la lista de espera de Court 3. No ha sido posible mantener tu lugar.',
        'Horario deseado: sábado, 12 de diciembre de 2026, 18:00–19:00 hora de Berlín',
      ],
    ] as const) {
      // A link in the context (there is none in practice) is never put in: the entry is gone.
      const email = renderWaitlistEmail(context({ event: 'removed', language }))
      expect(email.subject).toBe(subject)
      expect(email.text).toContain(lead)
      expect(email.text).toContain(fact)
      expect(email.text).toContain('W1234567')
      expect(email.text).not.toContain(LINK)
      expect(email.html).not.toContain('<a ')
    }
  })
})

describe('typed text in waitlist messages', () => {
  const hostile = { resourceName: 'Court\r\nBcc: evil@x\u0000' }
  const entry = { guestName: '<img src=x onerror=alert(1)>\nBcc: evil@x' }
  for (const language of ['en', 'de', 'es'] as const) {
    for (const event of ['joined', 'offered', 'removed'] as const) {
      it(`${event} (${language}): a one-line subject, no injected line, escaped HTML`, () => {
        const ctx = context({ ...hostile, event, language }, entry)
        const email = renderWaitlistEmail(ctx)
        expect(email.subject).not.toMatch(/[\r\n\u0000-\u001f\u007f-\u009f\u2028\u2029]/)
        expect(email.subject).toContain('Court Bcc: evil@x')
        expect(email.text).not.toMatch(/^(Bcc|Cc|To|From|Subject)\b/im)
        expect(email.html).not.toContain('<img')
        expect(email.html).not.toMatch(/<[^>]*evil/)
        if (event === 'offered') expect(renderWaitlistSms(ctx)).not.toMatch(/[\r\n\u0000-\u001f]/)
      })
    }
  }
})
