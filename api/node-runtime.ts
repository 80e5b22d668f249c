import { claimLock, type HeldLock } from './admin/local-channel'
import type { RuntimeParts } from './composition'
import { ConfigError, type AppConfig } from './config'
import type { Notifiers } from './due-work'
import { openDatabase, redactUrl } from './db/open-database'
import { startUpstashBridge, type UpstashBridge } from './holds/redis-rest-bridge'
import type { Logger } from './logger'
import { createNotifiers } from './notify/create-notifiers'
import { seedDemo } from './seed-demo'

/** Which Node process is starting: the API server (`npm start`) or the due-work process (`npm run due-work`). */
export type NodeRole = 'server' | 'due-work'

export interface NodeRuntime {
  parts: RuntimeParts
  /** Node always has providers (SMTP, an email API, or .eml files): the outbox is sent from here. */
  notifiers: Notifiers
  /** The embedded database's folder lock (server only), released last on shutdown. */
  lock: HeldLock | undefined
  /** Closes what was opened here, in order: providers, then the database and the bridge. */
  close(): Promise<void>
}

/**
 * Opens what a Node process needs before the app's dependencies can be built: the database
 * (for the server, under the embedded folder's lock, migrated and with the demo data), the
 * loopback REST bridge to a plain Redis when REDIS_URL is set, and the message providers.
 */
export async function openNodeRuntime(config: AppConfig, logger: Logger, role: NodeRole): Promise<NodeRuntime> {
  const embedded = !config.databaseUrl
  if (role === 'due-work' && embedded) {
    throw new ConfigError([
      'DATABASE_URL: npm run due-work needs a PostgreSQL server; with the embedded database `npm start` runs the due work in-process',
    ])
  }
  // PGlite is one process's: hold the folder's lock file before opening it (a running
  // `npm run admin:key` finishes first), and refuse to start beside another server on it.
  const lock = embedded
    ? await claimLock(config.dataDir, 'server', {
        onWait: (other) =>
          logger.info(
            `waiting for ${other.holder === 'cli' ? 'npm run admin:key' : 'the server'} (pid ${other.pid}) to finish with the embedded database`,
          ),
      })
    : undefined
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    // Processes starting together migrate once (advisory lock); with MIGRATE_ON_START=false
    // a release step migrates, and a schema it left behind stops start-up with one line.
    // The due-work process never migrates: the API processes or a release step do.
    migrate: role === 'server' && (embedded || config.migrateOnStart),
    requireMigrated: role === 'server',
    onMigrationWait: () => logger.info('waiting for another process to finish migrating the database'),
  })
  logger.info('database ready', {
    kind: database.kind,
    where: config.databaseUrl ? redactUrl(config.databaseUrl) : config.dataDir,
    migrationsApplied: database.migrationsApplied,
  })
  if (role === 'server' && config.seedDemo) {
    const created = await seedDemo(database.db)
    if (created.length > 0) logger.info('demo resources created', { slugs: created })
  }

  // Every process reaches the same Redis: the due work's expiries and payment outcomes must
  // bump the availability version that the API processes cache under.
  const bridge: UpstashBridge | undefined =
    !config.redis && config.redisUrl ? await startUpstashBridge({ redisUrl: config.redisUrl }) : undefined
  const upstash = config.redis ?? bridge
  logger.info(
    upstash
      ? `holds: Redis via ${bridge ? `the loopback REST bridge to ${redactUrl(config.redisUrl ?? '')}` : 'Upstash REST'}`
      : 'holds: no UPSTASH_REDIS_REST_URL or REDIS_URL, using the in-memory hold store (one process only)',
  )
  const notifiers = await createNotifiers(config, logger)

  return {
    parts: {
      db: database.db,
      embeddedDatabase: embedded,
      upstash: upstash && { url: upstash.url, token: upstash.token },
      logger,
      notifiers,
    },
    notifiers,
    lock,
    async close() {
      notifiers.email.close()
      await Promise.allSettled([database.close(), bridge?.close()])
    },
  }
}
