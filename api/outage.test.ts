import { drizzle } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ErrorBody } from '../shared/errors'
import type { AvailabilityResponse } from '../shared/types'
import { createTestApi } from '../test/api'
import { createTestDatabase, type TestDatabase } from '../test/database'
import { everyDay, insertResource } from '../test/fixtures'
import { newSession } from '../test/holds'
import { fixedClock } from './clock'
import type { Database } from './db/database'
import type { HoldStore } from './holds/hold-store'

/*
 * Dependencies failing: a database that cannot be reached answers 503 `unavailable` fast
 * (never a 500, never a hang); a hold store that cannot be reached refuses holds with 503
 * but availability is still served, flagged. (The real outages, a PostgreSQL restart and a
 * Redis stop under load, are in the reliability suite.)
 */

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database?.close())

describe('the database is unreachable', () => {
  const client = postgres('postgres://postgres@127.0.0.1:1/nothing', { connect_timeout: 1, max: 2, onnotice: () => {} })
  const down = drizzle(client) as unknown as Database
  afterAll(() => client.end({ timeout: 0 }))

  it.each([
    ['GET', '/v1/resources'],
    ['GET', '/v1/resources/some-room/availability?from=2026-06-01&to=2026-06-02'],
    ['POST', '/v1/holds'],
  ])('%s %s answers 503 unavailable with Retry-After within 5 s', async (method, path) => {
    const { call } = createTestApi({ db: down })
    const started = performance.now()
    const res = await call<ErrorBody>(method, path, {
      session: newSession(),
      ...(method === 'POST' ? { body: { resourceId: 'some-room', start: '2026-06-01T10:00:00Z' } } : {}),
    })
    expect(performance.now() - started).toBeLessThan(5_000)
    expect([res.status, res.body.error.code]).toEqual([503, 'unavailable'])
    expect(res.headers.get('retry-after')).toBe('5')
  })
})

describe('the hold store is unreachable', () => {
  const broken: HoldStore = {
    place: async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6379')
    },
    get: async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6379')
    },
    release: async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6379')
    },
    listLive: async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6379')
    },
  } as unknown as HoldStore

  it('refuses holds with 503 at once, and still serves availability, flagged', async () => {
    const clock = fixedClock('2026-06-01T09:00:00Z')
    const api = createTestApi({ db: database.db, clock, holds: broken })
    const r = await insertResource(database.db, {
      schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
    })
    const started = performance.now()
    const hold = await api.call<ErrorBody>('POST', '/v1/holds', {
      session: newSession(),
      body: { resourceId: r.id, start: '2026-06-02T07:00:00Z' },
    })
    expect(performance.now() - started).toBeLessThan(1_000)
    expect([hold.status, hold.body.error.code]).toEqual([503, 'unavailable'])
    const avail = await api.call<AvailabilityResponse>(
      'GET',
      `/v1/resources/${r.id}/availability?from=2026-06-02&to=2026-06-02`,
    )
    expect(avail.status).toBe(200)
    expect(avail.body.holdsUnavailable).toBe(true)
    expect(avail.body.days[0]?.slots).toHaveLength(3)
  })
})
