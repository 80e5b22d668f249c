import { useEffect, useRef, useState } from 'preact/hooks'
import type { AdminSetupBody } from '../shared/admin-contract'
import type { AdminSetupResponse } from '../shared/api-contract'
import type { ErrorBody } from '../shared/errors'
import { AdminApiError } from './api'

/*
 * The first-run link `npm start` prints while no admin key exists:
 * http://localhost:8787/admin#setup=<token>. The token travels in the fragment, so it never
 * reaches a server log; the console trades it once for the owner's first key.
 */

/** The setup token in a location hash (`#setup=<token>`), if there is one. */
export function readSetupToken(hash: string): string | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('setup')?.trim()
  return token ? token : undefined
}

/** Takes the fragment (and the token in it) out of the address bar and the tab's history entry. */
export function forgetFragment(): void {
  history.replaceState(history.state, '', `${location.pathname}${location.search}`)
}

/** The owner's first key, as `POST /v1/admin/setup` answers it. */
export type CreatedKey = AdminSetupResponse

/**
 * `POST /v1/admin/setup {token}` → 201 `{key, prefix, name}`. A used, expired or unknown
 * token is a 401 (one answer for all three), thrown as an AdminApiError like the API's others.
 */
export async function redeemSetupToken(token: string, base = ''): Promise<CreatedKey> {
  let response: Response
  try {
    response = await fetch(`${base}/v1/admin/setup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token } satisfies AdminSetupBody),
    })
  } catch {
    throw new AdminApiError(0, 'network_error', 'Could not reach the server. Check that it is running and try again.')
  }
  const json = (await response.json().catch(() => undefined)) as (CreatedKey & Partial<ErrorBody>) | undefined
  if (response.status !== 201 || !json?.key) {
    const error = json?.error
    throw new AdminApiError(
      response.status,
      error?.code ?? 'invalid_response',
      error?.message ?? `HTTP ${response.status}`,
    )
  }
  return { key: json.key, prefix: json.prefix, name: json.name }
}

/**
 * The new key, shown this one time with a Copy button: only its hash is stored, so once
 * this panel is dismissed (or the tab closed) nobody can show it again.
 */
export function NewKeyPanel({ created, onDone }: { created: CreatedKey; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'no' | undefined>(undefined)
  const field = useRef<HTMLInputElement>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.key)
      setCopied('yes')
    } catch {
      // No clipboard (an http page elsewhere than localhost): select it for Ctrl+C instead.
      field.current?.select()
      setCopied('no')
    }
  }
  return (
    <section class="first-run" aria-labelledby="new-key-title">
      <h2 id="new-key-title" tabIndex={-1} ref={heading}>
        You are signed in. This is your owner key
      </h2>
      <p>
        <strong>Keep it somewhere safe; it is shown only once.</strong> You sign in with it on another browser or after
        closing this tab. Its name is “{created.name}”.
      </p>
      <div class="row">
        <label class="grow">
          Owner key
          <input
            ref={field}
            type="text"
            readOnly
            value={created.key}
            class="key-field"
            onFocus={(e) => (e.currentTarget as HTMLInputElement).select()}
          />
        </label>
        <button type="button" class="primary" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" onClick={onDone}>
          I have saved it
        </button>
      </div>
      <p role="status" class={copied === 'no' ? 'error' : 'ok'}>
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'no'
            ? 'Could not copy: the key is selected, press Ctrl+C (⌘C on a Mac).'
            : ''}
      </p>
    </section>
  )
}
