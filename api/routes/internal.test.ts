import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ErrorBody } from '../../shared/errors'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { verifyAdminKey } from '../admin/keys'
import { createApp } from '../app'

/*
 * The admin:key channel of a server on the embedded database. It makes owner keys, so it
 * answers only a caller on this machine (read from the socket, as Node's server gives it)
 * that presents the secret from the lock file; anything less is the same 401.
 */

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database?.close())

const SECRET = 'local-channel-secret-0123456789abcdefghijkl'
const socket = (remoteAddress: string, localAddress = '127.0.0.1') => ({
  incoming: { socket: { remoteAddress, localAddress } },
})

function channel(options: { localSecret?: string } = { localSecret: SECRET }) {
  const app = createApp({ db: database.db, ...options })
  return async <T>(method: string, path: string, env: unknown, token: string | undefined, body?: unknown) => {
    const res = await app.request(
      `/v1/internal/admin-keys${path}`,
      {
        method,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      },
      env,
    )
    return { status: res.status, body: (await res.json()) as T }
  }
}

describe('the local admin:key channel', () => {
  it('makes a working key, lists it without its secret, and revokes it, for a loopback caller with the secret', async () => {
    const call = channel()
    for (const local of [socket('127.0.0.1'), socket('::1', '::1'), socket('::ffff:127.0.0.1', '::ffff:127.0.0.1')]) {
      const made = await call<{ key: string; prefix: string; name: string }>('POST', '', local, SECRET, {
        name: 'front desk',
      })
      expect([made.status, made.body.name]).toEqual([201, 'front desk'])
      expect((await verifyAdminKey(database.db, made.body.key, Date.now()))?.prefix).toBe(made.body.prefix)

      const listed = await call<{ keys: { prefix: string; revokedAt: string | null }[] }>('GET', '', local, SECRET)
      expect(listed.body.keys.find((k) => k.prefix === made.body.prefix)).toMatchObject({ revokedAt: null })
      expect(JSON.stringify(listed.body)).not.toContain(made.body.key.slice(13))

      const revoked = await call<{ key: { prefix: string; revokedAt: string } }>(
        'DELETE',
        `/${made.body.prefix}`,
        local,
        SECRET,
      )
      expect([revoked.status, revoked.body.key.prefix]).toEqual([200, made.body.prefix])
      expect(await verifyAdminKey(database.db, made.body.key, Date.now())).toBeUndefined()
      expect((await call<ErrorBody>('DELETE', `/${made.body.prefix}`, local, SECRET)).status).toBe(404)
      // Nothing but a key's id or prefix reaches the database: a NUL would otherwise be a 500.
      for (const odd of ['%00', 'a%00b', '%E2%80%AE', 'x'.repeat(300)])
        expect((await call<ErrorBody>('DELETE', `/${odd}`, local, SECRET)).status).toBe(404)
    }
  })

  it('accepts a caller on the same machine through the LAN address the server is bound to', async () => {
    const made = await channel()<{ key: string }>('POST', '', socket('192.168.1.20', '192.168.1.20'), SECRET, {
      name: 'lan',
    })
    expect(made.status).toBe(201)
  })

  it.each([
    ['another machine, with the secret', socket('203.0.113.7', '192.168.1.20'), SECRET],
    ['another machine through an IPv4-mapped address', socket('::ffff:203.0.113.7', '::ffff:192.168.1.20'), SECRET],
    ['this machine, with a wrong secret', socket('127.0.0.1'), `${SECRET}x`],
    ['this machine, without a secret', socket('127.0.0.1'), undefined],
    ['a runtime without a socket (Workers)', undefined, SECRET],
  ])('answers 401 to %s, and makes nothing', async (_label, env, token) => {
    const call = channel()
    for (const [method, path, body] of [
      ['POST', '', { name: 'x' }],
      ['GET', '', undefined],
      ['DELETE', '/AAAAAAAA', undefined],
    ] as const) {
      const res = await call<ErrorBody>(method, path, env, token, body)
      expect([res.status, res.body.error.code]).toEqual([401, 'unauthorized'])
    }
  })

  it('is closed when the server has no channel (a server database, or the edge)', async () => {
    const res = await channel({})<ErrorBody>('POST', '', socket('127.0.0.1'), SECRET, { name: 'x' })
    expect(res.status).toBe(401)
  })
})
