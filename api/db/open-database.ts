import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as schema from '../../drizzle/schema'
import type { Database, DatabaseHandle } from './database'
import { connectionFailure } from '../startup-errors'
import { connectPostgres } from './postgres-database'

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle/migrations', import.meta.url))

export interface OpenDatabaseOptions {
  /** postgres:// URL; when absent the embedded PGlite database is used. */
  url?: string | undefined
  /** PGlite data directory; absent = in memory. */
  dataDir?: string | undefined
  /** A PGlite data dump (from `dumpDataDir`) to start from, e.g. a migrated template in tests. */
  loadDataDir?: Blob | undefined
  /**
   * Apply pending migrations after connecting (on a server, under an advisory lock, so
   * processes starting together migrate once). The embedded database is always one process's.
   */
  migrate?: boolean
  /** On a server when not migrating: refuse a schema that is missing or behind (a StartupError). */
  requireMigrated?: boolean
  /** Called when another process is migrating the server database and this one waits for it. */
  onMigrationWait?: () => void
  /** postgres.js pool size. */
  maxConnections?: number
}

/**
 * Opens the one database the app uses: postgres.js when a URL is given, otherwise PGlite
 * with btree_gist (needed by the no-overlap constraint). A given URL that cannot be reached
 * is an error — never a silent fall back to the embedded database.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  if (options.url) return openPostgres(options.url, options)
  return openPglite(options)
}

export interface OpenedDatabase extends DatabaseHandle {
  /** How many migrations this open applied on a server (0 when another process had done it). */
  migrationsApplied?: number
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const { client, db, close } = connectPostgres(url, options)
  let migrationsApplied: number | undefined
  try {
    try {
      await client`select 1`
    } catch (cause) {
      // A StartupError (what failed, what to do) whose message names the host, never the password.
      throw connectionFailure(cause, url)
    }
    const { assertMigrated, migratePostgres } = await import('./migrate')
    if (options.migrate) migrationsApplied = await migratePostgres(url, client, { onWait: options.onMigrationWait })
    else if (options.requireMigrated) await assertMigrated(client)
  } catch (error) {
    await client.end({ timeout: 1 }).catch(() => {})
    throw error
  }
  return { db, kind: 'postgres', close, ...(migrationsApplied === undefined ? {} : { migrationsApplied }) }
}

async function openPglite(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const { PGlite } = await import('@electric-sql/pglite')
  const { btree_gist } = await import('@electric-sql/pglite/contrib/btree_gist')
  const { drizzle } = await import('drizzle-orm/pglite')
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true })
  // The extension must be passed on every open, not only the first (else 58P01).
  const client = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    extensions: { btree_gist },
  })
  const pglite = drizzle(client, { schema })
  if (options.migrate) {
    const { migrate } = await import('drizzle-orm/pglite/migrator')
    await migrate(pglite, { migrationsFolder: MIGRATIONS_FOLDER })
  }
  return { db: pglite as unknown as Database, kind: 'pglite', close: () => client.close() }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '(unparsable URL)'
  }
}
