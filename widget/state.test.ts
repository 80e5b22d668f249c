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
  const client = {
    getAvailability: (_id: string, query: AvailabilityQuery) =>
      new Promise<ClientResult<AvailabilityResponse>>((resolve) => calls.push({ query, answer: resolve })),
    placeHold: vi.fn<BookingClient['placeHold']>(),
    releaseHold: vi.fn<BookingClient['releaseHold']>(async () => ({ data: true as const })),
    createBooking: vi.fn<BookingClient['createBooking']>(),
  }
  return { client, calls }
}

function setup(onError = vi.fn()) {
  const { client, calls } = createManualClient()
  const onHeld = vi.fn()
  const onBooked = vi.fn()
  const state = createBookingState(client, { resource: 'city-car', zone: 'Europe/London', today, onError, onHeld, onBooked })
  return { state, calls, onError, client, onHeld, onBooked }
}

/** Loads the first week and answers it, so a flow can start. */
async function ready(setupResult: ReturnType<typeof setup>) {
  const loaded = setupResult.state.load()
  setupResult.calls.at(-1)?.answer({ data: availability('2026-03-27', 3) })
  await loaded
}

const slot = { start: '2026-03-27T08:00:00Z', end: '2026-03-27T10:00:00Z' }
const hold = { id: 'h_1.car', resourceId: car.id, start: slot.start, end: slot.end, expiresAt: '2026-03-27T07:10:00Z' }
const booking = {
  ref: 'K7Q2XM3D',
  resourceId: car.id,
  status: 'confirmed' as const,
  start: slot.start,
  end: slot.end,
  guest: { name: 'Ada', email: 'ada@example.com' },
  version: 1,
  createdAt: '2026-03-27T07:00:00Z',
}
const details = { name: ' Ada ', email: 'ada@example.com', phone: '+44 20 7123 4567', notes: '' }

describe('booking flow', () => {
  it('holds the chosen slot, then books it with the guest’s details', async () => {
    const s = setup()
    await ready(s)
    s.client.placeHold.mockResolvedValue({ data: hold })
    s.client.createBooking.mockResolvedValue({ data: { booking, manageToken: 'tok' } })
    await s.state.selectSlot(slot)
    expect(s.client.placeHold).toHaveBeenCalledWith({ resourceId: car.id, start: slot.start, end: slot.end })
    expect(s.state.step.value).toBe('details')
    expect(s.onHeld).toHaveBeenCalledWith(hold)

    await s.state.submitDetails(details)
    const [input, opts] = s.client.createBooking.mock.calls[0]!
    expect(input).toEqual({ holdId: hold.id, guest: { name: 'Ada', email: 'ada@example.com', phone: '+442071234567' } })
    expect(opts?.idempotencyKey).toMatch(/^book_[0-9a-f]{32}$/)
    expect(s.state.step.value).toBe('done')
    expect(s.state.booking.value?.ref).toBe('K7Q2XM3D')
    expect(s.state.manageToken.value).toBe('tok')
    expect(s.onBooked).toHaveBeenCalledWith(booking)
  })

  it('sends the same idempotency key when the guest retries after a network failure', async () => {
    const s = setup()
    await ready(s)
    s.client.placeHold.mockResolvedValue({ data: hold })
    s.client.createBooking.mockResolvedValueOnce({ error: { code: 'network_error', message: 'offline' } })
    s.client.createBooking.mockResolvedValueOnce({ data: { booking, manageToken: 'tok' } })
    await s.state.selectSlot(slot)
    await s.state.submitDetails(details)
    expect(s.state.step.value).toBe('details')
    expect(s.state.notice.value).toBe('offline')
    await s.state.submitDetails(details)
    const keys = s.client.createBooking.mock.calls.map(([, o]) => o?.idempotencyKey)
    expect(keys[0]).toBe(keys[1])
    expect(s.state.step.value).toBe('done')
  })

  it.each([
    ['slot_held', /just taken/],
    ['slot_taken', /just taken/],
    ['hold_expired', /ran out/],
  ] as const)('goes back to fresh slots with a plain message on %s, keeping the form values', async (code, message) => {
    const s = setup()
    await ready(s)
    s.client.placeHold.mockResolvedValue({ data: hold })
    s.client.createBooking.mockResolvedValue({ error: { code, message: 'api text' } })
    await s.state.selectSlot(slot)
    const submitted = s.state.submitDetails(details)
    await vi.waitFor(() => expect(s.calls).toHaveLength(2))
    s.calls[1]?.answer({ data: availability('2026-03-27', 2) })
    await submitted
    expect(s.state.step.value).toBe('pick')
    expect(s.state.notice.value).toMatch(message)
    expect(s.state.draft.value.email).toBe('ada@example.com')
    expect(s.state.days.value[0]?.slots).toHaveLength(2)
  })

  it('releases the hold when the guest goes back to the slots', async () => {
    const s = setup()
    await ready(s)
    s.client.placeHold.mockResolvedValue({ data: hold })
    await s.state.selectSlot(slot)
    const back = s.state.backToSlots()
    await vi.waitFor(() => expect(s.calls).toHaveLength(2))
    s.calls[1]?.answer({ data: availability('2026-03-27', 3) })
    await back
    expect(s.client.releaseHold).toHaveBeenCalledWith(hold.id)
    expect(s.state.step.value).toBe('pick')
    expect(s.state.hold.value).toBeUndefined()
  })
})

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
    const { state, calls, client } = setup()
    const loaded = state.load()
    calls[0]?.answer({ data: availability('2026-03-27', 2) })
    await loaded
    expect(state.durations.value).toEqual([120, 240, 480])
    expect(state.activeDuration.value).toBe(120)

    expect(state.chooseDuration(120)).toBeUndefined()
    expect(calls).toHaveLength(1)

    // The hold request stays in flight: changing the duration still starts afresh.
    client.placeHold.mockReturnValue(new Promise(() => {}))
    void state.selectSlot({ start: '2026-03-27T08:00:00Z', end: '2026-03-27T10:00:00Z' })
    expect(state.selected.value).toBeDefined()
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
