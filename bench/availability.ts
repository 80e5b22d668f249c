import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bookings } from '../drizzle/schema'
import { openDatabase } from '../api/db/open-database'
import { loadScheduleRules } from '../api/store/resources'
import { computeSlots } from '../shared/slots/compute-slots'
import type { Interval } from '../shared/slots/types'
import { bookingValues, everyDay, insertResource, uniqueSlug } from '../test/fixtures'
import { runLoad, type LoadResult } from './load'
import { filterSlotsNaive } from './naive-filter'
import { startApiServer } from '../test/server'

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
  engineMs: number
  naiveMs: number
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
      .values(booked.slice(i, i + 1000).map((b) => bookingValues({ resourceId: resource.id, start: new Date(b.start), end: new Date(b.end) })))
  }
  const rules = await loadScheduleRules(handle.db, resource.id)
  const kind = handle.kind
  await handle.close()

  const engine = compareEngineWithNaive(rules, booked)

  const server = await startApiServer({
    DATABASE_URL: options.databaseUrl,
    DATA_DIR: dataDir,
    ...(options.upstash ? { UPSTASH_REDIS_REST_URL: options.upstash.url, UPSTASH_REDIS_REST_TOKEN: options.upstash.token } : {}),
  })
  try {
    const durationSec = options.quick ? 3 : 10
    // Warm both paths (JIT, connection pool) before measuring.
    await runLoad({ url: `${server.url}/health`, connections: CONNECTIONS, durationSec: 1 })
    await runLoad({ url: `${server.url}/v1/resources/${resource.slug}/availability?from=2027-03-01&to=2027-03-31`, connections: CONNECTIONS, durationSec: 1 })

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
    return { database: kind, bookings: booked.length, health, availability, ...engine }
  } finally {
    await server.stop()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
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
