import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AvailabilityResponse, PublicBooking, PublicHold } from '../shared/types'
import { createTestDatabase, type TestDatabase } from '../test/database'
import { everyDay, insertBooking, insertResource } from '../test/fixtures'
import { newSession } from '../test/holds'
import { startApiServer, type RunningServer } from '../test/server'

/*
 * Two real API processes sharing one PostgreSQL and one Redis, each caching availability:
 * a write through either is seen by the next read through the other, under load.
 */

const shared = Boolean(process.env.DATABASE_URL && process.env.UPSTASH_REDIS_REST_URL)
if (!shared) console.warn('Cross-process cache tests skipped: they need DATABASE_URL and REDIS_URL.')

let database: TestDatabase
let servers: RunningServer[] = []

describe.skipIf(!shared)('availability cached in two processes', () => {
  beforeAll(async () => {
    database = await createTestDatabase()
    const env = { DATABASE_URL: database.url, HOLD_RATE_LIMIT: '0', MANAGE_RATE_LIMIT: '0', HOLD_MAX_LIVE_PER_IP: '0' }
    servers = await Promise.all([startApiServer(env), startApiServer(env)])
  }, 120_000)
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()))
    await database?.close()
  })

  const guest = { name: 'Cache Guest', email: 'cache@example.com' }
  const from = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)
  const to = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10)
  const resource = () =>
    insertResource(database.db, {
      timezone: 'UTC',
      schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 60 }),
    })

  async function offered(server: RunningServer, resourceId: string): Promise<Set<string>> {
    const res = await fetch(`${server.url}/v1/resources/${resourceId}/availability?from=${from}&to=${to}&tz=UTC`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as AvailabilityResponse
    return new Set(body.days.flatMap((d) => d.slots.map((s) => s.start)))
  }

  async function post<T>(server: RunningServer, path: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })
    return { status: res.status, body: (await res.json()) as T }
  }

  async function book(via: [RunningServer, RunningServer], resourceId: string, start: string) {
    const session = newSession()
    const hold = await post<{ hold: PublicHold }>(
      via[0],
      '/v1/holds',
      { resourceId, start },
      { 'X-Booking-Session': session },
    )
    if (hold.status !== 201) return undefined
    const booked = await post<{ booking: PublicBooking; manageToken: string }>(
      via[1],
      '/v1/bookings',
      { holdId: hold.body.hold.id, guest },
      { 'X-Booking-Session': session },
    )
    return booked.status === 201 ? booked.body : undefined
  }

  it('serves from its cache, and a write through the other process invalidates it', async () => {
    const [a, b] = servers as [RunningServer, RunningServer]
    const r = await resource()
    // Started by a first write (or a first read) on a fresh Redis.
    await post(b, '/v1/bookings', {}, { 'X-Booking-Session': newSession() })
    const before = await offered(a, r.id)
    const slot = [...before][3]!
    // Behind the product's back (no bump): the cached answer still offers it, proving the cache is used.
    await insertBooking(database.db, { resourceId: r.id, start: slot, end: new Date(Date.parse(slot) + 3_600_000) })
    expect((await offered(a, r.id)).has(slot)).toBe(true)
    // Any write request through the other process bumps the shared version (even a refused one).
    const refused = await post(b, '/v1/bookings', {}, { 'X-Booking-Session': newSession() })
    expect(refused.status).toBeGreaterThanOrEqual(400)
    expect((await offered(a, r.id)).has(slot)).toBe(false)
  })

  it('many readers on both processes while bookings land: 0 stale reads', async () => {
    const [a, b] = servers as [RunningServer, RunningServer]
    const r = await resource()
    const slots = [...(await offered(a, r.id))].slice(0, 60)
    await offered(b, r.id)
    // When each booking's response arrived (this process's clock): a read started later must not offer it.
    const bookedAt = new Map<string, number>()
    let reads = 0
    let stale = 0
    let immediateStale = 0
    let done = false

    const readers = Array.from({ length: 16 }, async (_, i) => {
      while (!done) {
        const started = performance.now()
        const seen = await offered(servers[i % 2]!, r.id)
        reads++
        for (const [slot, at] of bookedAt) if (at < started && seen.has(slot)) stale++
      }
    })
    const bookers = Array.from({ length: 6 }, async (_, k) => {
      for (let j = k; j < slots.length; j += 6) {
        const via: [RunningServer, RunningServer] = j % 2 === 0 ? [a, b] : [b, a]
        const result = await book(via, r.id, slots[j]!)
        expect(result).toBeDefined()
        bookedAt.set(slots[j]!, performance.now())
        // The immediate read through the process that did not write the booking.
        if ((await offered(via[0], r.id)).has(slots[j]!)) immediateStale++
      }
    })
    await Promise.all(bookers)
    done = true
    await Promise.all(readers)
    console.log(
      `cross-process cache: ${bookedAt.size} bookings landed during ${reads} concurrent reads on 2 processes; stale reads ${stale}, stale immediate reads ${immediateStale}`,
    )
    expect(bookedAt.size).toBe(slots.length)
    expect(reads).toBeGreaterThan(100)
    expect(stale).toBe(0)
    expect(immediateStale).toBe(0)
  }, 120_000)

  it('a cancel through one process frees the slot in the next read through the other', async () => {
    const [a, b] = servers as [RunningServer, RunningServer]
    const r = await resource()
    const slot = [...(await offered(a, r.id))][5]!
    await offered(b, r.id)
    const booked = await book([a, b], r.id, slot)
    expect(booked).toBeDefined()
    expect((await offered(a, r.id)).has(slot)).toBe(false)
    // The booking's hold is released just after its response; let that land.
    await new Promise((resolve) => setTimeout(resolve, 200))
    const cancelled = await post(
      b,
      `/v1/bookings/${booked!.booking.ref}/cancel`,
      {},
      { Authorization: `Bearer ${booked!.manageToken}` },
    )
    expect(cancelled.status).toBe(200)
    expect((await offered(a, r.id)).has(slot)).toBe(true)
  })

  it('a hold placed through one process is gone from the next read through the other, and back when it expires, with no write', async () => {
    const [a, b] = servers as [RunningServer, RunningServer]
    const r = await insertResource(database.db, {
      timezone: 'UTC',
      config: { holdTtlSec: 2 },
      schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 60 }),
    })
    const slot = [...(await offered(a, r.id))][4]!
    // Both processes keep an answer without the hold first.
    expect((await offered(a, r.id)).has(slot)).toBe(true)
    expect((await offered(b, r.id)).has(slot)).toBe(true)
    const hold = await post<{ hold: PublicHold }>(
      b,
      '/v1/holds',
      { resourceId: r.id, start: slot },
      { 'X-Booking-Session': newSession() },
    )
    expect(hold.status).toBe(201)
    expect((await offered(a, r.id)).has(slot)).toBe(false)
    expect((await offered(b, r.id)).has(slot)).toBe(false)
    await new Promise((resolve) => setTimeout(resolve, Date.parse(hold.body.hold.expiresAt) - Date.now() + 20))
    expect((await offered(a, r.id)).has(slot)).toBe(true)
    expect((await offered(b, r.id)).has(slot)).toBe(true)
  })

  it('an unpaid pending booking stops blocking in every process when its window passes, with no write', async () => {
    const [a, b] = servers as [RunningServer, RunningServer]
    const r = await resource()
    const slot = [...(await offered(a, r.id))][2]!
    const expiresAt = Date.now() + 3_000
    await insertBooking(database.db, {
      resourceId: r.id,
      status: 'pending',
      start: slot,
      end: new Date(Date.parse(slot) + 3_600_000),
      expiresAt: new Date(expiresAt),
    })
    // Written behind the product's back: a write request bumps, so both processes load the row.
    await post(b, '/v1/bookings', {}, { 'X-Booking-Session': newSession() })
    expect((await offered(a, r.id)).has(slot)).toBe(false)
    expect((await offered(b, r.id)).has(slot)).toBe(false)
    expect((await offered(a, r.id)).has(slot)).toBe(false)
    await new Promise((resolve) => setTimeout(resolve, expiresAt - Date.now() + 20))
    expect((await offered(a, r.id)).has(slot)).toBe(true)
    expect((await offered(b, r.id)).has(slot)).toBe(true)
  })
})
