import type { ChangeNotice } from './cancellation-policy'
import type { CancellationPolicy } from './resource-config'

/** The sentences a cancellation ladder is told in; each language of the widget has its own. */
export interface PolicyWords {
  policyFree: (hours: number) => string
  policyPartial: (percent: number, hours: number) => string
  policyNone: string
  policyClosed: (hours: number) => string
  policyAlwaysFree: string
  policyMoveClosed: (hours: number) => string
}

/** The English sentences, as the widget's English catalogue words them (a test keeps the two equal). */
export const ENGLISH_POLICY_WORDS: PolicyWords = {
  policyFree: (hours) => `Free cancellation until ${hours} h before the start.`,
  policyPartial: (percent, hours) => `${percent} % back if you cancel at least ${hours} h before.`,
  policyNone: 'No refund after that.',
  policyClosed: (hours) => `Online cancellation closes ${hours} h before the start.`,
  policyAlwaysFree: 'Free cancellation until the start.',
  policyMoveClosed: (hours) => `Changing the time online closes ${hours} h before the start.`,
}

/**
 * The cancellation ladder in plain sentences, top rung first, as the guest reads it before
 * paying; then when online cancelling closes (the ladder's cut-off or the cancel notice,
 * whichever is earlier before the start) and, when the resource sets its own reschedule
 * notice, when online moves close.
 */
export function describePolicyIn(
  words: PolicyWords,
  policy: CancellationPolicy | undefined,
  notice: ChangeNotice = {},
): string[] {
  const lines: string[] = []
  const {
    free_cancellation_hours: free,
    partial_refund_hours: partial,
    partial_refund_percent: percent,
    no_refund_hours: cutOff,
  } = policy ?? {}
  if (free !== undefined) lines.push(words.policyFree(free))
  else lines.push(words.policyAlwaysFree)
  if (partial !== undefined && percent) lines.push(words.policyPartial(percent, partial))
  if (free !== undefined) lines.push(words.policyNone)
  const closed = Math.max(cutOff ?? 0, notice.minCancelNoticeHours ?? 0)
  if (closed > 0) lines.push(words.policyClosed(closed))
  const moveClosed = notice.minRescheduleNoticeHours
  if (moveClosed !== undefined && moveClosed !== null && moveClosed > 0) lines.push(words.policyMoveClosed(moveClosed))
  return lines
}
