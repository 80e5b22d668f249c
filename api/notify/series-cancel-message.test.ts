import { eq, inArray } from 'drizzle-orm'
import ICAL from 'ical.js'
import type { ParsedMail } from 'mailparser'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { bookings, notifications } from '../../drizzle/schema'
import type { CancelledSeries, CreatedSeries } from '../../shared/api-contract'
import type { PublicHold } from '../../shared/types'
import { createAdminKey } from '../admin/keys'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { startFakeTwilio, type FakeTwilio } from '../../test/fake-twilio'
import { everyDay, insertResource } from '../../test/fixtures'
import { localHour } from '../../test/local-hour'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { startSmtpSink, type SmtpSink } from '../../test/smtp-sink'
import { fixedClock } from '../clock'
import { silentLogger } from '../logger'
import { createSmtpSender } from './email'
import { renderEmail } from './messages'
import { createOutboxPlanner } from './outbox'
import { processOutbox } from './outbox-sender'
import { createTwilioSender } from './sms'

/*
 * A whole series cancelled at once is told once: one guest email listing the dates with a
 * calendar file that removes each, one owner email. A date cancelled alone keeps its own
 * email, and a series whose first date is cancelled before the worker ran is still announced.
 */

let database: TestDatabase
let smtp: SmtpSink
let twilio: FakeTwilio
beforeAll(async () => {
  ;[database, smtp, twilio] = await Promise.all([createTestDatabase(), startSmtpSink(), startFakeTwilio()])
})
afterAll(async () => {
  await Promise.all([smtp?.close(), twilio?.close()])
  await database?.close()
})
beforeEach(() => {
  smtp.messages.length = 0
  twilio.messages.length = 0
})

const ZONE = 'Europe/Berlin'
const OWNER = 'owner@example.test'
const HOST = 'book.example.test'
const APP_SECRET = 'test-app-secret-0123456789-abcdefghijkl'
const iso = (ms: number) => new Date(ms).toISOString()

function setup() {
  const clock = fixedClock('2026-10-01T12:00:00Z')
  const api = createTestApi({
    db: database.db,
    clock,
    holds: createTestHoldBackend(clock).holds,
    outbox: createOutboxPlanner({ adminEmail: OWNER }),
    appSecret: APP_SECRET,
  })
  const email = createSmtpSender({ url: smtp.url, from: 'Bookings <bookings@example.test>' })
  const sms = createTwilioSender({
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
    from: '+14155550100',
    apiBase: twilio.url,
  })
  const send = () =>
    processOutbox({
      db: database.db,
      clock,
      logger: silentLogger,
      email,
      sms,
      links: { publicUrl: `https://${HOST}`, appSecret: APP_SECRET },
    })
  return { ...api, clock, send }
}
type Api = ReturnType<typeof setup>

/** 18:00 Berlin time on `date`, an hour long. */
const local = (date: string, time: string) => localHour(ZONE, date, time)

let guests = 0
function newGuest() {
  guests++
  return {
    name: 'Grace Hopper',
    email: `grace.cancel.${process.pid}.${guests}@example.com`,
    phone: `+44207124${String(4000 + guests)}`,
  }
}

/** Tuesdays 18:00 Berlin time from 6 October 2026, 12 dates; announced unless `announce` is false. */
async function tuesdaySeries(
  api: Api,
  options: { extra?: Record<string, unknown>; config?: Record<string, unknown>; announce?: boolean } = {},
) {
  const r = await insertResource(database.db, {
    name: 'Yoga Room',
    timezone: ZONE,
    schedules: everyDay({ startTime: '09:00', endTime: '21:00', slotDuration: 60 }),
    ...(options.config ? { config: options.config } : {}),
  })
  const guest = newGuest()
  const session = newSession()
  const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
    session,
    body: { resourceId: r.id, start: iso(local('2026-10-06', '18:00').start) },
  })
  expect(hold.status).toBe(201)
  const res = await api.call<CreatedSeries>('POST', '/v1/bookings/series', {
    session,
    body: {
      holdId: hold.body.hold.id,
      guest,
      repeat: { everyWeeks: 1, occurrences: 12 },
      mode: 'all_or_nothing',
      ...options.extra,
    },
  })
  expect(res.status).toBe(201)
  if (options.announce !== false) await api.send()
  return { ...res.body, resourceId: r.id, guest }
}

const mailsTo = (address: string) => smtp.messages.filter((m) => (m.to as { text: string }).text === address)
/** The day a single date's email names in its subject ("…, Tuesday, 20 October 2026, 18:00 …"), to put them in date order. */
const bodyDate = (mail: ParsedMail) => Date.parse(mail.subject?.split(', ')[2] ?? '')
const ownerMailsAbout = (ref: string) => mailsTo(OWNER).filter((m) => m.subject?.includes(ref))
const smsTo = (phone: string) => twilio.messages.filter((m) => m.to === phone)

function attachedCalendar(mail: ParsedMail | undefined) {
  const attachment = mail?.attachments.find((a) => a.contentType === 'text/calendar')
  expect(attachment).toBeDefined()
  const calendar = new ICAL.Component(ICAL.parse(attachment!.content.toString('utf8')))
  return {
    filename: attachment?.filename,
    method: calendar.getFirstPropertyValue('method'),
    events: calendar.getAllSubcomponents('vevent').map((vevent) => {
      const event = new ICAL.Event(vevent)
      return {
        uid: event.uid,
        sequence: event.sequence,
        start: event.startDate.toJSDate().toISOString(),
        status: vevent.getFirstPropertyValue('status'),
      }
    }),
  }
}

async function rowsOf(seriesId: string) {
  const ids = (await database.db.select({ id: bookings.id }).from(bookings).where(eq(bookings.seriesId, seriesId))).map(
    (row) => row.id,
  )
  return database.db.select().from(notifications).where(inArray(notifications.bookingId, ids))
}

describe('a whole series cancelled', () => {
  it('by a German guest: one email listing the 12 dates, its file removing each by its UID; one owner email', async () => {
    const api = setup()
    const { series, manageToken, guest } = await tuesdaySeries(api, { extra: { locale: 'de' } })
    smtp.messages.length = 0
    twilio.messages.length = 0
    const res = await api.call<CancelledSeries>('POST', `/v1/series/${series.ref}/cancel`, { token: manageToken })
    expect(res.status).toBe(200)
    expect(res.body.cancelled).toHaveLength(12)
    expect(res.body.kept).toEqual([])
    await api.send()

    const [mail, ...others] = mailsTo(guest.email)
    expect(others).toHaveLength(0)
    expect(mail?.subject).toBe('Storniert: Yoga Room, dienstags 18:00 Uhr, 12 Termine ab 6. Okt. 2026')
    expect(mail?.text).toContain(
      'Yoga Room: Ihre wöchentliche Buchung dienstags 18:00 Uhr wurde storniert: 12 Termine ab 6. Okt. 2026.',
    )
    expect(mail?.text).toContain('Stornierte Termine: 6. Okt. 2026, 13. Okt. 2026, 20. Okt. 2026')
    expect(mail?.text).toContain('22. Dez. 2026')
    expect(mail?.text).toContain(`Buchungsnummer: ${series.ref}`)
    expect(mail?.text).not.toContain('Weiterhin gebucht')
    const calendar = attachedCalendar(mail)
    expect(calendar.filename).toBe(`series-${series.ref}.ics`)
    expect(calendar.method).toBe('CANCEL')
    // As a single cancellation: the booking's own UID, one SEQUENCE above its confirmation.
    expect(calendar.events).toEqual(
      series.bookings.map((booking) => ({
        uid: `${booking.ref}@${HOST}`,
        sequence: 1,
        start: booking.start,
        status: 'CANCELLED',
      })),
    )
    // Cancellations go by email only, as a single one does.
    expect(smsTo(guest.phone)).toHaveLength(0)

    const [owner, ...moreOwner] = ownerMailsAbout(series.ref)
    expect(moreOwner).toHaveLength(0)
    expect(owner?.subject).toBe(
      `Serie ${series.ref} storniert: Yoga Room, dienstags 18:00 Uhr, 12 Termine ab 6. Okt. 2026`,
    )
    expect(owner?.attachments).toHaveLength(0)
    for (const booking of series.bookings) expect(ownerMailsAbout(booking.ref)).toHaveLength(0)

    const rows = await rowsOf(series.id)
    const perDate = rows.filter((row) => row.event === 'cancelled' || row.event === 'admin_cancelled')
    expect(perDate).toHaveLength(24)
    expect(new Set(perDate.map((row) => row.skipReason))).toEqual(
      new Set(['told in one message for the whole series cancellation']),
    )
    // No reminder of a cancelled date goes out.
    const reminders = rows.filter((row) => row.event.startsWith('reminder'))
    expect(reminders.length).toBeGreaterThan(0)
    expect(reminders.every((row) => row.status === 'skipped')).toBe(true)
  })

  it('by the owner: one owner email and one guest email', async () => {
    const api = setup()
    const { series, guest } = await tuesdaySeries(api)
    smtp.messages.length = 0
    const { key } = await createAdminKey(database.db, 'series cancel message tests')
    const res = await api.call<CancelledSeries>('POST', `/v1/admin/series/${series.id}/cancel`, {
      token: key,
      body: { reason: 'room closed' },
    })
    expect(res.status).toBe(200)
    expect(res.body.cancelled).toHaveLength(12)
    await api.send()

    const [owner, ...moreOwner] = mailsTo(OWNER).filter(
      (m) => m.subject?.includes(series.ref) || series.bookings.some((b) => m.subject?.includes(b.ref)),
    )
    expect(moreOwner).toHaveLength(0)
    expect(owner?.subject).toBe(`Series ${series.ref} cancelled: Yoga Room, Tuesdays 18:00, 12 dates from 6 Oct 2026`)
    expect(owner?.text).toContain(
      'Yoga Room: a weekly booking on Tuesdays 18:00 was cancelled: 12 dates from 6 Oct 2026.',
    )
    expect(owner?.text).toContain(`Guest: Grace Hopper, ${guest.email}`)
    const [mail, ...others] = mailsTo(guest.email)
    expect(others).toHaveLength(0)
    expect(mail?.text).toContain('your weekly booking on Tuesdays 18:00 has been cancelled: 12 dates from 6 Oct 2026.')
    expect(attachedCalendar(mail).events).toHaveLength(12)
  })

  it('after two dates were cancelled alone: those had their own emails, the series cancel lists the other 10', async () => {
    const api = setup()
    const { series, manageToken, guest } = await tuesdaySeries(api)
    smtp.messages.length = 0
    for (const booking of [series.bookings[2]!, series.bookings[5]!]) {
      const res = await api.call('POST', `/v1/bookings/${booking.ref}/cancel`, { token: manageToken })
      expect(res.status).toBe(200)
    }
    await api.send()
    // The two go out in either order (the sender works through its rows concurrently).
    const single = mailsTo(guest.email).sort((a, b) => bodyDate(a) - bodyDate(b))
    expect(single.map((m) => m.subject)).toEqual([
      'Cancelled: Yoga Room, Tuesday, 20 October 2026, 18:00 Berlin time',
      'Cancelled: Yoga Room, Tuesday, 10 November 2026, 18:00 Berlin time',
    ])
    expect(attachedCalendar(single[0]).events.map((e) => e.uid)).toEqual([`${series.bookings[2]!.ref}@${HOST}`])
    expect(ownerMailsAbout(series.bookings[2]!.ref)).toHaveLength(1)

    smtp.messages.length = 0
    const res = await api.call<CancelledSeries>('POST', `/v1/series/${series.ref}/cancel`, { token: manageToken })
    expect(res.body.cancelled).toHaveLength(10)
    await api.send()
    const [mail, ...others] = mailsTo(guest.email)
    expect(others).toHaveLength(0)
    expect(mail?.text).toContain('10 dates from 6 Oct 2026')
    expect(mail?.text).toContain('Cancelled dates: 6 Oct 2026, 13 Oct 2026, 27 Oct 2026, 3 Nov 2026, 17 Nov 2026')
    expect(mail?.text).not.toContain('20 Oct 2026')
    const left = series.bookings.filter((_, index) => index !== 2 && index !== 5)
    expect(attachedCalendar(mail).events.map((e) => e.uid)).toEqual(left.map((b) => `${b.ref}@${HOST}`))
    expect(ownerMailsAbout(series.ref)).toHaveLength(1)
  })

  it('names the dates the policy kept (too close to cancel online)', async () => {
    const api = setup()
    const { series, manageToken, guest } = await tuesdaySeries(api, { config: { minCancelNoticeHours: 24 } })
    smtp.messages.length = 0
    // 20 hours before the first date.
    api.clock.set('2026-10-05T20:00:00Z')
    const res = await api.call<CancelledSeries>('POST', `/v1/series/${series.ref}/cancel`, { token: manageToken })
    expect(res.status).toBe(200)
    expect(res.body.cancelled).toHaveLength(11)
    expect(res.body.kept.map((k) => k.ref)).toEqual([series.bookings[0]!.ref])
    await api.send()
    // The kept date's 24 h reminder is due too: it is still booked.
    const [mail, ...others] = mailsTo(guest.email).filter((m) => m.subject?.startsWith('Cancelled:'))
    expect(others).toHaveLength(0)
    expect(mail?.text).toContain('11 dates from 13 Oct 2026')
    expect(mail?.text).toContain('Still booked (too close to cancel online): 6 Oct 2026')
    expect(attachedCalendar(mail).events).toHaveLength(11)
  })

  it('a date cancelled before the series was announced: the announcement still reaches the guest with the dates left', async () => {
    const api = setup()
    const { series, manageToken, guest } = await tuesdaySeries(api, { announce: false })
    const first = series.bookings[0]!
    const res = await api.call('POST', `/v1/bookings/${first.ref}/cancel`, { token: manageToken })
    expect(res.status).toBe(200)
    await api.send()

    const mails = mailsTo(guest.email)
    const announcement = mails.find((m) => m.subject?.startsWith('Booked:'))
    expect(announcement?.subject).toBe('Booked: Yoga Room, Tuesday, 13 October 2026, 18:00 Berlin time')
    expect(announcement?.text).toContain('Repeats: Every week on Tuesday at 18:00')
    const calendar = attachedCalendar(announcement)
    expect(calendar.method).toBe('REQUEST')
    expect(calendar.events.map((e) => e.uid)).toEqual(series.bookings.slice(1).map((b) => `${b.ref}@${HOST}`))
    // The cancelled date is told of by its own cancellation.
    expect(mails.filter((m) => m.subject?.startsWith('Cancelled:'))).toHaveLength(1)
    expect(mails).toHaveLength(2)
    expect(smsTo(guest.phone)).toHaveLength(1)
    expect(mailsTo(OWNER).filter((m) => m.subject?.startsWith(`New booking ${series.bookings[1]!.ref}`))).toHaveLength(
      1,
    )
  })
})

describe('the words of a series cancellation', () => {
  const booking = { guestName: 'Ana', guestEmail: 'ana@example.com', guestPhone: null, notes: null, seats: 1 }
  it('states what comes back in total, in the cancellation emails’ money format', () => {
    const content = renderEmail({
      event: 'series_cancelled',
      language: 'es',
      booking: { ...booking, startsAt: new Date('2026-10-06T16:00:00Z'), guestTimezone: ZONE } as never,
      resourceName: 'Sala',
      timezone: ZONE,
      manageUrl: 'https://example.test/manage',
      seriesCancel: {
        ref: 'SERIES01',
        everyWeeks: 2,
        cancelled: [new Date('2026-10-06T16:00:00Z'), new Date('2026-10-20T16:00:00Z')],
        kept: [],
        refunds: [{ amount: 4000, currency: 'EUR' }],
      },
    })
    expect(content.text).toContain(
      'Sala: tu reserva cada 2 semanas de los martes a las 18:00 ha sido cancelada: 2 fechas desde el 6 oct 2026.',
    )
    expect(content.text).toMatch(/Reembolso: 40,00\s€ en total\./)
    expect(content.text).not.toContain('https://example.test/manage')
  })
})
