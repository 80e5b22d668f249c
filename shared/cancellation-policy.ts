import type { CancellationPolicy } from './schemas'

const HOUR_MS = 3_600_000

export type CancellationDecision =
  | { allowed: true; refundPercent: number }
  | { allowed: false; reason: 'started' | 'too_late' }

/**
 * Reads the seed's policy as a ladder by hours before start h:
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
  if (!policy) return { allowed: true, refundPercent: 100 }
  if (policy.no_refund_hours !== undefined && hoursBefore < policy.no_refund_hours) {
    return { allowed: false, reason: 'too_late' }
  }
  if (policy.free_cancellation_hours === undefined || hoursBefore >= policy.free_cancellation_hours) {
    return { allowed: true, refundPercent: 100 }
  }
  if (policy.partial_refund_hours !== undefined && hoursBefore >= policy.partial_refund_hours) {
    return { allowed: true, refundPercent: policy.partial_refund_percent ?? 0 }
  }
  return { allowed: true, refundPercent: 0 }
}

/** Refund in minor units: a percentage of what was captured, rounded down. Integers only. */
export function refundAmount(capturedMinor: number, refundPercent: number): number {
  return Math.floor((capturedMinor * refundPercent) / 100)
}
