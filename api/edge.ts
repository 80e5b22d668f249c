/*
 * The edge entry (Cloudflare Workers / workerd with `nodejs_compat`): the same Hono app as
 * on Node, built from the Worker's bindings. Workers may not share a TCP socket between
 * requests, so each request (and each cron run) gets its own small postgres.js pool,
 * closed once the response and its waitUntil work are done. Holds live in Upstash Redis
 * over HTTP; payments use Stripe's fetch client and SubtleCrypto webhook checks.
 */
import { createApp } from './app'
import { buildDeps } from './composition'
import { ConfigError, loadConfig, type AppConfig } from './config'
import { connectPostgres } from './db/postgres-database'
import { runDueWork } from './due-work'
import { createLogger } from './logger'
import { createMetrics, metricsAccessFrom, type MetricsAccess } from './metrics'
import { createHttpEmailSender } from './notify/http-email'
import { createTwilioSender } from './notify/sms'

/**
 * Bindings: the same names as the Node environment variables (see README, Deploy), plus an
 * optional Hyperdrive binding `HYPERDRIVE`, whose connection string then replaces DATABASE_URL.
 */
export type WorkerEnv = Record<string, string | undefined> & { HYPERDRIVE?: { connectionString: string } }

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void
  passThroughOnException?(): void
}

let parsed: { source: WorkerEnv; config: AppConfig } | undefined

/** Counters (and the cached outbox gauge) live as long as the isolate, not one request. */
const metrics = createMetrics()

/** The edge is a deployment, never a dev server: `/metrics` is served only with METRICS_TOKEN. */
const edgeMetricsAccess = (config: AppConfig): MetricsAccess =>
  metricsAccessFrom({ metricsToken: config.metricsToken, production: true })

/** The configuration, parsed once per isolate; the edge needs a server database and Upstash. */
function configFrom(env: WorkerEnv): AppConfig {
  if (parsed?.source === env) return parsed.config
  const strings = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === 'string')) as Record<
    string,
    string
  >
  const config = loadConfig({
    ...strings,
    ...(env.HYPERDRIVE ? { DATABASE_URL: env.HYPERDRIVE.connectionString } : {}),
  })
  const missing = [
    ...(config.databaseUrl ? [] : ['DATABASE_URL: required on the edge (there is no embedded database there)']),
    ...(config.redis
      ? []
      : [
          'UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN: required on the edge (memory holds would not be shared between isolates)',
        ]),
  ]
  if (missing.length > 0) throw new ConfigError(missing)
  parsed = { source: env, config }
  return config
}

/** The Worker's own parts (a small pool per request, HTTP-only message providers), then the shared composition. */
function depsFor(config: AppConfig) {
  const database = connectPostgres(config.databaseUrl!, { maxConnections: 3 })
  const { deps } = buildDeps(config, {
    db: database.db,
    embeddedDatabase: false,
    upstash: config.redis,
    logger: createLogger(config.logLevel),
    // Sent from here only through HTTP providers; without an email API the due-work process on Node sends them.
    notifiers: config.emailApi
      ? {
          email: createHttpEmailSender({ ...config.emailApi, from: config.mailFrom }),
          sms: config.twilio ? createTwilioSender(config.twilio) : undefined,
          links: { publicUrl: config.publicUrl ?? 'http://localhost', appSecret: config.appSecret },
        }
      : undefined,
  })
  return { database, deps }
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    const { database, deps } = depsFor(configFrom(env))
    try {
      return await createApp({
        ...deps,
        assets: { version: env.APP_VERSION },
        metrics,
        metricsAccess: edgeMetricsAccess(configFrom(env)),
      }).fetch(request, env, ctx as never)
    } finally {
      ctx.waitUntil(database.close())
    }
  },

  /** Cron Triggers: the same due work as `POST /v1/internal/cron`, the outbox included when an email API is set. */
  async scheduled(_event: unknown, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const { database, deps } = depsFor(configFrom(env))
    ctx.waitUntil(runDueWork(deps).finally(() => database.close()))
  },
}
