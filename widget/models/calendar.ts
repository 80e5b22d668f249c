import { batch, computed, createModel, signal, type Signal } from '@preact/signals'
import type { JoinedWaitlist, WaitlistJoinRequestBody } from '../../shared/api-contract'
import type { AvailabilityResponse, PublicPool, PublicResource, PublicService, Slot } from '../../shared/types'
import { addDays, addMonths, lastDayOf, monthOf, monthRange, todayIn } from '../../shared/calendar-labels'
import type { AvailabilityQuery, BookingClient, ClientError, ClientResult, WaitlistClient } from '../client'

export type LoadStatus = 'loading' | 'ready' | 'error'

export type CalendarClient = Pick<BookingClient, 'getAvailability' | 'getNextAvailable'> &
  Partial<
    Pick<
      BookingClient,
      'getPoolAvailability' | 'getPoolNextAvailable' | 'getServiceAvailability' | 'getServiceNextAvailable'
    >
  > &
  Partial<Pick<WaitlistClient, 'joinWaitlist'>>

/**
 * A month's answer; through a pool, `resource` is the pool's (its first member's view) and `pool` is set.
 * For a service, `resource` is its lead's view under the service's name (what the guest books) and `service` is set.
 */
type MonthAnswer = AvailabilityResponse & { pool?: PublicPool; service?: PublicService }

/** Guests at a table when the widget opens, kept within the pool's bounds. */
const DEFAULT_PARTY = 2

export interface CalendarOptions {
  /** Resource id or slug (a pool's, when `pool` is set). */
  resource: string
  /** `resource` names a pool: availability is the pool's, with the party size and member chosen. */
  pool?: boolean | undefined
  /** `resource` names a service: its times are those at which every part is free. */
  service?: boolean | undefined
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
  /** Through a pool: the pool, from its first answer. */
  const pool = signal<PublicPool | undefined>(undefined)
  /** For a service: the service, from its first answer. */
  const service = signal<PublicService | undefined>(undefined)
  /** Guests at the table, for a pool of tables (set from the pool's bounds on its first answer). */
  const partySize = signal<number | undefined>(undefined)
  /** The member the guest chose, by id; undefined = anyone. */
  const member = signal<string | undefined>(undefined)
  /** Free slots of the shown month by date; dates without slots are absent. */
  const slotsByDate = signal<ReadonlyMap<string, Slot[]>>(new Map())
  /** Days the schedule opens but every time is taken (the answer's `full`): where the waitlist is offered. */
  const fullDates = signal<ReadonlySet<string>>(new Set())
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
  const cache = new Map<string, { at: number; answer: Promise<ClientResult<MonthAnswer>> }>()
  function fetchMonth(shown: string): Promise<ClientResult<MonthAnswer>> | undefined {
    const range = monthRange(shown, today())
    if (!range) return undefined
    const minutes = duration.peek()
    const places = seats.peek()
    const party = partySize.peek()
    const chosen = member.peek()
    const key = `${zone.peek()}|${minutes ?? ''}|${places}|${party ?? ''}|${chosen ?? ''}|${shown}`
    const hit = cache.get(key)
    if (hit && now().getTime() - hit.at < CACHE_MS) return hit.answer
    const query: AvailabilityQuery = { ...range, tz: zone.peek() }
    if (minutes !== undefined) query.duration = minutes
    if (places > 1) query.seats = places
    const answer: Promise<ClientResult<MonthAnswer>> =
      options.pool && client.getPoolAvailability
        ? client
            .getPoolAvailability(options.resource, {
              ...query,
              ...(party !== undefined ? { partySize: party } : {}),
              ...(chosen ? { member: chosen } : {}),
            })
            .then((r) => (r.error ? r : { data: { ...r.data, resource: r.data.pool.resource } }))
        : options.service && client.getServiceAvailability
          ? client.getServiceAvailability(options.resource, query).then((r) => {
              if (r.error) return r
              const resource = { ...r.data.service.resource, name: r.data.service.name }
              return { data: { ...r.data, resource } }
            })
          : client.getAvailability(options.resource, query)
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
    const table = result.data.pool?.maxParty
    if (table !== undefined && partySize.peek() === undefined) {
      // A pool of tables: times are asked for a party size, never for "any table".
      pool.value = result.data.pool
      resource.value = result.data.resource
      partySize.value = Math.max(result.data.pool?.minParty ?? 1, Math.min(DEFAULT_PARTY, table))
      return load(opts)
    }
    const byDate = new Map(result.data.days.filter((day) => day.slots.length > 0).map((day) => [day.date, day.slots]))
    const full = new Set(result.data.days.filter((day) => day.full === true).map((day) => day.date))
    batch(() => {
      fullDates.value = full
      resource.value = result.data.resource
      pool.value = result.data.pool
      service.value = result.data.service
      slotsByDate.value = byDate
      const keep = selectedDate.peek()
      // Keep the guest's day when it still has times; else the first day that has any.
      selectedDate.value = keep && byDate.has(keep) ? keep : byDate.keys().next().value
      status.value = 'ready'
    })
    // A span resource has no slots: the span picker asks for pickups and returns itself.
    if (result.data.resource.span) return
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
    const query = {
      from,
      tz: zone.peek(),
      ...(minutes !== undefined ? { duration: minutes } : {}),
      ...(places > 1 ? { seats: places } : {}),
    }
    const party = partySize.peek()
    const chosen = member.peek()
    // Through a pool: the first time any member the guest could get is free, for their party.
    // For a service: the first time every part is free at once.
    const result =
      options.service && client.getServiceNextAvailable
        ? await client.getServiceNextAvailable(options.resource, query)
        : options.pool && client.getPoolNextAvailable
          ? await client.getPoolNextAvailable(options.resource, {
              ...query,
              ...(party !== undefined ? { partySize: party } : {}),
              ...(chosen ? { member: chosen } : {}),
            })
          : await client.getNextAvailable(options.resource, query)
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
    pool,
    service,
    partySize,
    member,
    slotsByDate,
    fullDates,
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
    /** Asks for times with a table for `count` guests (kept within the pool's bounds). */
    chooseParty(count: number): Promise<void> | undefined {
      const bounds = pool.peek()
      if (bounds?.maxParty === undefined) return undefined
      const next = Math.max(bounds.minParty ?? 1, Math.min(bounds.maxParty, Math.round(count)))
      if (next === partySize.peek()) return undefined
      partySize.value = next
      return load()
    },
    /** Waits for a time of a fully booked day; the waitlist form (a chunk of its own) sends it through here. */
    joinWaitlist(body: WaitlistJoinRequestBody): Promise<ClientResult<JoinedWaitlist>> {
      return client.joinWaitlist
        ? client.joinWaitlist(body)
        : Promise.resolve({ error: { code: 'waitlist_closed', message: 'This client cannot join a waitlist.' } })
    },
    /** Shows the free times of one member (by id), or of anyone (undefined). */
    chooseMember(id: string | undefined): Promise<void> | undefined {
      if (id === member.peek()) return undefined
      member.value = id
      return load()
    },
  }
})

export type Calendar = InstanceType<typeof CalendarModel>
