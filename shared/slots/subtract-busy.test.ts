import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { freeSlotsByOracle } from '../../test/slot-oracle'
import type { Interval } from './types'
import { subtractBusy } from './subtract-busy'

const M = 60_000

/** Minute-based intervals keep the table readable. */
function minutes(pairs: number[][]): Interval[] {
  return pairs.map(([start, end]) => ({ start: (start as number) * M, end: (end as number) * M }))
}

function slotsEvery(step: number, length: number, from: number, to: number): Interval[] {
  const slots: Interval[] = []
  for (let start = from; start + length <= to; start += step)
    slots.push({ start: start * M, end: (start + length) * M })
  return slots
}

describe('subtractBusy', () => {
  it.each<[string, number[][], number[][], number, number, number[][]]>([
    [
      'keeps slots that only touch a booking',
      [
        [0, 60],
        [60, 120],
        [120, 180],
      ],
      [[60, 120]],
      0,
      0,
      [
        [0, 60],
        [120, 180],
      ],
    ],
    [
      'blocks slots that a buffer pushes into a booking, on both sides',
      slotsEvery(20, 20, 540, 720).map((s) => [s.start / M, s.end / M]),
      [[600, 660]],
      10,
      10,
      [
        [540, 560],
        [560, 580],
        [680, 700],
        [700, 720],
      ],
    ],
    [
      'accepts busy intervals unsorted and overlapping',
      [
        [0, 60],
        [60, 120],
        [120, 180],
        [180, 240],
        [240, 300],
      ],
      [
        [200, 230],
        [70, 100],
        [90, 130],
      ],
      0,
      0,
      [
        [0, 60],
        [240, 300],
      ],
    ],
    [
      'ignores empty busy intervals',
      [[0, 60]],
      [
        [30, 30],
        [50, 40],
      ],
      15,
      15,
      [[0, 60]],
    ],
    [
      'checks slots of different lengths that share a start',
      [
        [0, 30],
        [0, 90],
        [30, 60],
      ],
      [[80, 100]],
      0,
      0,
      [
        [0, 30],
        [30, 60],
      ],
    ],
  ])('%s', (_, slots, busy, before, after, expected) => {
    const free = subtractBusy(minutes(slots), minutes(busy), { beforeMs: before * M, afterMs: after * M })
    expect(free.map((s) => [s.start / M, s.end / M])).toEqual(expected)
  })

  it('matches the slots × busy reference on random grids, bookings and buffers', () => {
    let mixedRuns = 0
    fc.assert(
      fc.property(
        fc.constantFrom(5, 15, 20, 30),
        fc.constantFrom(15, 30, 45, 60),
        fc.array(
          // Starts and lengths in whole minutes, so slots and bookings often touch exactly;
          // a negative length gives a reversed interval, which must block nothing.
          fc.record({ start: fc.integer({ min: -500, max: 20_500 }), length: fc.integer({ min: -20, max: 200 }) }),
          { minLength: 0, maxLength: 300, size: 'max' },
        ),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        (step, length, raw, before, after) => {
          const slots = [...slotsEvery(step, length, 0, 20_000), ...slotsEvery(30, 30, 0, 20_000)].sort(
            (a, b) => a.start - b.start || a.end - b.end,
          )
          const busy = raw.map((b) => ({ start: b.start * M, end: (b.start + b.length) * M }))
          const buffers = { beforeMs: before * M, afterMs: after * M }
          const free = subtractBusy(slots, busy, buffers)
          expect(free).toEqual(freeSlotsByOracle(slots, busy, buffers))
          if (free.length > 0 && free.length < slots.length) mixedRuns++
        },
      ),
      { numRuns: 100 },
    )
    // Most runs both keep and drop slots, so the comparison is not between two trivial answers.
    expect(mixedRuns).toBeGreaterThan(80)
  })
})
