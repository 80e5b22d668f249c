import { benchAvailability } from './availability'
import type { LoadResult } from './load'

/**
 * `npm run bench [-- --quick]`: speed and size figures, each with a baseline measured in
 * the same run and the ratio against the target. Uses DATABASE_URL when set,
 * otherwise the embedded PGlite.
 */
const quick = process.argv.includes('--quick')
const databaseUrl = process.env.DATABASE_URL || undefined

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const line = (r: LoadResult) =>
  `${fmt(r.requestsPerSec)} req/s  p50 ${fmt(r.p50Ms, 1)} ms  p99 ${fmt(r.p99Ms, 1)} ms  (${fmt(r.requests)} requests, ${r.errors} errors, ${r.non2xx} non-2xx)`
const verdict = (ratio: number, target: number) => (ratio >= target ? `meets ≥ ${target}` : `BELOW target ${target}`)

console.log(`Benchmark (${quick ? 'quick' : 'full'} run) on ${databaseUrl ? 'PostgreSQL' : 'embedded PGlite'}\n`)

const a = await benchAvailability({ databaseUrl, quick })
const httpRatio = a.availability.requestsPerSec / a.health.requestsPerSec
const engineRatio = a.naiveMs / a.engineMs
console.log(`Availability (${a.bookings.toLocaleString('en-US')} bookings over a year, 31-day windows, 20 connections)`)
console.log(`  GET /health (baseline)    ${line(a.health)}`)
console.log(`  GET …/availability        ${line(a.availability)}`)
console.log(`  ratio availability/health ${fmt(httpRatio, 3)}  ${verdict(httpRatio, 0.5)}`)
console.log(`  engine, one year          ${fmt(a.engineMs, 2)} ms (sweep)  vs  ${fmt(a.naiveMs, 2)} ms (naive slots × bookings)`)
console.log(`  ratio naive/engine        ${fmt(engineRatio, 1)}×  ${verdict(engineRatio, 20)}`)
if (a.availability.errors + a.availability.non2xx + a.health.errors + a.health.non2xx > 0) {
  console.error('\nFAIL: requests failed during the benchmark')
  process.exitCode = 1
}
