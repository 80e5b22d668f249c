import { formatDayLabel, formatSlotTime } from '../format-time'
import type { BookingState } from '../state'

/** One row per day of the shown week, each with its free start times. */
export function WeekDays({ state }: { state: BookingState }) {
  const selected = state.selected.value
  return (
    <ol class="days">
      {state.days.value.map(({ date, slots }) => {
        const label = formatDayLabel(date)
        return (
          <li class="day" key={date}>
            <h3>{label}</h3>
            {slots.length === 0 ? (
              <p class="muted">No free times</p>
            ) : (
              <ul class="slots" aria-label={label}>
                {slots.map((slot) => (
                  <li key={slot.start}>
                    <button
                      type="button"
                      class="slot"
                      aria-pressed={selected?.start === slot.start && selected.end === slot.end ? 'true' : 'false'}
                      onClick={() => state.selectSlot(slot)}
                    >
                      {formatSlotTime(slot.start, state.zone)}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </li>
        )
      })}
    </ol>
  )
}
