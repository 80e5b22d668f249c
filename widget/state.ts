import { batch, computed, signal } from '@preact/signals'
import type { AvailabilityDay, PublicBooking, PublicHold, PublicResource, Slot } from '../shared/types'
import { randomId, type AvailabilityQuery, type BookingClient, type ClientError, type GuestDetails } from './client'
import { shiftWeek, weekDates, weekRange } from './week'

export type LoadStatus = 'loading' | 'ready' | 'error'

/** Where the guest is: picking a time, entering details under a hold, or done. */
export type Step = 'pick' | 'details' | 'done'

export interface GuestDraft extends GuestDetails {
  notes: string
}

export interface BookingStateOptions {
  /** Resource id or slug. */
  resource: string
  /** Zone the days are cut in and times shown in. */
  zone: string
  /** Today in `zone`, `YYYY-MM-DD`: the first day that can be shown. */
  today: string
  onError?: (error: ClientError) => void
  onHeld?: (hold: PublicHold) => void
  onBooked?: (booking: PublicBooking) => void
  /** Prefill for the guest form (from `data-*` attributes or mount options). */
  guest?: Partial<GuestDraft>
}

export type BookingState = ReturnType<typeof createBookingState>

/** The widget's state as signals, and the few actions that change it. No DOM here. */
export function createBookingState(
  client: Pick<BookingClient, 'getAvailability' | 'placeHold' | 'releaseHold' | 'createBooking'>,
  options: BookingStateOptions,
) {
  const { today, zone } = options
  const weekStart = signal(today)
  /** Chosen length in minutes; undefined = the resource's default (its shortest). */
  const duration = signal<number | undefined>(undefined)
  const status = signal<LoadStatus>('loading')
  const resource = signal<PublicResource | undefined>(undefined)
  const loadedDays = signal<AvailabilityDay[]>([])
  const error = signal<ClientError | undefined>(undefined)
  const selected = signal<Slot | undefined>(undefined)
  const step = signal<Step>('pick')
  const hold = signal<PublicHold | undefined>(undefined)
  const booking = signal<PublicBooking | undefined>(undefined)
  const manageToken = signal<string | undefined>(undefined)
  /** A plain-language note shown above the slots or the form (a lost race, an expired hold). */
  const notice = signal<string | undefined>(undefined)
  const busy = signal(false)
  /** The form's values survive a lost race, so the guest never types them twice. */
  const draft = signal<GuestDraft>({ name: '', email: '', phone: '', notes: '', ...options.guest })
  /** One key per hold: a double click or a retry after a timeout cannot book twice. */
  let idempotencyKey = ''

  const canGoBack = computed(() => weekStart.value > today)
  /** Every day of the shown week, with an empty list where the API sent no slots. */
  const days = computed(() => {
    const byDate = new Map(loadedDays.value.map((day) => [day.date, day.slots]))
    return weekDates(weekStart.value).map((date) => ({ date, slots: byDate.get(date) ?? [] }))
  })
  const isEmpty = computed(() => days.value.every((day) => day.slots.length === 0))
  const durations = computed(() => [...(resource.value?.durations ?? [])].sort((a, b) => a - b))
  const activeDuration = computed(() => duration.value ?? durations.value[0])

  let latest = 0

  async function load(opts: { keepNotice?: boolean } = {}): Promise<void> {
    const request = ++latest
    batch(() => {
      status.value = 'loading'
      error.value = undefined
      selected.value = undefined
      if (!opts.keepNotice) notice.value = undefined
    })
    const query: AvailabilityQuery = { ...weekRange(weekStart.peek()), tz: zone }
    const minutes = duration.peek()
    if (minutes !== undefined) query.duration = minutes
    const result = await client.getAvailability(options.resource, query)
    // A newer week or duration was asked for while this one was in flight: its answer wins.
    if (request !== latest) return
    if (result.error) {
      batch(() => {
        error.value = result.error
        status.value = 'error'
      })
      options.onError?.(result.error)
      return
    }
    batch(() => {
      resource.value = result.data.resource
      loadedDays.value = result.data.days
      status.value = 'ready'
    })
  }

  function showWeek(weeks: number): Promise<void> | undefined {
    const next = shiftWeek(weekStart.peek(), weeks, today)
    if (next === weekStart.peek()) return undefined
    weekStart.value = next
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

  async function submitDetails(values: GuestDraft): Promise<void> {
    const held = hold.peek()
    if (!held || busy.peek()) return
    batch(() => {
      draft.value = values
      busy.value = true
      notice.value = undefined
    })
    const guest: GuestDetails = { name: values.name.trim(), email: values.email.trim() }
    if (values.phone?.trim()) guest.phone = values.phone.replace(/[\s()-]/g, '')
    const result = await client.createBooking(
      { holdId: held.id, guest, ...(values.notes.trim() ? { notes: values.notes.trim() } : {}) },
      { idempotencyKey },
    )
    busy.value = false
    if (result.error) return recover(result.error)
    batch(() => {
      booking.value = result.data.booking
      manageToken.value = result.data.manageToken
      hold.value = undefined
      step.value = 'done'
    })
    options.onBooked?.(result.data.booking)
  }

  /** Leaves the form: the hold is released so others can have the time at once. */
  async function backToSlots(): Promise<void> {
    const held = hold.peek()
    batch(() => {
      hold.value = undefined
      step.value = 'pick'
    })
    if (held) await client.releaseHold(held.id)
    await load()
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
      return load({ keepNotice: true })
    }
    switch (failure.code) {
      case 'slot_held':
      case 'slot_taken':
        return backToPick('Sorry, that time was just taken. Here are the times still free.')
      case 'hold_expired':
        return backToPick('Your hold on that time ran out. Please pick a time again.')
      case 'outside_availability':
        return backToPick('That time is no longer offered. Please pick another.')
      case 'rate_limited':
        notice.value = 'Too many tries in a short time. Please wait a minute and try again.'
        break
      case 'invalid_request':
        notice.value = failure.message
        break
      default:
        notice.value = failure.message
        options.onError?.(failure)
    }
  }

  return {
    zone,
    today,
    weekStart,
    status,
    resource,
    days,
    isEmpty,
    error,
    selected,
    canGoBack,
    durations,
    activeDuration,
    step,
    hold,
    booking,
    manageToken,
    notice,
    busy,
    draft,
    load,
    showWeek,
    chooseDuration,
    selectSlot,
    submitDetails,
    backToSlots,
    holdExpired,
  }
}
