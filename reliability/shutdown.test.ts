import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookings } from '../drizzle/schema'
import type { AvailabilityResponse, PublicBooking, PublicHold } from '../shared/types'
import { createTestDatabase, type TestDatabase } from '../test/database'
import { everyDay, insertResource } from '../test/fixtures'
import { newSession } from '../test/holds'
import { startApiServer } from '../test/server'

/*
 * SIGTERM during traffic: the process stops taking requests, finishes the ones in flight
 * (none cut midway: every booking that was answered 201 exists, and nothing half-written
 * does), and exits on its own.
 */
const serverDatabase = Boolean(process.env.DATABASE_URL)
if (!serverDatabase)
  console.warn(
    'Shutdown test skipped: it needs DATABASE_URL (a PostgreSQL the test can read while the API process stops).',
  )

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
}, 60_000)
afterAll(() => database?.close())

describe.skipIf(!serverDatabase)('graceful shutdown', () => {
  it('finishes in-flight bookings on SIGTERM and exits within 10 s; every 201 is in the database', async () => {
    // 40 guests, all from 127.0.0.1: no per-address limits.
    const server = await startApiServer({ DATABASE_URL: database.url, HOLD_RATE_LIMIT: '0', HOLD_MAX_LIVE_PER_IP: '0' })
    const r = await insertResource(database.db, {
      timezone: 'UTC',
      schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 30 }),
    })
    const from = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)
    const offered = (await fetch(`${server.url}/v1/resources/${r.id}/availability?from=${from}&to=${from}`).then(
      (res) => res.json(),
    )) as AvailabilityResponse
    const slots = offered.days[0]!.slots
    // Holds first, so the bookings below are pure database writes racing the shutdown.
    const held = await Promise.all(
      slots.slice(0, 40).map(async (slot) => {
        const session = newSession()
        const res = await fetch(`${server.url}/v1/holds`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Booking-Session': session },
          body: JSON.stringify({ resourceId: r.id, start: slot.start }),
        })
        return { session, hold: ((await res.json()) as { hold: PublicHold }).hold }
      }),
    )
    const inFlight = held.map(async ({ session, hold }) => {
      try {
        const res = await fetch(`${server.url}/v1/bookings`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Booking-Session': session },
          body: JSON.stringify({ holdId: hold.id, guest: { name: 'Late Guest', email: 'late@example.com' } }),
        })
        return {
          status: res.status,
          ref: res.status === 201 ? ((await res.json()) as { booking: PublicBooking }).booking.ref : undefined,
        }
      } catch {
        return { status: 0, ref: undefined } // refused: sent after the listener closed
      }
    })
    await new Promise((resolve) => setTimeout(resolve, 5))
    const stopping = performance.now()
    await server.stop()
    const stoppedInMs = performance.now() - stopping
    const results = await Promise.all(inFlight)
    console.log(
      `shutdown: exited in ${stoppedInMs.toFixed(0)} ms; answers ${JSON.stringify(results.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {}))}`,
    )
    expect(stoppedInMs).toBeLessThan(10_000)
    expect(results.filter((res) => res.status >= 500)).toEqual([])
    const answered = results.filter((res) => res.ref).map((res) => res.ref!)
    const rows = await database.db
      .select()
      .from(bookings)
      .where(sql`${bookings.resourceId} = ${r.id}`)
    // Exactly the answered bookings exist: none lost, none written without an answer.
    expect(rows.map((row) => row.ref).sort()).toEqual(answered.sort())
  })
})
