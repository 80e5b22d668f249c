import { batch, computed, createModel, signal, type Signal } from '@preact/signals'
import type { AvailabilityResponse, PublicResource, Slot } from '../../shared/types'
import { addDays, addMonths, lastDayOf, monthOf, monthRange, todayIn } from '../../shared/calendar-labels'
import type { AvailabilityQuery, BookingClient, ClientError, ClientResult } from '../client'

export type LoadStatus = 'loading' | 'ready' | 'error'

export type CalendarClient = Pick<BookingClient, 'getAvailability' | 'getNextAvailable'>

export interface CalendarOptions {
  /** Resource id or slug. */
  resource: string
  /** Zone the days are cut in and times shown in, until the guest picks another. */
  zone: string
  /** Initial length in minutes, for resources that offer several. */
  duration?: number | undefined
  /** Places fixed in advance (a move keeps the booking's places): no choice is offered. */
  seats?: number | undefined
  /** The current instant; injectable so tests can fix "today". */
  now: () => Date
  /** The flow's message line: a new month clears it unless the load is asked to keep it. */
  notice: Signal<string | undefined>
  onError?: ((error: ClientError) => void) | undefined
}

/** Answers older than this are fetched again rather than shown from the month cache. */
const CACHE_MS = 60_000

/**
 * The month on show and the guest's choice in it: which month, zone and length, the free
 * slots by day (cached per month, the next month fetched ahead), the picked day and time,
 * and the first free day after an empty stretch. The returned functions are actions
 * (createModel wraps them): what they change before their first await lands as one update.
 */
export const CalendarModel = createModel((client: CalendarClient, options: CalendarOptions) => {
  const { now, notice } = options
  const zone = signal(options.zone)
  /** Today in the shown zone; read when needed, so a widget left open past midnight moves on. */
  const today = () => todayIn(zone.value, now())
  const month = signal(monthOf(today()))
  const selectedDate = signal<string | undefined>(undefined)
  /** Chosen length in minutes; undefined = the resource's default (its shortest). */
  const duration = signal<number | undefined>(options.duration)
  /** Places the guest books; only a resource with capacity above 1 lets them choose more than one. */
  const seats = signal(options.seats ?? 1)
  const status = signal<LoadStatus>('loading')
  const resource = signal<PublicResource | undefined>(undefined)
  /** Free slots of the shown month by date; dates without slots are absent. */
  const slotsByDate = signal<ReadonlyMap<string, Slot[]>>(new Map())
  const error = signal<ClientError | undefined>(undefined)
  /** The time the guest picked; a new month, zone or length takes it away. */
  const selected = signal<Slot | undefined>(undefined)
  /** The first day with a free time after an empty month or day, when there is one. */
  const nextAvailable = signal<{ date: string } | null | undefined>(undefined)

  const firstMonth = computed(() => monthOf(todayIn(zone.value, now())))
  const canGoBack = computed(() => month.value > firstMonth.value)
  const isEmpty = computed(() => slotsByDate.value.size === 0)
  const slotsOfSelectedDate = computed(() =>
    selectedDate.value ? (slotsByDate.value.get(selectedDate.value) ?? []) : [],
  )
  const durations = computed(() => [...(resource.value?.durations ?? [])].sort((a, b) => a - b))
  const activeDuration = computed(() => duration.value ?? durations.value[0])
  /** Most places the guest may choose; 1 (no choice) for a resource of one place or a move. */
  const maxSeats = computed(() => (options.seats === undefined ? (resource.value?.maxSeatsPerBooking ?? 1) : 1))
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
    const places = seats.peek()
    const key = `${zone.peek()}|${minutes ?? ''}|${places}|${shown}`
    const hit = cache.get(key)
    if (hit && now().getTime() - hit.at < CACHE_MS) return hit.answer
    const query: AvailabilityQuery = { ...range, tz: zone.peek() }
    if (minutes !== undefined) query.duration = minutes
    if (places > 1) query.seats = places
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
    status.value = 'loading'
    error.value = undefined
    selected.value = undefined
    nextAvailable.value = undefined
    if (!opts.keepNotice) notice.value = undefined
    const shown = month.peek()
    const result = await fetchMonth(shown)
    // A newer month, zone or duration was asked for while this one was in flight: its answer wins.
    if (request !== latest || !result) return
    // After the await no action is running: the answer is shown in one batch of its own.
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
    const places = seats.peek()
    const result = await client.getNextAvailable(options.resource, {
      from,
      tz: zone.peek(),
      ...(minutes !== undefined ? { duration: minutes } : {}),
      ...(places > 1 ? { seats: places } : {}),
    })
    if (lookup !== nextLookup || result.error) return
    nextAvailable.value = result.data ? { date: result.data.date } : null
  }

  function showMonth(months: number): Promise<void> | undefined {
    const next = addMonths(month.peek(), months)
    if (next < firstMonth.peek() || (months > 0 && !canGoForward.peek())) return undefined
    month.value = next
    selectedDate.value = undefined
    return load()
  }

  function selectDate(date: string): void {
    if (monthOf(date) !== month.peek()) {
      month.value = monthOf(date)
      selectedDate.value = date
      void load()
      return
    }
    selectedDate.value = date
    nextAvailable.value = undefined
    if (!slotsByDate.peek().has(date)) void lookForNext(date)
  }

  return {
    zone,
    month,
    selectedDate,
    status,
    resource,
    slotsByDate,
    error,
    selected,
    nextAvailable,
    canGoBack,
    canGoForward,
    isEmpty,
    slotsOfSelectedDate,
    durations,
    activeDuration,
    seats,
    maxSeats,
    slotMinutes,
    lastBookableDate,
    load,
    showMonth,
    selectDate,
    jumpToNextAvailable(): void {
      const next = nextAvailable.peek()
      if (next) selectDate(next.date)
    },
    chooseZone(next: string): Promise<void> | undefined {
      if (next === zone.peek()) return undefined
      zone.value = next
      selectedDate.value = undefined
      return load()
    },
    chooseDuration(minutes: number): Promise<void> | undefined {
      if (minutes === activeDuration.peek()) return undefined
      duration.value = minutes
      return load()
    },
    /** Asks for times with `count` places free (kept within 1 … maxSeats). */
    chooseSeats(count: number): Promise<void> | undefined {
      const next = Math.max(1, Math.min(maxSeats.peek(), Math.round(count)))
      if (next === seats.peek()) return undefined
      seats.value = next
      return load()
    },
  }
})

export type Calendar = InstanceType<typeof CalendarModel>
