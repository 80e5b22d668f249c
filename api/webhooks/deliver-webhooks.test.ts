import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { bookings, webhookDeliveries, webhookEndpoints } from '../../drizzle/schema'
import type { AdminWebhookEndpointResponse, WebhookEventBody } from '../../shared/api-contract'
import type { ResourceConfig } from '../../shared/schemas'
import type { PublicBooking, PublicHold } from '../../shared/types'
import { WEBHOOK_EVENTS, type WebhookEvent } from '../../shared/webhook-events'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertResource } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { verifyWebhook } from '../../widget/verify-webhook'
import { createAdminKey } from '../admin/keys'
import { fixedClock } from '../clock'
import { runDueWork } from '../due-work'
import { silentLogger } from '../logger'
import type { EmailMessage, EmailSender } from '../notify/email'
import { deliverWebhooks, GIVE_UP_AFTER_MS, webhookRetryDelayMs, type WebhookWorkerDeps } from './deliver-webhooks'
import { startLocalReceiver, type LocalReceiver } from './local-receiver'

/*
 * Deliveries through the real API and the real due work to a receiver on 127.0.0.1, each
 * request checked with the SDK's verifyWebhook as an owner's receiver would.
 */

let database: TestDatabase
let receiver: LocalReceiver
let key: string
beforeAll(async () => {
  ;[database, receiver] = await Promise.all([createTestDatabase(), startLocalReceiver()])
  key = (await createAdminKey(database.db, 'webhook tests')).key
})
afterAll(async () => {
  await receiver?.close()
  await database?.close()
})
beforeEach(async () => {
  // One receiver and one database for the file: each test starts with no endpoint and no request.
  await database.db.delete(webhookEndpoints)
  receiver.received.length = 0
  receiver.respond([])
  receiver.delayMs = 0
})

const MINUTE = 60_000
const HOUR = 60 * MINUTE

function setup() {
  // A little ahead of the database's clock, which stamps the rows its trigger writes: they are due at once.
  const clock = fixedClock(Date.now() + MINUTE)
  const webhooks = { allowPrivate: true, ownerEmail: 'owner@example.test' }
  const sent: EmailMessage[] = []
  const email: EmailSender = {
    kind: 'file',
    from: 'Bookings <bookings@example.test>',
    send: async (message) => {
      sent.push(message)
      return { id: String(sent.length) }
    },
    close() {},
  }
  const api = createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds, webhooks })
  const deps: WebhookWorkerDeps = { db: database.db, clock, logger: silentLogger, webhooks, email }
  const admin = <T>(method: string, path: string, body?: unknown) =>
    api.call<T>(method, `/v1/admin${path}`, { token: key, ...(body !== undefined ? { body } : {}) })
  return {
    ...api,
    clock,
    deps,
    sent,
    admin,
    work: () => runDueWork({ db: database.db, clock, logger: silentLogger, payments: undefined, webhooks }),
    later: (ms: number) => clock.set(clock.now() + ms),
  }
}
type Setup = ReturnType<typeof setup>

async function addEndpoint(t: Setup, events: readonly WebhookEvent[] = WEBHOOK_EVENTS) {
  const res = await t.admin<AdminWebhookEndpointResponse>('POST', '/webhooks', { url: receiver.url, events })
  expect(res.status).toBe(201)
  return res.body.endpoint as AdminWebhookEndpointResponse['endpoint'] & { secret: string }
}

const room = (config: ResourceConfig = {}) =>
  insertResource(database.db, {
    name: 'Hook room',
    config,
    schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 60 }),
  })

/** Start of the hour `hours` after the clock's now. */
const hourAfter = (now: number, hours: number) => new Date(Math.floor(now / HOUR) * HOUR + hours * HOUR).toISOString()

async function book(t: Setup, resourceId: string, start: string, extra: Record<string, unknown> = {}) {
  const session = newSession()
  const hold = await t.call<{ hold: PublicHold }>('POST', '/v1/holds', { session, body: { resourceId, start } })
  expect(hold.status).toBe(201)
  const res = await t.call<{ booking: PublicBooking; manageToken: string }>('POST', '/v1/bookings', {
    session,
    body: { holdId: hold.body.hold.id, guest: { name: 'Ada Lovelace', email: 'ada@example.com' }, ...extra },
  })
  expect(res.status).toBe(201)
  const [row] = await database.db.select().from(bookings).where(eq(bookings.ref, res.body.booking.ref))
  return { ...res.body, id: row!.id }
}

async function verified(secret: string, at: number, index?: number) {
  const requests = index === undefined ? receiver.received : [receiver.received[index]!]
  return Promise.all(
    requests.map((r) => verifyWebhook(r.body, String(r.headers['booking-signature']), secret, { now: at })),
  )
}

const deliveriesOf = (bookingId: string) =>
  database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.bookingId, bookingId))

describe('webhook delivery', () => {
  it('delivers booking.created once, signed, with the booking, its answers in words and the event headers', async () => {
    const t = setup()
    const endpoint = await addEndpoint(t)
    const r = await room({
      questions: [
        {
          id: 'level',
          type: 'single_choice',
          label: { en: 'Level', de: 'Niveau' },
          choices: [
            { id: 'new', label: { en: 'Beginner', de: 'Anfänger' } },
            { id: 'pro', label: { en: 'Advanced', de: 'Fortgeschritten' } },
          ],
        },
        { id: 'mat', type: 'checkbox', label: { en: 'Bringing a mat', de: 'Bringe eine Matte' } },
      ],
    })
    const start = hourAfter(t.clock.now(), 30)
    const { booking, id } = await book(t, r.id, start, { answers: { level: 'pro', mat: true }, locale: 'de' })

    const ran = await t.work()
    expect(ran.webhooks).toEqual({ delivered: 1, retrying: 0, failed: 0 })
    expect(receiver.received).toHaveLength(1)
    const [event] = (await verified(endpoint.secret, t.clock.now())) as [WebhookEventBody]
    const [row] = await deliveriesOf(id)
    expect(event).toEqual({
      id: `evt_${row!.eventId}`,
      type: 'booking.created',
      created: Math.floor(row!.createdAt.getTime() / 1000),
      sequence: row!.sequence,
      data: {
        booking: {
          id,
          ref: booking.ref,
          resourceId: r.id,
          serviceId: null,
          poolId: null,
          status: booking.status,
          start,
          end: new Date(Date.parse(start) + HOUR).toISOString(),
          seats: 1,
          partySize: null,
          guest: { name: 'Ada Lovelace', email: 'ada@example.com', phone: null },
          notes: null,
          answers: { level: 'pro', mat: true },
          answersReadable: [
            { questionId: 'level', question: 'Niveau', answer: 'Fortgeschritten' },
            { questionId: 'mat', question: 'Bringe eine Matte', answer: 'Ja' },
          ],
          locale: 'de',
          version: 1,
          cancelReason: null,
          createdAt: expect.stringMatching(/Z$/),
        },
      },
    })
    const headers = receiver.received[0]!.headers
    expect(headers['content-type']).toBe('application/json')
    expect(headers['booking-event-id']).toBe(event.id)
    expect(headers['user-agent']).toMatch(/^booking-webhooks\//)
    expect(headers['booking-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200, lastError: null })
    expect(row!.lastLatencyMs).toBeGreaterThanOrEqual(0)

    // Nothing is sent twice; the other secret's signature does not verify.
    expect((await t.work()).webhooks).toEqual({ delivered: 0, retrying: 0, failed: 0 })
    expect(receiver.received).toHaveLength(1)
    await expect(
      verifyWebhook(receiver.received[0]!.body, String(headers['booking-signature']), 'whsec_other', {
        now: t.clock.now(),
      }),
    ).rejects.toMatchObject({ code: 'invalid_signature' })
  })

  it('writes nothing for a change that did not commit: a taken slot (409) or a transaction that throws', async () => {
    const t = setup()
    await addEndpoint(t)
    const r = await room()
    const start = hourAfter(t.clock.now(), 40)
    const first = await book(t, r.id, start)
    // A second booking of the same slot is refused by the database after the trigger ran.
    const [other] = await database.db
      .insert(bookings)
      .values({
        ref: 'ROLLBACK1',
        resourceId: r.id,
        status: 'confirmed',
        startsAt: new Date(start),
        endsAt: new Date(Date.parse(start) + HOUR),
        guestName: 'Late',
        guestEmail: 'late@example.com',
        manageTokenHash: 'x'.repeat(64),
      })
      .returning()
      .catch((error: unknown) => [error])
    expect(other).toBeInstanceOf(Error)
    await expect(
      database.db.transaction(async (tx) => {
        await tx
          .update(bookings)
          .set({ status: 'cancelled', cancelledAt: new Date(t.clock.now()) })
          .where(eq(bookings.id, first.id))
        throw new Error('changed my mind')
      }),
    ).rejects.toThrow('changed my mind')

    const all = await database.db.select().from(webhookDeliveries)
    expect(all.map((d) => [d.bookingId, d.event])).toEqual([[first.id, 'booking.created']])
    await t.work()
    expect(receiver.received.map((r) => (JSON.parse(r.body) as WebhookEventBody).type)).toEqual(['booking.created'])
  })

  it('retries a 500 with backoff and delivers the same event id and the same bytes', async () => {
    const t = setup()
    const endpoint = await addEndpoint(t, ['booking.created'])
    receiver.respond([500, 503])
    const r = await room()
    const { id } = await book(t, r.id, hourAfter(t.clock.now(), 30))

    expect((await t.work()).webhooks).toEqual({ delivered: 0, retrying: 1, failed: 0 })
    let [row] = await deliveriesOf(id)
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500' })
    expect(row!.nextAttemptAt.getTime()).toBe(t.clock.now() + webhookRetryDelayMs(1))

    // Not due yet: nothing is sent.
    t.later(MINUTE - 1000)
    await t.work()
    expect(receiver.received).toHaveLength(1)

    t.later(1000)
    expect((await t.work()).webhooks.retrying).toBe(1)
    ;[row] = await deliveriesOf(id)
    expect(row!.nextAttemptAt.getTime()).toBe(t.clock.now() + 2 * MINUTE)
    t.later(2 * MINUTE)
    expect((await t.work()).webhooks.delivered).toBe(1)

    expect(receiver.received.map((r) => r.status)).toEqual([500, 503, 200])
    const bodies = new Set(receiver.received.map((r) => r.body))
    expect(bodies.size).toBe(1)
    expect(new Set(receiver.received.map((r) => r.headers['booking-event-id'])).size).toBe(1)
    // Each attempt is signed at its own time.
    const events = await Promise.all(
      receiver.received.map((r) => {
        const at = Number(/t=(\d+)/.exec(String(r.headers['booking-signature']))![1]) * 1000
        return verifyWebhook(r.body, String(r.headers['booking-signature']), endpoint.secret, { now: at })
      }),
    )
    expect(events[0]!.id).toBe(events[2]!.id)
    ;[row] = await deliveriesOf(id)
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200, lastError: null })
    const [saved] = await database.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id))
    expect(saved!.consecutiveFailures).toBe(0)
  })

  it('fails a delivery for good 3 days after its event, switches the endpoint off and tells the owner', async () => {
    const t = setup()
    const endpoint = await addEndpoint(t, ['booking.created'])
    receiver.respond([], 500)
    const r = await room()
    const { id } = await book(t, r.id, hourAfter(t.clock.now(), 30))
    expect((await t.work()).webhooks.retrying).toBe(1)

    const [row] = await deliveriesOf(id)
    t.clock.set(row!.createdAt.getTime() + GIVE_UP_AFTER_MS)
    expect((await deliverWebhooks(t.deps)).failed).toBe(1)
    const [failed] = await deliveriesOf(id)
    expect(failed).toMatchObject({ status: 'failed', attempts: 2, lastStatusCode: 500 })

    const ep = await t.admin<AdminWebhookEndpointResponse>('GET', `/webhooks/${endpoint.id}`)
    expect(ep.body.endpoint).toMatchObject({
      isActive: false,
      disabledAt: new Date(t.clock.now()).toISOString(),
      disabledReason: expect.stringContaining('3 days'),
      consecutiveFailures: 2,
    })
    expect(t.sent.map((m) => [m.to, m.subject])).toEqual([
      ['owner@example.test', 'A webhook endpoint was switched off'],
    ])
    expect(t.sent[0]!.text).toContain(receiver.url)

    // Switched off: new events are not even written; switched on again, they flow.
    await book(t, r.id, hourAfter(t.clock.now(), 50))
    expect(await database.db.select().from(webhookDeliveries)).toHaveLength(1)
    const on = await t.admin<AdminWebhookEndpointResponse>('PATCH', `/webhooks/${endpoint.id}`, { isActive: true })
    expect(on.body.endpoint).toMatchObject({
      isActive: true,
      disabledAt: null,
      disabledReason: null,
      consecutiveFailures: 0,
    })
    receiver.respond([])
    const again = await book(t, r.id, hourAfter(t.clock.now(), 52))
    expect((await t.work()).webhooks.delivered).toBe(1)
    expect(JSON.parse(receiver.received.at(-1)!.body).data.booking.id).toBe(again.id)
  })

  it('switches an endpoint off after 15 failed attempts with nothing delivered for a day; its deliveries wait', async () => {
    const t = setup()
    const endpoint = await addEndpoint(t, ['booking.created'])
    receiver.respond([], 500)
    const r = await room()
    const { id } = await book(t, r.id, hourAfter(t.clock.now(), 30))
    let attempts = 0
    for (let i = 0; i < 30 && attempts < 15; i++) {
      const ran = await t.work()
      attempts += ran.webhooks.retrying + ran.webhooks.failed
      // Straight to the next retry: 1 min, 2 min, … 6 h; the 15th comes after about 38 hours.
      const [row] = await deliveriesOf(id)
      t.clock.set(row!.nextAttemptAt)
    }
    expect(attempts).toBe(15)
    const [last] = await deliveriesOf(id)
    expect(t.clock.now() - last!.createdAt.getTime()).toBeGreaterThan(24 * HOUR)
    const [saved] = await database.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id))
    expect(saved).toMatchObject({ isActive: false, consecutiveFailures: 15 })
    expect(saved!.disabledReason).toContain('15 attempts in a row failed')
    // Off: the pending delivery is not attempted any more.
    t.later(6 * HOUR)
    expect((await t.work()).webhooks).toEqual({ delivered: 0, retrying: 0, failed: 0 })
    expect(receiver.received).toHaveLength(15)
    const [row] = await deliveriesOf(id)
    expect(row!.status).toBe('pending')
  })

  it('resends a delivered event, and a failed one, with the same id and body', async () => {
    const t = setup()
    const endpoint = await addEndpoint(t, ['booking.created'])
    const r = await room()
    const { id } = await book(t, r.id, hourAfter(t.clock.now(), 30))
    await t.work()
    const [row] = await deliveriesOf(id)
    await database.db.update(webhookDeliveries).set({ status: 'failed' }).where(eq(webhookDeliveries.id, row!.id))

    const resent = await t.admin<{ delivery: { status: string } }>(
      'POST',
      `/webhooks/${endpoint.id}/deliveries/${row!.id}/resend`,
    )
    expect(resent.status).toBe(200)
    expect(resent.body.delivery.status).toBe('pending')
    expect((await t.work()).webhooks.delivered).toBe(1)
    expect(receiver.received).toHaveLength(2)
    expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body)
    expect(receiver.received[1]!.headers['booking-event-id']).toBe(receiver.received[0]!.headers['booking-event-id'])
    const [after] = await deliveriesOf(id)
    expect(after).toMatchObject({ status: 'delivered', attempts: 2 })

    const unknown = await t.admin('POST', `/webhooks/${endpoint.id}/deliveries/${crypto.randomUUID()}/resend`)
    expect(unknown.status).toBe(404)
  })

  it('keeps a booking’s order per endpoint: the cancellation waits until the creation got through', async () => {
    const t = setup()
    await addEndpoint(t)
    receiver.respond([500])
    const r = await room()
    const { id, booking, manageToken } = await book(t, r.id, hourAfter(t.clock.now(), 30))
    const cancelled = await t.call('POST', `/v1/bookings/${booking.ref}/cancel`, { token: manageToken, body: {} })
    expect(cancelled.status).toBe(200)

    // The creation fails; the cancellation is due but must not overtake it.
    expect((await t.work()).webhooks).toEqual({ delivered: 0, retrying: 1, failed: 0 })
    expect(receiver.received).toHaveLength(1)
    t.later(MINUTE)
    expect((await t.work()).webhooks.delivered).toBe(2)
    const events = receiver.received.map((r) => JSON.parse(r.body) as WebhookEventBody)
    expect(events.map((e) => e.type)).toEqual(['booking.created', 'booking.created', 'booking.cancelled'])
    expect(events[2]!.sequence).toBeGreaterThan(events[1]!.sequence)
    expect(events[2]).toMatchObject({
      data: { booking: { id, status: 'cancelled' }, previous: { status: booking.status } },
    })
  })

  it('two due-work runners at once deliver each event exactly once', async () => {
    const t = setup()
    await addEndpoint(t, ['booking.created'])
    receiver.delayMs = 20
    const r = await room()
    const made = []
    for (let i = 0; i < 6; i++) made.push(await book(t, r.id, hourAfter(t.clock.now(), 30 + i)))
    if (database.kind === 'pglite') {
      // The embedded database has one connection: two runners cannot overlap, so they run one after the other.
      console.info('webhook concurrency: PGlite has a single connection; running the two runners in turn')
      await deliverWebhooks(t.deps)
      await deliverWebhooks(t.deps)
    } else {
      // Small batches, so the two runners take turns claiming rather than one taking all.
      const [a, b] = await Promise.all([
        deliverWebhooks(t.deps, { batchSize: 2 }),
        deliverWebhooks(t.deps, { batchSize: 2 }),
      ])
      expect(a.delivered + b.delivered).toBe(6)
      expect(a.delivered).toBeGreaterThan(0)
      expect(b.delivered).toBeGreaterThan(0)
    }
    const ids = receiver.received.map((r) => r.headers['booking-event-id'])
    expect(ids).toHaveLength(6)
    expect(new Set(ids).size).toBe(6)
    const rows = await database.db.select().from(webhookDeliveries)
    expect(rows.map((d) => d.status)).toEqual(Array(6).fill('delivered'))
    expect(rows.map((d) => d.attempts)).toEqual(Array(6).fill(1))
  })

  it('sends booking.moved with the previous time, and the owner’s no-show and completed', async () => {
    const t = setup()
    await addEndpoint(t)
    const r = await room()
    const start = hourAfter(t.clock.now(), 30)
    const a = await book(t, r.id, start)
    const b = await book(t, r.id, hourAfter(t.clock.now(), 31))
    const to = hourAfter(t.clock.now(), 33)
    const moved = await t.admin('POST', `/bookings/${a.id}/reschedule`, { start: to })
    expect(moved.status).toBe(200)
    t.later(35 * HOUR)
    expect((await t.admin('POST', `/bookings/${a.id}/no-show`)).status).toBe(200)
    expect((await t.admin('POST', `/bookings/${b.id}/complete`)).status).toBe(200)
    await t.work()

    const events = receiver.received.map((r) => JSON.parse(r.body) as WebhookEventBody)
    const of = (bookingId: string) =>
      events
        .filter((e) => e.type !== 'ping' && 'booking' in e.data && e.data.booking.id === bookingId)
        .map((e) => e.type)
    expect(of(a.id)).toEqual(['booking.created', 'booking.moved', 'booking.no_show'])
    expect(of(b.id)).toEqual(['booking.created', 'booking.completed'])
    const move = events.find((e) => e.type === 'booking.moved')!
    expect(move.type !== 'ping' && move.data).toMatchObject({
      booking: { start: to, end: new Date(Date.parse(to) + HOUR).toISOString(), version: 2 },
      previous: { start, end: new Date(Date.parse(start) + HOUR).toISOString(), resourceId: r.id },
    })
  })

  it('sends a ping to a switched-off endpoint too, and nothing at all when there is no endpoint', async () => {
    const t = setup()
    expect((await t.work()).webhooks).toEqual({ delivered: 0, retrying: 0, failed: 0 })
    const r = await room()
    await book(t, r.id, hourAfter(t.clock.now(), 30))
    expect(await database.db.select().from(webhookDeliveries)).toEqual([])

    const endpoint = await addEndpoint(t, ['booking.cancelled'])
    await t.admin('PATCH', `/webhooks/${endpoint.id}`, { isActive: false })
    const ping = await t.admin<{ delivery: { event: string; status: string } }>('POST', `/webhooks/${endpoint.id}/test`)
    expect(ping.status).toBe(201)
    expect(ping.body.delivery).toMatchObject({ event: 'ping', status: 'pending' })
    await t.work()
    const [event] = await verified(endpoint.secret, t.clock.now())
    expect(event).toMatchObject({ type: 'ping', data: { endpointId: endpoint.id } })
  })

  it('counts a redirect and an unreachable receiver as failures, saying which', async () => {
    const t = setup()
    const endpoint = await addEndpoint(t, ['booking.created'])
    receiver.respond([302])
    const r = await room()
    const { id } = await book(t, r.id, hourAfter(t.clock.now(), 30))
    expect((await t.work()).webhooks.retrying).toBe(1)
    expect((await deliveriesOf(id))[0]).toMatchObject({ lastStatusCode: 302, lastError: 'HTTP 302' })

    // A port that was just free: nothing listens there.
    const closed = await startLocalReceiver()
    await closed.close()
    await database.db.update(webhookEndpoints).set({ url: closed.url }).where(eq(webhookEndpoints.id, endpoint.id))
    t.later(MINUTE)
    expect((await t.work()).webhooks.retrying).toBe(1)
    const [row] = await deliveriesOf(id)
    expect(row).toMatchObject({ attempts: 2, lastStatusCode: null, lastError: 'ECONNREFUSED' })
    expect(receiver.received).toHaveLength(1)
  })

  it('refuses at delivery time an address that became private since the endpoint was saved', async () => {
    const t = setup()
    const endpoint = await addEndpoint(t, ['booking.created'])
    // As if DNS now answered with a private address.
    await database.db
      .update(webhookEndpoints)
      .set({ url: 'https://10.0.0.7/hooks' })
      .where(eq(webhookEndpoints.id, endpoint.id))
    const strict = { ...t.deps, webhooks: { allowPrivate: false } }
    const r = await room()
    const { id } = await book(t, r.id, hourAfter(t.clock.now(), 30))
    expect(await deliverWebhooks(strict)).toEqual({ delivered: 0, retrying: 1, failed: 0 })
    const [row] = await deliveriesOf(id)
    expect(row!.lastError).toMatch(/^refused: the URL must not point at a private address/)
    expect(row!.lastStatusCode).toBeNull()
  })
})
