import { Assigned } from './Assigned'
import { useEffect, useRef } from 'preact/hooks'
import { languageOf } from '../../shared/languages'
import { dueAtBooking } from '../../shared/payment-terms'
import { formatRangeWithZone } from '../format-time'
import { GUEST_FIELDS, type FieldErrors, type GuestField } from '../guest-fields'
import type { Messages } from '../i18n'
import { checkAnswerDrafts } from '../intake-text'
import { withLaterSteps, type LaterState } from '../models/later-steps'
import type { BookingState } from '../state'
import { HoldCountdown } from './HoldCountdown'
import { IntakeQuestions } from './IntakeQuestions'
import { PriceSummary } from './PriceSummary'
import { RepeatChoice, repeatOffered } from './RepeatChoice'

/**
 * The guest's details while their hold runs. Every input reads from and writes to the
 * state's draft on each keystroke, and the countdown is its own component, so nothing that
 * re-renders (the timer, a refetch, an error) can put back an older value. When moving an
 * existing booking there is nothing to type: the held time is confirmed instead.
 */
export function DetailsForm(props: { state: BookingState }) {
  const state = withLaterSteps(props.state)
  const { t, locale } = state
  const hold = state.hold.value
  const heading = useRef<HTMLHeadingElement>(null)
  const form = useRef<HTMLFormElement>(null)
  const shown = state.fieldErrorsShown.value
  useEffect(() => heading.current?.focus(), [])
  // After the server refused fields, the guest lands on the first one to fix.
  useEffect(() => {
    if (shown > 0) form.current?.querySelector<HTMLElement>('[aria-invalid=true]')?.focus()
  }, [shown])
  if (!hold) return null

  const onSubmit = (event: Event) => {
    event.preventDefault()
    if (state.isReschedule) return void state.confirmMove()
    // The browser's own bubbles speak the browser's language, not the widget's: the form
    // checks itself (noValidate) and shows the reasons under the fields like the server's.
    const invalid = invalidFields(event.currentTarget as HTMLFormElement, state.t)
    const intake = checkAnswerDrafts(questions, state.answers.peek(), state.t, locale)
    if (Object.keys(invalid).length + Object.keys(intake.errors).length > 0)
      return state.rejectFields(invalid, intake.errors)
    void state.submitDetails(undefined, intake.answers)
  }
  const busy = state.busy.value
  const resource = state.resource.value
  const questions = resource?.questions ?? []
  const takesPayment = resource !== undefined && dueAtBooking(resource) !== undefined
  return (
    <form class="details" onSubmit={onSubmit} ref={form} noValidate>
      <h3 ref={heading} tabIndex={-1}>
        {formatRangeWithZone(hold, state.zone.value, locale, state.now())}
      </h3>
      {hold.seats !== undefined && hold.seats > 1 && <p>{t.places(hold.seats)}</p>}
      <Assigned state={state} booked={hold} />
      {state.movingFrom && (
        <p class="muted">
          {t.movingFrom(formatRangeWithZone(state.movingFrom, state.zone.value, locale, state.now()))}
        </p>
      )}
      <HoldCountdown t={t} expiresAt={hold.expiresAt} onZero={() => void state.holdExpired()} />
      {!state.isReschedule && <PriceSummary state={state} />}
      {!state.isReschedule && (
        <>
          <Field state={state} field="name" label={t.name} required maxLength={200} autoComplete="name" />
          <Field
            state={state}
            field="email"
            label={t.email}
            required
            maxLength={254}
            autoComplete="email"
            type="email"
            inputMode="email"
          />
          <Field
            state={state}
            field="phone"
            label={t.phone}
            maxLength={32}
            autoComplete="tel"
            type="tel"
            inputMode="tel"
          />
          <Field state={state} field="notes" label={t.notes} maxLength={2000} multiline />
          {questions.length > 0 && (
            <IntakeQuestions state={state} questions={questions} language={languageOf(locale)} />
          )}
          {repeatOffered(state) && <RepeatChoice state={state} />}
        </>
      )}
      <div class="actions">
        <button type="button" onClick={() => void state.backToSlots()} disabled={busy}>
          {t.back}
        </button>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t.booking : state.isReschedule ? t.moveHere : takesPayment ? t.continueToPay : t.book}
        </button>
      </div>
    </form>
  )
}

interface FieldProps {
  state: LaterState
  field: GuestField
  label: string
  required?: boolean
  maxLength: number
  autoComplete?: string
  type?: 'email' | 'tel'
  inputMode?: 'email' | 'tel'
  multiline?: boolean
}

/** One input with its label and, when the server refused it, the reason under it. */
function Field({
  state,
  field,
  label,
  multiline,
  required = false,
  maxLength,
  autoComplete = 'off',
  type,
  inputMode,
}: FieldProps) {
  const id = `booking-${field}`
  const error = state.fieldErrors.value[field]
  const props = {
    id,
    name: field,
    value: state.draft.value[field] ?? '',
    onInput: (event: Event) => state.updateDraft(field, (event.currentTarget as HTMLInputElement).value),
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
  }
  // The message sits outside the label: it describes the field (aria-describedby), it is not its name.
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {multiline ? (
        <textarea rows={2} {...props} maxLength={maxLength} />
      ) : (
        <input
          {...props}
          {...inputType(type)}
          inputMode={inputMode ?? 'text'}
          required={required}
          maxLength={maxLength}
          autoComplete={autoComplete}
        />
      )}
      {error && (
        <span class="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  )
}

// Preact types each input `type` separately; a literal per branch keeps that checking.
const inputType = (type: FieldProps['type']) =>
  type === 'email' ? { type: 'email' as const } : type === 'tel' ? { type: 'tel' as const } : { type: 'text' as const }

/** The fields the browser's constraint checks refuse (empty, not an email, too long), translated. */
function invalidFields(form: HTMLFormElement, t: Messages): FieldErrors {
  const errors: FieldErrors = {}
  for (const field of GUEST_FIELDS) {
    const input = form.elements.namedItem(field) as HTMLInputElement | HTMLTextAreaElement | null
    const validity = input?.validity
    if (!validity || validity.valid) continue
    errors[field] = validity.valueMissing
      ? t.fieldError.required
      : validity.typeMismatch
        ? t.fieldError.invalid_email
        : validity.tooLong
          ? t.fieldError.too_long
          : t.fieldError.invalid
  }
  return errors
}
