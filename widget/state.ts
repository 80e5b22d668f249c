import { batch, computed, signal } from '@preact/signals'
import type { AvailabilityDay, PublicResource, Slot } from '../shared/types'
import type { AvailabilityQuery, BookingClient, ClientError } from './client'
import { shiftWeek, weekDates, weekRange } from './week'

export type LoadStatus = 'loading' | 'ready' | 'error'

export interface BookingStateOptions {
  /** Resource id or slug. */
  resource: string
  /** Zone the days are cut in and times shown in. */
  zone: string
  /** Today in `zone`, `YYYY-MM-DD`: the first day that can be shown. */
  today: string
  onError?: (error: ClientError) => void
}

export type BookingState = ReturnType<typeof createBookingState>

/** The widget's state as signals, and the few actions that change it. No DOM here. */
export function createBookingState(client: Pick<BookingClient, 'getAvailability'>, options: BookingStateOptions) {
  const { today, zone } = options
  const weekStart = signal(today)
  /** Chosen length in minutes; undefined = the resource's default (its shortest). */
  const duration = signal<number | undefined>(undefined)
  const status = signal<LoadStatus>('loading')
  const resource = signal<PublicResource | undefined>(undefined)
  const loadedDays = signal<AvailabilityDay[]>([])
  const error = signal<ClientError | undefined>(undefined)
  const selected = signal<Slot | undefined>(undefined)

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

  async function load(): Promise<void> {
    const request = ++latest
    batch(() => {
      status.value = 'loading'
      error.value = undefined
      selected.value = undefined
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

  function selectSlot(slot: Slot): void {
    selected.value = slot
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
    load,
    showWeek,
    chooseDuration,
    selectSlot,
  }
}
