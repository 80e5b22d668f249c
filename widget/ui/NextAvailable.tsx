import { formatDayLabel } from '../format-time'
import type { BookingState } from '../state'

/** After an empty month or day: the next day with a free time, one tap away (or that there is none). */
export function NextAvailable({ state }: { state: BookingState }) {
  const next = state.nextAvailable.value
  if (next === undefined) return null
  if (next === null) return <p class="muted center">{state.t.noMoreTimes}</p>
  return (
    <button type="button" class="next" onClick={() => state.jumpToNextAvailable()}>
      {state.t.nextAvailable(formatDayLabel(next.date, state.locale))}
    </button>
  )
}
