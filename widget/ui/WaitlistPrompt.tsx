import { signal } from '@preact/signals'
import { useEffect, useRef, useState } from 'preact/hooks'
import type { BookingState } from '../state'

/**
 * Whether `date` (a day with no free time) looks fully booked rather than closed, and its
 * resource takes a waitlist. The public API does not say which days are open, so a day
 * counts as open when the same weekday has free times elsewhere in the month on show.
 */
export function canJoinWaitlist(state: BookingState, date: string): boolean {
  const resource = state.resource.value
  if (!resource?.waitlist || resource.span || state.isPool || state.service.value || state.isReschedule) return false
  // The server marks a day full when its schedule opens it and every time is taken; a closed
  // day (a holiday, a weekend) is never full, so it never offers the waitlist.
  return state.fullDates.value.has(date)
}

// The join form is a chunk of its own: no first paint carries it.
const joinChunk = signal<typeof import('./WaitlistJoin') | undefined>(undefined)
const joinFailed = signal(false)
let joinLoading: Promise<unknown> | undefined

function loadJoin(): void {
  joinLoading ??= import('./WaitlistJoin').then(
    (chunk) => {
      joinChunk.value = chunk
      joinFailed.value = false
    },
    () => {
      joinLoading = undefined
      joinFailed.value = true
    },
  )
}

/** Under a fully booked day: the way onto its waitlist, opening the join form in place. */
export function WaitlistPrompt({ state, date }: { state: BookingState; date: string }) {
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  const closed = useRef(false)
  // Back from the form: focus returns to the button that opened it, never to the page.
  useEffect(() => {
    if (!open && closed.current) button.current?.focus()
    closed.current = open
  }, [open])
  const { t } = state
  if (!open) {
    return (
      <button
        type="button"
        ref={button}
        class="next primary"
        onClick={() => {
          loadJoin()
          setOpen(true)
        }}
      >
        {t.waitlist.join}
      </button>
    )
  }
  const chunk = joinChunk.value
  if (chunk) return <chunk.WaitlistJoin state={state} date={date} onClose={() => setOpen(false)} />
  if (!joinFailed.value) return <p class="msg muted" role="status" aria-busy="true" aria-label={t.loadingStep} />
  return (
    <div class="msg error" role="alert">
      <p>{t.errors.network_error}</p>
      <button type="button" onClick={loadJoin}>
        {t.retry}
      </button>
    </div>
  )
}
