import { describe, expect, it } from 'vitest'
import { capRefund, decideGuestCancellation, refundAmount, refundCeilingAfterMove, splitPayment } from './cancellation-policy'
import { cancellationPolicySchema } from './schemas'

const HOUR = 3_600_000
const SECOND = 1_000
const start = Date.parse('2026-06-10T10:00:00Z')
/** The ladder the issue names: free until 24 h, 50 % until 12 h, no refund until 2 h, then closed online. */
const ladder = { free_cancellation_hours: 24, partial_refund_hours: 12, partial_refund_percent: 50, no_refund_hours: 2 }

const full = { allowed: true, refundPercent: 100, tier: 'full_refund' } as const
const half = { allowed: true, refundPercent: 50, tier: 'partial_refund' } as const
const none = { allowed: true, refundPercent: 0, tier: 'no_refund' } as const

describe('decideGuestCancellation at every boundary, ±1 s', () => {
  it.each([
    ['72 h before', 72 * HOUR, full],
    ['24 h + 1 s before', 24 * HOUR + SECOND, full],
    ['exactly 24 h before', 24 * HOUR, full],
    ['24 h − 1 s before', 24 * HOUR - SECOND, half],
    ['13 h before', 13 * HOUR, half],
    ['12 h + 1 s before', 12 * HOUR + SECOND, half],
    ['exactly 12 h before', 12 * HOUR, half],
    ['12 h − 1 s before', 12 * HOUR - SECOND, none],
    ['2 h + 1 s before', 2 * HOUR + SECOND, none],
    ['exactly 2 h before', 2 * HOUR, none],
    ['2 h − 1 s before', 2 * HOUR - SECOND, { allowed: false, reason: 'too_late' }],
    ['1 s before the start', SECOND, { allowed: false, reason: 'too_late' }],
    ['exactly at the start', 0, { allowed: false, reason: 'started' }],
    ['1 s after the start', -SECOND, { allowed: false, reason: 'started' }],
  ] as const)('%s', (_label, before, expected) => {
    expect(decideGuestCancellation(ladder, start, start - before)).toEqual(expected)
  })

  it.each([
    ['no policy, 10 minutes before: free', undefined, HOUR / 6, full],
    ['no policy, at the start: closed', undefined, 0, { allowed: false, reason: 'started' }],
    ['only free hours, inside them: no refund', { free_cancellation_hours: 24 }, 3 * HOUR, none],
    ['0 % partial rung reads as no refund', { free_cancellation_hours: 24, partial_refund_hours: 2, partial_refund_percent: 0 }, 5 * HOUR, none],
  ] as const)('%s', (_label, policy, before, expected) => {
    expect(decideGuestCancellation(policy, start, start - before)).toEqual(expected)
  })
})

describe('decideGuestCancellation across DST changes (real elapsed hours, not wall clock)', () => {
  it('in Berlin, 10:00 the day before a spring-forward Sunday 10:00 is only 23 h before: partial', () => {
    const sunday = Date.parse('2026-03-29T08:00:00Z') // 10:00 CEST, after the 02:00→03:00 jump
    const saturday = Date.parse('2026-03-28T09:00:00Z') // 10:00 CET
    expect((sunday - saturday) / HOUR).toBe(23)
    expect(decideGuestCancellation(ladder, sunday, saturday)).toEqual(half)
  })

  it('in New York, 10:00 the day before a fall-back Sunday 10:00 is 25 h before: free', () => {
    const sunday = Date.parse('2026-11-01T15:00:00Z') // 10:00 EST, after 02:00→01:00
    const saturday = Date.parse('2026-10-31T14:00:00Z') // 10:00 EDT
    expect((sunday - saturday) / HOUR).toBe(25)
    expect(decideGuestCancellation(ladder, sunday, saturday)).toEqual(full)
  })
})

describe('refund amounts in minor units', () => {
  it.each([
    ['EUR 95.00, full', 9500, 100, 9500],
    ['EUR 95.00, half', 9500, 50, 4750],
    ['EUR 9.99, half: rounded down to the cent', 999, 50, 499],
    ['EUR 19.99 at 33 %: 6.5967 → 6.59', 1999, 33, 659],
    ['EUR 0.01 at 33 %', 1, 33, 0],
    ['JPY 1,001 (no decimals), half: rounded down to the yen', 1001, 50, 500],
    ['JPY 15,000 at 50 %', 15000, 50, 7500],
    ['JPY 999 at 33 %', 999, 33, 329],
    ['nothing paid', 0, 100, 0],
  ])('%s', (_label, paid, percent, expected) => {
    expect(refundAmount(paid, percent)).toBe(expected)
    expect(Number.isInteger(refundAmount(paid, percent))).toBe(true)
  })

  it('splits every payment into refund + kept that add up exactly, at every percent', () => {
    for (const paid of [0, 1, 99, 999, 1001, 4999, 123457]) {
      for (let percent = 0; percent <= 100; percent++) {
        const { refund, kept } = splitPayment(paid, percent)
        expect(refund + kept).toBe(paid)
        expect(Number.isInteger(refund) && Number.isInteger(kept) && refund >= 0 && kept >= 0).toBe(true)
      }
    }
  })
})

describe('cancellationPolicySchema', () => {
  it('accepts the seed’s snake_case JSON and the API’s camelCase, storing the seed form', () => {
    expect(cancellationPolicySchema.parse(ladder)).toEqual(ladder)
    expect(
      cancellationPolicySchema.parse({ freeCancellationHours: 24, partialRefundHours: 12, partialRefundPercent: 50, noRefundHours: 2 }),
    ).toEqual(ladder)
  })

  it.each([
    [{ free_cancellation_hours: 12, partial_refund_hours: 24, partial_refund_percent: 50 }, 'free_cancellation_hours'],
    [{ partial_refund_hours: 12, partial_refund_percent: 50, no_refund_hours: 24 }, 'partial_refund_hours'],
    [{ free_cancellation_hours: 24, partial_refund_hours: 12 }, 'partial_refund_percent'],
    [{ free_cancellation_hours: 24, partial_refund_percent: 150 }, 'partial_refund_percent'],
    [{ free_cancellation_hours: 24, refund_everything: true }, ''],
  ])('rejects a ladder whose rungs cross or are incomplete: %j', (policy, path) => {
    const result = cancellationPolicySchema.safeParse(policy)
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path)
  })
})

describe('refundCeilingAfterMove: a move never buys a better refund than cancelling instead', () => {
  it.each([
    ['in the free tier, with no earlier ceiling', 48 * HOUR, null, null],
    ['in the 50 % tier', 13 * HOUR, null, 50],
    ['in the 0 % tier', 3 * HOUR, null, 0],
    ['after online cancelling closed (an owner move)', HOUR, null, 0],
    ['in the free tier of a booking already capped at 50 %', 48 * HOUR, 50, 50],
    ['in the 0 % tier of a booking capped at 50 %', 3 * HOUR, 50, 0],
    ['in the 50 % tier of a booking capped at 0 %', 13 * HOUR, 0, 0],
  ])('moved %s', (_when, before, ceiling, expected) => {
    expect(refundCeilingAfterMove(ladder, start, start - before, ceiling)).toBe(expected)
  })

  it('leaves no ceiling for a booking without a policy (cancelling is always free)', () => {
    expect(refundCeilingAfterMove(undefined, start, start - HOUR, null)).toBeNull()
  })
})

describe('capRefund', () => {
  it.each([
    [100, 'full_refund', null, { refundPercent: 100, tier: 'full_refund' }],
    [100, 'full_refund', 50, { refundPercent: 50, tier: 'partial_refund' }],
    [50, 'partial_refund', 0, { refundPercent: 0, tier: 'no_refund' }],
    [0, 'no_refund', 50, { refundPercent: 0, tier: 'no_refund' }],
  ] as const)('holds %i %% (%s) to a ceiling of %s', (percent, tier, ceiling, expected) => {
    expect(capRefund(percent, tier, ceiling)).toEqual(expected)
  })
})
