import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { WaitlistJoinRequestBody } from '../../shared/api-contract'
import { todayIn } from '../../shared/calendar-labels'
import { errorText, fieldErrorsFrom } from '../error-text'
import { formatDayLabel, formatSlotTime, formatZoneName } from '../format-time'
import type { FieldErrors } from '../guest-fields'
import type { Messages } from '../i18n'
import type { BookingState } from '../state'
import { hoursOf, instantAt, minutesOfDay, timeChoices } from '../waitlist-window'

type JoinField = 'name' | 'email' | 'phone'
const JOIN_FIELDS: readonly JoinField[] = ['name', 'email', 'phone']

export interface WaitlistJoinProps {
  state: BookingState
  /** The fully booked day (`YYYY-MM-DD`), read in the resource's zone. */
  date: string
  /** Back to the day's times. */
  onClose: () => void
}

/**
 * The waitlist form of a fully booked day: who the guest is, how many places, and whether
 * any time that day suits or only a stretch of it (in the resource's local time). Sent, it
 * says where the offer will be emailed. The browser's own bubbles would speak the browser's
 * language, so the form checks itself and shows reasons under the fields, as the booking form does.
 */
export function WaitlistJoin({ state, date, onClose }: WaitlistJoinProps) {
  const { t, locale } = state
  const resource = state.resource.value
  const zone = resource?.timezone ?? state.zone.value
  const [draft, setDraft] = useState<Record<JoinField, string>>({ name: '', email: '', phone: '' })
  const [seats, setSeats] = useState(state.seats.value)
  const [whole, setWhole] = useState(true)
  const hours = useMemo(() => hoursOf(date, state.slotsByDate.value, zone), [date, zone])
  // On today only the times still ahead can be waited for.
  const earliest = todayIn(zone, state.now()) === date ? minutesOfDay(state.now().getTime(), zone) : 0
  const choices = useMemo(() => timeChoices(hours, earliest), [hours, earliest])
  const [from, setFrom] = useState(choices.starts[0] ?? 0)
  const [until, setUntil] = useState(choices.ends.at(-1) ?? 1440)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [notice, setNotice] = useState<string | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const [joinedAs, setJoinedAs] = useState<{ email: string; position: number | null } | undefined>(undefined)
  const heading = useRef<HTMLHeadingElement>(null)
  const form = useRef<HTMLFormElement>(null)
  useEffect(() => heading.current?.focus(), [joinedAs])
  useEffect(() => {
    if (Object.keys(errors).length > 0) form.current?.querySelector<HTMLElement>('[aria-invalid=true]')?.focus()
  }, [errors])

  const day = formatDayLabel(date, locale, true)
  /** A choice's wall time as the guest's locale writes it ("5:00 PM", "17:00"). */
  const clock = (minutes: number) => formatSlotTime(instantAt(date, minutes, zone), zone, locale)
  if (joinedAs) {
    return (
      <div class="done" role="status">
        <h3 ref={heading} tabIndex={-1}>
          {t.waitlist.joined}
        </h3>
        <p>{day}</p>
        <p>{t.waitlist.joinedText(joinedAs.email)}</p>
        {joinedAs.position !== null && <p>{t.waitlist.position(joinedAs.position)}</p>}
        <div class="actions">
          <button type="button" onClick={onClose}>
            {t.back}
          </button>
        </div>
      </div>
    )
  }

  const maxSeats = resource?.capacity && resource.capacity > 1 ? (resource.maxSeatsPerBooking ?? 1) : 1
  const update = (field: JoinField, value: string) => {
    setDraft((current) => ({ ...current, [field]: value }))
    // An edited field's refusal goes, as in the booking form.
    if (errors[field]) setErrors((current) => Object.fromEntries(Object.entries(current).filter(([f]) => f !== field)))
  }

  const onSubmit = async (event: Event) => {
    event.preventDefault()
    if (busy) return
    const invalid = invalidFields(event.currentTarget as HTMLFormElement, t)
    if (Object.keys(invalid).length > 0) {
      setNotice(t.checkFields)
      return setErrors(invalid)
    }
    const guest: WaitlistJoinRequestBody['guest'] = { name: draft.name.trim(), email: draft.email.trim() }
    // Sent as typed: the server knows the resource's country and normalises it.
    if (draft.phone.trim()) guest.phone = draft.phone.trim()
    const window: Pick<WaitlistJoinRequestBody, 'kind' | 'start' | 'end' | 'date'> = whole
      ? { date }
      : { kind: 'range', start: instantAt(date, from, zone), end: instantAt(date, until, zone) }
    const several = (resource?.durations?.length ?? 0) > 1
    setBusy(true)
    setNotice(undefined)
    const result = await state.joinWaitlist({
      resourceId: resource?.id ?? '',
      ...window,
      ...(several && state.activeDuration.value !== undefined ? { duration: state.activeDuration.value } : {}),
      ...(seats > 1 ? { seats } : {}),
      guest,
      locale,
      timezone: state.zone.value,
    })
    setBusy(false)
    if (result.data) return setJoinedAs({ email: result.data.entry.guest.email, position: result.data.entry.position })
    const refused = result.error.code === 'invalid_request' ? fieldErrorsFrom(result.error.details, t) : {}
    if (Object.keys(refused).length > 0) {
      setNotice(t.checkFields)
      return setErrors(refused)
    }
    setNotice(errorText(t, result.error.code))
  }

  const field = (name: JoinField, label: string, extra: Record<string, unknown>) => {
    const id = `waitlist-${name}`
    const error = errors[name]
    return (
      <div class="field">
        <label for={id}>{label}</label>
        <input
          id={id}
          name={name}
          value={draft[name]}
          onInput={(event) => update(name, (event.currentTarget as HTMLInputElement).value)}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          {...extra}
        />
        {error && (
          <span class="field-error" id={`${id}-error`}>
            {error}
          </span>
        )}
      </div>
    )
  }

  return (
    <form class="details" ref={form} noValidate onSubmit={(event) => void onSubmit(event)}>
      <h3 ref={heading} tabIndex={-1}>
        {t.waitlist.join}: {day}
      </h3>
      {notice && (
        <p class="notice" role="alert">
          {notice}
        </p>
      )}
      {field('name', t.name, { type: 'text', required: true, maxLength: 200, autoComplete: 'name' })}
      {field('email', t.email, {
        type: 'email',
        inputMode: 'email',
        required: true,
        maxLength: 254,
        autoComplete: 'email',
      })}
      {field('phone', t.phone, { type: 'tel', inputMode: 'tel', maxLength: 32, autoComplete: 'tel' })}
      {maxSeats > 1 && (
        <div class="field">
          <label for="waitlist-seats">{t.seats}</label>
          <select id="waitlist-seats" value={seats} onChange={(e) => setSeats(Number(e.currentTarget.value))}>
            {Array.from({ length: maxSeats }, (_, i) => (
              <option value={i + 1} key={i}>
                {t.places(i + 1)}
              </option>
            ))}
          </select>
        </div>
      )}
      <fieldset class="field q">
        <legend>{t.waitlist.when}</legend>
        <div class="opts">
          <label class="choice">
            <input type="radio" name="waitlist-when" checked={whole} onChange={() => setWhole(true)} />
            {t.waitlist.anyTime}
          </label>
          <label class="choice">
            <input type="radio" name="waitlist-when" checked={!whole} onChange={() => setWhole(false)} />
            {t.waitlist.between}
          </label>
        </div>
        {!whole && (
          <div class="inline">
            <TimeSelect label={t.waitlist.from} times={choices.starts} value={from} onPick={pickFrom} clock={clock} />
            <TimeSelect
              label={t.waitlist.until}
              times={choices.ends.filter((m) => m > from)}
              value={until}
              onPick={setUntil}
              clock={clock}
            />
          </div>
        )}
        <span class="muted">{formatZoneName(zone, locale)}</span>
      </fieldset>
      {resource?.waitlist && <p class="muted">{t.waitlist.keptFor(resource.waitlist.offerMinutes)}</p>}
      <div class="actions">
        <button type="button" onClick={onClose} disabled={busy}>
          {t.back}
        </button>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t.waitlist.joining : t.waitlist.join}
        </button>
      </div>
    </form>
  )

  function pickFrom(minutes: number) {
    setFrom(minutes)
    // The end follows a start moved past it, so the window is never empty.
    if (until <= minutes) setUntil(Math.min(minutes + 60, choices.ends.at(-1) ?? 1440))
  }
}

function TimeSelect(props: {
  label: string
  times: number[]
  value: number
  onPick: (minutes: number) => void
  clock: (minutes: number) => string
}) {
  const id = `waitlist-${props.label}`.replace(/\W+/g, '-')
  return (
    <label for={id} class="grow">
      {props.label}
      <select id={id} value={props.value} onChange={(e) => props.onPick(Number(e.currentTarget.value))}>
        {props.times.map((m) => (
          <option value={m} key={m}>
            {props.clock(m)}
          </option>
        ))}
      </select>
    </label>
  )
}

/** The fields the browser's checks refuse (empty, not an email, too long), in the guest's words. */
function invalidFields(form: HTMLFormElement, t: Messages): FieldErrors {
  const errors: FieldErrors = {}
  for (const name of JOIN_FIELDS) {
    const validity = (form.elements.namedItem(name) as HTMLInputElement | null)?.validity
    if (!validity || validity.valid) continue
    errors[name] = validity.valueMissing
      ? t.fieldError.required
      : validity.typeMismatch
        ? t.fieldError.invalid_email
        : validity.tooLong
          ? t.fieldError.too_long
          : t.fieldError.invalid
  }
  return errors
}
