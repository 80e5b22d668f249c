import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bookings } from '../drizzle/schema'
import { openDatabase } from '../api/db/open-database'
import { loadScheduleRules } from '../api/store/resources'
import { computeSlots } from '../shared/slots/compute-slots'
import type { Interval } from '../shared/slots/types'
import { bookingValues, everyDay, insertPool, insertResource, uniqueSlug } from '../test/fixtures'
import type { Database } from '../api/db/database'
import { runLoad, type LoadResult } from './load'
import { filterSlotsNaive } from './naive-filter'
import { startApiServer, type RunningServer } from '../test/server'
import type { AvailabilityResponse, PublicHold } from '../shared/types'

export interface AvailabilityBenchOptions {
  databaseUrl: string | undefined
  upstash: { url: string; token: string } | undefined
  quick: boolean
}

export interface AvailabilityBenchResult {
  database: 'postgres' | 'pglite'
  bookings: number
  health: LoadResult
  availability: LoadResult
  /** The same windows on a pool of POOL_MEMBERS resources of the same schedule (the same bookings in all, spread over them). */
  poolAvailability: LoadResult
  poolMembers: number
  engineMs: number
  naiveMs: number
  /** Many clients on one resource-month while bookings land, against /health at the same concurrency. */
  crowd: CrowdResult
  /** Availability against a bare route running the same busy-interval SQL, in one bench server process. */
  bare: BareResult
}

export interface CrowdResult {
  /** Whether the server caches (it does with Redis, or memory beside the embedded database). */
  cached: boolean
  connections: number
  health: LoadResult
  availability: LoadResult
  /** Bookings written during the run; each followed at once by a read that must not offer it. */
  writes: number
  staleReads: number
  checkedReads: number
}

export interface BareResult {
  bare: LoadResult
  uncached: LoadResult
  cached: LoadResult
}

const BOOKINGS = 10_000
const YEAR_START = '2027-01-01'
const YEAR_END = '2027-12-31'
const SLOT_MS = 30 * 60_000
const CONNECTIONS = 20

/**
 * One resource (open 24 h, 30-minute slots) with 10,000 bookings spread over a year.
 * Measures availability over HTTP against /health on the same server, and the slot
 * engine's sweep against the naive slots × bookings filter on the same data.
 */
export async function benchAvailability(options: AvailabilityBenchOptions): Promise<AvailabilityBenchResult> {
  const dataDir = options.databaseUrl ? undefined : await mkdtemp(join(tmpdir(), 'booking-bench-'))
  const handle = await openDatabase({ url: options.databaseUrl, dataDir, migrate: true })
  const resource = await insertResource(handle.db, {
    slug: uniqueSlug('bench'),
    timezone: 'Europe/Berlin',
    config: { bufferAfterMin: 0 },
    schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 30 }),
  })
  const booked = pickBookedSlots(BOOKINGS)
  for (let i = 0; i < booked.length; i += 1000) {
    await handle.db
      .insert(bookings)
      .values(
        booked
          .slice(i, i + 1000)
          .map((b) => bookingValues({ resourceId: resource.id, start: new Date(b.start), end: new Date(b.end) })),
      )
  }
  const pool = await insertBenchPool(handle.db, booked)
  const rules = await loadScheduleRules(handle.db, resource.id)
  const kind = handle.kind
  await handle.close()

  const engine = compareEngineWithNaive(rules, booked)

  const server = await startApiServer({
    DATABASE_URL: options.databaseUrl,
    DATA_DIR: dataDir,
    // The crowd run books through the API from one address.
    HOLD_RATE_LIMIT: '0',
    HOLD_MAX_LIVE_PER_IP: '0',
    ...(options.upstash
      ? { UPSTASH_REDIS_REST_URL: options.upstash.url, UPSTASH_REDIS_REST_TOKEN: options.upstash.token }
      : {}),
  })
  try {
    const durationSec = options.quick ? 3 : 10
    // Warm both paths (JIT, connection pool) before measuring.
    await runLoad({ url: `${server.url}/health`, connections: CONNECTIONS, durationSec: 1 })
    await runLoad({
      url: `${server.url}/v1/resources/${resource.slug}/availability?from=2027-03-01&to=2027-03-31`,
      connections: CONNECTIONS,
      durationSec: 1,
    })

    const health = await runLoad({ url: `${server.url}/health`, connections: CONNECTIONS, durationSec })
    let month = 0
    const availability = await runLoad({
      url: server.url,
      connections: CONNECTIONS,
      durationSec,
      // 31-day windows starting on a different day of the year each time.
      nextPath: () => {
        month = (month + 1) % 300
        const from = addDays(YEAR_START, month)
        return `/v1/resources/${resource.slug}/availability?from=${from}&to=${addDays(from, 30)}`
      },
    })
    await runLoad({
      url: `${server.url}/v1/pools/${pool.slug}/availability?from=2027-03-01&to=2027-03-31`,
      connections: CONNECTIONS,
      durationSec: 1,
    })
    let poolMonth = 0
    const poolAvailability = await runLoad({
      url: server.url,
      connections: CONNECTIONS,
      durationSec,
      nextPath: () => {
        poolMonth = (poolMonth + 1) % 300
        const from = addDays(YEAR_START, poolMonth)
        return `/v1/pools/${pool.slug}/availability?from=${from}&to=${addDays(from, 30)}`
      },
    })
    const crowd = await benchCrowd(server, resource.slug, {
      cached: Boolean(options.upstash) || !options.databaseUrl,
      durationSec,
    })
    await server.stop()
    const upstashEnv = options.upstash
      ? { UPSTASH_REDIS_REST_URL: options.upstash.url, UPSTASH_REDIS_REST_TOKEN: options.upstash.token }
      : {}
    const bare = await benchBare(
      resource.slug,
      { DATABASE_URL: options.databaseUrl, DATA_DIR: dataDir, ...upstashEnv },
      durationSec,
    )
    return {
      database: kind,
      bookings: booked.length,
      health,
      availability,
      poolAvailability,
      poolMembers: POOL_MEMBERS,
      ...engine,
      crowd,
      bare,
    }
  } finally {
    await server.stop()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  }
}

const POOL_MEMBERS = 20

/**
 * A pool of POOL_MEMBERS resources with the bench resource's schedule, the same bookings
 * dealt out among them in turn: a pool answer has as many slots as one resource's, but
 * reads and cuts every member's.
 */
async function insertBenchPool(db: Database, booked: Interval[]) {
  const members: { id: string }[] = []
  for (let i = 0; i < POOL_MEMBERS; i++) {
    members.push(
      await insertResource(db, {
        slug: uniqueSlug('bench-member'),
        timezone: 'Europe/Berlin',
        schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 30 }),
      }),
    )
  }
  for (let i = 0; i < booked.length; i += 1000) {
    await db.insert(bookings).values(
      booked.slice(i, i + 1000).map((b, j) =>
        bookingValues({
          resourceId: members[(i + j) % POOL_MEMBERS]!.id,
          start: new Date(b.start),
          end: new Date(b.end),
        }),
      ),
    )
  }
  return insertPool(db, { slug: uniqueSlug('bench-pool'), members: members.map((m) => m.id) })
}

const CROWD_CONNECTIONS = 50
const CROWD_MONTH = { from: '2027-03-01', to: '2027-03-31' }

/**
 * Many clients read one resource-month while a writer books free slots of it through the
 * same API; after each booking's response a read must no longer offer that slot, and a
 * checker compares every read it makes with the bookings that had landed before it began.
 */
export async function benchCrowd(
  server: RunningServer,
  slug: string,
  options: { cached: boolean; durationSec: number },
): Promise<CrowdResult> {
  const path = `/v1/resources/${slug}/availability?from=${CROWD_MONTH.from}&to=${CROWD_MONTH.to}`
  const read = async () => {
    const body = (await fetch(`${server.url}${path}`).then((r) => r.json())) as AvailabilityResponse
    return new Set(body.days.flatMap((d) => d.slots.map((s) => s.start)))
  }
  const free = [...(await read())]
  const health = await runLoad({
    url: `${server.url}/health`,
    connections: CROWD_CONNECTIONS,
    durationSec: options.durationSec,
  })
  const landed = new Map<string, number>()
  let staleReads = 0
  let checkedReads = 0
  let stop = false
  const check = async () => {
    const started = performance.now()
    const seen = await read()
    checkedReads++
    for (const [slot, at] of landed) if (at < started && seen.has(slot)) staleReads++
  }
  const post = (p: string, session: string, body: unknown) =>
    fetch(`${server.url}${p}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Booking-Session': session },
      body: JSON.stringify(body),
    })
  const writer = (async () => {
    for (let i = 0; !stop && i < free.length; i += 7) {
      const session = `s_bench${i.toString().padStart(20, '0')}`
      const hold = await post('/v1/holds', session, { resourceId: slug, start: free[i] })
      if (hold.status !== 201) continue
      const { hold: placed } = (await hold.json()) as { hold: PublicHold }
      const booked = await post('/v1/bookings', session, {
        holdId: placed.id,
        guest: { name: 'Bench Guest', email: 'bench@example.com' },
      })
      if (booked.status !== 201) continue
      landed.set(free[i]!, performance.now())
      await check()
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })()
  const checker = (async () => {
    while (!stop) await check()
  })()
  const availability = await runLoad({
    url: `${server.url}${path}`,
    connections: CROWD_CONNECTIONS,
    durationSec: options.durationSec,
  })
  stop = true
  await Promise.all([writer, checker])
  return {
    cached: options.cached,
    connections: CROWD_CONNECTIONS,
    health,
    availability,
    writes: landed.size,
    staleReads,
    checkedReads,
  }
}

/**
 * Availability (31-day windows across the year, as above) against the bare busy-interval
 * route with the same windows, in one bench server process: without the cache, then with it.
 */
async function benchBare(
  slug: string,
  env: Record<string, string | undefined>,
  durationSec: number,
): Promise<BareResult> {
  const measure = async (server: string, route: (from: string, to: string) => string) => {
    let month = 0
    const nextPath = () => {
      month = (month + 1) % 300
      const from = addDays(YEAR_START, month)
      return route(from, addDays(from, 30))
    }
    await runLoad({ url: server, connections: CONNECTIONS, durationSec: 1, nextPath })
    return runLoad({ url: server, connections: CONNECTIONS, durationSec, nextPath })
  }
  const availabilityRoute = (from: string, to: string) => `/v1/resources/${slug}/availability?from=${from}&to=${to}`
  const plain = await startBenchServer(slug, env, false)
  let bare: LoadResult
  let uncached: LoadResult
  try {
    bare = await measure(plain.url, (from, to) => `/bench/busy?from=${from}&to=${to}`)
    uncached = await measure(plain.url, availabilityRoute)
  } finally {
    await plain.stop()
  }
  const withCache = await startBenchServer(slug, env, true)
  try {
    return { bare, uncached, cached: await measure(withCache.url, availabilityRoute) }
  } finally {
    await withCache.stop()
  }
}

async function startBenchServer(
  slug: string,
  env: Record<string, string | undefined>,
  cache: boolean,
): Promise<{ url: string; stop(): Promise<void> }> {
  const entry = fileURLToPath(new URL('./availability-server.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', entry, slug, ...(cache ? ['--cache'] : [])], {
    env: { ...process.env, ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    let printed = ''
    const timer = setTimeout(() => reject(new Error('bench server did not start within 60 s')), 60_000)
    child.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString()
      const match = /running at (\S+)/.exec(printed)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`bench server exited early with code ${code}`))
    })
  })
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

function compareEngineWithNaive(rules: Awaited<ReturnType<typeof loadScheduleRules>>, booked: Interval[]) {
  const input = {
    timezone: 'Europe/Berlin',
    rules,
    config: {},
    from: YEAR_START,
    to: YEAR_END,
    viewZone: 'Europe/Berlin',
    now: Date.parse('2026-12-01T00:00:00Z'),
  }
  const flatten = (days: ReturnType<typeof computeSlots>): Interval[] =>
    days.flatMap((d) => d.slots.map((s) => ({ start: Date.parse(s.start), end: Date.parse(s.end) })))

  // Both sides pay for generating and formatting the slots; they differ only in how
  // bookings are subtracted. Slot strings are parsed back outside the timed regions, and
  // each side keeps its best of many runs: the early ones measure the JIT and GC, not
  // the algorithm.
  const runs = 30
  const allSlots = flatten(computeSlots({ ...input, busy: [] }))
  let engineMs = Infinity
  let engineDays: ReturnType<typeof computeSlots> = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    engineDays = computeSlots({ ...input, busy: booked })
    engineMs = Math.min(engineMs, performance.now() - t)
  }
  let naiveMs = Infinity
  let naiveSlots: Interval[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    computeSlots({ ...input, busy: [] })
    naiveSlots = filterSlotsNaive(allSlots, booked, 0, 0)
    naiveMs = Math.min(naiveMs, performance.now() - t)
  }
  const engineSlots = flatten(engineDays)
  if (JSON.stringify(engineSlots) !== JSON.stringify(naiveSlots)) {
    throw new Error('engine and naive filter disagree: the benchmark compares different answers')
  }
  return { engineMs, naiveMs }
}

/** Deterministic choice of distinct 30-minute slots over the year (seeded PRNG). */
function pickBookedSlots(count: number): Interval[] {
  const start = Date.parse(`${YEAR_START}T00:00:00Z`)
  const slotsInYear = (365 * 24 * 60 * 60_000) / SLOT_MS
  const random = mulberry32(2027)
  const chosen = new Set<number>()
  while (chosen.size < count) chosen.add(Math.floor(random() * slotsInYear))
  return [...chosen].sort((a, b) => a - b).map((i) => ({ start: start + i * SLOT_MS, end: start + (i + 1) * SLOT_MS }))
}

function mulberry32(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}
