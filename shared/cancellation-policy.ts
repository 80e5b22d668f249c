import type { CancellationPolicy } from './resource-config'

const HOUR_MS = 3_600_000

/** The rung of the ladder a cancellation falls on. */
export type RefundTier = 'full_refund' | 'partial_refund' | 'no_refund'

export type CancellationDecision =
  { allowed: true; refundPercent: number; tier: RefundTier } | { allowed: false; reason: 'started' | 'too_late' }

/**
 * A booking's minimum notice for the guest's own changes, in hours before the start, as
 * the resource set it when the booking was made. Distinct from the ladder: it only closes
 * moves or cancels online and says nothing about the refund. null/undefined = not set.
 */
export interface ChangeNotice {
  minRescheduleNoticeHours?: number | null | undefined
  minCancelNoticeHours?: number | null | undefined
}

export type ChangeDecision = { allowed: true } | { allowed: false; reason: 'started' | 'too_late' }

/**
 * Reads the stored policy as a ladder by hours before start h, in real elapsed hours (a
 * DST change in between makes "the same time yesterday" 23 or 25 hours earlier):
 * h ≥ free → 100 %; partial ≤ h < free → partial_refund_percent; no_refund ≤ h < partial → 0 %
 * (the guest may still cancel); h < no_refund → the guest can no longer cancel online.
 * Missing rungs fall away: with no policy a guest cancels free of charge until the start.
 * A booking's `minCancelNoticeHours` closes online cancelling earlier still, without
 * changing what the ladder refunds before that.
 */
export function decideGuestCancellation(
  policy: CancellationPolicy | null | undefined,
  startsAt: number,
  now: number,
  notice?: ChangeNotice | null,
): CancellationDecision {
  const open = openUntilNotice(cancelNoticeHours(policy, notice), startsAt, now)
  if (!open.allowed) return open
  const hoursBefore = (startsAt - now) / HOUR_MS
  if (!policy) return { allowed: true, refundPercent: 100, tier: 'full_refund' }
  if (policy.free_cancellation_hours === undefined || hoursBefore >= policy.free_cancellation_hours) {
    return { allowed: true, refundPercent: 100, tier: 'full_refund' }
  }
  if (policy.partial_refund_hours !== undefined && hoursBefore >= policy.partial_refund_hours) {
    const percent = policy.partial_refund_percent ?? 0
    return { allowed: true, refundPercent: percent, tier: percent > 0 ? 'partial_refund' : 'no_refund' }
  }
  return { allowed: true, refundPercent: 0, tier: 'no_refund' }
}

/**
 * Hours before the start at which the guest's online move closes: the booking's own
 * reschedule notice, else the ladder's online cut-off (`no_refund_hours`, which closed
 * moves before the notice existed), else none (until the start).
 */
export function rescheduleNoticeHours(
  policy: CancellationPolicy | null | undefined,
  notice: ChangeNotice | null | undefined,
): number {
  return notice?.minRescheduleNoticeHours ?? policy?.no_refund_hours ?? 0
}

/** Hours before the start at which the guest's online cancel closes: the later of the ladder's cut-off and the cancel notice. */
export function cancelNoticeHours(
  policy: CancellationPolicy | null | undefined,
  notice: ChangeNotice | null | undefined,
): number {
  return Math.max(policy?.no_refund_hours ?? 0, notice?.minCancelNoticeHours ?? 0)
}

/**
 * Whether the guest may still move the booking online at `now`, in real elapsed hours like
 * the ladder: open while at least the reschedule notice remains (exactly the notice is
 * still open), closed once the booking has started. The owner is not bound by it.
 */
export function decideGuestReschedule(
  policy: CancellationPolicy | null | undefined,
  notice: ChangeNotice | null | undefined,
  startsAt: number,
  now: number,
): ChangeDecision {
  return openUntilNotice(rescheduleNoticeHours(policy, notice), startsAt, now)
}

/**
 * Until when the guest may still move and cancel online: the closing instant of each
 * (epoch ms, the last millisecond still open, or the start itself when no notice applies),
 * or null once it has closed. Read off the same decisions the routes enforce.
 */
export function guestChangeDeadlines(
  policy: CancellationPolicy | null | undefined,
  notice: ChangeNotice | null | undefined,
  startsAt: number,
  now: number,
): { reschedule: number | null; cancel: number | null } {
  // Rounded down, so a fractional notice never states an instant that is already refused.
  const closesAt = (hours: number) => Math.floor(startsAt - hours * HOUR_MS)
  return {
    reschedule: decideGuestReschedule(policy, notice, startsAt, now).allowed
      ? closesAt(rescheduleNoticeHours(policy, notice))
      : null,
    cancel: decideGuestCancellation(policy, startsAt, now, notice).allowed
      ? closesAt(cancelNoticeHours(policy, notice))
      : null,
  }
}

function openUntilNotice(noticeHours: number, startsAt: number, now: number): ChangeDecision {
  const hoursBefore = (startsAt - now) / HOUR_MS
  if (hoursBefore <= 0) return { allowed: false, reason: 'started' }
  if (hoursBefore < noticeHours) return { allowed: false, reason: 'too_late' }
  return { allowed: true }
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
 * guest's cancel at the moment of the move would have refunded (0 % once online cancelling
 * had closed, by the ladder's cut-off or the booking's cancel notice), never above an
 * earlier ceiling. Moving must not buy a better refund than cancelling instead would have given,
 * and a later move into a free tier must not wash out what an earlier one kept.
 * `null` = no ceiling (every move so far was made in the free tier).
 */
export function refundCeilingAfterMove(
  policy: CancellationPolicy | null | undefined,
  startsAt: number,
  now: number,
  ceiling: number | null,
  notice?: ChangeNotice | null,
): number | null {
  const decision = decideGuestCancellation(policy, startsAt, now, notice)
  const atMove = decision.allowed ? decision.refundPercent : 0
  const next = ceiling === null ? atMove : Math.min(ceiling, atMove)
  return next >= 100 ? null : next
}

/** A policy refund held to the booking's ceiling (see `refundCeilingAfterMove`); the tier follows the capped percentage. */
export function capRefund(
  refundPercent: number,
  tier: RefundTier,
  ceiling: number | null,
): { refundPercent: number; tier: RefundTier } {
  if (ceiling === null || refundPercent <= ceiling) return { refundPercent, tier }
  return { refundPercent: ceiling, tier: ceiling > 0 ? 'partial_refund' : 'no_refund' }
}
