import { parseArgs } from 'node:util'
import { createAdminKey, listAdminKeys, revokeAdminKey } from './admin/keys'
import {
  claimLock,
  DatabaseInUseError,
  inspectLock,
  lockFilePath,
  processAlive,
  type LockRecord,
} from './admin/local-channel'
import { ConfigError, loadConfig } from './config'
import { openDatabase } from './db/open-database'

/**
 * `npm run admin:key -- --name "front desk"` prints a new owner API key, once.
 * `npm run admin:key -- --revoke <prefix or id>` revokes one; `--list` shows them (never the keys).
 *
 * With DATABASE_URL the database is used directly. With the embedded database, a running
 * `npm start` holds the folder (PGlite is one process's), so the CLI asks that server to do
 * the work in its own database over its local channel (see api/admin/local-channel.ts);
 * with no server running it opens the folder itself, holding its lock meanwhile. A key is
 * printed only once it is in the database the server reads.
 */

type Operation = { kind: 'create'; name: string } | { kind: 'revoke'; idOrPrefix: string } | { kind: 'list' }

interface KeyInfo {
  id: string
  prefix: string
  name: string
  createdAt: string
  revokedAt: string | null
}

type Outcome =
  | { kind: 'created'; key: string; info: KeyInfo }
  | { kind: 'revoked'; info: KeyInfo | undefined }
  | { kind: 'listed'; keys: KeyInfo[] }

/** A failure the owner can act on: one line on stderr, exit code 1. */
class CliFailure extends Error {}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { name: { type: 'string' }, revoke: { type: 'string' }, list: { type: 'boolean' } },
  })
  const operation: Operation | undefined = values.revoke
    ? { kind: 'revoke', idOrPrefix: values.revoke }
    : values.list
      ? { kind: 'list' }
      : values.name?.trim()
        ? { kind: 'create', name: values.name.trim() }
        : undefined
  if (!operation) {
    console.error('Usage: npm run admin:key -- --name "front desk" | --revoke <prefix> | --list')
    process.exitCode = 2
    return
  }
  const config = loadConfig()
  const outcome = config.databaseUrl
    ? await direct(config.databaseUrl, undefined, operation)
    : await embedded(config.dataDir, operation)
  report(outcome, operation)
}

/** The embedded database: through the server that holds it, or directly under its lock. */
async function embedded(dataDir: string, operation: Operation): Promise<Outcome> {
  let told = false
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await inspectLock(dataDir)
    if (found.kind === 'server') {
      const outcome = await viaServer(found.record, operation, dataDir)
      if (outcome) return outcome
      continue // the server exited meanwhile: the folder is free
    }
    let lock
    try {
      lock = await claimLock(dataDir, 'cli', {
        onWait: (other) => {
          if (told) return
          told = true
          console.error(
            other.holder === 'cli'
              ? `Waiting for another npm run admin:key (pid ${other.pid})…`
              : `Waiting for the server (pid ${other.pid}) to finish starting…`,
          )
        },
      })
    } catch (error) {
      // A server took the folder meanwhile: go through it.
      if (error instanceof DatabaseInUseError && error.record.holder === 'server' && error.record.url) continue
      if (error instanceof DatabaseInUseError)
        throw new CliFailure(`${error.message} Stop it first, or open the setup link the server printed.`)
      throw error
    }
    try {
      return await direct(undefined, dataDir, operation)
    } finally {
      await lock.release()
    }
  }
  throw new CliFailure(`The embedded database in ${dataDir} keeps changing hands; stop npm start and try again.`)
}

/** The database opened here; closed (and so written to disk) before anything is printed. */
async function direct(url: string | undefined, dataDir: string | undefined, operation: Operation): Promise<Outcome> {
  const database = await openDatabase({ url, dataDir, migrate: !url })
  let outcome: Outcome
  try {
    if (operation.kind === 'create') {
      const { key, row } = await createAdminKey(database.db, operation.name)
      outcome = { kind: 'created', key, info: toInfo(row) }
    } else if (operation.kind === 'revoke') {
      const row = await revokeAdminKey(database.db, operation.idOrPrefix, Date.now())
      outcome = { kind: 'revoked', info: row && toInfo(row) }
    } else {
      outcome = { kind: 'listed', keys: (await listAdminKeys(database.db)).map(toInfo) }
    }
  } finally {
    await database.close()
  }
  return outcome
}

/**
 * Asks the running server over its local channel. Undefined when the server has exited
 * in the meantime (the caller then opens the folder itself); a server that is alive but
 * does not answer is a failure, never a reason to open its folder behind its back.
 */
async function viaServer(server: LockRecord, operation: Operation, dataDir: string): Promise<Outcome | undefined> {
  const call = async (method: string, path: string, body?: unknown, token = server.secret) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    })
    return {
      status: res.status,
      body: (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined,
    }
  }
  const refuse = (why: string) =>
    new CliFailure(
      `The embedded database is in use by the running server (pid ${server.pid}), which ${why}; stop it first (if none runs, delete ${lockFilePath(dataDir)}), or open the setup link it printed.`,
    )
  try {
    if (operation.kind === 'create') {
      const made = await call('POST', '/v1/internal/admin-keys', { name: operation.name })
      if (made.status !== 201 || typeof made.body?.key !== 'string')
        throw refuse(`refused to make a key (HTTP ${made.status})`)
      const key = made.body.key
      // The server made it in its own database; still, nothing is printed that it does not accept.
      const check = await call('GET', '/v1/admin/resources', undefined, key)
      if (check.status !== 200)
        throw refuse(
          `does not accept the key it made (HTTP ${check.status}); revoke ${String(made.body.prefix)} with --revoke`,
        )
      return { kind: 'created', key, info: made.body as unknown as KeyInfo }
    }
    if (operation.kind === 'revoke') {
      const res = await call('DELETE', `/v1/internal/admin-keys/${encodeURIComponent(operation.idOrPrefix)}`)
      if (res.status === 404) return { kind: 'revoked', info: undefined }
      if (res.status !== 200) throw refuse(`refused to revoke it (HTTP ${res.status})`)
      return { kind: 'revoked', info: res.body?.key as KeyInfo }
    }
    const res = await call('GET', '/v1/internal/admin-keys')
    if (res.status !== 200) throw refuse(`refused to list keys (HTTP ${res.status})`)
    return { kind: 'listed', keys: res.body?.keys as KeyInfo[] }
  } catch (error) {
    if (error instanceof CliFailure) throw error
    if (!processAlive(server.pid)) return undefined
    throw refuse(`did not answer at ${server.url} (${(error as Error).message})`)
  }
}

function report(outcome: Outcome, operation: Operation): void {
  if (outcome.kind === 'created') {
    console.log(
      `New admin key "${outcome.info.name}" (prefix ${outcome.info.prefix}). It is shown once; only its hash is stored:\n\n${outcome.key}\n`,
    )
    console.log('Use it as: Authorization: Bearer <key>  (or sign in at /admin)')
  } else if (outcome.kind === 'revoked') {
    if (!outcome.info) {
      console.error(`No active key with id or prefix ${operation.kind === 'revoke' ? operation.idOrPrefix : ''}.`)
      process.exitCode = 1
      return
    }
    console.log(`Revoked key ${outcome.info.prefix} ("${outcome.info.name}"). Requests with it now get 401.`)
  } else {
    for (const row of outcome.keys) {
      console.log(`${row.prefix}  ${row.revokedAt ? 'revoked' : 'active '}  ${row.name}  created ${row.createdAt}`)
    }
  }
}

function toInfo(row: { id: string; prefix: string; name: string; createdAt: Date; revokedAt: Date | null }): KeyInfo {
  return {
    id: row.id,
    prefix: row.prefix,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof CliFailure ? error.message : error)
  process.exit(1)
})
