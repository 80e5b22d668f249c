import { batch, computed, createModel, effect, signal } from '@preact/signals'
import { addMonths, dateOf, monthOf, monthRange, todayIn, wallClockIn } from '../../shared/calendar-labels'
import type { SpansResponse } from '../../shared/types'
import type { BookingClient, ClientError, ClientResult } from '../client'
import type { Calendar, LoadStatus } from './calendar'
import type { FlowStatus } from './flow-status'
import type { Hold } from './hold'

export type SpanClient = Pick<BookingClient, 'getSpans'>

export interface SpanOptions {
  /** The flow's calendar: the resource, the zone the guest reads days in. */
  calendar: Calendar
  /** Places the hold on the chosen pickup and return. */
  hold: Hold
  status: FlowStatus
  /** The current instant; injectable so tests can fix "today". */
  now: () => Date
  onError?: ((error: ClientError) => void) | undefined
}

/** The day `YYYY-MM-DD` an instant falls on in `zone`. */
export const dateIn = (instant: string, zone: string): string => dateOf(wallClockIn(Date.parse(instant), zone))

/** Answers older than this are asked again rather than shown from the cache. */
const CACHE_MS = 60_000

/**
 * The guest's choice of a span across days: the month on show, the pickup times by day,
 * then (once a pickup is chosen) the return times by day and the latest return, the chosen
 * pickup and return, and the hold placed on them. Days are cut in the calendar's zone, so
 * a guest who picks another zone sees the same instants on that zone's days.
 */
export const SpanModel = createModel((client: SpanClient, options: SpanOptions) => {
  const { calendar, hold, now } = options
  const zone = calendar.zone
  const today = () => todayIn(zone.value, now())
  const month = signal(monthOf(today()))
  const status = signal<LoadStatus>('loading')
  const error = signal<ClientError | undefined>(undefined)
  const pickupsByDate = signal<ReadonlyMap<string, string[]>>(new Map())
  const returnsByDate = signal<ReadonlyMap<string, string[]>>(new Map())
  /** For the chosen pickup: the latest instant the span may end. */
  const latestReturn = signal<string | null | undefined>(undefined)
  const pickupDate = signal<string | undefined>(undefined)
  const pickup = signal<string | undefined>(undefined)
  const returnDate = signal<string | undefined>(undefined)
  const dropOff = signal<string | undefined>(undefined)

  const config = computed(() => calendar.resource.value?.span)
  /** Rooms by the night: pickup and return are the check-in and check-out times, the guest picks dates. */
  const datesOnly = computed(() => config.value?.checkIn !== undefined)
  /** Which end of the span the guest is choosing now. */
  const stage = computed<'pickup' | 'return'>(() => (pickup.value === undefined ? 'pickup' : 'return'))
  const latestReturnDate = computed(() => (latestReturn.value ? dateIn(latestReturn.value, zone.value) : undefined))
  const firstMonth = computed(() => monthOf(todayIn(zone.value, now())))
  const canGoBack = computed(() => {
    const floor = stage.value === 'return' && pickupDate.value ? monthOf(pickupDate.value) : firstMonth.value
    return month.value > floor
  })
  const canGoForward = computed(() => {
    const horizon = calendar.lastBookableDate.value
    const last = stage.value === 'return' ? (latestReturnDate.value ?? horizon) : horizon
    return last === undefined || `${addMonths(month.value, 1)}-01` <= last
  })
  /** The days the guest may tap now: with a pickup (first stage) or a return (second stage). */
  const openDays = computed(() => (stage.value === 'pickup' ? pickupsByDate.value : returnsByDate.value))
  const pickupTimes = computed(() => (pickupDate.value ? (pickupsByDate.value.get(pickupDate.value) ?? []) : []))
  const returnTimes = computed(() => (returnDate.value ? (returnsByDate.value.get(returnDate.value) ?? []) : []))
  const cache = new Map<string, { at: number; answer: Promise<ClientResult<SpansResponse>> }>()
  function fetchMonth(shown: string, start: string | undefined): Promise<ClientResult<SpansResponse>> | undefined {
    const resource = calendar.resource.peek()
    const range = monthRange(shown, today())
    if (!resource || !range) return undefined
    const from = start && dateIn(start, zone.peek()) > range.from ? dateIn(start, zone.peek()) : range.from
    if (from > range.to) return undefined
    const key = `${zone.peek()}|${start ?? ''}|${from}|${range.to}`
    const hit = cache.get(key)
    if (hit && now().getTime() - hit.at < CACHE_MS) return hit.answer
    const answer = client.getSpans(resource.id, {
      from,
      to: range.to,
      timezone: zone.peek(),
      ...(start ? { start } : {}),
    })
    cache.set(key, { at: now().getTime(), answer })
    void answer.then((result) => result.error && cache.get(key)?.answer === answer && cache.delete(key))
    return answer
  }

  let latest = 0
  /** Asks for the shown month's pickups, or (with a pickup chosen) its returns. */
  async function load(opts: { fresh?: boolean } = {}): Promise<void> {
    const request = ++latest
    if (opts.fresh) cache.clear()
    if (month.peek() < firstMonth.peek()) month.value = firstMonth.peek()
    const start = pickup.peek()
    status.value = 'loading'
    error.value = undefined
    const asked = fetchMonth(month.peek(), start)
    const result: ClientResult<SpansResponse | undefined> = asked ? await asked : { data: undefined }
    if (request !== latest) return
    if (result.error) {
      batch(() => {
        error.value = result.error
        status.value = 'error'
      })
      options.onError?.(result.error)
      return
    }
    const days = result.data?.days ?? []
    const byDate = (pick: (day: SpansResponse['days'][number]) => string[] | undefined) =>
      new Map(days.map((day) => [day.date, pick(day) ?? []] as const).filter(([, times]) => times.length > 0))
    batch(() => {
      if (start) {
        returnsByDate.value = byDate((day) => day.returns)
        // A month before the pickup's asks nothing and keeps the latest return already known.
        if (result.data) latestReturn.value = result.data.latestReturn ?? null
        // The pickup was taken meanwhile: the guest starts again from the pickups.
        if (result.data && result.data.latestReturn === null) {
          pickup.value = undefined
          pickupDate.value = undefined
        }
      } else {
        pickupsByDate.value = byDate((day) => day.pickups)
      }
      status.value = 'ready'
    })
    if (start && result.data?.latestReturn === null) return load({ fresh: true })
  }

  function clearReturn(): void {
    returnDate.value = undefined
    dropOff.value = undefined
  }

  // A new zone cuts the days anew: the choice starts over. So does a return to the pick
  // after a refused hold or a booking made, with the times asked afresh.
  let seenZone = zone.peek()
  let seenStep = options.status.step.peek()
  effect(() => {
    const nextZone = zone.value
    const step = options.status.step.value
    const resource = calendar.resource.value
    const zoneChanged = nextZone !== seenZone
    const backToPick = step === 'pick' && seenStep !== 'pick'
    seenZone = nextZone
    seenStep = step
    if (!resource?.span || (!zoneChanged && !backToPick)) return
    batch(() => {
      pickup.value = undefined
      pickupDate.value = undefined
      latestReturn.value = undefined
      clearReturn()
      month.value = monthOf(todayIn(nextZone, now()))
    })
    void load({ fresh: true })
  })

  function choosePickup(instant: string): Promise<void> {
    batch(() => {
      pickup.value = instant
      pickupDate.value = dateIn(instant, zone.peek())
      latestReturn.value = undefined
      returnsByDate.value = new Map()
      clearReturn()
    })
    return load()
  }

  function chooseReturn(instant: string): void {
    batch(() => {
      dropOff.value = instant
      returnDate.value = dateIn(instant, zone.peek())
    })
  }

  return {
    month,
    status,
    error,
    stage,
    datesOnly,
    config,
    pickupsByDate,
    returnsByDate,
    openDays,
    latestReturn,
    latestReturnDate,
    pickupDate,
    pickup,
    returnDate,
    dropOff,
    pickupTimes,
    returnTimes,
    canGoBack,
    canGoForward,
    load,
    showMonth(months: number): Promise<void> | undefined {
      if (months < 0 ? !canGoBack.peek() : !canGoForward.peek()) return undefined
      month.value = addMonths(month.peek(), months)
      return load()
    },
    /** A day of the grid: the pickup day (first stage) or the return day; dates-only spans take its one time. */
    selectDay(date: string): Promise<void> | undefined {
      const first = openDays.peek().get(date)?.[0]
      if (first === undefined) return undefined
      if (stage.peek() === 'pickup') {
        if (datesOnly.peek()) return choosePickup(first)
        pickupDate.value = date
      } else if (datesOnly.peek()) {
        chooseReturn(first)
      } else {
        returnDate.value = date
        dropOff.value = undefined
      }
      return undefined
    },
    choosePickup,
    chooseReturn,
    /** Back to choosing the pickup (the returns belong to the one chosen). */
    changePickup(): Promise<void> {
      batch(() => {
        pickup.value = undefined
        latestReturn.value = undefined
        returnsByDate.value = new Map()
        clearReturn()
        const day = pickupDate.peek()
        if (day) month.value = monthOf(day)
      })
      return load()
    },
    /** Holds the chosen span; the flow moves on to the guest's details when it is granted. */
    reserve(): Promise<void> | undefined {
      const start = pickup.peek()
      const end = dropOff.peek()
      if (!start || !end) return undefined
      return hold.selectSlot({ start, end })
    },
  }
})

export type Span = InstanceType<typeof SpanModel>

// Keyed by the flow, so every view of one booking shares one span model.
const built = new WeakMap<object, Span>()

/** The span model of a flow, made on first use (with the span picker's chunk) and then shared. */
export function spanOf(
  flow: SpanClient & { calendar: Calendar; hold: Hold } & FlowStatus,
  now: () => Date,
  onError?: (error: ClientError) => void,
): Span {
  let span = built.get(flow)
  if (!span) {
    const status = { step: flow.step, notice: flow.notice, busy: flow.busy }
    span = new SpanModel(flow, { calendar: flow.calendar, hold: flow.hold, status, now, onError })
    built.set(flow, span)
    void span.load()
  }
  return span
}
