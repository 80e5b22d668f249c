import { Hono, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { requestId } from 'hono/request-id'
import { BookingError } from '../shared/errors'
import type { AppDeps, AppEnv } from './app-env'
import { bumpAvailability, bumpsAvailability } from './availability-cache'
import { systemClock } from './clock'
import { TRUST_NO_PROXY, warnOnUntrustedForwarding } from './client-ip'
import { createErrorHandler, describeError, errorResponse } from './errors'
import { silentLogger } from './logger'
import { createAssetRoutes, type StaticAssets } from './routes/assets'
import { createDocsRoutes } from './routes/docs'
import { guardHoldStore, guardRateLimiter } from './holds/guard-hold-store'
import { createMemoryHoldStore } from './holds/memory-hold-store'
import { adminRoutes } from './routes/admin'
import { waitlistRoutes } from './routes/waitlist'
import { bookingRoutes } from './routes/bookings'
import { feedRoutes } from './routes/feeds'
import { holdRoutes } from './routes/holds'
import { poolRoutes } from './routes/pools'
import { serviceRoutes } from './routes/services'
import { createInternalRoutes } from './routes/internal'
import { resourceRoutes } from './routes/resources'
import { seriesRoutes } from './routes/series'
import { webhookRoutes } from './routes/webhooks'
import { createMetrics, metricsHandler, type Metrics, type MetricsAccess } from './metrics'
import { createOutboxPlanner } from './notify/outbox'
import { createResourceCatalog } from './store/resource-catalog'

export type { AppDeps } from './app-env'

export type CreateAppOptions = Pick<AppDeps, 'db'> &
  Partial<Omit<AppDeps, 'db'>> & {
    assets?: StaticAssets
    metrics?: Metrics
    /** Who may read `/metrics` (METRICS_TOKEN, production); open when not given. */
    metricsAccess?: MetricsAccess
    /** Opens `/v1/internal/admin-keys` to `npm run admin:key` on this machine (embedded database only). */
    localSecret?: string | undefined
    /** On-the-fly compression of dynamic responses (Node; on Workers the platform compresses). */
    compression?: MiddlewareHandler<AppEnv>
  }

/** Requests whose success may have written messages (bookings, webhooks, waitlist claims, owner transitions). */
const WRITES_MESSAGES = /^\/v1\/(bookings|series|webhooks|waitlist|admin\/bookings|admin\/series|admin\/waitlist)(\/|$)/

/** Writes that can free a time or change the queue; placing a hold (the busiest write) cannot. */
const MAY_FREE_TIMES = (method: string, path: string) =>
  method !== 'GET' &&
  !(method === 'POST' && path === '/v1/holds') &&
  /^\/v1\/(bookings|series|holds|waitlist|admin)(\/|$)/.test(path)

/** Live holds one browser session may have at once, on any server. */
export const HOLDS_PER_SESSION = 2

/** The whole HTTP surface as a Hono app; no side effects, so tests call `app.request()`. */
export function createApp(options: CreateAppOptions) {
  const {
    assets = {},
    metrics: injectedMetrics,
    metricsAccess = { open: true },
    localSecret,
    compression,
    ...given
  } = options
  const clock = given.clock ?? systemClock
  const deps: AppDeps = {
    clock,
    logger: silentLogger,
    allowedOrigins: ['*'],
    catalog: createResourceCatalog(given.db, clock),
    holdRateLimiter: undefined,
    manageRateLimiter: undefined,
    adminAuthRateLimiter: undefined,
    limits: { holdsPerSession: HOLDS_PER_SESSION },
    trustProxy: TRUST_NO_PROXY,
    cronSecret: undefined,
    payments: undefined,
    outbox: createOutboxPlanner({ adminEmail: undefined }),
    appSecret: undefined,
    notifiers: undefined,
    kickOutbox: undefined,
    ...given,
    holds: guardHoldStore(given.holds ?? createMemoryHoldStore(clock)),
  }
  if (deps.holdRateLimiter) deps.holdRateLimiter = guardRateLimiter(deps.holdRateLimiter)
  if (deps.manageRateLimiter) deps.manageRateLimiter = guardRateLimiter(deps.manageRateLimiter)
  const metrics = injectedMetrics ?? createMetrics()
  const app = new Hono<AppEnv>()

  // Outermost: it sees every response as finally sent, errors and 404s included.
  if (compression) app.use(compression)
  app.use(requestId())
  app.use(async (c, next) => {
    c.set('deps', deps)
    const started = performance.now()
    await next()
    // After the handler's writes committed and before the answer leaves: a read anywhere
    // that starts after this response sees a new availability version.
    if (deps.availability && bumpsAvailability(c.req.method, c.req.path)) {
      await bumpAvailability(deps.availability, (error) =>
        deps.logger.error('availability version bump failed', describeError(error)),
      )
    }
    // Security headers on every response; HTML pages set their own CSP as well.
    c.header('X-Content-Type-Options', 'nosniff')
    if (!c.res.headers.has('Referrer-Policy')) c.header('Referrer-Policy', 'strict-origin-when-cross-origin')
    // The route pattern, never the URL: refs and tokens stay out of logs and metrics.
    const route = c.req.routePath === '/*' ? 'unmatched' : c.req.routePath
    const ms = performance.now() - started
    metrics.observe({ route, method: c.req.method, status: c.res.status, seconds: ms / 1000 })
    deps.logger.info('request', {
      requestId: c.get('requestId'),
      method: c.req.method,
      route,
      status: c.res.status,
      ms: Math.round(ms * 10) / 10,
    })
    // A write that succeeded may have owed messages: let the worker send them now.
    if (deps.kickOutbox && c.req.method !== 'GET' && c.res.status < 300 && WRITES_MESSAGES.test(c.req.path))
      deps.kickOutbox()
    // A write that may have freed a time (or joined the waitlist): offer it to the waiters now.
    if (deps.kickWaitlist && c.res.status < 300 && MAY_FREE_TIMES(c.req.method, c.req.path)) deps.kickWaitlist()
  })
  app.use(
    '/v1/*',
    cors({
      origin: deps.allowedOrigins.includes('*') ? '*' : deps.allowedOrigins,
      allowHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key', 'X-Booking-Session'],
      exposeHeaders: ['Retry-After', 'X-Request-Id'],
      maxAge: 600,
    }),
  )

  app.use('/v1/*', warnOnUntrustedForwarding(deps.trustProxy, deps.logger))
  const limitBody = bodyLimit({
    maxSize: 64 * 1024,
    onError: () => {
      throw new BookingError('payload_too_large', 'The request body is larger than 64 KB.')
    },
  })
  // Reads carry no body; asking for one would build a whole Request per read.
  app.use('/v1/*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)))

  app.get('/health', (c) => c.json({ status: 'ok' }))
  app.get('/metrics', metricsHandler(metrics, metricsAccess))
  // Before the resource and booking routes: /v1/bookings/series is not a booking ref.
  app.route('/v1', seriesRoutes)
  app.route('/v1/resources', resourceRoutes)
  app.route('/v1/holds', holdRoutes)
  app.route('/v1/pools', poolRoutes)
  app.route('/v1/services', serviceRoutes)
  app.route('/v1/bookings', bookingRoutes)
  app.route('/v1/waitlist', waitlistRoutes)
  app.route('/v1/internal', createInternalRoutes({ localSecret }))
  app.route('/v1/webhooks', webhookRoutes)
  app.route('/v1/feeds', feedRoutes)
  app.route('/v1/admin', adminRoutes)
  app.route('/', createDocsRoutes(assets.docs ?? {}, assets.version ?? '0.0.0'))
  app.route('/', createAssetRoutes(assets))

  app.notFound((c) => errorResponse(c, new BookingError('not_found', `No route for ${c.req.method} ${c.req.path}.`)))
  app.onError(
    createErrorHandler((id, error) => deps.logger.error('unhandled error', { requestId: id, ...describeError(error) })),
  )
  return app
}
