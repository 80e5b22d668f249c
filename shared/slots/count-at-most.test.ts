import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createCountAtMost } from './count-at-most'

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

  it('matches a plain count on random clustered values, at, just below and between them', () => {
    // Half in the first 50 minutes after zero (many repeats), half in a million seconds from
    // 1.7e12: two far clusters, the shape that leaves most grid cells empty.
    const value = fc.oneof(
      fc.integer({ min: 0, max: 49 }).map((m) => m * 60_000),
      fc.integer({ min: 0, max: 999_999 }).map((s) => 1.7e12 + s * 1000),
    )
    // Lookups anywhere up to 1.8e12 and inside either cluster, whole or half milliseconds.
    const half = fc.constantFrom(0, 0.5)
    const lookup = fc.oneof(
      fc
        .tuple(fc.integer({ min: -1, max: 1_799_999 }), fc.integer({ min: 0, max: 999_999 }), half)
        .map(([millions, rest, h]) => millions * 1e6 + rest + h),
      fc.tuple(fc.integer({ min: 0, max: 3_000_000 }), half).map(([ms, h]) => ms + h),
      fc.tuple(fc.integer({ min: 0, max: 1_000_000_000 }), half).map(([ms, h]) => 1.7e12 + ms + h),
    )
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 500, size: 'max' }),
        fc.array(lookup, { maxLength: 500, size: 'max' }),
        (unsorted, between) => {
          const values = [...unsorted].sort((a, b) => a - b)
          const countAtMost = createCountAtMost(Float64Array.from(values))
          const xs = [...values, ...values.flatMap((v) => [v - 1, v - 0.5, v + 0.5]), ...between]
          expect(xs.map(countAtMost)).toEqual(xs.map((x) => naiveCount(values, x)))
        },
      ),
      { numRuns: 100 },
    )
  })
})
