import fc from 'fast-check'
import { count } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdminKey } from '../api/admin/keys'
import { fixedClock } from '../api/clock'
import { bookings, bookableResources, notifications, resourceSchedules } from '../drizzle/schema'
import { createTestApi } from '../test/api'
import { createTestDatabase, type TestDatabase } from '../test/database'
import { everyDay, insertBooking, insertResource } from '../test/fixtures'
import { createTestHoldBackend } from '../test/holds'

/*
 * Property-based fuzzing of every public endpoint and the owner API: 10,000 generated
 * requests in all, with the classes that used to answer 500 (control characters, NUL
 * first; dates and instants at and beyond the ends of the calendar; integers past what
 * the database stores) in bodies, query strings and path params. Whatever is sent, the
 * answer is 2xx or 4xx — never 5xx — and a rejected request changes nothing in the database.
 */

let database: TestDatabase
let adminKey: string
let resourceId: string
/** A second room whose schedule the fuzzer may replace, so fuzz-room keeps its slots. */
let scheduledId: string
/** Where generated bookings hold their slot first: open all day, every day. */
let bookingsRoomId: string
let bookingId: string
beforeAll(async () => {
  database = await createTestDatabase()
  adminKey = (await createAdminKey(database.db, 'fuzz')).key
  const r = await insertResource(database.db, {
    slug: 'fuzz-room',
    schedules: everyDay({ startTime: '08:00', endTime: '20:00', slotDuration: 30 }),
  })
  resourceId = r.id
  scheduledId = (
    await insertResource(database.db, {
      slug: 'fuzz-schedules',
      schedules: everyDay({ startTime: '08:00', endTime: '20:00', slotDuration: 60 }),
    })
  ).id
  bookingId = (
    await insertBooking(database.db, {
      resourceId: scheduledId,
      start: '2026-06-10T10:00:00Z',
      end: '2026-06-10T11:00:00Z',
    })
  ).id
  bookingsRoomId = (
    await insertResource(database.db, {
      slug: 'fuzz-bookings',
      timezone: 'UTC',
      schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 30 }),
    })
  ).id
}, 60_000)
afterAll(() => database?.close())

const clock = fixedClock('2026-06-01T09:00:00Z')

async function snapshot() {
  const counts = await Promise.all(
    [bookings, bookableResources, resourceSchedules, notifications].map((table) =>
      database.db.select({ n: count() }).from(table),
    ),
  )
  return counts.map(([row]) => row?.n ?? 0).join('/')
}

// Text with C0 controls and DEL among ordinary characters; NUL is what PostgreSQL refuses outright.
const controlText = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'Ada\u0000',
    'fuzz-room\u0000',
    'UTC\u0001',
    'a\u001bb',
    'x\u007f',
    'line\nbreak',
    'tab\there',
    'cr\r',
  ),
  fc.string({
    unit: fc.constantFrom(
      '\u0000',
      '\u0001',
      '\u0008',
      '\t',
      '\n',
      '\u000b',
      '\r',
      '\u001b',
      '\u001f',
      '\u007f',
      'a',
      'Z',
      '-',
      ' ',
      'é',
    ),
    minLength: 1,
    maxLength: 12,
  }),
)
// Days and instants at and beyond the ends of the accepted calendar (1970 … 2999).
const extremeDate = fc.constantFrom(
  '0000-01-01',
  '0001-01-01',
  '1969-12-31',
  '1970-01-01',
  '2999-12-31',
  '3000-01-01',
  '9999-12-30',
  '9999-12-31',
  '+010000-01-01',
  '-000001-01-01',
  '+275760-09-13',
)
const extremeInstant = fc.constantFrom(
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '1970-01-01T00:00:00Z',
  '1970-01-01T00:30:00+01:00',
  '2999-12-31T23:00:00Z',
  '2999-12-31T23:30:00-01:00',
  '3000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+010000-01-01T00:00:00Z',
  '-000001-01-01T00:00:00Z',
)
// Integers past int4, past 2^53 and past what a double holds, and negative zero; as JSON numbers and as text.
const hugeNumber = fc.constantFrom(
  99_999_999,
  100_000_000,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 53,
  2 ** 53 + 2,
  1e21,
  -1e21,
  Number.MAX_VALUE,
  -0,
)
const hugeInteger = fc.oneof(
  hugeNumber.map((n) => (Object.is(n, -0) ? '-0' : String(n))),
  fc.constantFrom('1e400', '-1e400', '9007199254740993', '99999999999999999999999'),
)

// Strings that tend to break parsers: unicode, control characters, edge dates, huge numbers, SQL, paths.
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1e309',
    'NaN',
    'null',
    'true',
    '[]',
    '{}',
    "' OR 1=1 --",
    '../../etc/passwd',
    '%00',
    '2026-02-30',
    '24:00',
    '9999-12-31T23:59:59Z',
    'fuzz-room',
  ),
  fc.integer().map(String),
  fc.double().map(String),
  controlText,
  extremeDate,
  extremeInstant,
  hugeInteger,
)
/** Where a date goes: mostly ones that look right, the rest from the edges or garbage. */
const dateLike = fc.oneof(
  fc.integer({ min: 2, max: 28 }).map((d) => `2026-06-${String(d).padStart(2, '0')}`),
  extremeDate,
  nasty,
)
/** Where a JSON number goes. */
const numberLike = fc.oneof(fc.integer({ min: -10, max: 10_000 }), hugeNumber, fc.double(), nasty)
const jsonValue = fc.jsonValue({ maxDepth: 3 })
const isoInstant = fc
  .date({ min: new Date('2026-05-01T00:00:00Z'), max: new Date('2026-08-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString())
const instantLike = fc.oneof(isoInstant, extremeInstant, nasty)

/** `hold`: a slot start on fuzz-bookings to hold first (for HOLD_SESSION); the body's `HOLD` becomes its id. */
type FuzzRequest = { method: string; path: string; body?: string; headers: Record<string, string>; hold?: string }

const HOLD_SESSION = 's_fuzz_session_holds'

const day = fc.integer({ min: 2, max: 28 }).map((d) => `2026-06-${String(d).padStart(2, '0')}`)
const validSession = fc
  .string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), minLength: 16, maxLength: 32 })
  .map((s) => `s_${s}`)

const requests: fc.Arbitrary<FuzzRequest>[] = [
  // Well-formed requests mixed in, so the property also exercises the success paths.
  fc
    .record({
      from: day,
      span: fc.integer({ min: 0, max: 70 }),
      tz: fc.constantFrom('Europe/Berlin', 'UTC', 'Pacific/Kiritimati', 'America/New_York'),
    })
    .map((q) => ({
      method: 'GET',
      path: `/v1/resources/fuzz-room/availability?from=${q.from}&to=${addDays(q.from, q.span)}&tz=${q.tz}`,
      headers: {},
    })),
  fc.record({ day, hour: fc.integer({ min: 6, max: 17 }), half: fc.boolean(), session: validSession }).map((h) => ({
    method: 'POST',
    path: '/v1/holds',
    body: JSON.stringify({
      resourceId: 'RESOURCE',
      start: `${h.day}T${String(h.hour).padStart(2, '0')}:${h.half ? '30' : '00'}:00Z`,
    }),
    headers: { 'Content-Type': 'application/json', 'X-Booking-Session': h.session },
  })),
  // Availability and next-available: any query, any resource key in the path.
  fc
    .record({
      slug: fc.oneof(fc.constant('fuzz-room'), nasty),
      from: dateLike,
      to: dateLike,
      tz: fc.oneof(fc.constant('UTC'), nasty),
      duration: fc.oneof(fc.constant('30'), nasty),
    })
    .map((q) => ({
      method: 'GET',
      path: `/v1/resources/${encodeURIComponent(q.slug)}/availability?${new URLSearchParams({ from: q.from, to: q.to, tz: q.tz, duration: q.duration })}`,
      headers: {},
    })),
  fc
    .record({
      slug: fc.oneof(fc.constant('fuzz-room'), fc.constant('fuzz-schedules'), nasty),
      from: dateLike,
      tz: fc.option(fc.oneof(fc.constant('Pacific/Kiritimati'), nasty), { nil: undefined }),
      duration: fc.option(fc.oneof(fc.constant('30'), nasty), { nil: undefined }),
      page: fc.boolean(),
    })
    .map((q) => ({
      method: 'GET',
      path: q.page
        ? `/v1/resources/${encodeURIComponent(q.slug)}`
        : `/v1/resources/${encodeURIComponent(q.slug)}/next-available?${new URLSearchParams({ from: q.from, ...(q.tz !== undefined ? { tz: q.tz } : {}), ...(q.duration !== undefined ? { duration: q.duration } : {}) })}`,
      headers: {},
    })),
  // Holds: well-formed-ish and garbage bodies, any session header.
  fc
    .record({
      body: fc.oneof(
        fc
          .record({
            resourceId: fc.oneof(fc.constant('RESOURCE'), nasty),
            start: instantLike,
            end: fc.option(instantLike, { nil: undefined }),
          })
          .map((b) => JSON.stringify(b)),
        jsonValue.map((v) => JSON.stringify(v)),
        nasty,
      ),
      session: fc.oneof(fc.constant('s_fuzz_session_0001'), nasty),
    })
    .map((r) => ({
      method: 'POST',
      path: '/v1/holds',
      body: r.body,
      headers: { 'Content-Type': 'application/json', 'X-Booking-Session': sanitizeHeader(r.session) },
    })),
  // Bookings: bodies of every shape, random idempotency keys.
  fc
    .record({
      body: fc.oneof(
        fc
          .record({
            holdId: nasty,
            guest: fc.record({ name: nasty, email: nasty, phone: fc.option(nasty, { nil: undefined }) }),
            notes: fc.option(nasty, { nil: undefined }),
            answers: fc.option(jsonValue, { nil: undefined }),
            locale: fc.option(nasty, { nil: undefined }),
          })
          .map((b) => JSON.stringify(b)),
        jsonValue.map((v) => JSON.stringify(v)),
        nasty,
      ),
      key: fc.option(nasty, { nil: undefined }),
    })
    .map((r) => ({
      method: 'POST',
      path: '/v1/bookings',
      body: r.body,
      headers: {
        'Content-Type': 'application/json',
        'X-Booking-Session': 's_fuzz_session_0001',
        ...(r.key !== undefined ? { 'Idempotency-Key': sanitizeHeader(r.key) } : {}),
      },
    })),
  // Bookings on a live hold (placed just before), one field at a time going wrong: the insert is reached.
  fc
    .record({
      day: fc.integer({ min: 0, max: 364 }),
      slot: fc.integer({ min: 0, max: 47 }),
      name: fc.oneof(fc.constant('Ada Lovelace'), controlText, nasty),
      email: fc.oneof(
        fc.constant('ada@example.com'),
        controlText.map((t) => `ada${t}@example.com`),
        nasty,
      ),
      phone: fc.option(
        fc.oneof(
          fc.constant('+44 20 7123 4567'),
          controlText.map((t) => `+44 20${t}7123 4567`),
        ),
        { nil: undefined },
      ),
      notes: fc.option(fc.oneof(fc.string(), controlText), { nil: undefined }),
      answers: fc.option(
        fc.dictionary(
          fc.oneof(fc.string({ maxLength: 10 }), controlText),
          fc.oneof(fc.string(), controlText, numberLike, fc.boolean()),
          { maxKeys: 3 },
        ),
        { nil: undefined },
      ),
      timezone: fc.option(fc.oneof(fc.constant('Europe/Berlin'), controlText), { nil: undefined }),
    })
    .map((b) => ({
      method: 'POST',
      path: '/v1/bookings',
      hold: new Date(Date.parse('2026-06-02T00:00:00Z') + b.day * 86_400_000 + b.slot * 1_800_000).toISOString(),
      body: JSON.stringify({
        holdId: 'HOLD',
        guest: { name: b.name, email: b.email, ...(b.phone !== undefined ? { phone: b.phone } : {}) },
        notes: b.notes,
        answers: b.answers,
        timezone: b.timezone,
      }),
      headers: { 'Content-Type': 'application/json', 'X-Booking-Session': HOLD_SESSION },
    })),
  // Manage a real booking: cancel reasons, moves and reads.
  fc
    .record({
      action: fc.constantFrom('', '/cancel', '/reschedule', '/calendar.ics'),
      body: fc.oneof(
        fc.record({ reason: fc.oneof(controlText, nasty) }).map((b) => JSON.stringify(b)),
        fc.record({ holdId: fc.oneof(controlText, nasty) }).map((b) => JSON.stringify(b)),
        nasty,
      ),
    })
    .map((r) => ({
      method: r.action === '' || r.action === '/calendar.ics' ? 'GET' : 'POST',
      path: `/v1/bookings/MANAGE_REF${r.action}`,
      ...(r.action === '' || r.action === '/calendar.ics' ? {} : { body: r.body }),
      headers: {
        Authorization: 'Bearer MANAGE_TOKEN',
        'Content-Type': 'application/json',
        'X-Booking-Session': 's_fuzz_session_0001',
      },
    })),
  // Manage: any ref, any token, any action.
  fc
    .record({
      ref: nasty,
      token: nasty,
      action: fc.constantFrom('', '/cancel', '/reschedule', '/calendar.ics'),
      body: fc.oneof(
        jsonValue.map((v) => JSON.stringify(v)),
        nasty,
      ),
    })
    .map((r) => ({
      method: r.action === '' || r.action === '/calendar.ics' ? 'GET' : 'POST',
      path: `/v1/bookings/${encodeURIComponent(r.ref)}${r.action}`,
      ...(r.action === '' || r.action === '/calendar.ics' ? {} : { body: r.body }),
      headers: { Authorization: `Bearer ${sanitizeHeader(r.token)}`, 'Content-Type': 'application/json' },
    })),
  fc.record({ id: nasty }).map((r) => ({
    method: 'DELETE',
    path: `/v1/holds/${encodeURIComponent(r.id)}`,
    headers: { 'X-Booking-Session': 's_fuzz_session_0001' },
  })),
  // The owner API's gate with garbage keys, and with the real key and garbage bodies.
  fc
    .record({
      token: nasty,
      body: fc.oneof(
        jsonValue.map((v) => JSON.stringify(v)),
        nasty,
      ),
      real: fc.boolean(),
      path: fc.constantFrom(
        '/resources',
        '/resources/RESOURCE/schedules',
        '/bookings/00000000-0000-4000-8000-000000000000/cancel',
      ),
    })
    .map((r) => ({
      method: r.path === '/resources' ? 'POST' : r.path.endsWith('schedules') ? 'PUT' : 'POST',
      path: `/v1/admin${r.path}`,
      body: r.body,
      headers: {
        Authorization: `Bearer ${r.real ? 'ADMIN' : sanitizeHeader(r.token)}`,
        'Content-Type': 'application/json',
      },
    })),
  // First-run setup: any token, no key needed.
  fc
    .oneof(
      fc.record({ token: fc.oneof(controlText, nasty) }).map((b) => JSON.stringify(b)),
      jsonValue.map((v) => JSON.stringify(v)),
      nasty,
    )
    .map((body) => ({
      method: 'POST',
      path: '/v1/admin/setup',
      body,
      headers: { 'Content-Type': 'application/json' },
    })),
  // Owner: resources with every field going wrong (text, zones, money, numbers), created and changed.
  fc
    .record({
      slug: fc.oneof(
        fc
          .string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), minLength: 6, maxLength: 12 })
          .map((s) => `fz-${s}`),
        controlText,
        nasty,
      ),
      type: fc.oneof(fc.constant('room'), controlText, nasty),
      name: fc.oneof(fc.constant('Fuzz room'), controlText, nasty),
      timezone: fc.oneof(fc.constant('UTC'), controlText, nasty),
      amount: numberLike,
      payment: fc.constantFrom('none', 'full', 'deposit', undefined),
      depositAmount: fc.option(numberLike, { nil: undefined }),
      number: fc.constantFrom('minNoticeMin', 'horizonDays', 'bufferBeforeMin', 'holdTtlSec', 'minCancelNoticeHours'),
      value: numberLike,
      notifyEmail: fc.option(
        fc.oneof(
          fc.constant('owner@example.com'),
          controlText.map((t) => `owner${t}@example.com`),
        ),
        { nil: undefined },
      ),
      patch: fc.boolean(),
    })
    .map((r) => {
      const config = {
        price: { amount: r.amount, currency: 'EUR' },
        payment: r.payment,
        depositAmount: r.depositAmount,
        [r.number]: r.value,
        notifyEmail: r.notifyEmail,
      }
      return {
        method: r.patch ? 'PATCH' : 'POST',
        path: r.patch ? '/v1/admin/resources/SCHEDULED' : '/v1/admin/resources',
        body: JSON.stringify(
          r.patch
            ? { name: r.name, timezone: r.timezone, config }
            : { slug: r.slug, type: r.type, name: r.name, timezone: r.timezone, config },
        ),
        headers: { Authorization: 'Bearer ADMIN', 'Content-Type': 'application/json' },
      }
    }),
  // Owner: schedules with edge dates and numbers.
  fc
    .array(
      fc.record({
        weekday: fc.option(fc.oneof(fc.integer({ min: 0, max: 6 }), numberLike), { nil: undefined }),
        specificDate: fc.option(dateLike, { nil: undefined }),
        startTime: fc.oneof(fc.constant('09:00'), nasty),
        endTime: fc.oneof(fc.constant('17:00'), fc.constant('24:00'), nasty),
        slotDuration: fc.oneof(fc.constant(60), numberLike),
      }),
      { maxLength: 3 },
    )
    .map((schedules) => ({
      method: 'PUT',
      path: '/v1/admin/resources/SCHEDULED/schedules',
      body: JSON.stringify({ schedules }),
      headers: { Authorization: 'Bearer ADMIN', 'Content-Type': 'application/json' },
    })),
  // Owner: the bookings list with any filter, search and cursor.
  fc
    .record({
      from: fc.option(fc.oneof(dateLike, instantLike), { nil: undefined }),
      to: fc.option(fc.oneof(dateLike, instantLike), { nil: undefined }),
      q: fc.option(fc.oneof(fc.constant('Guest'), controlText, nasty), { nil: undefined }),
      status: fc.option(fc.oneof(fc.constant('confirmed'), nasty), { nil: undefined }),
      cursor: fc.option(nasty, { nil: undefined }),
      limit: fc.option(fc.oneof(fc.constant('10'), hugeInteger, nasty), { nil: undefined }),
    })
    .map((q) => ({
      method: 'GET',
      path: `/v1/admin/bookings?${new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined))}`,
      headers: { Authorization: 'Bearer ADMIN' },
    })),
  // Owner: moving a booking to edge instants, and ids of every shape in the path.
  fc
    .record({
      start: instantLike,
      end: fc.option(instantLike, { nil: undefined }),
      id: fc.oneof(fc.constant('BOOKING'), nasty),
      action: fc.constantFrom('reschedule', 'cancel', 'confirm'),
    })
    .map((r) => ({
      method: 'POST',
      path:
        r.id === 'BOOKING'
          ? '/v1/admin/bookings/BOOKING/reschedule'
          : `/v1/admin/bookings/${encodeURIComponent(r.id)}/${r.action}`,
      body: JSON.stringify({ start: r.start, end: r.end }),
      headers: { Authorization: 'Bearer ADMIN', 'Content-Type': 'application/json' },
    })),
]

type TestApi = ReturnType<typeof createTestApi>

/** A hold on fuzz-bookings for HOLD_SESSION, or undefined when the slot is taken already. */
async function holdOn(api: TestApi, start: string): Promise<string | undefined> {
  const res = await api.call<{ hold: { id: string } }>('POST', '/v1/holds', {
    session: HOLD_SESSION,
    body: { resourceId: bookingsRoomId, start },
  })
  return res.status === 201 ? res.body.hold.id : undefined
}

async function bookOn(api: TestApi, start: string): Promise<{ ref: string; manageToken: string }> {
  const holdId = await holdOn(api, start)
  const res = await api.call<{ booking: { ref: string }; manageToken: string }>('POST', '/v1/bookings', {
    session: HOLD_SESSION,
    body: { holdId, guest: { name: 'Fuzz Guest', email: 'guest@example.com' } },
  })
  expect(res.status, res.text).toBe(201)
  return { ref: res.body.booking.ref, manageToken: res.body.manageToken }
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

function sanitizeHeader(value: string): string {
  // What fetch refuses before sending (NUL, CR, LF, anything past Latin-1); other controls get through.
  return value.replace(/[\0\r\n]|[^\0-\xff]/g, '?')
}

describe('fuzzing the public API (10,000 requests)', () => {
  it('answers every generated request with 2xx or 4xx, and rejected ones change nothing', async () => {
    const api = createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds })
    // A booking of its own to manage, beyond the days generated bookings take.
    const managed = await bookOn(api, '2027-07-01T10:00:00Z')
    const statuses = new Map<number, number>()
    let runs = 0
    await fc.assert(
      fc.asyncProperty(fc.oneof(...requests), async (generated) => {
        runs++
        const hold = generated.hold ? await holdOn(api, generated.hold) : undefined
        const fill = (text: string) =>
          text
            .replaceAll('RESOURCE', resourceId)
            .replaceAll('SCHEDULED', scheduledId)
            .replaceAll('BOOKING', bookingId)
            .replaceAll('MANAGE_REF', managed.ref)
            .replaceAll('HOLD', hold ?? 'h_gone')
        const body = generated.body === undefined ? undefined : fill(generated.body)
        const path = fill(generated.path)
        const headers = { ...generated.headers }
        if (headers.Authorization === 'Bearer ADMIN') headers.Authorization = `Bearer ${adminKey}`
        if (headers.Authorization === 'Bearer MANAGE_TOKEN') headers.Authorization = `Bearer ${managed.manageToken}`
        const before = await snapshot()
        const res = await api.app.request(path, {
          method: generated.method,
          headers,
          ...(body !== undefined ? { body } : {}),
        })
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
        expect(res.status, `${generated.method} ${path} ${body?.slice(0, 200)}`).toBeLessThan(500)
        if (res.status >= 400) expect(await snapshot()).toBe(before)
        // The clock stands still, so a hold left behind would never expire.
        if (hold)
          await api.app.request(`/v1/holds/${hold}`, {
            method: 'DELETE',
            headers: { 'X-Booking-Session': HOLD_SESSION },
          })
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
        headers: {
          'Content-Type': 'application/json',
          'X-Booking-Session': 's_fuzz_session_0001',
          'Content-Length': String(size),
        },
        body: JSON.stringify({ notes: 'x'.repeat(size) }),
      })
      expect(res.status).toBe(413)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large')
    }
  })
})
