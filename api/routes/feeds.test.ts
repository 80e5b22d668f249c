import ICAL from 'ical.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookings } from '../../drizzle/schema'
import type { AdminCalendarFeedResponse } from '../../shared/api-contract'
import type { ErrorBody } from '../../shared/errors'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { bookingValues, insertResource } from '../../test/fixtures'
import { createTestHoldBackend } from '../../test/holds'
import { createAdminKey } from '../admin/keys'
import { fixedClock } from '../clock'
import { compression } from '../compression'

let database: TestDatabase
let key: string
beforeAll(async () => {
  database = await createTestDatabase()
  key = (await createAdminKey(database.db, 'feeds')).key
})
afterAll(() => database?.close())

const NOW = '2026-03-20T12:00:00Z'

function setup() {
  const clock = fixedClock(NOW)
  const api = createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds })
  const admin = <T>(method: string, path: string, body?: unknown) =>
    api.call<T>(method, `/v1/admin${path}`, { token: key, ...(body !== undefined ? { body } : {}) })
  /** The feed at `url` as the app answers it (the URL's path; the host is the app's own). */
  const fetchFeed = (url: string, headers: Record<string, string> = {}) =>
    api.app.request(new URL(url).pathname, { headers })
  return { ...api, clock, admin, fetchFeed }
}

type Booking = Parameters<typeof bookingValues>[0] & {
  guestName?: string
  updatedAt?: string
  partOf?: string
  version?: number
}
async function book(input: Booking) {
  const { guestName, updatedAt, partOf, version, ...rest } = input
  const [row] = await database.db
    .insert(bookings)
    .values({
      ...bookingValues(rest),
      ...(guestName ? { guestName } : {}),
      ...(partOf ? { partOf } : {}),
      ...(version ? { version } : {}),
      updatedAt: new Date(updatedAt ?? '2026-03-10T08:00:00Z'),
    })
    .returning()
  return row!
}

async function makeFeed(t: ReturnType<typeof setup>, resourceId: string): Promise<string> {
  const made = await t.admin<AdminCalendarFeedResponse>('POST', `/resources/${resourceId}/feed`)
  expect(made.status).toBe(200)
  return made.body.feed.url!
}

interface FeedEvent {
  uid: string
  sequence: number
  start: string
  end: string
  summary: string
  status: string
}
function parseFeed(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text))
  const events: FeedEvent[] = calendar.getAllSubcomponents('vevent').map((v) => {
    const event = new ICAL.Event(v)
    return {
      uid: event.uid,
      sequence: event.sequence,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      summary: event.summary,
      status: String(v.getFirstPropertyValue('status')),
    }
  })
  return { name: calendar.getFirstPropertyValue('x-wr-calname'), events }
}

describe('the calendar feed address (owner API)', () => {
  it('is off until made, and answers 404 not_found for an unknown resource', async () => {
    const t = setup()
    const resource = await insertResource(database.db)
    const off = await t.admin<AdminCalendarFeedResponse>('GET', `/resources/${resource.id}/feed`)
    expect(off.status).toBe(200)
    expect(off.body.feed).toEqual({ url: null, includeGuestNames: false })
    const url = await makeFeed(t, resource.id)
    expect(url).toMatch(/^http:\/\/localhost\/v1\/feeds\/[A-Za-z0-9_-]{43}\.ics$/)
    const again = await t.admin<AdminCalendarFeedResponse>('GET', `/resources/${resource.id}/feed`)
    expect(again.body.feed.url).toBe(url)
    for (const method of ['GET', 'POST', 'DELETE']) {
      const missing = await t.admin<ErrorBody>(method, '/resources/00000000-0000-4000-8000-000000000000/feed')
      expect(missing.status).toBe(404)
      expect(missing.body.error.code).toBe('not_found')
    }
  })

  it('needs the admin key', async () => {
    const t = setup()
    const resource = await insertResource(database.db)
    const res = await t.call<ErrorBody>('POST', `/v1/admin/resources/${resource.id}/feed`)
    expect(res.status).toBe(401)
    expect((await t.admin<AdminCalendarFeedResponse>('GET', `/resources/${resource.id}/feed`)).body.feed.url).toBeNull()
  })

  it('builds the address from PUBLIC_URL when the server has one', async () => {
    const clock = fixedClock(NOW)
    const api = createTestApi({
      db: database.db,
      clock,
      notifiers: { links: { publicUrl: 'https://book.example.com/', appSecret: undefined } } as never,
    })
    const resource = await insertResource(database.db)
    const row = await book({ resourceId: resource.id, start: '2026-03-23T09:00:00Z', end: '2026-03-23T10:00:00Z' })
    const made = await api.call<AdminCalendarFeedResponse>('POST', `/v1/admin/resources/${resource.id}/feed`, {
      token: key,
    })
    expect(made.body.feed.url).toMatch(/^https:\/\/book\.example\.com\/v1\/feeds\/[A-Za-z0-9_-]{43}\.ics$/)
    const feed = await api.app.request(new URL(made.body.feed.url!).pathname)
    // The same UID host as the booking's own invitation, which is sent with PUBLIC_URL.
    expect(parseFeed(await feed.text()).events.map((e) => e.uid)).toEqual([`${row.ref}@book.example.com`])
  })
})

describe('GET /v1/feeds/<token>.ics', () => {
  it('lists the bookings that hold time, with stable UIDs and no guest names by default', async () => {
    const t = setup()
    const resource = await insertResource(database.db, { name: 'Yoga room' })
    const other = await insertResource(database.db)
    const confirmed = await book({
      resourceId: resource.id,
      start: '2026-03-23T09:00:00Z',
      end: '2026-03-23T10:00:00Z',
      guestName: 'Jürgen Meier',
    })
    const pending = await book({
      resourceId: resource.id,
      status: 'pending',
      start: '2026-03-24T09:00:00Z',
      end: '2026-03-24T10:00:00Z',
    })
    const completed = await book({
      resourceId: resource.id,
      status: 'completed',
      start: '2026-03-02T09:00:00Z',
      end: '2026-03-02T10:00:00Z',
    })
    await book({
      resourceId: resource.id,
      status: 'cancelled',
      start: '2026-03-25T09:00:00Z',
      end: '2026-03-25T10:00:00Z',
    })
    // Lapsed: its payment window closed, so it no longer holds the slot.
    await book({
      resourceId: resource.id,
      status: 'pending',
      start: '2026-03-26T09:00:00Z',
      end: '2026-03-26T10:00:00Z',
      expiresAt: '2026-03-20T11:00:00Z',
    })
    // Outside the window: long past, and beyond the year ahead.
    await book({ resourceId: resource.id, start: '2025-12-01T09:00:00Z', end: '2025-12-01T10:00:00Z' })
    await book({ resourceId: resource.id, start: '2027-04-01T09:00:00Z', end: '2027-04-01T10:00:00Z' })
    await book({ resourceId: other.id, start: '2026-03-23T09:00:00Z', end: '2026-03-23T10:00:00Z' })
    const url = await makeFeed(t, resource.id)

    const res = await t.fetchFeed(url)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('private, max-age=300')
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{40}"$/)
    expect(res.headers.get('last-modified')).toBe(new Date('2026-03-10T08:00:00Z').toUTCString())
    const text = await res.text()
    expect(text).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT15M')
    expect(text).toContain('X-PUBLISHED-TTL:PT15M')
    expect(text).not.toContain('Jürgen')
    expect(text).not.toContain('guest@example.com')
    const feed = parseFeed(text)
    expect(feed.name).toBe('Yoga room')
    expect(feed.events).toEqual([
      {
        uid: `${completed.ref}@localhost`,
        sequence: 0,
        start: '2026-03-02T09:00:00.000Z',
        end: '2026-03-02T10:00:00.000Z',
        summary: `Yoga room: Booked (${completed.ref})`,
        status: 'CONFIRMED',
      },
      {
        uid: `${confirmed.ref}@localhost`,
        sequence: 0,
        start: '2026-03-23T09:00:00.000Z',
        end: '2026-03-23T10:00:00.000Z',
        summary: `Yoga room: Booked (${confirmed.ref})`,
        status: 'CONFIRMED',
      },
      {
        uid: `${pending.ref}@localhost`,
        sequence: 0,
        start: '2026-03-24T09:00:00.000Z',
        end: '2026-03-24T10:00:00.000Z',
        summary: `Yoga room: Booked (${pending.ref})`,
        status: 'TENTATIVE',
      },
    ])
    // Same bookings, same bytes: the UIDs and the ETag hold across reads.
    const second = await t.fetchFeed(url)
    expect(second.headers.get('etag')).toBe(res.headers.get('etag'))
    expect(await second.text()).toBe(text)
  })

  it('moves an event to its new time with a higher SEQUENCE, and drops it once cancelled', async () => {
    const t = setup()
    const resource = await insertResource(database.db)
    const row = await book({ resourceId: resource.id, start: '2026-03-23T09:00:00Z', end: '2026-03-23T10:00:00Z' })
    const url = await makeFeed(t, resource.id)
    const before = await t.fetchFeed(url)
    const [original] = parseFeed(await before.text()).events

    t.clock.set('2026-03-20T13:00:00Z')
    const moved = await t.admin('POST', `/bookings/${row.id}/reschedule`, { start: '2026-03-23T14:00:00Z' })
    expect(moved.status).toBe(200)
    const after = await t.fetchFeed(url)
    const [event] = parseFeed(await after.text()).events
    expect(event!.uid).toBe(original!.uid)
    expect(event!.sequence).toBe(original!.sequence + 1)
    expect(event!.start).toBe('2026-03-23T14:00:00.000Z')
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'))
    expect(after.headers.get('last-modified')).toBe(new Date('2026-03-20T13:00:00Z').toUTCString())

    t.clock.set('2026-03-20T14:00:00Z')
    expect((await t.admin('POST', `/bookings/${row.id}/cancel`, {})).status).toBe(200)
    const gone = await t.fetchFeed(url)
    expect(parseFeed(await gone.text()).events).toEqual([])
    // The cancellation moved Last-Modified, so a client asking "changed since?" learns of it.
    expect(gone.headers.get('last-modified')).toBe(new Date('2026-03-20T14:00:00Z').toUTCString())
  })

  it('stops answering at the old address once rotated, and at any address once turned off', async () => {
    const t = setup()
    const resource = await insertResource(database.db)
    const first = await makeFeed(t, resource.id)
    expect((await t.fetchFeed(first)).status).toBe(200)
    const second = await makeFeed(t, resource.id)
    expect(second).not.toBe(first)
    const old = await t.fetchFeed(first)
    expect(old.status).toBe(404)
    const unknown = await t.fetchFeed(`http://localhost/v1/feeds/${'x'.repeat(43)}.ics`)
    expect(unknown.status).toBe(404)
    // Rotated and never-made addresses are indistinguishable.
    expect(await old.json()).toEqual({ error: expect.objectContaining({ code: 'not_found' }) })
    expect((await unknown.json()).error.message).toBe('No such calendar feed.')
    expect((await t.fetchFeed(second)).status).toBe(200)
    const off = await t.admin<AdminCalendarFeedResponse>('DELETE', `/resources/${resource.id}/feed`)
    expect(off.body.feed.url).toBeNull()
    expect((await t.fetchFeed(second)).status).toBe(404)
    expect((await t.fetchFeed('http://localhost/v1/feeds/not-a-feed')).status).toBe(404)
  })

  it('answers 304 to a matching If-None-Match or an If-Modified-Since at or after the last change', async () => {
    const t = setup()
    const resource = await insertResource(database.db)
    await book({
      resourceId: resource.id,
      start: '2026-03-23T09:00:00Z',
      end: '2026-03-23T10:00:00Z',
      updatedAt: '2026-03-15T10:00:00.400Z',
    })
    const url = await makeFeed(t, resource.id)
    const full = await t.fetchFeed(url)
    const etag = full.headers.get('etag')!
    const lastModified = full.headers.get('last-modified')!
    expect(lastModified).toBe('Sun, 15 Mar 2026 10:00:00 GMT')

    const same = await t.fetchFeed(url, { 'If-None-Match': etag })
    expect(same.status).toBe(304)
    expect(await same.text()).toBe('')
    expect(same.headers.get('etag')).toBe(etag)
    expect((await t.fetchFeed(url, { 'If-None-Match': `"other", W/${etag}` })).status).toBe(304)
    expect((await t.fetchFeed(url, { 'If-None-Match': '"other"' })).status).toBe(200)

    expect((await t.fetchFeed(url, { 'If-Modified-Since': lastModified })).status).toBe(304)
    expect((await t.fetchFeed(url, { 'If-Modified-Since': 'Sun, 15 Mar 2026 09:59:59 GMT' })).status).toBe(200)
    // If-None-Match decides when both are sent: a stale tag gets the body.
    expect((await t.fetchFeed(url, { 'If-None-Match': '"other"', 'If-Modified-Since': lastModified })).status).toBe(200)
  })

  it('answers 304 to the tag of a compressed answer too (the Node server compresses)', async () => {
    const clock = fixedClock(NOW)
    const api = createTestApi({ db: database.db, clock, compression: compression({ threshold: 0 }) })
    const resource = await insertResource(database.db)
    await book({ resourceId: resource.id, start: '2026-03-23T09:00:00Z', end: '2026-03-23T10:00:00Z' })
    const made = await api.call<AdminCalendarFeedResponse>('POST', `/v1/admin/resources/${resource.id}/feed`, {
      token: key,
    })
    const path = new URL(made.body.feed.url!).pathname
    const gzipped = await api.app.request(path, { headers: { 'Accept-Encoding': 'gzip' } })
    expect(gzipped.headers.get('content-encoding')).toBe('gzip')
    const etag = gzipped.headers.get('etag')!
    expect(etag).toMatch(/-gz"$/)
    const again = await api.app.request(path, { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': etag } })
    expect(again.status).toBe(304)
  })

  it('shows guest names only when the resource says so', async () => {
    const t = setup()
    const resource = await insertResource(database.db, { name: 'Studio' })
    const row = await book({
      resourceId: resource.id,
      start: '2026-03-23T09:00:00Z',
      end: '2026-03-23T10:00:00Z',
      guestName: 'Jürgen Meier',
    })
    const url = await makeFeed(t, resource.id)
    const hidden = await t.fetchFeed(url)
    expect(parseFeed(await hidden.text()).events[0]!.summary).toBe(`Studio: Booked (${row.ref})`)

    const patched = await t.admin('PATCH', `/resources/${resource.id}`, { config: { feedGuestNames: true } })
    expect(patched.status).toBe(200)
    const view = await t.admin<AdminCalendarFeedResponse>('GET', `/resources/${resource.id}/feed`)
    expect(view.body.feed).toEqual({ url, includeGuestNames: true })
    // The setting changes the body, so the old ETag no longer matches.
    const shown = await t.fetchFeed(url, { 'If-None-Match': hidden.headers.get('etag')! })
    expect(shown.status).toBe(200)
    expect(parseFeed(await shown.text()).events[0]!.summary).toBe(`Studio: Jürgen Meier (${row.ref})`)
  })

  it('emits a booking across the spring-forward night in Berlin at its exact UTC instants', async () => {
    const t = setup()
    const resource = await insertResource(database.db, { timezone: 'Europe/Berlin' })
    // 01:30 CET to 04:30 CEST on 2026-03-29: three hours of wall clock, two elapsed.
    await book({ resourceId: resource.id, start: '2026-03-29T00:30:00Z', end: '2026-03-29T02:30:00Z' })
    // 10:00–11:00 CEST the same day.
    await book({ resourceId: resource.id, start: '2026-03-29T08:00:00Z', end: '2026-03-29T09:00:00Z' })
    const text = await (await t.fetchFeed(await makeFeed(t, resource.id))).text()
    expect(text).toContain('DTSTART:20260329T003000Z')
    expect(parseFeed(text).events.map((e) => [e.start, e.end])).toEqual([
      ['2026-03-29T00:30:00.000Z', '2026-03-29T02:30:00.000Z'],
      ['2026-03-29T08:00:00.000Z', '2026-03-29T09:00:00.000Z'],
    ])
  })

  it('lists the part a combined booking takes of the resource, under the lead booking’s ref', async () => {
    const t = setup()
    const therapist = await insertResource(database.db)
    const room = await insertResource(database.db, { name: 'Room 2' })
    const lead = await book({ resourceId: therapist.id, start: '2026-03-23T09:00:00Z', end: '2026-03-23T10:00:00Z' })
    const part = await book({
      resourceId: room.id,
      start: '2026-03-23T09:00:00Z',
      end: '2026-03-23T10:00:00Z',
      partOf: lead.id,
    })
    const [event] = parseFeed(await (await t.fetchFeed(await makeFeed(t, room.id))).text()).events
    expect(event).toMatchObject({ uid: `${part.ref}@localhost`, summary: `Room 2: Booked (${lead.ref})` })
  })
})
