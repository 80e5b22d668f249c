import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { BookingError, type ErrorBody } from '../../shared/errors'
import { resolveOfferedSlot } from '../bookings/resolve-slot'
import type { Database } from '../db/database'
import { createResourceCatalog } from '../store/resource-catalog'
import { fixedClock } from '../clock'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertBooking, insertResource } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'

/**
 * Crowds on one slot, through the app against the configured database and hold store
 * (PostgreSQL + Redis, or the embedded pair): hundreds of requests in flight at once, so
 * the shared booked-interval reads and the batched hold placements are really exercised.
 */
let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.close()
})

const NOW = '2026-03-20T12:00:00Z'
// Berlin is UTC+1 until 29 March: 09:00–17:00 local is 08:00Z–16:00Z.
const at = (hourZ: number, minute = 0) =>
  `2026-03-24T${String(hourZ).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00.000Z`

function setup() {
  const clock = fixedClock(NOW)
  const backend = createTestHoldBackend(clock)
  return createTestApi({ db: database.db, clock, holds: backend.holds, limits: { holdsPerSession: 2 } })
}

const room = () =>
  insertResource(database.db, { schedules: everyDay({ startTime: '09:00', endTime: '17:00', slotDuration: 60 }) })

function tally(results: { status: number; body: ErrorBody }[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const r of results) {
    const key = r.status === 201 ? '201' : `${r.status} ${r.body.error?.code}`
    counts[key] = (counts[key] ?? 0) + 1
  }
  return counts
}

describe('POST /v1/holds under a crowd', () => {
  it('grants 400 simultaneous holds on one slot exactly once; the rest are 409 slot_held', async () => {
    const { call } = setup()
    const r = await room()
    const results = await Promise.all(
      Array.from({ length: 400 }, () =>
        call<ErrorBody>('POST', '/v1/holds', { session: newSession(), body: { resourceId: r.id, start: at(9) } }),
      ),
    )
    expect(tally(results)).toEqual({ '201': 1, '409 slot_held': 399 })
  })

  it('grants each of four slots once when 400 requests spread over them at once', async () => {
    const { call } = setup()
    const r = await room()
    const results = await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        call<ErrorBody>('POST', '/v1/holds', {
          session: newSession(),
          body: { resourceId: r.id, start: at(9 + (i % 4)) },
        }),
      ),
    )
    expect(tally(results)).toEqual({ '201': 4, '409 slot_held': 396 })
  })

  it('refuses every one of a crowd on a booked slot (409 slot_taken) and on a time not offered (422)', async () => {
    const { call } = setup()
    const r = await room()
    await insertBooking(database.db, { resourceId: r.id, start: at(9), end: at(10) })
    const crowd = (start: string) =>
      Promise.all(
        Array.from({ length: 200 }, () =>
          call<ErrorBody>('POST', '/v1/holds', { session: newSession(), body: { resourceId: r.id, start } }),
        ),
      )
    expect(tally(await crowd(at(9)))).toEqual({ '409 slot_taken': 200 })
    expect(tally(await crowd(at(10, 30)))).toEqual({ '422 outside_availability': 200 })
    expect(tally(await crowd(at(18)))).toEqual({ '422 outside_availability': 200 })
    // The refused crowds left no hold behind: the next free slot is anyone's.
    expect(
      (await call('POST', '/v1/holds', { session: newSession(), body: { resourceId: r.id, start: at(10) } })).status,
    ).toBe(201)
  })
})

/**
 * The database as the checks see it, with each booked-interval query sent at once but its
 * answer kept back until the test releases it: a query in flight, for as long as needed.
 */
function heldBackDatabase(db: Database) {
  const releases: (() => void)[] = []
  const proxy = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== 'select') return Reflect.get(target, prop, receiver) as unknown
      return (fields: Parameters<Database['select']>[0]) => ({
        from: (table: Parameters<ReturnType<Database['select']>['from']>[0]) => ({
          where: (condition: Parameters<ReturnType<ReturnType<Database['select']>['from']>['where']>[0]) => {
            const answer = Promise.resolve(target.select(fields).from(table).where(condition))
            return new Promise<void>((release) => releases.push(release)).then(() => answer)
          },
        }),
      })
    },
  })
  return { db: proxy, queries: () => releases.length, release: (n: number) => releases[n]!() }
}

describe('the booked check shared by simultaneous holds', () => {
  it('shares one query among checks that wait, and never answers a check from a query sent before it arrived', async () => {
    const r = await room()
    const entry = (await createResourceCatalog(database.db, fixedClock(NOW)).find(r.id))!
    const gated = heldBackDatabase(database.db)
    const check = (hourZ: number) =>
      resolveOfferedSlot(gated.db, entry, Date.parse(at(hourZ)), undefined, Date.parse(NOW))

    const early = check(9)
    expect(gated.queries()).toBe(1)
    // 09:00 is booked once that query is on its way; checks made after must see the booking.
    await insertBooking(database.db, { resourceId: r.id, start: at(9), end: at(10) })
    const late = [check(9), check(9), check(10)]
    expect(gated.queries()).toBe(1)

    gated.release(0)
    expect(await early).toEqual({ start: Date.parse(at(9)), end: Date.parse(at(10)) })
    // One more query for the three that waited, sent after the first came back.
    await vi.waitFor(() => expect(gated.queries()).toBe(2))
    gated.release(1)
    const [a, b, c] = await Promise.allSettled(late)
    for (const refused of [a, b]) {
      expect(refused?.status).toBe('rejected')
      expect(((refused as PromiseRejectedResult).reason as BookingError).code).toBe('slot_taken')
    }
    expect(c).toEqual({ status: 'fulfilled', value: { start: Date.parse(at(10)), end: Date.parse(at(11)) } })
    expect(gated.queries()).toBe(2)
  })
})
