import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'

/** Asked before closing while the guest holds a time, so a stray Esc or tap loses nothing. */
export interface LeaveConfirmation {
  isHolding: () => boolean
  words: { leaveTitle: string; leaveText: string; stay: string; leave: string }
}

export interface PopupProps {
  /** id of the element that names the dialog (the widget's title). */
  labelledBy: string
  closeLabel: string
  onClose: () => void
  confirmLeave?: LeaveConfirmation
  children?: ComponentChildren
}

/**
 * A modal <dialog>: showModal() makes the rest of the page inert (the focus trap) and turns
 * Esc into a `cancel` event; focus returns to where it was when the dialog closes.
 */
export function Popup({ labelledBy, closeLabel, onClose, confirmLeave, children }: PopupProps) {
  const dialog = useRef<HTMLDialogElement>(null)
  const closeButton = useRef<HTMLButtonElement>(null)
  const stayButton = useRef<HTMLButtonElement>(null)
  const [asking, setAsking] = useState(false)
  useEffect(() => {
    const element = dialog.current
    if (!element) return undefined
    const opener = deepActiveElement()
    if (!element.open) element.showModal()
    return () => {
      if (element.open) element.close()
      opener?.focus()
    }
  }, [])
  useEffect(() => {
    if (asking) stayButton.current?.focus()
  }, [asking])

  const requestClose = () => {
    if (asking || !confirmLeave?.isHolding()) return onClose()
    setAsking(true)
  }
  const stay = () => {
    setAsking(false)
    closeButton.current?.focus()
  }
  const words = confirmLeave?.words
  return (
    <dialog
      ref={dialog}
      class="popup"
      aria-labelledby={labelledBy}
      onCancel={(event) => {
        event.preventDefault()
        if (asking) stay()
        else requestClose()
      }}
      onClick={(event) => {
        // A click on the backdrop lands on the dialog element itself.
        if (event.target === dialog.current) requestClose()
      }}
    >
      <button
        type="button"
        class="icon close"
        aria-label={closeLabel}
        onClick={requestClose}
        ref={closeButton}
        hidden={asking}
      >
        ×
      </button>
      {asking && words && (
        <div
          class="card leave"
          role="alertdialog"
          aria-modal="true"
          aria-labelledby="booking-leave-title"
          aria-describedby="booking-leave-text"
        >
          <h2 id="booking-leave-title">{words.leaveTitle}</h2>
          <p id="booking-leave-text">{words.leaveText}</p>
          <div class="actions">
            <button type="button" class="danger" onClick={onClose}>
              {words.leave}
            </button>
            <button type="button" class="primary" onClick={stay} ref={stayButton}>
              {words.stay}
            </button>
          </div>
        </div>
      )}
      {/* Hidden, not unmounted: the form and its countdown carry on underneath the question. */}
      <div hidden={asking}>{children}</div>
    </dialog>
  )
}

/** The focused element, looking inside shadow roots (the opener may be another widget's button). */
function deepActiveElement(): HTMLElement | undefined {
  let active = document.activeElement
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement
  return active instanceof HTMLElement ? active : undefined
}
