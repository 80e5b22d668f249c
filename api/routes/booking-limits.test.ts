import { randomBytes } from 'node:crypto'
import { and, eq, ne, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookings, type BookingRow } from '../../drizzle/schema'
import { BookingError, type ErrorBody } from '../../shared/errors'
import type { BookingLimits } from '../../shared/resource-config'
import type { PublicBooking, PublicHold } from '../../shared/types'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { bookingValues, everyDay, insertResource } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { createAdminKey } from '../admin/keys'
import { fixedClock } from '../clock'
import { createOutboxPlanner } from '../notify/outbox'
import { insertBooking as storeInsertBooking, reoccupyExpiredBooking } from '../store/bookings'

/*
 * Booking limits of a resource (config.limits), enforced by the database in the booking's
 * own transaction: per guest per local day / week / month, the least gap between a guest's
 * bookings, and bookings per local day for everyone. Refusals are 409 limit_reached.
 */

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase({ maxConnections: 20 })
})
afterAll(async () => {
  await database?.close()
})

const NOW = '2026-03-01T12:00:00Z'
const MINUTE = 60_000

type Created = { booking: PublicBooking; manageToken: string }

function setup() {
  const clock = fixedClock(NOW)
  return createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds })
}
type Api = ReturnType<typeof setup>

function roomWith(limits: BookingLimits, timezone = 'America/New_York') {
  return insertResource(database.db, {
    name: 'Meeting room',
    timezone,
    config: { limits, durations: [30] },
    schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 30 }),
  })
}

/** A booking written straight to the table (it passes the same trigger). */
async function seed(
  resourceId: string,
  start: string,
  email = 'ada@example.com',
  extra: Partial<typeof bookings.$inferInsert> = {},
  minutes = 30,
): Promise<BookingRow> {
  const end = new Date(Date.parse(start) + minutes * MINUTE)
  const [row] = await database.db
    .insert(bookings)
    .values({ ...bookingValues({ resourceId, start, end }), guestEmail: email, ...extra })
    .returning()
  if (!row) throw new Error('no row')
  return row
}

/** Hold the 30-minute slot at `start` and book it as `email`: the guest's whole flow. */
async function holdAndBook(api: Api, resourceId: string, start: string, email = 'ada@example.com') {
  const session = newSession()
  const held = await api.call<{ hold: PublicHold } & ErrorBody>('POST', '/v1/holds', {
    session,
    body: { resourceId, start },
  })
  if (held.status !== 201) return held as unknown as { status: number; body: Created & ErrorBody; text: string }
  return api.call<Created & ErrorBody>('POST', '/v1/bookings', {
    session,
    body: { holdId: held.body.hold.id, guest: { name: 'Ada Lovelace', email } },
  })
}

async function expectBooked(api: Api, resourceId: string, start: string, email?: string) {
  const res = await holdAndBook(api, resourceId, start, email)
  expect(res.status, res.text).toBe(201)
  return res.body
}

async function expectRefused(api: Api, resourceId: string, start: string, email?: string) {
  const res = await holdAndBook(api, resourceId, start, email)
  expect([res.status, res.body.error?.code], res.text).toEqual([409, 'limit_reached'])
  return res.body.error
}

async function occupying(resourceId: string): Promise<BookingRow[]> {
  return database.db
    .select()
    .from(bookings)
    .where(and(eq(bookings.resourceId, resourceId), ne(bookings.status, 'cancelled')))
}

const tally = (statuses: number[]) =>
  statuses.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {})

describe('bookings per guest per local day', () => {
  it('counts the resource’s local day: 23:30 in New York is that day, not the next UTC one', async () => {
    const api = setup()
    const room = await roomWith({ perGuestPerDay: 1 })
    // 21:00 on Tuesday 10 March in New York (UTC−4) is 01:00Z on the 11th.
    await seed(room.id, '2026-03-11T01:00:00Z')
    const error = await expectRefused(api, room.id, '2026-03-11T03:30:00Z') // 23:30 local, the 10th
    expect(error.message).toBe('You can book Meeting room at most once per day.')
    expect(error.details).toEqual({ limit: 'perGuestPerDay', max: 1 })
    // 00:30 on the 11th locally: the same UTC day as the booking above, but another local day.
    await expectBooked(api, room.id, '2026-03-11T04:30:00Z')
    expect(await occupying(room.id)).toHaveLength(2)
  })

  it('refuses exactly at the limit and knows the guest by their email in any case', async () => {
    const api = setup()
    const room = await roomWith({ perGuestPerDay: 2 })
    await seed(room.id, '2026-03-12T13:00:00Z', 'Ada@Example.com')
    await expectBooked(api, room.id, '2026-03-12T14:00:00Z', 'ada@EXAMPLE.com')
    const error = await expectRefused(api, room.id, '2026-03-12T15:00:00Z', 'ADA@example.com')
    expect(error.message).toBe('You can book Meeting room at most 2 times per day.')
    expect(error.details).toEqual({ limit: 'perGuestPerDay', max: 2 })
    // Another guest is not counted with Ada (the refused request's hold still keeps 15:00).
    await expectBooked(api, room.id, '2026-03-12T15:30:00Z', 'grace@example.com')
  })

  it('counts the 23-hour day of the change to summer time in Berlin as one day', async () => {
    const api = setup()
    const room = await roomWith({ perGuestPerDay: 2 }, 'Europe/Berlin')
    // 29 March 2026 in Berlin runs from 23:00Z on the 28th to 22:00Z on the 29th.
    await seed(room.id, '2026-03-28T23:30:00Z') // 00:30 local, the 29th
    await seed(room.id, '2026-03-29T21:00:00Z') // 23:00 local, the 29th
    await expectRefused(api, room.id, '2026-03-29T10:00:00Z') // 12:00 local
    await expectBooked(api, room.id, '2026-03-28T22:30:00Z') // 23:30 local, the 28th
    await expectBooked(api, room.id, '2026-03-29T22:00:00Z') // 00:00 local, the 30th
  })

  it('does not count cancelled bookings, and a cancellation frees the place', async () => {
    const api = setup()
    const room = await roomWith({ perGuestPerDay: 1 })
    await seed(room.id, '2026-03-13T13:00:00Z', 'ada@example.com', { status: 'cancelled' })
    const first = await expectBooked(api, room.id, '2026-03-13T14:00:00Z')
    await expectRefused(api, room.id, '2026-03-13T15:00:00Z')
    const cancelled = await api.call('POST', `/v1/bookings/${first.booking.ref}/cancel`, { token: first.manageToken })
    expect(cancelled.status, cancelled.text).toBe(200)
    await expectBooked(api, room.id, '2026-03-13T15:30:00Z')
  })

  it('counts pending, completed and no-show bookings, and leaves resources without limits alone', async () => {
    const api = setup()
    const room = await roomWith({ perGuestPerDay: 3 })
    await seed(room.id, '2026-03-14T13:00:00Z', 'ada@example.com', { status: 'pending' })
    await seed(room.id, '2026-03-14T14:00:00Z', 'ada@example.com', { status: 'completed' })
    await seed(room.id, '2026-03-14T15:00:00Z', 'ada@example.com', { status: 'no_show' })
    await expectRefused(api, room.id, '2026-03-14T16:00:00Z')
    const open = await roomWith({})
    for (const hour of ['13', '14', '15', '16']) await expectBooked(api, open.id, `2026-03-14T${hour}:00:00Z`)
  })
})

describe('bookings per guest per week and per month', () => {
  it('weeks run Monday to Sunday in the resource’s zone', async () => {
    const api = setup()
    const room = await roomWith({ perGuestPerWeek: 2 })
    await seed(room.id, '2026-03-09T14:00:00Z') // Monday 9 March, 10:00 local
    await seed(room.id, '2026-03-16T03:00:00Z') // Sunday 15 March, 23:00 local (Monday in UTC)
    const error = await expectRefused(api, room.id, '2026-03-15T14:00:00Z') // Sunday 10:00 local
    expect(error.message).toBe('You can book Meeting room at most 2 times per week.')
    expect(error.details).toEqual({ limit: 'perGuestPerWeek', max: 2 })
    await expectBooked(api, room.id, '2026-03-16T04:30:00Z') // Monday 16 March, 00:30 local
    await expectBooked(api, room.id, '2026-03-17T14:00:00Z')
    await expectRefused(api, room.id, '2026-03-22T14:00:00Z') // Sunday 22 March
  })

  it('months are local months', async () => {
    const api = setup()
    const room = await roomWith({ perGuestPerMonth: 1 })
    await seed(room.id, '2026-04-01T03:00:00Z') // 31 March, 23:00 local
    const error = await expectRefused(api, room.id, '2026-03-20T14:00:00Z')
    expect(error.message).toBe('You can book Meeting room at most once per month.')
    expect(error.details).toEqual({ limit: 'perGuestPerMonth', max: 1 })
    await expectBooked(api, room.id, '2026-04-01T04:30:00Z') // 1 April, 00:30 local
    await expectRefused(api, room.id, '2026-04-30T14:00:00Z')
  })
})

describe('the least gap between a guest’s bookings', () => {
  it('refuses a booking too close after or before another of the same guest, and allows exactly the gap', async () => {
    const api = setup()
    const room = await roomWith({ minGapMinutes: 60 }, 'UTC')
    await seed(room.id, '2026-03-18T10:00:00Z', 'ada@example.com', {}, 60) // 10:00–11:00
    const after = await expectRefused(api, room.id, '2026-03-18T11:30:00Z')
    expect(after.message).toBe('Your bookings of Meeting room need at least 60 minutes between them.')
    expect(after.details).toEqual({ limit: 'minGapMinutes', minutes: 60 })
    await expectRefused(api, room.id, '2026-03-18T09:00:00Z', 'ADA@example.com') // ends 09:30
    await expectBooked(api, room.id, '2026-03-18T12:00:00Z') // 60 minutes after 11:00
    await expectBooked(api, room.id, '2026-03-18T08:30:00Z') // ends 09:00, 60 minutes before 10:00
    await expectBooked(api, room.id, '2026-03-18T11:00:00Z', 'grace@example.com') // another guest
  })
})

describe('bookings per local day, all guests', () => {
  it('fills the day across guests and refuses the next one', async () => {
    const api = setup()
    const room = await roomWith({ perDay: 3 })
    await seed(room.id, '2026-03-19T13:00:00Z', 'a@example.com')
    await seed(room.id, '2026-03-19T14:00:00Z', 'b@example.com')
    await expectBooked(api, room.id, '2026-03-20T03:30:00Z', 'c@example.com') // 23:30 local, the 19th
    const error = await expectRefused(api, room.id, '2026-03-19T04:30:00Z', 'd@example.com') // 00:30 local
    expect(error.message).toBe('Meeting room takes at most 3 bookings per day, and this day is full.')
    expect(error.details).toEqual({ limit: 'perDay', max: 3 })
    await expectBooked(api, room.id, '2026-03-20T04:30:00Z', 'd@example.com') // 00:30 local, the 20th
  })
})

describe('moves and re-occupation', () => {
  async function adminApi() {
    const key = (await createAdminKey(database.db, 'limits tests')).key
    const api = setup()
    return {
      api,
      reschedule: (id: string, start: string) =>
        api.call<ErrorBody>('POST', `/v1/admin/bookings/${id}/reschedule`, { token: key, body: { start } }),
    }
  }

  it('refuses an owner’s move into a day where the guest is at the limit, changing nothing', async () => {
    const { reschedule } = await adminApi()
    const room = await roomWith({ perGuestPerDay: 1 })
    await seed(room.id, '2026-03-23T14:00:00Z')
    const other = await seed(room.id, '2026-03-24T14:00:00Z')
    const refused = await reschedule(other.id, '2026-03-23T16:00:00Z')
    expect([refused.status, refused.body.error.code], refused.text).toEqual([409, 'limit_reached'])
    expect(refused.body.error.details).toEqual({ limit: 'perGuestPerDay', max: 1 })
    const [after] = await database.db.select().from(bookings).where(eq(bookings.id, other.id))
    expect(after?.startsAt.toISOString()).toBe('2026-03-24T14:00:00.000Z')
    expect(after?.version).toBe(other.version)
    // Within its own day the booking is not counted against itself.
    const within = await reschedule(other.id, '2026-03-24T18:00:00Z')
    expect(within.status, within.text).toBe(200)
  })

  it('refuses an owner’s move into a day full for everyone', async () => {
    const { reschedule } = await adminApi()
    const room = await roomWith({ perDay: 2 })
    await seed(room.id, '2026-03-25T14:00:00Z', 'a@example.com')
    await seed(room.id, '2026-03-25T15:00:00Z', 'b@example.com')
    const moving = await seed(room.id, '2026-03-26T14:00:00Z', 'c@example.com')
    const refused = await reschedule(moving.id, '2026-03-25T17:00:00Z')
    expect([refused.status, refused.body.error.code], refused.text).toEqual([409, 'limit_reached'])
    expect(refused.body.error.details).toEqual({ limit: 'perDay', max: 2 })
  })

  it('refuses a guest’s own move into a day already at the limit', async () => {
    const api = setup()
    const room = await roomWith({ perGuestPerDay: 1 })
    await expectBooked(api, room.id, '2026-03-27T14:00:00Z')
    const second = await expectBooked(api, room.id, '2026-03-28T14:00:00Z')
    const session = newSession()
    const held = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId: room.id, start: '2026-03-27T16:00:00Z' },
    })
    expect(held.status, held.text).toBe(201)
    const moved = await api.call<ErrorBody>('POST', `/v1/bookings/${second.booking.ref}/reschedule`, {
      session,
      token: second.manageToken,
      body: { holdId: held.body.hold.id },
    })
    expect([moved.status, moved.body.error.code], moved.text).toEqual([409, 'limit_reached'])
  })

  it('keeps a booking whose status changes between occupying ones, even past a limit set later', async () => {
    const room = await roomWith({})
    const first = await seed(room.id, '2026-03-30T14:00:00Z', 'ada@example.com', { status: 'pending' })
    await seed(room.id, '2026-03-30T15:00:00Z')
    await database.db.execute(
      sql`update bookable_resources set config = ${JSON.stringify({ limits: { perGuestPerDay: 1 } })}::jsonb where id = ${room.id}`,
    )
    await database.db.update(bookings).set({ status: 'confirmed' }).where(eq(bookings.id, first.id))
    const [row] = await database.db.select().from(bookings).where(eq(bookings.id, first.id))
    expect(row?.status).toBe('confirmed')
  })

  it('refuses to put an expired booking back when the guest booked up to the limit meanwhile', async () => {
    const room = await roomWith({ perGuestPerDay: 1 })
    const expired = await seed(room.id, '2026-03-31T14:00:00Z', 'ada@example.com', {
      status: 'cancelled',
      cancelReason: 'expired',
    })
    await seed(room.id, '2026-03-31T16:00:00Z', 'ADA@example.com')
    const error = await reoccupyExpiredBooking(database.db, expired.id, Date.parse(NOW)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BookingError)
    expect((error as BookingError).code).toBe('limit_reached')
    const [row] = await database.db.select().from(bookings).where(eq(bookings.id, expired.id))
    expect(row?.status).toBe('cancelled')
  })
})

describe('under concurrency', () => {
  /**
   * 20 guests' flows at once, each holding its own half hour from `first` on, then booking:
   * the bookings wait for all 20 holds so that they reach the database together.
   */
  async function raceFlows(api: Api, resourceId: string, first: string, emailOf: (i: number) => string) {
    let placed = 0
    let allPlaced: () => void = () => {}
    const together = new Promise<void>((resolve) => (allPlaced = resolve))
    return Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const session = newSession()
        const start = new Date(Date.parse(first) + i * 30 * MINUTE).toISOString()
        const held = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', { session, body: { resourceId, start } })
        expect(held.status, held.text).toBe(201)
        if (++placed === 20) allPlaced()
        await together
        return api.call<Created & ErrorBody>('POST', '/v1/bookings', {
          session,
          body: { holdId: held.body.hold.id, guest: { name: 'Racer', email: emailOf(i) } },
        })
      }),
    )
  }

  // PGlite is one connection: the requests queue there, which still checks the counts.
  it('20 flows by one guest (email in mixed case) with perGuestPerDay 2: exactly 2 bookings, 18 × 409', async () => {
    if (!database.url) console.info('PGlite: one connection, so these 20 flows run without real parallelism')
    const api = setup()
    const room = await roomWith({ perGuestPerDay: 2 }, 'UTC')
    const emails = ['race@example.com', 'Race@Example.com', 'RACE@EXAMPLE.COM']
    const results = await raceFlows(api, room.id, '2026-04-06T08:00:00Z', (i) => emails[i % 3]!)
    expect(tally(results.map((r) => r.status))).toEqual({ 201: 2, 409: 18 })
    const refusals = results.filter((r) => r.status === 409)
    expect(refusals.every((r) => r.body.error.code === 'limit_reached')).toBe(true)
    expect(refusals[0]?.body.error.message).toBe('You can book Meeting room at most 2 times per day.')
    expect(await occupying(room.id)).toHaveLength(2)
  })

  it('20 guests at once with perDay 3: exactly 3 bookings, 17 × 409, none 5xx', async () => {
    const api = setup()
    const room = await roomWith({ perDay: 3 }, 'UTC')
    const results = await raceFlows(api, room.id, '2026-04-07T08:00:00Z', (i) => `guest${i}@example.com`)
    expect(tally(results.map((r) => r.status))).toEqual({ 201: 3, 409: 17 })
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'limit_reached')).toBe(true)
    expect(await occupying(room.id)).toHaveLength(3)
  })

  it.for([
    ['commits', 'limit_reached'],
    ['rolls back', 'booked'],
  ] as const)(
    'a booking that waits past the optimistic lock timeout on a competing writer that %s ends %s',
    async ([ending, outcome], { skip }) => {
      if (!database.url) skip('PGlite is one connection: no writer can wait on another')
      const room = await roomWith({ perGuestPerDay: 1 }, 'UTC')
      let inserted: () => void = () => {}
      const competitorInserted = new Promise<void>((resolve) => (inserted = resolve))
      const competitor = database.db
        .transaction(async (tx) => {
          await tx.insert(bookings).values({
            ...bookingValues({ resourceId: room.id, start: '2026-04-09T09:00:00Z', end: '2026-04-09T09:30:00Z' }),
            guestEmail: 'ada@example.com',
          })
          inserted()
          // Longer than the store's 200 ms optimistic lock timeout: the write below retries serialised.
          await new Promise((resolve) => setTimeout(resolve, 500))
          if (ending === 'rolls back') tx.rollback()
        })
        .catch((e: unknown) => e)
      await competitorInserted
      const write = storeInsertBooking(
        database.db,
        {
          ref: randomBytes(5).toString('hex').toUpperCase(),
          resourceId: room.id,
          status: 'confirmed',
          start: Date.parse('2026-04-09T11:00:00Z'),
          end: Date.parse('2026-04-09T11:30:00Z'),
          guest: { name: 'Ada', email: 'ADA@example.com' },
          sessionId: 'store-level',
          manageTokenHash: 'x'.repeat(64),
        },
        Date.parse(NOW),
        createOutboxPlanner({ adminEmail: undefined }),
      ).then(
        () => 'booked',
        (e: unknown) => (e instanceof BookingError ? e.code : e),
      )
      expect(await write).toBe(outcome)
      await competitor
      expect(await occupying(room.id)).toHaveLength(1)
    },
  )

  it('the same idempotent request twice at once with perGuestPerDay 1: one booking, two identical 201s', async () => {
    const api = setup()
    const room = await roomWith({ perGuestPerDay: 1 }, 'UTC')
    const session = newSession()
    const held = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId: room.id, start: '2026-04-08T10:00:00Z' },
    })
    const request = {
      session,
      body: { holdId: held.body.hold.id, guest: { name: 'Ada', email: 'ada@example.com' } },
      headers: { 'Idempotency-Key': `limits-twin-${randomBytes(8).toString('hex')}` },
    }
    const results = await Promise.all([1, 2].map(() => api.call('POST', '/v1/bookings', request)))
    expect(results.map((r) => r.status)).toEqual([201, 201])
    expect(results[0]?.text).toBe(results[1]?.text)
    expect(await occupying(room.id)).toHaveLength(1)
  })
})
