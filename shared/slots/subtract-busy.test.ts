import { describe, expect, it } from 'vitest'
import type { Interval } from './types'
import { subtractBusy } from './subtract-busy'
import { createSeededRandom } from './seeded-random'

const M = 60_000

/** Minute-based intervals keep the table readable. */
function minutes(pairs: number[][]): Interval[] {
  return pairs.map(([start, end]) => ({ start: (start as number) * M, end: (end as number) * M }))
}

function slotsEvery(step: number, length: number, from: number, to: number): Interval[] {
  const slots: Interval[] = []
  for (let start = from; start + length <= to; start += step) slots.push({ start: start * M, end: (start + length) * M })
  return slots
}

describe('subtractBusy', () => {
  it.each<[string, number[][], number[][], number, number, number[][]]>([
    ['keeps slots that only touch a booking', [[0, 60], [60, 120], [120, 180]], [[60, 120]], 0, 0, [[0, 60], [120, 180]]],
    ['blocks slots that a buffer pushes into a booking, on both sides', slotsEvery(20, 20, 540, 720).map((s) => [s.start / M, s.end / M]), [[600, 660]], 10, 10,
      [[540, 560], [560, 580], [680, 700], [700, 720]]],
    ['accepts busy intervals unsorted and overlapping', [[0, 60], [60, 120], [120, 180], [180, 240], [240, 300]], [[200, 230], [70, 100], [90, 130]], 0, 0,
      [[0, 60], [240, 300]]],
    ['ignores empty busy intervals', [[0, 60]], [[30, 30], [50, 40]], 15, 15, [[0, 60]]],
    ['checks slots of different lengths that share a start', [[0, 30], [0, 90], [30, 60]], [[80, 100]], 0, 0, [[0, 30], [30, 60]]],
  ])('%s', (_, slots, busy, before, after, expected) => {
    const free = subtractBusy(minutes(slots), minutes(busy), { beforeMs: before * M, afterMs: after * M })
    expect(free.map((s) => [s.start / M, s.end / M])).toEqual(expected)
  })

  it.each([1, 2, 3, 4, 5])('matches a slots × busy reference filter on random data (seed %i)', (seed) => {
    const random = createSeededRandom(seed)
    const slots = [...slotsEvery(15, 45, 0, 20_000), ...slotsEvery(30, 30, 0, 20_000)].sort(
      (a, b) => a.start - b.start || a.end - b.end,
    )
    const busy = Array.from({ length: 300 }, () => {
      const start = Math.floor(random() * 21_000) - 500
      return { start: start * M, end: (start + Math.floor(random() * 200)) * M }
    })
    const buffers = { beforeMs: Math.floor(random() * 30) * M, afterMs: Math.floor(random() * 30) * M }
    const expected = slots.filter(
      (s) =>
        !busy.some(
          (b) => b.end > b.start && s.start - buffers.beforeMs < b.end + buffers.afterMs && b.start - buffers.beforeMs < s.end + buffers.afterMs,
        ),
    )
    const free = subtractBusy(slots, busy, buffers)
    expect(free).toEqual(expected)
    expect(free.length).toBeGreaterThan(0)
    expect(free.length).toBeLessThan(slots.length)
  })
})
