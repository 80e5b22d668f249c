import { loadConfig } from '../config'
import { openDatabase, redactUrl } from './open-database'

// `npm run db:migrate`: applies drizzle/migrations to DATABASE_URL (or the embedded database).
const config = loadConfig()
const handle = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, migrate: true, maxConnections: 1 })
await handle.close()
console.log(`Migrations applied to ${config.databaseUrl ? redactUrl(config.databaseUrl) : `embedded database in ${config.dataDir}`}.`)
