import { and, eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { bookings, notifications, type BookingRow } from '../../drizzle/schema'
import type { CancelledSeries, CreatedSeries, SeriesResponse } from '../../shared/api-contract'
import type { ErrorBody } from '../../shared/errors'
import type { ResourceConfig } from '../../shared/schemas'
import type { PublicBooking, PublicHold } from '../../shared/types'
import { createAdminKey } from '../admin/keys'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { FAKE_WEBHOOK_SECRET, startFakeStripe, type FakeStripe } from '../../test/fake-stripe'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { pricedResource, sendWebhook } from '../../test/paid-booking'
import { expireUnpaidBookings } from '../bookings/lifecycle'
import { fixedClock } from '../clock'
import { runDueWork } from '../due-work'
import { silentLogger } from '../logger'
import { createSmtpSender } from '../notify/email'
import { createOutboxPlanner } from '../notify/outbox'
import { processOutbox } from '../notify/outbox-sender'
import { startSmtpSink } from '../../test/smtp-sink'
import { createStripeGateway } from './stripe-gateway'

/*
 * A prepaid series: ONE PaymentIntent for all its dates (the guest pays once), each date
 * keeping its own share, refunded by its own policy. Stripe is a local server in its API
 * shape; webhooks are signed with the SDK's own helper.
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

const HOUR = 3_600_000
const DAY = 24 * HOUR
const WEEK = 7 * DAY
// "Now" is real time so Stripe's 300 s signature tolerance holds; the first date is days ahead.
const FIRST = new Date(Date.now() + 3 * DAY)
FIRST.setUTCHours(10, 0, 0, 0)
const guest = { name: 'Grace Hopper', email: 'grace@example.com' }
const ladder = { free_cancellation_hours: 24, partial_refund_hours: 12, partial_refund_percent: 50, no_refund_hours: 2 }
const priced: ResourceConfig = {
  payment: 'full',
  price: { amount: 5000, currency: 'EUR' },
  cancellationPolicy: ladder,
  horizonDays: 120,
}

function setup() {
  const clock = fixedClock(Date.now())
  const payments = createStripeGateway({
    secretKey: 'sk_test_series',
    publishableKey: 'pk_test_series',
    webhookSecret: FAKE_WEBHOOK_SECRET,
    apiBase: stripe.url,
  })
  const api = createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds, payments })
  const deps = {
    db: database.db,
    clock,
    logger: silentLogger,
    payments,
    outbox: createOutboxPlanner({ adminEmail: undefined }),
  }
  return { ...api, clock, deps }
}
type Api = ReturnType<typeof setup>

async function bookSeries(
  api: Api,
  resourceId: string,
  occurrences = 4,
  mode = 'all_or_nothing',
  start = FIRST,
  extra: Record<string, unknown> = {},
) {
  const session = newSession()
  const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
    session,
    body: { resourceId, start: start.toISOString() },
  })
  expect(hold.status).toBe(201)
  const res = await api.call<CreatedSeries & ErrorBody>('POST', '/v1/bookings/series', {
    session,
    body: { holdId: hold.body.hold.id, guest, repeat: { everyWeeks: 1, occurrences }, mode, ...extra },
  })
  // A refused series leaves the guest's hold on the first date; they let it go to try again.
  if (res.status !== 201) await api.call('DELETE', `/v1/holds/${hold.body.hold.id}`, { session })
  return res
}

async function datesOf(seriesId: string): Promise<BookingRow[]> {
  const rows = await database.db.select().from(bookings).where(eq(bookings.seriesId, seriesId))
  return rows.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
}

/** The guest's card goes through at the provider, and its webhook arrives. */
async function pay(api: Api, intentId: string) {
  stripe.authorize(intentId)
  const res = await sendWebhook(api, stripe, 'payment_intent.amount_capturable_updated', intentId)
  expect(res.status).toBe(200)
}

async function cancelDate(api: Api, ref: string, token: string) {
  return api.call<{ booking: PublicBooking }>('POST', `/v1/bookings/${ref}/cancel`, { token, body: {} })
}

const posts = (path: RegExp) => stripe.requests.filter((q) => q.method === 'POST' && path.test(q.path))

describe('booking a prepaid series', () => {
  it('holds every date pending under ONE intent for the sum of the dates, and tells nobody before it is paid', async () => {
    const api = setup()
    const r = await pricedResource(database.db, priced)
    const res = await bookSeries(api, r.id)
    expect(res.status).toBe(201)
    expect(res.body.payment).toEqual({
      clientSecret: expect.stringMatching(/_secret_/),
      publishableKey: 'pk_test_series',
      amount: 20_000,
      currency: 'EUR',
    })
    const dates = await datesOf(res.body.series.id)
    expect(dates).toHaveLength(4)
    for (const date of dates)
      expect(date).toMatchObject({
        status: 'pending',
        paymentStatus: 'requires_payment',
        amount: 5000,
        currency: 'EUR',
      })
    expect(new Set(dates.map((d) => d.paymentIntentId))).toEqual(new Set([expect.stringMatching(/^pi_/)]))
    const creates = posts(/^\/v1\/payment_intents$/)
    expect(creates).toHaveLength(1)
    expect(creates[0]).toMatchObject({ idempotencyKey: `pi-create:${dates[0]!.id}` })
    expect(creates[0]!.form).toMatchObject({ amount: '20000', currency: 'eur', capture_method: 'manual' })
    expect(res.body.series.bookings.map((b) => b.payment?.amount)).toEqual([5000, 5000, 5000, 5000])
    const told = await database.db
      .select()
      .from(notifications)
      .where(
        inArray(
          notifications.bookingId,
          dates.map((d) => d.id),
        ),
      )
    expect(told).toEqual([])
  })

  it('captures once for all dates however often the webhook arrives, confirms each date with its share, and announces the series once', async () => {
    const api = setup()
    const r = await pricedResource(database.db, priced)
    const res = await bookSeries(api, r.id)
    const intentId = (await datesOf(res.body.series.id))[0]!.paymentIntentId!
    stripe.authorize(intentId)
    const event = stripe.signedEvent('payment_intent.amount_capturable_updated', intentId)
    const deliveries = await Promise.all(
      Array.from({ length: 5 }, () =>
        api.app.request('/v1/webhooks/stripe', {
          method: 'POST',
          headers: { 'Stripe-Signature': event.signature },
          body: event.body,
        }),
      ),
    )
    expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200, 200, 200])
    expect(new Set(posts(/\/capture$/).map((q) => q.idempotencyKey))).toEqual(
      new Set([`capture:${res.body.series.id}:20000`]),
    )
    expect(stripe.intent(intentId)).toMatchObject({ status: 'succeeded', amount_received: 20_000 })
    const dates = await datesOf(res.body.series.id)
    for (const date of dates)
      expect(date).toMatchObject({
        status: 'confirmed',
        paymentStatus: 'captured',
        amountCaptured: 5000,
        amountRefunded: 0,
        expiresAt: null,
      })
    const told = await database.db
      .select()
      .from(notifications)
      .where(
        inArray(
          notifications.bookingId,
          dates.map((d) => d.id),
        ),
      )
    const created = told.filter((m) => m.event === 'created' && m.channel === 'email')
    expect(created.map((m) => m.bookingId)).toEqual([dates[0]!.id])
    // Every date its own 24-hour reminder, none told "confirmed" one by one.
    expect(
      new Set(told.filter((m) => m.event === 'reminder_24h' && m.channel === 'email').map((m) => m.bookingId)),
    ).toEqual(new Set(dates.map((d) => d.id)))
    expect(told.filter((m) => m.event === 'confirmed')).toEqual([])
    const shown = await api.call<SeriesResponse>('GET', `/v1/series/${res.body.series.ref}`, {
      token: res.body.manageToken,
    })
    expect(shown.body.series.bookings.map((b) => [b.status, b.payment?.status, b.payment?.captured])).toEqual(
      Array.from({ length: 4 }, () => ['confirmed', 'captured', 5000]),
    )
  })

  it('refunds a cancelled date its own share by its own policy, leaving the other dates paid', async () => {
    const api = setup()
    const r = await pricedResource(database.db, priced)
    const res = await bookSeries(api, r.id)
    const intentId = (await datesOf(res.body.series.id))[0]!.paymentIntentId!
    await pay(api, intentId)
    const [first, second] = res.body.series.bookings
    // The first date, three days ahead: free cancellation.
    expect((await cancelDate(api, first!.ref, res.body.manageToken)).body.booking).toMatchObject({
      status: 'cancelled',
      payment: { captured: 5000, refunded: 5000 },
    })
    // The second date, 18 hours before it starts: half back.
    api.clock.set(new Date(second!.start).getTime() - 18 * HOUR)
    expect((await cancelDate(api, second!.ref, res.body.manageToken)).body.booking).toMatchObject({
      status: 'cancelled',
      payment: { captured: 5000, refunded: 2500 },
    })
    const refunds = posts(/^\/v1\/refunds$/)
    expect(refunds.map((q) => [q.form.amount, q.form.payment_intent])).toEqual([
      ['5000', intentId],
      ['2500', intentId],
    ])
    const dates = await datesOf(res.body.series.id)
    expect(dates.map((d) => [d.status, d.amountCaptured, d.amountRefunded])).toEqual([
      ['cancelled', 5000, 5000],
      ['cancelled', 5000, 2500],
      ['confirmed', 5000, 0],
      ['confirmed', 5000, 0],
    ])
    // A later webhook about the refunds does not copy the intent's totals onto a date.
    expect((await sendWebhook(api, stripe, 'charge.refunded', intentId)).status).toBe(200)
    expect((await datesOf(res.body.series.id)).map((d) => d.amountRefunded)).toEqual([5000, 2500, 0, 0])
  })

  it('cancelling the whole series refunds each future date by its policy, in one go', async () => {
    const api = setup()
    const r = await pricedResource(database.db, priced)
    const res = await bookSeries(api, r.id, 3)
    await pay(api, (await datesOf(res.body.series.id))[0]!.paymentIntentId!)
    const cancelled = await api.call<CancelledSeries>('POST', `/v1/series/${res.body.series.ref}/cancel`, {
      token: res.body.manageToken,
      body: {},
    })
    expect(cancelled.status).toBe(200)
    expect(cancelled.body.cancelled).toHaveLength(3)
    expect(posts(/^\/v1\/refunds$/).map((q) => q.form.amount)).toEqual(['5000', '5000', '5000'])
    const intent = stripe.intent((await datesOf(res.body.series.id))[0]!.paymentIntentId!)
    expect(intent.amount_received).toBe(15_000)
    expect((await datesOf(res.body.series.id)).map((d) => d.amountRefunded)).toEqual([5000, 5000, 5000])
  })
})

describe('a prepaid series before it is paid', () => {
  it('a date cancelled before paying is left out of the capture; the others are taken and confirmed', async () => {
    const api = setup()
    const r = await pricedResource(database.db, priced)
    const res = await bookSeries(api, r.id)
    const third = res.body.series.bookings[2]!
    expect((await cancelDate(api, third.ref, res.body.manageToken)).status).toBe(200)
    // The intent stays open for the other three.
    expect(posts(/\/cancel$/)).toEqual([])
    const intentId = (await datesOf(res.body.series.id))[0]!.paymentIntentId!
    await pay(api, intentId)
    expect(stripe.intent(intentId)).toMatchObject({ status: 'succeeded', amount_received: 15_000 })
    expect((await datesOf(res.body.series.id)).map((d) => [d.status, d.paymentStatus, d.amountCaptured])).toEqual([
      ['confirmed', 'captured', 5000],
      ['confirmed', 'captured', 5000],
      ['cancelled', 'canceled', 0],
      ['confirmed', 'captured', 5000],
    ])
  })

  it('dates cancelled one by one at once stop the intent exactly once, when the last goes', async () => {
    const api = setup()
    const r = await pricedResource(database.db, priced)
    const res = await bookSeries(api, r.id)
    const answers = await Promise.all(res.body.series.bookings.map((b) => cancelDate(api, b.ref, res.body.manageToken)))
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200])
    const intentId = (await datesOf(res.body.series.id))[0]!.paymentIntentId!
    expect(stripe.intent(intentId).status).toBe('canceled')
    expect(new Set(posts(/\/cancel$/).map((q) => q.path))).toEqual(new Set([`/v1/payment_intents/${intentId}/cancel`]))
  })

  it('expires every date when nobody pays; a late payment takes back the dates still free and is captured for those', async () => {
    const api = setup()
    const r = await pricedResource(database.db, priced)
    const res = await bookSeries(api, r.id)
    const intentId = (await datesOf(res.body.series.id))[0]!.paymentIntentId!
    api.clock.set(api.clock.now() + 11 * 60_000)
    await expireUnpaidBookings(api.deps)
    expect((await datesOf(res.body.series.id)).map((d) => d.cancelReason)).toEqual(Array(4).fill('expired'))
    // Meanwhile someone else books the second date.
    const session = newSession()
    const second = res.body.series.bookings[1]!
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId: r.id, start: second.start },
    })
    const other = await api.call<{ booking: PublicBooking }>('POST', '/v1/bookings', {
      session,
      body: { holdId: hold.body.hold.id, guest: { name: 'Other', email: 'other@example.com' } },
    })
    expect(other.status).toBe(201)
    await pay(api, intentId)
    expect(stripe.intent(intentId)).toMatchObject({ status: 'succeeded', amount_received: 15_000 })
    expect((await datesOf(res.body.series.id)).map((d) => [d.status, d.amountCaptured])).toEqual([
      ['confirmed', 5000],
      ['cancelled', 0],
      ['confirmed', 5000],
      ['confirmed', 5000],
    ])
  })

  it('a series abandoned unpaid has its intent stopped by the sweep, once', async () => {
    const api = setup()
    const r = await pricedResource(database.db, priced)
    const res = await bookSeries(api, r.id, 3)
    const intentId = (await datesOf(res.body.series.id))[0]!.paymentIntentId!
    api.clock.set(api.clock.now() + 11 * 60_000)
    await runDueWork(api.deps)
    await runDueWork(api.deps)
    expect(stripe.intent(intentId).status).toBe('canceled')
    expect((await datesOf(res.body.series.id)).every((d) => d.status === 'cancelled')).toBe(true)
  })
})

describe('a prepaid series on a resource whose owner approves bookings', () => {
  it('is captured at once (an authorization would lapse before the last date); each date waits for the owner, a declined one is refunded', async () => {
    const api = setup()
    const r = await pricedResource(database.db, { ...priced, requiresConfirmation: true })
    const { key } = await createAdminKey(database.db, 'series payment tests')
    const res = await bookSeries(api, r.id, 3)
    const intentId = (await datesOf(res.body.series.id))[0]!.paymentIntentId!
    await pay(api, intentId)
    expect(stripe.intent(intentId)).toMatchObject({ status: 'succeeded', amount_received: 15_000 })
    let dates = await datesOf(res.body.series.id)
    expect(dates.map((d) => [d.status, d.paymentStatus])).toEqual(
      Array.from({ length: 3 }, () => ['pending', 'captured']),
    )
    const confirm = await api.call('POST', `/v1/admin/bookings/${dates[0]!.id}/confirm`, { token: key })
    expect(confirm.status).toBe(200)
    const decline = await api.call('POST', `/v1/admin/bookings/${dates[1]!.id}/cancel`, { token: key, body: {} })
    expect(decline.status).toBe(200)
    dates = await datesOf(res.body.series.id)
    expect(dates.map((d) => [d.status, d.amountCaptured, d.amountRefunded])).toEqual([
      ['confirmed', 5000, 0],
      ['cancelled', 5000, 5000],
      ['pending', 5000, 0],
    ])
    const announced = await database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.event, 'created'), eq(notifications.channel, 'email')))
    expect(announced.filter((m) => dates.some((d) => d.id === m.bookingId)).map((m) => m.bookingId)).toEqual([
      dates[0]!.id,
    ])
  })
})

describe('a 12-week prepaid series with two dates taken', () => {
  it('skip_conflicts pays for the ten free dates; all_or_nothing names both and opens no payment', async () => {
    const api = setup()
    const r = await pricedResource(database.db, priced)
    for (const week of [3, 7]) {
      const session = newSession()
      const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
        session,
        body: { resourceId: r.id, start: new Date(FIRST.getTime() + week * WEEK).toISOString() },
      })
      expect(hold.status).toBe(201)
      const taken = await api.call('POST', '/v1/bookings', {
        session,
        body: { holdId: hold.body.hold.id, guest: { name: 'Other', email: 'other@example.com' } },
      })
      expect(taken.status).toBe(201)
    }
    stripe.requests.length = 0
    const refused = await bookSeries(api, r.id, 12, 'all_or_nothing')
    expect([refused.status, refused.body.error.code]).toEqual([409, 'slot_taken'])
    expect((refused.body.error.details as { conflicts: unknown[] }).conflicts).toHaveLength(2)
    expect(posts(/^\/v1\/payment_intents$/)).toEqual([])

    const booked = await bookSeries(api, r.id, 12, 'skip_conflicts')
    expect(booked.status).toBe(201)
    expect(booked.body.series.bookings).toHaveLength(10)
    expect(booked.body.series.skipped).toHaveLength(2)
    expect(booked.body.payment).toMatchObject({ amount: 50_000, currency: 'EUR' })
    await pay(api, (await datesOf(booked.body.series.id))[0]!.paymentIntentId!)
    const dates = await datesOf(booked.body.series.id)
    expect(dates.filter((d) => d.status === 'confirmed' && d.amountCaptured === 5000)).toHaveLength(10)
  })
})

describe('when the provider is unreachable', () => {
  it('cancels every date and answers 503, so the times are free again', async () => {
    const api = setup()
    const r = await pricedResource(database.db, priced)
    stripe.failNext(/^\/v1\/payment_intents$/, 5)
    const res = await bookSeries(api, r.id, 3)
    expect([res.status, res.body.error.code]).toEqual([503, 'unavailable'])
    const rows = await database.db.select().from(bookings).where(eq(bookings.resourceId, r.id))
    expect(rows.map((row) => [row.status, row.cancelReason])).toEqual(
      Array.from({ length: 3 }, () => ['cancelled', 'payment_unavailable']),
    )
    expect((await bookSeries(api, r.id, 3)).status).toBe(201)
  })
})

describe('the announcement of a prepaid series', () => {
  it('goes out once, when paid, in the guest’s language, saying what was paid for how many dates', async () => {
    const smtp = await startSmtpSink()
    try {
      const api = setup()
      const r = await pricedResource(database.db, { ...priced, price: { amount: 3500, currency: 'EUR' } })
      // An address of its own: the other tests' messages are in the same outbox.
      const email = `lena.${process.pid}@example.de`
      const res = await bookSeries(api, r.id, 4, 'all_or_nothing', FIRST, {
        locale: 'de-DE',
        guest: { name: 'Lena Vogel', email },
      })
      expect(res.body.payment).toMatchObject({ amount: 14_000 })
      const send = () =>
        processOutbox({
          db: database.db,
          clock: api.clock,
          logger: silentLogger,
          email: createSmtpSender({ url: smtp.url, from: 'Buchungen <buchungen@example.test>' }),
          sms: undefined,
          links: { publicUrl: 'https://book.example.test', appSecret: undefined },
        })
      await send()
      const toGuest = () => smtp.messages.filter((m) => (m.to as { text: string }).text === email)
      expect(toGuest()).toEqual([])
      await pay(api, (await datesOf(res.body.series.id))[0]!.paymentIntentId!)
      await send()
      expect(toGuest()).toHaveLength(1)
      const text = toGuest()[0]!.text as string
      expect(text).toContain('Ihre Buchung ist bestätigt.')
      expect(text).toMatch(/Wiederholung: Jede Woche am \w+ um \d\d:\d\d Uhr, 4-mal/)
      expect(text).toContain('Bezahlt: 140,00\u00a0€ für 4 Termine')
    } finally {
      await smtp.close()
    }
  })
})

describe('a series booked with an Idempotency-Key', () => {
  async function keyed(api: Api, resourceId: string, key: string, times: number, body: Record<string, unknown> = {}) {
    const session = newSession()
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId, start: FIRST.toISOString() },
    })
    expect(hold.status).toBe(201)
    const send = () =>
      api.call<CreatedSeries & ErrorBody>('POST', '/v1/bookings/series', {
        session,
        headers: { 'Idempotency-Key': key },
        body: {
          holdId: hold.body.hold.id,
          guest,
          repeat: { everyWeeks: 1, occurrences: 4 },
          mode: 'all_or_nothing',
          ...body,
        },
      })
    return { send, sendAll: () => Promise.all(Array.from({ length: times }, send)) }
  }

  it('answers a retry with the same series, manage token and open payment, without a second intent', async () => {
    const api = setup()
    const r = await pricedResource(database.db, priced)
    const { send } = await keyed(api, r.id, 'series-key-0001', 1)
    const first = await send()
    const again = await send()
    expect([first.status, again.status]).toEqual([201, 201])
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(again.body.series.ref).toBe(first.body.series.ref)
    expect(again.body.manageToken).toBe(first.body.manageToken)
    expect(again.body.payment).toEqual(first.body.payment)
    expect(posts(/^\/v1\/payment_intents$/)).toHaveLength(1)
    expect(await datesOf(first.body.series.id)).toHaveLength(4)
  })

  it('refuses the same key with another body (409 idempotency_conflict)', async () => {
    const api = setup()
    const r = await pricedResource(database.db, priced)
    const { send } = await keyed(api, r.id, 'series-key-0002', 1)
    expect((await send()).status).toBe(201)
    const session = newSession()
    const other = await api.call<ErrorBody>('POST', '/v1/bookings/series', {
      session,
      headers: { 'Idempotency-Key': 'series-key-0002' },
      body: { holdId: 'h_other', guest, repeat: { everyWeeks: 1, occurrences: 3 }, mode: 'all_or_nothing' },
    })
    expect([other.status, other.body.error.code]).toEqual([409, 'idempotency_conflict'])
  })

  it('ten copies sent at once book one series, and every copy answers it', async () => {
    const api = setup()
    const r = await pricedResource(database.db, { horizonDays: 120 })
    const { sendAll } = await keyed(api, r.id, 'series-key-0003', 10)
    const answers = await sendAll()
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201))
    expect(new Set(answers.map((a) => a.body.series.ref)).size).toBe(1)
    expect(new Set(answers.map((a) => a.body.manageToken)).size).toBe(1)
    const rows = await database.db.select().from(bookings).where(eq(bookings.resourceId, r.id))
    expect(rows).toHaveLength(4)
  })
})
