import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { CreatedSeries } from '../../shared/api-contract'
import type { PublicHold } from '../../shared/types'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertBooking, insertResource } from '../../test/fixtures'
import { localHour } from '../../test/local-hour'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { startSmtpSink, type SmtpSink } from '../../test/smtp-sink'
import { fixedClock } from '../clock'
import { silentLogger } from '../logger'
import { createSmtpSender } from './email'
import { createOutboxPlanner } from './outbox'
import { processOutbox } from './outbox-sender'

/*
 * A series is announced by one email, which says how it repeats and which dates it skipped,
 * in the guest's language: booked through the API, delivered over SMTP to a local server.
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
beforeEach(() => {
  smtp.messages.length = 0
})

const ZONE = 'Europe/Berlin'
const iso = (ms: number) => new Date(ms).toISOString()

function setup() {
  const clock = fixedClock('2026-09-20T12:00:00Z')
  const api = createTestApi({
    db: database.db,
    clock,
    holds: createTestHoldBackend(clock).holds,
    outbox: createOutboxPlanner({ adminEmail: 'owner@example.test' }),
  })
  const email = createSmtpSender({ url: smtp.url, from: 'Bookings <bookings@example.test>' })
  const send = () =>
    processOutbox({
      db: database.db,
      clock,
      logger: silentLogger,
      email,
      sms: undefined,
      links: { publicUrl: 'https://book.example.test', appSecret: undefined },
    })
  return { ...api, send }
}

/** 18:00–19:00 Berlin time on `date` plus `weeks` weeks. */
const local = (date: string, weeks = 0) => localHour(ZONE, date, '18:00', weeks)

let emails = 0
const uniqueEmail = () => `grace.${process.pid}.${++emails}@example.com`

async function bookSeries(api: ReturnType<typeof setup>, body: Record<string, unknown>, taken: number[] = []) {
  const r = await insertResource(database.db, {
    name: 'Yoga Room',
    timezone: ZONE,
    schedules: everyDay({ startTime: '09:00', endTime: '21:00', slotDuration: 60 }),
  })
  for (const weeks of taken) {
    const { start, end } = local('2026-09-29', weeks)
    await insertBooking(database.db, { resourceId: r.id, start: new Date(start), end: new Date(end) })
  }
  const session = newSession()
  const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
    session,
    body: { resourceId: r.id, start: iso(local('2026-09-29').start) },
  })
  expect(hold.status).toBe(201)
  const email = uniqueEmail()
  const res = await api.call<CreatedSeries>('POST', '/v1/bookings/series', {
    session,
    body: { holdId: hold.body.hold.id, guest: { name: 'Grace Hopper', email }, ...body },
  })
  expect(res.status).toBe(201)
  await api.send()
  const mails = smtp.messages.filter((m) => (m.to as { text: string }).text === email)
  return { series: res.body.series, mails }
}

describe('the email announcing a series', () => {
  it('says in English how it repeats: every week, 12 times, until its last date', async () => {
    const api = setup()
    const { series, mails } = await bookSeries(api, {
      repeat: { everyWeeks: 1, occurrences: 12 },
      mode: 'all_or_nothing',
    })
    expect(series.bookings).toHaveLength(12)
    // One email for the whole series, not one per date.
    expect(mails).toHaveLength(1)
    expect(mails[0]?.text).toContain('Repeats: Every week on Tuesday at 18:00, 12 times (until 15 Dec 2026)')
    expect(mails[0]?.text).not.toContain('Not booked')
    expect(mails[0]?.html).toContain('Every week on Tuesday at 18:00, 12 times (until 15 Dec 2026)')
    // The series' own ref beside the first date's: the one the owner's console shows for it.
    expect(mails[0]?.text).toContain(`Series: ${series.ref}`)
    expect(mails[0]?.text).toContain(`Reference: ${series.bookings[0]!.ref}`)
  })

  it('says in formal German every 2 weeks until a date, and names the skipped dates', async () => {
    const api = setup()
    const { series, mails } = await bookSeries(
      api,
      { repeat: { everyWeeks: 2, until: '2026-12-15' }, mode: 'skip_conflicts', locale: 'de' },
      [4],
    )
    // 29 Sep … 15 Dec every 2 weeks: 6 dates, 27 October taken.
    expect(series.bookings).toHaveLength(5)
    expect(series.skippedDates).toEqual(['2026-10-27'])
    expect(mails).toHaveLength(1)
    expect(mails[0]?.subject).toMatch(/^Gebucht: Yoga Room/)
    expect(mails[0]?.text).toContain('Wiederholung: Alle 2 Wochen am Dienstag um 18:00 Uhr bis 15. Dez. 2026')
    expect(mails[0]?.text).toContain('Nicht gebucht (bereits vergeben): 27. Okt. 2026')
    expect(mails[0]?.text).toContain('Ihre Buchung ist bestätigt.')
    expect(mails[0]?.text).toContain(`Terminserie: ${series.ref}`)
  })

  it('says it in Spanish, with the dates booked when some were skipped', async () => {
    const api = setup()
    const { mails } = await bookSeries(
      api,
      { repeat: { everyWeeks: 1, occurrences: 4 }, mode: 'skip_conflicts', locale: 'es' },
      [1],
    )
    expect(mails[0]?.text).toContain('Se repite: Cada semana, el martes a las 18:00, 3 veces (hasta el 20 oct 2026)')
    expect(mails[0]?.text).toContain('No reservadas (ya ocupadas): 6 oct 2026')
  })

  it('names the resource’s city in the guest’s language when the guest reads another clock', async () => {
    const api = setup()
    const { mails } = await bookSeries(api, {
      repeat: { everyWeeks: 1, occurrences: 3 },
      mode: 'all_or_nothing',
      locale: 'es',
      timezone: 'Europe/London',
    })
    expect(mails[0]?.text).toContain('Se repite: Cada semana, el martes a las 18:00 hora de Berlín, 3 veces')
  })
})
