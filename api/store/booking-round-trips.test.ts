import { eq, sql } from 'drizzle-orm'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as schema from '../../drizzle/schema'
import { bookings, notifications } from '../../drizzle/schema'
import { BookingError } from '../../shared/errors'
import type { PublicHold } from '../../shared/types'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertResource } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { fixedClock } from '../clock'
import type { Database } from '../db/database'
import { createOutboxPlanner } from '../notify/outbox'
import { insertBooking, type NewBooking } from './bookings'

/*
 * How many statements a booking costs the database. Every statement the driver sends is
 * recorded (postgres.js `debug` sees BEGIN and COMMIT too; on PGlite the client is wrapped
 * and a transaction counts as its BEGIN and COMMIT), so "one" means one round trip.
 */

let database: TestDatabase
let counted: { db: Database; statements: string[]; close(): Promise<void> }
beforeAll(async () => {
  database = await createTestDatabase()
  counted = countingDatabase(database)
})
afterAll(async () => {
  await counted?.close()
  await database?.close()
})

function countingDatabase(handle: TestDatabase): typeof counted {
  const statements: string[] = []
  if (handle.url) {
    // fetch_types off: the type lookup postgres.js does on a fresh connection is not the booking's.
    const client = postgres(handle.url, {
      max: 4,
      fetch_types: false,
      onnotice: () => {},
      debug: (_connection, query) => statements.push(query),
    })
    return { db: drizzlePostgres(client, { schema }) as unknown as Database, statements, close: () => client.end() }
  }
  // PGlite runs a transaction's statements on the object it passes to the callback: count those too.
  const counting = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(object, property) {
        const value = Reflect.get(object, property, object) as unknown
        if (typeof value !== 'function') return value
        const call = value as (...a: unknown[]) => unknown
        if (property === 'query' || property === 'exec') {
          return (...args: unknown[]) => {
            statements.push(String(args[0]))
            return call.apply(object, args)
          }
        }
        if (property === 'transaction') {
          return async (...args: unknown[]) => {
            const body = args[0] as (tx: object) => Promise<unknown>
            statements.push('begin')
            try {
              return await call.apply(object, [(tx: object) => body(counting(tx)), ...args.slice(1)])
            } finally {
              statements.push('commit')
            }
          }
        }
        return call.bind(object)
      },
    })
  const wrapped = counting((handle.db as unknown as { $client: object }).$client)
  return { db: drizzlePglite(wrapped as never, { schema }) as unknown as Database, statements, close: async () => {} }
}

const NOW = Date.UTC(2026, 5, 1, 8)
const HOUR = 3_600_000
let nextSlot = 0
function newBooking(resourceId: string, overrides: Partial<NewBooking> = {}): NewBooking {
  const start = NOW + 48 * HOUR + nextSlot++ * HOUR
  return {
    ref: `RT${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
    resourceId,
    status: 'confirmed',
    start,
    end: start + HOUR,
    guest: { name: 'Ada', email: 'ada@example.com', phone: '+442071234567' },
    sessionId: 'sess_round_trips',
    manageTokenHash: 'a'.repeat(64),
    ...overrides,
  }
}

describe('insertBooking round trips', () => {
  const outbox = createOutboxPlanner({ adminEmail: 'fallback@example.test' })

  it('writes a booking and all its outbox rows in one statement, the notify address given by the caller', async () => {
    const resource = await insertResource(database.db, { config: { notifyEmail: 'owner@example.test' } })
    counted.statements.length = 0
    const row = await insertBooking(
      counted.db,
      newBooking(resource.id, { notifyEmail: 'owner@example.test' }),
      NOW,
      outbox,
    )
    expect(counted.statements).toHaveLength(1)
    expect(counted.statements.join('\n')).not.toMatch(/bookable_resources/)

    expect(row.status).toBe('confirmed')
    expect(row.version).toBe(1)
    expect(row.startsAt).toBeInstanceOf(Date)
    const messages = await database.db.select().from(notifications).where(eq(notifications.bookingId, row.id))
    const summary = messages.map((m) => `${m.event}/${m.channel}/${m.recipient}/${m.status}/v${m.version}`).sort()
    expect(summary).toEqual([
      'admin_new_booking/email/owner@example.test/pending/v1',
      'created/email/ada@example.com/pending/v1',
      'created/sms/+442071234567/pending/v1',
      'reminder_1h/sms/+442071234567/pending/v1',
      'reminder_24h/email/ada@example.com/pending/v1',
      'reminder_24h/sms/+442071234567/pending/v1',
    ])
  })

  it('falls back to the server-wide address when the resource has none', async () => {
    const resource = await insertResource(database.db)
    const row = await insertBooking(counted.db, newBooking(resource.id, { status: 'pending' }), NOW, outbox)
    const messages = await database.db.select().from(notifications).where(eq(notifications.bookingId, row.id))
    expect(messages.map((m) => `${m.event}/${m.recipient}`).sort()).toEqual([
      'admin_new_booking/fallback@example.test',
      'created/+442071234567',
      'created/ada@example.com',
    ])
  })

  it('writes no outbox rows for a booking that waits for its payment, still in one statement', async () => {
    const resource = await insertResource(database.db)
    counted.statements.length = 0
    const row = await insertBooking(
      counted.db,
      newBooking(resource.id, { status: 'pending', payment: { amount: 5000, currency: 'EUR' } }),
      NOW,
      outbox,
    )
    expect(counted.statements).toHaveLength(1)
    expect(await database.db.select().from(notifications).where(eq(notifications.bookingId, row.id))).toEqual([])
  })

  it('leaves the constraint the last word: an overlapping insert is slot_taken and writes nothing', async () => {
    const resource = await insertResource(database.db)
    const first = newBooking(resource.id)
    await insertBooking(counted.db, first, NOW, outbox)
    const overlapping = newBooking(resource.id, { start: first.start + HOUR / 2, end: first.end + HOUR / 2 })
    const error = await insertBooking(counted.db, overlapping, NOW, outbox).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BookingError)
    expect((error as BookingError).code).toBe('slot_taken')
    expect(await database.db.select().from(bookings).where(eq(bookings.ref, overlapping.ref))).toEqual([])
  })

  it('ends the lock timeout with the statement: the connection keeps its default', async () => {
    const resource = await insertResource(database.db)
    await insertBooking(counted.db, newBooking(resource.id), NOW, outbox)
    const rows = (await counted.db.execute(sql`show lock_timeout`)) as unknown as
      { lock_timeout: string }[] | { rows: { lock_timeout: string }[] }
    const value = Array.isArray(rows) ? rows[0]?.lock_timeout : rows.rows[0]?.lock_timeout
    expect(value).toBe('0')
  })

  it.runIf(Boolean(process.env.DATABASE_URL))(
    'cuts a wait on an uncommitted overlapping row short and queues behind the resource lock instead',
    async () => {
      const resource = await insertResource(database.db)
      const slot = newBooking(resource.id)
      const other = postgres(database.url!, { max: 1, onnotice: () => {} })
      try {
        const blocker = await other.reserve()
        await blocker`begin`
        await blocker`insert into bookings (ref, resource_id, status, starts_at, ends_at, guest_name, guest_email, manage_token_hash, session_id)
        values (${`BLK${slot.ref}`.slice(0, 16)}, ${resource.id}, 'confirmed', ${new Date(slot.start).toISOString()}, ${new Date(slot.end).toISOString()}, 'B', 'b@example.com', 'x', 's')`
        counted.statements.length = 0
        const attempt = insertBooking(counted.db, slot, NOW, outbox)
        await new Promise((resolve) => setTimeout(resolve, 600))
        // The one-statement write gave up after the optimistic lock timeout (not after the
        // 1 s deadlock timeout, nor never), and is now waiting in the serialised retry.
        expect(counted.statements.some((q) => q.includes('pg_advisory_xact_lock'))).toBe(true)
        await blocker`rollback`
        blocker.release()
        expect((await attempt).resourceId).toBe(resource.id)
      } finally {
        await other.end()
      }
    },
  )

  it('settles 20 concurrent inserts at one time to exactly one booking', async () => {
    const resource = await insertResource(database.db)
    const slot = newBooking(resource.id)
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        insertBooking(counted.db, { ...slot, ref: `RACE${i}${slot.ref}`.slice(0, 16) }, NOW, outbox),
      ),
    )
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    for (const o of outcomes) if (o.status === 'rejected') expect((o.reason as BookingError).code).toBe('slot_taken')
    expect(await database.db.select().from(bookings).where(eq(bookings.resourceId, resource.id))).toHaveLength(1)
  })
})

describe('POST /v1/bookings round trips', () => {
  it('costs one statement, or two with an Idempotency-Key (the replay look-up); the owner address comes from the catalog', async () => {
    const clock = fixedClock('2026-06-01T08:00:00Z')
    const api = createTestApi({
      db: counted.db,
      clock,
      holds: createTestHoldBackend(clock).holds,
      outbox: createOutboxPlanner({ adminEmail: 'fallback@example.test' }),
    })
    const resource = await insertResource(database.db, {
      config: { notifyEmail: 'owner@example.test' },
      schedules: everyDay({ startTime: '09:00', endTime: '17:00', slotDuration: 60 }),
    })
    const book = async (start: string, headers: Record<string, string> = {}) => {
      const session = newSession()
      const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
        session,
        body: { resourceId: resource.id, start },
      })
      expect(hold.status).toBe(201)
      counted.statements.length = 0
      const res = await api.call<{ booking: { ref: string } }>('POST', '/v1/bookings', {
        session,
        headers,
        body: { holdId: hold.body.hold.id, guest: { name: 'Ada', email: 'ada@example.com' } },
      })
      expect(res.status).toBe(201)
      return [...counted.statements]
    }
    expect(await book('2026-06-03T09:00:00Z')).toHaveLength(1)
    expect(await book('2026-06-03T10:00:00Z', { 'Idempotency-Key': `key-${newSession()}` })).toHaveLength(2)
    const admin = await database.db.select().from(notifications).where(eq(notifications.event, 'admin_new_booking'))
    expect(admin.filter((m) => m.recipient === 'owner@example.test').length).toBeGreaterThanOrEqual(2)
  })
})
