import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookingSeries, bookings } from '../../drizzle/schema'
import type { BookingResponse, CreatedBooking, CreatedSeries } from '../../shared/api-contract'
import type { ErrorBody } from '../../shared/errors'
import type { ResourceConfig } from '../../shared/schemas'
import type { PublicHold } from '../../shared/types'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertBooking, insertResource } from '../../test/fixtures'
import { localHour } from '../../test/local-hour'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { createAdminKey } from '../admin/keys'
import { fixedClock } from '../clock'
import { silentLogger } from '../logger'
import type { EmailMessage } from '../notify/email'
import { createOutboxPlanner } from '../notify/outbox'
import { processOutbox } from '../notify/outbox-sender'

/*
 * The owner books for a guest: the time as a guest's hold would take it, booked confirmed
 * with no payment online, the guest told in their language with their manage link.
 */

let database: TestDatabase
let key: string
beforeAll(async () => {
  database = await createTestDatabase()
  key = (await createAdminKey(database.db, 'front desk')).key
})
afterAll(() => database?.close())

const NOW = '2026-03-01T12:00:00Z'
const ZONE = 'Europe/Berlin'
const APP_SECRET = 'owner-booking-test-secret-0123456789abcdef'
const paidWithApproval: ResourceConfig = {
  payment: 'full',
  price: { amount: 4000, currency: 'EUR' },
  requiresConfirmation: true,
}

function setup() {
  const clock = fixedClock(NOW)
  const api = createTestApi({
    db: database.db,
    clock,
    holds: createTestHoldBackend(clock).holds,
    outbox: createOutboxPlanner({ adminEmail: 'owner@example.test' }),
    appSecret: APP_SECRET,
  })
  const book = <T = CreatedBooking & ErrorBody>(body: unknown, token: string | undefined = key) =>
    api.call<T>('POST', '/v1/admin/bookings', { body, ...(token ? { token } : {}) })
  return { ...api, clock, book }
}
type Api = ReturnType<typeof setup>

/** Open 09:00–12:00 every day in Berlin, hourly. */
function resource(config: ResourceConfig = {}) {
  return insertResource(database.db, {
    timezone: ZONE,
    config,
    schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
  })
}

/** `time` Berlin time on `date`, plus `weeks` weeks. */
const local = (date: string, time = '10:00', weeks = 0) => localHour(ZONE, date, time, weeks)
const iso = (ms: number) => new Date(ms).toISOString()
const ana = (email = `ana.${process.pid}.${Math.random().toString(36).slice(2, 8)}@example.es`) => ({
  name: 'Ana García',
  email,
})

const rowsOf = (resourceId: string) => database.db.select().from(bookings).where(eq(bookings.resourceId, resourceId))

async function emailsTo(api: Api, address: string): Promise<EmailMessage[]> {
  const sent: EmailMessage[] = []
  await processOutbox({
    db: database.db,
    clock: api.clock,
    logger: silentLogger,
    email: {
      kind: 'file',
      from: 'Reservas <reservas@example.test>',
      send: async (m: EmailMessage) => (sent.push(m), { id: m.messageId }),
      close: () => {},
    },
    sms: undefined,
    links: { publicUrl: 'https://book.example.test', appSecret: APP_SECRET },
  })
  return sent.filter((m) => m.to === address)
}

describe('the owner books one time for a guest', () => {
  it('confirms at once on a resource that asks approval and payment, and tells the guest in Spanish with their link', async () => {
    const api = setup()
    const r = await resource(paidWithApproval)
    const guest = ana()
    const at = local('2026-03-03')
    const res = await api.book({
      resourceId: r.slug,
      start: iso(at.start),
      guest,
      locale: 'es',
      notes: 'Llamó por teléfono',
    })
    expect(res.status, res.text).toBe(201)
    expect(res.body.booking).toMatchObject({ status: 'confirmed', start: iso(at.start), end: iso(at.end) })
    expect(res.body).not.toHaveProperty('payment')
    const [row] = await rowsOf(r.id)
    expect(row).toMatchObject({
      status: 'confirmed',
      paymentStatus: null,
      amount: null,
      locale: 'es',
      notes: 'Llamó por teléfono',
    })
    expect(row?.expiresAt).toBeNull()

    // The manage token opens the booking like any guest's.
    const mine = await api.call<BookingResponse>('GET', `/v1/bookings/${res.body.booking.ref}`, {
      token: res.body.manageToken,
    })
    expect([mine.status, mine.body.booking.status]).toEqual([200, 'confirmed'])

    const [confirmation, ...more] = await emailsTo(api, guest.email)
    expect(more).toEqual([])
    expect(confirmation?.subject).toMatch(/^Reservado: /)
    expect(confirmation?.text).toContain('https://book.example.test/')
    expect(confirmation?.text).toMatch(/martes, 3 de marzo/)
  })

  it('needs the admin key', async () => {
    const api = setup()
    const r = await resource()
    const res = await api.book({ resourceId: r.id, start: iso(local('2026-03-03').start), guest: ana() }, '')
    expect([res.status, res.body.error.code]).toEqual([401, 'unauthorized'])
    expect(await rowsOf(r.id)).toEqual([])
  })

  it('refuses what a guest could not book, with a code and nothing written', async () => {
    const api = setup()
    const r = await resource()
    const taken = local('2026-03-03')
    await insertBooking(database.db, { resourceId: r.id, start: new Date(taken.start), end: new Date(taken.end) })
    const cases: [unknown, number, string][] = [
      [{ resourceId: 'no-such-room', start: iso(taken.start), guest: ana() }, 404, 'not_found'],
      [{ resourceId: r.id, start: iso(local('2026-03-03', '15:00').start), guest: ana() }, 422, 'outside_availability'],
      [{ resourceId: r.id, start: iso(taken.start), guest: ana() }, 409, 'slot_taken'],
      [
        { resourceId: r.id, start: iso(local('2026-03-04').start), guest: { name: 'Ana' } },
        400,
        'invalid_request:required',
      ],
      [
        { resourceId: r.id, start: iso(local('2026-03-04').start), guest: { ...ana(), phone: '12' } },
        400,
        'invalid_request:invalid_phone',
      ],
      [
        { resourceId: r.id, start: iso(local('2026-03-04').start), guest: ana(), repeat: { everyWeeks: 1 } },
        400,
        'invalid_request:invalid',
      ],
    ]
    for (const [body, status, code] of cases) {
      const res = await api.book(body)
      // A refused field also names its own code: `invalid_request:invalid_phone`.
      const fieldCode = res.body.error?.details && (res.body.error.details as { code: string }[])[0]?.code
      const got = code.includes(':') ? `${res.body.error?.code}:${fieldCode}` : res.body.error?.code
      expect([res.status, got], `${JSON.stringify(body)} → ${res.text}`).toEqual([status, code])
      expect(res.body.error.message.length).toBeGreaterThan(10)
    }
    expect(await rowsOf(r.id)).toHaveLength(1)
  })

  it('leaves a time a guest is checking out to that guest (409 slot_held), and frees its own hold after booking', async () => {
    const api = setup()
    const r = await resource()
    const at = local('2026-03-05')
    const session = newSession()
    const held = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId: r.id, start: iso(at.start) },
    })
    expect(held.status).toBe(201)
    const refused = await api.book({ resourceId: r.id, start: iso(at.start), guest: ana() })
    expect([refused.status, refused.body.error.code]).toEqual([409, 'slot_held'])

    const other = local('2026-03-05', '11:00')
    expect((await api.book({ resourceId: r.id, start: iso(other.start), guest: ana() })).status).toBe(201)
    // The owner's hold went with the booking: the slot now reads as booked, not held.
    const again = await api.call<ErrorBody>('POST', '/v1/holds', {
      session: newSession(),
      body: { resourceId: r.id, start: iso(other.start) },
    })
    expect([again.status, again.body.error.code]).toEqual([409, 'slot_taken'])
  })

  it('keeps to the guest’s booking limits', async () => {
    const api = setup()
    const r = await resource({ limits: { perGuestPerDay: 1 } })
    const guest = ana()
    expect((await api.book({ resourceId: r.id, start: iso(local('2026-03-06', '09:00').start), guest })).status).toBe(
      201,
    )
    const second = await api.book({ resourceId: r.id, start: iso(local('2026-03-06', '11:00').start), guest })
    expect([second.status, second.body.error.code]).toEqual([409, 'limit_reached'])
    expect(await rowsOf(r.id)).toHaveLength(1)
  })

  it('10 owner requests and 10 guests at once for one time: exactly one booking', async () => {
    const api = setup()
    const r = await resource()
    const at = iso(local('2026-03-07').start)
    const guestFlow = async (i: number) => {
      const session = newSession()
      const held = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
        session,
        body: { resourceId: r.id, start: at },
      })
      if (held.status !== 201) return held.status
      const booked = await api.call('POST', '/v1/bookings', {
        session,
        body: { holdId: held.body.hold.id, guest: { name: `Guest ${i}`, email: `g${i}@example.com` } },
      })
      return booked.status
    }
    const statuses = await Promise.all([
      ...Array.from({ length: 10 }, () =>
        api.book({ resourceId: r.id, start: at, guest: ana() }).then((res) => res.status),
      ),
      ...Array.from({ length: 10 }, (_, i) => guestFlow(i)),
    ])
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(statuses.filter((s) => s !== 201).every((s) => s === 409)).toBe(true)
    expect((await rowsOf(r.id)).filter((row) => row.status !== 'cancelled')).toHaveLength(1)
  })
})

describe('the owner books a series for a guest', () => {
  /** 12 Monday 10:00 dates from 2 March, the 7th and 11th booked by others. */
  async function twoTaken(config: ResourceConfig = {}) {
    const r = await resource(config)
    const dates = Array.from({ length: 12 }, (_, k) => local('2026-03-02', '10:00', k))
    for (const k of [6, 10])
      await insertBooking(database.db, {
        resourceId: r.id,
        start: new Date(dates[k]!.start),
        end: new Date(dates[k]!.end),
      })
    return { r, dates, taken: [dates[6]!, dates[10]!] }
  }

  it('all_or_nothing (the default): 409 slot_taken naming the two dates, nothing written', async () => {
    const api = setup()
    const { r, dates, taken } = await twoTaken()
    const res = await api.book({
      resourceId: r.id,
      start: iso(dates[0]!.start),
      guest: ana(),
      repeat: { everyWeeks: 1, occurrences: 12 },
    })
    expect([res.status, res.body.error.code]).toEqual([409, 'slot_taken'])
    expect((res.body.error.details as { conflicts: unknown[] }).conflicts).toEqual(
      taken.map((t) => ({ date: t.date, start: iso(t.start), end: iso(t.end), reason: 'taken' })),
    )
    expect(await rowsOf(r.id)).toHaveLength(2)
    expect(await database.db.select().from(bookingSeries).where(eq(bookingSeries.resourceId, r.id))).toEqual([])
  })

  it('skip_conflicts on a paid resource: 10 dates confirmed without payment, the 2 skipped named, one email for the series', async () => {
    const api = setup()
    const { r, dates, taken } = await twoTaken(paidWithApproval)
    const guest = ana()
    const res = await api.call<CreatedSeries>('POST', '/v1/admin/bookings', {
      token: key,
      body: {
        resourceId: r.id,
        start: iso(dates[0]!.start),
        guest,
        locale: 'es',
        repeat: { everyWeeks: 1, occurrences: 12 },
        mode: 'skip_conflicts',
      },
    })
    expect(res.status, res.text).toBe(201)
    expect(res.body).not.toHaveProperty('payment')
    expect(res.body.series.skipped.map((s) => s.date)).toEqual(taken.map((t) => t.date))
    const mine = (await rowsOf(r.id)).filter((row) => row.seriesId === res.body.series.id)
    expect(mine).toHaveLength(10)
    expect(mine.every((row) => row.status === 'confirmed' && row.paymentStatus === null)).toBe(true)
    const announced = await emailsTo(api, guest.email)
    expect(announced).toHaveLength(1)
    expect(announced[0]?.text).toContain('Cada semana, el lunes a las 10:00, 10 veces')
    expect(announced[0]?.text).toContain('No reservadas (ya ocupadas): 13 abr 2026, 11 may 2026')
    expect(announced[0]?.text).toContain('https://book.example.test/manage#ref=')
  })
})
