import { readFile } from 'node:fs/promises'
import { serve } from '@hono/node-server'
import { createApp } from './app'
import { ConfigError, loadConfig } from './config'
import { openDatabase, redactUrl } from './db/open-database'
import { createLogger } from './logger'
import { seedDemo } from './seed-demo'

/** Node entry (`npm start`): config → database (+ migrations when embedded) → demo seed → HTTP. */
async function main(): Promise<void> {
  const config = loadConfig()
  const logger = createLogger(config.logLevel)

  const embedded = !config.databaseUrl
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    // A server database is migrated deliberately with `npm run db:migrate`.
    migrate: embedded,
  })
  logger.info('database ready', {
    kind: database.kind,
    where: config.databaseUrl ? redactUrl(config.databaseUrl) : config.dataDir,
  })
  if (config.seedDemo) {
    const created = await seedDemo(database.db)
    if (created.length > 0) logger.info('demo resources created', { slugs: created })
  }
  if (!config.redis) logger.info('holds: no UPSTASH_REDIS_REST_URL, using the in-memory hold store')

  const assets = {
    widgetScript: await readOptional(new URL('../dist/widget/widget.js', import.meta.url)),
    demoPage: await readOptional(new URL('../examples/demo.html', import.meta.url)),
  }
  if (!assets.widgetScript) logger.info('widget not built: /widget.js answers 503 until `npx vite build` runs')

  const app = createApp({ db: database.db, logger, allowedOrigins: config.allowedOrigins, assets })
  const server = serve({ fetch: app.fetch, port: config.port, ...(config.host ? { hostname: config.host } : {}) }, (info) => {
    const url = config.publicUrl ?? `http://localhost:${info.port}`
    console.log(`Booking demo running at ${url}  (API: ${url}/v1/resources)`)
  })

  // Finish in-flight requests before closing the database they are using.
  const shutdown = () => {
    setTimeout(() => process.exit(1), 10_000).unref()
    server.close(() => void database.close().finally(() => process.exit(0)))
  }
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
}

async function readOptional(file: URL): Promise<string | undefined> {
  return readFile(file, 'utf8').catch(() => undefined)
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
})
