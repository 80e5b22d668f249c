import type { CancellationPolicy } from './schemas'

/** The sentences a cancellation ladder is told in; each language of the widget has its own. */
export interface PolicyWords {
  policyFree: (hours: number) => string
  policyPartial: (percent: number, hours: number) => string
  policyNone: string
  policyClosed: (hours: number) => string
  policyAlwaysFree: string
}

/** The English sentences, as the widget's English catalogue words them (a test keeps the two equal). */
export const ENGLISH_POLICY_WORDS: PolicyWords = {
  policyFree: (hours) => `Free cancellation until ${hours} h before the start.`,
  policyPartial: (percent, hours) => `${percent} % back if you cancel at least ${hours} h before.`,
  policyNone: 'No refund after that.',
  policyClosed: (hours) => `Online cancellation closes ${hours} h before the start.`,
  policyAlwaysFree: 'Free cancellation until the start.',
}

/** The cancellation ladder in plain sentences, top rung first, as the guest reads it before paying. */
export function describePolicyIn(words: PolicyWords, policy: CancellationPolicy | undefined): string[] {
  if (!policy) return [words.policyAlwaysFree]
  const lines: string[] = []
  const { free_cancellation_hours: free, partial_refund_hours: partial, partial_refund_percent: percent, no_refund_hours: closed } = policy
  if (free !== undefined) lines.push(words.policyFree(free))
  else lines.push(words.policyAlwaysFree)
  if (partial !== undefined && percent) lines.push(words.policyPartial(percent, partial))
  if (free !== undefined) lines.push(words.policyNone)
  if (closed !== undefined && closed > 0) lines.push(words.policyClosed(closed))
  return lines
}
