import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { PublicHold } from '../shared/types'
import { createTestDatabase, type TestDatabase } from '../test/database'
import { newSession } from '../test/holds'
import { startApiServer, type RunningServer } from '../test/server'

/*
 * `npm start` with TRUST_PROXY=1 and the default client limits, as a real process: the
 * client is the right-most X-Forwarded-For hop, holds 4 at most, and is refused after 10
 * failed admin sign-ins. On the suite's database and hold store (PostgreSQL + Redis when
 * configured, else the embedded database and memory holds).
 */

let database: TestDatabase | undefined
let dir: string
let server: RunningServer
let key: string

// Fresh addresses each run: the server's Redis keys carry no per-test prefix.
const net = randomBytes(4)
  .toString('hex')
  .replace(/^(.{4})/, '$1:')
/** A client of its own: a /64 per host number. */
const ip = (host: number) => `2001:${net}:${host}::1`

async function call<T>(
  method: string,
  path: string,
  options: { xff: string; body?: unknown; session?: string; token?: string },
) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      'X-Forwarded-For': options.xff,
      ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(options.session ? { 'X-Booking-Session': options.session } : {}),
      ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'booking-client-limits-'))
  // A server database is copied from the suite's template; else the server opens its own embedded one.
  if (inject('testDatabase').kind === 'postgres') database = await createTestDatabase()
  const where = database?.url ? { DATABASE_URL: database.url } : { DATABASE_URL: '', DATA_DIR: join(dir, 'pglite') }
  server = await startApiServer({ ...where, TRUST_PROXY: '1' })
  // The first-run link gives the owner key (no key exists in a fresh database).
  let token: string | undefined
  for (let i = 0; i < 50 && !token; i++) {
    token = server.output().match(/#setup=([A-Za-z0-9_-]+)/)?.[1]
    if (!token) await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const made = await call<{ key: string }>('POST', '/v1/admin/setup', { xff: ip(1), body: { token } })
  expect(made.status).toBe(201)
  key = made.body.key
}, 120_000)

afterAll(async () => {
  await server?.stop()
  await database?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('npm start behind one trusted proxy, with the default client limits', () => {
  it('lets one client hold 4 slots across any number of sessions, whatever it writes into X-Forwarded-For', async () => {
    const created = await call<{ resource: { id: string } }>('POST', '/v1/admin/resources', {
      xff: ip(1),
      token: key,
      body: { slug: `limits-${randomBytes(4).toString('hex')}`, type: 'room', name: 'Limits room', timezone: 'UTC' },
    })
    expect(created.status).toBe(201)
    const resourceId = created.body.resource.id
    const schedules = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
      weekday,
      startTime: '09:00',
      endTime: '17:00',
      slotDuration: 60,
    }))
    expect(
      (
        await call('PUT', `/v1/admin/resources/${resourceId}/schedules`, {
          xff: ip(1),
          token: key,
          body: { schedules },
        })
      ).status,
    ).toBe(200)

    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10)
    const hold = (hour: number, xff: string) =>
      call<{ hold: PublicHold; error: { code: string } }>('POST', '/v1/holds', {
        xff,
        session: newSession(),
        body: { resourceId, start: `${day}T${String(hour).padStart(2, '0')}:00:00Z` },
      })
    const statuses = []
    for (const hour of [9, 10, 11, 12, 13]) statuses.push((await hold(hour, `198.18.0.${hour}, ${ip(2)}`)).status)
    expect(statuses).toEqual([201, 201, 201, 201, 429])
    expect((await hold(13, ip(3))).status).toBe(201)
  })

  it('refuses a client after 10 failed admin sign-ins, its right key included, for up to 15 minutes', async () => {
    const wrong = `bka_${key.slice(4, 12)}_${randomBytes(32).toString('base64url')}`
    const statuses = []
    for (let i = 0; i < 10; i++)
      statuses.push((await call('GET', '/v1/admin/resources', { xff: `198.18.1.${i}, ${ip(4)}`, token: wrong })).status)
    expect(statuses).toEqual(Array(10).fill(401))
    const refused = await call('GET', '/v1/admin/resources', { xff: ip(4), token: key })
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(900)
    expect((await call('GET', '/v1/admin/resources', { xff: ip(5), token: key })).status).toBe(200)
  })
})
