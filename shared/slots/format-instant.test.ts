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
    const format = createInstantFormatter()
    let seed = 7
    const instants = Array.from({ length: 5000 }, () => {
      seed = (seed * 16807) % 2147483647
      return Math.floor((seed / 2147483647) * 8e12) - 1e12
    })
    expect(instants.map(format)).toEqual(instants.map((ms) => new Date(ms).toISOString()))
  })
})
