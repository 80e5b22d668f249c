/*
 * Prometheus text-format metrics, kept in memory per process: request counts and latency
 * by route pattern (never the URL itself: a ref or token would be PII) and outcome, plus
 * the booking facts an operator watches. Gauges that live in the database (the outbox
 * backlog) are read when scraped, at most once per few seconds however often that is.
 */
import type { Context } from 'hono'
import { BookingError } from '../shared/errors'
import type { AppEnv } from './app-env'
import { digestsEqual, sha256Hex } from './crypto'
import type { AppConfig } from './config'
import { outboxBacklog } from './notify/outbox'
import { bearerToken } from './request'

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

export interface Metrics {
  /** One finished request: its route pattern, method, status and duration. */
  observe(request: { route: string; method: string; status: number; seconds: number }): void
  /** Renders every metric; `gauges` are read now (e.g. the outbox backlog). */
  render(gauges?: Record<string, { help: string; value: number }>): string
  /**
   * The gauge `name`, read with `read` at most once per `GAUGE_TTL_MS` of `now`; scrapes in
   * between (and ones arriving while a read is under way) get that read's value.
   */
  gauge(name: string, now: number, read: () => Promise<number>): Promise<number>
}

/** How long a database gauge is served from memory: a flood of scrapes costs one query per window. */
export const GAUGE_TTL_MS = 5_000

export function createMetrics(): Metrics {
  const gauges = new Map<string, { at: number; value: Promise<number> }>()
  const requests = new Map<string, number>()
  const durations = new Map<string, { buckets: number[]; sum: number; count: number }>()
  const facts = { holds: 0, bookings: 0, conflicts: 0, cancellations: 0 }

  return {
    observe({ route, method, status, seconds }) {
      const outcome = status >= 500 ? '5xx' : status >= 400 ? '4xx' : status >= 300 ? '3xx' : '2xx'
      const key = `route="${route}",method="${method}",outcome="${outcome}"`
      requests.set(key, (requests.get(key) ?? 0) + 1)
      const timing = durations.get(route) ?? { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }
      BUCKETS.forEach((le, i) => {
        if (seconds <= le) timing.buckets[i]!++
      })
      timing.sum += seconds
      timing.count++
      durations.set(route, timing)
      if (method === 'POST' && route === '/v1/holds' && status === 201) facts.holds++
      if (method === 'POST' && route === '/v1/bookings' && status === 201) facts.bookings++
      if (status === 409 && (route === '/v1/holds' || route === '/v1/bookings' || route.endsWith('/reschedule')))
        facts.conflicts++
      if (method === 'POST' && route.endsWith('/cancel') && status === 200) facts.cancellations++
    },

    render(gauges = {}) {
      const lines: string[] = []
      lines.push(
        '# HELP http_requests_total Requests by route pattern, method and outcome.',
        '# TYPE http_requests_total counter',
      )
      for (const [labels, value] of requests) lines.push(`http_requests_total{${labels}} ${value}`)
      lines.push(
        '# HELP http_request_duration_seconds Request latency by route pattern.',
        '# TYPE http_request_duration_seconds histogram',
      )
      for (const [route, timing] of durations) {
        BUCKETS.forEach((le, i) =>
          lines.push(`http_request_duration_seconds_bucket{route="${route}",le="${le}"} ${timing.buckets[i]}`),
        )
        lines.push(`http_request_duration_seconds_bucket{route="${route}",le="+Inf"} ${timing.count}`)
        lines.push(`http_request_duration_seconds_sum{route="${route}"} ${timing.sum.toFixed(6)}`)
        lines.push(`http_request_duration_seconds_count{route="${route}"} ${timing.count}`)
      }
      const counter = (name: string, help: string, value: number) =>
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${value}`)
      counter('booking_holds_created_total', 'Holds placed.', facts.holds)
      counter('booking_bookings_created_total', 'Bookings created.', facts.bookings)
      counter(
        'booking_conflicts_total',
        'Holds, bookings and moves refused because the time was taken or held (409).',
        facts.conflicts,
      )
      counter('booking_cancellations_total', 'Guest cancellations.', facts.cancellations)
      for (const [name, gauge] of Object.entries(gauges))
        lines.push(`# HELP ${name} ${gauge.help}`, `# TYPE ${name} gauge`, `${name} ${gauge.value}`)
      return `${lines.join('\n')}\n`
    },

    gauge(name, now, read) {
      const last = gauges.get(name)
      if (last && now >= last.at && now - last.at < GAUGE_TTL_MS) return last.value
      const value = read()
      gauges.set(name, { at: now, value })
      return value
    },
  }
}

/** Who may scrape: with `token`, callers presenting it as a bearer; without, anyone when `open`, else nobody (404). */
export interface MetricsAccess {
  token?: string
  open: boolean
}

/** METRICS_TOKEN when set; otherwise open outside production, hidden in it. */
export function metricsAccessFrom(config: Pick<AppConfig, 'metricsToken' | 'production'>): MetricsAccess {
  return config.metricsToken ? { token: config.metricsToken, open: false } : { open: !config.production }
}

/** `GET /metrics` in Prometheus' text format, behind `access`. */
export function metricsHandler(metrics: Metrics, access: MetricsAccess) {
  return async (c: Context<AppEnv>) => {
    const { db, clock } = c.var.deps
    if (access.token !== undefined) {
      const given = bearerToken(c)
      // Digests of both, compared in equal time: neither the token nor its length leaks.
      if (given === undefined || !digestsEqual(await sha256Hex(given), await sha256Hex(access.token))) {
        throw new BookingError('unauthorized', 'Metrics need Authorization: Bearer <METRICS_TOKEN>.')
      }
    } else if (!access.open) {
      // Hidden, as if absent: production without METRICS_TOKEN does not advertise it.
      throw new BookingError('not_found', `No route for ${c.req.method} ${c.req.path}.`)
    }
    const now = clock.now()
    const backlog = await metrics.gauge('booking_outbox_backlog', now, () => outboxBacklog(db, now).catch(() => -1))
    return c.body(
      metrics.render({
        booking_outbox_backlog: {
          help: 'Messages due and not yet sent (-1: the database did not answer).',
          value: backlog,
        },
      }),
      200,
      {
        'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
        'Cache-Control': 'no-store',
      },
    )
  }
}
