import { formatDuration } from '../format-time'
import type { BookingState } from '../state'

/** Lengths the customer can choose, for resources that offer `durations`. */
export function DurationPicker({ state }: { state: BookingState }) {
  const durations = state.durations.value
  if (durations.length === 0) return null
  const active = state.activeDuration.value
  return (
    <div class="bar" role="group" aria-label="Duration">
      <span class="muted label">Duration</span>
      {durations.map((minutes) => (
        <button
          type="button"
          key={minutes}
          aria-pressed={minutes === active ? 'true' : 'false'}
          onClick={() => void state.chooseDuration(minutes)}
        >
          {formatDuration(minutes)}
        </button>
      ))}
    </div>
  )
}
