import type { Signal } from '@preact/signals'
import type { ComponentChildren, RefObject } from 'preact'
import type { Messages } from '../i18n'

/** The longest reason the API takes. */
const REASON_MAX = 500

export interface CancelQuestionProps {
  /** The question's element id, which names the group for screen readers. */
  id: string
  question: string
  /** Takes the focus when the question opens, so it is read first. */
  questionRef: RefObject<HTMLParagraphElement | null>
  /** What cancelling gives back, between the question and the reason. */
  children: ComponentChildren
  /** The guest's reason; kept outside, so a re-render or "Keep it" never loses what was typed. */
  reason: Signal<string>
  busy: boolean
  confirmLabel: string
  onKeep: () => void
  onConfirm: () => void
  t: Messages
}

/** "Cancel …?" asked in place: the terms, an optional reason, keep it or cancel. */
export function CancelQuestion(props: CancelQuestionProps) {
  const { t, busy } = props
  return (
    <div class="confirm" role="group" aria-labelledby={props.id}>
      <p id={props.id} ref={props.questionRef} tabIndex={-1}>
        {props.question}
      </p>
      {props.children}
      <label>
        {t.cancelReason}
        <textarea
          rows={2}
          maxLength={REASON_MAX}
          value={props.reason.value}
          onInput={(event) => (props.reason.value = event.currentTarget.value)}
        />
      </label>
      <div class="actions">
        <button type="button" onClick={props.onKeep} disabled={busy}>
          {t.keep}
        </button>
        <button type="button" class="danger" onClick={props.onConfirm} disabled={busy}>
          {props.confirmLabel}
        </button>
      </div>
    </div>
  )
}
