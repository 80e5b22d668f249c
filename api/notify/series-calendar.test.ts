import { eq, inArray } from 'drizzle-orm'
import ICAL from 'ical.js'
import type { ParsedMail } from 'mailparser'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { bookings, notifications } from '../../drizzle/schema'
import type { CreatedSeries, MovedSeries } from '../../shared/api-contract'
import type { PublicBooking, PublicHold } from '../../shared/types'
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
import { createOutboxPlanner } from './outbox'
import { processOutbox } from './outbox-sender'
import { createTwilioSender } from './sms'

/*
 * A series in the guest's calendar: its announcement carries every date, a date moved alone
 * updates that date, and a whole series moved is told once, with every moved date updated.
 * Booked and moved through the API; delivered over SMTP and Twilio's REST shape to local servers.
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

/** An hour at `time` Berlin time on `date` plus `weeks` weeks. */
const local = (date: string, time: string, weeks = 0) => localHour(ZONE, date, time, weeks)

let guests = 0
/** Tests share a database and the sinks: each guest has their own address and phone. */
function newGuest() {
  guests++
  return {
    name: 'Grace Hopper',
    email: `grace.${process.pid}.${guests}@example.com`,
    phone: `+44207123${String(4000 + guests)}`,
  }
}

/** Tuesdays 18:00 Berlin time from 6 October 2026, 12 dates, announced (its messages sent). */
async function tuesdaySeries(api: Api, extra: Record<string, unknown> = {}) {
  const r = await insertResource(database.db, {
    name: 'Yoga Room',
    timezone: ZONE,
    schedules: everyDay({ startTime: '09:00', endTime: '21:00', slotDuration: 60 }),
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
      ...extra,
    },
  })
  expect(res.status).toBe(201)
  await api.send()
  return { ...res.body, resourceId: r.id, guest }
}

const mailsTo = (address: string) => smtp.messages.filter((m) => (m.to as { text: string }).text === address)
const ownerMailsAbout = (ref: string) => mailsTo(OWNER).filter((m) => m.subject?.includes(ref))
const smsTo = (phone: string) => twilio.messages.filter((m) => m.to === phone)

/** A calendar file as a calendar app reads it: its METHOD and each event's UID, SEQUENCE and start. */
function readCalendar(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text))
  return {
    method: calendar.getFirstPropertyValue('method'),
    events: calendar.getAllSubcomponents('vevent').map((vevent) => {
      const event = new ICAL.Event(vevent)
      return { uid: event.uid, sequence: event.sequence, start: event.startDate.toJSDate().toISOString() }
    }),
  }
}

function attachedCalendar(mail: ParsedMail | undefined) {
  const attachment = mail?.attachments.find((a) => a.contentType === 'text/calendar')
  expect(attachment).toBeDefined()
  return { filename: attachment?.filename, ...readCalendar(attachment!.content.toString('utf8')) }
}

async function moveOneDate(api: Api, resourceId: string, ref: string, token: string, start: number) {
  const session = newSession()
  const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
    session,
    body: { resourceId, start: iso(start) },
  })
  expect(hold.status).toBe(201)
  const moved = await api.call<{ booking: PublicBooking }>('POST', `/v1/bookings/${ref}/reschedule`, {
    session,
    token,
    body: { holdId: hold.body.hold.id },
  })
  expect(moved.status).toBe(200)
  return moved.body.booking
}

describe('a series in the guest’s calendar', () => {
  it('is announced with one VEVENT per date, each with its booking’s own UID', async () => {
    const api = setup()
    const { series, guest } = await tuesdaySeries(api)
    const [mail, ...others] = mailsTo(guest.email)
    expect(others).toHaveLength(0)
    const calendar = attachedCalendar(mail)
    expect(calendar.filename).toBe(`series-${series.ref}.ics`)
    expect(calendar.method).toBe('REQUEST')
    expect(calendar.events).toEqual(
      series.bookings.map((booking) => ({ uid: `${booking.ref}@${HOST}`, sequence: 0, start: booking.start })),
    )
    expect(new Set(calendar.events.map((e) => e.uid)).size).toBe(12)
    expect(smsTo(guest.phone)).toHaveLength(1)
    // The owner's notice carries no calendar file.
    expect(ownerMailsAbout(series.bookings[0]!.ref)[0]?.attachments).toHaveLength(0)
  })

  it('GET /v1/series/:ref/calendar.ics: every date still booked, the same UIDs as each date’s own file', async () => {
    const api = setup()
    const { series, manageToken } = await tuesdaySeries(api)
    const cancelled = await api.call('POST', `/v1/bookings/${series.bookings[11]!.ref}/cancel`, {
      token: manageToken,
    })
    expect(cancelled.status).toBe(200)
    const res = await api.call('GET', `/v1/series/${series.ref}/calendar.ics`, { token: manageToken })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/)
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="series-${series.ref}.ics"`)
    const calendar = readCalendar(res.text)
    expect(calendar.method).toBeNull()
    expect(calendar.events.map((e) => e.start)).toEqual(series.bookings.slice(0, 11).map((b) => b.start))
    const single = await api.call('GET', `/v1/bookings/${series.bookings[0]!.ref}/calendar.ics`, {
      token: manageToken,
    })
    expect(calendar.events[0]?.uid).toBe(readCalendar(single.text).events[0]?.uid)
    expect(calendar.events[0]?.uid).toBe(`${series.bookings[0]!.ref}@localhost`)

    const wrong = await api.call('GET', `/v1/series/${series.ref}/calendar.ics`, { token: 'not-the-token' })
    expect(wrong.status).toBe(404)
  })

  it('a date moved alone: the guest gets the usual moved email with that date’s file (SEQUENCE 1)', async () => {
    const api = setup()
    const { series, manageToken, resourceId, guest } = await tuesdaySeries(api)
    smtp.messages.length = 0
    twilio.messages.length = 0
    const third = series.bookings[2]!
    const to = local('2026-10-21', '18:00')
    await moveOneDate(api, resourceId, third.ref, manageToken, to.start)
    await api.send()

    const [mail, ...others] = mailsTo(guest.email)
    expect(others).toHaveLength(0)
    expect(mail?.subject).toMatch(/^Moved: Yoga Room, Wednesday, 21 October 2026, 18:00 Berlin time/)
    expect(mail?.text).toContain('Previously: Tuesday, 20 October 2026, 18:00 Berlin time')
    const calendar = attachedCalendar(mail)
    expect(calendar.filename).toBe(`booking-${third.ref}.ics`)
    expect(calendar.events).toEqual([{ uid: `${third.ref}@${HOST}`, sequence: 1, start: iso(to.start) }])
    expect(ownerMailsAbout(third.ref)).toHaveLength(1)
    expect(smsTo(guest.phone)).toHaveLength(1)
  })

  it('the whole series moved by a German guest: one email saying from what to what, with every date’s file, one owner email', async () => {
    const api = setup()
    const { series, manageToken, guest } = await tuesdaySeries(api, { locale: 'de' })
    smtp.messages.length = 0
    twilio.messages.length = 0
    const res = await api.call<MovedSeries>('POST', `/v1/series/${series.ref}/reschedule`, {
      token: manageToken,
      body: { start: iso(local('2026-10-08', '19:00').start) },
    })
    expect(res.status).toBe(200)
    expect(res.body.moved).toHaveLength(12)
    await api.send()

    const [mail, ...others] = mailsTo(guest.email)
    expect(others).toHaveLength(0)
    expect(mail?.subject).toBe(`Verschoben: Yoga Room, donnerstags 19:00 Uhr, 12 Termine ab 8. Okt. 2026`)
    expect(mail?.text).toContain(
      'Yoga Room: Ihre wöchentliche Buchung wurde von dienstags 18:00 Uhr auf donnerstags 19:00 Uhr verschoben: 12 Termine ab 8. Okt. 2026.',
    )
    expect(mail?.text).toContain('Nächster Termin: Donnerstag, 8. Oktober 2026, 19:00 Uhr Ortszeit Berlin')
    expect(mail?.text).toContain('Termine: 8. Okt. 2026, 15. Okt. 2026, 22. Okt. 2026')
    expect(mail?.text).toContain(`Buchungsnummer: ${series.ref}`)
    const calendar = attachedCalendar(mail)
    expect(calendar.filename).toBe(`series-${series.ref}.ics`)
    expect(calendar.method).toBe('REQUEST')
    expect(calendar.events).toEqual(
      res.body.series.bookings.map((booking) => ({ uid: `${booking.ref}@${HOST}`, sequence: 1, start: booking.start })),
    )
    // Thursdays 19:00 Berlin time on both sides of the clock change (25 October).
    expect(calendar.events.map((e) => e.start).slice(2, 4)).toEqual([
      '2026-10-22T17:00:00.000Z',
      '2026-10-29T18:00:00.000Z',
    ])

    const [sms, ...moreSms] = smsTo(guest.phone)
    expect(moreSms).toHaveLength(0)
    expect(sms?.body).toContain(
      `Verschoben: Yoga Room, jetzt donnerstags 19:00 Uhr, 12 Termine ab 8. Okt. 2026; bisher dienstags 18:00 Uhr. Nr. ${series.ref}.`,
    )
    const [owner, ...moreOwner] = ownerMailsAbout(series.ref)
    expect(moreOwner).toHaveLength(0)
    expect(owner?.subject).toBe(
      `Serie ${series.ref} verschoben: Yoga Room, donnerstags 19:00 Uhr, 12 Termine ab 8. Okt. 2026`,
    )
    expect(owner?.attachments).toHaveLength(0)
    // No date was told of alone: each date's own moved messages are in the log, skipped.
    for (const booking of series.bookings) expect(ownerMailsAbout(booking.ref)).toHaveLength(0)
    const ids = (
      await database.db.select({ id: bookings.id }).from(bookings).where(eq(bookings.seriesId, series.id))
    ).map((row) => row.id)
    const perDate = await database.db
      .select()
      .from(notifications)
      .where(inArray(notifications.bookingId, ids))
      .then((rows) => rows.filter((row) => row.event === 'moved' || row.event === 'admin_moved'))
    expect(perDate).toHaveLength(36)
    expect(new Set(perDate.map((row) => row.status))).toEqual(new Set(['skipped']))
  })

  it('the owner moves the rest of a series: one email for the 10 dates left, each date’s SEQUENCE after its own moves', async () => {
    const api = setup()
    const { series, manageToken, resourceId, guest } = await tuesdaySeries(api)
    const last = series.bookings[11]!
    await moveOneDate(api, resourceId, last.ref, manageToken, local('2026-12-23', '18:00').start)
    await api.send()
    smtp.messages.length = 0
    twilio.messages.length = 0
    // Two dates have passed.
    api.clock.set('2026-10-14T12:00:00Z')
    const { key } = await createAdminKey(database.db, 'series calendar tests')
    const res = await api.call<MovedSeries>('POST', `/v1/admin/series/${series.id}/reschedule`, {
      token: key,
      body: { start: iso(local('2026-10-22', '19:00').start) },
    })
    expect(res.status).toBe(200)
    expect(res.body.moved).toHaveLength(10)
    await api.send()

    const [mail, ...others] = mailsTo(guest.email)
    expect(others).toHaveLength(0)
    expect(mail?.text).toContain(
      'Yoga Room: your weekly booking has moved from Tuesdays 18:00 to Thursdays 19:00: 10 dates from 22 Oct 2026.',
    )
    const calendar = attachedCalendar(mail)
    const moved = res.body.series.bookings.slice(2)
    expect(calendar.events).toEqual(
      moved.map((booking) => ({
        uid: `${booking.ref}@${HOST}`,
        sequence: booking.ref === last.ref ? 2 : 1,
        start: booking.start,
      })),
    )
    expect(ownerMailsAbout(series.ref)).toHaveLength(1)
    expect(smsTo(guest.phone)).toHaveLength(1)
  })

  it('two series moves before the worker ran are told once, from the time the guest knew to the last', async () => {
    const api = setup()
    const { series, manageToken, guest } = await tuesdaySeries(api, { locale: 'es' })
    smtp.messages.length = 0
    for (const start of [local('2026-10-08', '19:00').start, local('2026-10-09', '17:00').start]) {
      const res = await api.call('POST', `/v1/series/${series.ref}/reschedule`, {
        token: manageToken,
        body: { start: iso(start) },
      })
      expect(res.status).toBe(200)
    }
    await api.send()
    const [mail, ...others] = mailsTo(guest.email)
    expect(others).toHaveLength(0)
    expect(mail?.text).toContain(
      'Yoga Room: tu reserva semanal ha cambiado de los martes a las 18:00 a los viernes a las 17:00: 12 fechas desde el 9 oct 2026.',
    )
    expect(attachedCalendar(mail).events.map((e) => e.sequence)).toEqual(Array(12).fill(2))
    expect(ownerMailsAbout(series.ref)).toHaveLength(1)
  })

  it('a guest on another clock reads the move on theirs; the owner on the resource’s', async () => {
    const api = setup()
    const { series, manageToken, guest } = await tuesdaySeries(api, { timezone: 'Europe/London' })
    smtp.messages.length = 0
    const res = await api.call('POST', `/v1/series/${series.ref}/reschedule`, {
      token: manageToken,
      body: { start: iso(local('2026-10-08', '19:00').start) },
    })
    expect(res.status).toBe(200)
    await api.send()
    const [mail] = mailsTo(guest.email)
    expect(mail?.text).toContain(
      'your weekly booking has moved from Tuesdays 17:00 London time to Thursdays 18:00 London time: 12 dates from 8 Oct 2026.',
    )
    expect(mail?.text).toContain('Next date: Thursday, 8 October 2026, 18:00 London time (19:00 in Berlin)')
    expect(ownerMailsAbout(series.ref)[0]?.text).toContain(
      'a weekly booking was moved from Tuesdays 18:00 to Thursdays 19:00: 12 dates from 8 Oct 2026.',
    )
  })
})
