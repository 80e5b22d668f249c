import type { ComponentChildren } from 'preact'
import { useEffect, useRef } from 'preact/hooks'

export interface PopupProps {
  /** id of the element that names the dialog (the widget's title). */
  labelledBy: string
  closeLabel: string
  onClose: () => void
  children?: ComponentChildren
}

/**
 * A modal <dialog>: showModal() makes the rest of the page inert (the focus trap) and turns
 * Esc into a `cancel` event; focus returns to where it was when the dialog closes.
 */
export function Popup({ labelledBy, closeLabel, onClose, children }: PopupProps) {
  const dialog = useRef<HTMLDialogElement>(null)
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
  return (
    <dialog
      ref={dialog}
      class="popup"
      aria-labelledby={labelledBy}
      onCancel={(event) => {
        event.preventDefault()
        onClose()
      }}
      onClick={(event) => {
        // A click on the backdrop lands on the dialog element itself.
        if (event.target === dialog.current) onClose()
      }}
    >
      <button type="button" class="icon close" aria-label={closeLabel} onClick={onClose}>
        ×
      </button>
      {children}
    </dialog>
  )
}

/** The focused element, looking inside shadow roots (the opener may be another widget's button). */
function deepActiveElement(): HTMLElement | undefined {
  let active = document.activeElement
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement
  return active instanceof HTMLElement ? active : undefined
}
