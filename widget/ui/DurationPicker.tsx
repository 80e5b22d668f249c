import { formatDuration } from '../format-time'
import type { BookingState } from '../state'

/** Lengths the customer can choose, for resources that offer `durations`, as a radio group. */
export function DurationPicker({ state }: { state: BookingState }) {
  const durations = state.durations.value
  if (durations.length === 0) return null
  const active = state.activeDuration.value
  return (
    <fieldset class="bar">
      <legend class="muted">{state.t.duration}</legend>
      {durations.map((minutes) => (
        <label class="choice" key={minutes}>
          <input
            type="radio"
            name="duration"
            value={minutes}
            checked={minutes === active}
            onChange={() => void state.chooseDuration(minutes)}
          />
          <span>{formatDuration(minutes, state.locale)}</span>
        </label>
      ))}
    </fieldset>
  )
}
