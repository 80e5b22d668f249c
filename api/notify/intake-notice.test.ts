import type { ParsedMail } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IntakeQuestion } from '../../shared/resource-config'
import type { PublicBooking, PublicHold } from '../../shared/types'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertResource } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { startSmtpSink, type SmtpSink } from '../../test/smtp-sink'
import { fixedClock } from '../clock'
import { runDueWork } from '../due-work'
import { silentLogger } from '../logger'
import { createSmtpSender } from './email'
import { createOutboxPlanner } from './outbox'

/*
 * The owner's new-booking email lists the guest's intake answers under the questions as
 * asked, in the booking's language, delivered over SMTP to a local server.
 */

let database: TestDatabase
let smtp: SmtpSink
beforeAll(async () => {
  ;[database, smtp] = await Promise.all([createTestDatabase(), startSmtpSink()])
})
afterAll(async () => {
  await smtp?.close()
  await database?.close()
})

const ADMIN = 'owner@example.test'
const HOUR = 3_600_000

const QUESTIONS: IntakeQuestion[] = [
  { id: 'company', type: 'short_text', label: { en: 'Company', de: 'Firma' } },
  { id: 'story', type: 'long_text', label: { en: 'Anything else?', de: 'Sonst noch etwas?' } },
  {
    id: 'level',
    type: 'single_choice',
    label: { en: 'Level', de: 'Niveau' },
    choices: [
      { id: 'new', label: { en: 'Beginner', de: 'Anfänger' } },
      { id: 'pro', label: { en: 'Advanced', de: 'Fortgeschritten' } },
    ],
  },
  { id: 'terms', type: 'checkbox', label: { en: 'I accept the terms', de: 'Ich akzeptiere die AGB' } },
]

function setup() {
  const clock = fixedClock('2026-03-20T12:00:00Z')
  const outbox = createOutboxPlanner({ adminEmail: ADMIN })
  const notifiers = {
    email: createSmtpSender({ url: smtp.url, from: 'Bookings <bookings@example.test>' }),
    sms: undefined,
    links: { publicUrl: 'https://book.example.test', appSecret: undefined },
  }
  const api = createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds, outbox, notifiers })
  const work = () =>
    runDueWork({ db: database.db, clock, logger: silentLogger, payments: undefined, outbox, notifiers })
  return { ...api, clock, work }
}

async function bookWithAnswers(api: ReturnType<typeof setup>, hours: number, locale: string) {
  const r = await insertResource(database.db, {
    name: 'Kurs',
    timezone: 'Europe/Berlin',
    config: { questions: QUESTIONS },
    schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 60 }),
  })
  const session = newSession()
  const start = new Date(Math.floor(api.clock.now() / HOUR) * HOUR + hours * HOUR).toISOString()
  const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', { session, body: { resourceId: r.id, start } })
  const res = await api.call<{ booking: PublicBooking }>('POST', '/v1/bookings', {
    session,
    body: {
      holdId: hold.body.hold.id,
      guest: { name: 'Grete Müller', email: `grete.${hours}@example.com` },
      answers: { company: 'Müller & Co', story: 'Line one\nBcc: evil@x', level: 'new', terms: true },
      locale,
    },
  })
  expect(res.status).toBe(201)
  await api.work()
  const mail = smtp.messages.find(
    (m) => (m.to as { text: string }).text === ADMIN && m.subject?.includes(res.body.booking.ref),
  )
  expect(mail).toBeDefined()
  return mail!
}

const html = (mail: ParsedMail) => (typeof mail.html === 'string' ? mail.html : '')

describe('the owner’s new-booking email', () => {
  it('lists the answers in the booking’s language (German labels, choice labels, Ja)', async () => {
    const mail = await bookWithAnswers(setup(), 30, 'de')
    expect(mail.text).toContain('Firma: Müller & Co')
    expect(mail.text).toContain('Niveau: Anfänger')
    expect(mail.text).toContain('Ich akzeptiere die AGB: Ja')
    // A long answer's line breaks cannot start a line of their own.
    expect(mail.text).toContain('Sonst noch etwas?: Line one Bcc: evil@x')
    expect(mail.text).not.toMatch(/^Bcc/m)
    expect(html(mail)).toContain('Müller &amp; Co')
  })

  it('lists them in English for an English booking', async () => {
    const mail = await bookWithAnswers(setup(), 31, 'en')
    expect(mail.text).toContain('Company: Müller & Co')
    expect(mail.text).toContain('Level: Beginner')
    expect(mail.text).toContain('I accept the terms: Yes')
  })
})
