import { describe, expect, it } from 'vitest'
import { decideGuestCancellation, refundAmount } from './cancellation-policy'

const start = Date.parse('2026-03-29T10:00:00Z')
const hoursBefore = (h: number) => start - h * 3_600_000
const ladder = { free_cancellation_hours: 48, partial_refund_hours: 24, partial_refund_percent: 50, no_refund_hours: 2 }

describe('decideGuestCancellation', () => {
  it.each([
    ['72 h before: free', ladder, 72, { allowed: true, refundPercent: 100 }],
    ['exactly 48 h before: still free', ladder, 48, { allowed: true, refundPercent: 100 }],
    ['30 h before: partial', ladder, 30, { allowed: true, refundPercent: 50 }],
    ['exactly 24 h before: partial', ladder, 24, { allowed: true, refundPercent: 50 }],
    ['5 h before: may cancel, no refund', ladder, 5, { allowed: true, refundPercent: 0 }],
    ['exactly 2 h before: may cancel, no refund', ladder, 2, { allowed: true, refundPercent: 0 }],
    ['1 h before: closed online', ladder, 1, { allowed: false, reason: 'too_late' }],
    ['after the start', ladder, -1, { allowed: false, reason: 'started' }],
    ['no policy, 10 minutes before: free', undefined, 1 / 6, { allowed: true, refundPercent: 100 }],
    ['no policy, at the start: closed', undefined, 0, { allowed: false, reason: 'started' }],
    ['only free hours, inside them: no refund', { free_cancellation_hours: 24 }, 3, { allowed: true, refundPercent: 0 }],
  ] as const)('%s', (_label, policy, hours, expected) => {
    expect(decideGuestCancellation(policy, start, hoursBefore(hours))).toEqual(expected)
  })
})

describe('refundAmount', () => {
  it.each([
    [9500, 100, 9500],
    [9500, 50, 4750],
    [999, 50, 499],
    [1, 33, 0],
    [0, 100, 0],
  ])('%i minor units at %i %% → %i', (captured, percent, expected) => {
    expect(refundAmount(captured, percent)).toBe(expected)
  })
})
