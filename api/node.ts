import { channelUrl, claimLock } from './admin/local-channel'
import { createSetupToken, hasActiveAdminKey } from './admin/setup'
import { createApp, HOLDS_PER_SESSION } from './app'
import { compression } from './compression'
import { createAvailabilityCache, type AvailabilityCaching } from './availability-cache'
import { randomToken } from './bookings/tokens'
import { loadConfig } from './config'
import { openDatabase, redactUrl } from './db/open-database'
import { systemClock } from './clock'
import { startUpstashBridge } from './dev/upstash-rest-bridge'
import { describeError } from './errors'
import { createHoldBackend } from './holds/create-hold-backend'
import { startHttpServer } from './http-server'
import { createLogger } from './logger'
import { metricsAccessFrom } from './metrics'
import { runDueWork } from './due-work'
import { createNotifiers } from './notify/create-notifiers'
import { createOutboxPlanner } from './notify/outbox'
import { createOutboxKicker } from './notify/outbox-kicker'
import { createStripeGateway } from './payments/stripe-gateway'
import { seedDemo } from './seed-demo'
import { listActiveResources, paymentModeOf } from './store/resources'
import { loadStaticAssets } from './static-assets'
import { exitOnStartupFailure, listenFailure } from './startup-errors'

/** Node entry (`npm start`): config → database (+ pending migrations, under a lock on a server) → demo seed → HTTP. */
async function main(): Promise<void> {
  const config = loadConfig()
  const logger = createLogger(config.logLevel)

  const embedded = !config.databaseUrl
  // PGlite is one process's: hold the folder's lock file before opening it (a running
  // `npm run admin:key` finishes first), and refuse to start beside another server on it.
  const lock = embedded
    ? await claimLock(config.dataDir, 'server', {
        onWait: (other) => logger.info(`waiting for ${other.holder === 'cli' ? 'npm run admin:key' : 'the server'} (pid ${other.pid}) to finish with the embedded database`),
      })
    : undefined
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    // Processes starting together migrate once (advisory lock); with MIGRATE_ON_START=false
    // a release step migrates, and a schema it left behind stops start-up with one line.
    migrate: embedded || config.migrateOnStart,
    requireMigrated: true,
    onMigrationWait: () => logger.info('waiting for another process to finish migrating the database'),
  })
  logger.info('database ready', {
    kind: database.kind,
    where: config.databaseUrl ? redactUrl(config.databaseUrl) : config.dataDir,
    migrationsApplied: database.migrationsApplied,
  })
  if (config.seedDemo) {
    const created = await seedDemo(database.db)
    if (created.length > 0) logger.info('demo resources created', { slugs: created })
  }
  const bridge = !config.redis && config.redisUrl ? await startUpstashBridge({ redisUrl: config.redisUrl }) : undefined
  const holdBackend = createHoldBackend({
    upstash: config.redis ?? bridge,
    holdRateLimitPerMinute: config.holdRateLimitPerMinute,
    manageRateLimitPerMinute: config.manageRateLimitPerMinute,
    adminAuthFailureLimit: config.adminAuthFailureLimit,
    clock: systemClock,
  })
  logger.info(
    holdBackend.kind === 'upstash'
      ? `holds: Redis via ${bridge ? `the local REST bridge to ${redactUrl(config.redisUrl ?? '')}` : 'Upstash REST'}`
      : 'holds: no UPSTASH_REDIS_REST_URL or REDIS_URL, using the in-memory hold store (one process only)',
  )
  // Booked intervals are cached only where every writer bumps a version this process sees:
  // Redis (shared by every process), or memory beside the embedded database (one process).
  // PostgreSQL with in-memory holds may have other writers (npm run worker): no cache.
  const availability: AvailabilityCaching | undefined =
    holdBackend.kind === 'upstash' || embedded ? { versions: holdBackend.versions, cache: createAvailabilityCache() } : undefined
  if (!config.cronSecret) logger.info('cron: CRON_SECRET not set, POST /v1/internal/cron is closed (the in-process sweep still runs)')

  const payments = config.stripe ? createStripeGateway(config.stripe) : undefined
  // What guests will meet, by resource: card at booking, pay on site, or not offered.
  const bySlug = { online: [] as string[], on_site: [] as string[] }
  for (const resource of await listActiveResources(database.db)) {
    const mode = paymentModeOf(resource.config)
    if (mode !== 'free') bySlug[mode].push(resource.slug)
  }
  logger.info(
    payments
      ? `payments: Stripe${config.stripe?.apiBase ? ` at ${config.stripe.apiBase}` : ''}, webhook at /v1/webhooks/stripe; resources with payment "full" or "deposit" take the card when booking, priced ones with payment "none" are paid on site`
      : 'payments: off (no STRIPE_SECRET_KEY); resources with payment "full" or "deposit" are shown as not bookable (payment_unavailable), priced ones with payment "none" are booked and paid on site',
    { payOnline: bySlug.online, payOnSite: bySlug.on_site },
  )

  const notifiers = await createNotifiers(config, logger)
  const outbox = createOutboxPlanner({ adminEmail: config.adminEmail })

  // Messages a request wrote go out moments later; the minute sweep catches anything else.
  const outboxKicker = createOutboxKicker({ db: database.db, clock: systemClock, logger, ...notifiers })

  const assets = await loadStaticAssets()
  if (!assets.widgetScript) logger.info('widget not built: /widget.js answers 503 until `npm run build` runs')

  // While no key can sign in, a one-time link creates the first one (printed once listening).
  const setup = (await hasActiveAdminKey(database.db)) ? undefined : await createSetupToken(database.db, systemClock.now())
  // `npm run admin:key` reaches the embedded database through this server, with this secret.
  const localSecret = lock ? randomToken(32) : undefined

  const app = createApp({
    db: database.db,
    localSecret,
    logger,
    allowedOrigins: config.allowedOrigins,
    assets,
    holds: holdBackend.holds,
    availability,
    holdRateLimiter: holdBackend.holdRateLimiter,
    manageRateLimiter: holdBackend.manageRateLimiter,
    adminAuthRateLimiter: holdBackend.adminAuthRateLimiter,
    limits: { holdsPerSession: HOLDS_PER_SESSION, holdsPerClient: config.holdMaxLivePerClient || undefined },
    trustProxy: config.trustProxy,
    cronSecret: config.cronSecret,
    payments,
    outbox,
    notifiers,
    appSecret: notifiers.links.appSecret,
    kickOutbox: outboxKicker.kick,
    metricsAccess: metricsAccessFrom(config),
    // Node compresses its own dynamic responses; the Worker leaves that to the platform.
    compression: compression(),
  })

  // Unpaid pending bookings past their window are cancelled here every minute (inserts also
  // release them lazily, so a stopped sweep never leaves a slot stuck), with the payment work
  // that comes due: abandoned intents, lapsing authorizations, settlements to retry.
  const sweep = setInterval(() => {
    runDueWork({ db: database.db, clock: systemClock, logger, payments, outbox, notifiers, availability }).then(
      (done) =>
        (done.expired > 0 || done.payments?.released || done.payments?.lapsed || done.notifications?.sent || done.notifications?.failed) &&
        logger.info('due work done', done),
      (error: unknown) => logger.error('sweep failed', describeError(error)),
    )
  }, 60_000)
  sweep.unref()
  // Counted so shutdown can wait for handlers whose client already hung up.
  let inFlight = 0
  const fetch: typeof app.fetch = async (request, env, ctx) => {
    inFlight++
    try {
      return await app.fetch(request, env, ctx)
    } finally {
      inFlight--
    }
  }
  // Production timeouts and a connection cap: slow or greedy clients cannot pin the process.
  const server = startHttpServer({ fetch, port: config.port, hostname: config.host }, (info) => {
    const url = (config.publicUrl ?? `http://localhost:${info.port}`).replace(/\/+$/, '')
    const announce = () => {
      console.log(`Booking demo running at ${url}  (API: ${url}/v1/resources)`)
      if (setup) console.log(`Open ${url}/admin#setup=${setup.token} to create your owner key (valid 30 minutes, once).`)
    }
    // The channel is written before "running at": a CLI started after that line finds it.
    if (lock && localSecret) {
      lock.publish(channelUrl(info.address, info.port), localSecret).then(announce, (error: unknown) => {
        logger.error('could not write the embedded database lock file', describeError(error))
        announce()
      })
    } else announce()
  })

  // A port in use (or not ours to take) is a start-up failure like the others: one line.
  server.once('error', (error) => exitOnStartupFailure(listenFailure(error, config.port, config.host) ?? error))

  // Finish in-flight requests before closing the database they are using.
  const shutdown = () => {
    setTimeout(() => process.exit(1), 10_000).unref()
    clearInterval(sweep)
    server.close(async () => {
      while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20))
      await outboxKicker.stop() // a batch being sent is finished, not cut off
      notifiers.email.close()
      await Promise.allSettled([database.close(), bridge?.close()])
      // Only now may another process open the folder.
      await lock?.release()
      process.exit(0)
    })
  }
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
}

// Every start-up failure is one line on stderr (what failed, what to do) and exit 1; only an
// unexpected error (a bug) adds its stack.
main().catch(exitOnStartupFailure)
