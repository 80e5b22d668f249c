import type { ChangeNotice } from '../shared/cancellation-policy'
import { describePolicyIn } from '../shared/policy-words'
import type { CancellationPolicy } from '../shared/types'
import type { Messages } from './i18n'

/** The cancellation ladder in plain sentences, top rung first, then the notices for moving and cancelling online, as the guest sees them before paying. */
export function describePolicy(policy: CancellationPolicy | undefined, t: Messages, notice?: ChangeNotice): string[] {
  return describePolicyIn(t, policy, notice)
}
