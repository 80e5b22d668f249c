import { and, eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { bookingSeries, bookings, notifications } from '../../drizzle/schema'
import type { CancelledSeries, CreatedSeries, SeriesAvailability, SeriesResponse } from '../../shared/api-contract'
import type { ErrorBody } from '../../shared/errors'
import type { ResourceConfig } from '../../shared/schemas'
import type { AdminBookingsPage } from '../../shared/api-contract'
import type { PublicBooking, PublicHold } from '../../shared/types'
import { createAdminKey } from '../admin/keys'
import { fixedClock } from '../clock'
import { createClient } from '../../widget/client'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertBooking, insertResource } from '../../test/fixtures'
import { localHour } from '../../test/local-hour'
import { createTestHoldBackend, newSession } from '../../test/holds'

/*
 * Recurring bookings: every date of a series is checked and written together (or the free
 * ones), at the first date's local time in the resource's zone.
 */

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.close()
})

const NOW = '2026-03-01T12:00:00Z'
const ZONE = 'Europe/Berlin'
const guest = { name: 'Ada Lovelace', email: 'ada@example.com' }

function setup(now = NOW) {
  const clock = fixedClock(now)
  return { clock, ...createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds }) }
}
type Api = ReturnType<typeof setup>

/** Open 09:00–12:00 every day, hourly. */
async function resource(config: ResourceConfig = {}) {
  return insertResource(database.db, {
    timezone: ZONE,
    config,
    schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
  })
}

/** 10:00–11:00 Berlin time on `date`, plus `weeks` weeks, as instants. */
const local = (date: string, time = '10:00', weeks = 0) => localHour(ZONE, date, time, weeks)
const iso = (ms: number) => new Date(ms).toISOString()

async function hold(api: Api, resourceId: string, start: number, session: string) {
  const res = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
    session,
    body: { resourceId, start: iso(start) },
  })
  expect(res.status).toBe(201)
  return res.body.hold
}

async function bookSeries(api: Api, resourceId: string, first: number, body: Record<string, unknown>) {
  const session = newSession()
  const h = await hold(api, resourceId, first, session)
  return api.call<CreatedSeries & ErrorBody>('POST', '/v1/bookings/series', {
    session,
    body: { holdId: h.id, guest, ...body },
  })
}

async function rowsOf(resourceId: string) {
  return database.db.select().from(bookings).where(eq(bookings.resourceId, resourceId))
}

/** A resource with the 7th and 11th of 12 Monday 10:00 dates (from 2 March) booked by others. */
async function twoTaken() {
  const r = await resource()
  const dates = Array.from({ length: 12 }, (_, k) => local('2026-03-02', '10:00', k))
  for (const k of [6, 10])
    await insertBooking(database.db, {
      resourceId: r.id,
      start: new Date(dates[k]!.start),
      end: new Date(dates[k]!.end),
    })
  return { r, dates, taken: [dates[6]!, dates[10]!] }
}

describe('a 12-week series with two dates taken', () => {
  it('all_or_nothing: 409 slot_taken listing exactly the two dates, nothing written', async () => {
    const api = setup()
    const { r, dates, taken } = await twoTaken()
    const res = await bookSeries(api, r.id, dates[0]!.start, {
      repeat: { everyWeeks: 1, occurrences: 12 },
      mode: 'all_or_nothing',
    })
    expect([res.status, res.body.error.code]).toEqual([409, 'slot_taken'])
    expect((res.body.error.details as { conflicts: unknown[] }).conflicts).toEqual(
      taken.map((t) => ({ date: t.date, start: iso(t.start), end: iso(t.end), reason: 'taken' })),
    )
    expect(await rowsOf(r.id)).toHaveLength(2)
    expect(await database.db.select().from(bookingSeries).where(eq(bookingSeries.resourceId, r.id))).toHaveLength(0)
  })

  it('skip_conflicts: books the 10 free dates and names the 2 skipped', async () => {
    const api = setup()
    const { r, dates, taken } = await twoTaken()
    const res = await bookSeries(api, r.id, dates[0]!.start, {
      repeat: { everyWeeks: 1, occurrences: 12 },
      mode: 'skip_conflicts',
    })
    expect(res.status).toBe(201)
    const { series } = res.body
    expect(series.bookings).toHaveLength(10)
    expect(series.bookings.map((b) => b.start)).toEqual(
      dates.filter((_, k) => k !== 6 && k !== 10).map((d) => iso(d.start)),
    )
    expect(series.bookings.every((b) => b.status === 'confirmed' && b.seriesRef === series.ref)).toBe(true)
    expect(series.skipped).toEqual(
      taken.map((t) => ({ date: t.date, start: iso(t.start), end: iso(t.end), reason: 'taken' })),
    )
    expect(series.skippedDates).toEqual(taken.map((t) => t.date))
    const rows = await rowsOf(r.id)
    expect(rows.filter((row) => row.seriesId === series.id)).toHaveLength(10)
  })

  it('series-availability reports all 12 dates, the 7th and 11th not free', async () => {
    const api = setup()
    const { r, dates } = await twoTaken()
    const res = await api.call<SeriesAvailability>(
      'GET',
      `/v1/resources/${r.slug}/series-availability?start=${iso(dates[0]!.start)}&end=${iso(dates[0]!.end)}&everyWeeks=1&occurrences=12`,
    )
    expect(res.status).toBe(200)
    expect(res.body.occurrences).toHaveLength(12)
    expect(res.body.occurrences.map((o) => o.start)).toEqual(dates.map((d) => iso(d.start)))
    const busy = res.body.occurrences.flatMap((o, k) => (o.free ? [] : [[k + 1, o.reason]]))
    expect(busy).toEqual([
      [7, 'taken'],
      [11, 'taken'],
    ])
  })

  it('counts another guest’s live hold on a later date as not free', async () => {
    const api = setup()
    const r = await resource()
    const first = local('2026-03-02')
    const third = local('2026-03-02', '10:00', 2)
    await hold(api, r.id, third.start, newSession())
    const res = await bookSeries(api, r.id, first.start, {
      repeat: { everyWeeks: 1, occurrences: 4 },
      mode: 'all_or_nothing',
    })
    expect(res.status).toBe(409)
    expect(res.body.error.details).toEqual({
      conflicts: [{ date: third.date, start: iso(third.start), end: iso(third.end), reason: 'held' }],
    })
  })
})

describe('a retried series request', () => {
  it('replays the first answer with each skipped date’s own reason (taken, held, closed)', async () => {
    const api = setup()
    const dates = Array.from({ length: 5 }, (_, k) => local('2026-03-02', '10:00', k))
    // The 4th date is a closed day; the 2nd is booked, the 3rd held by another guest.
    const r = await insertResource(database.db, {
      timezone: ZONE,
      schedules: [
        ...everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
        { specificDate: dates[3]!.date, startTime: '00:00', endTime: '24:00', isAvailable: false },
      ],
    })
    await insertBooking(database.db, {
      resourceId: r.id,
      start: new Date(dates[1]!.start),
      end: new Date(dates[1]!.end),
    })
    await hold(api, r.id, dates[2]!.start, newSession())
    const session = newSession()
    const h = await hold(api, r.id, dates[0]!.start, session)
    const send = () =>
      api.call<CreatedSeries & ErrorBody>('POST', '/v1/bookings/series', {
        session,
        headers: { 'Idempotency-Key': 'series-retry-1' },
        body: { holdId: h.id, guest, repeat: { everyWeeks: 1, occurrences: 5 }, mode: 'skip_conflicts' },
      })
    const first = await send()
    expect(first.status).toBe(201)
    const reasons = first.body.series.skipped.map((s) => [s.date, s.reason])
    expect(reasons).toEqual([
      [dates[1]!.date, 'taken'],
      [dates[2]!.date, 'held'],
      [dates[3]!.date, 'closed'],
    ])
    const again = await send()
    expect(again.status).toBe(201)
    expect(again.headers.get('Idempotent-Replayed')).toBe('true')
    expect(again.body.series.ref).toBe(first.body.series.ref)
    expect(again.body.series.skipped).toEqual(first.body.series.skipped)
  })
})

describe('the dates of a series', () => {
  it.each([
    [
      'spring (2026-03-29)',
      '2026-03-23',
      ['2026-03-23T09:00:00.000Z', '2026-03-30T08:00:00.000Z', '2026-04-06T08:00:00.000Z'],
    ],
    [
      'autumn (2026-10-25)',
      '2026-10-19',
      ['2026-10-19T08:00:00.000Z', '2026-10-26T09:00:00.000Z', '2026-11-02T09:00:00.000Z'],
    ],
  ])('keeps 10:00 Berlin time across the DST change in %s', async (_label, firstDate, starts) => {
    const api = setup()
    const r = await resource()
    const res = await bookSeries(api, r.id, local(firstDate).start, {
      repeat: { everyWeeks: 1, occurrences: 3 },
      mode: 'all_or_nothing',
    })
    expect(res.status).toBe(201)
    expect(res.body.series.bookings.map((b) => b.start)).toEqual(starts)
  })

  it('runs up to and including an until date', async () => {
    const api = setup()
    const r = await resource()
    const res = await bookSeries(api, r.id, local('2026-03-02').start, {
      repeat: { everyWeeks: 1, until: '2026-03-30' },
      mode: 'all_or_nothing',
    })
    expect(res.status).toBe(201)
    expect(res.body.series.until).toBe('2026-03-30')
    expect(res.body.series.bookings.map((b) => b.start.slice(0, 10))).toEqual([
      '2026-03-02',
      '2026-03-09',
      '2026-03-16',
      '2026-03-23',
      '2026-03-30',
    ])
  })

  it('repeats every 2 weeks', async () => {
    const api = setup()
    const r = await resource()
    const res = await bookSeries(api, r.id, local('2026-03-02').start, {
      repeat: { everyWeeks: 2, occurrences: 3 },
      mode: 'skip_conflicts',
    })
    expect(res.status).toBe(201)
    expect(res.body.series.bookings.map((b) => b.start.slice(0, 10))).toEqual([
      '2026-03-02',
      '2026-03-16',
      '2026-03-30',
    ])
  })

  it.each([
    ['both occurrences and until', { everyWeeks: 1, occurrences: 3, until: '2026-04-01' }, 'repeat.occurrences'],
    ['more than 52 occurrences', { everyWeeks: 1, occurrences: 53 }, 'repeat.occurrences'],
    ['an until past the horizon', { everyWeeks: 1, until: '2026-05-01' }, 'repeat.until'],
  ])('refuses %s with 400 invalid_request', async (_label, repeat, path) => {
    const api = setup()
    const r = await resource({ horizonDays: 30 })
    const res = await bookSeries(api, r.id, local('2026-03-02').start, { repeat, mode: 'all_or_nothing' })
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_request'])
    expect((res.body.error.details as { path: string }[]).map((d) => d.path)).toContain(path)
    expect(await rowsOf(r.id)).toHaveLength(0)
  })

  it('names dates past the horizon as closed', async () => {
    const api = setup()
    const r = await resource({ horizonDays: 20 })
    const res = await bookSeries(api, r.id, local('2026-03-02').start, {
      repeat: { everyWeeks: 1, occurrences: 4 },
      mode: 'skip_conflicts',
    })
    expect(res.status).toBe(201)
    expect(res.body.series.bookings).toHaveLength(3)
    expect(res.body.series.skipped.map((s) => [s.date, s.reason])).toEqual([['2026-03-23', 'closed']])
  })
})

describe('managing a series', () => {
  it('one manage token opens the series and every occurrence', async () => {
    const api = setup()
    const r = await resource()
    const res = await bookSeries(api, r.id, local('2026-03-02').start, {
      repeat: { everyWeeks: 1, occurrences: 4 },
      mode: 'all_or_nothing',
    })
    const { series, manageToken } = res.body
    for (const b of series.bookings) {
      const one = await api.call<{ booking: PublicBooking }>('GET', `/v1/bookings/${b.ref}`, { token: manageToken })
      expect([
        one.status,
        one.body.booking.start,
        one.body.booking.seriesRef,
        one.body.booking.seriesEveryWeeks,
      ]).toEqual([200, b.start, series.ref, 1])
    }
    const got = await api.call<SeriesResponse>('GET', `/v1/series/${series.ref}`, { token: manageToken })
    expect(got.status).toBe(200)
    expect(got.body.series.bookings.map((b) => b.ref)).toEqual(series.bookings.map((b) => b.ref))
    const wrong = await api.call<ErrorBody>('GET', `/v1/series/${series.ref}`, { token: 'x'.repeat(43) })
    expect(wrong.status).toBe(404)
  })

  it('announces the series once and reminds of every date', async () => {
    const api = setup()
    const r = await resource()
    const res = await bookSeries(api, r.id, local('2026-03-02').start, {
      repeat: { everyWeeks: 1, occurrences: 5 },
      mode: 'all_or_nothing',
    })
    const ids = (await rowsOf(r.id)).map((row) => row.id)
    const messages = await database.db.select().from(notifications).where(inArray(notifications.bookingId, ids))
    const count = (event: string) => messages.filter((m) => m.event === event && m.channel === 'email').length
    expect(res.status).toBe(201)
    expect([count('created'), count('admin_new_booking'), count('reminder_24h')]).toEqual([1, 1, 5])
  })

  it('cancelling the series cancels the future dates only; cancelling one date leaves the others', async () => {
    const api = setup()
    const r = await resource()
    const res = await bookSeries(api, r.id, local('2026-03-02').start, {
      repeat: { everyWeeks: 1, occurrences: 6 },
      mode: 'all_or_nothing',
    })
    const { series, manageToken } = res.body
    const [, second, third] = series.bookings
    const one = await api.call<{ booking: PublicBooking }>('POST', `/v1/bookings/${third!.ref}/cancel`, {
      token: manageToken,
      body: {},
    })
    expect([one.status, one.body.booking.status]).toEqual([200, 'cancelled'])
    const statuses = async () =>
      (await database.db.select().from(bookings).where(eq(bookings.seriesId, series.id)))
        .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
        .map((row) => row.status)
    expect(await statuses()).toEqual(['confirmed', 'confirmed', 'cancelled', 'confirmed', 'confirmed', 'confirmed'])

    // A day after the second date: the first two are past.
    api.clock.set(new Date(Date.parse(second!.start) + 86_400_000))
    const cancelled = await api.call<CancelledSeries>('POST', `/v1/series/${series.ref}/cancel`, {
      token: manageToken,
      body: { reason: 'moving away' },
    })
    expect(cancelled.status).toBe(200)
    expect(cancelled.body.cancelled).toEqual(series.bookings.slice(3).map((b) => b.ref))
    expect(cancelled.body.kept).toEqual([])
    expect(await statuses()).toEqual(['confirmed', 'confirmed', 'cancelled', 'cancelled', 'cancelled', 'cancelled'])
  })

  it('moves one occurrence with the booking route and leaves the others where they were', async () => {
    const api = setup()
    const r = await resource()
    const res = await bookSeries(api, r.id, local('2026-03-02').start, {
      repeat: { everyWeeks: 1, occurrences: 3 },
      mode: 'all_or_nothing',
    })
    const { series, manageToken } = res.body
    const session = newSession()
    const to = local('2026-03-10', '11:00')
    const h = await hold(api, r.id, to.start, session)
    const moved = await api.call<{ booking: PublicBooking }>(
      'POST',
      `/v1/bookings/${series.bookings[1]!.ref}/reschedule`,
      {
        session,
        token: manageToken,
        body: { holdId: h.id },
      },
    )
    expect([moved.status, moved.body.booking.start]).toEqual([200, iso(to.start)])
    const got = await api.call<SeriesResponse>('GET', `/v1/series/${series.ref}`, { token: manageToken })
    expect(got.body.series.bookings.map((b) => b.start)).toEqual([
      series.bookings[0]!.start,
      iso(to.start),
      series.bookings[2]!.start,
    ])
  })

  it('the owner sees each occurrence’s series and cancels the series’ future dates', async () => {
    const api = setup()
    const r = await resource()
    const { key } = await createAdminKey(database.db, 'series tests')
    const res = await bookSeries(api, r.id, local('2026-03-02').start, {
      repeat: { everyWeeks: 1, occurrences: 3 },
      mode: 'all_or_nothing',
    })
    const { series } = res.body
    const page = await api.call<AdminBookingsPage>('GET', `/v1/admin/bookings?resourceId=${r.id}`, { token: key })
    expect(page.status).toBe(200)
    const mine = page.body.bookings.filter((b) => b.resourceId === r.id)
    expect(mine.map((b) => [b.seriesId, b.seriesRef, b.seriesEveryWeeks])).toEqual(
      mine.map(() => [series.id, series.ref, 1]),
    )
    expect(mine).toHaveLength(3)
    const anonymous = await api.call<ErrorBody>('POST', `/v1/admin/series/${series.id}/cancel`, { body: {} })
    expect(anonymous.status).toBe(401)
    const cancelled = await api.call<CancelledSeries>('POST', `/v1/admin/series/${series.id}/cancel`, {
      token: key,
      body: { reason: 'room closed' },
    })
    expect(cancelled.status).toBe(200)
    expect(cancelled.body.cancelled).toHaveLength(3)
    expect(cancelled.body.series.bookings.map((b) => b.status)).toEqual(['cancelled', 'cancelled', 'cancelled'])
  })

  it('refuses a prepaid series with 422 payment_unavailable on a server without online payment', async () => {
    const api = setup()
    const r = await resource({ payment: 'full', price: { amount: 2000, currency: 'EUR' } })
    const res = await bookSeries(api, r.id, local('2026-03-02').start, {
      repeat: { everyWeeks: 1, occurrences: 3 },
      mode: 'all_or_nothing',
    })
    expect([res.status, res.body.error.code]).toEqual([422, 'payment_unavailable'])
    expect(res.body.error.message).toMatch(/online payment is not set up/)
    expect(await rowsOf(r.id)).toHaveLength(0)
  })
})

describe('concurrent series', () => {
  it('two guests booking overlapping series at once: one wins every shared date, the other writes nothing', async () => {
    const api = setup()
    const r = await resource()
    // Weekly from 9 March and every 2 weeks from 2 March: they share 16 and 30 March and 13 April.
    const sessions = [newSession(), newSession()]
    const holds = [
      await hold(api, r.id, local('2026-03-09').start, sessions[0]!),
      await hold(api, r.id, local('2026-03-02').start, sessions[1]!),
    ]
    const repeats = [
      { everyWeeks: 1, occurrences: 6 },
      { everyWeeks: 2, occurrences: 4 },
    ]
    const results = await Promise.all(
      [0, 1].map((k) =>
        api.call<CreatedSeries & ErrorBody>('POST', '/v1/bookings/series', {
          session: sessions[k]!,
          body: { holdId: holds[k]!.id, guest, repeat: repeats[k], mode: 'all_or_nothing' },
        }),
      ),
    )
    expect(results.map((res) => res.status).sort()).toEqual([201, 409])
    const loser = results.find((res) => res.status === 409)!
    expect(loser.body.error.code).toBe('slot_taken')
    expect((loser.body.error.details as { conflicts: unknown[] }).conflicts.length).toBeGreaterThan(0)
    const winner = results.find((res) => res.status === 201)!
    const active = await database.db
      .select()
      .from(bookings)
      .where(and(eq(bookings.resourceId, r.id), inArray(bookings.status, ['confirmed', 'pending'])))
    expect(active.map((row) => row.seriesId)).toEqual(active.map(() => winner.body.series.id))
    expect(new Set(active.map((row) => row.startsAt.getTime())).size).toBe(active.length)
  })

  it('two guests skipping conflicts at once: each shared date goes to exactly one of them', async () => {
    const api = setup()
    const r = await resource()
    const sessions = [newSession(), newSession()]
    const holds = [
      await hold(api, r.id, local('2026-03-09').start, sessions[0]!),
      await hold(api, r.id, local('2026-03-02').start, sessions[1]!),
    ]
    const repeats = [
      { everyWeeks: 1, occurrences: 6 },
      { everyWeeks: 2, occurrences: 4 },
    ]
    const results = await Promise.all(
      [0, 1].map((k) =>
        api.call<CreatedSeries>('POST', '/v1/bookings/series', {
          session: sessions[k]!,
          body: { holdId: holds[k]!.id, guest, repeat: repeats[k], mode: 'skip_conflicts' },
        }),
      ),
    )
    expect(results.map((res) => res.status)).toEqual([201, 201])
    const booked = results.flatMap((res) => res.body.series.bookings.map((b) => b.start))
    // 6 + 4 dates, 3 of them shared: 7 distinct dates, each booked once.
    expect(booked).toHaveLength(7)
    expect(new Set(booked).size).toBe(7)
    const skipped = results.flatMap((res) => res.body.series.skipped.map((s) => s.start))
    expect(skipped.sort()).toEqual(['2026-03-16', '2026-03-30', '2026-04-13'].map((d) => iso(local(d).start)).sort())
  })
})

describe('the SDK', () => {
  it('checks, books, reads and cancels a series through the typed client', async () => {
    const api = setup()
    const r = await resource()
    // Only the SDK's calls go to the app: the Redis hold store speaks HTTP through fetch too.
    const realFetch = globalThis.fetch
    vi.stubGlobal('fetch', (url: string | URL | Request, init?: RequestInit) =>
      String(url).startsWith('http://api.test/') ? api.app.request(String(url), init) : realFetch(url, init),
    )
    try {
      const client = createClient({ apiUrl: 'http://api.test' })
      const first = local('2026-03-02')
      const free = await client.getSeriesAvailability(r.slug, {
        start: iso(first.start),
        end: iso(first.end),
        everyWeeks: 2,
        occurrences: 3,
      })
      expect(free.data?.occurrences.map((o) => o.free)).toEqual([true, true, true])
      const held = await client.placeHold({ resourceId: r.id, start: iso(first.start) })
      const booked = await client.bookSeries({
        holdId: held.data!.id,
        guest,
        repeat: { everyWeeks: 2, occurrences: 3 },
        mode: 'all_or_nothing',
      })
      expect(booked.data?.series.bookings).toHaveLength(3)
      const { ref } = booked.data!.series
      const token = booked.data!.manageToken
      expect((await client.getSeries(ref, token)).data?.ref).toBe(ref)
      const cancelled = await client.cancelSeries(ref, token, 'plans changed')
      expect(cancelled.data?.cancelled).toHaveLength(3)
      const again = await client.bookSeries({
        holdId: held.data!.id,
        guest,
        repeat: { everyWeeks: 2, occurrences: 3 },
        mode: 'all_or_nothing',
      })
      expect(again.error?.code).toBe('hold_expired')
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('refuses a series-availability query without an end to its repeat', async () => {
    const api = setup()
    const r = await resource()
    const first = local('2026-03-02')
    const res = await api.call<ErrorBody>(
      'GET',
      `/v1/resources/${r.slug}/series-availability?start=${iso(first.start)}&end=${iso(first.end)}&everyWeeks=1`,
    )
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_request'])
  })
})
