import { describe, expect, it, vi } from 'vitest'
import type { AvailabilityResponse, PublicResource } from '../shared/types'
import type { AvailabilityQuery, BookingClient, ClientResult } from './client'
import { createBookingState } from './state'

const today = '2026-03-27'
const car: PublicResource = {
  id: 'c0ffee00-0000-4000-8000-000000000003',
  slug: 'city-car',
  type: 'car',
  name: 'City car',
  timezone: 'Europe/Lisbon',
  durations: [480, 120, 240],
}

function availability(from: string, slotCount: number): AvailabilityResponse {
  const slots = Array.from({ length: slotCount }, (_, i) => ({
    start: `${from}T${String(8 + i).padStart(2, '0')}:00:00Z`,
    end: `${from}T${String(10 + i).padStart(2, '0')}:00:00Z`,
  }))
  // The API may leave out days; the state must still show all seven.
  return { resource: car, timezone: 'Europe/London', days: [{ date: from, slots }] }
}

/** A client whose answers the test releases by hand, in any order. */
function createManualClient() {
  const calls: { query: AvailabilityQuery; answer: (result: ClientResult<AvailabilityResponse>) => void }[] = []
  const client: Pick<BookingClient, 'getAvailability'> = {
    getAvailability: (_id, query) => new Promise((resolve) => calls.push({ query, answer: resolve })),
  }
  return { client, calls }
}

function setup(onError = vi.fn()) {
  const { client, calls } = createManualClient()
  const state = createBookingState(client, { resource: 'city-car', zone: 'Europe/London', today, onError })
  return { state, calls, onError }
}

describe('createBookingState', () => {
  it('asks for the seven days from today in the viewer zone and shows every one of them', async () => {
    const { state, calls } = setup()
    const loaded = state.load()
    expect(state.status.value).toBe('loading')
    expect(calls[0]?.query).toEqual({ from: '2026-03-27', to: '2026-04-02', tz: 'Europe/London' })
    calls[0]?.answer({ data: availability('2026-03-27', 3) })
    await loaded
    expect(state.status.value).toBe('ready')
    expect(state.resource.value?.name).toBe('City car')
    expect(state.days.value.map((d) => d.date)).toEqual([
      '2026-03-27',
      '2026-03-28',
      '2026-03-29',
      '2026-03-30',
      '2026-03-31',
      '2026-04-01',
      '2026-04-02',
    ])
    expect(state.days.value.map((d) => d.slots.length)).toEqual([3, 0, 0, 0, 0, 0, 0])
    expect(state.isEmpty.value).toBe(false)
  })

  it('is empty when no day of the week has a free slot', async () => {
    const { state, calls } = setup()
    const loaded = state.load()
    calls[0]?.answer({ data: availability('2026-03-27', 0) })
    await loaded
    expect(state.status.value).toBe('ready')
    expect(state.isEmpty.value).toBe(true)
  })

  it('does not go back before the week that starts today', () => {
    const { state, calls } = setup()
    void state.load()
    expect(state.canGoBack.value).toBe(false)
    expect(state.showWeek(-1)).toBeUndefined()
    expect(calls).toHaveLength(1)
    expect(state.weekStart.value).toBe(today)
  })

  it('loads the next week, and can then come back', async () => {
    const { state, calls } = setup()
    void state.load()
    void state.showWeek(1)
    expect(calls[1]?.query).toMatchObject({ from: '2026-04-03', to: '2026-04-09' })
    expect(state.canGoBack.value).toBe(true)
    void state.showWeek(-1)
    expect(calls[2]?.query).toMatchObject({ from: '2026-03-27', to: '2026-04-02' })
  })

  it('keeps the answer for the newest request when an older one arrives later', async () => {
    const { state, calls } = setup()
    const first = state.load()
    const second = state.showWeek(1)
    calls[1]?.answer({ data: availability('2026-04-03', 2) })
    await second
    calls[0]?.answer({ data: availability('2026-03-27', 5) })
    await first
    expect(state.weekStart.value).toBe('2026-04-03')
    expect(state.days.value[0]).toMatchObject({ date: '2026-04-03' })
    expect(state.days.value[0]?.slots).toHaveLength(2)
  })

  it('offers the durations shortest first and refetches when another is chosen', async () => {
    const { state, calls } = setup()
    const loaded = state.load()
    calls[0]?.answer({ data: availability('2026-03-27', 2) })
    await loaded
    expect(state.durations.value).toEqual([120, 240, 480])
    expect(state.activeDuration.value).toBe(120)

    expect(state.chooseDuration(120)).toBeUndefined()
    expect(calls).toHaveLength(1)

    state.selectSlot({ start: '2026-03-27T08:00:00Z', end: '2026-03-27T10:00:00Z' })
    void state.chooseDuration(240)
    expect(calls[1]?.query).toEqual({ from: '2026-03-27', to: '2026-04-02', tz: 'Europe/London', duration: 240 })
    expect(state.activeDuration.value).toBe(240)
    expect(state.selected.value).toBeUndefined()
  })

  it('shows an error, reports it once, and recovers on retry', async () => {
    const { state, calls, onError } = setup()
    const failed = state.load()
    const error = { code: 'network_error', message: 'Could not reach the booking service.' } as const
    calls[0]?.answer({ error })
    await failed
    expect(state.status.value).toBe('error')
    expect(state.error.value).toEqual(error)
    expect(onError).toHaveBeenCalledTimes(1)
    expect(onError).toHaveBeenCalledWith(error)

    const retried = state.load()
    expect(state.error.value).toBeUndefined()
    calls[1]?.answer({ data: availability('2026-03-27', 1) })
    await retried
    expect(state.status.value).toBe('ready')
    expect(onError).toHaveBeenCalledTimes(1)
  })
})
