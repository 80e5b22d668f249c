import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { bookings } from '../../drizzle/schema'
import type { ErrorBody } from '../../shared/errors'
import type { ResourceConfig, SpanConfig } from '../../shared/resource-config'
import type {
  AvailabilityResponse,
  NextAvailableResponse,
  PublicBooking,
  PublicHold,
  PublicResource,
  SpansResponse,
} from '../../shared/types'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { FAKE_WEBHOOK_SECRET, startFakeStripe, type FakeStripe } from '../../test/fake-stripe'
import { everyDay, insertResource } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { fixedClock } from '../clock'
import { createBooking } from '../bookings/lifecycle'
import { silentLogger } from '../logger'
import { createOutboxPlanner } from '../notify/outbox'
import { renderEmail, renderSms } from '../notify/messages'
import { createStripeGateway } from '../payments/stripe-gateway'

/*
 * Spans across days through the API: `/spans` answers pickups and returns by the rules,
 * a span is held and booked like a slot (POST /v1/holds with start and end, then POST
 * /v1/bookings), its payment is the span's price, the EXCLUDE constraint guards the whole
 * span, and a span booking moves with a new span hold.
 */

let database: TestDatabase
let stripe: FakeStripe
beforeAll(async () => {
  database = await createTestDatabase()
  stripe = await startFakeStripe()
})
afterAll(async () => {
  await stripe?.close()
  await database?.close()
})
beforeEach(() => {
  stripe.requests.length = 0
})

const NOW = '2026-12-01T00:00:00Z'
const guest = { name: 'Ada Lovelace', email: 'ada@example.com' }
const CAR_SPAN: SpanConfig = { minMinutes: 240, maxMinutes: 14 * 1440, pricing: 'per_day' }
const PRICE = { amount: 4900, currency: 'EUR' }

/** Berlin wall time on a December 2026 date (UTC+1). */
const berlin = (date: string, time: string) => new Date(`2026-12-${date}T${time}:00+01:00`).toISOString()
const FRI_10 = berlin('04', '10:00')
const MON_09 = berlin('07', '09:00')

type Created = {
  booking: PublicBooking
  manageToken: string
  payment?: { amount: number; currency: string }
}

function setup(clockAt = NOW) {
  const clock = fixedClock(clockAt)
  const payments = createStripeGateway({
    secretKey: 'sk_test_spans',
    publishableKey: 'pk_test_spans',
    webhookSecret: FAKE_WEBHOOK_SECRET,
    apiBase: stripe.url,
  })
  const api = createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds, payments })
  return { ...api, clock }
}
type Api = ReturnType<typeof setup>

/** A car in Berlin open 08:00–18:00 every day, booked by the span. */
function car(config: ResourceConfig = {}) {
  return insertResource(database.db, {
    type: 'car',
    name: 'City car',
    timezone: 'Europe/Berlin',
    config: { span: CAR_SPAN, price: PRICE, payment: 'full', ...config },
    schedules: everyDay({ startTime: '08:00', endTime: '18:00', slotDuration: null }),
  })
}

const spans = (api: Api, slug: string, query: string, session?: string) =>
  api.call<SpansResponse & ErrorBody>('GET', `/v1/resources/${slug}/spans?${query}`, session ? { session } : {})

const hold = (api: Api, resourceId: string, start: string, end?: string, session = newSession()) =>
  api.call<{ hold: PublicHold } & ErrorBody>('POST', '/v1/holds', {
    session,
    body: { resourceId, start, ...(end !== undefined ? { end } : {}) },
  })

async function book(api: Api, resourceId: string, start: string, end: string) {
  const session = newSession()
  const held = await hold(api, resourceId, start, end, session)
  expect(held.status).toBe(201)
  const created = await api.call<Created>('POST', '/v1/bookings', {
    session,
    body: { holdId: held.body.hold.id, guest },
  })
  expect(created.status).toBe(201)
  return created.body
}

describe('GET /v1/resources/:idOrSlug/spans', () => {
  it('answers the pickups of each day in the asked zone, every day present', async () => {
    const r = await car()
    const api = setup()
    const res = await spans(api, r.slug, 'from=2026-12-04&to=2026-12-07&timezone=Europe/Berlin')
    expect(res.status).toBe(200)
    expect(res.body.timezone).toBe('Europe/Berlin')
    expect(res.body.span).toEqual(CAR_SPAN)
    expect(res.body.resource.span).toEqual(CAR_SPAN)
    expect(res.body.days.map((d) => d.date)).toEqual(['2026-12-04', '2026-12-05', '2026-12-06', '2026-12-07'])
    const friday = res.body.days[0]!.pickups!
    expect(friday).toHaveLength(20)
    expect(friday[0]).toBe(berlin('04', '08:00'))
    expect(friday).toContain(FRI_10)
    expect(friday.at(-1)).toBe(berlin('04', '17:30'))
    expect(res.body.latestReturn).toBeUndefined()
    expect(res.headers.get('etag')).toMatch(/^"/)
    const again = await api.call(
      'GET',
      `/v1/resources/${r.slug}/spans?from=2026-12-04&to=2026-12-07&timezone=Europe/Berlin`,
      {
        headers: { 'If-None-Match': res.headers.get('etag')! },
      },
    )
    expect(again.status).toBe(304)
  })

  it('with a Friday 10:00 pickup, offers Monday 09:00 among the returns and the latest return 14 days on', async () => {
    const r = await car()
    const api = setup()
    const res = await spans(api, r.slug, `from=2026-12-04&to=2026-12-07&timezone=Europe/Berlin&start=${FRI_10}`)
    expect(res.status).toBe(200)
    const [friday, saturday, , monday] = res.body.days
    expect(friday!.returns![0]).toBe(berlin('04', '14:00'))
    expect(friday!.returns!.at(-1)).toBe(berlin('04', '18:00'))
    expect(saturday!.returns![0]).toBe(berlin('05', '08:00'))
    expect(monday!.returns).toContain(MON_09)
    expect(res.body.latestReturn).toBe(berlin('18', '10:00'))
    // A pickup after the asked days: none of its returns fall in them, its latest return is still answered.
    const later = await spans(api, r.slug, `from=2026-12-04&to=2026-12-04&start=${berlin('20', '10:00')}`)
    expect(later.body.days).toEqual([{ date: '2026-12-04', returns: [] }])
    expect(later.body.latestReturn).toBe(new Date('2027-01-03T10:00:00+01:00').toISOString())
    // A pickup outside the opening hours cannot start a span.
    const night = await spans(api, r.slug, `from=2026-12-04&to=2026-12-07&start=${berlin('04', '20:00')}`)
    expect(night.body.latestReturn).toBeNull()
    expect(night.body.days.every((d) => d.returns!.length === 0)).toBe(true)
  })

  it('takes booked spans and other sessions’ holds out, but not the asking session’s own hold', async () => {
    const r = await car({ payment: 'none' })
    const api = setup()
    await book(api, r.id, berlin('05', '10:00'), berlin('06', '10:00'))
    const res = await spans(api, r.slug, `from=2026-12-04&to=2026-12-07&start=${FRI_10}`)
    expect(res.body.latestReturn).toBe(berlin('05', '10:00'))
    const pickups = await spans(api, r.slug, 'from=2026-12-05&to=2026-12-06')
    expect(pickups.body.days[0]!.pickups).toEqual([])
    expect(pickups.body.days[1]!.pickups![0]).toBe(berlin('06', '10:00'))

    const session = newSession()
    expect((await hold(api, r.id, berlin('07', '10:00'), berlin('08', '10:00'), session)).status).toBe(201)
    const others = await spans(api, r.slug, `from=2026-12-06&to=2026-12-07&start=${berlin('06', '10:00')}`)
    expect(others.body.latestReturn).toBe(berlin('07', '10:00'))
    const mine = await spans(api, r.slug, `from=2026-12-06&to=2026-12-07&start=${berlin('06', '10:00')}`, session)
    expect(mine.body.latestReturn).toBe(berlin('20', '10:00'))
  })

  it('refuses a range of more than 62 days (400), a slot resource (422) and an unknown one (404)', async () => {
    const r = await car()
    const slots = await insertResource(database.db, { schedules: everyDay({ startTime: '09:00', endTime: '17:00' }) })
    const api = setup()
    const long = await spans(api, r.slug, 'from=2026-12-01&to=2027-02-01')
    expect(long.status).toBe(400)
    expect(long.body.error.code).toBe('invalid_request')
    const bySlot = await spans(api, slots.slug, 'from=2026-12-01&to=2026-12-02')
    expect(bySlot.status).toBe(422)
    expect(bySlot.body.error.message).toMatch(/availability/)
    expect((await spans(api, 'no-such-car', 'from=2026-12-01&to=2026-12-02')).status).toBe(404)
  })

  it('answers a span resource’s availability with no slots and the resource’s span, and next-available with null', async () => {
    const r = await car()
    const api = setup()
    const availability = await api.call<AvailabilityResponse>(
      'GET',
      `/v1/resources/${r.slug}/availability?from=2026-12-04&to=2026-12-05`,
    )
    expect(availability.status).toBe(200)
    expect(availability.body.days).toEqual([])
    expect(availability.body.resource.span).toEqual(CAR_SPAN)
    const compact = await api.call<AvailabilityResponse>(
      'GET',
      `/v1/resources/${r.slug}/availability?from=2026-12-04&to=2026-12-05&format=compact`,
    )
    expect(compact.status).toBe(200)
    expect(compact.body).toMatchObject({ format: 'compact', days: [], resource: { span: CAR_SPAN } })
    const next = await api.call<NextAvailableResponse>('GET', `/v1/resources/${r.slug}/next-available?from=2026-12-04`)
    expect(next.status).toBe(200)
    expect(next.body).toEqual({ nextAvailable: null })
    const view = await api.call<{ resource: PublicResource }>('GET', `/v1/resources/${r.slug}`)
    expect(view.body.resource.span).toEqual(CAR_SPAN)
  })
})

describe('holding and booking a span', () => {
  it('books Friday 10:00 → Monday 09:00 (71 hours) for 3 days × the price, paid through the provider', async () => {
    const r = await car()
    const api = setup()
    const created = await book(api, r.id, FRI_10, MON_09)
    expect(created.booking).toMatchObject({ start: FRI_10, end: MON_09, status: 'pending' })
    expect(created.payment).toMatchObject({ amount: 3 * 4900, currency: 'EUR' })
    expect(created.booking.payment).toMatchObject({ amount: 14_700, currency: 'EUR' })
    const intent = stripe.requests.find((req) => req.path === '/v1/payment_intents')
    expect(intent?.form).toMatchObject({ amount: '14700', currency: 'eur' })
    const [row] = await database.db.select().from(bookings).where(eq(bookings.ref, created.booking.ref))
    expect(row!.amount).toBe(14_700)
  })

  it('books a stay by the night for the nights: Friday 15:00 → Monday 11:00 is 3 nights', async () => {
    const room = await insertResource(database.db, {
      type: 'room',
      timezone: 'Europe/Berlin',
      config: {
        span: { minMinutes: 60, maxMinutes: 14 * 1440, pricing: 'per_night', checkIn: '15:00', checkOut: '11:00' },
        price: { amount: 8000, currency: 'EUR' },
        payment: 'full',
      },
      schedules: everyDay({ startTime: '08:00', endTime: '12:00', slotDuration: null }),
    })
    const api = setup()
    const listed = await spans(api, room.slug, 'from=2026-12-04&to=2026-12-05')
    expect(listed.body.days[0]!.pickups).toEqual([berlin('04', '15:00')])
    const created = await book(api, room.id, berlin('04', '15:00'), berlin('07', '11:00'))
    expect(created.payment).toMatchObject({ amount: 3 * 8000 })
    const wrong = await hold(api, room.id, berlin('08', '14:00'), berlin('09', '11:00'))
    expect(wrong.status).toBe(422)
    expect(wrong.body.error.message).toMatch(/check-in, 15:00/)
  })

  it('prices a span across the spring-forward night by real hours: Sat 10:00 → Sun 10:30 is 23.5 h, one day', async () => {
    const r = await car()
    const api = setup('2026-03-01T00:00:00Z')
    const created = await book(api, r.id, '2026-03-28T09:00:00.000Z', '2026-03-29T08:30:00.000Z')
    expect(created.payment).toMatchObject({ amount: 4900 })
    // Across the fall-back night the same wall times are 25.5 hours: two days.
    const later = await book(api, r.id, '2026-10-24T08:00:00.000Z', '2026-10-25T09:30:00.000Z')
    expect(later.payment).toMatchObject({ amount: 2 * 4900 })
  })

  it('refuses a second overlapping span: 409 slot_held while held, slot_taken once booked', async () => {
    const r = await car({ payment: 'none' })
    const api = setup()
    const first = await hold(api, r.id, FRI_10, MON_09)
    expect(first.status).toBe(201)
    const rival = await hold(api, r.id, berlin('06', '10:00'), berlin('08', '10:00'))
    expect(rival.status).toBe(409)
    expect(rival.body.error.code).toBe('slot_held')
    await book(api, r.id, berlin('10', '10:00'), berlin('12', '10:00'))
    const taken = await hold(api, r.id, berlin('11', '10:00'), berlin('14', '10:00'))
    expect(taken.status).toBe(409)
    expect(taken.body.error.code).toBe('slot_taken')
  })

  it.each([
    ['an off-hours pickup', berlin('04', '07:00'), MON_09, 'start_outside_hours', /outside the opening hours/],
    ['an off-hours return', FRI_10, berlin('07', '19:00'), 'end_outside_hours', /return time is outside/],
    ['a pickup off the grid', berlin('04', '10:10'), MON_09, 'start_off_grid', /every 30 minutes/],
    ['a span too short', FRI_10, berlin('04', '12:00'), 'too_short', /at least 4 hours/],
    ['a span too long', FRI_10, berlin('19', '10:00'), 'too_long', /at most 14 days/],
  ])('refuses %s with 422 outside_availability naming the rule', async (_label, start, end, reason, message) => {
    const r = await car()
    const api = setup()
    const res = await hold(api, r.id, start, end)
    expect(res.status).toBe(422)
    expect(res.body.error).toMatchObject({ code: 'outside_availability', details: { reason } })
    expect(res.body.error.message).toMatch(message)
  })

  it('answers questions about the far past and future quickly, with the rule they break', async () => {
    const r = await car()
    const api = setup()
    const began = Date.now()
    const centuries = await hold(api, r.id, FRI_10, '2999-12-04T09:00:00.000Z')
    expect(centuries.body.error).toMatchObject({ code: 'outside_availability', details: { reason: 'too_long' } })
    const past = await hold(api, r.id, '1971-01-01T09:00:00.000Z', '1971-01-02T09:00:00.000Z')
    expect(past.body.error).toMatchObject({ code: 'outside_availability', details: { reason: 'too_soon' } })
    const old = await spans(api, r.slug, 'from=2026-12-04&to=2026-12-04&start=1971-01-01T09:00:00Z')
    expect(old.body.latestReturn).toBeNull()
    const far = await spans(api, r.slug, 'from=2026-12-04&to=2026-12-04&start=2999-01-01T09:00:00Z')
    expect(far.body.latestReturn).toBeNull()
    expect(Date.now() - began).toBeLessThan(10_000)
  })

  it('asks for the return time of a span (400 without `end`)', async () => {
    const r = await car()
    const res = await hold(setup(), r.id, FRI_10)
    expect(res.status).toBe(400)
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'end' })])
  })

  it('moves a span booking with a new span hold, and frees the old span', async () => {
    const r = await car({ payment: 'none' })
    const api = setup()
    const created = await book(api, r.id, FRI_10, MON_09)
    const session = newSession()
    const next = await hold(api, r.id, berlin('11', '10:00'), berlin('14', '09:00'), session)
    expect(next.status).toBe(201)
    const moved = await api.call<{ booking: PublicBooking }>('POST', `/v1/bookings/${created.booking.ref}/reschedule`, {
      session,
      token: created.manageToken,
      body: { holdId: next.body.hold.id },
    })
    expect(moved.status).toBe(200)
    expect(moved.body.booking).toMatchObject({ start: berlin('11', '10:00'), end: berlin('14', '09:00') })
    const freed = await spans(api, r.slug, `from=2026-12-04&to=2026-12-07&start=${FRI_10}`)
    expect(freed.body.days[3]!.returns).toContain(MON_09)
  })
})

describe('moving a span paid online', () => {
  it('keeps its days: a 3-day span moves to another 3-day span, not to a 4-day one', async () => {
    const r = await car()
    const api = setup()
    const created = await book(api, r.id, FRI_10, MON_09)
    const move = async (start: string, end: string) => {
      const session = newSession()
      const next = await hold(api, r.id, start, end, session)
      expect(next.status).toBe(201)
      return api.call<{ booking: PublicBooking } & ErrorBody>(
        'POST',
        `/v1/bookings/${created.booking.ref}/reschedule`,
        {
          session,
          token: created.manageToken,
          body: { holdId: next.body.hold.id },
        },
      )
    }
    const longer = await move(berlin('11', '10:00'), berlin('15', '09:00'))
    expect(longer.status).toBe(400)
    expect(longer.body.error.details).toEqual([
      expect.objectContaining({ path: 'holdId', message: 'hold is for 4 days; the booking paid for 3 days' }),
    ])
    // The refused move's hold stays the session's until it lapses: the next move takes other days.
    const same = await move(berlin('18', '10:00'), berlin('21', '10:00'))
    expect(same.status).toBe(200)
    expect(same.body.booking).toMatchObject({ start: berlin('18', '10:00'), end: berlin('21', '10:00') })
  })
})

describe('what a span booking’s guest reads', () => {
  it.each([
    ['en', 'Until: Monday, 7 December 2026, 09:00 Berlin time', 'Friday, 4 December 2026, 10:00 Berlin time'],
    ['de', 'Bis: Montag, 7. Dezember 2026, 09:00 Uhr Ortszeit Berlin', 'Freitag, 4. Dezember 2026, 10:00 Uhr'],
    ['es', 'Hasta: lunes, 7 de diciembre de 2026, 09:00 hora de Berlín', 'viernes, 4 de diciembre de 2026, 10:00'],
  ] as const)('states the pickup and the return date in the confirmation (%s)', async (language, until, when) => {
    const r = await car({ payment: 'none' })
    const api = setup()
    const created = await book(api, r.id, FRI_10, MON_09)
    const [row] = await database.db.select().from(bookings).where(eq(bookings.ref, created.booking.ref))
    const ctx = {
      event: 'created' as const,
      language,
      booking: row!,
      resourceName: 'City car',
      timezone: 'Europe/Berlin',
      manageUrl: undefined,
    }
    const email = renderEmail(ctx)
    expect(email.text).toContain(when)
    expect(email.text).toContain(until)
    expect(email.html).toContain(until.slice(until.indexOf(':') + 2))
    const sms = renderSms(ctx)
    expect(sms).toContain(when)
    expect(sms).toContain(until.slice(until.indexOf(':') + 2))
  })
})

describe('spans under a crowd', () => {
  it('gives one of 30 guests holding overlapping spans at once the car, every other a 409', async () => {
    const r = await car({ payment: 'none' })
    const api = setup()
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        hold(
          api,
          r.id,
          berlin('04', i % 2 === 0 ? '10:00' : '12:00'),
          berlin(String(5 + (i % 3)).padStart(2, '0'), '09:00'),
        ),
      ),
    )
    const statuses = results.map((res) => res.status)
    expect(statuses.filter((status) => status === 201)).toHaveLength(1)
    expect(statuses.filter((status) => status === 409)).toHaveLength(29)
  })

  it.skipIf(!process.env.DATABASE_URL)(
    'lets the EXCLUDE constraint keep one of 20 overlapping spans written at once, without holds',
    async () => {
      const r = await car({ payment: 'none' })
      const deps = {
        db: database.db,
        clock: fixedClock(NOW),
        logger: silentLogger,
        payments: undefined,
        outbox: createOutboxPlanner({ adminEmail: undefined }),
      }
      const attempts = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          createBooking(
            deps,
            {
              ref: `SPAN${String(i).padStart(4, '0')}`,
              resourceId: r.id,
              start: Date.parse(berlin('04', '10:00')) + i * 3_600_000,
              end: Date.parse(berlin('07', '09:00')) + i * 3_600_000,
              guest,
              sessionId: newSession(),
              manageTokenHash: `hash-${i}-${r.id}`,
            },
            { span: CAR_SPAN },
          ),
        ),
      )
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1)
      for (const failed of attempts.filter((a) => a.status === 'rejected')) {
        expect((failed as PromiseRejectedResult).reason).toMatchObject({ code: 'slot_taken' })
      }
      const rows = await database.db.select().from(bookings).where(eq(bookings.resourceId, r.id))
      expect(rows).toHaveLength(1)
    },
  )
})

if (!process.env.DATABASE_URL) {
  console.warn(
    'spans: the 20 simultaneous writes are skipped: they need a PostgreSQL server (DATABASE_URL); PGlite runs one statement at a time.',
  )
}
