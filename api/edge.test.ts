import { existsSync } from 'node:fs'
import { eq } from 'drizzle-orm'
import { Miniflare } from 'miniflare'
import { bookings } from '../drizzle/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AvailabilityResponse, PublicBooking, PublicHold, PublicResource } from '../shared/types'
import { createTestDatabase, type TestDatabase } from '../test/database'
import { everyDay, insertBooking, insertResource } from '../test/fixtures'
import { createTestApi } from '../test/api'
import { startFakeEmailApi, type FakeEmailApi } from '../test/fake-email-api'
import { createTestHoldBackend, newSession } from '../test/holds'
import { systemClock } from './clock'

/*
 * The same API inside Cloudflare's workerd runtime (through Miniflare), from the built
 * edge bundle (dist/worker/worker.js), against this machine's PostgreSQL (postgres.js over
 * workerd's TCP sockets) and Redis (through the Upstash REST protocol).
 */
const WORKER = new URL('../dist/worker/worker.js', import.meta.url)
const shared = Boolean(process.env.DATABASE_URL && process.env.UPSTASH_REDIS_REST_URL)
if (!shared)
  console.warn(
    'workerd tests skipped: they need DATABASE_URL and REDIS_URL (the edge has no embedded database or memory holds).',
  )

describe.skipIf(!shared)('the API in workerd', () => {
  let database: TestDatabase
  let worker: Miniflare
  let emailApi: FakeEmailApi
  beforeAll(async () => {
    if (!existsSync(WORKER)) throw new Error('dist/worker/worker.js is missing: run npm run build')
    database = await createTestDatabase()
    emailApi = await startFakeEmailApi()
    worker = new Miniflare({
      modules: true,
      scriptPath: WORKER.pathname,
      compatibilityDate: '2025-07-01',
      compatibilityFlags: ['nodejs_compat'],
      bindings: {
        DATABASE_URL: database.url!,
        UPSTASH_REDIS_REST_URL: process.env.UPSTASH_REDIS_REST_URL!,
        UPSTASH_REDIS_REST_TOKEN: process.env.UPSTASH_REDIS_REST_TOKEN!,
        HOLD_RATE_LIMIT: '0',
        LOG_LEVEL: 'error',
        APP_SECRET: 'workerd-test-app-secret-0123456789abcdef',
        PUBLIC_URL: 'https://book.example.test',
        MAIL_FROM: 'Bookings <bookings@example.test>',
        EMAIL_API_KEY: emailApi.apiKey,
        EMAIL_API_URL: emailApi.url,
      },
    })
    await worker.ready
  }, 120_000)
  afterAll(async () => {
    await worker?.dispose()
    await emailApi?.close()
    await database?.close()
  })

  const call: Caller = async (method, path, options = {}) => {
    const res = await worker.dispatchFetch(`http://booking.test${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(options.session ? { 'X-Booking-Session': options.session } : {}),
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    })
    const text = await res.text()
    return {
      status: res.status,
      body: (text ? JSON.parse(text) : undefined) as never,
      headers: res.headers as unknown as Headers,
    }
  }

  it('runs the public booking flow: resources, availability, hold, book, replay, a lost race, guest cancel', () =>
    bookingFlow(call, database))
  it('answers 404 and validation errors the same way as on Node', () => errorFlow(call))

  it('knows clients by CF-Connecting-IP: one holds at most HOLD_MAX_LIVE_PER_IP (default 4) live holds, its /64 alike; others are unaffected', async () => {
    const r = await insertResource(database.db, {
      timezone: 'UTC',
      schedules: everyDay({ startTime: '09:00', endTime: '17:00', slotDuration: 60 }),
    })
    const day = new Date(Date.now() + 6 * 86_400_000).toISOString().slice(0, 10)
    const hold = (hour: number, ip: string) =>
      call<{ error?: { code: string } }>('POST', '/v1/holds', {
        session: newSession(),
        body: { resourceId: r.id, start: `${day}T${String(hour).padStart(2, '0')}:00:00Z` },
        headers: { 'CF-Connecting-IP': ip },
      })
    // Fresh addresses each run: the Worker's Redis keys carry no per-test prefix.
    const net = Math.floor(Math.random() * 0xffff).toString(16)
    const squatter = []
    for (const [i, hour] of [9, 10, 11, 12, 13].entries())
      squatter.push(await hold(hour, `2001:db8:${net}:1::${i + 1}`))
    expect(squatter.map((res) => res.status)).toEqual([201, 201, 201, 201, 429])
    expect(squatter[4]!.body.error?.code).toBe('rate_limited')
    expect((await hold(13, `2001:db8:${net}:2::1`)).status).toBe(201)
  })

  it('sends the outbox from a Cron Trigger through the HTTP email API, with a working manage link', async () => {
    const r = await insertResource(database.db, {
      timezone: 'UTC',
      schedules: everyDay({ startTime: '09:00', endTime: '17:00', slotDuration: 60 }),
    })
    const day = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10)
    const session = newSession()
    const hold = await call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId: r.id, start: `${day}T09:00:00Z` },
    })
    const email = `edge.mail.${Date.now()}@example.com`
    const booked = await call<{ booking: PublicBooking; manageToken: string }>('POST', '/v1/bookings', {
      session,
      body: { holdId: hold.body.hold.id, guest: { name: 'Edge Mail', email } },
    })
    expect(booked.status).toBe(201)
    const scheduled = await worker.dispatchFetch('http://booking.test/cdn-cgi/mf/scheduled?cron=*+*+*+*+*')
    expect(await scheduled.text()).toBe('ok')
    const mine = emailApi.messages.filter((m) => m.to.includes(email))
    expect(mine.map((m) => m.subject)).toEqual([expect.stringMatching(/^Booked: /)])
    const link = mine[0]!.text.match(/https:\/\/book\.example\.test\/manage#\S+/)?.[0]
    expect(link).toContain(`ref=${booked.body.booking.ref}`)
    const token = new URLSearchParams(link!.split('#')[1]).get('token')!
    expect((await call('GET', `/v1/bookings/${booked.body.booking.ref}`, { token })).status).toBe(200)
    expect(mine[0]!.attachments?.map((a) => a.filename)).toEqual([`booking-${booked.body.booking.ref}.ics`])
  })

  it('runs the due work from a Cron Trigger, as POST /v1/internal/cron does: an unpaid booking past its window expires', async () => {
    const r = await insertResource(database.db, {
      timezone: 'UTC',
      schedules: everyDay({ startTime: '09:00', endTime: '17:00', slotDuration: 60 }),
    })
    const start = new Date(Date.now() + 4 * 86_400_000)
    start.setUTCHours(10, 0, 0, 0)
    const stale = await insertBooking(database.db, {
      resourceId: r.id,
      start,
      end: new Date(start.getTime() + 3_600_000),
      status: 'pending',
      expiresAt: new Date(Date.now() - 60_000),
    })
    // Miniflare's own route for firing the Worker's scheduled() handler.
    const scheduled = await worker.dispatchFetch('http://booking.test/cdn-cgi/mf/scheduled?cron=*+*+*+*+*')
    expect([scheduled.status, await scheduled.text()]).toEqual([200, 'ok'])
    const [row] = await database.db.select().from(bookings).where(eq(bookings.id, stale.id))
    expect(row).toMatchObject({ status: 'cancelled', cancelReason: 'expired' })
  })
})

describe('the edge build', () => {
  it('fails, naming the module, when the edge entry reaches a Node built-in workerd lacks', async () => {
    const { build } = await import('esbuild')
    const { workerBuildOptions } = await import('./edge-build')
    const failing = build({
      ...workerBuildOptions,
      logLevel: 'silent',
      write: false,
      stdin: {
        contents:
          "import { readFileSync } from 'node:fs'\nexport default { fetch: () => new Response(readFileSync('x', 'utf8')) }",
        resolveDir: '.',
        loader: 'ts',
      },
    })
    await expect(failing).rejects.toThrow(/Could not resolve "node:fs"/)
    // The real entry builds.
    const ok = await build({ ...workerBuildOptions, logLevel: 'silent', write: false, entryPoints: ['api/edge.ts'] })
    expect(ok.errors).toEqual([])
  })
})

// ——— The same flows, run on Node (in-process Hono) and in workerd ———

type Caller = <T = unknown>(
  method: string,
  path: string,
  options?: { body?: unknown; session?: string; token?: string; headers?: Record<string, string> },
) => Promise<{ status: number; body: T; headers: Headers }>

describe.skipIf(!shared)('the API on Node, same flows', () => {
  let database: TestDatabase
  let call: Caller
  beforeAll(async () => {
    database = await createTestDatabase()
    const clock = systemClock
    const api = createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds })
    call = async (method, path, options = {}) => {
      const res = await api.call(method, path, options)
      return { status: res.status, body: res.body as never, headers: res.headers }
    }
  }, 60_000)
  afterAll(() => database?.close())

  it('runs the public booking flow: resources, availability, hold, book, replay, a lost race, guest cancel', () =>
    bookingFlow(call, database))
  it('answers 404 and validation errors', () => errorFlow(call))
})

async function bookingFlow(call: Caller, database: TestDatabase) {
  const r = await insertResource(database.db, {
    slug: `edge-room-${Date.now()}`,
    timezone: 'UTC',
    schedules: everyDay({ startTime: '09:00', endTime: '17:00', slotDuration: 60 }),
  })
  const list = await call<{ resources: PublicResource[] }>('GET', '/v1/resources')
  expect(list.status).toBe(200)
  expect(list.body.resources.map((x) => x.slug)).toContain(r.slug)

  const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10)
  const avail = await call<AvailabilityResponse>('GET', `/v1/resources/${r.slug}/availability?from=${day}&to=${day}`)
  expect(avail.status).toBe(200)
  expect(avail.body.days[0]?.slots).toHaveLength(8)
  const start = avail.body.days[0]!.slots[2]!.start

  // Two guests race for the same time: one hold, one 409.
  const [a, b] = [newSession(), newSession()]
  const [holdA, holdB] = await Promise.all([
    call<{ hold: PublicHold }>('POST', '/v1/holds', { session: a, body: { resourceId: r.id, start } }),
    call<{ error: { code: string } }>('POST', '/v1/holds', { session: b, body: { resourceId: r.id, start } }),
  ])
  const winner =
    holdA.status === 201 ? { session: a, hold: holdA } : { session: b, hold: holdB as unknown as typeof holdA }
  expect([holdA.status, holdB.status].sort()).toEqual([201, 409])

  const body = { holdId: winner.hold.body.hold.id, guest: { name: 'Edge Guest', email: 'edge@example.com' } }
  const headers = { 'Idempotency-Key': `edge-${Date.now()}` }
  const booked = await call<{ booking: PublicBooking; manageToken: string }>('POST', '/v1/bookings', {
    session: winner.session,
    body,
    headers,
  })
  expect(booked.status).toBe(201)
  expect(booked.body.booking).toMatchObject({ status: 'confirmed', start })
  const replay = await call<{ booking: PublicBooking; manageToken: string }>('POST', '/v1/bookings', {
    session: winner.session,
    body,
    headers,
  })
  expect([
    replay.status,
    replay.headers.get('idempotent-replayed'),
    replay.body.booking.ref,
    replay.body.manageToken,
  ]).toEqual([201, 'true', booked.body.booking.ref, booked.body.manageToken])

  const taken = await call<{ error: { code: string } }>('POST', '/v1/holds', {
    session: newSession(),
    body: { resourceId: r.id, start },
  })
  expect([taken.status, taken.body.error.code]).toEqual([409, 'slot_taken'])

  const cancelled = await call<{ booking: PublicBooking }>('POST', `/v1/bookings/${booked.body.booking.ref}/cancel`, {
    token: booked.body.manageToken,
  })
  expect([cancelled.status, cancelled.body.booking.status]).toEqual([200, 'cancelled'])
  const free = await call<AvailabilityResponse>('GET', `/v1/resources/${r.slug}/availability?from=${day}&to=${day}`)
  expect(free.body.days[0]?.slots.map((s) => s.start)).toContain(start)
}

async function errorFlow(call: Caller) {
  const missing = await call<{ error: { code: string } }>('GET', '/v1/resources/no-such-room')
  expect([missing.status, missing.body.error.code]).toEqual([404, 'not_found'])
  const bad = await call<{ error: { code: string } }>('POST', '/v1/holds', {
    session: newSession(),
    body: { resourceId: 'x', start: 'tomorrow' },
  })
  expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_request'])
}
