import { fileURLToPath } from 'node:url'
import { drizzle } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import * as schema from '../drizzle/schema'
import { createAdminKey } from '../api/admin/keys'
import type { Database } from '../api/db/database'
import { openDatabase } from '../api/db/open-database'
import { listBookings } from '../api/store/admin'
import { findBookedSnapshot } from '../api/store/busy-intervals'
import { busyQueryRange } from '../shared/slots/compute-slots'
import { startApiServer, type RunningServer } from '../test/server'

/**
 * Scale bench (issue 16 §4): a scratch database on the server of DATABASE_URL filled with
 * `generate_series` (1,000 resources × 1,000 bookings; `--quick`: 100 × 1,000), then at low
 * concurrency through the real app over HTTP: availability for one resource-month and the
 * owner's bookings list for one week, filtered. Also prints `EXPLAIN (ANALYZE, BUFFERS)` of
 * the exact SQL each request runs (captured from drizzle's logger while calling the store
 * functions the routes call). The scratch database is dropped at the end.
 *
 *   DATABASE_URL=postgres://… npx tsx bench/scale.ts [--quick]
 */

export interface ScaleOptions {
  databaseUrl: string | undefined
  quick: boolean
}

export interface Latency {
  p50Ms: number
  p99Ms: number
  requests: number
  failures: number
}

export interface QueryPlan {
  /** The plan as PostgreSQL printed it, one line each. */
  lines: string[]
  /** Index names the plan scans. */
  indexes: string[]
  seqScan: boolean
  executionMs: number
}

export type ScaleResult =
  | { skipped: string }
  | {
      resources: number
      bookings: number
      perResource: number
      generateMs: number
      connections: number
      availability: Latency
      list: Latency
      availabilityPlan: QueryPlan
      listPlan: QueryPlan
    }

const CONNECTIONS = 4
/** Bookings: one hour each, every 8 hours from 2027-01-01 (1,000 of them reach late November). */
const START = '2027-01-01T00:00:00Z'
const STEP_HOURS = 8
const MONTH = { from: '2027-03-01', to: '2027-03-31' }
const WEEK = { from: '2027-03-08', to: '2027-03-15' }

export async function benchScale(options: ScaleOptions): Promise<ScaleResult> {
  if (!options.databaseUrl)
    return { skipped: 'needs DATABASE_URL (a PostgreSQL server); the embedded PGlite is not measured at this scale' }
  const resources = options.quick ? 100 : 1_000
  const perResource = 1_000
  const name = `bench_scale_${Math.random().toString(36).slice(2, 10)}`
  const scratchUrl = withDatabase(options.databaseUrl, name)
  const admin = postgres(options.databaseUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`CREATE DATABASE ${name}`)
  let handle: Awaited<ReturnType<typeof openDatabase>> | undefined
  let server: RunningServer | undefined
  try {
    handle = await openDatabase({ url: scratchUrl, migrate: true, maxConnections: CONNECTIONS + 2 })
    const raw = postgres(scratchUrl, { max: 1, onnotice: () => {} })
    let generateMs: number
    let ids: { id: string; slug: string }[]
    try {
      const t = performance.now()
      await generate(raw, resources, perResource)
      generateMs = performance.now() - t
      ids = await raw<{ id: string; slug: string }[]>`select id, slug from bookable_resources order by slug`
    } finally {
      await raw.end({ timeout: 5 })
    }
    const { key } = await createAdminKey(handle.db, 'scale bench')
    await handle.close()
    handle = undefined
    // The production server (api/node.ts) in its own process, as bench/availability.ts runs
    // it; no Redis, so availability is computed from the database on every request.
    server = await startApiServer({
      DATABASE_URL: scratchUrl,
      UPSTASH_REDIS_REST_URL: '',
      UPSTASH_REDIS_REST_TOKEN: '',
      REDIS_URL: '',
    })
    const base = server.url
    const pick = (i: number) => ids[(i * 7919) % ids.length]!
    const availabilityPath = (i: number) =>
      `/v1/resources/${pick(i).slug}/availability?from=${MONTH.from}&to=${MONTH.to}`
    const listPath = (i: number) =>
      `/v1/admin/bookings?resourceId=${pick(i).id}&from=${WEEK.from}&to=${WEEK.to}&status=confirmed,pending`
    const auth = { Authorization: `Bearer ${key}` }
    const requests = options.quick ? 400 : 2_000
    // Warm the JIT, the pool and the resource catalog first.
    await measure(base, availabilityPath, {}, 100)
    const availability = await measure(base, availabilityPath, {}, requests)
    await measure(base, listPath, auth, 100)
    const list = await measure(base, listPath, auth, requests)

    const target = pick(1)
    const capture = await captureSql(scratchUrl, async (captured) => {
      // Every generated resource is in Europe/Berlin with no buffers.
      const range = busyQueryRange(MONTH.from, MONTH.to, 'Europe/Berlin', {})
      await findBookedSnapshot(captured, target.id, range, Date.now())
    })
    const availabilityPlan = await explain(scratchUrl, capture)
    const listCapture = await captureSql(scratchUrl, async (captured) => {
      await listBookings(captured, {
        resourceId: target.id,
        from: Date.parse(`${WEEK.from}T00:00:00Z`),
        to: Date.parse(`${WEEK.to}T00:00:00Z`),
        status: ['confirmed', 'pending'],
        limit: 50,
      })
    })
    const listPlan = await explain(scratchUrl, listCapture)
    return {
      resources,
      bookings: resources * perResource,
      perResource,
      generateMs,
      connections: CONNECTIONS,
      availability,
      list,
      availabilityPlan,
      listPlan,
    }
  } finally {
    await server?.stop()
    await handle?.close()
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.end({ timeout: 5 })
  }
}

/**
 * Resources open 24 h with 60-minute slots, and their bookings in one INSERT … SELECT:
 * one hour every 8 hours per resource (never overlapping, so the EXCLUDE constraint holds),
 * 80 % confirmed, 10 % cancelled, 5 % pending (no payment window), 5 % completed; and
 * busy time imported from one calendar per resource.
 */
async function generate(sql: postgres.Sql, resources: number, perResource: number): Promise<void> {
  await sql`
    insert into bookable_resources (slug, type, name, timezone, config, is_active)
    select 'scale-' || lpad(g::text, 5, '0'), 'room', 'Scale room ' || g, 'Europe/Berlin', '{}'::jsonb, true
    from generate_series(1, ${resources}::int) g`
  await sql`
    insert into resource_schedules (resource_id, weekday, start_time, end_time, slot_duration, is_available)
    select r.id, w, '00:00', '24:00', 60, true
    from bookable_resources r cross join generate_series(0, 6) w`
  await sql`
    insert into bookings (ref, resource_id, status, starts_at, ends_at, guest_name, guest_email, manage_token_hash, locale, created_at, updated_at)
    select
      'S' || lpad(to_hex(r.n * ${perResource}::int + k), 9, '0'),
      r.id,
      case when k % 20 in (0, 10) then 'cancelled' when k % 20 = 5 then 'pending' when k % 20 = 15 then 'completed' else 'confirmed' end,
      ${START}::timestamptz + (k * ${STEP_HOURS}::int + r.n % ${STEP_HOURS}::int) * interval '1 hour',
      ${START}::timestamptz + (k * ${STEP_HOURS}::int + r.n % ${STEP_HOURS}::int + 1) * interval '1 hour',
      'Guest ' || k,
      'guest' || k || '@example.com',
      md5(r.id::text || k) || md5(k || r.id::text),
      'en',
      now(),
      now()
    from (select id, (row_number() over (order by slug))::int as n from bookable_resources) r
    cross join generate_series(0, ${perResource - 1}::int) k`
  // Each resource also follows an imported calendar: one busy hour in every tenth gap between
  // its bookings, so the busy-interval query reads imported blocks through their index too.
  await sql`
    insert into busy_sources (resource_id, url)
    select id, 'https://calendar.example.com/' || slug || '.ics' from bookable_resources`
  await sql`
    insert into busy_blocks (source_id, resource_id, starts_at, ends_at, uid)
    select
      s.id,
      r.id,
      ${START}::timestamptz + (k * ${STEP_HOURS}::int + r.n % ${STEP_HOURS}::int + 4) * interval '1 hour',
      ${START}::timestamptz + (k * ${STEP_HOURS}::int + r.n % ${STEP_HOURS}::int + 5) * interval '1 hour',
      'scale-' || k
    from (select id, (row_number() over (order by slug))::int as n from bookable_resources) r
    join busy_sources s on s.resource_id = r.id
    cross join generate_series(0, ${perResource - 1}::int, 10) k`
  await sql`analyze`
}

/** `CONNECTIONS` clients, each sending its next request when the last one answered. */
async function measure(
  base: string,
  path: (i: number) => string,
  headers: Record<string, string>,
  total: number,
): Promise<Latency> {
  const times: number[] = []
  let next = 0
  let failures = 0
  const client = async () => {
    while (next < total) {
      const i = next++
      const t = performance.now()
      const res = await fetch(`${base}${path(i)}`, { headers })
      await res.arrayBuffer()
      times.push(performance.now() - t)
      if (res.status !== 200) failures++
    }
  }
  await Promise.all(Array.from({ length: CONNECTIONS }, client))
  times.sort((a, b) => a - b)
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!
  return { p50Ms: at(0.5), p99Ms: at(0.99), requests: times.length, failures }
}

interface Captured {
  query: string
  params: unknown[]
}

/** Runs `run` against a drizzle database whose logger records the SQL and parameters sent. */
async function captureSql(url: string, run: (db: Database) => Promise<void>): Promise<Captured> {
  const client = postgres(url, { max: 1, onnotice: () => {} })
  const seen: Captured[] = []
  try {
    const db = drizzle(client, {
      schema,
      logger: { logQuery: (query, params) => void seen.push({ query, params }) },
    }) as unknown as Database
    await run(db)
  } finally {
    await client.end({ timeout: 5 })
  }
  const last = seen.at(-1)
  if (!last) throw new Error('no query captured')
  return last
}

async function explain(url: string, captured: Captured): Promise<QueryPlan> {
  const client = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const rows = await client.unsafe(`explain (analyze, buffers) ${captured.query}`, captured.params as never[])
    const lines = rows.map((r) => String(r['QUERY PLAN']))
    const indexes = [
      ...new Set(
        lines.flatMap((l) =>
          [...l.matchAll(/(?:Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\S+)/g)].map(
            (m) => m[1]!,
          ),
        ),
      ),
    ]
    const execution = lines.map((l) => /Execution Time: ([\d.]+) ms/.exec(l)).find(Boolean)
    return {
      lines,
      indexes,
      seqScan: lines.some((l) => l.includes('Seq Scan')),
      executionMs: execution ? Number(execution[1]) : NaN,
    }
  } finally {
    await client.end({ timeout: 5 })
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const verdict = (ok: boolean, target: string) => (ok ? `meets ${target}` : `BELOW target ${target}`)

/** The section's lines, as `npm run bench` prints them; false when a request failed. */
export function printScale(r: ScaleResult): boolean {
  if ('skipped' in r) {
    console.log(`  skipped: ${r.skipped}`)
    return true
  }
  const row = (l: Latency) =>
    `p50 ${fmt(l.p50Ms, 1)} ms  p99 ${fmt(l.p99Ms, 1)} ms  (${fmt(l.requests)} requests, ${l.failures} non-200)`
  console.log(
    `  ${fmt(r.resources)} resources × ${fmt(r.perResource)} bookings = ${fmt(r.bookings)} bookings, generated with generate_series + ANALYZE in ${fmt(r.generateMs / 1000, 1)} s`,
  )
  console.log(
    `  GET …/availability, one resource-month (${MONTH.from}…${MONTH.to}), ${r.connections} connections  ${row(r.availability)}  ${verdict(r.availability.p99Ms <= 30, 'p99 ≤ 30 ms')}`,
  )
  console.log(
    `  GET /v1/admin/bookings, one week, resourceId + status=confirmed,pending, ${r.connections} connections  ${row(r.list)}  ${verdict(r.list.p99Ms <= 50, 'p99 ≤ 50 ms')}`,
  )
  const plan = (label: string, p: QueryPlan) => {
    console.log(
      `  EXPLAIN (ANALYZE, BUFFERS) ${label}: ${p.seqScan ? 'SEQ SCAN' : 'no seq scan'}, indexes: ${p.indexes.join(', ') || 'none'}, execution ${fmt(p.executionMs, 2)} ms`,
    )
    for (const l of p.lines) console.log(`    ${l}`)
  }
  plan('busy intervals (findBookedSnapshot, exact SQL)', r.availabilityPlan)
  plan('owner list (listBookings, exact SQL)', r.listPlan)
  return r.availability.failures + r.list.failures === 0
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick')
  console.log(`Scale (${quick ? 'quick' : 'full'})`)
  const ok = printScale(await benchScale({ databaseUrl: process.env.DATABASE_URL || undefined, quick }))
  if (!ok) process.exitCode = 1
}
