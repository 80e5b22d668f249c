import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PublicBooking, PublicHold } from '../shared/types'
import { createAdminKey } from './admin/keys'
import { createTestApi } from '../test/api'
import { createTestDatabase, type TestDatabase } from '../test/database'
import { everyDay, insertResource } from '../test/fixtures'
import { createTestHoldBackend, newSession } from '../test/holds'
import { fixedClock } from './clock'
import { loadConfig } from './config'
import type { Logger } from './logger'
import { metricsAccessFrom } from './metrics'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database?.close())

function recordingLogger() {
  const lines: string[] = []
  const logger: Logger = {
    info: (message, fields) => lines.push(JSON.stringify({ level: 'info', message, ...fields })),
    error: (message, fields) => lines.push(JSON.stringify({ level: 'error', message, ...fields })),
  }
  return { logger, lines }
}

describe('hardening', () => {
  it('sends nosniff and a referrer policy on every response, errors and 404s included', async () => {
    const { app } = createTestApi({ db: database.db })
    for (const path of ['/health', '/v1/resources/nope', '/v1/no-such-route', '/v1/openapi.json']) {
      const res = await app.request(path)
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(res.headers.get('referrer-policy'), path).toBeTruthy()
    }
  })

  it('answers CORS for the allowed origins only, and never with credentials', async () => {
    const { app } = createTestApi({ db: database.db, allowedOrigins: ['https://shop.example'] })
    const allowed = await app.request('/v1/resources', { headers: { Origin: 'https://shop.example' } })
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    const other = await app.request('/v1/resources', { headers: { Origin: 'https://evil.example' } })
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
    const preflight = await app.request('/v1/holds', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    })
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
    for (const res of [allowed, other, preflight])
      expect(res.headers.get('access-control-allow-credentials')).toBeNull()
  })
})

describe('observability', () => {
  it('logs one JSON line per request with its id and route pattern, and no PII, tokens or refs', async () => {
    const { logger, lines } = recordingLogger()
    const clock = fixedClock('2026-03-20T12:00:00Z')
    const api = createTestApi({ db: database.db, clock, logger, holds: createTestHoldBackend(clock).holds })
    const r = await insertResource(database.db, {
      schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
    })
    const session = newSession()
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId: r.id, start: '2026-03-24T08:00:00Z' },
    })
    const guest = { name: 'Private Person', email: 'private.person@example.com', phone: '+447400123456' }
    const booked = await api.call<{ booking: PublicBooking; manageToken: string }>('POST', '/v1/bookings', {
      session,
      body: { holdId: hold.body.hold.id, guest },
    })
    await api.call('GET', `/v1/bookings/${booked.body.booking.ref}`, { token: booked.body.manageToken })
    await api.call('GET', `/v1/bookings/${booked.body.booking.ref}`, { token: 'wrong-token-wrong-token' })

    const requests = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.message === 'request')
    expect(requests).toHaveLength(4)
    for (const line of requests) expect(line.requestId).toMatch(/[0-9a-f-]{36}/)
    expect(requests.map((l) => `${l.method} ${l.route} ${l.status}`)).toEqual([
      'POST /v1/holds 201',
      'POST /v1/bookings 201',
      'GET /v1/bookings/:ref 200',
      'GET /v1/bookings/:ref 404',
    ])
    const all = lines.join('\n')
    for (const secret of [
      guest.email,
      guest.phone,
      guest.name,
      booked.body.manageToken,
      booked.body.booking.ref,
      session,
    ])
      expect(all).not.toContain(secret)
  })

  it('serves Prometheus metrics: requests by route and outcome, latency, bookings, conflicts, outbox backlog', async () => {
    const clock = fixedClock('2026-03-20T12:00:00Z')
    const api = createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds })
    const r = await insertResource(database.db, {
      schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
    })
    const a = newSession()
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session: a,
      body: { resourceId: r.id, start: '2026-03-25T08:00:00Z' },
    })
    await api.call('POST', '/v1/holds', {
      session: newSession(),
      body: { resourceId: r.id, start: '2026-03-25T08:00:00Z' },
    })
    await api.call('POST', '/v1/bookings', {
      session: a,
      body: { holdId: hold.body.hold.id, guest: { name: 'M', email: 'm@example.com' } },
    })
    const res = await api.app.request('/metrics')
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/)
    const text = await res.text()
    expect(text).toContain('http_requests_total{route="/v1/holds",method="POST",outcome="2xx"} 1')
    expect(text).toContain('http_requests_total{route="/v1/holds",method="POST",outcome="4xx"} 1')
    expect(text).toMatch(/http_request_duration_seconds_count\{route="\/v1\/bookings"\} 1/)
    expect(text).toContain('booking_bookings_created_total 1')
    expect(text).toContain('booking_conflicts_total 1')
    expect(text).toMatch(/booking_outbox_backlog \d+/)
  })
})

/** The database handle with its `select` calls counted: the metrics gauge is the only reader on /metrics. */
function countingSelects(db: TestDatabase['db']) {
  const counter = { selects: 0 }
  const counted = new Proxy(db, {
    get(target, property, receiver) {
      if (property === 'select') counter.selects++
      return Reflect.get(target, property, receiver)
    },
  })
  return { db: counted, counter }
}

describe('/metrics access', () => {
  const token = 'scrape-token-0123456789abcdef'

  it('requires the bearer token when one is set: none or a wrong one is 401 unauthorized, the right one 200', async () => {
    const { app } = createTestApi({ db: database.db, metricsAccess: { token, open: false } })
    const none = await app.request('/metrics')
    expect(none.status).toBe(401)
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unauthorized')
    for (const header of [`Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`, 'Bearer ', token, `Basic ${token}`]) {
      const res = await app.request('/metrics', { headers: { Authorization: header } })
      expect(res.status, header).toBe(401)
    }
    const ok = await app.request('/metrics', { headers: { Authorization: `Bearer ${token}` } })
    expect(ok.status).toBe(200)
    expect(await ok.text()).toContain('booking_outbox_backlog')
  })

  it('is a 404 without a token in production, and open without one otherwise', async () => {
    const closed = createTestApi({ db: database.db, metricsAccess: { open: false } }).app
    const res = await closed.request('/metrics')
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found')
    const open = createTestApi({ db: database.db, metricsAccess: { open: true } }).app
    expect((await open.request('/metrics')).status).toBe(200)
  })

  it('takes METRICS_TOKEN and NODE_ENV from the environment', () => {
    expect(metricsAccessFrom(loadConfig({ METRICS_TOKEN: token, NODE_ENV: 'production' }))).toEqual({
      token,
      open: false,
    })
    expect(metricsAccessFrom(loadConfig({ NODE_ENV: 'production' }))).toEqual({ open: false })
    expect(metricsAccessFrom(loadConfig({}))).toEqual({ open: true })
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/)
  })

  it('reads the outbox backlog once per 5 s however many scrapes come, at once or one after another', async () => {
    const clock = fixedClock('2026-03-20T12:00:00Z')
    const { db, counter } = countingSelects(database.db)
    const { app } = createTestApi({ db, clock, metricsAccess: { open: true } })
    const flood = await Promise.all(Array.from({ length: 20 }, () => app.request('/metrics')))
    expect(flood.map((res) => res.status)).toEqual(flood.map(() => 200))
    for (let i = 0; i < 20; i++) {
      clock.set(Date.parse('2026-03-20T12:00:00Z') + i * 200) // 0 … 3.8 s
      expect((await app.request('/metrics')).status).toBe(200)
    }
    expect(counter.selects).toBe(1)
    clock.set('2026-03-20T12:00:05Z')
    const later = await app.request('/metrics')
    expect(await later.text()).toMatch(/booking_outbox_backlog \d+/)
    expect(counter.selects).toBe(2)
  })
})

describe('the in-process outbox kick', () => {
  it('asks the worker to run after a booking is made, not after holds or reads', async () => {
    const kicks: string[] = []
    const clock = fixedClock('2026-03-20T12:00:00Z')
    let last = ''
    const api = createTestApi({
      db: database.db,
      clock,
      holds: createTestHoldBackend(clock).holds,
      kickOutbox: () => kicks.push(last),
    })
    const r = await insertResource(database.db, {
      schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
    })
    const session = newSession()
    last = 'hold'
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId: r.id, start: '2026-03-26T08:00:00Z' },
    })
    last = 'availability'
    await api.call('GET', `/v1/resources/${r.id}/availability?from=2026-03-26&to=2026-03-26`)
    last = 'booking'
    await api.call('POST', '/v1/bookings', {
      session,
      body: { holdId: hold.body.hold.id, guest: { name: 'K', email: 'k@example.com' } },
    })
    expect(kicks).toEqual(['booking'])
  })

  it('asks it to run after the owner books for a guest and cancels a whole series, too', async () => {
    const kicks: string[] = []
    const clock = fixedClock('2026-03-20T12:00:00Z')
    const { key } = await createAdminKey(database.db, 'kick test')
    const api = createTestApi({
      db: database.db,
      clock,
      holds: createTestHoldBackend(clock).holds,
      kickOutbox: () => kicks.push('kick'),
    })
    const r = await insertResource(database.db, {
      schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
    })
    const booked = await api.call<{ series: { id: string } }>('POST', '/v1/admin/bookings', {
      token: key,
      body: {
        resourceId: r.id,
        start: '2026-03-26T08:00:00Z',
        guest: { name: 'K', email: 'k@example.com' },
        repeat: { everyWeeks: 1, occurrences: 3 },
      },
    })
    expect(booked.status).toBe(201)
    expect(kicks).toHaveLength(1)
    const cancelled = await api.call('POST', `/v1/admin/series/${booked.body.series.id}/cancel`, {
      token: key,
      body: {},
    })
    expect(cancelled.status).toBe(200)
    expect(kicks).toHaveLength(2)
  })
})

describe('the built scripts', () => {
  it('carry no secrets and no personal data', async () => {
    const { readFile, readdir } = await import('node:fs/promises')
    const files = ['dist/widget', 'dist/widget/assets', 'dist/admin', 'dist/sdk']
    const scripts: [string, string][] = []
    for (const dir of files) {
      for (const name of await readdir(dir))
        if (name.endsWith('.js')) scripts.push([`${dir}/${name}`, await readFile(`${dir}/${name}`, 'utf8')])
    }
    expect(scripts.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        'dist/widget/widget.js',
        'dist/widget/manage.js',
        'dist/admin/admin.js',
        'dist/sdk/sdk.js',
      ]),
    )
    expect(scripts.filter(([name]) => /^dist\/widget\/assets\/stripe-payment-[\w-]{8}\.js$/.test(name))).toHaveLength(1)
    const forbidden: [string, RegExp][] = [
      ['a Stripe secret key', /\b(sk|rk)_(test|live)_[A-Za-z0-9]{8,}/],
      ['a webhook secret', /\bwhsec_[A-Za-z0-9]{8,}/],
      ['an admin key', /\bbka_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{20,}/],
      ['a Twilio account', /\bAC[0-9a-f]{32}\b/],
      ['an email address', /[\w.+-]+@[\w-]+\.(com|net|org|de|es|test|example)\b/],
      ['a database URL', /postgres(ql)?:\/\/\w+/],
    ]
    for (const [name, source] of scripts)
      for (const [what, pattern] of forbidden) expect(pattern.test(source), `${what} in ${name}`).toBe(false)
  })
})
