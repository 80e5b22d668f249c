import type { CancellationPolicy } from './schemas'

const HOUR_MS = 3_600_000

/** The rung of the ladder a cancellation falls on. */
export type RefundTier = 'full_refund' | 'partial_refund' | 'no_refund'

export type CancellationDecision =
  | { allowed: true; refundPercent: number; tier: RefundTier }
  | { allowed: false; reason: 'started' | 'too_late' }

/**
 * Reads the seed's policy as a ladder by hours before start h, in real elapsed hours (a
 * DST change in between makes "the same time yesterday" 23 or 25 hours earlier):
 * h ≥ free → 100 %; partial ≤ h < free → partial_refund_percent; no_refund ≤ h < partial → 0 %
 * (the guest may still cancel); h < no_refund → the guest can no longer cancel online.
 * Missing rungs fall away: with no policy a guest cancels free of charge until the start.
 */
export function decideGuestCancellation(
  policy: CancellationPolicy | null | undefined,
  startsAt: number,
  now: number,
): CancellationDecision {
  const hoursBefore = (startsAt - now) / HOUR_MS
  if (hoursBefore <= 0) return { allowed: false, reason: 'started' }
  if (!policy) return { allowed: true, refundPercent: 100, tier: 'full_refund' }
  if (policy.no_refund_hours !== undefined && hoursBefore < policy.no_refund_hours) {
    return { allowed: false, reason: 'too_late' }
  }
  if (policy.free_cancellation_hours === undefined || hoursBefore >= policy.free_cancellation_hours) {
    return { allowed: true, refundPercent: 100, tier: 'full_refund' }
  }
  if (policy.partial_refund_hours !== undefined && hoursBefore >= policy.partial_refund_hours) {
    const percent = policy.partial_refund_percent ?? 0
    return { allowed: true, refundPercent: percent, tier: percent > 0 ? 'partial_refund' : 'no_refund' }
  }
  return { allowed: true, refundPercent: 0, tier: 'no_refund' }
}

/** Refund in minor units: a percentage of what was paid, rounded down. Integers only. */
export function refundAmount(paidMinor: number, refundPercent: number): number {
  return Math.floor((paidMinor * refundPercent) / 100)
}

/**
 * Splits a payment into the refunded and the kept part. Both are whole minor units and
 * they add up to the payment exactly: the rounding remainder stays with the provider.
 */
export function splitPayment(paidMinor: number, refundPercent: number): { refund: number; kept: number } {
  const refund = refundAmount(paidMinor, refundPercent)
  return { refund, kept: paidMinor - refund }
}

/**
 * The refund ceiling a booking carries after a move made at `now` from `startsAt`: what a
 * cancel at the moment of the move would have refunded (the ladder's bottom rung, 0 %, once
 * online cancellation has closed — only the owner moves then), never above an earlier
 * ceiling. Moving must not buy a better refund than cancelling instead would have given,
 * and a later move into a free tier must not wash out what an earlier one kept.
 * `null` = no ceiling (every move so far was made in the free tier).
 */
export function refundCeilingAfterMove(
  policy: CancellationPolicy | null | undefined,
  startsAt: number,
  now: number,
  ceiling: number | null,
): number | null {
  const decision = decideGuestCancellation(policy, startsAt, now)
  const atMove = decision.allowed ? decision.refundPercent : 0
  const next = ceiling === null ? atMove : Math.min(ceiling, atMove)
  return next >= 100 ? null : next
}

/** A policy refund held to the booking's ceiling (see `refundCeilingAfterMove`); the tier follows the capped percentage. */
export function capRefund(refundPercent: number, tier: RefundTier, ceiling: number | null): { refundPercent: number; tier: RefundTier } {
  if (ceiling === null || refundPercent <= ceiling) return { refundPercent, tier }
  return { refundPercent: ceiling, tier: ceiling > 0 ? 'partial_refund' : 'no_refund' }
}
