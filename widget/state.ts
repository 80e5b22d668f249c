import { batch, computed, signal } from '@preact/signals'
import type { AvailabilityResponse, PublicBooking, PublicHold, PublicResource, Slot } from '../shared/types'
import { addDays, addMonths, lastDayOf, monthOf, monthRange, todayIn } from '../shared/calendar-labels'
import {
  randomId,
  type AvailabilityQuery,
  type BookingClient,
  type ClientError,
  type ClientResult,
  type GuestDetails,
  type PaymentDue,
} from './client'
import type { CardPayment, LoadStripe } from './payment/stripe-payment'
import { errorText, fieldErrorsFrom } from './error-text'
import type { FieldErrors, GuestField } from './guest-fields'
import type { Messages } from './i18n'

export type LoadStatus = 'loading' | 'ready' | 'error'

/** Where the guest is: picking a time, entering details under a hold, paying, or done. */
export type Step = 'pick' | 'details' | 'pay' | 'done'

export interface GuestDraft extends GuestDetails {
  notes: string
}

export interface BookingStateOptions {
  /** Resource id or slug. */
  resource: string
  /** Zone the days are cut in and times shown in, until the guest picks another. */
  zone: string
  t: Messages
  /** BCP 47 tag for dates and times. */
  locale: string
  /** The current instant; injectable so tests can fix "today". */
  now?: () => Date
  onError?: (error: ClientError) => void
  onHeld?: (hold: PublicHold) => void
  onBooked?: (booking: PublicBooking) => void
  /** Prefill for the guest form (from `data-*` attributes or mount options). */
  guest?: Partial<GuestDraft>
  /** Initial length in minutes, for resources that offer several. */
  duration?: number
  /** Set when the chosen time moves an existing booking instead of making a new one. */
  reschedule?: { ref: string; token: string; from: Slot; onMoved: (booking: PublicBooking) => void }
  /** Payments: the card module (loaded only when a booking needs it) and where 3-D Secure returns. */
  payment?: {
    loadModule: () => Promise<typeof import('./payment/stripe-payment')>
    loadStripe?: LoadStripe | undefined
    returnUrl: (ref: string) => string
    /** Called before the card is confirmed, so a 3-D Secure redirect can resume the booking. */
    remember?: (ref: string, token: string) => void
  }
  onConfirmed?: (booking: PublicBooking) => void
  /** Pause between looks at a paid booking while the provider confirms it. */
  pollMs?: number
}

export type BookingState = ReturnType<typeof createBookingState>

type StateClient = Pick<BookingClient, 'getAvailability' | 'getNextAvailable' | 'placeHold' | 'releaseHold' | 'createBooking' | 'rescheduleBooking' | 'getBooking'>

/** Answers older than this are fetched again rather than shown from the month cache. */
const CACHE_MS = 60_000

/** The widget's state as signals, and the few actions that change it. No DOM here. */
export function createBookingState(client: StateClient, options: BookingStateOptions) {
  const { t } = options
  const now = options.now ?? (() => new Date())
  const zone = signal(options.zone)
  /** Today in the shown zone; read when needed, so a widget left open past midnight moves on. */
  const today = () => todayIn(zone.value, now())
  const month = signal(monthOf(today()))
  const selectedDate = signal<string | undefined>(undefined)
  /** Chosen length in minutes; undefined = the resource's default (its shortest). */
  const duration = signal<number | undefined>(options.duration)
  const status = signal<LoadStatus>('loading')
  const resource = signal<PublicResource | undefined>(undefined)
  /** Free slots of the shown month by date; dates without slots are absent. */
  const slotsByDate = signal<ReadonlyMap<string, Slot[]>>(new Map())
  const error = signal<ClientError | undefined>(undefined)
  const selected = signal<Slot | undefined>(undefined)
  const step = signal<Step>('pick')
  const hold = signal<PublicHold | undefined>(undefined)
  const booking = signal<PublicBooking | undefined>(undefined)
  const manageToken = signal<string | undefined>(undefined)
  /** What the card form needs, while the booking waits for its payment. */
  const payment = signal<PaymentDue | undefined>(undefined)
  /** A plain-language note shown above the slots or the form (a lost race, an expired hold). */
  const notice = signal<string | undefined>(undefined)
  const busy = signal(false)
  /**
   * What the guest has typed: the inputs write here on every keystroke and read from here,
   * so a re-render (a refetch, an error, a lost race) shows exactly what was typed.
   */
  const draft = signal<GuestDraft>({ name: '', email: '', phone: '', notes: '', ...options.guest })
  /** The server's objections, each under its own field; a field's goes once the guest edits it. */
  const fieldErrors = signal<FieldErrors>({})
  /** Bumped each time the server refuses fields, so the form moves focus to the first bad one. */
  const fieldErrorsShown = signal(0)
  /** The first day with a free time after an empty month or day, when there is one. */
  const nextAvailable = signal<{ date: string } | null | undefined>(undefined)
  /** One key per hold: a double click or a retry after a timeout cannot book twice. */
  let idempotencyKey = ''

  const firstMonth = computed(() => monthOf(todayIn(zone.value, now())))
  const canGoBack = computed(() => month.value > firstMonth.value)
  const isEmpty = computed(() => slotsByDate.value.size === 0)
  const slotsOfSelectedDate = computed(() => (selectedDate.value ? (slotsByDate.value.get(selectedDate.value) ?? []) : []))
  const durations = computed(() => [...(resource.value?.durations ?? [])].sort((a, b) => a - b))
  const activeDuration = computed(() => duration.value ?? durations.value[0])
  /** Length of the fixed slots (resources without a duration choice), read off the times shown. */
  const slotMinutes = computed(() => {
    for (const slots of slotsByDate.value.values()) {
      const first = slots[0]
      if (first) return (Date.parse(first.end) - Date.parse(first.start)) / 60_000
    }
    return undefined
  })
  /** The last day the horizon lets the guest book; undefined when the resource sets none. */
  const lastBookableDate = computed(() => {
    const days = resource.value?.horizonDays
    return days === undefined ? undefined : addDays(todayIn(zone.value, now()), days)
  })
  const canGoForward = computed(() => {
    const last = lastBookableDate.value
    return last === undefined || `${addMonths(month.value, 1)}-01` <= last
  })

  // Months already asked for, by zone and duration; the next month is fetched ahead so
  // paging forward paints at once.
  const cache = new Map<string, { at: number; answer: Promise<ClientResult<AvailabilityResponse>> }>()
  function fetchMonth(shown: string): Promise<ClientResult<AvailabilityResponse>> | undefined {
    const range = monthRange(shown, today())
    if (!range) return undefined
    const minutes = duration.peek()
    const key = `${zone.peek()}|${minutes ?? ''}|${shown}`
    const hit = cache.get(key)
    if (hit && now().getTime() - hit.at < CACHE_MS) return hit.answer
    const query: AvailabilityQuery = { ...range, tz: zone.peek() }
    if (minutes !== undefined) query.duration = minutes
    const answer = client.getAvailability(options.resource, query)
    cache.set(key, { at: now().getTime(), answer })
    // A failure is not kept: the retry must ask again.
    void answer.then((result) => result.error && cache.get(key)?.answer === answer && cache.delete(key))
    return answer
  }

  let latest = 0

  async function load(opts: { keepNotice?: boolean; fresh?: boolean } = {}): Promise<void> {
    const request = ++latest
    if (opts.fresh) cache.clear()
    if (month.peek() < firstMonth.peek()) month.value = firstMonth.peek()
    batch(() => {
      status.value = 'loading'
      error.value = undefined
      selected.value = undefined
      nextAvailable.value = undefined
      if (!opts.keepNotice) notice.value = undefined
    })
    const shown = month.peek()
    const result = await fetchMonth(shown)
    // A newer month, zone or duration was asked for while this one was in flight: its answer wins.
    if (request !== latest || !result) return
    if (result.error) {
      batch(() => {
        error.value = result.error
        status.value = 'error'
      })
      options.onError?.(result.error)
      return
    }
    const byDate = new Map(result.data.days.filter((day) => day.slots.length > 0).map((day) => [day.date, day.slots]))
    batch(() => {
      resource.value = result.data.resource
      slotsByDate.value = byDate
      const keep = selectedDate.peek()
      // Keep the guest's day when it still has times; else the first day that has any.
      selectedDate.value = keep && byDate.has(keep) ? keep : byDate.keys().next().value
      status.value = 'ready'
    })
    if (byDate.size === 0) void lookForNext(lastDayOf(shown))
    void fetchMonth(addMonths(shown, 1))
  }

  let nextLookup = 0
  /**
   * The first day with a free time after `after`: from the month already shown when it has
   * one, else one request that searches ahead on the server (never a month-by-month crawl).
   */
  async function lookForNext(after: string): Promise<void> {
    const lookup = ++nextLookup
    const shownLater = [...slotsByDate.peek().keys()].find((date) => date > after)
    if (shownLater) {
      nextAvailable.value = { date: shownLater }
      return
    }
    nextAvailable.value = undefined
    const from = addDays(after, 1) < today() ? today() : addDays(after, 1)
    const last = lastBookableDate.peek()
    if (last !== undefined && from > last) {
      nextAvailable.value = null
      return
    }
    const minutes = duration.peek()
    const result = await client.getNextAvailable(options.resource, { from, tz: zone.peek(), ...(minutes !== undefined ? { duration: minutes } : {}) })
    if (lookup !== nextLookup || result.error) return
    nextAvailable.value = result.data ? { date: result.data.date } : null
  }

  function jumpToNextAvailable(): void {
    const next = nextAvailable.peek()
    if (next) selectDate(next.date)
  }

  function showMonth(months: number): Promise<void> | undefined {
    const next = addMonths(month.peek(), months)
    if (next < firstMonth.peek() || (months > 0 && !canGoForward.peek())) return undefined
    batch(() => {
      month.value = next
      selectedDate.value = undefined
    })
    return load()
  }

  function selectDate(date: string): void {
    if (monthOf(date) !== month.peek()) {
      batch(() => {
        month.value = monthOf(date)
        selectedDate.value = date
      })
      void load()
      return
    }
    batch(() => {
      selectedDate.value = date
      nextAvailable.value = undefined
    })
    if (!slotsByDate.peek().has(date)) void lookForNext(date)
  }

  function chooseZone(next: string): Promise<void> | undefined {
    if (next === zone.peek()) return undefined
    batch(() => {
      zone.value = next
      selectedDate.value = undefined
    })
    return load()
  }

  function chooseDuration(minutes: number): Promise<void> | undefined {
    if (minutes === activeDuration.peek()) return undefined
    duration.value = minutes
    return load()
  }

  async function selectSlot(slot: Slot): Promise<void> {
    const current = resource.peek()
    if (!current || busy.peek()) return
    batch(() => {
      selected.value = slot
      busy.value = true
      notice.value = undefined
    })
    const result = await client.placeHold({ resourceId: current.id, start: slot.start, end: slot.end })
    busy.value = false
    if (result.error) return recover(result.error)
    idempotencyKey = randomId('book_')
    batch(() => {
      hold.value = result.data
      step.value = 'details'
    })
    options.onHeld?.(result.data)
  }

  /** Follows the guest's typing; an edited field's server error is taken away. */
  function updateDraft(field: GuestField, value: string): void {
    batch(() => {
      draft.value = { ...draft.peek(), [field]: value }
      if (fieldErrors.peek()[field]) {
        const { [field]: _, ...rest } = fieldErrors.peek()
        fieldErrors.value = rest
      }
    })
  }

  /** Shows why fields were refused, under each, and sends the guest to the first. */
  function rejectFields(errors: FieldErrors): void {
    batch(() => {
      fieldErrors.value = errors
      fieldErrorsShown.value++
      notice.value = t.checkFields
    })
  }

  async function submitDetails(values: GuestDraft = draft.peek()): Promise<void> {
    const held = hold.peek()
    if (!held || busy.peek()) return
    batch(() => {
      draft.value = values
      busy.value = true
      notice.value = undefined
      fieldErrors.value = {}
    })
    const guest: GuestDetails = { name: values.name.trim(), email: values.email.trim() }
    // Sent as typed ("030 123 4567"): the server knows the resource's country and normalises it.
    if (values.phone?.trim()) guest.phone = values.phone.trim()
    const notes = values.notes.trim()
    const result = await client.createBooking(
      { holdId: held.id, guest, ...(notes ? { notes } : {}), locale: options.locale, timezone: zone.peek() },
      { idempotencyKey },
    )
    busy.value = false
    if (result.error) return recover(result.error)
    const { booking: created, manageToken: token, payment: due } = result.data
    options.onBooked?.(created)
    if (due) {
      batch(() => {
        booking.value = created
        manageToken.value = token
        payment.value = due
        hold.value = undefined
        step.value = 'pay'
      })
      return
    }
    finish(created, token)
    if (created.status === 'confirmed') options.onConfirmed?.(created)
  }

  /** Loads the card module and mounts the card form into `target` (the pay step's slot). */
  async function mountCard(target: HTMLElement): Promise<CardPayment> {
    const due = payment.peek()
    const setup = options.payment
    if (!due || !setup) throw new Error('no payment to take')
    const module = await setup.loadModule()
    return module.startCardPayment(target, {
      publishableKey: due.publishableKey,
      clientSecret: due.clientSecret,
      locale: options.locale,
      loadStripe: setup.loadStripe,
    })
  }

  /** Confirms the card; on success waits (briefly) for the booking to be confirmed. */
  async function pay(card: CardPayment): Promise<void> {
    const current = booking.peek()
    const token = manageToken.peek()
    if (!current || !token || busy.peek() || !options.payment) return
    batch(() => {
      busy.value = true
      notice.value = undefined
    })
    options.payment.remember?.(current.ref, token)
    let outcome: Awaited<ReturnType<CardPayment['confirm']>>
    try {
      outcome = await card.confirm(options.payment.returnUrl(current.ref))
    } catch {
      outcome = { status: 'failed', message: undefined }
    }
    if (outcome.status === 'failed') {
      batch(() => {
        busy.value = false
        notice.value = outcome.status === 'failed' && outcome.message ? `${t.paymentFailed} (${outcome.message})` : t.paymentFailed
      })
      return
    }
    await settlePaid(current.ref, token)
    busy.value = false
  }

  /**
   * After the card went through (here, or on the page 3-D Secure returned to): the webhook
   * confirms the booking within moments; show it as soon as it is, or as authorized.
   */
  async function settlePaid(ref: string, token: string, attempts = 8): Promise<void> {
    let latestBooking = booking.peek()
    for (let i = 0; i < attempts; i++) {
      const result = await client.getBooking(ref, token)
      if (result.data) {
        latestBooking = result.data
        const paid = result.data.payment?.status
        if (result.data.status === 'confirmed' || paid === 'authorized' || paid === 'captured' || result.data.status === 'cancelled') break
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1500))
    }
    if (!latestBooking) return
    finish(latestBooking, token)
    payment.value = undefined
    if (latestBooking.status === 'confirmed') options.onConfirmed?.(latestBooking)
  }

  /** The page came back from a 3-D Secure redirect: show how the booking stands. */
  async function resumeAfterRedirect(ref: string, token: string, succeeded: boolean): Promise<void> {
    if (!succeeded) {
      const result = await client.getBooking(ref, token)
      if (result.data?.status !== 'pending') return
      batch(() => {
        booking.value = result.data
        manageToken.value = token
        notice.value = t.paymentFailed
      })
      return
    }
    await settlePaid(ref, token)
  }

  /** Reschedule mode: moves the booking to the held time. */
  async function confirmMove(): Promise<void> {
    const held = hold.peek()
    const target = options.reschedule
    if (!held || !target || busy.peek()) return
    batch(() => {
      busy.value = true
      notice.value = undefined
    })
    const result = await client.rescheduleBooking(target.ref, target.token, held.id)
    busy.value = false
    if (result.error) return recover(result.error)
    finish(result.data, target.token)
    target.onMoved(result.data)
  }

  function finish(done: PublicBooking, token: string): void {
    batch(() => {
      booking.value = done
      manageToken.value = token
      hold.value = undefined
      step.value = 'done'
    })
  }

  /** Leaves the form: the hold is released so others can have the time at once. */
  async function backToSlots(): Promise<void> {
    const held = hold.peek()
    batch(() => {
      hold.value = undefined
      step.value = 'pick'
    })
    if (held) await client.releaseHold(held.id)
    await load({ fresh: true })
  }

  /** Called when the countdown reaches zero. */
  function holdExpired(): Promise<void> {
    return recover({ code: 'hold_expired', message: '' })
  }

  /** Maps a failed hold or booking to what the guest sees next. */
  async function recover(failure: ClientError): Promise<void> {
    const backToPick = (message: string) => {
      batch(() => {
        hold.value = undefined
        step.value = 'pick'
        notice.value = message
      })
      return load({ keepNotice: true, fresh: true })
    }
    switch (failure.code) {
      case 'slot_held':
      case 'slot_taken':
        return backToPick(t.slotTaken)
      case 'hold_expired':
        return backToPick(t.errors.hold_expired)
      case 'outside_availability':
        return backToPick(t.errors.outside_availability)
      case 'invalid_request': {
        const fields = fieldErrorsFrom(failure.details, t)
        if (Object.keys(fields).length > 0) rejectFields(fields)
        else notice.value = errorText(t, failure.code)
        break
      }
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

  /** Gives a held time back (the widget is being removed); best effort. */
  function releaseHeld(): void {
    const held = hold.peek()
    if (held) void client.releaseHold(held.id)
  }

  return {
    zone,
    month,
    selectedDate,
    status,
    resource,
    slotsByDate,
    slotsOfSelectedDate,
    isEmpty,
    error,
    selected,
    canGoBack,
    durations,
    activeDuration,
    slotMinutes,
    step,
    hold,
    booking,
    manageToken,
    payment,
    notice,
    busy,
    draft,
    fieldErrors,
    fieldErrorsShown,
    nextAvailable,
    canGoForward,
    lastBookableDate,
    isReschedule: options.reschedule !== undefined,
    /** The booking's time before the move, shown beside the new one. */
    movingFrom: options.reschedule?.from,
    t,
    locale: options.locale,
    /** The zone the widget started in (the viewer's, or the one the site chose). */
    viewerZone: options.zone,
    today,
    now,
    load,
    showMonth,
    selectDate,
    chooseZone,
    chooseDuration,
    selectSlot,
    updateDraft,
    rejectFields,
    submitDetails,
    jumpToNextAvailable,
    confirmMove,
    mountCard,
    pay,
    resumeAfterRedirect,
    backToSlots,
    holdExpired,
    releaseHeld,
    /** After a booking: back to the calendar, with availability asked afresh (the booked time is gone). */
    bookAnother(): Promise<void> {
      batch(() => {
        booking.value = undefined
        manageToken.value = undefined
        payment.value = undefined
        step.value = 'pick'
      })
      return load({ fresh: true })
    },
  }
}
