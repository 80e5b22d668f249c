import { Hono } from 'hono'
import { cors } from 'hono/cors'
import { requestId } from 'hono/request-id'
import { BookingError } from '../shared/errors'
import type { AppDeps, AppEnv } from './app-env'
import { systemClock } from './clock'
import { createErrorHandler, describeError, errorResponse } from './errors'
import { silentLogger } from './logger'
import { createAssetRoutes, type StaticAssets } from './routes/assets'
import { resourceRoutes } from './routes/resources'
import { createResourceCatalog } from './store/resource-catalog'

export type { AppDeps } from './app-env'

export type CreateAppOptions = Pick<AppDeps, 'db'> & Partial<Omit<AppDeps, 'db'>> & { assets?: StaticAssets }

/** The whole HTTP surface as a Hono app; no side effects, so tests call `app.request()`. */
export function createApp(options: CreateAppOptions) {
  const { assets = {}, ...given } = options
  const clock = given.clock ?? systemClock
  const deps: AppDeps = {
    clock,
    logger: silentLogger,
    allowedOrigins: ['*'],
    catalog: createResourceCatalog(given.db, clock),
    ...given,
  }
  const app = new Hono<AppEnv>()

  app.use(requestId())
  app.use(async (c, next) => {
    c.set('deps', deps)
    await next()
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

  app.get('/health', (c) => c.json({ status: 'ok' }))
  app.route('/v1/resources', resourceRoutes)
  app.route('/', createAssetRoutes(assets))

  app.notFound((c) => errorResponse(c, new BookingError('not_found', `No route for ${c.req.method} ${c.req.path}.`)))
  app.onError(
    createErrorHandler((id, error) => deps.logger.error('unhandled error', { requestId: id, ...describeError(error) })),
  )
  return app
}
