import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookings } from '../drizzle/schema'
import type { AvailabilityResponse, PublicHold } from '../shared/types'
import { createTestDatabase, type TestDatabase } from '../test/database'
import { everyDay, insertResource } from '../test/fixtures'
import { newSession } from '../test/holds'
import { startApiServer, type RunningServer } from '../test/server'

/*
 * Load across two API processes sharing PostgreSQL and Redis, the way production runs
 * behind a load balancer: clients alternate between the processes, and every hold is
 * booked through the other one.
 */

const shared = Boolean(process.env.DATABASE_URL && process.env.UPSTASH_REDIS_REST_URL)
if (!shared)
  console.warn(
    'Load tests skipped: they need DATABASE_URL and REDIS_URL (a PostgreSQL and a Redis both processes share).',
  )

let database: TestDatabase
let servers: RunningServer[] = []

describe.skipIf(!shared)('two API processes under load', () => {
  beforeAll(async () => {
    database = await createTestDatabase()
    // Every simulated guest comes from 127.0.0.1: no per-address limits.
    const env = { DATABASE_URL: database.url, HOLD_RATE_LIMIT: '0', MANAGE_RATE_LIMIT: '0', HOLD_MAX_LIVE_PER_IP: '0' }
    servers = await Promise.all([startApiServer(env), startApiServer(env)])
  }, 120_000)
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()))
    await database?.close()
  })

  const guest = { name: 'Load Guest', email: 'load@example.com' }

  async function post(base: string, path: string, session: string, body: unknown) {
    const started = performance.now()
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Booking-Session': session },
      body: JSON.stringify(body),
    })
    const json = (await res.json()) as Record<string, unknown>
    return { status: res.status, body: json, ms: performance.now() - started }
  }

  async function overlappingPairs(resourceId: string): Promise<number> {
    const rows = await database.db.execute(sql`
      select count(*)::int as n from bookings a join bookings b
        on a.resource_id = b.resource_id and a.id < b.id
       and tstzrange(a.starts_at, a.ends_at, '[)') && tstzrange(b.starts_at, b.ends_at, '[)')
      where a.resource_id = ${resourceId} and a.status <> 'cancelled' and b.status <> 'cancelled'`)
    return Number(
      (rows as unknown as { n: number }[])[0]?.n ?? (rows as unknown as { rows: { n: number }[] }).rows?.[0]?.n ?? 0,
    )
  }

  /** Runs `total` jobs with at most `concurrency` in flight. */
  async function pool<T>(total: number, concurrency: number, job: (i: number) => Promise<T>): Promise<T[]> {
    const results: T[] = new Array(total)
    let next = 0
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const i = next++
          results[i] = await job(i)
        }
      }),
    )
    return results
  }

  const percentile = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b)
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
  }

  it('2,000 booking flows at 50 in flight over 100 slots: exactly 100 bookings, no overlap, no 5xx', async () => {
    const r = await insertResource(database.db, {
      timezone: 'UTC',
      schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 60 }),
    })
    const from = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)
    const to = new Date(Date.now() + 8 * 86_400_000).toISOString().slice(0, 10)
    const offered = await fetch(`${servers[0]!.url}/v1/resources/${r.id}/availability?from=${from}&to=${to}`).then(
      (res) => res.json() as Promise<AvailabilityResponse>,
    )
    const slots = offered.days.flatMap((d) => d.slots).slice(0, 100)
    expect(slots).toHaveLength(100)

    const statuses = new Map<number, number>()
    const latencies: number[] = []
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1)
    const started = performance.now()
    const outcomes = await pool(2000, 50, async (i) => {
      const session = newSession()
      const [a, b] = i % 2 === 0 ? [servers[0]!, servers[1]!] : [servers[1]!, servers[0]!]
      const slot = slots[(i * 37) % 100]!
      const hold = await post(a.url, '/v1/holds', session, { resourceId: r.id, start: slot.start })
      count(hold.status)
      latencies.push(hold.ms)
      if (hold.status !== 201) return 'no-hold'
      const booking = await post(b.url, '/v1/bookings', session, { holdId: (hold.body.hold as PublicHold).id, guest })
      count(booking.status)
      latencies.push(booking.ms)
      return booking.status === 201 ? 'booked' : 'lost'
    })
    const seconds = (performance.now() - started) / 1000
    const requests = latencies.length
    console.log(
      `load: 2000 flows, ${requests} requests in ${seconds.toFixed(1)} s = ${(requests / seconds).toFixed(0)} req/s; ` +
        `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    )
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([])
    expect(outcomes.filter((o) => o === 'booked')).toHaveLength(100)
    const rows = await database.db
      .select()
      .from(bookings)
      .where(sql`${bookings.resourceId} = ${r.id} and ${bookings.status} <> 'cancelled'`)
    expect(rows).toHaveLength(100)
    expect(await overlappingPairs(r.id)).toBe(0)
  })

  it('confirm storm: 1,000 concurrent flows for one interval across both processes → 1 booking, 999 × 409', async () => {
    const r = await insertResource(database.db, {
      timezone: 'UTC',
      schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 60 }),
    })
    const start = new Date(Date.now() + 3 * 86_400_000)
    start.setUTCHours(12, 0, 0, 0)
    const statuses = new Map<number, number>()
    const started = performance.now()
    const outcomes = await Promise.all(
      Array.from({ length: 1000 }, async (_, i) => {
        const session = newSession()
        const [a, b] = i % 2 === 0 ? [servers[0]!, servers[1]!] : [servers[1]!, servers[0]!]
        const hold = await post(a.url, '/v1/holds', session, { resourceId: r.id, start: start.toISOString() })
        if (hold.status !== 201) {
          statuses.set(hold.status, (statuses.get(hold.status) ?? 0) + 1)
          return hold.status
        }
        const booking = await post(b.url, '/v1/bookings', session, { holdId: (hold.body.hold as PublicHold).id, guest })
        statuses.set(booking.status, (statuses.get(booking.status) ?? 0) + 1)
        return booking.status
      }),
    )
    console.log(
      `storm: 1000 flows on one interval in ${((performance.now() - started) / 1000).toFixed(1)} s; final statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    )
    expect(outcomes.filter((s) => s === 201)).toHaveLength(1)
    expect(outcomes.filter((s) => s === 409)).toHaveLength(999)
    const rows = await database.db
      .select()
      .from(bookings)
      .where(sql`${bookings.resourceId} = ${r.id}`)
    expect(rows).toHaveLength(1)
  })
})
