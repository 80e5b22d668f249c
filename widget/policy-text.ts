import type { CancellationPolicy } from '../shared/types'
import type { Messages } from './i18n'

/** The cancellation ladder in plain sentences, top rung first, as the guest sees it before paying. */
export function describePolicy(policy: CancellationPolicy | undefined, t: Messages): string[] {
  if (!policy) return [t.policyAlwaysFree]
  const lines: string[] = []
  const { free_cancellation_hours: free, partial_refund_hours: partial, partial_refund_percent: percent, no_refund_hours: closed } = policy
  if (free !== undefined) lines.push(t.policyFree(free))
  else lines.push(t.policyAlwaysFree)
  if (partial !== undefined && percent) lines.push(t.policyPartial(percent, partial))
  if (free !== undefined) lines.push(t.policyNone)
  if (closed !== undefined && closed > 0) lines.push(t.policyClosed(closed))
  return lines
}
