import { loadConfig } from '../config'
import { exitOnStartupFailure } from '../startup-errors'
import { openDatabase, redactUrl } from './open-database'

// `npm run db:migrate`: applies drizzle/migrations to DATABASE_URL (under the same advisory
// lock as start-up, so it may run while servers start) or to the embedded database.
try {
  const config = loadConfig()
  const handle = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    migrate: true,
    maxConnections: 1,
    onMigrationWait: () => console.log('Waiting for another process to finish migrating…'),
  })
  await handle.close()
  const where = config.databaseUrl ? redactUrl(config.databaseUrl) : `embedded database in ${config.dataDir}`
  const applied = handle.migrationsApplied
  console.log(
    applied === undefined
      ? `Migrations applied to ${where}.`
      : applied === 0
        ? `${where} is up to date.`
        : `${applied} migration${applied === 1 ? '' : 's'} applied to ${where}.`,
  )
} catch (error) {
  exitOnStartupFailure(error)
}
