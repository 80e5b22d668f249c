import { systemClock } from './clock'
import { ConfigError, loadConfig } from './config'
import { openDatabase, redactUrl } from './db/open-database'
import { runDueWork } from './due-work'
import { describeError } from './errors'
import { createLogger } from './logger'
import { createNotifiers } from './notify/create-notifiers'
import { createOutboxPlanner } from './notify/outbox'
import { createStripeGateway } from './payments/stripe-gateway'

/**
 * `npm run worker`: the due work (expiring unpaid bookings, payment sweeps, the outbox)
 * every minute in its own process, beside any number of API processes. Rows are claimed
 * with SKIP LOCKED, so it can run alongside the sweep inside `npm start`.
 */
async function main(): Promise<void> {
  const config = loadConfig()
  const logger = createLogger(config.logLevel)
  if (!config.databaseUrl) {
    throw new ConfigError(['DATABASE_URL: npm run worker needs a PostgreSQL server; with the embedded database `npm start` runs the worker in-process'])
  }
  const database = await openDatabase({ url: config.databaseUrl, migrate: false })
  const deps = {
    db: database.db,
    clock: systemClock,
    logger,
    payments: config.stripe ? createStripeGateway(config.stripe) : undefined,
    outbox: createOutboxPlanner({ adminEmail: config.adminEmail }),
    notifiers: await createNotifiers(config, logger),
  }
  logger.info('worker started', { database: redactUrl(config.databaseUrl) })

  let stopping = false
  let running: Promise<unknown> = Promise.resolve()
  const tick = () => {
    running = runDueWork(deps).then(
      (done) => logger.info('due work done', done),
      (error: unknown) => logger.error('due work failed', describeError(error)),
    )
  }
  tick()
  const timer = setInterval(() => !stopping && tick(), 60_000)
  const stop = async () => {
    if (stopping) return
    stopping = true
    clearInterval(timer)
    await running // a claimed batch is finished, not cut off midway
    deps.notifiers.email.close()
    await database.close()
    process.exit(0)
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
})
