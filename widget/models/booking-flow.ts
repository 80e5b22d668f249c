import { batch, createModel, effect, signal } from '@preact/signals'
import type { PublicBooking, PublicHold, Slot, SpansResponse } from '../../shared/types'
import type { BookingClient, ClientError, ClientResult, PaymentDue, SeriesClient, SpansQuery } from '../client'
import { errorText, limitText } from '../error-text'
import type { Messages } from '../i18n'
import { CalendarModel } from './calendar'
import type { Details, DetailsModel, GuestDraft } from './details'
import type { FlowStatus, Step } from './flow-status'
import { HoldModel } from './hold'
import type { Payment, PaymentModel, PaymentSetup } from './payment'

export interface BookingFlowOptions {
  /** Resource id or slug (a pool's, when `pool` is set). */
  resource: string
  /** `resource` names a pool ("any physio", a dining room): the pool picks the member a booking gets. */
  pool?: boolean | undefined
  /** `resource` names a service (a therapist and a room at once): a booking takes every part. */
  service?: boolean | undefined
  /** Zone the days are cut in and times shown in, until the guest picks another. */
  zone: string
  t: Messages
  /** BCP 47 tag for dates and times. */
  locale: string
  /** The current instant; injectable so tests can fix "today". */
  now: () => Date
  onError?: ((error: ClientError) => void) | undefined
  onHeld?: ((hold: PublicHold) => void) | undefined
  onBooked?: ((booking: PublicBooking) => void) | undefined
  /** Prefill for the guest form (from `data-*` attributes or mount options). */
  guest?: Partial<GuestDraft> | undefined
  /** Initial length in minutes, for resources that offer several. */
  duration?: number | undefined
  /** Set when the chosen time moves an existing booking instead of making a new one. */
  reschedule?:
    | {
        ref: string
        token: string
        from: Slot
        /** The booking's places: the new time must have as many free. */
        seats?: number | undefined
        /** A combined booking's further parts: the new time keeps them. */
        parts?: { position: number; resourceId: string }[] | undefined
        onMoved: (booking: PublicBooking) => void
      }
    | undefined
  /** Payments: the card module (loaded only when a booking needs it) and where 3-D Secure returns. */
  payment?: PaymentSetup | undefined
  onConfirmed?: ((booking: PublicBooking) => void) | undefined
  /** Pause between looks at a paid booking while the provider confirms it. */
  pollMs?: number | undefined
}

/** The constructors the later steps' chunk brings (imported there, never here, to keep them off the first paint). */
export interface LaterModelConstructors {
  DetailsModel: typeof DetailsModel
  PaymentModel: typeof PaymentModel
}

export interface LaterModels {
  details: Details
  payment: Payment
}

export type FlowClient = Pick<
  BookingClient,
  | 'getAvailability'
  | 'getNextAvailable'
  | 'placeHold'
  | 'releaseHold'
  | 'createBooking'
  | 'rescheduleBooking'
  | 'getBooking'
> &
  Partial<
    Pick<
      BookingClient,
      | 'getPoolAvailability'
      | 'getPoolNextAvailable'
      | 'placePoolHold'
      | 'getResource'
      | 'getSpans'
      | 'getServiceAvailability'
      | 'getServiceNextAvailable'
      | 'placeServiceHold'
    >
  > &
  Partial<Pick<SeriesClient, 'getSeriesAvailability' | 'bookSeries' | 'getSeries'>>

/**
 * The booking flow: the calendar and hold models (and, once the later steps' code is here,
 * the details and payment models), the step the guest is on, the booking made, and the
 * actions that cross models (a refused hold or booking sends the guest back to fresh times;
 * a finished booking or move shows the confirmation). Disposing it gives a live hold back.
 */
export const BookingFlowModel = createModel((client: FlowClient, options: BookingFlowOptions) => {
  const { t } = options
  const status: FlowStatus = {
    step: signal<Step>('pick'),
    notice: signal<string | undefined>(undefined),
    busy: signal(false),
  }
  const { step, notice, busy } = status
  const booking = signal<PublicBooking | undefined>(undefined)
  const manageToken = signal<string | undefined>(undefined)

  const calendar = new CalendarModel(client, {
    resource: options.resource,
    pool: options.pool,
    service: options.service,
    zone: options.zone,
    duration: options.duration,
    seats: options.reschedule ? (options.reschedule.seats ?? 1) : undefined,
    now: options.now,
    notice,
    onError: options.onError,
  })
  const hold = new HoldModel(client, {
    calendar,
    pool: options.pool ? options.resource : undefined,
    service: options.service ? options.resource : undefined,
    keepParts: options.reschedule?.parts,
    status,
    onHeld: options.onHeld,
    onRefused: recover,
  })
  /** The details and payment models arrive with the later steps' code (see addLaterSteps). */
  let later: LaterModels | undefined
  /**
   * A prepaid series on the card step: its dates after the first (the one shown and paid
   * for). The server confirms every date at once when the card goes through; the payment
   * model reads the first back, and these are read back then, so `onConfirmed` fires once
   * per date, as each is confirmed.
   */
  let seriesRest: PublicBooking[] = []
  // The effect reads no signal, so it runs once; its cleanup runs when the flow is disposed.
  effect(() => () => {
    later?.details[Symbol.dispose]()
    later?.payment[Symbol.dispose]()
  })

  /**
   * Builds the details and payment models from their constructors, once; the constructors
   * come with the later steps' chunk, so the first paint carries neither.
   */
  function addLaterSteps(models: LaterModelConstructors): LaterModels {
    if (later) return later
    const details = new models.DetailsModel(client, {
      hold,
      status,
      zone: calendar.zone,
      t,
      locale: options.locale,
      guest: options.guest,
      onRefused: recover,
      onCreated(created, token, due) {
        seriesRest = []
        options.onBooked?.(created)
        if (due) return toPay(created, token, due)
        finish(created, token)
        if (created.status === 'confirmed') options.onConfirmed?.(created)
      },
      // A weekly series: the confirmation shows its first date (and the details model the rest).
      onSeriesCreated(bookings, token, due) {
        const [first] = bookings
        if (!first) return
        if (due) {
          // One payment for every date: each is booked (pending) now, `onBooked` fires for
          // each; the card step shows the first date with the series' token and total, and
          // `onConfirmed` fires for each once the payment has confirmed them (see seriesRest).
          for (const each of bookings) options.onBooked?.(each)
          seriesRest = bookings.slice(1)
          return toPay(first, token, due)
        }
        finish(first, token)
        for (const each of bookings) {
          options.onBooked?.(each)
          if (each.status === 'confirmed') options.onConfirmed?.(each)
        }
      },
    })
    const payment = new models.PaymentModel(client, {
      status,
      booking,
      manageToken,
      t,
      locale: options.locale,
      setup: options.payment,
      pollMs: options.pollMs,
      finish(done, token) {
        finish(done, token)
        // Back from a 3-D Secure redirect the page has forgotten the series: read it again.
        if (done.seriesRef && !details.series.peek()) void recallSeries(done, done.seriesRef, token)
      },
      onConfirmed(confirmed) {
        options.onConfirmed?.(confirmed)
        void confirmSeriesRest()
      },
    })
    later = { details, payment }
    return later
  }

  /** The card step for `created` (a booking, or a series' first date), paying `due`. */
  function toPay(created: PublicBooking, token: string, due: PaymentDue): void {
    batch(() => {
      booking.value = created
      manageToken.value = token
      if (later) later.payment.due.value = due
      hold.current.value = undefined
      step.value = 'pay'
    })
  }

  /**
   * A prepaid series paid on the page a 3-D Secure redirect returned to: its dates for the
   * confirmation, and `onConfirmed` for each confirmed date besides the one paid for.
   */
  async function recallSeries(paid: PublicBooking, seriesRef: string, token: string): Promise<void> {
    const result = await client.getSeries?.(seriesRef, token)
    if (!result?.data || !later) return
    later.details.series.value = { ...result.data, skipped: [] }
    for (const each of result.data.bookings)
      if (each.ref !== paid.ref && each.status === 'confirmed') options.onConfirmed?.(each)
  }

  /** A prepaid series' first date is confirmed: its other dates are read back and each confirmed one reported. */
  async function confirmSeriesRest(): Promise<void> {
    const rest = seriesRest
    seriesRest = []
    const token = manageToken.peek()
    if (rest.length === 0 || !token || !options.onConfirmed) return
    const read = await Promise.all(rest.map((each) => client.getBooking(each.ref, token)))
    for (const result of read) if (result.data?.status === 'confirmed') options.onConfirmed(result.data)
  }

  function finish(done: PublicBooking, token: string): void {
    batch(() => {
      booking.value = done
      manageToken.value = token
      hold.current.value = undefined
      step.value = 'done'
    })
  }

  /** Maps a failed hold or booking to what the guest sees next. */
  async function recover(failure: ClientError): Promise<void> {
    const backToPick = (message: string) => {
      batch(() => {
        hold.current.value = undefined
        step.value = 'pick'
        notice.value = message
      })
      return calendar.load({ keepNotice: true, fresh: true })
    }
    switch (failure.code) {
      case 'slot_held':
      case 'slot_taken':
        return backToPick(t.slotTaken)
      case 'hold_expired':
        return backToPick(t.errors.hold_expired)
      case 'limit_reached':
        return backToPick(limitText(t, failure.details))
      case 'outside_availability':
        return backToPick(t.errors.outside_availability)
      case 'invalid_request':
        // Refused guest fields are shown under them by the details model and never get here.
        notice.value = errorText(t, failure.code)
        break
      case 'rate_limited':
      case 'network_error':
        // The guest presses the same button again; the idempotency key makes that safe.
        notice.value = errorText(t, failure.code)
        break
      default:
        notice.value = errorText(t, failure.code)
        options.onError?.(failure)
    }
  }

  return {
    ...status,
    booking,
    manageToken,
    calendar,
    hold,
    recover,
    addLaterSteps,
    /** For the span picker's chunk, which asks for pickups and returns itself. */
    getSpans(idOrSlug: string, query: SpansQuery): Promise<ClientResult<SpansResponse>> {
      return client.getSpans
        ? client.getSpans(idOrSlug, query)
        : Promise.resolve({ error: { code: 'not_found', message: 'This client cannot ask for spans.' } })
    },
    /** Reschedule mode: moves the booking to the held time. */
    async confirmMove(): Promise<void> {
      const held = hold.current.peek()
      const target = options.reschedule
      if (!held || !target || busy.peek()) return
      busy.value = true
      notice.value = undefined
      const result = await client.rescheduleBooking(target.ref, target.token, held.id)
      busy.value = false
      if (result.error) return recover(result.error)
      finish(result.data, target.token)
      target.onMoved(result.data)
    },
    /** Leaves the form: the hold is released so others can have the time at once. */
    async backToSlots(): Promise<void> {
      step.value = 'pick'
      const released = hold.giveBack()
      if (released) await released
      await calendar.load({ fresh: true })
    },
    /** Called when the countdown reaches zero. */
    holdExpired(): Promise<void> {
      return recover({ code: 'hold_expired', message: '' })
    },
    /** After a booking: back to the calendar, with availability asked afresh (the booked time is gone). */
    bookAnother(): Promise<void> {
      seriesRest = []
      booking.value = undefined
      manageToken.value = undefined
      if (later) later.payment.due.value = undefined
      step.value = 'pick'
      return calendar.load({ fresh: true })
    },
  }
})

export type BookingFlow = InstanceType<typeof BookingFlowModel>
