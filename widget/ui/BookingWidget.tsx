import { signal } from '@preact/signals'
import { useEffect, useRef } from 'preact/hooks'
import type { PublicResource } from '../../shared/types'
import type { BookingClient, SeriesClient } from '../client'
import type { BookingState } from '../state'
import { errorText } from '../error-text'
import { DurationPicker } from './DurationPicker'
import { laterSteps, loadLaterSteps, StepLoading, whenIdle } from './later'
import { MonthCalendar } from './MonthCalendar'
import { NextAvailable } from './NextAvailable'
import { ResourceSummary } from './ResourceSummary'
import { MemberPicker, PartyPicker, SeatPicker } from './SeatPicker'
import { SlotList } from './SlotList'
import { ZonePicker } from './ZonePicker'

export interface BookingWidgetProps {
  state: BookingState
  client: Pick<BookingClient, 'getCalendarFile'> & Partial<Pick<SeriesClient, 'getSeriesCalendarFile'>>
  /** Where the confirmation's manage link points; none when omitted. */
  manageUrl?: ((ref: string, token: string) => string) | undefined
  /** Called once, after availability has been rendered for the first time. */
  onReady?: (resource: PublicResource) => void
  /** id of the title heading, so a dialog around the widget can be named by it. */
  titleId?: string
  /** Offers a Back button under the times (the manage page's way out of choosing a new time). */
  onLeavePick?: () => void
}

/** The whole booking flow: pick a time, enter details under a hold, see the confirmation. */
export function BookingWidget({ state, client, manageUrl, onReady, titleId, onLeavePick }: BookingWidgetProps) {
  const { t } = state
  const status = state.status.value
  const resource = state.resource.value
  const step = state.step.value
  const notice = state.notice.value
  const hasReported = useRef(false)
  // Focus follows the guest from step to step, but is never taken when the page loads.
  const stepsSeen = useRef(0)
  useEffect(() => {
    stepsSeen.current++
  }, [step])

  // An effect runs after the DOM has been updated, so "ready" means the slots are on screen.
  useEffect(() => {
    if (status === 'ready' && resource && !hasReported.current) {
      hasReported.current = true
      onReady?.(resource)
      // The steps after the pick come once the slots are painted, while the guest reads them.
      whenIdle(loadLaterSteps)
    }
  }, [status, resource])
  // A guest who picks before the idle fetch has run: fetch now, beside the hold request.
  const picked = state.selected.value !== undefined
  useEffect(() => {
    if (picked || step !== 'pick') loadLaterSteps()
  }, [picked, step])
  const later = laterSteps.value

  const focusHeading = stepsSeen.current > 0
  return (
    <section class="card" aria-labelledby={titleId} aria-busy={status === 'loading' ? 'true' : 'false'}>
      <h2 id={titleId}>{state.pool.value?.name ?? resource?.name ?? t.freeTimes}</h2>
      {notice && (
        <p class="notice" role="alert">
          {notice}
        </p>
      )}
      {step !== 'pick' && !later ? (
        <StepLoading t={t} key="loading" />
      ) : step === 'details' && later ? (
        <later.DetailsForm state={state} key="details" />
      ) : step === 'pay' && later ? (
        <later.PaymentStep state={state} key="pay" />
      ) : step === 'done' && later ? (
        <later.Confirmation state={state} client={client} manageUrl={manageUrl} key="done" />
      ) : (
        <Pick state={state} focusHeading={focusHeading} key="pick" onLeave={onLeavePick} />
      )}
    </section>
  )
}

function Pick({
  state,
  focusHeading,
  onLeave,
}: {
  state: BookingState
  focusHeading: boolean
  onLeave?: (() => void) | undefined
}) {
  const { t } = state
  const status = state.status.value
  const resource = state.resource.value
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    if (focusHeading) heading.current?.focus()
  }, [])
  if (status === 'error' && state.error.value?.code === 'not_found') {
    // Nothing the guest can retry: the embed names a calendar that does not exist (the owner
    // is told through booking:error).
    return (
      <p class="msg muted" role="alert">
        {t.errors.not_found}
      </p>
    )
  }
  if (resource?.bookable === false) {
    return (
      <p class="msg muted" role="alert">
        {t.paymentNotSetUp}
      </p>
    )
  }
  return (
    <>
      <h3 class="sr" ref={heading} tabIndex={-1}>
        {t.chooseTime}
      </h3>
      <PartyPicker state={state} />
      <ResourceSummary state={state} />
      <MemberPicker state={state} />
      <ZonePicker state={state} />
      <DurationPicker state={state} />
      <SeatPicker state={state} />
      {resource?.span ? (
        <LazySpanPicker state={state} />
      ) : (
        <div class="pick">
          <MonthCalendar state={state} />
          <div class="times">
            {status === 'loading' ? (
              <p class="msg muted" role="status">
                {t.loading}
              </p>
            ) : status === 'error' ? (
              <div class="msg error" role="alert">
                <p>{errorText(t, state.error.value?.code ?? 'internal')}</p>
                <button type="button" onClick={() => void state.load()}>
                  {t.retry}
                </button>
              </div>
            ) : state.isEmpty.value ? (
              <>
                <p class="msg muted">{t.noTimesMonth}</p>
                <NextAvailable state={state} />
              </>
            ) : (
              <SlotList state={state} />
            )}
          </div>
        </div>
      )}
      {onLeave && (
        <div class="actions">
          <button type="button" onClick={onLeave}>
            {t.back}
          </button>
        </div>
      )}
    </>
  )
}

// A resource booked as a span across days gets the range picker, a chunk of its own: every
// other widget's first paint carries none of it.
const spanPicker = signal<typeof import('./SpanPicker') | undefined>(undefined)
const spanPickerFailed = signal(false)
let spanPickerLoading: Promise<unknown> | undefined

function loadSpanPicker(): void {
  spanPickerLoading ??= import('./SpanPicker').then(
    (chunk) => {
      spanPicker.value = chunk
      spanPickerFailed.value = false
    },
    () => {
      spanPickerLoading = undefined
      spanPickerFailed.value = true
    },
  )
}

function LazySpanPicker({ state }: { state: BookingState }) {
  useEffect(loadSpanPicker, [])
  const chunk = spanPicker.value
  if (chunk) return <chunk.SpanPicker state={state} />
  if (!spanPickerFailed.value) return <StepLoading t={state.t} />
  return (
    <div class="msg error" role="alert">
      <p>{state.t.errors.network_error}</p>
      <button type="button" onClick={loadSpanPicker}>
        {state.t.retry}
      </button>
    </div>
  )
}
