import { eq } from 'drizzle-orm'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookings, busyBlocks, busySources } from '../../drizzle/schema'
import type { AdminBusySourceResponse } from '../../shared/api-contract'
import type { AvailabilityResponse, PublicHold } from '../../shared/types'
import type { ErrorBody } from '../../shared/errors'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertPool, insertResource } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { icsCalendar, SAMPLE_BUSY, SAMPLE_ICS, startIcsServer, type IcsServer } from '../../test/ics-server'
import { createAdminKey } from '../admin/keys'
import { createAvailabilityCache, type AvailabilityCaching } from '../availability-cache'
import { fixedClock } from '../clock'
import { runDueWork } from '../due-work'
import { silentLogger } from '../logger'
import { pollBusySources } from './poll-busy-sources'

let database: TestDatabase
let server: IcsServer
let key: string
beforeAll(async () => {
  database = await createTestDatabase()
  server = await startIcsServer()
  key = (await createAdminKey(database.db, 'busy import tests')).key
})
afterAll(async () => {
  await server?.close()
  await database?.close()
})

const guest = { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+442071234567' }
let paths = 0
/** A path of its own on the calendar server per test, serving `ics`. */
const serve = (ics = SAMPLE_ICS, extra: { etag?: string } = {}) => {
  const path = `/cal-${++paths}.ics`
  server.set(path, { body: ics, ...extra })
  return path
}

async function setup() {
  // Pollers take every due calendar in the database: each test starts with none.
  await database.db.delete(busySources)
  const clock = fixedClock('2026-03-10T00:00:00Z')
  const backend = createTestHoldBackend(clock)
  const availability: AvailabilityCaching = { versions: backend.versions, cache: createAvailabilityCache() }
  // The shared counter must exist (a bump starts it), as after any first write.
  await availability.versions.bump()
  const api = createTestApi({ db: database.db, clock, holds: backend.holds, availability })
  const resource = await insertResource(database.db, {
    timezone: 'Europe/Berlin',
    schedules: everyDay({ startTime: '08:00', endTime: '18:00', slotDuration: 60 }),
  })
  const admin = <T>(method: string, path: string, body?: unknown) =>
    api.call<T>(method, `/v1/admin${path}`, { token: key, ...(body !== undefined ? { body } : {}) })
  const addSource = async (path: string, extra: Record<string, unknown> = {}) => {
    const res = await admin<AdminBusySourceResponse>('POST', `/resources/${resource.id}/busy-sources`, {
      url: server.url(path),
      ...extra,
    })
    expect(res.status).toBe(201)
    return res.body.source
  }
  const offered = async (from: string, to: string, id: string = resource.id, base = 'resources') => {
    const res = await api.call<AvailabilityResponse>(
      'GET',
      `/v1/${base}/${id}/availability?from=${from}&to=${to}&tz=Europe/Berlin`,
    )
    expect(res.status).toBe(200)
    return res.body.days.flatMap((d) => d.slots.map((s) => s.start))
  }
  const deps = { db: database.db, clock, logger: silentLogger, availability }
  return { api, clock, resource, admin, addSource, offered, deps, holds: backend.holds }
}

const blocksOf = (sourceId: string) =>
  database.db
    .select({ startsAt: busyBlocks.startsAt, endsAt: busyBlocks.endsAt })
    .from(busyBlocks)
    .where(eq(busyBlocks.sourceId, sourceId))
    .orderBy(busyBlocks.startsAt)
    .then((rows) => rows.map((r) => [r.startsAt.toISOString(), r.endsAt.toISOString()]))

/** Every hourly slot 08:00–18:00 Europe/Berlin on the days from..to, less those overlapping `busy`. */
function expectedSlots(from: string, to: string, busy: string[][]): string[] {
  const starts: string[] = []
  for (let day = Date.parse(`${from}T12:00:00Z`); day <= Date.parse(`${to}T12:00:00Z`); day += 86_400_000) {
    const date = new Date(day).toISOString().slice(0, 10)
    // Berlin is UTC+1 before 29 March 2026 and UTC+2 from then.
    const offset = date < '2026-03-29' ? 1 : 2
    for (let hour = 8; hour < 18; hour++) {
      const start = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10), hour - offset)
      const end = start + 3_600_000
      if (busy.some(([s, e]) => Date.parse(s!) < end && start < Date.parse(e!))) continue
      starts.push(new Date(start).toISOString())
    }
  }
  return starts
}

describe('busy-time import', () => {
  it('imports a calendar and the availability leaves out exactly its busy times', async () => {
    const { addSource, offered } = await setup()
    const source = await addSource(serve())
    expect(source).toMatchObject({ blockCount: SAMPLE_BUSY.length, lastError: null, pollMinutes: 10 })
    expect(source.lastSuccessAt).toBe('2026-03-10T00:00:00.000Z')
    expect(await blocksOf(source.id)).toEqual(SAMPLE_BUSY)

    const slots = await offered('2026-03-16', '2026-04-21')
    expect(slots).toEqual(expectedSlots('2026-03-16', '2026-04-21', SAMPLE_BUSY))
    // 10:00 Berlin is 09:00Z before the change to summer time and 08:00Z after it.
    expect(slots).not.toContain('2026-03-23T09:00:00.000Z')
    expect(slots).not.toContain('2026-03-30T08:00:00.000Z')
    // Removed by EXDATE, cancelled by an override, moved away by an override: free again.
    for (const free of ['2026-04-06T08:00:00.000Z', '2026-04-13T08:00:00.000Z', '2026-04-20T08:00:00.000Z'])
      expect(slots).toContain(free)
    // The moved occurrence's new time, and the all-day event's whole local day.
    expect(slots).not.toContain('2026-04-21T12:00:00.000Z')
    expect(slots.filter((s) => s.startsWith('2026-04-08'))).toEqual([])
  })

  it('refuses a hold, and an owner’s move of a booking, onto a busy time with 409 slot_taken', async () => {
    const { api, admin, resource, addSource } = await setup()
    await addSource(serve())
    const hold = (start: string, session = newSession()) =>
      api.call<{ hold: PublicHold } & ErrorBody>('POST', '/v1/holds', {
        session,
        body: { resourceId: resource.id, start },
      })
    const refused = await hold('2026-03-23T09:00:00Z')
    expect([refused.status, refused.body.error.code]).toEqual([409, 'slot_taken'])
    // The hour after the busy time is free: held and booked.
    const session = newSession()
    const free = await hold('2026-03-23T10:00:00Z', session)
    expect(free.status).toBe(201)
    const booked = await api.call<{ booking: { ref: string } }>('POST', '/v1/bookings', {
      session,
      body: { holdId: free.body.hold.id, guest },
    })
    expect(booked.status).toBe(201)
    const [row] = await database.db.select().from(bookings).where(eq(bookings.resourceId, resource.id))
    // The owner may leave the schedule, but not land on imported busy time (the database refuses it).
    const moved = await admin<ErrorBody>('POST', `/bookings/${row!.id}/reschedule`, { start: '2026-03-23T09:00:00Z' })
    expect([moved.status, moved.body.error.code]).toEqual([409, 'slot_taken'])
  })

  it('takes every place of a resource of several places for the busy time', async () => {
    const { api, deps } = await setup()
    const room = await insertResource(database.db, {
      timezone: 'Europe/Berlin',
      config: { capacity: 4 },
      schedules: everyDay({ startTime: '08:00', endTime: '18:00', slotDuration: 60 }),
    })
    await database.db
      .insert(busySources)
      .values({ resourceId: room.id, url: server.url(serve()), nextPollAt: new Date(deps.clock.now()) })
    expect(await pollBusySources(deps)).toEqual({ changed: 1, unchanged: 0, failed: 0 })
    const res = await api.call<AvailabilityResponse>(
      'GET',
      `/v1/resources/${room.id}/availability?from=2026-03-23&to=2026-03-23&tz=Europe/Berlin`,
    )
    const left = Object.fromEntries(res.body.days[0]!.slots.map((s) => [s.start, s.seatsLeft]))
    expect(left['2026-03-23T09:00:00.000Z']).toBeUndefined()
    expect(left['2026-03-23T10:00:00.000Z']).toBe(4)
    const held = await api.call<ErrorBody>('POST', '/v1/holds', {
      session: newSession(),
      body: { resourceId: room.id, start: '2026-03-23T09:00:00Z' },
    })
    expect([held.status, held.body.error.code]).toEqual([409, 'slot_taken'])
  })

  it('refuses the booking when busy time arrived after the hold, whatever the cache says (the trigger)', async () => {
    const { api, resource, offered } = await setup()
    const start = '2026-03-24T09:00:00.000Z'
    expect(await offered('2026-03-24', '2026-03-24')).toContain(start)
    const session = newSession()
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId: resource.id, start },
    })
    expect(hold.status).toBe(201)
    // Another process imported a block and its bump has not reached this one: the cache still says free.
    const [source] = await database.db
      .insert(busySources)
      .values({ resourceId: resource.id, url: 'https://calendar.example/x.ics' })
      .returning()
    await database.db.insert(busyBlocks).values({
      sourceId: source!.id,
      resourceId: resource.id,
      startsAt: new Date('2026-03-24T09:30:00Z'),
      endsAt: new Date('2026-03-24T09:45:00Z'),
    })
    const booked = await api.call<ErrorBody>('POST', '/v1/bookings', {
      session,
      body: { holdId: hold.body.hold.id, guest },
    })
    expect([booked.status, booked.body.error.code]).toEqual([409, 'slot_taken'])
    expect(await database.db.select().from(bookings).where(eq(bookings.resourceId, resource.id))).toEqual([])
  })

  it('asks again with the ETag, keeps the busy times on 304, and reads afresh once a day', async () => {
    const { addSource, clock, deps } = await setup()
    const path = serve(SAMPLE_ICS, { etag: '"v1"' })
    const source = await addSource(path)
    clock.set('2026-03-10T00:10:00Z')
    expect(await pollBusySources(deps)).toMatchObject({ unchanged: 1, failed: 0 })
    const [first, second] = server.requests(path)
    expect(first!['if-none-match']).toBeUndefined()
    expect(second!['if-none-match']).toBe('"v1"')
    const [row] = await database.db.select().from(busySources).where(eq(busySources.id, source.id))
    expect(row).toMatchObject({ etag: '"v1"', lastError: null, lastSuccessAt: new Date('2026-03-10T00:10:00Z') })
    expect(row!.nextPollAt).toEqual(new Date('2026-03-10T00:20:00Z'))
    expect(await blocksOf(source.id)).toEqual(SAMPLE_BUSY)
    // Not due yet: nothing fetched.
    clock.set('2026-03-10T00:15:00Z')
    expect(await pollBusySources(deps)).toEqual({ changed: 0, unchanged: 0, failed: 0 })
    expect(server.requests(path)).toHaveLength(2)
  })

  it('keeps the last good busy times and says why when the host fails or sends no calendar', async () => {
    const { addSource, clock, deps, offered, admin } = await setup()
    const path = serve()
    const source = await addSource(path)
    const before = await offered('2026-03-23', '2026-03-23')
    for (const [route, error] of [
      [{ status: 500, body: 'oops' }, 'The calendar host answered HTTP 500.'],
      [{ body: '<html><body>Please sign in</body></html>' }, /^Not a readable calendar file/],
      [{ body: 'BEGIN:VCARD\r\nEND:VCARD\r\n' }, /^Not a calendar file/],
    ] as const) {
      server.set(path, route)
      clock.set(clock.now() + 11 * 60_000)
      expect(await pollBusySources(deps)).toMatchObject({ failed: 1 })
      const { body } = await admin<AdminBusySourceResponse>('POST', `/busy-sources/${source.id}/refresh`)
      expect(body.source.lastError).toMatch(error)
      expect(body.source).toMatchObject({ blockCount: SAMPLE_BUSY.length, lastSuccessAt: '2026-03-10T00:00:00.000Z' })
      expect(body.source.lastAttemptAt).toBe(new Date(clock.now()).toISOString())
      expect(await blocksOf(source.id)).toEqual(SAMPLE_BUSY)
      expect(await offered('2026-03-23', '2026-03-23')).toEqual(before)
    }
    // Fixed at the host: the error clears on the next read.
    server.set(path, { body: icsCalendar() })
    const { body } = await admin<AdminBusySourceResponse>('POST', `/busy-sources/${source.id}/refresh`)
    expect(body.source).toMatchObject({ lastError: null, blockCount: 0 })
    expect(await offered('2026-03-23', '2026-03-23')).toHaveLength(10)
  })

  it('reports unreachable hosts and refuses non-http addresses', async () => {
    const { admin, resource, addSource } = await setup()
    const gone = await addSource('/nothing-here.ics')
    expect(gone).toMatchObject({
      blockCount: 0,
      lastSuccessAt: null,
      lastError: 'The calendar host answered HTTP 404.',
    })
    const closed = await admin<AdminBusySourceResponse>('POST', `/resources/${resource.id}/busy-sources`, {
      url: 'http://127.0.0.1:1/cal.ics',
    })
    expect(closed.status).toBe(201)
    expect(closed.body.source.lastError).toMatch(/^Could not reach the calendar host/)
    for (const url of ['file:///etc/passwd', 'ftp://example.com/cal.ics', 'data:text/calendar,BEGIN', 'not a url'])
      expect(
        await admin<ErrorBody>('POST', `/resources/${resource.id}/busy-sources`, { url }).then((r) => [
          r.status,
          r.body.error.code,
          (r.body.error.details as { path: string }[]).map((d) => d.path),
        ]),
      ).toEqual([400, 'invalid_request', ['url']])
  })

  it('polls from the due work, and a pool counts a member with busy time as taken', async () => {
    const { api, addSource, deps, clock, resource, offered } = await setup()
    const other = await insertResource(database.db, {
      timezone: 'Europe/Berlin',
      schedules: everyDay({ startTime: '08:00', endTime: '18:00', slotDuration: 60 }),
    })
    const pool = await insertPool(database.db, { members: [resource.id, other.id] })
    const path = serve(icsCalendar())
    const source = await addSource(path)
    expect(source.blockCount).toBe(0)
    server.set(path, {
      body: icsCalendar(['BEGIN:VEVENT', 'UID:x', 'DTSTART:20260324T090000Z', 'DTEND:20260324T100000Z', 'END:VEVENT']),
    })
    clock.set('2026-03-10T00:10:00Z')
    const done = await runDueWork({ ...deps, payments: undefined })
    expect(done.busyCalendars).toEqual({ changed: 1, unchanged: 0, failed: 0 })
    // The bump reached the cache: the resource itself no longer offers 10:00.
    expect(await offered('2026-03-24', '2026-03-24')).not.toContain('2026-03-24T09:00:00.000Z')
    const res = await api.call<AvailabilityResponse>(
      'GET',
      `/v1/pools/${pool.id}/availability?from=2026-03-24&to=2026-03-24&tz=Europe/Berlin`,
    )
    expect(res.status).toBe(200)
    const free = Object.fromEntries(res.body.days[0]!.slots.map((s) => [s.start, s.membersFree]))
    expect(free['2026-03-24T09:00:00.000Z']).toBe(1)
    expect(free['2026-03-24T08:00:00.000Z']).toBe(2)
  })
})

describe('the owner API for busy calendars', () => {
  it('lists, changes, refreshes and removes a calendar; removing frees its times', async () => {
    const { admin, addSource, resource, offered } = await setup()
    const source = await addSource(serve(), { label: 'Anna (Google)', pollMinutes: 15 })
    expect(source).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      resourceId: resource.id,
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/cal-\d+\.ics$/),
      label: 'Anna (Google)',
      pollMinutes: 15,
      lastAttemptAt: '2026-03-10T00:00:00.000Z',
      lastSuccessAt: '2026-03-10T00:00:00.000Z',
      lastError: null,
      nextPollAt: '2026-03-10T00:15:00.000Z',
      blockCount: SAMPLE_BUSY.length,
    })
    const list = await admin<{ sources: unknown[] }>('GET', `/resources/${resource.id}/busy-sources`)
    expect(list.body.sources).toEqual([source])

    const changed = await admin<AdminBusySourceResponse>('PATCH', `/busy-sources/${source.id}`, {
      label: null,
      pollMinutes: 60,
    })
    expect(changed.body.source).toMatchObject({ label: null, pollMinutes: 60, blockCount: SAMPLE_BUSY.length })

    expect(await offered('2026-03-23', '2026-03-23')).not.toContain('2026-03-23T09:00:00.000Z')
    expect((await admin('DELETE', `/busy-sources/${source.id}`)).status).toBe(204)
    expect(await database.db.select().from(busyBlocks).where(eq(busyBlocks.sourceId, source.id))).toEqual([])
    expect(await offered('2026-03-23', '2026-03-23')).toContain('2026-03-23T09:00:00.000Z')
    expect((await admin('GET', `/resources/${resource.id}/busy-sources`)).body).toEqual({ sources: [] })
  })

  it.each([
    [{ url: 'https://x.example/c.ics', pollMinutes: 4 }, ['pollMinutes']],
    [{ url: 'https://x.example/c.ics', pollMinutes: 1441 }, ['pollMinutes']],
    [{ url: 'https://x.example/c.ics', label: 'x'.repeat(101) }, ['label']],
    [{ label: 'no address' }, ['url']],
    [{ url: 'https://x.example/c.ics', extra: 1 }, ['']],
  ])('answers 400 invalid_request with the field for %j', async (body, fields) => {
    const { admin, resource } = await setup()
    const res = await admin<ErrorBody>('POST', `/resources/${resource.id}/busy-sources`, body)
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_request'])
    expect((res.body.error.details as { path: string }[]).map((d) => d.path)).toEqual(fields)
  })

  it('accepts a webcal address as https and answers 404 for unknown resources and calendars', async () => {
    const { admin, resource } = await setup()
    const webcal = await admin<AdminBusySourceResponse>('POST', `/resources/${resource.id}/busy-sources`, {
      url: 'webcal://127.0.0.1:1/cal.ics',
    })
    expect(webcal.body.source.url).toBe('https://127.0.0.1:1/cal.ics')
    const unknown = '00000000-0000-4000-8000-000000000000'
    for (const [method, path, body] of [
      ['GET', `/resources/${unknown}/busy-sources`],
      ['POST', `/resources/${unknown}/busy-sources`, { url: 'https://x.example/c.ics' }],
      ['PATCH', `/busy-sources/${unknown}`, { label: 'x' }],
      ['PATCH', '/busy-sources/not-an-id', { label: 'x' }],
      ['DELETE', `/busy-sources/${unknown}`],
      ['POST', `/busy-sources/${unknown}/refresh`],
    ] as const) {
      const res = await admin<ErrorBody>(method, path, body)
      expect([res.status, res.body.error.code], `${method} ${path}`).toEqual([404, 'not_found'])
    }
    expect((await admin('PATCH', `/busy-sources/${webcal.body.source.id}`, {})).status).toBe(400)
  })
})

describe('two pollers at once', () => {
  it('fetch each due calendar exactly once', async (ctx) => {
    if (database.kind === 'pglite') {
      console.log(
        'skipped on PGlite: one connection runs one statement at a time, so two pollers never contend for a lease',
      )
      ctx.skip()
    }
    const { resource, deps, clock } = await setup()
    const paths = Array.from({ length: 6 }, () => {
      const path = serve()
      server.set(path, { body: SAMPLE_ICS, delayMs: 150 })
      return path
    })
    await database.db
      .insert(busySources)
      .values(paths.map((p) => ({ resourceId: resource.id, url: server.url(p), nextPollAt: new Date(clock.now()) })))
    const [a, b] = await Promise.all([pollBusySources(deps), pollBusySources(deps)])
    expect(a!.changed + b!.changed).toBe(6)
    for (const path of paths) expect(server.requests(path)).toHaveLength(1)
  })

  it('skips a calendar another runner holds instead of waiting for it', async (ctx) => {
    if (database.kind === 'pglite') {
      console.log('skipped on PGlite: one connection cannot hold a row lock while another statement runs')
      ctx.skip()
    }
    const { resource, deps, clock } = await setup()
    const [held, free] = [serve(), serve()]
    const [heldRow] = await database.db
      .insert(busySources)
      .values(
        [held, free].map((p) => ({ resourceId: resource.id, url: server.url(p), nextPollAt: new Date(clock.now()) })),
      )
      .returning()
    const other = postgres(database.url!, { max: 1, onnotice: () => {} })
    try {
      await other.begin(async (tx) => {
        await tx`select id from busy_sources where id = ${heldRow!.id} for update`
        // Waiting for the lock would never end: this transaction only closes after the poll.
        expect(await pollBusySources(deps)).toEqual({ changed: 1, unchanged: 0, failed: 0 })
      })
    } finally {
      await other.end()
    }
    expect(server.requests(held)).toHaveLength(0)
    expect(server.requests(free)).toHaveLength(1)
  }, 15_000)
})
