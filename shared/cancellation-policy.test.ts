import { describe, expect, it } from 'vitest'
import {
  capRefund,
  decideGuestCancellation,
  decideGuestReschedule,
  guestChangeDeadlines,
  refundAmount,
  refundCeilingAfterMove,
  splitPayment,
} from './cancellation-policy'
import { cancellationPolicySchema, resourceConfigSchema } from './schemas'

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
    [
      '0 % partial rung reads as no refund',
      { free_cancellation_hours: 24, partial_refund_hours: 2, partial_refund_percent: 0 },
      5 * HOUR,
      none,
    ],
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
  it('accepts the stored snake_case JSON and the API’s camelCase, storing snake_case', () => {
    expect(cancellationPolicySchema.parse(ladder)).toEqual(ladder)
    expect(
      cancellationPolicySchema.parse({
        freeCancellationHours: 24,
        partialRefundHours: 12,
        partialRefundPercent: 50,
        noRefundHours: 2,
      }),
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

describe('decideGuestReschedule: the minimum notice for a guest’s move, at every boundary ±1 s', () => {
  const closed = { allowed: false, reason: 'too_late' } as const
  const started = { allowed: false, reason: 'started' } as const
  const open = { allowed: true } as const

  it.each([
    ['6 h + 1 s before', 6 * HOUR + SECOND, open],
    ['exactly 6 h before', 6 * HOUR, open],
    ['6 h − 1 s before', 6 * HOUR - SECOND, closed],
    ['1 s before the start', SECOND, closed],
    ['exactly at the start', 0, started],
    ['1 s after the start', -SECOND, started],
  ] as const)('a 6 h reschedule notice, %s', (_label, before, expected) => {
    expect(decideGuestReschedule(ladder, { minRescheduleNoticeHours: 6 }, start, start - before)).toEqual(expected)
  })

  it.each([
    [
      'no notice set: the ladder’s online cut-off (2 h) closes moves as it always did, 2 h + 1 s',
      ladder,
      {},
      2 * HOUR + SECOND,
      open,
    ],
    ['no notice set: exactly 2 h', ladder, {}, 2 * HOUR, open],
    ['no notice set: 2 h − 1 s', ladder, { minRescheduleNoticeHours: null }, 2 * HOUR - SECOND, closed],
    [
      'a notice shorter than the ladder’s cut-off wins for moves: 1 h + 1 s',
      ladder,
      { minRescheduleNoticeHours: 1 },
      HOUR + SECOND,
      open,
    ],
    ['a notice of 0 opens moves until the start', ladder, { minRescheduleNoticeHours: 0 }, SECOND, open],
    ['a notice of 0 still closes at the start', ladder, { minRescheduleNoticeHours: 0 }, 0, started],
    ['no policy and no notice: until the start', undefined, undefined, SECOND, open],
    [
      'fractional hours: 1.5 h notice, 1.5 h − 1 s before',
      undefined,
      { minRescheduleNoticeHours: 1.5 },
      1.5 * HOUR - SECOND,
      closed,
    ],
    ['the cancel notice does not close moves', undefined, { minCancelNoticeHours: 48 }, 24 * HOUR, open],
  ] as const)('%s', (_label, policy, notice, before, expected) => {
    expect(decideGuestReschedule(policy, notice, start, start - before)).toEqual(expected)
  })
})

describe('decideGuestCancellation with a minimum cancel notice', () => {
  const closed = { allowed: false, reason: 'too_late' } as const
  it.each([
    ['6 h notice on the ladder, 6 h + 1 s before: the ladder’s 0 % rung', ladder, 6, 6 * HOUR + SECOND, none],
    ['6 h notice on the ladder, exactly 6 h before', ladder, 6, 6 * HOUR, none],
    ['6 h notice on the ladder, 6 h − 1 s before: closed', ladder, 6, 6 * HOUR - SECOND, closed],
    ['a notice shorter than no_refund_hours: the ladder still closes, 2 h − 1 s', ladder, 1, 2 * HOUR - SECOND, closed],
    ['a notice inside the 50 % tier closes it early: 13 h notice, 13 h − 1 s', ladder, 13, 13 * HOUR - SECOND, closed],
    ['no policy, 24 h notice, 24 h + 1 s: free', undefined, 24, 24 * HOUR + SECOND, full],
    ['no policy, 24 h notice, exactly 24 h: free', undefined, 24, 24 * HOUR, full],
    ['no policy, 24 h notice, 24 h − 1 s: closed', undefined, 24, 24 * HOUR - SECOND, closed],
    ['a notice of 0 changes nothing', undefined, 0, SECOND, full],
  ] as const)('%s', (_label, policy, hours, before, expected) => {
    expect(decideGuestCancellation(policy, start, start - before, { minCancelNoticeHours: hours })).toEqual(expected)
  })

  it('the reschedule notice does not close cancels', () => {
    expect(decideGuestCancellation(undefined, start, start - HOUR, { minRescheduleNoticeHours: 48 })).toEqual(full)
  })
})

describe('notice hours are real elapsed hours across a DST change in Europe/Berlin', () => {
  const notice = { minRescheduleNoticeHours: 24, minCancelNoticeHours: 24 }

  it('spring forward: 10:00 the day before Sunday 29 March 10:00 is 23 h before, closed; 09:00 is 24 h before, open', () => {
    const sunday = Date.parse('2026-03-29T08:00:00Z') // 10:00 CEST, after 02:00 → 03:00
    const saturday10 = Date.parse('2026-03-28T09:00:00Z') // 10:00 CET
    const saturday09 = Date.parse('2026-03-28T08:00:00Z') // 09:00 CET
    expect((sunday - saturday10) / HOUR).toBe(23)
    expect(decideGuestReschedule(undefined, notice, sunday, saturday10)).toEqual({ allowed: false, reason: 'too_late' })
    expect(decideGuestReschedule(undefined, notice, sunday, saturday09)).toEqual({ allowed: true })
    expect(decideGuestReschedule(undefined, notice, sunday, saturday09 + SECOND)).toEqual({
      allowed: false,
      reason: 'too_late',
    })
    expect(decideGuestCancellation(undefined, sunday, saturday09, notice)).toEqual(full)
    expect(decideGuestCancellation(undefined, sunday, saturday09 + SECOND, notice)).toEqual({
      allowed: false,
      reason: 'too_late',
    })
    // The deadline the manage view states is that instant: 09:00 CET, not the wall-clock 10:00.
    expect(guestChangeDeadlines(undefined, notice, sunday, saturday09 - HOUR)).toEqual({
      reschedule: saturday09,
      cancel: saturday09,
    })
  })

  it('fall back: 10:00 the day before Sunday 25 October 10:00 is 25 h before, open until 11:00 CEST', () => {
    const sunday = Date.parse('2026-10-25T09:00:00Z') // 10:00 CET, after 03:00 → 02:00
    const saturday10 = Date.parse('2026-10-24T08:00:00Z') // 10:00 CEST
    const saturday11 = Date.parse('2026-10-24T09:00:00Z') // 11:00 CEST: exactly 24 h before
    expect((sunday - saturday10) / HOUR).toBe(25)
    expect(decideGuestReschedule(undefined, notice, sunday, saturday10)).toEqual({ allowed: true })
    expect(decideGuestReschedule(undefined, notice, sunday, saturday11 - SECOND)).toEqual({ allowed: true })
    expect(decideGuestReschedule(undefined, notice, sunday, saturday11)).toEqual({ allowed: true })
    expect(decideGuestReschedule(undefined, notice, sunday, saturday11 + SECOND)).toEqual({
      allowed: false,
      reason: 'too_late',
    })
    expect(decideGuestCancellation(undefined, sunday, saturday11 + SECOND, notice)).toEqual({
      allowed: false,
      reason: 'too_late',
    })
    expect(guestChangeDeadlines(undefined, notice, sunday, saturday10)).toEqual({
      reschedule: saturday11,
      cancel: saturday11,
    })
  })
})

describe('guestChangeDeadlines: until when the guest may still move and cancel online', () => {
  it('states each closing instant while it is open, and null once it has closed', () => {
    const notice = { minRescheduleNoticeHours: 6, minCancelNoticeHours: 24 }
    expect(guestChangeDeadlines(ladder, notice, start, start - 48 * HOUR)).toEqual({
      reschedule: start - 6 * HOUR,
      cancel: start - 24 * HOUR,
    })
    expect(guestChangeDeadlines(ladder, notice, start, start - 24 * HOUR + SECOND)).toEqual({
      reschedule: start - 6 * HOUR,
      cancel: null,
    })
    expect(guestChangeDeadlines(ladder, notice, start, start - 6 * HOUR + SECOND)).toEqual({
      reschedule: null,
      cancel: null,
    })
  })

  it('with no notice set: both close at the ladder’s cut-off, as before; with nothing at all, at the start', () => {
    expect(guestChangeDeadlines(ladder, undefined, start, start - 48 * HOUR)).toEqual({
      reschedule: start - 2 * HOUR,
      cancel: start - 2 * HOUR,
    })
    expect(guestChangeDeadlines(undefined, undefined, start, start - HOUR)).toEqual({
      reschedule: start,
      cancel: start,
    })
    expect(guestChangeDeadlines(undefined, undefined, start, start)).toEqual({ reschedule: null, cancel: null })
  })

  it('the cancel deadline is the later of the ladder’s cut-off and the cancel notice', () => {
    expect(guestChangeDeadlines(ladder, { minCancelNoticeHours: 1 }, start, start - 48 * HOUR).cancel).toBe(
      start - 2 * HOUR,
    )
  })

  it('never states an instant a fractional notice would refuse', () => {
    const deadline = guestChangeDeadlines(
      undefined,
      { minRescheduleNoticeHours: 1 / 3 },
      start,
      start - HOUR,
    ).reschedule!
    expect(Number.isInteger(deadline)).toBe(true)
    expect(decideGuestReschedule(undefined, { minRescheduleNoticeHours: 1 / 3 }, start, deadline)).toEqual({
      allowed: true,
    })
  })
})

describe('refundCeilingAfterMove and the cancel notice', () => {
  it('a move made while the cancel notice had closed cancelling keeps nothing back (0 %); one made before it, no ceiling', () => {
    const notice = { minCancelNoticeHours: 48 }
    expect(refundCeilingAfterMove(undefined, start, start - 30 * HOUR, null, notice)).toBe(0)
    expect(refundCeilingAfterMove(undefined, start, start - 72 * HOUR, null, notice)).toBeNull()
  })
})

describe('resourceConfigSchema: the notice keys', () => {
  it.each([0, 1.5, 24, 8760])('accepts %s hours', (hours) => {
    const parsed = resourceConfigSchema.parse({ minRescheduleNoticeHours: hours, minCancelNoticeHours: hours })
    expect(parsed).toMatchObject({ minRescheduleNoticeHours: hours, minCancelNoticeHours: hours })
  })

  it.each([-1, 8761, '24', Number.NaN])('refuses %s, naming the key', (hours) => {
    for (const key of ['minRescheduleNoticeHours', 'minCancelNoticeHours']) {
      const result = resourceConfigSchema.safeParse({ [key]: hours })
      expect(result.success).toBe(false)
      expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(key)
    }
  })
})
