import { signal } from '@preact/signals'
import type { Messages } from '../i18n'

type LaterSteps = typeof import('./later-steps')

/** The later steps once fetched; views that read it re-render when they arrive. */
export const laterSteps = signal<LaterSteps | undefined>(undefined)
/** Their fetch failed (offline, blocked): the view offers to try again. */
const failed = signal(false)
let loading: Promise<unknown> | undefined

/** Fetches the details, payment and confirmation steps, once; safe to call as often as wanted. */
export function loadLaterSteps(): void {
  loading ??= import('./later-steps').then(
    (steps) => {
      laterSteps.value = steps
      failed.value = false
    },
    () => {
      loading = undefined
      failed.value = true
    },
  )
}

/** Runs `fn` when the browser is idle, so fetching what comes next never delays what is shown now. */
export function whenIdle(fn: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: 2_000 })
  else setTimeout(fn, 200)
}

/** Shown in place of a step whose code is still on its way (only if a guest outpaces the idle fetch). */
export function StepLoading({ t }: { t: Messages }) {
  if (failed.value) {
    return (
      <div class="msg error" role="alert">
        <p>{t.errors.network_error}</p>
        <button type="button" onClick={loadLaterSteps}>
          {t.retry}
        </button>
      </div>
    )
  }
  return <p class="msg muted" role="status" aria-busy="true" aria-label={t.loadingStep} />
}
