import { startBridgeProcess, type RunningBridge } from '../test/server'
import { benchAvailability } from './availability'
import { benchBookings } from './bookings'
import { benchHoldLatency } from './holds'
import { benchScale, printScale } from './scale'
import type { LoadResult } from './load'
import { measureOnTheWire, measureTimeToFirstSlots, measureWidgetSizes } from './widget'

/**
 * `npm run bench [-- --quick]`: speed figures, each with a baseline measured in the same
 * run and the ratio against the issue's target. Uses DATABASE_URL when set (otherwise the
 * embedded PGlite) and Redis through the local REST bridge when REDIS_URL is set (or
 * Upstash when UPSTASH_REDIS_REST_URL/TOKEN are).
 */
const quick = process.argv.includes('--quick')
const databaseUrl = process.env.DATABASE_URL || undefined

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const line = (r: LoadResult) =>
  `${fmt(r.requestsPerSec)} req/s  p50 ${fmt(r.p50Ms, 1)} ms  p99 ${fmt(r.p99Ms, 1)} ms  (${fmt(r.requests)} requests, ${r.errors} errors, ${r.non2xx} non-2xx)`
const verdict = (ok: boolean, target: string) => (ok ? `meets ${target}` : `BELOW target ${target}`)

let bridge: RunningBridge | undefined
let upstash: { url: string; token: string } | undefined
if (process.env.UPSTASH_REDIS_REST_URL && process.env.UPSTASH_REDIS_REST_TOKEN) {
  upstash = { url: process.env.UPSTASH_REDIS_REST_URL, token: process.env.UPSTASH_REDIS_REST_TOKEN }
} else if (process.env.REDIS_URL) {
  bridge = await startBridgeProcess(process.env.REDIS_URL)
  upstash = { url: bridge.url, token: bridge.token }
}

console.log(
  `Benchmark (${quick ? 'quick' : 'full'} run) on ${databaseUrl ? 'PostgreSQL' : 'embedded PGlite'}, holds in ${upstash ? 'Redis (Upstash REST)' : 'memory'}\n`,
)
let failed = false
try {
  const a = await benchAvailability({ databaseUrl, upstash, quick })
  const httpRatio = a.availability.requestsPerSec / a.health.requestsPerSec
  const engineRatio = a.naiveMs / a.engineMs
  console.log(`Availability (${fmt(a.bookings)} bookings over a year, 31-day windows, 20 connections)`)
  console.log(`  GET /health (baseline)     ${line(a.health)}`)
  console.log(`  GET …/availability         ${line(a.availability)}`)
  console.log(`  ratio availability/health  ${fmt(httpRatio, 3)}  ${verdict(httpRatio >= 0.5, '≥ 0.5')}`)
  console.log(`  GET /v1/pools/…/availability, a pool of ${a.poolMembers} members (the same bookings spread over them)`)
  console.log(
    `                             ${line(a.poolAvailability)}  ratio pool/one resource ${fmt(a.poolAvailability.requestsPerSec / a.availability.requestsPerSec, 3)}`,
  )
  console.log(
    `  engine, one year           ${fmt(a.engineMs, 2)} ms (sweep)  vs  ${fmt(a.naiveMs, 2)} ms (naive slots × bookings)`,
  )
  console.log(`  ratio naive/engine         ${fmt(engineRatio, 1)}×  ${verdict(engineRatio >= 20, '≥ 20×')}`)
  failed ||=
    a.availability.errors + a.availability.non2xx + a.health.errors + a.health.non2xx > 0 ||
    a.poolAvailability.errors + a.poolAvailability.non2xx > 0
  const crowd = a.crowd
  const crowdRatio = crowd.availability.requestsPerSec / crowd.health.requestsPerSec
  console.log(
    `  crowd: ${crowd.connections} connections on one resource-month, ${crowd.cached ? 'cached' : 'NOT cached (PostgreSQL with in-memory holds)'}, ${crowd.writes} bookings landing meanwhile`,
  )
  console.log(`    GET /health (baseline)   ${line(crowd.health)}`)
  console.log(`    GET …/availability       ${line(crowd.availability)}`)
  console.log(`    ratio crowd/health       ${fmt(crowdRatio, 3)}  ${verdict(crowdRatio >= 0.3, '≥ 0.3')}`)
  console.log(
    `    staleness check          ${crowd.staleReads} stale of ${fmt(crowd.checkedReads)} checked reads after ${crowd.writes} writes  ${verdict(crowd.staleReads === 0, '0 stale')}`,
  )
  const bare = a.bare
  console.log(`  bare route (the same busy-interval SQL, its rows as JSON; one bench server process, 31-day windows)`)
  console.log(`    GET /bench/busy (baseline) ${line(bare.bare)}`)
  console.log(
    `    availability, no cache     ${line(bare.uncached)}  ratio ${fmt(bare.uncached.requestsPerSec / bare.bare.requestsPerSec, 3)}  ${verdict(bare.uncached.requestsPerSec / bare.bare.requestsPerSec >= 0.5, '≥ 0.5')}`,
  )
  console.log(
    `    availability, cached       ${line(bare.cached)}  ratio ${fmt(bare.cached.requestsPerSec / bare.bare.requestsPerSec, 3)}  ${verdict(bare.cached.requestsPerSec / bare.bare.requestsPerSec >= 0.5, '≥ 0.5')}`,
  )
  failed ||= crowd.staleReads > 0 || crowd.availability.errors + crowd.availability.non2xx > 0

  console.log(`\nBookings (holds placed first, then POST /v1/bookings with 20 in flight, distinct slots)`)
  const runs = upstash ? [upstash, undefined] : [undefined]
  let contention: NonNullable<Awaited<ReturnType<typeof benchBookings>>['contention']> | undefined
  for (const endpoint of runs) {
    const b = await benchBookings({ databaseUrl, upstash: endpoint, quick, contention: !contention })
    contention ??= b.contention
    for (const t of b.throughput) {
      const where = `${t.resources === 1 ? 'one resource' : `${t.resources} resources`}${t.capacity > 1 ? ` of ${t.capacity} places` : ''}, holds in ${endpoint ? 'Redis' : 'memory'}`
      let row = `  ${fmt(t.bookings)} on ${where.padEnd(42)} API ${fmt(t.apiCreatesPerSec)} creates/s`
      if (t.rawTransactionsPerSec !== undefined) {
        const ratio = t.apiCreatesPerSec / t.rawTransactionsPerSec
        row += `  vs raw postgres.js transaction (booking + outbox rows) ${fmt(t.rawTransactionsPerSec)}/s (baseline)  ratio ${fmt(ratio, 2)}  ${verdict(ratio >= 0.5, '≥ 0.5')}`
      } else {
        row += '  (raw postgres.js baseline needs DATABASE_URL)'
      }
      console.log(row)
    }
  }
  if (contention) {
    const c = contention
    console.log(
      `  ${fmt(c.holds)} holds on one slot at once: resolved in ${fmt(c.ms)} ms → ${c.created} × 201, ${c.held} × 409 slot_held, ${c.other} other  ${verdict(c.ms < 1000, '< 1 s')}; as many GET /health at once ${fmt(c.healthMs)} ms (baseline)`,
    )
    failed ||= c.created !== 1 || c.other > 0
  }

  console.log('\nHold create + release, sequential pairs on the store')
  const latencies = await benchHoldLatency(upstash, quick)
  const baseline = latencies.find((h) => h.store === 'baseline')
  for (const h of latencies) {
    const label = h.store === 'baseline' ? '2 bare HTTP round trips to the REST endpoint (baseline)' : h.store
    let note = ''
    if (h.store === 'redis') {
      note = `  ${verdict(h.p99Ms <= 5, 'p99 ≤ 5 ms')}`
      if (baseline)
        note += `; ${fmt(h.p50Ms / baseline.p50Ms, 2)}× the baseline at p50, ${fmt(h.p99Ms / baseline.p99Ms, 2)}× at p99`
    }
    console.log(
      `  ${label.padEnd(8)} p50 ${fmt(h.p50Ms, 2)} ms  p99 ${fmt(h.p99Ms, 2)} ms  (${fmt(h.pairs)} pairs)${note}`,
    )
  }

  console.log('\nWidget (built scripts; gzip -9 and brotli 11, as served)')
  const BUDGET = 15 * 1024
  // What loads each module that the first slots do not need, by its name before the hash.
  const loadedFor: Record<string, string> = {
    'manage.js': 'the manage page (its loader)',
    'later-steps': 'after first paint, in idle time (details, payment, confirmation steps)',
    'stripe-payment': 'resources that take payment, at the card step',
    de: 'German pages',
    es: 'Spanish pages',
    Popup: 'the popup and floating button, when opened',
    ManageBooking: 'the manage page',
    CalendarLinks: 'the confirmation and the manage page',
    manage: 'the manage page (its entry)',
  }
  const sizes = await measureWidgetSizes()
  const kb = (bytes: number) => `${fmt(bytes / 1024, 2)} KB`
  for (const size of sizes) {
    const name = size.file.split('/').pop()!
    const role = size.critical
      ? 'critical path'
      : `for ${loadedFor[name] ?? loadedFor[name.replace(/-[\w-]{8}\.js$/, '')] ?? 'on demand'}`
    console.log(
      `  ${size.file.padEnd(34)} ${fmt(size.bytes / 1024, 1).padStart(5)} KB raw, ${kb(size.gzipBytes)} gzip, ${kb(size.brBytes)} br  (${role})`,
    )
  }
  const critical = sizes.filter((size) => size.critical)
  const criticalGzip = critical.reduce((sum, size) => sum + size.gzipBytes, 0)
  const everything = sizes.filter((size) => size.file !== 'manage.js').reduce((sum, size) => sum + size.gzipBytes, 0)
  console.log(
    `  critical path (${critical.length} files): ${kb(criticalGzip)} gzip, ${kb(critical.reduce((sum, size) => sum + size.brBytes, 0))} br  ${verdict(criticalGzip <= BUDGET, '≤ 15 KB gzip')}; everything the widget may load: ${kb(everything)} gzip (ratio ${fmt(criticalGzip / everything, 2)})`,
  )
  const timing = await measureTimeToFirstSlots({ databaseUrl, quick })
  if (timing) {
    console.log(`  time to first slots painted, headless Chromium, first visit, median of ${timing.runs}:`)
    console.log(
      `    snippet page  ${fmt(timing.widgetMs, 1)} ms (script fetch start → slots on screen)  ${verdict(timing.widgetMs <= 300, '≤ 300 ms')}`,
    )
    console.log(
      `    baseline page ${fmt(timing.baselineMs, 1)} ms (a script that renders one <div>)  ratio ${fmt(timing.widgetMs / timing.baselineMs, 1)}×`,
    )
  } else {
    console.log('  time to first slots: skipped, /usr/bin/chromium not found (apt-get install -y chromium)')
  }

  console.log('\nOn the wire (the snippet page in headless Chromium, 400 ms RTT / 50 KB/s, first visit)')
  const wire = await measureOnTheWire({ databaseUrl, quick })
  if (wire) {
    const { compressed: c, identity: i } = wire
    const kb = (bytes: number) => `${fmt(bytes / 1024, 1)} KB`
    const bytesOk = c.bytesToFirstSlots <= 28 * 1024
    console.log(`  bytes, script request → first slots (CDP encodedDataLength, median of ${wire.runs}):`)
    console.log(
      `    Accept-Encoding: br, gzip   ${kb(c.bytesToFirstSlots)} (${kb(c.bytesSettled)} once idle)  ${verdict(bytesOk, '≤ 28 KB (28,672 bytes)')}`,
    )
    console.log(
      `    identity (baseline)         ${kb(i.bytesToFirstSlots)} (${kb(i.bytesSettled)} once idle)  ratio ${fmt(c.bytesToFirstSlots / i.bytesToFirstSlots, 2)}`,
    )
    for (const r of c.requests)
      console.log(
        `      ${r.beforePaint ? 'before paint' : 'after paint '} ${r.encoding.padEnd(8)} ${fmt(r.bytes).padStart(7)} B  ${r.url.replace(/\?.*/, '')}`,
      )
    console.log('  time to first slots painted, throttled:')
    console.log(`    Accept-Encoding: br, gzip   ${fmt(c.ms)} ms  ${verdict(c.ms <= 1200, '≤ 1.2 s')}`)
    console.log(`    identity (baseline)         ${fmt(i.ms)} ms  ratio ${fmt(c.ms / i.ms, 2)}`)
  } else {
    console.log('  skipped, /usr/bin/chromium not found (apt-get install -y chromium)')
  }

  console.log(
    `\nScale (${quick ? '100 resources, 100,000' : '1,000 resources, 1,000,000'} bookings in a scratch database, low concurrency, through the app over HTTP)`,
  )
  failed ||= !printScale(await benchScale({ databaseUrl, quick }))
} finally {
  await bridge?.stop()
}
if (failed) {
  console.error('\nFAIL: requests failed or counts were wrong during the benchmark')
  process.exitCode = 1
}
