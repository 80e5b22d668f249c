import { formatDuration } from '../format-time'
import type { BookingState } from '../state'
import { PriceSummary } from './PriceSummary'

/**
 * What is being booked, before a time is picked: how long (when there is no choice to
 * make), what it costs and how cancelling works, and for a service what it takes ("Includes:
 * Therapist · Treatment room"). The name is the widget's heading.
 */
export function ResourceSummary({ state }: { state: BookingState }) {
  const minutes = state.durations.value.length === 0 ? state.slotMinutes.value : undefined
  const service = state.service.value
  return (
    <div class="summary">
      {service && <p class="muted">{state.t.serviceIncludes(service.parts.map((part) => part.label))}</p>}
      {minutes !== undefined && <p class="muted">{`${state.t.duration}: ${formatDuration(minutes, state.locale)}`}</p>}
      <PriceSummary state={state} />
    </div>
  )
}
