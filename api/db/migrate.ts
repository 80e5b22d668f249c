import { readMigrationFiles, type MigrationMeta } from 'drizzle-orm/migrator'
import { drizzle } from 'drizzle-orm/postgres-js'
import { migrate } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import * as schema from '../../drizzle/schema'
import { migrationFailure, schemaBehind } from '../startup-errors'
import { MIGRATIONS_FOLDER } from './open-database'

/**
 * The session-level advisory lock every process of this app takes before migrating: an
 * arbitrary fixed 64-bit number, the same in every version (changing it would let an old
 * and a new process migrate at once).
 */
export const MIGRATION_LOCK_KEY = '7236152834170659521'

export interface MigrateOptions {
  /** Called once when another process holds the lock (it is migrating; this one waits). */
  onWait?: () => void
}

/**
 * Applies pending migrations to the database `client` points at, while holding the
 * migration lock, so processes starting together migrate once: the first applies them,
 * the others wait and then find none pending. Returns how many this call applied.
 *
 * The lock lives on its own connection (advisory locks belong to a session, and the
 * migrator takes pool connections as it likes, including for its transaction); that
 * connection closing, by `finally` or a crash, releases it.
 */
export async function migratePostgres(
  url: string,
  client: postgres.Sql,
  options: MigrateOptions = {},
): Promise<number> {
  const migrations = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER })
  const lock = postgres(url, {
    max: 1,
    onnotice: () => {},
    connect_timeout: 10,
    connection: { application_name: 'booking-migrate-lock' },
  })
  try {
    const [free] = await lock<
      { locked: boolean }[]
    >`select pg_try_advisory_lock(${MIGRATION_LOCK_KEY}::bigint) as locked`
    if (!free?.locked) {
      options.onWait?.()
      await lock`select pg_advisory_lock(${MIGRATION_LOCK_KEY}::bigint)`
    }
    try {
      const pending = await pendingMigrations(client, migrations)
      if (pending === 0) return 0
      try {
        await migrate(drizzle(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER })
      } catch (cause) {
        throw migrationFailure(cause) ?? cause
      }
      return pending
    } finally {
      await lock`select pg_advisory_unlock(${MIGRATION_LOCK_KEY}::bigint)`.catch(() => {})
    }
  } finally {
    await lock.end({ timeout: 5 })
  }
}

/** For a start-up told not to migrate: refuses a database whose schema is missing or behind. */
export async function assertMigrated(client: postgres.Sql): Promise<void> {
  const migrations = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER })
  const pending = await pendingMigrations(client, migrations)
  if (pending > 0) throw schemaBehind(pending, migrations.length)
}

/** Drizzle's own rule: a migration is pending when it is newer than the last one recorded. */
async function pendingMigrations(client: postgres.Sql, migrations: MigrationMeta[]): Promise<number> {
  const [table] = await client<
    { name: string | null }[]
  >`select to_regclass('drizzle.__drizzle_migrations')::text as name`
  if (!table?.name) return migrations.length
  const [last] = await client<
    { created_at: string | null }[]
  >`select max(created_at)::text as created_at from drizzle.__drizzle_migrations`
  const lastMillis = last?.created_at ? Number(last.created_at) : -Infinity
  return migrations.filter((m) => m.folderMillis > lastMillis).length
}
