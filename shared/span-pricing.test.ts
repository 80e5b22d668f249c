import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { amountDue } from './booking-status'
import { nightsBetween, spanPrice, spanUnits } from './span-pricing'

const BERLIN = 'Europe/Berlin'
const HOUR = 3_600_000
const at = (iso: string) => Date.parse(iso)
const perDay = { pricing: 'per_day' } as const
const perNight = { pricing: 'per_night' } as const

describe('spanUnits per_day: started 24-hour periods of real elapsed time', () => {
  it.each([
    ['Fri 10:00 → Mon 09:00 is 71 hours: 3 days', '2026-12-04T09:00:00Z', '2026-12-07T08:00:00Z', 3],
    ['exactly 72 hours: 3 days', '2026-12-04T09:00:00Z', '2026-12-07T09:00:00Z', 3],
    ['72 hours and a minute: 4 days', '2026-12-04T09:00:00Z', '2026-12-07T09:01:00Z', 4],
    ['four hours: one day', '2026-12-04T09:00:00Z', '2026-12-04T13:00:00Z', 1],
    // Berlin springs forward on 29 March 2026: 10:00 Sat → 10:30 Sun is 23.5 real hours.
    ['across spring forward, 10:00 → 10:30 next day: 1 day', '2026-03-28T09:00:00Z', '2026-03-29T08:30:00Z', 1],
    ['the same wall times a week later: 2 days', '2026-04-04T08:00:00Z', '2026-04-05T08:30:00Z', 2],
    // Berlin falls back on 25 October 2026: 10:00 Sat → 09:30 Sun is 24.5 real hours.
    ['across fall back, 10:00 → 09:30 next day: 2 days', '2026-10-24T08:00:00Z', '2026-10-25T08:30:00Z', 2],
    ['the same wall times a week later: 1 day', '2026-10-31T09:00:00Z', '2026-11-01T08:30:00Z', 1],
  ])('%s', (_label, start, end, units) => {
    expect(spanUnits(perDay, at(start), at(end), BERLIN)).toBe(units)
  })

  it('never depends on the zone', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 24 }), fc.integer({ min: 1, max: 90 * 24 * 60 }), (h, minutes) => {
        const start = at('2026-01-01T00:00:00Z') + h * HOUR
        const end = start + minutes * 60_000
        const units = spanUnits(perDay, start, end, BERLIN)
        expect(units).toBe(spanUnits(perDay, start, end, 'America/New_York'))
        expect(units).toBe(Math.ceil(minutes / 1440))
      }),
    )
  })
})

describe('spanUnits per_night: dates crossed in the resource zone', () => {
  it.each([
    ['check-in Fri 15:00 → check-out Mon 11:00: 3 nights', '2026-12-04T14:00:00Z', '2026-12-07T10:00:00Z', 3],
    // 19 real hours across the spring-forward night, still one night.
    ['across spring forward, 15:00 → 11:00: 1 night', '2026-03-28T14:00:00Z', '2026-03-29T09:00:00Z', 1],
    // 21 real hours across the fall-back night, still one night.
    ['across fall back, 15:00 → 11:00: 1 night', '2026-10-24T13:00:00Z', '2026-10-25T10:00:00Z', 1],
    ['a week across spring forward: 7 nights', '2026-03-25T14:00:00Z', '2026-04-01T09:00:00Z', 7],
    ['within one date: charged one night', '2026-12-04T09:00:00Z', '2026-12-04T15:00:00Z', 1],
    // 22:30Z and 23:30Z are the same UTC date but 23:30 and 00:30 in Berlin.
    ['across local midnight only: 1 night', '2026-12-04T22:30:00Z', '2026-12-04T23:30:00Z', 1],
  ])('%s', (_label, start, end, units) => {
    expect(spanUnits(perNight, at(start), at(end), BERLIN)).toBe(units)
  })

  it('counts local dates, not 24-hour periods', () => {
    expect(nightsBetween(at('2026-12-04T22:30:00Z'), at('2026-12-04T23:30:00Z'), BERLIN)).toBe(1)
    expect(nightsBetween(at('2026-12-04T22:30:00Z'), at('2026-12-04T23:30:00Z'), 'UTC')).toBe(0)
    expect(nightsBetween(at('2026-03-28T14:00:00Z'), at('2026-03-31T09:00:00Z'), BERLIN)).toBe(3)
  })
})

describe('spanPrice and what is due', () => {
  const price = { amount: 4900, currency: 'EUR' }

  it('is the price once per unit', () => {
    expect(spanPrice(price, 3)).toEqual({ amount: 14_700, currency: 'EUR' })
    expect(spanPrice(price, 1)).toEqual(price)
  })

  it('owes the full price per unit, a fixed deposit once, and an unset deposit as the whole price', () => {
    expect(amountDue({ price, payment: 'full' }, 1, 3)).toEqual({ amount: 14_700, currency: 'EUR' })
    expect(amountDue({ price, payment: 'deposit', depositAmount: 2000 }, 1, 3)).toEqual({
      amount: 2000,
      currency: 'EUR',
    })
    expect(amountDue({ price, payment: 'deposit' }, 1, 3)).toEqual({ amount: 14_700, currency: 'EUR' })
    expect(amountDue({ price, payment: 'none' }, 1, 3)).toBeUndefined()
    expect(amountDue({ price, payment: 'full' })).toEqual(price)
  })
})
