import { Hono, type Context } from 'hono'
import type { AdminKeyRow } from '../../drizzle/schema'
import { BookingError } from '../../shared/errors'
import { localAdminKeyCreateSchema } from '../../shared/schemas'
import { createAdminKey, listAdminKeys, revokeAdminKey } from '../admin/keys'
import type { AppEnv } from '../app-env'
import { digestsEqual, sha256Hex } from '../crypto'
import { bearerToken, readJson } from '../request'
import { runDueWork } from '../due-work'

export interface InternalRoutesOptions {
  /**
   * The secret of the local admin:key channel, set by `npm start` on the embedded database
   * (and written, mode 0600, into the lock file beside the data folder); undefined closes
   * `/v1/internal/admin-keys`.
   */
  localSecret?: string | undefined
}

/**
 * Work a scheduler may trigger from outside (edge runtimes have no timers of their own),
 * and the channel `npm run admin:key` uses while the server holds the embedded database
 * (PGlite is one process: a key the CLI wrote into the folder itself would never be seen).
 *
 * @example
 * POST /v1/internal/cron  Authorization: Bearer $CRON_SECRET  → 200 {"expired": 2, "payments": {…}}
 * POST /v1/internal/admin-keys  Authorization: Bearer <lock file secret>  {"name":"front desk"}  (from this machine only)
 *   → 201 {"key":"bka_…","id":"…","prefix":"…","name":"front desk"}
 */
export function createInternalRoutes(options: InternalRoutesOptions = {}) {
  const { localSecret } = options
  const localOnly = async (c: Context<AppEnv>, next: () => Promise<void>) => {
    const given = bearerToken(c)
    // Both, always: the secret (so a same-host proxy or a rebound browser page cannot use it)
    // and a connection from this machine (so a leaked secret is no use from elsewhere).
    const secretOk =
      localSecret !== undefined &&
      given !== undefined &&
      digestsEqual(await sha256Hex(given), await sha256Hex(localSecret))
    if (!secretOk || !fromThisMachine(c)) {
      throw new BookingError(
        'unauthorized',
        'Only npm run admin:key on this machine may use this (the secret from the lock file beside the data folder).',
      )
    }
    await next()
  }

  return new Hono<AppEnv>()
    .post('/cron', async (c) => {
      const { cronSecret } = c.var.deps
      const given = bearerToken(c)
      // Without CRON_SECRET the endpoint is closed; the in-process sweep still runs on Node.
      if (!cronSecret || !given || !digestsEqual(await sha256Hex(given), await sha256Hex(cronSecret))) {
        throw new BookingError('unauthorized', 'A valid cron secret is required.')
      }
      return c.json(await runDueWork(c.var.deps))
    })
    .use('/admin-keys', localOnly)
    .use('/admin-keys/*', localOnly)
    .get('/admin-keys', async (c) => c.json({ keys: (await listAdminKeys(c.var.deps.db)).map(toKeyInfo) }))
    .post('/admin-keys', async (c) => {
      const { name } = await readJson(c, localAdminKeyCreateSchema)
      const { key, row } = await createAdminKey(c.var.deps.db, name)
      return c.json({ key, ...toKeyInfo(row) }, 201)
    })
    .delete('/admin-keys/:idOrPrefix', async (c) => {
      const row = await revokeAdminKey(c.var.deps.db, c.req.param('idOrPrefix'), c.var.deps.clock.now())
      if (!row) throw new BookingError('not_found', 'No active key with this id or prefix.')
      return c.json({ key: toKeyInfo(row) })
    })
}

/** A key as lists show it: never the key, never its hash. */
function toKeyInfo(row: AdminKeyRow) {
  return {
    id: row.id,
    prefix: row.prefix,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  }
}

/**
 * Whether the TCP peer is this machine: a loopback address, or the address the connection
 * arrived on (a server bound to one LAN address, called from the same host). Read from the
 * socket, never from X-Forwarded-For. Runtimes without a socket (Workers) are never local.
 */
function fromThisMachine(c: Context): boolean {
  const socket = (c.env as { incoming?: { socket?: { remoteAddress?: string; localAddress?: string } } } | undefined)
    ?.incoming?.socket
  const plain = (address: string | undefined) => address?.replace(/^::ffff:/, '')
  const remote = plain(socket?.remoteAddress)
  if (!remote) return false
  return remote.startsWith('127.') || remote === '::1' || remote === plain(socket?.localAddress)
}
