import { HOLDS_PER_SESSION } from './app'
import type { AppDeps } from './app-env'
import { createAvailabilityCache } from './availability-cache'
import { systemClock } from './clock'
import type { AppConfig } from './config'
import type { Database } from './db/database'
import type { Notifiers } from './due-work'
import { createHoldBackend } from './holds/create-hold-backend'
import type { Logger } from './logger'
import { createOutboxPlanner } from './notify/outbox'
import { createStripeGateway } from './payments/stripe-gateway'

/**
 * What each runtime brings that only it can make: Node opens PostgreSQL or the embedded
 * database, reaches a plain Redis through the loopback REST bridge and sends mail over SMTP
 * or to files; a Worker connects per request and sends only through HTTP providers.
 */
export interface RuntimeParts {
  db: Database
  /** The embedded database: one process owns it, so memory holds see every write. */
  embeddedDatabase: boolean
  /** Where holds, the availability version and the rate limits live; undefined = this process's memory. */
  upstash: { url: string; token: string } | undefined
  logger: Logger
  /** Email/SMS providers and the link secret; undefined = the outbox is not sent from here. */
  notifiers: Notifiers | undefined
}

/** The app's dependencies that every runtime builds the same way, ready for createApp or runDueWork. */
export type CoreDeps = Omit<AppDeps, 'catalog' | 'kickOutbox'>

/**
 * The one composition root: from configuration and the runtime's own parts to the app's
 * dependencies, the same for `npm start`, `npm run due-work` and the Worker. Each entry adds
 * only what is its alone (static assets, compression, metrics, the outbox kick).
 */
export function buildDeps(
  config: AppConfig,
  runtime: RuntimeParts,
): { deps: CoreDeps; holdsKind: 'upstash' | 'memory' } {
  const backend = createHoldBackend({
    upstash: runtime.upstash,
    holdRateLimitPerMinute: config.holdRateLimitPerMinute,
    manageRateLimitPerMinute: config.manageRateLimitPerMinute,
    adminAuthFailureLimit: config.adminAuthFailureLimit,
    clock: systemClock,
  })
  // Booked intervals are cached only where every writer bumps a version this process sees:
  // Redis (shared by every process), or memory beside the embedded database (one process).
  // PostgreSQL with in-memory holds may have other writers (npm run due-work): no cache.
  // A Worker builds this per request, so it keeps nothing, but its writes still bump the
  // shared version that Node processes caching availability read.
  const availability =
    backend.kind === 'upstash' || runtime.embeddedDatabase
      ? { versions: backend.versions, cache: createAvailabilityCache() }
      : undefined
  return {
    holdsKind: backend.kind,
    deps: {
      db: runtime.db,
      clock: systemClock,
      logger: runtime.logger,
      allowedOrigins: config.allowedOrigins,
      holds: backend.holds,
      availability,
      holdRateLimiter: backend.holdRateLimiter,
      manageRateLimiter: backend.manageRateLimiter,
      adminAuthRateLimiter: backend.adminAuthRateLimiter,
      limits: { holdsPerSession: HOLDS_PER_SESSION, holdsPerClient: config.holdMaxLivePerClient || undefined },
      trustProxy: config.trustProxy,
      cronSecret: config.cronSecret,
      payments: config.stripe ? createStripeGateway(config.stripe) : undefined,
      outbox: createOutboxPlanner({ adminEmail: config.adminEmail }),
      // Node may make the link secret once beside the embedded database; it travels with the notifiers.
      appSecret: runtime.notifiers?.links.appSecret ?? config.appSecret,
      notifiers: runtime.notifiers,
      webhooks: { allowPrivate: config.webhookAllowPrivate, ownerEmail: config.adminEmail },
    },
  }
}
