import type { ComponentChildren } from 'preact'
import { AdminApiError } from './api'

/*
 * The pieces every owner form is made of: a labelled field with its help and, once the save
 * is refused, its reason, tied together for screen readers; and the form's footer. The
 * resource and pool editors render their fields through these, so both read alike.
 */

/** What a refused save says above the footer when some fields carry their own reason. */
export const FIX_FIELDS = 'Some fields need a change; each says why.'

/** A control's id and the ARIA that points at its reason (when refused) and its help. */
export function fieldA11y(id: string, error: string | undefined, help = true) {
  const described = [error ? `${id}-error` : '', help ? `${id}-help` : ''].filter(Boolean).join(' ')
  return {
    id,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': described || undefined,
  }
}

export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <p class="field-error" id={`${id}-error`}>
      {error}
    </p>
  ) : null
}

/** Label, control, reason and help; the control spreads `fieldA11y(id, error)`. */
export function Field(props: {
  id: string
  label: string
  error: string | undefined
  help: ComponentChildren
  children: ComponentChildren
}) {
  const { id, label, error, help, children } = props
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children}
      <FieldError id={id} error={error} />
      <p class="help" id={`${id}-help`}>
        {help}
      </p>
    </div>
  )
}

export function CheckField(props: {
  id: string
  label: string
  error: string | undefined
  help: ComponentChildren
  checked: boolean
  onChange: (checked: boolean) => void
}) {
  const { id, label, error, help, checked, onChange } = props
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label class="check">
        <input
          type="checkbox"
          {...fieldA11y(id, error)}
          checked={checked}
          onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)}
        />
        {label}
      </label>
      <FieldError id={id} error={error} />
      <p class="help" id={`${id}-help`}>
        {help}
      </p>
    </div>
  )
}

/** The summary of a refused save: the fields say why, or the server's message, or the error itself. */
export function refusalSummary(error: unknown, fieldsRefused: number): string {
  if (fieldsRefused > 0) return FIX_FIELDS
  return error instanceof AdminApiError ? error.message : String(error)
}

/** The form's reason for refusing, its submit button and "Saved." once it is. */
export function FormFooter(props: { formError: string | undefined; busy: boolean; saved: boolean; submit: string }) {
  const { formError, busy, saved, submit } = props
  return (
    <>
      {formError && (
        <p class="error" role="alert">
          {formError}
        </p>
      )}
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>
          {submit}
        </button>
        {saved && (
          <span class="ok" role="status">
            Saved.
          </span>
        )}
      </div>
    </>
  )
}

/**
 * Copies `text`, or, where the page has no clipboard (plain http, an old browser, a refused
 * permission), selects it in `field` for Ctrl+C. Answers what to tell the owner: `copied`
 * on success, else how to copy the selection by hand (naming `what`).
 */
export async function copyOrSelect(
  text: string,
  field: HTMLInputElement | HTMLTextAreaElement | null,
  what: string,
  copied: string,
): Promise<string> {
  try {
    await navigator.clipboard.writeText(text)
    return copied
  } catch {
    field?.focus()
    field?.select()
    return `${what} is selected: press Ctrl+C (⌘C on a Mac) to copy it.`
  }
}
