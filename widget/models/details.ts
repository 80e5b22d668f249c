import { batch, createModel, signal, type ReadonlySignal } from '@preact/signals'
import type { IntakeAnswers } from '../../shared/resource-config'
import type { CreatedSeries, SeriesAvailability } from '../../shared/api-contract'
import type { PublicBooking } from '../../shared/types'
import type {
  BookingClient,
  ClientError,
  ClientResult,
  GuestDetails,
  PaymentDue,
  SeriesAvailabilityQuery,
  SeriesClient,
} from '../client'
import { fieldErrorsFrom } from '../error-text'
import type { FieldErrors, GuestField } from '../guest-fields'
import { answerErrorsFrom, type AnswerDraft, type AnswerErrors } from '../intake-text'
import type { Messages } from '../i18n'
import type { FlowStatus } from './flow-status'
import type { Hold } from './hold'

export interface GuestDraft extends GuestDetails {
  notes: string
}

export type DetailsClient = Pick<BookingClient, 'createBooking'> &
  Partial<Pick<SeriesClient, 'bookSeries' | 'getSeriesAvailability'>>

/** How the held time repeats: `everyWeeks` 0 books it once. */
export interface RepeatDraft {
  everyWeeks: number
  occurrences: number
  mode: 'all_or_nothing' | 'skip_conflicts'
  /**
   * Counts the series the server refused because dates were taken since they were shown:
   * each refusal makes the repeat choice ask about every date again.
   */
  refusals?: number
}

export interface DetailsOptions {
  hold: Hold
  status: FlowStatus
  /** The zone the guest sees times in; the booking is made in it. */
  zone: ReadonlySignal<string>
  t: Messages
  /** BCP 47 tag the booking's emails are written in. */
  locale: string
  /** Prefill for the guest form (from `data-*` attributes or mount options). */
  guest?: Partial<GuestDraft> | undefined
  /** The booking exists; `due` when it waits for a card payment. */
  onCreated: (booking: PublicBooking, manageToken: string, due: PaymentDue | undefined) => void
  /**
   * A weekly series exists, its bookings in date order (its manage token opens each); `due`
   * when they wait for one card payment covering every date.
   */
  onSeriesCreated?: ((bookings: PublicBooking[], manageToken: string, due: PaymentDue | undefined) => void) | undefined
  /** A refused booking: the flow decides what the guest sees next. */
  onRefused: (error: ClientError) => Promise<void>
}

/**
 * The guest's details under a hold: what they typed, what the server refused, and the
 * booking request. The returned functions are actions: what they change before their first
 * await lands as one update.
 */
export const DetailsModel = createModel((client: DetailsClient, options: DetailsOptions) => {
  const { hold, t } = options
  const { notice, busy } = options.status
  /**
   * What the guest has typed: the inputs write here on every keystroke and read from here,
   * so a re-render (a refetch, an error, a lost race) shows exactly what was typed.
   */
  const draft = signal<GuestDraft>({ name: '', email: '', phone: '', notes: '', ...options.guest })
  /** The server's objections, each under its own field; a field's goes once the guest edits it. */
  const fieldErrors = signal<FieldErrors>({})
  /** Answers to the intake questions as given (numbers as typed), kept like the draft. */
  const answers = signal<Record<string, AnswerDraft>>({})
  /** Why answers were refused, by question id. */
  const answerErrors = signal<AnswerErrors>({})
  /** Bumped each time the server refuses fields, so the form moves focus to the first bad one. */
  const fieldErrorsShown = signal(0)
  /** Whether the held time is booked once or weekly; the repeat choice is offered only where a series can be. */
  const repeat = signal<RepeatDraft>({ everyWeeks: 0, occurrences: 4, mode: 'skip_conflicts' })
  /** The series booked last, with the dates it skipped, for the confirmation. */
  const series = signal<CreatedSeries['series'] | undefined>(undefined)
  /** The notice naming dates a series was refused for, while it is the one shown. */
  let takenNotice: string | undefined

  /** Shows why fields were refused, under each, and sends the guest to the first. */
  function rejectFields(errors: FieldErrors, refusedAnswers: AnswerErrors = {}): void {
    batch(() => {
      fieldErrors.value = errors
      answerErrors.value = refusedAnswers
      fieldErrorsShown.value++
      notice.value = t.checkFields
    })
  }

  /**
   * Fields the server refused are shown under them; a series refused for taken dates keeps
   * the guest here (the held date is still theirs), names the dates and has them asked about
   * again; every other refusal goes to the flow.
   */
  function refused(error: ClientError): Promise<void> | undefined {
    const taken = error.code === 'slot_taken' ? seriesTakenText(t, options.locale, error.details) : undefined
    if (taken) {
      batch(() => {
        notice.value = takenNotice = taken
        repeat.value = { ...repeat.peek(), refusals: (repeat.peek().refusals ?? 0) + 1 }
      })
      return
    }
    if (error.code === 'invalid_request') {
      const fields = fieldErrorsFrom(error.details, t)
      const refusedAnswers = answerErrorsFrom(error.details, t)
      if (Object.keys(fields).length + Object.keys(refusedAnswers).length > 0)
        return void rejectFields(fields, refusedAnswers)
    }
    return options.onRefused(error)
  }

  return {
    draft,
    fieldErrors,
    fieldErrorsShown,
    answers,
    answerErrors,
    repeat,
    series,
    /**
     * The guest changes how the held time repeats. A refusal naming taken dates spoke of the
     * choice sent, so it goes; any other notice (fields to check) still stands.
     */
    chooseRepeat(change: Partial<Omit<RepeatDraft, 'refusals'>>): void {
      batch(() => {
        if (takenNotice !== undefined && notice.peek() === takenNotice) notice.value = undefined
        takenNotice = undefined
        repeat.value = { ...repeat.peek(), ...change }
      })
    },
    /** Whether this client can book a series at all (the SDK's can; a hand-made one may not). */
    booksSeries(): boolean {
      return client.bookSeries !== undefined && client.getSeriesAvailability !== undefined
    },
    /** Whether each date of a weekly series would be free. */
    checkSeries(idOrSlug: string, query: SeriesAvailabilityQuery): Promise<ClientResult<SeriesAvailability>> {
      return client.getSeriesAvailability
        ? client.getSeriesAvailability(idOrSlug, query)
        : Promise.resolve({ error: { code: 'not_found', message: 'This client cannot book series.' } })
    },
    /** Follows the guest's answers; an edited answer's error is taken away. */
    updateAnswer(id: string, value: AnswerDraft): void {
      answers.value = { ...answers.peek(), [id]: value }
      if (answerErrors.peek()[id]) {
        const { [id]: _, ...rest } = answerErrors.peek()
        answerErrors.value = rest
      }
    },
    /** Follows the guest's typing; an edited field's server error is taken away. */
    updateDraft(field: GuestField, value: string): void {
      draft.value = { ...draft.peek(), [field]: value }
      if (fieldErrors.peek()[field]) {
        const { [field]: _, ...rest } = fieldErrors.peek()
        fieldErrors.value = rest
      }
    },
    rejectFields,
    /** `checked`: the intake answers as the form checked them (numbers as numbers). */
    async submitDetails(values: GuestDraft = draft.peek(), checked?: IntakeAnswers): Promise<void> {
      const held = hold.current.peek()
      if (!held || busy.peek()) return
      draft.value = values
      busy.value = true
      notice.value = undefined
      fieldErrors.value = {}
      answerErrors.value = {}
      const guest: GuestDetails = { name: values.name.trim(), email: values.email.trim() }
      // Sent as typed ("030 123 4567"): the server knows the resource's country and normalises it.
      if (values.phone?.trim()) guest.phone = values.phone.trim()
      const notes = values.notes.trim()
      const request = {
        holdId: held.id,
        guest,
        ...(notes ? { notes } : {}),
        ...(checked && Object.keys(checked).length > 0 ? { answers: checked } : {}),
        locale: options.locale,
        timezone: options.zone.peek(),
      }
      const { everyWeeks, occurrences, mode } = repeat.peek()
      if (everyWeeks > 0 && client.bookSeries && options.onSeriesCreated) {
        const booked = await client.bookSeries(
          { ...request, repeat: { everyWeeks, occurrences }, mode },
          // The hold's key: a second click, or a retry after a lost answer, gets the same series.
          { idempotencyKey: hold.idempotencyKey.peek() },
        )
        busy.value = false
        if (booked.error) return refused(booked.error)
        // The next booking from this widget starts from "just once" again.
        batch(() => {
          series.value = booked.data.series
          repeat.value = { ...repeat.peek(), everyWeeks: 0 }
        })
        return options.onSeriesCreated(booked.data.series.bookings, booked.data.manageToken, booked.data.payment)
      }
      const result = await client.createBooking(request, { idempotencyKey: hold.idempotencyKey.peek() })
      busy.value = false
      if (result.error) return refused(result.error)
      options.onCreated(result.data.booking, result.data.manageToken, result.data.payment)
    },
  }
})

export type Details = InstanceType<typeof DetailsModel>

/**
 * The sentence for a series refused with `slot_taken` whose details name the dates taken
 * (`{conflicts: [{date}]}`), each written as the repeat choice lists it; undefined when they
 * name none (the refusal is then the held time's own).
 */
export function seriesTakenText(t: Messages, locale: string, details: unknown): string | undefined {
  const { conflicts } = (typeof details === 'object' && details !== null ? details : {}) as { conflicts?: unknown }
  const dates = (Array.isArray(conflicts) ? (conflicts as unknown[]) : [])
    .map((conflict) =>
      typeof conflict === 'object' && conflict !== null ? (conflict as { date?: unknown }).date : undefined,
    )
    .filter((date): date is string => typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date))
  return dates.length > 0 ? t.repeat.takenNow(dates.map((date) => dayLabel(date, locale))) : undefined
}

/** "12 Jan" for a local date `YYYY-MM-DD` (read at noon UTC so no zone moves it a day). */
export function dayLabel(date: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${date}T12:00:00Z`),
  )
}
