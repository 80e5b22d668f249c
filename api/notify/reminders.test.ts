import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookings, notifications } from '../../drizzle/schema'
import type { PublicBooking, PublicHold } from '../../shared/types'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { startFakeTwilio, type FakeTwilio } from '../../test/fake-twilio'
import { everyDay, insertResource } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { startSmtpSink, type SmtpSink } from '../../test/smtp-sink'
import { fixedClock } from '../clock'
import { silentLogger } from '../logger'
import { createSmtpSender } from './email'
import { createOutboxPlanner } from './outbox'
import { createTwilioSender } from './sms'
import { processOutbox } from './outbox-sender'

/*
 * When reminders go, with a fixed clock: each scenario books through the API, then runs
 * the worker only at the moments listed (hours before the start; between them the
 * worker is down), and reads what became of the three reminder messages.
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

const HOUR = 3_600_000
const SENT = 'sent'
const TOO_LATE_24 = 'too late for the 24 h reminder (under 2 h left)'
const TOO_LATE_1 = 'too late for the 1 h reminder (under 10 min left)'
const STARTED = 'the booking has started'
const CANCELLED = 'cancelled'
const INSIDE = 'booked inside the reminder window'

interface Scenario {
  name: string
  /** Hours before the start the booking is made. */
  bookedAt: number
  /** Hours before the start the worker runs (it is down in between). */
  runsAt: number[]
  /** Something the guest does, hours before the start. */
  action?: { at: number; do: 'cancel' | 'move a day later' }
  /** What became of [24 h email, 24 h SMS, 1 h SMS]: 'sent' or the skip reason. */
  expected: [string, string, string]
}

const scenarios: Scenario[] = [
  { name: 'booked 3 days ahead', bookedAt: 72, runsAt: [72, 48, 24, 12, 1, 0.5], expected: [SENT, SENT, SENT] },
  {
    name: 'booked 23 h ahead: no 24 h reminder beside the confirmation',
    bookedAt: 23,
    runsAt: [23, 1],
    expected: [INSIDE, INSIDE, SENT],
  },
  {
    name: 'booked 30 min ahead: no reminders at all',
    bookedAt: 0.5,
    runsAt: [0.5],
    expected: [INSIDE, INSIDE, INSIDE],
  },
  {
    name: 'cancelled two days ahead',
    bookedAt: 72,
    runsAt: [72, 24, 1],
    action: { at: 48, do: 'cancel' },
    expected: [CANCELLED, CANCELLED, CANCELLED],
  },
  {
    name: 'worker down 6 h around the 24 h mark: still sent, late',
    bookedAt: 72,
    runsAt: [72, 18, 1],
    expected: [SENT, SENT, SENT],
  },
  {
    name: 'worker down 6 h up to 3 min before the start',
    bookedAt: 72,
    runsAt: [72, 24, 6.05, 0.05],
    expected: [SENT, SENT, TOO_LATE_1],
  },
  {
    name: 'worker down 6 h, back after the start',
    bookedAt: 72,
    runsAt: [72, 24, 5, -1],
    expected: [SENT, SENT, STARTED],
  },
  {
    name: 'worker down 26 h, back 1.5 h before: the 24 h reminder is too late',
    bookedAt: 30,
    runsAt: [27.5, 1.5, 0.5],
    expected: [TOO_LATE_24, TOO_LATE_24, SENT],
  },
]

describe('reminder timing', () => {
  // Each scenario lives a month after the previous one, so one scenario's clock never
  // reaches another's messages before that one has been checked.
  it.each(scenarios.map((s, i) => [s.name, s, i] as const))('%s', async (_name, scenario, index) => {
    const start = Date.parse('2031-01-01T10:00:00Z') + index * 30 * 24 * HOUR
    const clock = fixedClock(start - scenario.bookedAt * HOUR)
    const notifiers = {
      email: createSmtpSender({ url: smtp.url, from: 'bookings@example.test' }),
      sms: createTwilioSender({
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
        from: '+14155550100',
        apiBase: twilio.url,
      }),
      links: { publicUrl: 'https://book.example.test', appSecret: undefined },
    }
    const outbox = createOutboxPlanner({ adminEmail: undefined })
    const api = createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds, outbox })
    const resource = await insertResource(database.db, {
      schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 30 }),
    })

    const session = newSession()
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId: resource.id, start: new Date(start).toISOString() },
    })
    expect(hold.status).toBe(201)
    const created = await api.call<{ booking: PublicBooking; manageToken: string }>('POST', '/v1/bookings', {
      session,
      body: {
        holdId: hold.body.hold.id,
        guest: { name: 'Rita Reminder', email: `rita${index}@example.com`, phone: '+442071234567' },
      },
    })
    expect(created.status).toBe(201)
    const { booking, manageToken } = created.body

    const moments = [
      ...scenario.runsAt.map((h) => ({ at: h, run: true })),
      ...(scenario.action ? [{ at: scenario.action.at, run: false }] : []),
    ].sort((a, b) => b.at - a.at)
    for (const moment of moments) {
      clock.set(start - moment.at * HOUR)
      if (moment.run) {
        await processOutbox({ db: database.db, clock, logger: silentLogger, ...notifiers })
      } else if (scenario.action?.do === 'cancel') {
        expect((await api.call('POST', `/v1/bookings/${booking.ref}/cancel`, { token: manageToken })).status).toBe(200)
      }
    }
    notifiers.email.close()

    const [row] = await database.db.select().from(bookings).where(eq(bookings.ref, booking.ref))
    const rows = await database.db.select().from(notifications).where(eq(notifications.bookingId, row!.id))
    const outcome = (event: string, channel: string) => {
      const found = rows.find((r) => r.event === event && r.channel === channel)
      return found?.status === 'sent' ? SENT : (found?.skipReason ?? found?.status ?? 'missing')
    }
    expect([outcome('reminder_24h', 'email'), outcome('reminder_24h', 'sms'), outcome('reminder_1h', 'sms')]).toEqual(
      scenario.expected,
    )
  })

  it('after a reschedule, the old reminders are dropped and new ones go at the new time', async () => {
    const start = Date.parse('2032-06-01T10:00:00Z')
    const clock = fixedClock(start - 72 * HOUR)
    const notifiers = {
      email: createSmtpSender({ url: smtp.url, from: 'bookings@example.test' }),
      sms: undefined,
      links: { publicUrl: 'https://book.example.test', appSecret: undefined },
    }
    const api = createTestApi({
      db: database.db,
      clock,
      holds: createTestHoldBackend(clock).holds,
      outbox: createOutboxPlanner({ adminEmail: undefined }),
    })
    const resource = await insertResource(database.db, {
      schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 30 }),
    })
    const session = newSession()
    const hold = async (at: number) =>
      (
        await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
          session,
          body: { resourceId: resource.id, start: new Date(at).toISOString() },
        })
      ).body.hold
    const first = await hold(start)
    const created = await api.call<{ booking: PublicBooking; manageToken: string }>('POST', '/v1/bookings', {
      session,
      body: { holdId: first.id, guest: { name: 'Moe Mover', email: 'moe@example.com' } },
    })
    const { booking, manageToken } = created.body
    const later = start + 24 * HOUR
    const moved = await api.call('POST', `/v1/bookings/${booking.ref}/reschedule`, {
      session,
      token: manageToken,
      body: { holdId: (await hold(later)).id },
    })
    expect(moved.status).toBe(200)

    const run = async (at: number) => {
      clock.set(at)
      return processOutbox({ db: database.db, clock, logger: silentLogger, ...notifiers })
    }
    await run(start - 24 * HOUR) // the old 24 h mark: nothing for the old time
    const [row] = await database.db.select().from(bookings).where(eq(bookings.ref, booking.ref))
    const reminders = async () =>
      (await database.db.select().from(notifications).where(eq(notifications.bookingId, row!.id)))
        .filter((n) => n.event === 'reminder_24h' && n.channel === 'email')
        .map((n) => [n.version, n.status, n.skipReason])
        .sort()
    expect(await reminders()).toEqual([
      [1, 'skipped', 'rescheduled'],
      [2, 'pending', null],
    ])
    await run(later - 24 * HOUR)
    expect(await reminders()).toEqual([
      [1, 'skipped', 'rescheduled'],
      [2, 'sent', null],
    ])
    notifiers.email.close()
  })
})
