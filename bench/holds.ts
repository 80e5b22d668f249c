import { randomBytes } from 'node:crypto'
import { systemClock } from '../api/clock'
import { createHoldBackend } from '../api/holds/create-hold-backend'
import type { HoldStore } from '../api/holds/hold-store'

export interface HoldLatency {
  store: 'redis' | 'memory' | 'baseline'
  pairs: number
  p50Ms: number
  p99Ms: number
}

/** Sequential place + release pairs straight on the store: the latency a guest feels per click. */
export async function benchHoldLatency(
  upstash: { url: string; token: string } | undefined,
  quick: boolean,
): Promise<HoldLatency[]> {
  const pairs = quick ? 300 : 2000
  const results: HoldLatency[] = []
  const backends = [
    ...(upstash ? [{ store: 'redis' as const, upstash }] : []),
    { store: 'memory' as const, upstash: undefined },
  ]
  for (const { store, upstash: endpoint } of backends) {
    const { holds } = createHoldBackend({
      upstash: endpoint,
      holdRateLimitPerMinute: 0,
      clock: systemClock,
      keyPrefix: `bench:${randomBytes(4).toString('hex')}:`,
    })
    const samples = await measurePairs(holds, pairs)
    results.push({ store, pairs, p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99) })
  }
  if (upstash) {
    // Baseline: the two bare HTTP round trips a place + release costs at least.
    const samples: number[] = []
    for (let i = 0; i < pairs + 50; i++) {
      const t = performance.now()
      for (let j = 0; j < 2; j++) {
        const res = await fetch(upstash.url, {
          method: 'POST',
          headers: { Authorization: `Bearer ${upstash.token}` },
          body: '["ping"]',
        })
        await res.text()
      }
      if (i >= 50) samples.push(performance.now() - t)
    }
    results.push({ store: 'baseline', pairs, p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99) })
  }
  return results
}

async function measurePairs(holds: HoldStore, pairs: number): Promise<number[]> {
  const resourceId = `bench-${randomBytes(4).toString('hex')}`
  const base = Date.UTC(2031, 0, 1)
  const samples: number[] = []
  for (let i = 0; i < pairs + 50; i++) {
    const session = `bench_${randomBytes(8).toString('hex')}`
    const start = base + i * 3_600_000
    const t = performance.now()
    const placed = await holds.place({
      resourceId,
      sessionId: session,
      start,
      end: start + 3_600_000,
      blockStart: start,
      blockEnd: start + 3_600_000,
      ttlMs: 600_000,
      maxPerSession: 2,
      seats: 1,
      capacity: 1,
      bookedSeats: 0,
    })
    if (!placed.ok) throw new Error(`hold refused: ${placed.reason}`)
    await holds.release(placed.hold.id, session)
    // The first 50 warm the connection and the JIT.
    if (i >= 50) samples.push(performance.now() - t)
  }
  return samples
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN
}
