import type { BookingState } from '../state'

/**
 * How many places to book, for a resource that takes more than one per booking: − n +.
 * Each change asks for the times with that many places free; the count is announced.
 */
export function SeatPicker({ state }: { state: BookingState }) {
  const max = state.maxSeats.value
  if (max <= 1) return null
  const { t } = state
  const seats = state.seats.value
  return (
    // Labelled like the zone and duration rows; a screen reader hears the group's label instead.
    <div class="bar" role="group" aria-label={t.seats}>
      <span class="muted" aria-hidden="true">
        {t.seats}
      </span>
      <span class="inline">
        <button
          type="button"
          class="icon"
          aria-label={t.fewerSeats}
          disabled={seats <= 1}
          onClick={() => void state.chooseSeats(seats - 1)}
        >
          −
        </button>
        <output class="count" aria-live="polite">
          {t.places(seats)}
        </output>
        <button
          type="button"
          class="icon"
          aria-label={t.moreSeats}
          disabled={seats >= max}
          onClick={() => void state.chooseSeats(seats + 1)}
        >
          +
        </button>
      </span>
    </div>
  )
}
