import { systemClock } from './clock'
import { ConfigError, loadConfig } from './config'
import { openDatabase, redactUrl } from './db/open-database'
import { startUpstashBridge } from './dev/upstash-rest-bridge'
import { runDueWork } from './due-work'
import { describeError } from './errors'
import { createHoldBackend } from './holds/create-hold-backend'
import { createLogger } from './logger'
import { createAvailabilityCache } from './availability-cache'
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
  // API processes with Redis cache availability under a version in Redis: the expiries and
  // payment outcomes written here must bump it too, so this worker reaches the same Redis.
  const bridge = !config.redis && config.redisUrl ? await startUpstashBridge({ redisUrl: config.redisUrl }) : undefined
  const upstash = config.redis ?? bridge
  const versions = upstash ? createHoldBackend({ upstash, holdRateLimitPerMinute: 0, clock: systemClock }).versions : undefined
  const deps = {
    db: database.db,
    clock: systemClock,
    logger,
    payments: config.stripe ? createStripeGateway(config.stripe) : undefined,
    outbox: createOutboxPlanner({ adminEmail: config.adminEmail }),
    notifiers: await createNotifiers(config, logger),
    availability: versions ? { versions, cache: createAvailabilityCache() } : undefined,
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
    await bridge?.close()
    process.exit(0)
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
})
