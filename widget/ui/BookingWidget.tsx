import { useEffect, useRef } from 'preact/hooks'
import type { PublicResource } from '../../shared/types'
import type { BookingClient } from '../client'
import type { BookingState } from '../state'
import { Confirmation } from './Confirmation'
import { DetailsForm } from './DetailsForm'
import { DurationPicker } from './DurationPicker'
import { WeekDays } from './WeekDays'
import { WeekNav } from './WeekNav'

export interface BookingWidgetProps {
  state: BookingState
  client: Pick<BookingClient, 'getCalendarFile'>
  /** Called once, after availability has been rendered for the first time. */
  onReady: (resource: PublicResource) => void
}

const zoneName = (zone: string) => zone.replace(/_/g, ' ')

export function BookingWidget({ state, client, onReady }: BookingWidgetProps) {
  const status = state.status.value
  const resource = state.resource.value
  const step = state.step.value
  const notice = state.notice.value
  const hasReported = useRef(false)

  // An effect runs after the DOM has been updated, so "ready" means the slots are on screen.
  useEffect(() => {
    if (status === 'ready' && resource && !hasReported.current) {
      hasReported.current = true
      onReady(resource)
    }
  }, [status, resource])

  return (
    <section class="card" aria-label={resource?.name ?? 'Booking'} aria-busy={status === 'loading' ? 'true' : 'false'}>
      <h2>{resource?.name ?? 'Free times'}</h2>
      {resource && resource.timezone !== state.zone && (
        <p class="muted zone">
          Times are shown in {zoneName(state.zone)}; {resource.name} is in {zoneName(resource.timezone)}.
        </p>
      )}
      {notice && (
        <p class="notice" role="alert">
          {notice}
        </p>
      )}
      {step === 'details' ? (
        <DetailsForm state={state} />
      ) : step === 'done' ? (
        <Confirmation state={state} client={client} />
      ) : (
        <>
          <DurationPicker state={state} />
          <WeekNav state={state} />
          {status === 'loading' ? (
            <p class="msg muted" role="status">
              Loading free times…
            </p>
          ) : status === 'error' ? (
            <div class="msg error" role="alert">
              <p>{state.error.value?.message}</p>
              <button type="button" onClick={() => void state.load()}>
                Retry
              </button>
            </div>
          ) : state.isEmpty.value ? (
            <p class="msg muted">No free times this week.</p>
          ) : (
            <WeekDays state={state} />
          )}
        </>
      )}
    </section>
  )
}
