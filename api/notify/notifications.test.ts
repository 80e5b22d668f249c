import { eq } from 'drizzle-orm'
import type { ParsedMail } from 'mailparser'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { bookings, notifications } from '../../drizzle/schema'
import type { ResourceConfig } from '../../shared/schemas'
import type { PublicBooking, PublicHold } from '../../shared/types'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { FAKE_WEBHOOK_SECRET, startFakeStripe, type FakeStripe } from '../../test/fake-stripe'
import { startFakeTwilio, type FakeTwilio } from '../../test/fake-twilio'
import { everyDay, insertBooking, insertResource } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { startSmtpSink, type SmtpSink } from '../../test/smtp-sink'
import { fixedClock } from '../clock'
import { runDueWork } from '../due-work'
import { silentLogger } from '../logger'
import { createStripeGateway } from '../payments/stripe-gateway'
import { createSmtpSender } from './email'
import { createOutboxPlanner } from './outbox'
import { createTwilioSender } from './sms'
import { processOutbox, type OutboxWorkerDeps } from './outbox-sender'

/*
 * Every row of the notification table, produced through the real API and delivered over
 * real protocols: SMTP to a local SMTP server (parsed with mailparser) and Twilio's REST
 * shape on a local HTTP server.
 */

let database: TestDatabase
let smtp: SmtpSink
let twilio: FakeTwilio
let stripe: FakeStripe
beforeAll(async () => {
  ;[database, smtp, twilio, stripe] = await Promise.all([
    createTestDatabase(),
    startSmtpSink(),
    startFakeTwilio(),
    startFakeStripe(),
  ])
})
afterAll(async () => {
  await Promise.all([smtp?.close(), twilio?.close(), stripe?.close()])
  await database?.close()
})
beforeEach(() => {
  smtp.messages.length = 0
  twilio.messages.length = 0
})

const HOUR = 3_600_000
const ADMIN = 'owner@example.test'
const APP_SECRET = 'test-app-secret-0123456789-abcdefghijkl'
const PUBLIC_URL = 'https://book.example.test'
const phone = '+442071234567'

function setup(options: { at?: number; sms?: boolean } = {}) {
  const clock = fixedClock(options.at ?? Date.now())
  const email = createSmtpSender({ url: smtp.url, from: 'Bookings <bookings@example.test>' })
  const notifiers: Omit<OutboxWorkerDeps, 'db' | 'clock' | 'logger'> = {
    email,
    sms:
      options.sms === false
        ? undefined
        : createTwilioSender({
            accountSid: twilio.accountSid,
            authToken: twilio.authToken,
            from: '+14155550100',
            apiBase: twilio.url,
          }),
    links: { publicUrl: PUBLIC_URL, appSecret: APP_SECRET },
  }
  const payments = createStripeGateway({
    secretKey: 'sk_test_n',
    publishableKey: 'pk_test_n',
    webhookSecret: FAKE_WEBHOOK_SECRET,
    apiBase: stripe.url,
  })
  const outbox = createOutboxPlanner({ adminEmail: ADMIN })
  const api = createTestApi({
    db: database.db,
    clock,
    holds: createTestHoldBackend(clock).holds,
    payments,
    outbox,
    notifiers,
    appSecret: APP_SECRET,
  })
  const deps = { db: database.db, clock, logger: silentLogger, payments, outbox, notifiers }
  return { ...api, clock, deps, work: () => runDueWork(deps) }
}

async function room(config: ResourceConfig = {}) {
  return insertResource(database.db, {
    name: 'Room Notify',
    timezone: 'Europe/Berlin',
    config,
    schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 60 }),
  })
}

/** Start of the hour `hours` after the clock's now, as the slot to book. */
const hourAfter = (now: number, hours: number) => new Date(Math.floor(now / HOUR) * HOUR + hours * HOUR).toISOString()

async function book(
  api: ReturnType<typeof setup>,
  resourceId: string,
  start: string,
  guest: Partial<Record<'name' | 'email' | 'phone', string | undefined>> = {},
  extra: Record<string, unknown> = {},
) {
  const session = newSession()
  const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', { session, body: { resourceId, start } })
  expect(hold.status).toBe(201)
  const res = await api.call<{ booking: PublicBooking; manageToken: string }>('POST', '/v1/bookings', {
    session,
    body: {
      holdId: hold.body.hold.id,
      guest: { name: 'Ada Lovelace', email: uniqueEmail(), phone, ...guest },
      ...extra,
    },
  })
  expect(res.status).toBe(201)
  // Tests share a database and move the clock: each one reads only its own booking's messages.
  return { ...res.body, email: res.body.booking.guest.email }
}

let emails = 0
const uniqueEmail = () => `ada.${process.pid}.${++emails}@example.com`
const smsFor = (ref: string) => twilio.messages.filter((m) => m.body.includes(ref))
const adminMailFor = (ref: string) => mailTo(ADMIN).filter((m) => m.subject?.includes(ref))

async function rowsFor(ref: string) {
  const [booking] = await database.db.select().from(bookings).where(eq(bookings.ref, ref))
  const rows = await database.db.select().from(notifications).where(eq(notifications.bookingId, booking!.id))
  return rows.map((r) => ({
    event: r.event,
    channel: r.channel,
    status: r.status,
    version: r.version,
    skipReason: r.skipReason,
  }))
}

const mailTo = (address: string) => smtp.messages.filter((m) => (m.to as { text: string }).text === address)
const html = (mail: ParsedMail | undefined) => (typeof mail?.html === 'string' ? mail.html : '')

describe('the notification table, through the API and real protocols', () => {
  it('booking created → guest email (with .ics and a working manage link) + guest SMS, and the administrator’s email', async () => {
    const api = setup()
    const r = await room()
    const start = hourAfter(api.clock.now(), 72)
    const { booking, email } = await book(api, r.id, start)
    const done = await api.work()
    expect(done.notifications?.sent).toBeGreaterThanOrEqual(3)

    const [guestMail] = mailTo(email)
    // No zone came with the booking: the time is on the room's clock, which is named.
    expect(guestMail?.subject).toMatch(/^Booked: Room Notify, \w+day, \d{1,2} \w+ \d{4}, \d\d:\d\d Berlin time$/)
    expect(guestMail?.text).toContain(`Reference: ${booking.ref}`)
    expect(guestMail?.attachments.map((a) => a.filename)).toEqual([`booking-${booking.ref}.ics`])
    expect(guestMail?.attachments[0]?.content.toString()).toContain(`UID:${booking.ref}@book.example.test`)
    const link = html(guestMail)
      .match(/href="([^"]+)"/)?.[1]
      ?.replace(/&amp;/g, '&')
    expect(link).toMatch(new RegExp(`^${PUBLIC_URL}/manage#ref=${booking.ref}&token=[\\w-]+&lang=en$`))
    // The link's token opens the booking: the worker unsealed the real manage token.
    const token = new URLSearchParams(link!.split('#')[1]).get('token')!
    expect((await api.call('GET', `/v1/bookings/${booking.ref}`, { token })).status).toBe(200)

    const [adminMail] = adminMailFor(booking.ref)
    expect(adminMail?.subject).toMatch(new RegExp(`^New booking ${booking.ref}: Room Notify`))
    expect(adminMail?.text).toContain(`Ada Lovelace, ${email}, +442071234567`)
    expect(adminMail?.attachments).toHaveLength(0)

    expect(smsFor(booking.ref)).toEqual([expect.objectContaining({ to: phone, from: '+14155550100' })])
    expect(smsFor(booking.ref)[0]?.body).toMatch(
      new RegExp(`^Booked: Room Notify, .+ Ref ${booking.ref}\\. ${PUBLIC_URL}/manage#`),
    )

    // Sent once: another run sends nothing more for this booking.
    await api.work()
    expect(mailTo(email)).toHaveLength(1)
    expect((await rowsFor(booking.ref)).filter((n) => n.status === 'sent')).toHaveLength(3)
  })

  it('keeps a guest’s name inert in HTML: <img src=x onerror=alert(1)> is escaped, not markup', async () => {
    const api = setup()
    const r = await room()
    const name = '<img src=x onerror=alert(1)>'
    const { booking, email } = await book(
      api,
      r.id,
      hourAfter(api.clock.now(), 80),
      { name },
      { notes: '<script>alert(2)</script>' },
    )
    await api.work()
    expect(mailTo(email)).toHaveLength(1)
    for (const mail of [...mailTo(email), ...adminMailFor(booking.ref)]) {
      expect(html(mail)).not.toContain('<img')
      expect(html(mail)).not.toContain('<script')
      expect(html(mail)).toContain('&lt;img src=x onerror=alert(1)&gt;')
    }
    expect(html(adminMailFor(booking.ref)[0])).toContain('&lt;script&gt;alert(2)&lt;/script&gt;')
  })

  it('writes in the booking’s language: German', async () => {
    const api = setup()
    const r = await room()
    const { booking, email } = await book(api, r.id, hourAfter(api.clock.now(), 90), {}, { locale: 'de-AT' })
    await api.work()
    const [mail] = mailTo(email)
    expect(mail?.subject).toMatch(/^Gebucht: Room Notify, [^,]+, \d{1,2}\. [^ ]+ \d{4}, \d\d:\d\d Uhr Ortszeit Berlin$/)
    expect(mail?.text).toContain(`Buchungsnummer: ${booking.ref}`)
    expect(smsFor(booking.ref)[0]?.body).toMatch(/^Gebucht:/)
  })

  it('writes the owner’s notice in the resource’s notifyLanguage, whatever the guest’s', async () => {
    const api = setup()
    const r = await room({ notifyLanguage: 'en' })
    const { booking, email } = await book(api, r.id, hourAfter(api.clock.now(), 91), {}, { locale: 'es' })
    await api.work()
    expect(mailTo(email)[0]?.subject).toMatch(/^Reservado: Room Notify, /)
    const [notice] = adminMailFor(booking.ref)
    expect(notice?.subject).toMatch(
      new RegExp(`^New booking ${booking.ref}: Room Notify, [A-Z][a-z]+day, \\d{1,2} [A-Z][a-z]+ \\d{4}`),
    )
    expect(notice?.text).toContain('a new booking was made.')
  })

  it('confirmed later → guest email with the .ics (an owner-approval booking paid, then captured)', async () => {
    const api = setup()
    const r = await room({ requiresConfirmation: true, payment: 'full', price: { amount: 3000, currency: 'EUR' } })
    const { booking, email } = await book(api, r.id, hourAfter(api.clock.now(), 100))
    await api.work()
    expect(mailTo(email)).toHaveLength(0) // unpaid: nothing announced yet
    const intentId = (await database.db.select().from(bookings).where(eq(bookings.ref, booking.ref)))[0]!
      .paymentIntentId!
    stripe.authorize(intentId)
    const authorized = stripe.signedEvent('payment_intent.amount_capturable_updated', intentId)
    await api.app.request('/v1/webhooks/stripe', {
      method: 'POST',
      headers: { 'Stripe-Signature': authorized.signature },
      body: authorized.body,
    })
    await api.work()
    expect(mailTo(email)[0]?.text).toContain('we have your booking request')
    smtp.messages.length = 0

    // The owner captures it (here, in Stripe's dashboard); the webhook confirms the booking.
    const intent = stripe.intent(intentId)
    Object.assign(intent, { status: 'succeeded', amount_received: intent.amount_capturable, amount_capturable: 0 })
    const succeeded = stripe.signedEvent('payment_intent.succeeded', intentId)
    await api.app.request('/v1/webhooks/stripe', {
      method: 'POST',
      headers: { 'Stripe-Signature': succeeded.signature },
      body: succeeded.body,
    })
    await api.work()
    const [confirmed] = mailTo(email)
    expect(confirmed?.subject).toMatch(/^Confirmed: Room Notify/)
    expect(confirmed?.attachments.map((a) => a.contentType)).toEqual(['text/calendar'])
    expect(await rowsFor(booking.ref)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ event: 'confirmed', channel: 'email', status: 'sent' }),
        expect.objectContaining({ event: 'reminder_24h', channel: 'email', status: 'pending' }),
      ]),
    )
  })

  it('24 h reminder → guest email + SMS; 1 h reminder → guest SMS', async () => {
    const api = setup()
    const r = await room()
    const start = hourAfter(api.clock.now(), 72)
    const { booking, email } = await book(api, r.id, start)
    await api.work()
    smtp.messages.length = 0
    twilio.messages.length = 0

    api.clock.set(Date.parse(start) - 24 * HOUR - 60_000)
    await api.work()
    expect(mailTo(email)).toHaveLength(0) // a minute early: nothing yet
    api.clock.set(Date.parse(start) - 24 * HOUR)
    await api.work()
    expect(mailTo(email).map((m) => m.subject)).toEqual([expect.stringMatching(/^Reminder: Room Notify/)])
    expect(smsFor(booking.ref).map((m) => m.body)).toEqual([
      expect.stringMatching(new RegExp(`^Reminder: Room Notify, .+ Ref ${booking.ref}\\.`)),
    ])

    api.clock.set(Date.parse(start) - HOUR)
    await api.work()
    expect(smsFor(booking.ref).map((m) => m.body)).toEqual([
      expect.stringMatching(/^Reminder/),
      expect.stringMatching(/^Starting soon: Room Notify/),
    ])
    expect(mailTo(email)).toHaveLength(1) // the 1 h reminder is SMS only
  })

  it('cancellation → guest and administrator email; reminders not yet sent are dropped', async () => {
    const api = setup()
    const r = await room()
    const start = hourAfter(api.clock.now(), 72)
    const { booking, manageToken, email } = await book(api, r.id, start)
    await api.work()
    smtp.messages.length = 0
    expect((await api.call('POST', `/v1/bookings/${booking.ref}/cancel`, { token: manageToken })).status).toBe(200)
    await api.work()
    expect(mailTo(email).map((m) => m.subject)).toEqual([expect.stringMatching(/^Cancelled: Room Notify/)])
    expect(adminMailFor(booking.ref).map((m) => m.subject)).toEqual([
      expect.stringMatching(new RegExp(`^Booking ${booking.ref} cancelled`)),
    ])
    api.clock.set(Date.parse(start) - HOUR)
    await api.work()
    expect(mailTo(email)).toHaveLength(1)
    // Only the SMS sent when it was booked; no reminder after the cancellation.
    expect(smsFor(booking.ref).map((m) => m.body)).toEqual([expect.stringMatching(/^Booked:/)])
    const reminders = (await rowsFor(booking.ref)).filter((n) => n.event.startsWith('reminder'))
    expect(reminders.every((n) => n.status === 'skipped' && n.skipReason === 'cancelled')).toBe(true)
  })

  it('records a channel without a recipient or a provider as skipped, with the reason', async () => {
    const noSms = setup({ sms: false })
    const r = await room()
    const withPhone = await book(noSms, r.id, hourAfter(noSms.clock.now(), 75))
    const withoutPhone = await book(noSms, r.id, hourAfter(noSms.clock.now(), 76), { phone: undefined })
    await noSms.work()
    expect(await rowsFor(withPhone.booking.ref)).toContainEqual(
      expect.objectContaining({
        event: 'created',
        channel: 'sms',
        status: 'skipped',
        skipReason: 'no SMS provider configured (TWILIO_*)',
      }),
    )
    expect(await rowsFor(withoutPhone.booking.ref)).toContainEqual(
      expect.objectContaining({
        event: 'reminder_1h',
        channel: 'sms',
        status: 'skipped',
        skipReason: 'the guest gave no phone number',
      }),
    )
    expect(smsFor(withPhone.booking.ref)).toHaveLength(0)
    expect(mailTo(withPhone.email)).toHaveLength(1) // the email still went
    expect(mailTo(withoutPhone.email)).toHaveLength(1)
  })
})

describe('the outbox worker', () => {
  it('two workers over 500 due notifications send each exactly once', async () => {
    const api = setup({ sms: false })
    const r = await room()
    const base = api.clock.now() + 200 * HOUR
    const rows = []
    for (let i = 0; i < 250; i++) {
      const booking = await insertBooking(database.db, {
        resourceId: r.id,
        start: new Date(base + i * HOUR),
        end: new Date(base + i * HOUR + HOUR),
      })
      for (const event of ['created', 'admin_new_booking'] as const) {
        rows.push({
          bookingId: booking.id,
          event,
          channel: 'email' as const,
          recipient: `guest${i}@example.com`,
          version: 1,
          sendAfter: new Date(api.clock.now()),
        })
      }
    }
    await database.db.insert(notifications).values(rows)
    const [a, b] = await Promise.all([
      processOutbox({ ...api.deps, ...api.deps.notifiers }),
      processOutbox({ ...api.deps, ...api.deps.notifiers }),
    ])
    expect(a.sent + b.sent).toBe(500)
    const ids = smtp.messages.map((m) => m.messageId)
    expect(ids).toHaveLength(500)
    expect(new Set(ids).size).toBe(500)
  }, 60_000)

  it('retries a provider that fails twice: one message, 3 attempts', async () => {
    const api = setup({ sms: false })
    const r = await room()
    const booking = await insertBooking(database.db, {
      resourceId: r.id,
      start: new Date(api.clock.now() + 300 * HOUR),
      end: new Date(api.clock.now() + 301 * HOUR),
    })
    await database.db.insert(notifications).values({
      bookingId: booking.id,
      event: 'created',
      channel: 'email',
      recipient: 'flaky@example.com',
      version: 1,
      sendAfter: new Date(api.clock.now()),
    })
    const run = () => processOutbox({ ...api.deps, ...api.deps.notifiers })
    smtp.refuseNext(2)
    expect(await run()).toMatchObject({ retrying: 1 })
    expect(await run()).toMatchObject({ retrying: 0, sent: 0 }) // backing off: not due yet
    api.clock.set(api.clock.now() + 30_000) // the first retry is due after 30 s
    expect(await run()).toMatchObject({ retrying: 1 })
    api.clock.set(api.clock.now() + 60_000) // the second after 1 min more
    expect(await run()).toMatchObject({ sent: 1 })
    const [row] = await database.db.select().from(notifications).where(eq(notifications.bookingId, booking.id))
    expect(row).toMatchObject({ status: 'sent', attempts: 3, lastError: null })
    expect(mailTo('flaky@example.com')).toHaveLength(1)
  })

  it('gives up after 8 attempts and keeps the last error, without the address in it', async () => {
    const api = setup({ sms: false })
    const r = await room()
    const booking = await insertBooking(database.db, {
      resourceId: r.id,
      start: new Date(api.clock.now() + 400 * HOUR),
      end: new Date(api.clock.now() + 401 * HOUR),
    })
    await database.db.insert(notifications).values({
      bookingId: booking.id,
      event: 'created',
      channel: 'email',
      recipient: 'never@example.com',
      version: 1,
      sendAfter: new Date(api.clock.now()),
    })
    smtp.refuseNext(8)
    const outcomes = []
    for (let i = 0; i < 8; i++) {
      outcomes.push(await processOutbox({ ...api.deps, ...api.deps.notifiers }))
      api.clock.set(api.clock.now() + 2 * HOUR) // past any backoff
    }
    expect(outcomes.map((o) => (o.failed ? 'failed' : o.retrying ? 'retrying' : 'idle'))).toEqual([
      ...Array(7).fill('retrying'),
      'failed',
    ])
    const [row] = await database.db.select().from(notifications).where(eq(notifications.bookingId, booking.id))
    expect(row).toMatchObject({ status: 'failed', attempts: 8 })
    expect(row?.lastError).toMatch(/451/)
    expect(row?.lastError).not.toContain('never@example.com')
  })
})

/** The calendar event attached to a mail, as a calendar app reads its main lines. */
function calendarOf(mail: ParsedMail | undefined) {
  const attachment = mail?.attachments.find((a) => a.contentType === 'text/calendar')
  const lines = (attachment?.content.toString('utf8') ?? '').replace(/\r\n[ \t]/g, '').split('\r\n')
  const value = (name: string) => lines.find((line) => line.startsWith(`${name}:`))?.slice(name.length + 1)
  return {
    filename: attachment?.filename,
    method: value('METHOD'),
    uid: value('UID'),
    sequence: Number(value('SEQUENCE')),
    status: value('STATUS'),
    start: value('DTSTART'),
    summary: value('SUMMARY'),
    description: value('DESCRIPTION')?.replace(/\\n/g, '\n'),
    organizer: lines.find((line) => line.startsWith('ORGANIZER'))?.split(':mailto:')[1],
  }
}

describe('a guest’s language and clock, a move and a cancellation', () => {
  // A German guest on London time books a Berlin room: in November London is an hour behind.
  const AT = Date.parse('2030-11-20T09:00:00Z')
  const FIRST = '2030-11-25T15:00:00.000Z'
  const FIRST_GUEST = 'Montag, 25. November 2030, 15:00 Uhr Ortszeit London (16:00 Uhr in Berlin)'
  const FIRST_OWNER = 'Montag, 25. November 2030, 16:00 Uhr Ortszeit Berlin (15:00 Uhr in London)'
  const SECOND = '2030-11-27T09:00:00.000Z'
  const SECOND_GUEST = 'Mittwoch, 27. November 2030, 09:00 Uhr Ortszeit London (10:00 Uhr in Berlin)'
  const SECOND_OWNER = 'Mittwoch, 27. November 2030, 10:00 Uhr Ortszeit Berlin (09:00 Uhr in London)'
  const THIRD = '2030-11-28T12:00:00.000Z'
  const THIRD_GUEST = 'Donnerstag, 28. November 2030, 12:00 Uhr Ortszeit London (13:00 Uhr in Berlin)'
  const LONDON_GERMAN = { locale: 'de-DE', timezone: 'Europe/London' }

  async function move(api: ReturnType<typeof setup>, resourceId: string, ref: string, token: string, start: string) {
    const session = newSession()
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', { session, body: { resourceId, start } })
    expect(hold.status).toBe(201)
    const moved = await api.call<{ booking: PublicBooking }>('POST', `/v1/bookings/${ref}/reschedule`, {
      session,
      token,
      body: { holdId: hold.body.hold.id },
    })
    expect(moved.status).toBe(200)
    return moved.body.booking
  }

  it('confirms in German, on the London clock the guest booked with and Berlin’s beside, with a German .ics and a German manage link', async () => {
    const api = setup({ at: AT })
    const r = await room()
    const { booking, email } = await book(api, r.id, FIRST, {}, LONDON_GERMAN)
    const [stored] = await database.db.select().from(bookings).where(eq(bookings.ref, booking.ref))
    expect(stored?.guestTimezone).toBe('Europe/London')
    await api.work()

    const [mail] = mailTo(email)
    expect(mail?.subject).toBe(`Gebucht: Room Notify, ${FIRST_GUEST}`)
    expect(mail?.text).toContain(`Wann: ${FIRST_GUEST}`)
    const link = html(mail)
      .match(/href="([^"]+)"/)?.[1]
      ?.replace(/&amp;/g, '&')
    expect(link).toMatch(new RegExp(`^${PUBLIC_URL}/manage#ref=${booking.ref}&token=[\\w-]+&lang=de$`))
    expect(calendarOf(mail)).toEqual({
      filename: `booking-${booking.ref}.ics`,
      method: 'REQUEST',
      uid: `${booking.ref}@book.example.test`,
      sequence: 0,
      status: 'CONFIRMED',
      start: '20301125T150000Z',
      summary: `Room Notify (Buchung ${booking.ref})`,
      description: `Buchungsnummer ${booking.ref}\nVerwalten oder stornieren: ${link}`,
      organizer: 'bookings@example.test',
    })

    expect(smsFor(booking.ref).map((m) => m.body)).toEqual([
      `Gebucht: Room Notify, ${FIRST_GUEST}. Nr. ${booking.ref}. ${link}`,
    ])
    // The owner reads the room's clock first.
    const [notice] = adminMailFor(booking.ref)
    expect(notice?.subject).toBe(`Neue Buchung ${booking.ref}: Room Notify, ${FIRST_OWNER}`)
    expect(notice?.attachments).toHaveLength(0)
  })

  it('a move tells the guest (email with the old and new time and an updated .ics, SMS) and the owner, and plans reminders for the new time', async () => {
    const api = setup({ at: AT })
    const r = await room()
    const { booking, manageToken, email } = await book(api, r.id, FIRST, {}, LONDON_GERMAN)
    await api.work()
    const first = calendarOf(mailTo(email)[0])
    smtp.messages.length = 0
    twilio.messages.length = 0

    expect(await move(api, r.id, booking.ref, manageToken, SECOND)).toMatchObject({ start: SECOND, version: 2 })
    await api.work()

    const [moved] = mailTo(email)
    expect(mailTo(email)).toHaveLength(1)
    expect(moved?.subject).toBe(`Verschoben: Room Notify, ${SECOND_GUEST}`)
    expect(moved?.text).toContain(`Ihre Buchung wurde auf einen neuen Termin verschoben.`)
    expect(moved?.text).toContain(`Wann: ${SECOND_GUEST}\nBisher: ${FIRST_GUEST}`)
    const link = html(moved)
      .match(/href="([^"]+)"/)?.[1]
      ?.replace(/&amp;/g, '&')
    expect(link).toMatch(/&lang=de$/)
    // The same event in the guest's calendar, one revision later: it replaces the first.
    const updated = calendarOf(moved)
    expect(updated).toMatchObject({ method: 'REQUEST', uid: first.uid, start: '20301127T090000Z', status: 'CONFIRMED' })
    expect(updated.sequence).toBeGreaterThan(first.sequence)

    expect(smsFor(booking.ref).map((m) => m.body)).toEqual([
      `Verschoben: Room Notify, jetzt ${SECOND_GUEST}; bisher ${FIRST_GUEST}. Nr. ${booking.ref}. ${link}`,
    ])

    const [notice] = adminMailFor(booking.ref)
    expect(notice?.subject).toBe(`Buchung ${booking.ref} verschoben: Room Notify, ${SECOND_OWNER}`)
    expect(notice?.text).toContain(`Wann: ${SECOND_OWNER}\nBisher: ${FIRST_OWNER}`)
    expect(notice?.text).toContain(`Ada Lovelace, ${email}, ${phone}`)
    expect(notice?.attachments).toHaveLength(0)

    const rows = await rowsFor(booking.ref)
    expect(rows.filter((n) => n.version === 2 && !n.event.startsWith('reminder'))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ event: 'moved', channel: 'email', status: 'sent' }),
        expect.objectContaining({ event: 'moved', channel: 'sms', status: 'sent' }),
        expect.objectContaining({ event: 'admin_moved', channel: 'email', status: 'sent' }),
      ]),
    )
    const reminders = rows
      .filter((n) => n.event === 'reminder_24h' && n.channel === 'email')
      .map((n) => [n.version, n.status, n.skipReason])
    expect(reminders.sort()).toEqual([
      [1, 'skipped', 'rescheduled'],
      [2, 'pending', null],
    ])
  })

  it('two moves before the worker runs reach the guest as one message, from the first time to the last', async () => {
    const api = setup({ at: AT })
    const r = await room()
    const { booking, manageToken, email } = await book(api, r.id, FIRST, { phone: undefined }, LONDON_GERMAN)
    await api.work()
    smtp.messages.length = 0
    await move(api, r.id, booking.ref, manageToken, SECOND)
    await move(api, r.id, booking.ref, manageToken, THIRD)
    await api.work()

    expect(mailTo(email).map((m) => m.subject)).toEqual([`Verschoben: Room Notify, ${THIRD_GUEST}`])
    expect(mailTo(email)[0]?.text).toContain(`Wann: ${THIRD_GUEST}\nBisher: ${FIRST_GUEST}`)
    expect(calendarOf(mailTo(email)[0])).toMatchObject({ sequence: 2, start: '20301128T120000Z' })
    expect(adminMailFor(booking.ref)).toHaveLength(1)
    const moves = (await rowsFor(booking.ref)).filter((n) => n.event === 'moved' && n.channel === 'email')
    expect(moves.map((n) => [n.version, n.status, n.skipReason]).sort()).toEqual([
      [2, 'skipped', 'moved again before this was sent'],
      [3, 'sent', null],
    ])
    // No phone: the SMS is recorded as not sent, saying why.
    expect(await rowsFor(booking.ref)).toContainEqual(
      expect.objectContaining({
        event: 'moved',
        channel: 'sms',
        version: 3,
        status: 'skipped',
        skipReason: 'the guest gave no phone number',
      }),
    )
  })

  it('the cancellation email carries a METHOD:CANCEL .ics for the same event, which the calendar removes', async () => {
    const api = setup({ at: AT })
    const r = await room()
    const { booking, manageToken, email } = await book(api, r.id, FIRST, {}, LONDON_GERMAN)
    await api.work()
    const first = calendarOf(mailTo(email)[0])
    smtp.messages.length = 0
    expect((await api.call('POST', `/v1/bookings/${booking.ref}/cancel`, { token: manageToken })).status).toBe(200)
    await api.work()

    const [cancelled] = mailTo(email)
    expect(cancelled?.subject).toBe(`Storniert: Room Notify, ${FIRST_GUEST}`)
    const removal = calendarOf(cancelled)
    expect(removal).toMatchObject({
      method: 'CANCEL',
      uid: first.uid,
      status: 'CANCELLED',
      summary: `Room Notify (Buchung ${booking.ref})`,
    })
    expect(removal.sequence).toBeGreaterThan(first.sequence)
    expect(adminMailFor(booking.ref)[0]?.attachments).toHaveLength(0)
  })

  it('a booking still waiting for its payment moves silently: its announcement will state the new time', async () => {
    const api = setup({ at: AT })
    const r = await room({ payment: 'full', price: { amount: 3000, currency: 'EUR' } })
    const { booking, manageToken } = await book(api, r.id, FIRST, {}, LONDON_GERMAN)
    await move(api, r.id, booking.ref, manageToken, SECOND)
    expect(await rowsFor(booking.ref)).toEqual([])
  })

  it('a booking without a zone is written on the room’s clock alone; the download keeps no METHOD and speaks the booking’s language', async () => {
    const api = setup({ at: AT })
    const r = await room()
    const { booking, manageToken, email } = await book(api, r.id, FIRST, {}, { locale: 'es' })
    await api.work()
    expect(mailTo(email)[0]?.subject).toBe(
      'Reservado: Room Notify, lunes, 25 de noviembre de 2030, 16:00 hora de Berlín',
    )
    const download = await api.call('GET', `/v1/bookings/${booking.ref}/calendar.ics`, { token: manageToken })
    expect(download.status).toBe(200)
    expect(download.text).not.toMatch(/^METHOD:/m)
    expect(download.text).toContain(`SUMMARY:Room Notify (reserva ${booking.ref})`)
    expect(download.text).toContain(`SEQUENCE:0`)
  })
})
