import { useEffect, useRef, useState } from 'preact/hooks'
import type { CreatedBooking, CreatedSeries, SeriesConflict } from '../shared/api-contract'
import { cityOf, todayIn } from '../shared/calendar-labels'
import type { AdminResource, AvailabilityResponse, Slot } from '../shared/types'
import { formatWallTime } from '../shared/wall-time'
import type { AdminBookingBody } from '../shared/admin-contract'
import { languageOf } from '../shared/languages'
import { placesPerBooking } from '../shared/resource-config'
import { AdminApiError, ownerRoutes, type AdminApi } from './api'
import { dayLabel, wallTime } from './bookings-model'
import { Field, FIX_FIELDS, fieldA11y } from './form-parts'

/** A day's free slots of a resource with room for `seats` places, read in `zone` (the resource's own). */
export type FreeSlots = (resourceId: string, date: string, zone: string, seats: number) => Promise<Slot[]>

export interface NewBookingFormProps {
  api: AdminApi
  resources: AdminResource[]
  /** The resource the bookings view shows, preselected; empty for "all resources". */
  resourceId?: string
  locale?: string
  /** The clock "today" is read by. */
  now?: () => number
  /** Where the day's free times come from; the public availability of this server unless a test says otherwise. */
  freeSlots?: FreeSlots
  /** After a booking: the list behind the form reloads. */
  onBooked: () => void | Promise<void>
  onClose: () => void
}

/** The languages guests' messages are written in, by their own names. */
const LANGUAGES = [
  { value: 'en', label: 'English' },
  { value: 'de', label: 'Deutsch' },
  { value: 'es', label: 'Español' },
] as const

const REPEATS = [
  { value: 0, label: 'Does not repeat' },
  { value: 1, label: 'Every week' },
  { value: 2, label: 'Every 2 weeks' },
  { value: 4, label: 'Every 4 weeks' },
] as const

const MIN_DATES = 2
const MAX_DATES = 52

type Mode = NonNullable<AdminBookingBody['mode']>
type FieldName = 'resource' | 'date' | 'time' | 'places' | 'name' | 'email' | 'phone' | 'notes' | 'dates'

/** Where the API's field paths show in the form. */
const FIELD_OF: Record<string, FieldName> = {
  resourceId: 'resource',
  start: 'time',
  end: 'time',
  seats: 'places',
  'guest.name': 'name',
  'guest.email': 'email',
  'guest.phone': 'phone',
  notes: 'notes',
  'repeat.occurrences': 'dates',
}

/** Refusals after which the day's free times have changed. */
const TIME_GONE = new Set(['slot_taken', 'slot_held', 'outside_availability'])

const CONFLICT_WORDS: Record<SeriesConflict['reason'], string> = {
  taken: 'already booked',
  held: 'a guest is booking it right now',
  closed: 'closed at that time',
}

/**
 * The owner books for a guest (a call, a walk-in): one of a resource's free times on a day,
 * once or every few weeks, confirmed at once and emailed to the guest in their language. A
 * refusal keeps everything typed; a series refused for taken dates lists them.
 */
export function NewBookingForm({
  api,
  resources,
  resourceId: shown = '',
  locale,
  now = Date.now,
  freeSlots = publicFreeSlots,
  onBooked,
  onClose,
}: NewBookingFormProps) {
  // A span (pickup and return) has no slots to choose from; an inactive resource takes no bookings.
  const bookable = resources.filter((r) => r.isActive && !r.config.span)
  const [resourceId, setResourceId] = useState(
    () => (bookable.some((r) => r.id === shown) ? shown : bookable[0]?.id) ?? '',
  )
  const resource = bookable.find((r) => r.id === resourceId)
  const zone = resource?.timezone ?? 'UTC'
  /** Places one booking may take; a resource of one place asks none. */
  const placesLimit = resource ? placesPerBooking(resource.config) : 1
  const [places, setPlaces] = useState('1')
  /** The places the free times were last asked for: the last valid number typed. */
  const [seats, setSeats] = useState(1)
  const [date, setDate] = useState(() => todayIn(zone, new Date(now())))
  const [slots, setSlots] = useState<Slot[] | undefined>(undefined)
  const [slotsError, setSlotsError] = useState<string | undefined>(undefined)
  const [start, setStart] = useState('')
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [phone, setPhone] = useState('')
  // The guests of a studio that works in German mostly read German: start from the console's language.
  const [language, setLanguage] = useState<string>(() => languageOf(locale))
  const [notes, setNotes] = useState('')
  const [everyWeeks, setEveryWeeks] = useState(0)
  const [dates, setDates] = useState('4')
  const [mode, setMode] = useState<Mode>('all_or_nothing')
  const [busy, setBusy] = useState(false)
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({})
  const [formError, setFormError] = useState<string | undefined>(undefined)
  const [conflicts, setConflicts] = useState<SeriesConflict[]>([])
  const [result, setResult] = useState<string | undefined>(undefined)
  const request = useRef(0)
  const heading = useRef<HTMLHeadingElement>(null)
  const nameField = useRef<HTMLInputElement>(null)
  const resultLine = useRef<HTMLParagraphElement>(null)

  useEffect(() => heading.current?.focus(), [])
  const loadSlots = () => {
    if (!resource || !date) return
    // Only the latest day counts: a slow answer for the previous one must not replace it.
    const mine = ++request.current
    setSlots(undefined)
    setSlotsError(undefined)
    freeSlots(resource.id, date, zone, seats).then(
      (found) => {
        if (mine !== request.current) return
        setSlots(found)
        setStart((chosen) => (found.some((s) => s.start === chosen) ? chosen : ''))
      },
      (e: unknown) => {
        if (mine === request.current) setSlotsError(e instanceof Error ? e.message : String(e))
      },
    )
  }
  useEffect(loadSlots, [resourceId, date, seats])
  useEffect(() => {
    if (result) resultLine.current?.focus()
  }, [result])

  const slot = slots?.find((s) => s.start === start)
  const repeating = everyWeeks > 0
  const clock = (iso: string) => formatWallTime(wallTime(Date.parse(iso), zone).minute)

  /** What the form can tell before asking: the required fields are there. */
  const check = (): Partial<Record<FieldName, string>> => {
    const found: Partial<Record<FieldName, string>> = {}
    if (!resource) found.resource = 'Choose a resource.'
    if (!date) found.date = 'Choose a date.'
    else if (!slot) found.time = 'Choose one of the free times.'
    if (!validPlaces(places, placesLimit)) found.places = `A number from 1 to ${placesLimit}.`
    if (!name.trim()) found.name = 'Enter the guest’s name.'
    if (!email.trim()) found.email = 'Enter the guest’s email: the confirmation goes there.'
    const count = Number(dates)
    if (repeating && !(Number.isInteger(count) && count >= MIN_DATES && count <= MAX_DATES))
      found.dates = `A number from ${MIN_DATES} to ${MAX_DATES}.`
    return found
  }

  const submit = async (e: Event) => {
    e.preventDefault()
    setFormError(undefined)
    setConflicts([])
    const found = check()
    setErrors(found)
    if (Object.keys(found).length > 0 || !resource || !slot) {
      setFormError(FIX_FIELDS)
      return
    }
    const body: AdminBookingBody = {
      resourceId: resource.id,
      start: slot.start,
      end: slot.end,
      ...(seats > 1 ? { seats } : {}),
      guest: { name: name.trim(), email: email.trim(), ...(phone.trim() ? { phone: phone.trim() } : {}) },
      locale: language,
      ...(notes.trim() ? { notes: notes.trim() } : {}),
      ...(repeating ? { repeat: { everyWeeks, occurrences: Number(dates) }, mode } : {}),
    }
    setBusy(true)
    try {
      const made = await ownerRoutes(api).createBooking(body)
      setResult(resultWords(made, name.trim(), email.trim(), zone, locale))
      await onBooked()
    } catch (error) {
      const refused = readRefusal(error)
      setErrors(refused.fields)
      setConflicts(refused.conflicts)
      setFormError(refused.message)
      // The one time asked for went to someone else: show what is free now (a kept choice stays).
      if (!repeating && error instanceof AdminApiError && TIME_GONE.has(error.code)) loadSlots()
    } finally {
      setBusy(false)
    }
  }

  /** The same resource, day and time, for the next guest. */
  const another = () => {
    setResult(undefined)
    setName('')
    setEmail('')
    setPhone('')
    setNotes('')
    setErrors({})
    // The booked time is gone from the day: ask again.
    loadSlots()
    setTimeout(() => nameField.current?.focus())
  }

  const input = (set: (value: string) => void) => (e: Event) => set((e.currentTarget as HTMLInputElement).value)

  return (
    <section aria-labelledby="new-booking-title" class="bk-new">
      <h2 id="new-booking-title" tabIndex={-1} ref={heading}>
        New booking
      </h2>
      {result ? (
        <>
          <p class="ok" role="status" tabIndex={-1} ref={resultLine}>
            {result}
          </p>
          <div class="row">
            <button type="button" class="primary" onClick={another}>
              Book another
            </button>
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      ) : bookable.length === 0 ? (
        <>
          <p class="muted">Add a resource first: bookings are made for one of its free times.</p>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </>
      ) : (
        <form class="resource-form" noValidate onSubmit={(e) => void submit(e)}>
          <p class="muted">
            Confirmed at once, with no payment online: settle it with the guest. The guest is emailed the confirmation
            and a link to change or cancel it.
          </p>
          <fieldset>
            <legend>When</legend>
            <div class="grid">
              <Field id="nb-resource" label="Resource" error={errors.resource} help="What the guest books.">
                <select
                  {...fieldA11y('nb-resource', errors.resource)}
                  value={resourceId}
                  onChange={input((value) => {
                    setResourceId(value)
                    setPlaces('1')
                    setSeats(1)
                  })}
                >
                  {bookable.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                    </option>
                  ))}
                </select>
              </Field>
              <Field id="nb-date" label="Date" error={errors.date} help={`The day in ${cityOf(zone)}.`}>
                <input
                  type="date"
                  {...fieldA11y('nb-date', errors.date)}
                  value={date}
                  onChange={input((value) => value && setDate(value))}
                />
              </Field>
              <Field
                id="nb-time"
                label="Time"
                error={errors.time}
                help={
                  slotsError
                    ? `Could not load the free times: ${slotsError}`
                    : slots === undefined
                      ? 'Loading the free times…'
                      : slots.length === 0
                        ? `No free times on ${dayLabel(date, locale)}: choose another day.`
                        : `Free times on ${dayLabel(date, locale)}, in ${cityOf(zone)} time.`
                }
              >
                <select
                  {...fieldA11y('nb-time', errors.time)}
                  value={start}
                  disabled={!slots || slots.length === 0}
                  onChange={input(setStart)}
                >
                  <option value="">{slots && slots.length === 0 ? 'No free times' : 'Choose a time'}</option>
                  {(slots ?? []).map((s) => (
                    <option key={s.start} value={s.start}>
                      {clock(s.start)}
                      {s.seatsLeft !== undefined ? ` (${s.seatsLeft} left)` : ''}
                    </option>
                  ))}
                </select>
              </Field>
              {placesLimit > 1 && (
                <Field
                  id="nb-places"
                  label="Places"
                  error={errors.places}
                  help={`1 to ${placesLimit} places in one booking.`}
                >
                  <input
                    type="number"
                    inputMode="numeric"
                    min={1}
                    max={placesLimit}
                    {...fieldA11y('nb-places', errors.places)}
                    value={places}
                    onInput={input((value) => {
                      setPlaces(value)
                      // Only a number the booking may take asks for the day's times again.
                      if (validPlaces(value, placesLimit)) setSeats(Number(value))
                    })}
                  />
                </Field>
              )}
            </div>
          </fieldset>
          <fieldset>
            <legend>Guest</legend>
            <div class="grid">
              <Field id="nb-name" label="Guest name" error={errors.name} help="As the guest gives it.">
                <input
                  ref={nameField}
                  {...fieldA11y('nb-name', errors.name)}
                  value={name}
                  maxLength={200}
                  autoComplete="off"
                  onInput={input(setName)}
                />
              </Field>
              <Field id="nb-email" label="Email" error={errors.email} help="The confirmation and manage link go here.">
                <input
                  type="email"
                  {...fieldA11y('nb-email', errors.email)}
                  value={email}
                  maxLength={320}
                  autoComplete="off"
                  onInput={input(setEmail)}
                />
              </Field>
              <Field
                id="nb-phone"
                label="Phone (optional)"
                error={errors.phone}
                help="With the country code, e.g. +34 612 345 678."
              >
                <input
                  type="tel"
                  {...fieldA11y('nb-phone', errors.phone)}
                  value={phone}
                  maxLength={40}
                  autoComplete="off"
                  onInput={input(setPhone)}
                />
              </Field>
              <Field
                id="nb-language"
                label="Language for messages"
                error={undefined}
                help="The guest’s emails are written in it."
              >
                <select {...fieldA11y('nb-language', undefined)} value={language} onChange={input(setLanguage)}>
                  {LANGUAGES.map((l) => (
                    <option key={l.value} value={l.value} lang={l.value}>
                      {l.label}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            <Field id="nb-notes" label="Notes (optional)" error={errors.notes} help="Shown with the booking.">
              <textarea
                {...fieldA11y('nb-notes', errors.notes)}
                value={notes}
                rows={2}
                maxLength={2000}
                onInput={input(setNotes)}
              />
            </Field>
          </fieldset>
          <fieldset>
            <legend>Repeat</legend>
            <div class="grid">
              <Field id="nb-repeat" label="Repeat" error={undefined} help="The same time on the same weekday.">
                <select
                  {...fieldA11y('nb-repeat', undefined)}
                  value={String(everyWeeks)}
                  onChange={input((value) => setEveryWeeks(Number(value)))}
                >
                  {REPEATS.map((r) => (
                    <option key={r.value} value={String(r.value)}>
                      {r.label}
                    </option>
                  ))}
                </select>
              </Field>
              {repeating && (
                <Field
                  id="nb-dates"
                  label="Number of dates"
                  error={errors.dates}
                  help={`The first included, ${MIN_DATES} to ${MAX_DATES}.`}
                >
                  <input
                    type="number"
                    inputMode="numeric"
                    min={MIN_DATES}
                    max={MAX_DATES}
                    {...fieldA11y('nb-dates', errors.dates)}
                    value={dates}
                    onInput={input(setDates)}
                  />
                </Field>
              )}
            </div>
            {repeating && (
              <div class="choices" role="radiogroup" aria-label="When a date is taken">
                <label class="check">
                  <input
                    type="radio"
                    name="nb-mode"
                    checked={mode === 'all_or_nothing'}
                    onChange={() => setMode('all_or_nothing')}
                  />
                  Only if all dates are free
                </label>
                <label class="check">
                  <input
                    type="radio"
                    name="nb-mode"
                    checked={mode === 'skip_conflicts'}
                    onChange={() => setMode('skip_conflicts')}
                  />
                  Book the free dates, skip the rest
                </label>
              </div>
            )}
          </fieldset>
          {formError && (
            <div class="error" role="alert">
              <p>{formError}</p>
              {conflicts.length > 0 && (
                <ul aria-label="Dates not free">
                  {conflicts.map((c) => (
                    <li key={c.start}>
                      {dayLabel(c.date, locale, 'short')}, {clock(c.start)}: {CONFLICT_WORDS[c.reason]}
                    </li>
                  ))}
                </ul>
              )}
              {conflicts.length > 0 && mode === 'all_or_nothing' && (
                <p>Nothing was booked. Choose “Book the free dates, skip the rest” to book the others.</p>
              )}
            </div>
          )}
          <div class="row">
            <button type="submit" class="primary" disabled={busy}>
              {busy ? 'Booking…' : repeating ? 'Book the dates' : 'Book'}
            </button>
            <button type="button" disabled={busy} onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  )
}

/**
 * "Booked 7K3QX2MD for Ana García, Mon 6 Apr, 10:00 — confirmation emailed to ana@example.com";
 * a series names how many of its dates were booked and which were skipped.
 */
export function resultWords(
  made: CreatedBooking | CreatedSeries,
  guest: string,
  email: string,
  zone: string,
  locale?: string,
): string {
  const when = (iso: string) => {
    const wall = wallTime(Date.parse(iso), zone)
    return `${dayLabel(wall.date, locale, 'short')}, ${formatWallTime(wall.minute)}`
  }
  const emailed = ` — confirmation emailed to ${email}`
  // The places as the server booked them, not as the form asked.
  const seats = 'booking' in made ? made.booking.seats : made.series.bookings[0]?.seats
  const placesWords = seats !== undefined && seats > 1 ? ` (${seats} places)` : ''
  if ('booking' in made)
    return `Booked ${made.booking.ref}${placesWords} for ${guest}, ${when(made.booking.start)}${emailed}`
  const { series } = made
  const booked = series.bookings.length
  const total = booked + series.skipped.length
  const first = series.bookings[0]
  const from = first ? `, from ${when(first.start)}` : ''
  const skipped =
    series.skipped.length > 0 ? `; skipped: ${series.skipped.map((s) => shortDate(s.date, locale)).join(', ')}` : ''
  return `Booked ${booked} of ${total} dates (series ${series.ref})${placesWords} for ${guest}${from}${skipped}${emailed}`
}

/** "20 Apr": a local date without its weekday. */
function shortDate(date: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'short' }).format(
    new Date(`${date}T00:00:00Z`),
  )
}

/** What a refused booking says: its message, the fields it names, and a series' dates that are not free. */
function readRefusal(error: unknown): {
  message: string
  fields: Partial<Record<FieldName, string>>
  conflicts: SeriesConflict[]
} {
  if (!(error instanceof AdminApiError)) return { message: String(error), fields: {}, conflicts: [] }
  const fields: Partial<Record<FieldName, string>> = {}
  const unplaced: string[] = []
  const details = error.details
  if (Array.isArray(details))
    for (const d of details as { path?: string; message?: string }[]) {
      const field = FIELD_OF[d.path ?? '']
      if (field && d.message) fields[field] = d.message
      else if (d.message) unplaced.push(d.path ? `${d.path}: ${d.message}` : d.message)
    }
  const conflicts =
    details && typeof details === 'object' && 'conflicts' in details && Array.isArray(details.conflicts)
      ? (details.conflicts as SeriesConflict[])
      : []
  const placed = Object.keys(fields).length > 0
  const message = [placed && unplaced.length === 0 ? FIX_FIELDS : error.message, ...unplaced].join('\n')
  return { message, fields, conflicts }
}

/** Whether `typed` is a whole number of places one booking may take. */
function validPlaces(typed: string, limit: number): boolean {
  const count = Number(typed)
  return typed.trim() !== '' && Number.isInteger(count) && count >= 1 && count <= limit
}

/** `GET /v1/resources/:id/availability` for one day, read in `zone`: the slots with room for `seats` places. */
export async function publicFreeSlots(resourceId: string, date: string, zone: string, seats: number): Promise<Slot[]> {
  const query = new URLSearchParams({ from: date, to: date, tz: zone })
  if (seats > 1) query.set('seats', String(seats))
  let response: Response
  try {
    response = await fetch(`/v1/resources/${encodeURIComponent(resourceId)}/availability?${query.toString()}`)
  } catch {
    throw new Error('Could not reach the server. Check your connection and try again.')
  }
  const json = (await response.json().catch(() => undefined)) as
    (AvailabilityResponse & { error?: { message?: string } }) | undefined
  if (!response.ok) throw new Error(json?.error?.message ?? `HTTP ${response.status}`)
  return json?.days.find((d) => d.date === date)?.slots ?? []
}
