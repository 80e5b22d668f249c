import { useEffect, useRef, useState } from 'preact/hooks'
import type { SeriesConflict } from '../shared/api-contract'
import type { AdminRescheduleBody } from '../shared/admin-contract'
import { cityOf, wallClockIn } from '../shared/calendar-labels'
import { isActive } from '../shared/booking-status'
import type { Slot } from '../shared/types'
import { formatWallTime, wallTimeMinutes } from '../shared/wall-time'
import { AdminApiError, describeProblem } from './api'
import { dayLabel, wallTime, type AdminBooking } from './bookings-model'
import { Field, fieldA11y } from './form-parts'
import type { FreeSlots } from './NewBookingForm'

/*
 * The owner moves a booking from its card: a new local date and time in the resource's
 * zone (any time, the day's free ones offered as quick picks), and for a date of a series,
 * this date only or this date and every later one (the series' own route, which moves the
 * dates after it by the same weekday shift to the same wall time, all or none).
 */

/** Which route the move takes: the booking's own, or its series' (this date and the later ones). */
export type MoveScope = 'one' | 'series'

export interface MoveHandlers {
  /** The day's free times of the booking's resource, read in its zone. */
  freeSlots: FreeSlots
  /** The series' dates still to come before this one: the series route would move them too. */
  earlierSeriesDates: (booking: AdminBooking) => Promise<AdminBooking[]>
  /** Moves, says so on the page and reloads; rejects with the API's refusal. */
  move: (booking: AdminBooking, scope: MoveScope, body: AdminRescheduleBody) => Promise<void>
}

/** The console's inputs fill their row; a radio keeps its own size, its label the touch target. */
const RADIO = { width: '20px', height: '20px', minHeight: 0, flex: 'none' }
const CHOICE = { minHeight: '44px' }

const CONFLICT_WORDS: Record<SeriesConflict['reason'], string> = {
  taken: 'already booked',
  held: 'a guest is booking it right now',
  closed: 'outside your opening hours',
}

/** A booking the owner may still move: pending or confirmed, not yet over, and not a part of a combined one. */
export function canMove(booking: Pick<AdminBooking, 'status' | 'end' | 'partOf'>, now: number): boolean {
  return isActive(booking.status) && Date.parse(booking.end) > now && !booking.partOf
}

/**
 * The instant a wall time (minutes after midnight) of `date` reads in `zone`. The offset is
 * read twice: on a day the clocks change, midnight's offset is not the one at that time.
 */
export function instantIn(date: string, minutes: number, zone: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  const wall = Date.UTC(year, month - 1, day) + minutes * 60_000
  const offsetAt = (ms: number) => {
    const c = wallClockIn(ms, zone)
    return Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) - Math.floor(ms / 1000) * 1000
  }
  return wall - offsetAt(wall - offsetAt(wall))
}

/** "Wed 9 Dec, 11:00": an instant as the resource's zone reads it. */
export function whenWords(iso: string, zone: string, locale?: string): string {
  const wall = wallTime(Date.parse(iso), zone)
  return `${dayLabel(wall.date, locale, 'short')}, ${formatWallTime(wall.minute)}`
}

/** "Moved Z93XE6GQ to Wed 9 Dec, 11:00". */
export function bookingMovedWords(ref: string, start: string, zone: string, locale?: string): string {
  return `Moved ${ref} to ${whenWords(start, zone, locale)}`
}

/** "Moved 3 dates of series E213MXNR, from Wed 9 Dec, 11:00"; a series already there moves nothing. */
export function seriesMovedWords(name: string, moved: number, start: string, zone: string, locale?: string): string {
  if (moved === 0) return `Series ${name} already was at ${whenWords(start, zone, locale)}: nothing moved`
  return `Moved ${moved === 1 ? '1 date' : `${moved} dates`} of series ${name}, from ${whenWords(start, zone, locale)}`
}

export interface MoveActionProps {
  booking: AdminBooking
  /** The booking's resource's zone: the form's date and time are read in it. */
  zone: string
  locale?: string
  now: number
  disabled?: boolean
  handlers: MoveHandlers
}

/**
 * "Move…", then the form in place of the button, prefilled with the booking's own local
 * date and time. A refusal keeps what was typed, with the reason (and a series' dates that
 * are not free) beside it; Esc or "Keep the time" closes it, the focus back on "Move…".
 */
export function MoveAction({ booking, zone, locale, now, disabled, handlers }: MoveActionProps) {
  const [open, setOpen] = useState(false)
  const opener = useRef<HTMLButtonElement>(null)
  const wasOpen = useRef(false)
  useEffect(() => {
    if (!open && wasOpen.current) opener.current?.focus()
    wasOpen.current = open
  }, [open])
  if (!canMove(booking, now)) return null
  if (!open)
    return (
      <button type="button" ref={opener} disabled={disabled} onClick={() => setOpen(true)}>
        Move…
      </button>
    )
  return (
    <MoveForm
      booking={booking}
      zone={zone}
      locale={locale}
      now={now}
      handlers={handlers}
      onClose={() => setOpen(false)}
    />
  )
}

function MoveForm({
  booking,
  zone,
  locale,
  now,
  handlers,
  onClose,
}: Omit<MoveActionProps, 'disabled'> & { onClose: () => void }) {
  const current = wallTime(Date.parse(booking.start), zone)
  const [date, setDate] = useState(current.date)
  const [time, setTime] = useState(formatWallTime(current.minute))
  const [scope, setScope] = useState<MoveScope>('one')
  const [slots, setSlots] = useState<Slot[] | undefined>(undefined)
  const [slotsError, setSlotsError] = useState<string | undefined>(undefined)
  // undefined while asked; the series' earlier dates still to come once known.
  const [earlier, setEarlier] = useState<AdminBooking[] | undefined>(undefined)
  const [errors, setErrors] = useState<{ date?: string; time?: string }>({})
  const [problem, setProblem] = useState<string | undefined>(undefined)
  const [conflicts, setConflicts] = useState<SeriesConflict[]>([])
  const [busy, setBusy] = useState(false)
  const dateField = useRef<HTMLInputElement>(null)
  const request = useRef(0)
  const id = (part: string) => `move-${booking.id}-${part}`
  const series = booking.seriesRef ?? booking.seriesId
  const inSeries = booking.seriesId !== undefined

  useEffect(() => dateField.current?.focus(), [])
  useEffect(() => {
    if (!inSeries) return
    handlers.earlierSeriesDates(booking).then(setEarlier, () => setEarlier([]))
  }, [])
  useEffect(() => {
    if (!date) return
    // Only the latest day counts: a slow answer for the previous one must not replace it.
    const mine = ++request.current
    setSlots(undefined)
    setSlotsError(undefined)
    // Times with room for the booking's places: a 3-place class booking moves only where 3 are free.
    handlers.freeSlots(booking.resourceId, date, zone, booking.seats ?? 1).then(
      (found) => mine === request.current && setSlots(found),
      (e: unknown) => mine === request.current && setSlotsError(e instanceof Error ? e.message : String(e)),
    )
  }, [date])

  // The series route moves every date from the series' next one: offered only from that date.
  const seriesOffered = inSeries && earlier !== undefined && earlier.length === 0
  const clock = (iso: string) => formatWallTime(wallTime(Date.parse(iso), zone).minute)
  const picks = (slots ?? []).filter((s) => wallTime(Date.parse(s.start), zone).date === date)

  const submit = async (event: Event) => {
    event.preventDefault()
    setProblem(undefined)
    setConflicts([])
    const minutes = wallTimeMinutes(time)
    const found: { date?: string; time?: string } = {}
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) found.date = 'Choose a date.'
    if (minutes === undefined || minutes >= 1440) found.time = 'Enter a time as HH:MM, e.g. 11:00.'
    const start = found.date || found.time ? undefined : instantIn(date, minutes!, zone)
    if (start !== undefined && start <= now) found.time = 'Choose a time still to come.'
    setErrors(found)
    if (start === undefined || found.time) return
    setBusy(true)
    try {
      await handlers.move(booking, seriesOffered && scope === 'series' ? 'series' : 'one', {
        start: new Date(start).toISOString(),
      })
      onClose()
    } catch (e) {
      setProblem(describeProblem(e))
      setConflicts(conflictsOf(e))
      setBusy(false)
    }
  }

  return (
    // A whole row of the card's actions, so the form reads on a phone.
    <form
      class="bk-move"
      aria-labelledby={id('title')}
      style={{ flexBasis: '100%', minWidth: 0 }}
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !busy) {
          e.preventDefault()
          onClose()
        }
      }}
    >
      <p id={id('title')}>
        <strong>
          Move <code>{booking.ref}</code>
        </strong>{' '}
        to a new date and time, in {cityOf(zone)} time. You may leave your opening hours, but not overlap another
        booking; the guest is told.
      </p>
      <div class="grid">
        <Field id={id('date')} label="New date" error={errors.date} help={`The day in ${cityOf(zone)}.`}>
          <input
            ref={dateField}
            type="date"
            {...fieldA11y(id('date'), errors.date)}
            value={date}
            required
            onInput={(e) => setDate((e.currentTarget as HTMLInputElement).value)}
          />
        </Field>
        <Field
          id={id('time')}
          label="New time"
          error={errors.time}
          help={`${cityOf(zone)} time; any time, not only the free ones.`}
        >
          <input
            type="time"
            {...fieldA11y(id('time'), errors.time)}
            value={time}
            required
            onInput={(e) => setTime((e.currentTarget as HTMLInputElement).value)}
          />
        </Field>
      </div>
      <div role="group" aria-labelledby={id('picks')}>
        <p id={id('picks')} class="help">
          {slotsError
            ? `Could not load the free times: ${slotsError}`
            : slots === undefined
              ? 'Loading the free times…'
              : picks.length === 0
                ? `No free times on ${date ? dayLabel(date, locale) : 'that day'}; any time you type is tried.`
                : `Free times on ${dayLabel(date, locale)}:`}
        </p>
        {picks.length > 0 && (
          <div class="row">
            {picks.map((s) => (
              <button
                key={s.start}
                type="button"
                aria-pressed={clock(s.start) === time}
                onClick={() => setTime(clock(s.start))}
              >
                {clock(s.start)}
              </button>
            ))}
          </div>
        )}
      </div>
      {inSeries && (
        <fieldset>
          <legend>Which dates of series {series}</legend>
          <div class="choices">
            <label class="check" style={CHOICE}>
              <input
                type="radio"
                style={RADIO}
                name={id('scope')}
                checked={scope === 'one' || !seriesOffered}
                onChange={() => setScope('one')}
              />
              Only this date
            </label>
            <label class="check" style={CHOICE}>
              <input
                type="radio"
                style={RADIO}
                name={id('scope')}
                aria-describedby={id('scope-help')}
                checked={seriesOffered && scope === 'series'}
                disabled={!seriesOffered}
                onChange={() => setScope('series')}
              />
              This date and every later one
            </label>
          </div>
          <p id={id('scope-help')} class="help">
            {earlier === undefined
              ? 'Looking for the series’ earlier dates…'
              : seriesOffered
                ? 'Every later date keeps the weekday shift and the time of this one: it moves by the same number of days, to the same new time. Each must be free and in your opening hours, or none moves.'
                : `Only from the series’ next date (${whenWords(earlier[0]!.start, zone, locale)}) do the later dates move together.`}
          </p>
        </fieldset>
      )}
      {problem && (
        <div class="error" role="alert" id={id('problem')}>
          <p style={{ whiteSpace: 'pre-line' }}>{problem}</p>
          {conflicts.length > 0 && (
            <ul aria-label="Dates not free">
              {conflicts.map((c) => (
                <li key={c.start}>
                  {whenWords(c.start, zone, locale)}: {CONFLICT_WORDS[c.reason] ?? c.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Moving…' : 'Move'}
        </button>
        <button type="button" disabled={busy} onClick={onClose}>
          Keep the time
        </button>
      </div>
    </form>
  )
}

/** A series refusal's dates that are not free (`details.conflicts`); none for anything else. */
function conflictsOf(error: unknown): SeriesConflict[] {
  if (!(error instanceof AdminApiError)) return []
  const details = error.details
  return details && typeof details === 'object' && 'conflicts' in details && Array.isArray(details.conflicts)
    ? (details.conflicts as SeriesConflict[])
    : []
}
