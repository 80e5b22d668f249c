import { describePolicyIn } from '../shared/policy-words'
import type { CancellationPolicy } from '../shared/types'
import type { Messages } from './i18n'

/** The cancellation ladder in plain sentences, top rung first, as the guest sees it before paying. */
export function describePolicy(policy: CancellationPolicy | undefined, t: Messages): string[] {
  return describePolicyIn(t, policy)
}
