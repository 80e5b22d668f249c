import { signal } from '@preact/signals'
import { useEffect, useMemo, useRef } from 'preact/hooks'
import type { PublicSeries, SeriesConflict } from '../../shared/api-contract'
import { isActive } from '../../shared/booking-status'
import { cancelNoticeHours } from '../../shared/cancellation-policy'
import type { AvailabilityResponse, PublicBooking, PublicResource } from '../../shared/types'
import type { BookingClient, ClientError, ClientErrorCode, SeriesClient } from '../client'
import { errorText } from '../error-text'
import { formatDayLabel, formatSlotRange, formatSlotTime } from '../format-time'
import type { Messages, SeriesWords } from '../i18n'
import { CalendarLinks, type CalendarOffer } from './CalendarLinks'
import { CancelQuestion } from './CancelQuestion'

export type SeriesCalls = 'getSeries' | 'cancelSeries' | 'rescheduleSeries' | 'getSeriesCalendarFile'

export interface ManageSeriesProps {
  client: Pick<SeriesClient, SeriesCalls> & Pick<BookingClient, 'getAvailability' | 'getCalendarFile'>
  seriesRef: string
  /** Changes when the booking above was cancelled or moved on its own: the dates are read again. */
  revision?: number
  token: string
  zone: string
  t: Messages
  locale: string
  /** For its notices (why a date was kept) and whether it offers several lengths. */
  resource: PublicResource | undefined
  /** The events' title in the guest's calendar. */
  title: string
  onError: (error: ClientError) => void
  /** The series changed: the booking shown above it may have too. */
  onChanged: () => void
}

type View = 'show' | 'confirm-cancel' | 'move'

type Outcome = { kind: 'cancelled'; cancelled: number; kept: number } | { kind: 'moved'; count: number }

/** How far ahead the move offers new times for the next date. */
const MOVE_DAYS = 35

/** The series' words in English, with this chunk: the widget's first paint carries none of them. */
export const seriesWords: SeriesWords = {
  title: 'Your series',
  loading: 'Loading the dates…',
  repeats: (weeks, weekday, time) =>
    weeks === 1 ? `Every week on ${weekday} at ${time}` : `Every ${weeks} weeks on ${weekday} at ${time}`,
  upcoming: 'Dates to come',
  noUpcoming: 'No dates to come.',
  cancelledDates: 'Cancelled dates',
  cancelAll: 'Cancel all later dates',
  confirmCancelAll: 'Cancel every date still to come? This cannot be undone.',
  cancelTerms:
    'Each date is refunded by its own cancellation policy. Dates too close to the start to cancel online are kept.',
  yesCancelAll: 'Yes, cancel all',
  // "3 dates cancelled; 1 kept because it is within 24 hours of the start."
  cancelledAll: (cancelled, kept, hours) =>
    `${cancelled === 1 ? '1 date' : `${cancelled} dates`} cancelled${
      kept === 0
        ? '.'
        : `; ${kept === 1 ? '1 kept because it is' : `${kept} kept because they are`} ${
            hours > 0 ? `within ${hours} hours of the start.` : 'too close to the start to cancel online.'
          }`
    }`,
  nothingToCancel: 'There is no later date left to cancel.',
  moveAll: 'Move all later dates',
  moveIntro: (date) =>
    `Choose the new day and time for the next date (${date}). The later dates follow, on the same weekday at the same time.`,
  day: 'Day',
  time: 'Time',
  noTimes: 'No free times in the next weeks.',
  moveHere: 'Move the dates',
  movedAll: (count) => (count === 1 ? '1 date moved.' : `${count} dates moved.`),
  // The new times refused: dates (as in the list) that are not free; nothing was moved.
  notFree: (dates) =>
    `${dates.length === 1 ? 'This date is' : 'These dates are'} not free at the new time: ${dates.join(', ')}. Nothing was moved; choose another time.`,
  moveClosed:
    'A later date is too close to its start to move online, so nothing was moved. Move the dates one at a time, or contact the provider.',
}

/**
 * A weekly series under the booking its link opened: how it repeats, the dates to come and
 * those cancelled, and what the guest may do with every later date at once: cancel them
 * (each by its own policy), move them (the next date to a new time, the rest following) or
 * add them all to a calendar.
 */
export function ManageSeries(props: ManageSeriesProps) {
  const { client, t, locale, zone } = props
  const words = t.series ?? seriesWords
  const model = useMemo(
    () => ({
      series: signal<PublicSeries | undefined>(undefined),
      // Codes, not sentences: the words are looked up at render, in the language shown then.
      failure: signal<ClientErrorCode | 'reschedule_series_closed' | undefined>(undefined),
      view: signal<View>('show'),
      busy: signal(false),
      outcome: signal<Outcome | undefined>(undefined),
      reason: signal(''),
      /** The new times refused, shown beside the choice they refused. */
      conflicts: signal<SeriesConflict[] | undefined>(undefined),
    }),
    [],
  )
  const question = useRef<HTMLParagraphElement>(null)

  const show = (error: ClientError) => {
    model.failure.value = error.code
    // The booking above already says when its link is not valid.
    if (error.code !== 'not_found') props.onError(error)
  }

  const load = async () => {
    const result = await client.getSeries(props.seriesRef, props.token)
    if (result.error) return show(result.error)
    model.series.value = result.data
  }
  useEffect(() => void load(), [props.seriesRef, props.token, props.revision])

  const view = model.view.value
  useEffect(() => {
    if (view === 'confirm-cancel') question.current?.focus()
  }, [view])

  const series = model.series.value
  const failure = model.failure.value
  const failureText = failure && (failure === 'reschedule_series_closed' ? words.moveClosed : errorText(t, failure))
  if (!series) {
    return (
      <section class="series" aria-labelledby="booking-series-title">
        <h3 id="booking-series-title">{words.title}</h3>
        {failureText ? (
          <p class="notice" role="alert">
            {failureText}
          </p>
        ) : (
          <p class="msg muted" role="status">
            {words.loading}
          </p>
        )}
      </section>
    )
  }

  const now = Date.now()
  const upcoming = series.bookings.filter((b) => b.status !== 'cancelled' && Date.parse(b.start) > now)
  const cancelled = series.bookings.filter((b) => b.status === 'cancelled')
  const active = upcoming.filter((b) => isActive(b.status))
  const next = active[0]
  // How it repeats, read from the next date (or the first, once none is left) in the zone shown.
  const pattern = next ?? series.bookings[0]
  const busy = model.busy.value
  const outcome = model.outcome.value
  const range = (booking: PublicBooking) => formatSlotRange(booking, zone, locale)

  const changed = (updated: PublicSeries, result: Outcome) => {
    model.series.value = updated
    model.outcome.value = result
    model.failure.value = undefined
    model.conflicts.value = undefined
    model.view.value = 'show'
    props.onChanged()
  }

  const cancelAll = async () => {
    model.busy.value = true
    model.failure.value = undefined
    const reason = model.reason.peek().trim()
    const result = await client.cancelSeries(series.ref, props.token, reason || undefined)
    model.busy.value = false
    if (result.error) {
      show(result.error)
      model.view.value = 'show'
      return void load()
    }
    changed(result.data.series, {
      kind: 'cancelled',
      cancelled: result.data.cancelled.length,
      kept: result.data.kept.length,
    })
  }

  const moveAll = async (start: string) => {
    model.busy.value = true
    model.failure.value = undefined
    model.conflicts.value = undefined
    const result = await client.rescheduleSeries(series.ref, props.token, { start })
    model.busy.value = false
    if (!result.error) return changed(result.data.series, { kind: 'moved', count: result.data.moved.length })
    // Dates not free at the new time: named beside the choice, which stays for another try.
    const conflicts = conflictsOf(result.error.details)
    if (result.error.code === 'slot_taken' && conflicts.length > 0) {
      model.conflicts.value = conflicts
      return
    }
    if (result.error.code === 'reschedule_closed') {
      model.failure.value = 'reschedule_series_closed'
      model.view.value = 'show'
      return void load()
    }
    show(result.error)
  }

  const resource = props.resource
  const keptHours = resource
    ? cancelNoticeHours(resource.cancellationPolicy, { minCancelNoticeHours: resource.minCancelNoticeHours })
    : 0
  const calendar: CalendarOffer = {
    load: () => client.getSeriesCalendarFile(series.ref, props.token),
    fileName: `series-${series.ref}.ics`,
    fileLabel: t.repeat.addAll(active.length),
    googleLabel: active.length > 1 ? t.repeat.googleFirst : t.googleCalendar,
    outlookLabel: active.length > 1 ? t.repeat.outlookFirst : t.outlookCalendar,
  }

  return (
    <section class="series" aria-labelledby="booking-series-title">
      <h3 id="booking-series-title">{words.title}</h3>
      {pattern && (
        <p>
          {words.repeats(
            series.everyWeeks,
            new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: zone }).format(new Date(pattern.start)),
            formatSlotTime(pattern.start, zone, locale),
          )}
        </p>
      )}
      {outcome && (
        <p class="done" role="status">
          {outcome.kind === 'moved'
            ? words.movedAll(outcome.count)
            : outcome.cancelled + outcome.kept === 0
              ? words.nothingToCancel
              : words.cancelledAll(outcome.cancelled, outcome.kept, keptHours)}
        </p>
      )}
      {failureText && (
        <p class="notice" role="alert">
          {failureText}
        </p>
      )}
      <h4>{words.upcoming}</h4>
      {upcoming.length > 0 ? (
        <ul class="series-dates">
          {upcoming.map((booking) => (
            <li key={booking.ref}>
              {range(booking)}: <strong>{t.status[booking.status]}</strong>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{words.noUpcoming}</p>
      )}
      {cancelled.length > 0 && (
        <>
          <h4>{words.cancelledDates}</h4>
          <ul class="series-dates">
            {cancelled.map((booking) => (
              <li key={booking.ref} class="taken">
                <s>{range(booking)}</s>: {t.status.cancelled}
              </li>
            ))}
          </ul>
        </>
      )}
      {next && (
        <CalendarLinks booking={next} token={props.token} title={props.title} t={t} client={client} offer={calendar} />
      )}
      {next &&
        (view === 'confirm-cancel' ? (
          <CancelQuestion
            id="booking-series-cancel-question"
            question={words.confirmCancelAll}
            questionRef={question}
            reason={model.reason}
            busy={busy}
            confirmLabel={words.yesCancelAll}
            onKeep={() => (model.view.value = 'show')}
            onConfirm={() => void cancelAll()}
            t={t}
          >
            <p>{words.cancelTerms}</p>
          </CancelQuestion>
        ) : view === 'move' ? (
          <MovePick
            {...props}
            next={next}
            busy={busy}
            conflicts={model.conflicts.value}
            onMove={(start) => void moveAll(start)}
            onBack={() => {
              model.conflicts.value = undefined
              model.view.value = 'show'
            }}
          />
        ) : (
          <div class="actions">
            <button type="button" onClick={() => (model.view.value = 'move')}>
              {words.moveAll}
            </button>
            <button type="button" class="danger" onClick={() => (model.view.value = 'confirm-cancel')}>
              {words.cancelAll}
            </button>
          </div>
        ))}
    </section>
  )
}

/**
 * A new day and time for the series' next date, from the resource's free times over the
 * coming weeks; the later dates follow it. A refusal names the dates not free and keeps the
 * choice, to try another time.
 */
function MovePick(
  props: ManageSeriesProps & {
    next: PublicBooking
    busy: boolean
    conflicts: SeriesConflict[] | undefined
    onMove: (start: string) => void
    onBack: () => void
  },
) {
  const { client, t, locale, zone, next } = props
  const words = t.series ?? seriesWords
  const model = useMemo(
    () => ({
      days: signal<AvailabilityResponse['days'] | undefined>(undefined),
      failure: signal<ClientErrorCode | undefined>(undefined),
      day: signal(''),
      start: signal(''),
    }),
    [],
  )

  useEffect(() => {
    const from = localDate(new Date().toISOString(), zone)
    const to = localDate(new Date(Date.now() + MOVE_DAYS * 86_400_000).toISOString(), zone)
    const minutes = (Date.parse(next.end) - Date.parse(next.start)) / 60_000
    let current = true
    void client
      .getAvailability(next.resourceId, {
        from,
        to,
        tz: zone,
        // The same length and places as now: a move changes when, not how long or for how many.
        ...(props.resource?.durations?.length ? { duration: minutes } : {}),
        ...(next.seats !== undefined && next.seats > 1 ? { seats: next.seats } : {}),
      })
      .then((result) => {
        if (!current) return
        if (result.error) {
          model.failure.value = result.error.code
          return
        }
        const days = result.data.days.filter((day) => day.slots.length > 0)
        model.days.value = days
        model.day.value = days[0]?.date ?? ''
        model.start.value = days[0]?.slots[0]?.start ?? ''
      })
    return () => {
      current = false
    }
  }, [next.ref])

  const days = model.days.value
  const failure = model.failure.value
  const day = days?.find((d) => d.date === model.day.value)
  const conflicts = props.conflicts
  return (
    <div class="confirm" role="group" aria-labelledby="booking-series-move-intro">
      <p id="booking-series-move-intro">{words.moveIntro(formatSlotRange(next, zone, locale))}</p>
      {failure && (
        <p class="notice" role="alert">
          {errorText(t, failure)}
        </p>
      )}
      {!days && !failure && (
        <p class="msg muted" role="status" aria-busy="true">
          {t.loading}
        </p>
      )}
      {days && days.length === 0 && <p class="muted">{words.noTimes}</p>}
      {days && days.length > 0 && (
        <>
          <div class="field">
            <label for="booking-series-day">{words.day}</label>
            <select
              id="booking-series-day"
              value={model.day.value}
              onChange={(event) => {
                const date = (event.currentTarget as HTMLSelectElement).value
                model.day.value = date
                model.start.value = days.find((d) => d.date === date)?.slots[0]?.start ?? ''
              }}
            >
              {days.map((d) => (
                <option key={d.date} value={d.date}>
                  {formatDayLabel(d.date, locale)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="booking-series-time">{words.time}</label>
            <select
              id="booking-series-time"
              value={model.start.value}
              onChange={(event) => (model.start.value = (event.currentTarget as HTMLSelectElement).value)}
            >
              {day?.slots.map((slot) => (
                <option key={slot.start} value={slot.start}>
                  {formatSlotTime(slot.start, zone, locale)}
                </option>
              ))}
            </select>
          </div>
        </>
      )}
      {conflicts && (
        <p class="notice" role="alert">
          {words.notFree(conflicts.map((c) => formatDayLabel(c.date, locale)))}
        </p>
      )}
      <div class="actions">
        <button type="button" onClick={props.onBack} disabled={props.busy}>
          {t.back}
        </button>
        <button
          type="button"
          onClick={() => props.onMove(model.start.value)}
          disabled={props.busy || !model.start.value}
        >
          {words.moveHere}
        </button>
      </div>
    </div>
  )
}

/** The dates a refused move names (`details.conflicts`), or none when the answer has no list. */
function conflictsOf(details: unknown): SeriesConflict[] {
  const list = (details as { conflicts?: unknown } | undefined)?.conflicts
  return Array.isArray(list)
    ? list.filter((c): c is SeriesConflict => typeof (c as SeriesConflict | undefined)?.date === 'string')
    : []
}

/** The local date `YYYY-MM-DD` of an instant in `zone`. */
function localDate(instant: string, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(instant),
  )
}
