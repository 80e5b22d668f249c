import { and, eq, inArray } from 'drizzle-orm'
import { Temporal } from 'temporal-polyfill'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { bookings, notifications } from '../../drizzle/schema'
import type { CreatedSeries, MovedSeries, SeriesConflict } from '../../shared/api-contract'
import type { ErrorBody } from '../../shared/errors'
import type { ResourceConfig } from '../../shared/schemas'
import type { PublicHold } from '../../shared/types'
import { createAdminKey } from '../admin/keys'
import { fixedClock } from '../clock'
import { createClient } from '../../widget/client'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertBooking, insertResource } from '../../test/fixtures'
import { localHour } from '../../test/local-hour'
import { createTestHoldBackend, newSession } from '../../test/holds'

/*
 * Moving a whole series: every future date moves by the next date's local shift, at the new
 * local wall time, all in one transaction or none.
 */

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.close()
})

const NOW = '2026-10-01T12:00:00Z'
const ZONE = 'Europe/Berlin'
const guest = { name: 'Ada Lovelace', email: 'ada@example.com' }
const iso = (ms: number) => new Date(ms).toISOString()

function setup(now = NOW) {
  const clock = fixedClock(now)
  return { clock, ...createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds }) }
}
type Api = ReturnType<typeof setup>

/** Open 09:00–21:00 every day, hourly, in Berlin. */
async function resource(config: ResourceConfig = {}) {
  return insertResource(database.db, {
    timezone: ZONE,
    config,
    schedules: everyDay({ startTime: '09:00', endTime: '21:00', slotDuration: 60 }),
  })
}

/** An hour at `time` Berlin time on `date` plus `weeks` weeks, as instants. */
const local = (date: string, time: string, weeks = 0) => localHour(ZONE, date, time, weeks)

/** Tuesdays 18:00 from 6 October 2026 (the clocks go back on 25 October). */
async function tuesdaySeries(api: Api, resourceId: string, occurrences = 12, email = guest.email) {
  const session = newSession()
  const first = local('2026-10-06', '18:00')
  const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
    session,
    body: { resourceId, start: iso(first.start) },
  })
  expect(hold.status).toBe(201)
  const res = await api.call<CreatedSeries>('POST', '/v1/bookings/series', {
    session,
    body: {
      holdId: hold.body.hold.id,
      guest: { ...guest, email },
      repeat: { everyWeeks: 1, occurrences },
      mode: 'all_or_nothing',
    },
  })
  expect(res.status).toBe(201)
  return res.body
}

async function rowsOf(seriesId: string) {
  return (await database.db.select().from(bookings).where(eq(bookings.seriesId, seriesId))).sort(
    (a, b) => a.startsAt.getTime() - b.startsAt.getTime(),
  )
}

const thursdays = (count: number) => Array.from({ length: count }, (_, k) => local('2026-10-08', '19:00', k))

describe('moving a whole series', () => {
  it('keeps Thursday 19:00 Berlin time for all 12 dates across the DST change', async () => {
    const api = setup()
    const r = await resource()
    const { series, manageToken } = await tuesdaySeries(api, r.id)
    const res = await api.call<MovedSeries>('POST', `/v1/series/${series.ref}/reschedule`, {
      token: manageToken,
      body: { start: iso(local('2026-10-08', '19:00').start) },
    })
    expect(res.status).toBe(200)
    const expected = thursdays(12).map((d) => iso(d.start))
    expect(res.body.series.bookings.map((b) => b.start)).toEqual(expected)
    // 17:00 UTC in summer time, 18:00 UTC once the clocks went back.
    expect(expected.slice(2, 4)).toEqual(['2026-10-22T17:00:00.000Z', '2026-10-29T18:00:00.000Z'])
    expect(res.body.moved).toEqual(series.bookings.map((b) => b.ref))
    const rows = await rowsOf(series.id)
    expect(rows.map((row) => [iso(row.startsAt.getTime()), row.endsAt.getTime() - row.startsAt.getTime()])).toEqual(
      expected.map((start) => [start, 3_600_000]),
    )
    expect(rows.every((row) => row.version === 2)).toBe(true)

    // The same request again (a retry after a lost response) moves nothing.
    const again = await api.call<MovedSeries>('POST', `/v1/series/${series.ref}/reschedule`, {
      token: manageToken,
      body: { start: expected[0] },
    })
    expect([again.status, again.body.moved]).toEqual([200, []])
    expect((await rowsOf(series.id)).every((row) => row.version === 2)).toBe(true)
  })

  it('moves only the future dates, by the next one’s shift, and half an hour onto its own old times', async () => {
    const api = setup()
    const r = await resource({ slotStepMin: 30 })
    const { series, manageToken } = await tuesdaySeries(api, r.id, 4)
    // Past the first date: the second (13 October) is the next one.
    api.clock.set(new Date('2026-10-07T12:00:00Z'))
    const res = await api.call<MovedSeries>('POST', `/v1/series/${series.ref}/reschedule`, {
      token: manageToken,
      body: { start: iso(local('2026-10-13', '18:30').start) },
    })
    expect(res.status).toBe(200)
    expect(res.body.series.bookings.map((b) => b.start)).toEqual([
      series.bookings[0]!.start,
      ...[1, 2, 3].map((k) => iso(local('2026-10-06', '18:30', k).start)),
    ])
    expect(res.body.moved).toEqual(series.bookings.slice(1).map((b) => b.ref))
  })

  it('a conflict on two dates: 409 slot_taken listing both, nothing moved', async () => {
    const api = setup()
    const r = await resource()
    const { series, manageToken } = await tuesdaySeries(api, r.id)
    const targets = thursdays(12)
    for (const k of [3, 8])
      await insertBooking(database.db, {
        resourceId: r.id,
        start: new Date(targets[k]!.start),
        end: new Date(targets[k]!.end),
      })
    const before = await rowsOf(series.id)
    const res = await api.call<ErrorBody>('POST', `/v1/series/${series.ref}/reschedule`, {
      token: manageToken,
      body: { start: iso(targets[0]!.start) },
    })
    expect([res.status, res.body.error.code]).toEqual([409, 'slot_taken'])
    expect((res.body.error.details as { conflicts: SeriesConflict[] }).conflicts).toEqual(
      [targets[3]!, targets[8]!].map((t) => ({ date: t.date, start: iso(t.start), end: iso(t.end), reason: 'taken' })),
    )
    const after = await rowsOf(series.id)
    expect(after.map((row) => [row.startsAt, row.version])).toEqual(before.map((row) => [row.startsAt, 1]))
  })

  it('the limits trigger refuses the whole move (409 limit_reached), nothing moved', async () => {
    const api = setup()
    const r = await resource({ limits: { perGuestPerDay: 1 } })
    const { series, manageToken } = await tuesdaySeries(api, r.id, 6, 'guest@example.com')
    // The same guest (the fixture's address) already has the morning of the fourth Thursday.
    await insertBooking(database.db, {
      resourceId: r.id,
      start: new Date(local('2026-10-29', '10:00').start),
      end: new Date(local('2026-10-29', '11:00').start),
    })
    const res = await api.call<ErrorBody>('POST', `/v1/series/${series.ref}/reschedule`, {
      token: manageToken,
      body: { start: iso(local('2026-10-08', '19:00').start) },
    })
    expect([res.status, res.body.error.code]).toEqual([409, 'limit_reached'])
    expect((await rowsOf(series.id)).map((row) => [iso(row.startsAt.getTime()), row.version])).toEqual(
      series.bookings.map((b) => [b.start, 1]),
    )
  })

  it('refuses a date the schedule does not offer as closed', async () => {
    const api = setup()
    const r = await resource()
    const { series, manageToken } = await tuesdaySeries(api, r.id, 3)
    const res = await api.call<ErrorBody>('POST', `/v1/series/${series.ref}/reschedule`, {
      token: manageToken,
      body: { start: iso(local('2026-10-08', '22:00').start) },
    })
    expect([res.status, res.body.error.code]).toEqual([409, 'slot_taken'])
    expect((res.body.error.details as { conflicts: SeriesConflict[] }).conflicts.map((c) => c.reason)).toEqual([
      'closed',
      'closed',
      'closed',
    ])
  })

  it('a guest inside a date’s reschedule notice is refused (422 naming it); the owner is not bound by notice', async () => {
    const api = setup()
    const r = await resource({ minRescheduleNoticeHours: 48, minNoticeMin: 72 * 60 })
    const { series, manageToken } = await tuesdaySeries(api, r.id, 4)
    // 22 hours before the first date; the new first date is inside the booking notice too.
    api.clock.set(new Date('2026-10-05T18:00:00Z'))
    const body = { start: iso(local('2026-10-08', '19:00').start) }
    const byGuest = await api.call<ErrorBody>('POST', `/v1/series/${series.ref}/reschedule`, {
      token: manageToken,
      body,
    })
    expect([byGuest.status, byGuest.body.error.code]).toEqual([422, 'reschedule_closed'])
    expect((byGuest.body.error.details as { closed: { ref: string }[] }).closed.map((c) => c.ref)).toEqual([
      series.bookings[0]!.ref,
    ])
    expect((await rowsOf(series.id)).every((row) => row.version === 1)).toBe(true)

    const { key } = await createAdminKey(database.db, 'series move tests')
    const anonymous = await api.call<ErrorBody>('POST', `/v1/admin/series/${series.id}/reschedule`, { body })
    expect(anonymous.status).toBe(401)
    const byOwner = await api.call<MovedSeries>('POST', `/v1/admin/series/${series.id}/reschedule`, {
      token: key,
      body,
    })
    expect(byOwner.status).toBe(200)
    expect(byOwner.body.series.bookings.map((b) => b.start)).toEqual(thursdays(4).map((d) => iso(d.start)))
  })

  it('writes each moved date’s messages as a single move does', async () => {
    const api = setup()
    const r = await resource()
    const { series, manageToken } = await tuesdaySeries(api, r.id, 3)
    const res = await api.call<MovedSeries>('POST', `/v1/series/${series.ref}/reschedule`, {
      token: manageToken,
      body: { start: iso(local('2026-10-08', '19:00').start) },
    })
    expect(res.status).toBe(200)
    const rows = await rowsOf(series.id)
    const messages = await database.db
      .select()
      .from(notifications)
      .where(
        inArray(
          notifications.bookingId,
          rows.map((row) => row.id),
        ),
      )
    const of = (bookingId: string, event: string) =>
      messages.filter((m) => m.bookingId === bookingId && m.event === event && m.channel === 'email')
    // The series was announced by its first date: that one's guest and owner hear of the move,
    // from the old time to the new.
    const [first] = rows
    expect(of(first!.id, 'moved')).toEqual([
      expect.objectContaining({
        version: 2,
        payload: {
          move: {
            from: { start: series.bookings[0]!.start, end: series.bookings[0]!.end },
            to: { start: first!.startsAt.toISOString(), end: first!.endsAt.toISOString() },
          },
        },
      }),
    ])
    expect(of(first!.id, 'admin_moved')).toHaveLength(1)
    // Every date is reminded of at its new time; reminders for the old one are dropped.
    for (const row of rows) {
      const reminders = of(row.id, 'reminder_24h')
      expect(reminders.map((m) => [m.version, m.status])).toEqual(
        expect.arrayContaining([
          [1, 'skipped'],
          [2, 'pending'],
        ]),
      )
      expect(reminders.find((m) => m.version === 2)?.sendAfter.getTime()).toBe(row.startsAt.getTime() - 86_400_000)
    }
  })

  it('two moves of the same series at once: one wins, the other 409, never a half-moved series', async () => {
    // Both requests read the series and check their dates before either writes: each waits
    // at its check of other guests' holds until the other has got there too.
    const clock = fixedClock(NOW)
    const holds = createTestHoldBackend(clock).holds
    let arrived: (() => void)[] | undefined
    const listLive: typeof holds.listLive = async (...args) => {
      if (arrived) {
        const waiting = arrived
        await new Promise<void>((resolve) => {
          waiting.push(resolve)
          if (waiting.length === 2) for (const go of waiting) go()
        })
      }
      return holds.listLive(...args)
    }
    const api = {
      clock,
      ...createTestApi({ db: database.db, clock, holds: Object.assign(Object.create(holds), { listLive }) }),
    }
    const r = await resource()
    const { series, manageToken } = await tuesdaySeries(api, r.id, 8)
    const starts = [local('2026-10-08', '19:00'), local('2026-10-09', '10:00')]
    arrived = []
    const results = await Promise.all(
      starts.map((to) =>
        api.call<MovedSeries & ErrorBody>('POST', `/v1/series/${series.ref}/reschedule`, {
          token: manageToken,
          body: { start: iso(to.start) },
        }),
      ),
    )
    expect(results.map((res) => res.status).sort()).toEqual([200, 409])
    const winner = results.findIndex((res) => res.status === 200)
    // The loser read the series before the winner moved it: its plan is stale, so it is refused.
    expect(results[1 - winner]!.body.error.code).toBe('invalid_transition')
    const rows = await rowsOf(series.id)
    const wall = (ms: number) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(ZONE)
    const expected = wall(starts[winner]!.start)
    expect(new Set(rows.map((row) => wall(row.startsAt.getTime()).dayOfWeek))).toEqual(new Set([expected.dayOfWeek]))
    expect(new Set(rows.map((row) => wall(row.startsAt.getTime()).toPlainTime().toString()))).toEqual(
      new Set([expected.toPlainTime().toString()]),
    )
    expect(rows.map((row) => row.version)).toEqual(rows.map(() => 2))
    const active = await database.db
      .select()
      .from(bookings)
      .where(and(eq(bookings.resourceId, r.id), inArray(bookings.status, ['confirmed', 'pending'])))
    expect(active).toHaveLength(8)
  })

  it('the SDK moves a series with the manage token', async () => {
    const api = setup()
    const r = await resource()
    const { series, manageToken } = await tuesdaySeries(api, r.id, 3)
    const realFetch = globalThis.fetch
    vi.stubGlobal('fetch', (url: string | URL | Request, init?: RequestInit) =>
      String(url).startsWith('http://api.test/') ? api.app.request(String(url), init) : realFetch(url, init),
    )
    try {
      const client = createClient({ apiUrl: 'http://api.test' })
      const moved = await client.rescheduleSeries(series.ref, manageToken, {
        start: iso(local('2026-10-08', '19:00').start),
      })
      expect(moved.data?.moved).toHaveLength(3)
      const wrong = await client.rescheduleSeries(series.ref, 'x'.repeat(43), { start: iso(Date.now()) })
      expect(wrong.error?.code).toBe('not_found')
    } finally {
      vi.unstubAllGlobals()
    }
  })
})
