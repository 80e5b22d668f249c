import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookings } from '../drizzle/schema'
import type { ErrorBody } from '../shared/errors'
import { BookingError } from '../shared/errors'
import type { PublicBooking, PublicHold } from '../shared/types'
import { systemClock } from './clock'
import { insertBooking as storeInsertBooking } from './store/bookings'
import { createOutboxPlanner } from './notify/outbox'
import { createTestApi } from '../test/api'
import { createTestDatabase, type TestDatabase } from '../test/database'
import { everyDay, insertResource } from '../test/fixtures'
import { createTestHoldBackend, newSession } from '../test/holds'
import { startApiServer, type RunningServer } from '../test/server'

/**
 * Real concurrency against the configured database and hold store (PostgreSQL + Redis in
 * CI): requests fired at once with Promise.all, exact counts asserted, final table state
 * checked with SQL.
 */
let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase({ maxConnections: 20 })
})
afterAll(async () => {
  await database?.close()
})

// A day far enough ahead that "now" (the real clock) never reaches it.
const DAY = '2031-03-24'
const at = (hhmm: string) => new Date(`${DAY}T${hhmm}:00.000Z`).toISOString()
const guest = { name: 'Racer', email: 'racer@example.com' }

function api() {
  const backend = createTestHoldBackend(systemClock)
  return createTestApi({ db: database.db, holds: backend.holds })
}

async function utcRoom(config = {}) {
  return insertResource(database.db, {
    timezone: 'UTC',
    config,
    schedules: everyDay({ startTime: '08:00', endTime: '18:00', slotDuration: 60 }),
  })
}

async function overlappingPairs(resourceId: string): Promise<number> {
  const [row] = await database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(sql`${bookings} a join ${bookings} b on a.resource_id = b.resource_id and a.id < b.id`)
    .where(
      sql`a.resource_id = ${resourceId} and a.status <> 'cancelled' and b.status <> 'cancelled'
        and tstzrange(a.starts_at, a.ends_at, '[)') && tstzrange(b.starts_at, b.ends_at, '[)')`,
    )
  return row?.n ?? -1
}

const tally = (statuses: number[]) =>
  statuses.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {})

describe('concurrency', () => {
  it('(a) 200 sessions holding one slot at once: exactly one 201, 199 × 409 slot_held, no 5xx', async () => {
    const { call } = api()
    const r = await utcRoom()
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        call<ErrorBody>('POST', '/v1/holds', { session: newSession(), body: { resourceId: r.id, start: at('10:00') } }),
      ),
    )
    expect(tally(results.map((x) => x.status))).toEqual({ 201: 1, 409: 199 })
    expect(results.filter((x) => x.status === 409).every((x) => x.body.error.code === 'slot_held')).toBe(true)
  })

  it('(b) 200 overlapping, non-identical inserts at once: no two occupying rows overlap', async () => {
    const r = await utcRoom()
    const base = Date.parse(at('08:00'))
    const outbox = createOutboxPlanner({ adminEmail: undefined })
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        storeInsertBooking(
          database.db,
          {
            ref: `C${String(i).padStart(3, '0')}${Math.random().toString(36).slice(2, 6).toUpperCase()}`,
            resourceId: r.id,
            status: 'confirmed',
            // Starts 7 minutes apart, 60 minutes long: every neighbour overlaps.
            start: base + i * 7 * 60_000,
            end: base + i * 7 * 60_000 + 60 * 60_000,
            guest,
            sessionId: 'store-level',
            manageTokenHash: 'x'.repeat(64),
          },
          Date.now(),
          outbox,
        ),
      ),
    )
    const failures = outcomes.filter((o) => o.status === 'rejected')
    expect(failures.every((f) => f.reason instanceof BookingError && f.reason.code === 'slot_taken')).toBe(true)
    const rows = await database.db
      .select()
      .from(bookings)
      .where(sql`${bookings.resourceId} = ${r.id}`)
    expect(rows.length).toBe(200 - failures.length)
    expect(await overlappingPairs(r.id)).toBe(0)
    // Every refusal was a real conflict: each refused interval overlaps a stored booking.
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') return
      const start = base + i * 7 * 60_000
      const end = start + 60 * 60_000
      expect(rows.some((b) => b.startsAt.getTime() < end && start < b.endsAt.getTime())).toBe(true)
    })
  })

  it('(d) the same idempotent booking request 20 times at once: one row, 20 identical 201 bodies', async () => {
    const { call } = api()
    const r = await utcRoom()
    const session = newSession()
    const hold = await call<{ hold: PublicHold }>('POST', '/v1/holds', {
      session,
      body: { resourceId: r.id, start: at('11:00') },
    })
    const request = {
      session,
      body: { holdId: hold.body.hold.id, guest },
      headers: { 'Idempotency-Key': 'race-key-0123456789' },
    }
    const results = await Promise.all(
      Array.from({ length: 20 }, () => call<{ booking: PublicBooking }>('POST', '/v1/bookings', request)),
    )
    expect(tally(results.map((x) => x.status))).toEqual({ 201: 20 })
    expect(new Set(results.map((x) => x.text)).size).toBe(1)
    const rows = await database.db
      .select()
      .from(bookings)
      .where(sql`${bookings.resourceId} = ${r.id}`)
    expect(rows).toHaveLength(1)
  })

  it('(e) a hold with a short TTL frees its slot when it expires', async () => {
    const { call } = api()
    const r = await utcRoom({ holdTtlSec: 1 })
    const first = await call('POST', '/v1/holds', {
      session: newSession(),
      body: { resourceId: r.id, start: at('12:00') },
    })
    const blocked = await call('POST', '/v1/holds', {
      session: newSession(),
      body: { resourceId: r.id, start: at('12:00') },
    })
    expect([first.status, blocked.status]).toEqual([201, 409])
    await new Promise((resolve) => setTimeout(resolve, 1_100))
    const later = await call('POST', '/v1/holds', {
      session: newSession(),
      body: { resourceId: r.id, start: at('12:00') },
    })
    expect(later.status).toBe(201)
  })
})

const sharedBackends = Boolean(process.env.DATABASE_URL && process.env.UPSTASH_REDIS_REST_URL)
if (!sharedBackends) {
  console.warn(
    '(c) two-process race skipped: it needs a PostgreSQL server (DATABASE_URL) and Redis (REDIS_URL) that both processes share; PGlite and the memory hold store live inside one process.',
  )
}

describe.skipIf(!sharedBackends)('concurrency across two API processes', () => {
  let servers: RunningServer[] = []
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()))
  })

  it('(c) 100 full flows racing for 10 slots on two servers: exactly 10 bookings, no overlaps, no 5xx', async () => {
    const r = await utcRoom()
    // 100 guests, all from 127.0.0.1: no per-address limits.
    const env = { DATABASE_URL: database.url, HOLD_RATE_LIMIT: '0', HOLD_MAX_LIVE_PER_IP: '0' }
    servers = await Promise.all([startApiServer(env), startApiServer(env)])
    const slots = Array.from({ length: 10 }, (_, i) => at(`${String(8 + i).padStart(2, '0')}:00`))
    const post = async (base: string, path: string, session: string, body: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Booking-Session': session },
        body: JSON.stringify(body),
      })
      return { status: res.status, body: (await res.json()) as Record<string, unknown> }
    }
    const statuses: number[] = []
    const flows = Array.from({ length: 100 }, async (_, i) => {
      const session = newSession()
      const [a, b] = i % 2 === 0 ? [servers[0]!, servers[1]!] : [servers[1]!, servers[0]!]
      const hold = await post(a.url, '/v1/holds', session, { resourceId: r.id, start: slots[i % 10] })
      statuses.push(hold.status)
      if (hold.status !== 201) return 'no-hold'
      // Book through the other process: the hold must be visible there (shared Redis).
      const holdId = (hold.body.hold as PublicHold).id
      const booking = await post(b.url, '/v1/bookings', session, { holdId, guest })
      statuses.push(booking.status)
      return booking.status === 201 ? 'booked' : 'lost'
    })
    const outcomes = await Promise.all(flows)
    expect(statuses.filter((s) => s >= 500)).toEqual([])
    expect(outcomes.filter((o) => o === 'booked')).toHaveLength(10)
    const rows = await database.db
      .select()
      .from(bookings)
      .where(sql`${bookings.resourceId} = ${r.id} and ${bookings.status} <> 'cancelled'`)
    expect(rows.map((b) => b.startsAt.toISOString()).sort()).toEqual(slots)
    expect(await overlappingPairs(r.id)).toBe(0)
  }, 60_000)
})
