import { formatDateRange } from '../format-time'
import type { BookingState } from '../state'
import { weekRange } from '../week'

export function WeekNav({ state }: { state: BookingState }) {
  const { from, to } = weekRange(state.weekStart.value)
  return (
    <div class="nav">
      <button
        type="button"
        aria-label="Previous week"
        disabled={!state.canGoBack.value}
        onClick={() => void state.showWeek(-1)}
      >
        ‹ Prev
      </button>
      <p class="range" aria-live="polite">
        {formatDateRange(from, to)}
      </p>
      <button type="button" aria-label="Next week" onClick={() => void state.showWeek(1)}>
        Next ›
      </button>
    </div>
  )
}
