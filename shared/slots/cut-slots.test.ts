import { describe, expect, it } from 'vitest'
import type { Window } from './expand-windows'
import { cutSlots, type CutSlotsOptions } from './cut-slots'

const H = 3_600_000
const BASE = Date.parse('2026-06-08T00:00:00Z')
const OPEN = { earliestStart: -Infinity, latestStart: Infinity }

function window(fromHour: number, toHour: number, slotDuration: number | null): Window {
  return { start: BASE + fromHour * H, end: BASE + toHour * H, slotDuration }
}

/** Slots as [start hour, end hour] after BASE. */
function cut(windows: Window[], options: Partial<CutSlotsOptions> = {}): number[][] {
  return cutSlots(windows, { ...OPEN, ...options }).map((s) => [(s.start - BASE) / H, (s.end - BASE) / H])
}

describe('cutSlots', () => {
  it.each<[string, Window[], Partial<CutSlotsOptions>, number[][]]>([
    [
      'steps a divided window by its slot duration and drops a short tail',
      [window(8, 10.5, 60)],
      {},
      [
        [8, 9],
        [9, 10],
      ],
    ],
    [
      'steps an undivided window by the smallest duration',
      [window(8, 16, null)],
      { durations: [240, 120] },
      [
        [8, 10],
        [10, 12],
        [12, 14],
        [14, 16],
      ],
    ],
    [
      'keeps the smallest-duration step for a longer requested duration',
      [window(8, 16, null)],
      { durations: [120, 240], duration: 240 },
      [
        [8, 12],
        [10, 14],
        [12, 16],
      ],
    ],
    ['makes the whole undivided window one slot without durations', [window(8, 16, null)], { duration: 60 }, [[8, 16]]],
    [
      'ignores the requested duration in divided windows',
      [window(8, 10, 60)],
      { durations: [30], duration: 120 },
      [
        [8, 9],
        [9, 10],
      ],
    ],
    [
      'keeps only starts within the bounds, both inclusive',
      [window(8, 14, 60)],
      { earliestStart: BASE + 9.5 * H, latestStart: BASE + 12 * H },
      [
        [10, 11],
        [11, 12],
        [12, 13],
      ],
    ],
    [
      'lists identical slots of overlapping windows once',
      [window(9, 12, 60), window(10, 13, 60)],
      {},
      [
        [9, 10],
        [10, 11],
        [11, 12],
        [12, 13],
      ],
    ],
    [
      'sorts by start then end across windows',
      [window(9, 11, 120), window(9, 11, 60)],
      {},
      [
        [9, 10],
        [9, 11],
        [10, 11],
      ],
    ],
  ])('%s', (_, windows, options, expected) => {
    expect(cut(windows, options)).toEqual(expected)
  })
})
