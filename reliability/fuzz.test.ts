import fc from 'fast-check'
import { count } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdminKey } from '../api/admin/keys'
import { fixedClock } from '../api/clock'
import { bookings, bookableResources, notifications, resourceSchedules } from '../drizzle/schema'
import { createTestApi } from '../test/api'
import { createTestDatabase, type TestDatabase } from '../test/database'
import { everyDay, insertResource } from '../test/fixtures'
import { createTestHoldBackend } from '../test/holds'

/*
 * Property-based fuzzing of every public endpoint (and the owner API's gate): 10,000
 * generated requests in all. Whatever is sent, the answer is 2xx or 4xx — never 5xx —
 * and a rejected request changes nothing in the database.
 */

let database: TestDatabase
let adminKey: string
let resourceId: string
beforeAll(async () => {
  database = await createTestDatabase()
  adminKey = (await createAdminKey(database.db, 'fuzz')).key
  const r = await insertResource(database.db, { slug: 'fuzz-room', schedules: everyDay({ startTime: '08:00', endTime: '20:00', slotDuration: 30 }) })
  resourceId = r.id
}, 60_000)
afterAll(() => database?.close())

const clock = fixedClock('2026-06-01T09:00:00Z')

async function snapshot() {
  const counts = await Promise.all([bookings, bookableResources, resourceSchedules, notifications].map((table) => database.db.select({ n: count() }).from(table)))
  return counts.map(([row]) => row?.n ?? 0).join('/')
}

// Strings that tend to break parsers: unicode, control characters, huge numbers, SQL, paths.
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', ' ', '0', '-1', '1e309', 'NaN', 'null', 'true', '[]', '{}', "' OR 1=1 --", '../../etc/passwd', '%00', '2026-02-30', '24:00', '9999-12-31T23:59:59Z', 'fuzz-room'),
  fc.integer().map(String),
  fc.double().map(String),
)
const jsonValue = fc.jsonValue({ maxDepth: 3 })
const isoInstant = fc.date({ min: new Date('2026-05-01T00:00:00Z'), max: new Date('2026-08-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString())

type FuzzRequest = { method: string; path: string; body?: string; headers: Record<string, string> }

const day = fc.integer({ min: 2, max: 28 }).map((d) => `2026-06-${String(d).padStart(2, '0')}`)
const validSession = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), minLength: 16, maxLength: 32 }).map((s) => `s_${s}`)

const requests: fc.Arbitrary<FuzzRequest>[] = [
  // Well-formed requests mixed in, so the property also exercises the success paths.
  fc.record({ from: day, span: fc.integer({ min: 0, max: 70 }), tz: fc.constantFrom('Europe/Berlin', 'UTC', 'Pacific/Kiritimati', 'America/New_York') }).map((q) => ({
    method: 'GET',
    path: `/v1/resources/fuzz-room/availability?from=${q.from}&to=${addDays(q.from, q.span)}&tz=${q.tz}`,
    headers: {},
  })),
  fc.record({ day, hour: fc.integer({ min: 6, max: 17 }), half: fc.boolean(), session: validSession }).map((h) => ({
    method: 'POST',
    path: '/v1/holds',
    body: JSON.stringify({ resourceId: 'RESOURCE', start: `${h.day}T${String(h.hour).padStart(2, '0')}:${h.half ? '30' : '00'}:00Z` }),
    headers: { 'Content-Type': 'application/json', 'X-Booking-Session': h.session },
  })),
  // Availability: any query.
  fc.record({ slug: fc.oneof(fc.constant('fuzz-room'), nasty), from: nasty, to: nasty, tz: nasty, duration: nasty }).map((q) => ({
    method: 'GET',
    path: `/v1/resources/${encodeURIComponent(q.slug)}/availability?${new URLSearchParams({ from: q.from, to: q.to, tz: q.tz, duration: q.duration })}`,
    headers: {},
  })),
  // Holds: well-formed-ish and garbage bodies, any session header.
  fc.record({
    body: fc.oneof(
      fc.record({ resourceId: fc.oneof(fc.constant('RESOURCE'), nasty), start: fc.oneof(isoInstant, nasty), end: fc.option(fc.oneof(isoInstant, nasty), { nil: undefined }) }).map((b) => JSON.stringify(b)),
      jsonValue.map((v) => JSON.stringify(v)),
      nasty,
    ),
    session: fc.oneof(fc.constant('s_fuzz_session_0001'), nasty),
  }).map((r) => ({ method: 'POST', path: '/v1/holds', body: r.body, headers: { 'Content-Type': 'application/json', 'X-Booking-Session': sanitizeHeader(r.session) } })),
  // Bookings: bodies of every shape, random idempotency keys.
  fc.record({
    body: fc.oneof(
      fc.record({ holdId: nasty, guest: fc.record({ name: nasty, email: nasty, phone: fc.option(nasty, { nil: undefined }) }), notes: fc.option(nasty, { nil: undefined }), answers: fc.option(jsonValue, { nil: undefined }), locale: fc.option(nasty, { nil: undefined }) }).map((b) => JSON.stringify(b)),
      jsonValue.map((v) => JSON.stringify(v)),
      nasty,
    ),
    key: fc.option(nasty, { nil: undefined }),
  }).map((r) => ({
    method: 'POST',
    path: '/v1/bookings',
    body: r.body,
    headers: { 'Content-Type': 'application/json', 'X-Booking-Session': 's_fuzz_session_0001', ...(r.key !== undefined ? { 'Idempotency-Key': sanitizeHeader(r.key) } : {}) },
  })),
  // Manage: any ref, any token, any action.
  fc.record({ ref: nasty, token: nasty, action: fc.constantFrom('', '/cancel', '/reschedule', '/calendar.ics'), body: fc.oneof(jsonValue.map((v) => JSON.stringify(v)), nasty) }).map((r) => ({
    method: r.action === '' || r.action === '/calendar.ics' ? 'GET' : 'POST',
    path: `/v1/bookings/${encodeURIComponent(r.ref)}${r.action}`,
    ...(r.action === '' || r.action === '/calendar.ics' ? {} : { body: r.body }),
    headers: { Authorization: `Bearer ${sanitizeHeader(r.token)}`, 'Content-Type': 'application/json' },
  })),
  fc.record({ id: nasty }).map((r) => ({ method: 'DELETE', path: `/v1/holds/${encodeURIComponent(r.id)}`, headers: { 'X-Booking-Session': 's_fuzz_session_0001' } })),
  // The owner API's gate with garbage keys, and with the real key and garbage bodies.
  fc.record({ token: nasty, body: fc.oneof(jsonValue.map((v) => JSON.stringify(v)), nasty), real: fc.boolean(), path: fc.constantFrom('/resources', '/resources/RESOURCE/schedules', '/bookings/00000000-0000-4000-8000-000000000000/cancel') }).map((r) => ({
    method: r.path === '/resources' ? 'POST' : r.path.endsWith('schedules') ? 'PUT' : 'POST',
    path: `/v1/admin${r.path}`,
    body: r.body,
    headers: { Authorization: `Bearer ${r.real ? 'ADMIN' : sanitizeHeader(r.token)}`, 'Content-Type': 'application/json' },
  })),
]

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

function sanitizeHeader(value: string): string {
  // Header values cannot carry control characters at all (fetch refuses them before sending).
  return value.replace(/[^\x20-\x7e]/g, '?')
}

describe('fuzzing the public API (10,000 requests)', () => {
  it('answers every generated request with 2xx or 4xx, and rejected ones change nothing', async () => {
    const api = createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds })
    const statuses = new Map<number, number>()
    let runs = 0
    await fc.assert(
      fc.asyncProperty(fc.oneof(...requests), async (generated) => {
        runs++
        const body = generated.body?.replace('RESOURCE', resourceId)
        const path = generated.path.replace('RESOURCE', resourceId)
        const headers = { ...generated.headers }
        if (headers.Authorization === 'Bearer ADMIN') headers.Authorization = `Bearer ${adminKey}`
        const before = await snapshot()
        const res = await api.app.request(path, { method: generated.method, headers, ...(body !== undefined ? { body } : {}) })
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
        expect(res.status, `${generated.method} ${path} ${body?.slice(0, 200)}`).toBeLessThan(500)
        if (res.status >= 400) expect(await snapshot()).toBe(before)
      }),
      { numRuns: 10_000, seed: 20261124 },
    )
    console.log(`fuzzing: ${runs} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`)
    expect(runs).toBe(10_000)
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true) // some requests were valid, so the generator reaches the handlers
  })

  it('refuses bodies over the limit with 413, before reading them whole', async () => {
    const api = createTestApi({ db: database.db, clock })
    for (const size of [100 * 1024 + 1, 1024 * 1024]) {
      const res = await api.app.request('/v1/bookings', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Booking-Session': 's_fuzz_session_0001', 'Content-Length': String(size) },
        body: JSON.stringify({ notes: 'x'.repeat(size) }),
      })
      expect(res.status).toBe(413)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large')
    }
  })
})
