import { describe, expect, it, vi } from 'vitest'
import type { AvailabilityResponse, PublicResource } from '../shared/types'
import type { AvailabilityQuery, BookingClient, ClientResult } from './client'
import { CATALOGUES } from './locales'
import { withLaterSteps } from './models/later-steps'
import { createBookingState, type BookingStateOptions } from './state'

const t = CATALOGUES.en!
const now = () => new Date('2026-03-27T12:00:00Z')
const car: PublicResource = {
  id: 'c0ffee00-0000-4000-8000-000000000003',
  slug: 'city-car',
  type: 'car',
  name: 'City car',
  timezone: 'Europe/Lisbon',
  durations: [480, 120, 240],
}

/** `slotCount` two-hour slots on `date`; the API leaves out the month's other days. */
function availability(date: string, slotCount: number): AvailabilityResponse {
  const slots = Array.from({ length: slotCount }, (_, i) => ({
    start: `${date}T${String(8 + i).padStart(2, '0')}:00:00Z`,
    end: `${date}T${String(10 + i).padStart(2, '0')}:00:00Z`,
  }))
  return { resource: car, timezone: 'Europe/London', days: [{ date, slots }] }
}

/** A client whose answers the test releases by hand, in any order. */
function createManualClient() {
  const calls: { query: AvailabilityQuery; answer: (result: ClientResult<AvailabilityResponse>) => void }[] = []
  const client = {
    getAvailability: (_id: string, query: AvailabilityQuery) =>
      new Promise<ClientResult<AvailabilityResponse>>((resolve) => calls.push({ query, answer: resolve })),
    getNextAvailable: vi.fn<BookingClient['getNextAvailable']>(async () => ({ data: null })),
    placeHold: vi.fn<BookingClient['placeHold']>(),
    releaseHold: vi.fn<BookingClient['releaseHold']>(async () => ({ data: true as const })),
    createBooking: vi.fn<BookingClient['createBooking']>(),
    rescheduleBooking: vi.fn<BookingClient['rescheduleBooking']>(),
    getBooking: vi.fn<BookingClient['getBooking']>(),
  }
  return { client, calls }
}

function setup(onError = vi.fn(), extra: Partial<BookingStateOptions> = {}) {
  const { client, calls } = createManualClient()
  const onHeld = vi.fn()
  const onBooked = vi.fn()
  const state = withLaterSteps(
    createBookingState(client, {
      resource: 'city-car',
      zone: 'Europe/London',
      t,
      locale: 'en',
      now,
      onError,
      onHeld,
      onBooked,
      ...extra,
    }),
  )
  return { state, calls, onError, client, onHeld, onBooked }
}

/** Loads the first month and answers it, so a flow can start. */
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
  it('holds the chosen slot, then books it with the guest’s details, language and zone', async () => {
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
    // The phone goes as typed: the server normalises it with the resource's country.
    expect(input).toEqual({
      holdId: hold.id,
      guest: { name: 'Ada', email: 'ada@example.com', phone: '+44 20 7123 4567' },
      locale: 'en',
      timezone: 'Europe/London',
    })
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
    expect(s.state.notice.value).toBe(t.errors.network_error)
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
    // The month is asked for again (not served from the cache), so the lost slot is gone.
    await vi.waitFor(() => expect(s.calls).toHaveLength(3))
    expect(s.calls[2]?.query).toMatchObject({ from: '2026-03-27', to: '2026-03-31' })
    s.calls[2]?.answer({ data: availability('2026-03-27', 2) })
    await submitted
    expect(s.state.step.value).toBe('pick')
    expect(s.state.notice.value).toMatch(message)
    expect(s.state.draft.value.email).toBe('ada@example.com')
    expect(s.state.slotsOfSelectedDate.value).toHaveLength(2)
  })

  it.each([
    [{ limit: 'perGuestPerDay', max: 2 }, 'You can book this at most 2 times per day. Please pick another day.'],
    [{ limit: 'perGuestPerWeek', max: 1 }, 'You can book this only once per week. Please pick a day in another week.'],
    [{ limit: 'perDay', max: 6 }, 'This day is fully booked. Please pick another day.'],
    [
      { limit: 'minGapMinutes', minutes: 90 },
      'Your bookings need at least 90 minutes between them. Please pick another time.',
    ],
    [undefined, 'You have reached this calendar’s booking limit. Please pick another day.'],
  ])('on limit_reached %j goes back to the slots saying which limit', async (limit, message) => {
    const s = setup()
    await ready(s)
    s.client.placeHold.mockResolvedValue({ data: hold })
    s.client.createBooking.mockResolvedValue({ error: { code: 'limit_reached', message: 'api text', details: limit } })
    await s.state.selectSlot(slot)
    const submitted = s.state.submitDetails(details)
    await vi.waitFor(() => expect(s.calls).toHaveLength(3))
    s.calls[2]?.answer({ data: availability('2026-03-27', 2) })
    await submitted
    expect(s.state.step.value).toBe('pick')
    expect(s.state.notice.value).toBe(message)
  })

  it('releases the hold when the guest goes back to the slots', async () => {
    const s = setup()
    await ready(s)
    s.client.placeHold.mockResolvedValue({ data: hold })
    await s.state.selectSlot(slot)
    const back = s.state.backToSlots()
    await vi.waitFor(() => expect(s.calls).toHaveLength(3))
    s.calls[2]?.answer({ data: availability('2026-03-27', 3) })
    await back
    expect(s.client.releaseHold).toHaveBeenCalledWith(hold.id)
    expect(s.state.step.value).toBe('pick')
    expect(s.state.hold.value).toBeUndefined()
  })
})

describe('refused requests', () => {
  it('shows refused guest fields under each field, without reporting an error', async () => {
    const s = setup()
    await ready(s)
    s.client.placeHold.mockResolvedValue({ data: hold })
    s.client.createBooking.mockResolvedValue({
      error: {
        code: 'invalid_request',
        message: 'api text',
        details: [{ path: 'guest.email', code: 'invalid_email' }],
      },
    })
    await s.state.selectSlot(slot)
    await s.state.submitDetails(details)
    expect(s.state.step.value).toBe('details')
    expect(s.state.fieldErrors.value).toEqual({ email: t.fieldError.invalid_email })
    expect(s.state.fieldErrorsShown.value).toBe(1)
    expect(s.state.notice.value).toBe(t.checkFields)
    expect(s.onError).not.toHaveBeenCalled()
  })

  it('says a refused hold request in plain words, without reporting an error', async () => {
    const s = setup()
    await ready(s)
    s.client.placeHold.mockResolvedValue({
      error: { code: 'invalid_request', message: 'api text', details: [{ path: 'start' }] },
    })
    await s.state.selectSlot(slot)
    expect(s.state.step.value).toBe('pick')
    expect(s.state.fieldErrors.value).toEqual({})
    expect(s.state.notice.value).toBe(t.errors.invalid_request ?? t.errors.generic)
    expect(s.onError).not.toHaveBeenCalled()
  })
})

describe('disposal', () => {
  it('gives a live hold back when the state is disposed, once', async () => {
    const s = setup()
    await ready(s)
    s.client.placeHold.mockResolvedValue({ data: hold })
    await s.state.selectSlot(slot)
    s.state[Symbol.dispose]()
    s.state[Symbol.dispose]()
    expect(s.client.releaseHold).toHaveBeenCalledTimes(1)
    expect(s.client.releaseHold).toHaveBeenCalledWith(hold.id)
  })

  it('asks nothing of the server when no time is held', async () => {
    const s = setup()
    await ready(s)
    s.state[Symbol.dispose]()
    expect(s.client.releaseHold).not.toHaveBeenCalled()
  })
})

describe('rescheduling', () => {
  it('moves the booking to the held time instead of creating one', async () => {
    const onMoved = vi.fn()
    const s = setup(vi.fn(), { reschedule: { ref: 'K7Q2XM3D', token: 'tok', from: slot, onMoved } })
    await ready(s)
    s.client.placeHold.mockResolvedValue({ data: hold })
    const moved = { ...booking, version: 2 }
    s.client.rescheduleBooking.mockResolvedValue({ data: moved })
    await s.state.selectSlot(slot)
    await s.state.confirmMove()
    expect(s.client.rescheduleBooking).toHaveBeenCalledWith('K7Q2XM3D', 'tok', hold.id)
    expect(s.client.createBooking).not.toHaveBeenCalled()
    expect(s.state.step.value).toBe('done')
    expect(onMoved).toHaveBeenCalledWith(moved)
  })
})

describe('createBookingState', () => {
  it('asks for the rest of this month in the viewer zone, picks the first free day, and fetches next month ahead', async () => {
    const { state, calls } = setup()
    const loaded = state.load()
    expect(state.status.value).toBe('loading')
    expect(calls[0]?.query).toEqual({ from: '2026-03-27', to: '2026-03-31', tz: 'Europe/London' })
    calls[0]?.answer({ data: availability('2026-03-30', 3) })
    await loaded
    expect(state.status.value).toBe('ready')
    expect(state.resource.value?.name).toBe('City car')
    expect(state.month.value).toBe('2026-03')
    expect(state.selectedDate.value).toBe('2026-03-30')
    expect([...state.slotsByDate.value.keys()]).toEqual(['2026-03-30'])
    expect(state.slotsOfSelectedDate.value).toHaveLength(3)
    expect(state.isEmpty.value).toBe(false)
    expect(calls[1]?.query).toEqual({ from: '2026-04-01', to: '2026-04-30', tz: 'Europe/London' })
  })

  it('shows the prefetched month without asking again', async () => {
    const { state, calls } = setup()
    await ready({ state, calls } as never)
    calls[1]?.answer({ data: availability('2026-04-02', 2) })
    await state.showMonth(1)
    expect(state.month.value).toBe('2026-04')
    expect(state.selectedDate.value).toBe('2026-04-02')
    // Only the month after (May) was newly asked for.
    expect(calls.map((c) => c.query.from)).toEqual(['2026-03-27', '2026-04-01', '2026-05-01'])
  })

  it('is empty when no day of the month has a free slot', async () => {
    const { state, calls } = setup()
    const loaded = state.load()
    calls[0]?.answer({ data: availability('2026-03-27', 0) })
    await loaded
    expect(state.status.value).toBe('ready')
    expect(state.isEmpty.value).toBe(true)
    expect(state.selectedDate.value).toBeUndefined()
  })

  it('does not go back before the month that holds today', () => {
    const { state, calls } = setup()
    void state.load()
    expect(state.canGoBack.value).toBe(false)
    expect(state.showMonth(-1)).toBeUndefined()
    expect(calls).toHaveLength(1)
    expect(state.month.value).toBe('2026-03')
  })

  it('keeps the answer for the newest request when an older one arrives later', async () => {
    const { state, calls } = setup()
    const first = state.load()
    const second = state.showMonth(1)
    calls[1]?.answer({ data: availability('2026-04-03', 2) })
    await second
    calls[0]?.answer({ data: availability('2026-03-27', 5) })
    await first
    expect(state.month.value).toBe('2026-04')
    expect(state.selectedDate.value).toBe('2026-04-03')
    expect(state.slotsOfSelectedDate.value).toHaveLength(2)
  })

  it('asks again in the zone the guest switches to, from that zone’s today', async () => {
    const { state, calls } = setup()
    await ready({ state, calls } as never)
    // 12:00 UTC on 27 March is already 28 March in Kiritimati (UTC+14).
    void state.chooseZone('Pacific/Kiritimati')
    expect(state.zone.value).toBe('Pacific/Kiritimati')
    expect(calls[2]?.query).toEqual({ from: '2026-03-28', to: '2026-03-31', tz: 'Pacific/Kiritimati' })
    expect(state.chooseZone('Pacific/Kiritimati')).toBeUndefined()
  })

  it('offers the durations shortest first and refetches when another is chosen', async () => {
    const { state, calls, client } = setup()
    await ready({ state, calls } as never)
    expect(state.durations.value).toEqual([120, 240, 480])
    expect(state.activeDuration.value).toBe(120)

    expect(state.chooseDuration(120)).toBeUndefined()
    expect(calls).toHaveLength(2)

    // The hold request stays in flight: changing the duration still starts afresh.
    client.placeHold.mockReturnValue(new Promise(() => {}))
    void state.selectSlot({ start: '2026-03-27T08:00:00Z', end: '2026-03-27T10:00:00Z' })
    expect(state.selected.value).toBeDefined()
    void state.chooseDuration(240)
    expect(calls[2]?.query).toEqual({ from: '2026-03-27', to: '2026-03-31', tz: 'Europe/London', duration: 240 })
    expect(state.activeDuration.value).toBe(240)
    expect(state.selected.value).toBeUndefined()
  })

  it('shows an error, reports it once, and asks again on retry', async () => {
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
    expect(calls).toHaveLength(2)
    calls[1]?.answer({ data: availability('2026-03-27', 1) })
    await retried
    expect(state.status.value).toBe('ready')
    expect(onError).toHaveBeenCalledTimes(1)
  })

  it.each([
    ['rate_limited', t.errors.rate_limited],
    ['network_error', t.errors.network_error],
  ] as const)('keeps the guest on the form with a plain message on %s', async (code, message) => {
    const s = setup()
    await ready(s)
    s.client.placeHold.mockResolvedValue({ error: { code, message: 'api text' } })
    await s.state.selectSlot(slot)
    expect(s.state.step.value).toBe('pick')
    expect(s.state.notice.value).toBe(message)
    expect(s.onError).not.toHaveBeenCalled()
  })
})
