import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ErrorBody } from '../../shared/errors'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { createAdminKey } from '../admin/keys'
import { createSetupToken } from '../admin/setup'
import { parseTrustProxy } from '../client-ip'
import { fixedClock } from '../clock'
import { createHoldBackend } from '../holds/create-hold-backend'
import type { RateLimiter } from '../holds/hold-store'
import type { Logger } from '../logger'

/*
 * Failed admin authentications (a wrong, malformed or revoked bearer key; an unknown, used
 * or expired setup token) are counted per client; past the limit the client is refused
 * with 429, even with a correct key, until the window has passed. On both limiter
 * implementations: memory always, Upstash (through the REST bridge) when REDIS_URL is set.
 */

let database: TestDatabase
let key: string
beforeAll(async () => {
  database = await createTestDatabase()
  key = (await createAdminKey(database.db, 'auth-limit tests')).key
})
afterAll(() => database?.close())

const upstash =
  process.env.UPSTASH_REDIS_REST_URL && process.env.UPSTASH_REDIS_REST_TOKEN
    ? { url: process.env.UPSTASH_REDIS_REST_URL, token: process.env.UPSTASH_REDIS_REST_TOKEN }
    : undefined
const variants = [{ name: 'memory', upstash: undefined }, ...(upstash ? [{ name: 'upstash', upstash }] : [])]

const NOW = '2026-03-20T12:00:00Z'
const WRONG = 'bka_AAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'

function setup(
  backendOptions: { upstash?: { url: string; token: string } | undefined; limit?: number },
  extra: { adminAuthRateLimiter?: RateLimiter; logger?: Logger } = {},
) {
  const clock = fixedClock(NOW)
  const backend = createHoldBackend({
    upstash: backendOptions.upstash,
    holdRateLimitPerMinute: 0,
    adminAuthFailureLimit: backendOptions.limit ?? 3,
    clock,
    keyPrefix: `auth-limit:${randomBytes(4).toString('hex')}:`,
  })
  const api = createTestApi({
    db: database.db,
    clock,
    holds: backend.holds,
    adminAuthRateLimiter: backend.adminAuthRateLimiter,
    trustProxy: parseTrustProxy('1'),
    ...extra,
  })
  /** GET /v1/admin/resources from `ip` (behind one proxy), with this Authorization header (none when undefined). */
  const admin = (ip: string, authorization?: string) =>
    api.call<ErrorBody>('GET', '/v1/admin/resources', {
      headers: { 'X-Forwarded-For': ip, ...(authorization !== undefined ? { Authorization: authorization } : {}) },
    })
  const exchange = (ip: string, token: string) =>
    api.call<ErrorBody & { key: string }>('POST', '/v1/admin/setup', {
      body: { token },
      headers: { 'X-Forwarded-For': ip },
    })
  return { ...api, clock, admin, exchange }
}

describe.each(variants)('failed admin authentications ($name limiter)', ({ upstash }) => {
  it('refuses a client past the limit with 429 and Retry-After, even with the right key; other clients are not affected', async () => {
    const { admin } = setup({ upstash })
    const ip = '203.0.113.10'
    for (const bad of [`Bearer ${WRONG}`, 'Bearer nonsense', 'Basic dXNlcjpwYXNz']) {
      const res = await admin(ip, bad)
      expect([res.status, res.body.error.code]).toEqual([401, 'unauthorized'])
    }
    const refused = await admin(ip, `Bearer ${key}`)
    expect([refused.status, refused.body.error.code]).toEqual([429, 'rate_limited'])
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60)
    expect(refused.body.error.details).toMatchObject({ retryAfterSec: Number(refused.headers.get('retry-after')) })
    expect((await admin(ip, `Bearer ${WRONG}`)).status).toBe(429)

    expect((await admin('198.51.100.11', `Bearer ${key}`)).status).toBe(200)
    expect((await admin('198.51.100.12', `Bearer ${WRONG}`)).status).toBe(401)
  })

  it('counts only failures: successes and requests without any Authorization header cost nothing', async () => {
    const { admin } = setup({ upstash })
    const ip = '203.0.113.20'
    for (let i = 0; i < 6; i++) expect((await admin(ip, `Bearer ${key}`)).status).toBe(200)
    for (let i = 0; i < 6; i++) expect((await admin(ip)).status).toBe(401)
    expect((await admin(ip, `Bearer ${WRONG}`)).status).toBe(401)
    expect((await admin(ip, `Bearer ${WRONG}`)).status).toBe(401)
    expect((await admin(ip, `Bearer ${key}`)).status).toBe(200)
    expect((await admin(ip, `Bearer ${WRONG}`)).status).toBe(401)
    expect((await admin(ip, `Bearer ${key}`)).status).toBe(429)
  })

  it('counts bad setup tokens in the same budget, and a good token from a refused client waits too', async () => {
    const { admin, exchange, clock } = setup({ upstash })
    const ip = '203.0.113.30'
    const { token } = await createSetupToken(database.db, clock.now())
    expect((await exchange(ip, randomBytes(32).toString('base64url'))).status).toBe(401)
    expect((await exchange(ip, 'short')).status).toBe(401)
    expect((await admin(ip, `Bearer ${WRONG}`)).status).toBe(401)
    const refused = await exchange(ip, token)
    expect([refused.status, refused.body.error.code]).toEqual([429, 'rate_limited'])
    expect(refused.headers.get('retry-after')).toBeTruthy()
    // The token was not spent by the refused request.
    const made = await exchange('198.51.100.31', token)
    expect(made.status).toBe(201)
    expect(made.body.key).toMatch(/^bka_/)
  })

  it('puts an IPv6 client’s whole /64 in one budget', async () => {
    const { admin } = setup({ upstash })
    expect((await admin('2001:db8:5:6::1', `Bearer ${WRONG}`)).status).toBe(401)
    expect((await admin('2001:db8:5:6::2', `Bearer ${WRONG}`)).status).toBe(401)
    expect((await admin('2001:db8:5:6:abcd::3', `Bearer ${WRONG}`)).status).toBe(401)
    expect((await admin('2001:db8:5:6::4', `Bearer ${key}`)).status).toBe(429)
    expect((await admin('2001:db8:5:7::4', `Bearer ${key}`)).status).toBe(200)
  })
})

describe('failed admin authentications over time', () => {
  it('lets the client in again once the 15-minute window has passed', async () => {
    const { admin, clock } = setup({ upstash: undefined })
    const ip = '203.0.113.40'
    for (let i = 0; i < 3; i++) expect((await admin(ip, `Bearer ${WRONG}`)).status).toBe(401)
    const refused = await admin(ip, `Bearer ${key}`)
    expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '900'])
    clock.set('2026-03-20T12:14:59Z')
    expect((await admin(ip, `Bearer ${key}`)).status).toBe(429)
    clock.set('2026-03-20T12:15:00Z')
    expect((await admin(ip, `Bearer ${key}`)).status).toBe(200)
  })

  it('is off unless a limiter is given (createApp’s default)', async () => {
    const clock = fixedClock(NOW)
    const api = createTestApi({ db: database.db, clock })
    for (let i = 0; i < 20; i++)
      expect((await api.call('GET', '/v1/admin/resources', { token: WRONG })).status).toBe(401)
    expect((await api.call('GET', '/v1/admin/resources', { token: key })).status).toBe(200)
  })

  it('keeps the owner’s console working when the limiter cannot answer, and logs it', async () => {
    const errors: string[] = []
    const broken: RateLimiter = {
      consume: () => Promise.reject(new Error('ECONNREFUSED')),
      peek: () => Promise.reject(new Error('ECONNREFUSED')),
    }
    const { admin } = setup(
      { upstash: undefined },
      { adminAuthRateLimiter: broken, logger: { info() {}, error: (message) => void errors.push(message) } },
    )
    expect((await admin('203.0.113.50', `Bearer ${key}`)).status).toBe(200)
    expect((await admin('203.0.113.50', `Bearer ${WRONG}`)).status).toBe(401)
    expect(errors.length).toBeGreaterThan(0)
  })
})
