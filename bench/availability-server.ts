import { Hono } from 'hono'
import { createApp } from '../api/app'
import { createAvailabilityCache } from '../api/availability-cache'
import { systemClock } from '../api/clock'
import { openDatabase } from '../api/db/open-database'
import { createHoldBackend } from '../api/holds/create-hold-backend'
import { startHttpServer } from '../api/http-server'
import { findBookedIntervals } from '../api/store/busy-intervals'
import { findActiveResource } from '../api/store/resources'
import { busyQueryRange } from '../shared/slots/compute-slots'

/**
 * Bench-only server process: the product app plus a bare route that runs the same
 * busy-interval SQL availability runs and returns its rows as JSON (the unavoidable work),
 * in one process so both are measured alike. Never part of the product.
 *
 *   tsx bench/availability-server.ts <resource slug> [--cache]
 */
const slug = process.argv[2]
if (!slug) throw new Error('usage: availability-server.ts <resource slug> [--cache]')
const cached = process.argv.includes('--cache')
const database = await openDatabase({ url: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR, migrate: false })
const resource = await findActiveResource(database.db, slug)
if (!resource) throw new Error(`no resource ${slug}`)
const url = process.env.UPSTASH_REDIS_REST_URL
const token = process.env.UPSTASH_REDIS_REST_TOKEN
const backend = createHoldBackend({
  upstash: url && token ? { url, token } : undefined,
  holdRateLimitPerMinute: 0,
  clock: systemClock,
  keyPrefix: `bench:${process.pid}:`,
})
const app = createApp({
  db: database.db,
  holds: backend.holds,
  availability: cached ? { versions: backend.versions, cache: createAvailabilityCache() } : undefined,
})

const outer = new Hono()
outer.get('/bench/busy', async (c) => {
  const range = busyQueryRange(c.req.query('from')!, c.req.query('to')!, resource.timezone, resource.config)
  return c.json(await findBookedIntervals(database.db, resource.id, range, Date.now()))
})
outer.route('/', app)

startHttpServer({ fetch: outer.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' }, (info) => {
  console.log(`bench server running at http://127.0.0.1:${info.port}`)
})

// A normal exit on stop, so `--cpu-prof` can write its profile.
process.on('SIGTERM', () => process.exit(0))
