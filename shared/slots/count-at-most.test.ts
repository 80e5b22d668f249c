import { describe, expect, it } from 'vitest'
import { createCountAtMost } from './count-at-most'
import { createSeededRandom } from './seeded-random'

function naiveCount(values: number[], x: number): number {
  return values.filter((v) => v <= x).length
}

describe('createCountAtMost', () => {
  it.each<[string, number[], number[], number[]]>([
    ['counts below, between, on and above spread values', [10, 20, 30, 40], [5, 10, 15, 40, 45], [0, 1, 1, 4, 4]],
    ['counts every copy of a repeated value', [10, 20, 20, 20, 30], [19, 20, 21], [1, 4, 4]],
    ['handles values that are all equal', [7, 7, 7], [6, 7, 8], [0, 3, 3]],
    ['handles a single value', [7], [6, 7, 8], [0, 1, 1]],
    ['handles no values', [], [0], [0]],
    ['handles two far clusters', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 1e12], [5.5, 11, 5e11], [6, 12, 12]],
  ])('%s', (_, values, xs, expected) => {
    const countAtMost = createCountAtMost(Float64Array.from(values))
    expect(xs.map(countAtMost)).toEqual(expected)
  })

  it.each([1, 2, 3])('matches a plain count on random clustered values (seed %i)', (seed) => {
    const random = createSeededRandom(seed)
    const values = Array.from({ length: 500 }, () =>
      random() < 0.5 ? Math.floor(random() * 50) * 60_000 : 1.7e12 + Math.floor(random() * 1e6) * 1000,
    ).sort((a, b) => a - b)
    const countAtMost = createCountAtMost(Float64Array.from(values))
    const xs = [...values, ...values.map((v) => v - 1), ...Array.from({ length: 500 }, () => random() * 1.8e12)]
    expect(xs.map(countAtMost)).toEqual(xs.map((x) => naiveCount(values, x)))
  })
})
