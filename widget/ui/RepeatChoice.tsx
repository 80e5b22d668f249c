import { useEffect, useState } from 'preact/hooks'
import type { SeriesAvailability } from '../../shared/api-contract'
import { formatMoney } from '../../shared/money'
import { dueAtBooking } from '../../shared/payment-terms'
import { errorText } from '../error-text'
import type { Messages } from '../i18n'
import { dayLabel } from '../models/details'
import { withLaterSteps, type LaterState } from '../models/later-steps'
import type { BookingState } from '../state'
import type { CalendarOffer } from './CalendarLinks'
import { Confirmation, type ConfirmationProps } from './Confirmation'

type Occurrence = SeriesAvailability['occurrences'][number]

const EVERY_WEEKS = [0, 1, 2] as const
const COUNTS = Array.from({ length: 11 }, (_, i) => i + 2)

/**
 * Whether the guest may book the held time weekly: only a plain resource booked anew (one
 * that takes payment online too: one card payment covers every date), never a pool, a
 * service or a span.
 */
export function repeatOffered(state: LaterState): boolean {
  const resource = state.resource.value
  return (
    state.booksSeries() &&
    !state.isReschedule &&
    !state.isPool &&
    state.service.value === undefined &&
    resource !== undefined &&
    resource.span === undefined
  )
}

/**
 * "Just once" or weekly for a number of dates, under the guest form. A repeat shows each
 * date free or taken (asked afresh when the choice changes), and when one is taken whether
 * to book the free ones or nothing. Where the card is taken when booking, what the dates
 * that would be booked cost now.
 */
export function RepeatChoice({ state }: { state: LaterState }) {
  const { t, locale } = state
  const words = t.repeat
  const repeat = state.repeat.value
  const hold = state.hold.value
  const resourceId = state.resource.value?.id
  const [dates, setDates] = useState<Occurrence[] | undefined>(undefined)
  const [failed, setFailed] = useState<string | undefined>(undefined)
  const { everyWeeks, occurrences, refusals } = repeat

  useEffect(() => {
    setDates(undefined)
    setFailed(undefined)
    if (!hold || !resourceId || everyWeeks === 0) return
    let current = true
    const query = { start: hold.start, end: hold.end, everyWeeks, occurrences }
    void state.checkSeries(resourceId, query).then((answer) => {
      if (!current) return
      if (answer.error) setFailed(errorText(t, answer.error.code))
      else setDates(answer.data.occurrences)
    })
    // A newer choice wins: an older answer arriving late is dropped.
    return () => {
      current = false
    }
    // Asked again when the server refuses the series for dates taken since they were shown.
  }, [hold?.id, resourceId, everyWeeks, occurrences, refusals])

  const update = state.chooseRepeat
  const anyTaken = dates?.some((date) => !date.free) ?? false
  // Paid per date (per place, as the price is), all at once: the free dates, or none when one is taken and it is all or nothing.
  const resource = state.resource.value
  const due = resource && dueAtBooking(resource)
  const paidDates = repeat.mode === 'all_or_nothing' && anyTaken ? 0 : (dates?.filter((date) => date.free).length ?? 0)
  const each = due && due.amount * state.seats.value
  return (
    <div class="repeat">
      <div class="field">
        <label for="booking-repeat">{words.label}</label>
        <select
          id="booking-repeat"
          value={everyWeeks}
          onChange={(event) => update({ everyWeeks: Number((event.currentTarget as HTMLSelectElement).value) })}
        >
          {EVERY_WEEKS.map((weeks) => (
            <option key={weeks} value={weeks}>
              {weeks === 0 ? words.once : words.every(weeks)}
            </option>
          ))}
        </select>
      </div>
      {everyWeeks > 0 && (
        <>
          <div class="field">
            <label for="booking-repeat-count">{words.count}</label>
            <select
              id="booking-repeat-count"
              value={occurrences}
              onChange={(event) => update({ occurrences: Number((event.currentTarget as HTMLSelectElement).value) })}
            >
              {COUNTS.map((count) => (
                <option key={count} value={count}>
                  {words.times(count)}
                </option>
              ))}
            </select>
          </div>
          <div aria-live="polite">
            {failed && <p class="msg error">{failed}</p>}
            {!dates && !failed && (
              <p class="muted" role="status" aria-busy="true">
                {words.checking}
              </p>
            )}
            {dates && <OccurrenceList t={t} locale={locale} dates={dates} />}
            {due && each !== undefined && paidDates > 0 && (
              <p class="series-due">
                <strong>
                  {words.dueNow(
                    paidDates,
                    formatMoney(each, due.currency, locale),
                    formatMoney(each * paidDates, due.currency, locale),
                  )}
                </strong>
              </p>
            )}
          </div>
          {anyTaken && (
            <div role="radiogroup" aria-label={words.ifTaken}>
              <ModeOption
                label={words.freeOnly}
                checked={repeat.mode === 'skip_conflicts'}
                onPick={() => update({ mode: 'skip_conflicts' })}
              />
              <ModeOption
                label={words.allOrNothing}
                checked={repeat.mode === 'all_or_nothing'}
                onPick={() => update({ mode: 'all_or_nothing' })}
              />
            </div>
          )}
        </>
      )}
    </div>
  )
}

function ModeOption(props: { label: string; checked: boolean; onPick: () => void }) {
  return (
    <label class="choice">
      <input type="radio" name="booking-repeat-mode" checked={props.checked} onChange={props.onPick} /> {props.label}
    </label>
  )
}

function OccurrenceList(props: { t: Messages; locale: string; dates: Pick<Occurrence, 'date' | 'free'>[] }) {
  const words = props.t.repeat
  return (
    <ul class="series-dates">
      {props.dates.map((date) => (
        <li key={date.date} class={date.free ? undefined : 'taken'}>
          {date.free ? words.free(dayLabel(date.date, props.locale)) : words.taken(dayLabel(date.date, props.locale))}
        </li>
      ))}
    </ul>
  )
}

/**
 * The confirmation, and for a weekly series the dates booked and those skipped, with one
 * calendar file holding every date booked (the Google and Outlook links carry the first).
 */
export function SeriesConfirmation(props: ConfirmationProps) {
  const { state, client } = props
  const series = shownSeries(state)
  const token = state.manageToken.value
  const words = state.t.repeat
  const count = series?.bookings.filter((booking) => booking.status !== 'cancelled').length ?? 0
  const calendar: CalendarOffer | undefined =
    series && token && client.getSeriesCalendarFile
      ? {
          load: () => client.getSeriesCalendarFile!(series.ref, token),
          fileName: `series-${series.ref}.ics`,
          fileLabel: words.addAll(count),
          googleLabel: count > 1 ? words.googleFirst : state.t.googleCalendar,
          outlookLabel: count > 1 ? words.outlookFirst : state.t.outlookCalendar,
        }
      : undefined
  return (
    <>
      <Confirmation {...props} calendar={calendar} />
      <SeriesDates state={state} />
    </>
  )
}

/** The series booked last, while its confirmation is shown: a later single booking has none. */
function shownSeries(state: BookingState) {
  const series = withLaterSteps(state).series.value
  if (!series || state.step.value !== 'done' || series.bookings[0]?.ref !== state.booking.value?.ref) return undefined
  return series
}

function SeriesDates({ state }: { state: BookingState }) {
  const series = shownSeries(state)
  if (!series) return null
  const words = state.t.repeat
  const label = (date: string) => dayLabel(date, state.locale)
  const booked = series.bookings.filter((booking) => booking.status !== 'cancelled')
  return (
    <div class="series-done">
      <p>{words.every(series.everyWeeks)}</p>
      <h4>{words.booked}</h4>
      <ul class="series-dates">
        {booked.map((booking) => (
          <li key={booking.ref}>{label(localDate(booking.start, state.zone.value))}</li>
        ))}
      </ul>
      {series.skipped.length > 0 && (
        <>
          <h4>{words.skipped}</h4>
          <ul class="series-dates">
            {series.skipped.map((date) => (
              <li key={date.date} class="taken">
                {label(date.date)}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}

/** The local date `YYYY-MM-DD` of an instant in `zone`. */
function localDate(instant: string, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(instant),
  )
}
