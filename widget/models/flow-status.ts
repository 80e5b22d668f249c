import type { Signal } from '@preact/signals'

/** Where the guest is: picking a time, entering details under a hold, paying, or done. */
export type Step = 'pick' | 'details' | 'pay' | 'done'

/** The signals every step of the flow reads and writes; the flow owns them and hands them to its models. */
export interface FlowStatus {
  step: Signal<Step>
  /** A plain-language note shown above the slots or the form (a lost race, an expired hold). */
  notice: Signal<string | undefined>
  /** A request the guest started is out: the buttons wait for it. */
  busy: Signal<boolean>
}
