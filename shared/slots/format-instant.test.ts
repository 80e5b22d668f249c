import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createInstantFormatter } from './format-instant'

describe('createInstantFormatter', () => {
  it.each([
    ['a midnight', '2026-03-29T00:00:00.000Z'],
    ['the last millisecond of a day', '2026-03-28T23:59:59.999Z'],
    ['a leap day', '2028-02-29T12:34:56.789Z'],
    ['an instant before 1970', '1969-12-31T23:00:00.001Z'],
  ])('formats %s exactly as toISOString', (_, iso) => {
    expect(createInstantFormatter()(Date.parse(iso))).toBe(iso)
  })

  it('matches toISOString on random instants in and out of order', () => {
    // One formatter for every run, so what it remembers between calls is tested too.
    const format = createInstantFormatter()
    const anyInstant = fc
      .tuple(fc.integer({ min: -1_000_000, max: 6_999_999 }), fc.integer({ min: 0, max: 999_999 }))
      .map(([millions, rest]) => millions * 1_000_000 + rest)
    // Within a millisecond of a UTC midnight, where the date part changes.
    const nearMidnight = fc
      .tuple(fc.integer({ min: -11_574, max: 81_018 }), fc.integer({ min: -1, max: 1 }))
      .map(([day, offset]) => day * 86_400_000 + offset)
    const instantLists = fc
      .tuple(fc.array(fc.oneof(anyInstant, nearMidnight), { minLength: 1, maxLength: 200, size: 'max' }), fc.boolean())
      .map(([instants, inOrder]) => (inOrder ? [...instants].sort((a, b) => a - b) : instants))
    fc.assert(
      fc.property(instantLists, (instants) => {
        expect(instants.map(format)).toEqual(instants.map((ms) => new Date(ms).toISOString()))
      }),
      { numRuns: 100 },
    )
  })
})
