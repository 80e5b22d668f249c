// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AvailabilityResponse, PublicBooking, PublicResource } from '../../shared/types'
import type { AvailabilityQuery, BookingClient, SeriesClient } from '../client'
import type { Messages } from '../i18n'
import { CATALOGUES } from '../locales'
import { ManageBooking, type ManageBookingProps } from './ManageBooking'
import { seriesWords } from './ManageSeries'

/*
 * The manage page as a guest uses it from the link in their confirmation: reading the
 * time, deciding whether to cancel (and what they get back), typing a reason, moving it.
 */

const room: PublicResource = { id: 'r-1', slug: 'room', type: 'room', name: 'Meeting room', timezone: 'Europe/Berlin' }

const booked: PublicBooking = {
  ref: 'K7Q2XM3D',
  resourceId: room.id,
  status: 'confirmed',
  start: '2026-12-07T09:00:00Z',
  end: '2026-12-07T10:00:00Z',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
  version: 1,
  createdAt: '2026-11-20T12:00:00Z',
  payment: { status: 'captured', amount: 2500, currency: 'EUR', captured: 2500, refunded: 0 },
  cancellation: { allowed: true, percent: 100, refund: { amount: 2500, currency: 'EUR' } },
}

function availability(query: AvailabilityQuery): AvailabilityResponse {
  const date = '2026-11-30'
  const days =
    date >= query.from && date <= query.to
      ? [{ date, slots: [{ start: `${date}T13:00:00Z`, end: `${date}T14:00:00Z` }] }]
      : []
  return { resource: room, timezone: query.tz ?? room.timezone, days }
}

function createFakeClient(booking: PublicBooking = booked) {
  return {
    sessionId: 's_test',
    getResource: vi.fn<BookingClient['getResource']>(async () => ({ data: room })),
    getAvailability: vi.fn<BookingClient['getAvailability']>(async (_id, query) => ({ data: availability(query) })),
    getNextAvailable: vi.fn<BookingClient['getNextAvailable']>(async () => ({ data: null })),
    placeHold: vi.fn<BookingClient['placeHold']>(async ({ start, end }) => ({
      data: {
        id: 'h_1',
        resourceId: room.id,
        start,
        end: end ?? start,
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
      },
    })),
    releaseHold: vi.fn<BookingClient['releaseHold']>(async () => ({ data: true as const })),
    createBooking: vi.fn<BookingClient['createBooking']>(),
    getCalendarFile: vi.fn<BookingClient['getCalendarFile']>(async () => ({ data: new Blob(['BEGIN:VCALENDAR']) })),
    getBooking: vi.fn<BookingClient['getBooking']>(async () => ({ data: booking })),
    cancelBooking: vi.fn<BookingClient['cancelBooking']>(async () => ({
      data: { ...booking, status: 'cancelled', cancelledAt: '2026-11-29T08:00:00Z', cancellation: undefined },
    })),
    rescheduleBooking: vi.fn<BookingClient['rescheduleBooking']>(async () => ({
      data: { ...booking, start: '2026-11-30T13:00:00Z', end: '2026-11-30T14:00:00Z', version: 2 },
    })),
    getPool: vi.fn<BookingClient['getPool']>(),
    getPoolAvailability: vi.fn<BookingClient['getPoolAvailability']>(),
    getPoolNextAvailable: vi.fn<BookingClient['getPoolNextAvailable']>(),
    placePoolHold: vi.fn<BookingClient['placePoolHold']>(),
    getSpans: vi.fn<BookingClient['getSpans']>(),
  }
}

function renderManage(client = createFakeClient(), language: 'en' | 'de' | 'es' = 'en') {
  const props: ManageBookingProps = {
    client,
    ref_: 'K7Q2XM3D',
    token: 'tok',
    zone: 'Europe/Berlin',
    t: CATALOGUES[language] as Messages,
    locale: language,
    onError: vi.fn(),
    onChanged: vi.fn(),
  }
  const view = render(<ManageBooking {...props} />)
  return { client, props, view }
}

const button = (name: string) => screen.getByRole('button', { name })

beforeEach(() => {
  // Only the clock: "this year" is 2026, so December dates leave the year out.
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-29T08:00:00Z') })
})
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

describe('reading the booking', () => {
  it('states the time with its zone', async () => {
    renderManage()
    await screen.findByRole('heading', { name: 'Meeting room' })
    expect(screen.getByText(/Dec 7/).textContent?.replace(/\s+/g, ' ')).toBe(
      'Mon, Dec 7, 10:00 – 11:00 AM (Central European Time)',
    )
  })

  it('speaks German, times included', async () => {
    renderManage(createFakeClient(), 'de')
    await screen.findByRole('heading', { name: 'Meeting room' })
    expect(screen.getByText(/Dez/).textContent).toBe('Mo., 7. Dez., 10:00–11:00 Uhr (Mitteleuropäische Zeit)')
    expect(button('Buchung stornieren')).toBeTruthy()
  })
})

describe('a single booking beside series', () => {
  it('shows no series part and never asks for one, with a client that manages series', async () => {
    const getSeries = vi.fn<SeriesClient['getSeries']>()
    const cancelSeries = vi.fn<SeriesClient['cancelSeries']>()
    const rescheduleSeries = vi.fn<SeriesClient['rescheduleSeries']>()
    const getSeriesCalendarFile = vi.fn<SeriesClient['getSeriesCalendarFile']>()
    renderManage(
      Object.assign(createFakeClient(), { getSeries, cancelSeries, rescheduleSeries, getSeriesCalendarFile }),
    )
    const card = (await screen.findByRole('heading', { name: 'Meeting room' })).closest('section')!
    expect(
      within(card)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Change time', 'Cancel booking'])
    expect(card.querySelectorAll('section')).toHaveLength(0)
    expect(screen.queryByRole('heading', { name: seriesWords.title })).toBeNull()
    expect(screen.queryByRole('group', { name: 'Add to your calendar' })).toBeNull()
    for (const call of [getSeries, cancelSeries, rescheduleSeries, getSeriesCalendarFile])
      expect(call).not.toHaveBeenCalled()
  })
})

describe('cancelling', () => {
  it('shows what the guest gets back before they confirm, and cancels only on "Yes, cancel"', async () => {
    const { client } = renderManage()
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel booking' }))
    const group = screen.getByRole('group', { name: CATALOGUES.en!.confirmCancel })
    expect(within(group).getByText('You get back €25.00 (100 %).')).toBeTruthy()
    expect(client.cancelBooking).not.toHaveBeenCalled()
    fireEvent.click(within(group).getByRole('button', { name: 'Yes, cancel' }))
    await screen.findByText('Your booking is cancelled.')
    expect(client.cancelBooking).toHaveBeenCalledWith('K7Q2XM3D', 'tok', undefined)
    expect(screen.getByText('Cancelled')).toBeTruthy()
  })

  it('says so when the policy gives nothing back', async () => {
    renderManage(
      createFakeClient({
        ...booked,
        cancellation: { allowed: true, percent: 0, refund: { amount: 0, currency: 'EUR' } },
      }),
    )
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel booking' }))
    expect(screen.getByText('No refund under the cancellation policy.')).toBeTruthy()
    expect(screen.queryByText(/You get back/)).toBeNull()
  })

  it('promises no refund for a booking that took no money', async () => {
    const { payment: _unpaid, ...free } = booked
    renderManage(createFakeClient({ ...free, cancellation: { allowed: true, percent: 100 } }))
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel booking' }))
    expect(screen.getByRole('group').textContent).not.toMatch(/refund|get back/i)
  })

  it('keeps the reason typed at human speed through re-renders, and sends it with the cancel', async () => {
    const client = createFakeClient()
    // The resource's name arrives while the guest is typing: a re-render mid-sentence.
    let resourceArrives: () => void = () => undefined
    client.getResource.mockImplementationOnce(
      () => new Promise((resolve) => (resourceArrives = () => resolve({ data: room }))),
    )
    const { props, view } = renderManage(client)
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel booking' }))
    const reason = screen.getByLabelText('Reason (optional)') as HTMLTextAreaElement
    const typed = 'My train is cancelled'
    for (let i = 1; i <= typed.length; i++) {
      fireEvent.input(reason, { target: { value: typed.slice(0, i) } })
      if (i === 5) resourceArrives()
      // The host re-renders with fresh props (e.g. after the language loaded).
      if (i === 10) view.rerender(<ManageBooking {...props} t={{ ...CATALOGUES.en! }} />)
    }
    await screen.findByRole('heading', { name: 'Meeting room' })
    view.rerender(<ManageBooking {...props} onChanged={vi.fn()} />)
    expect((screen.getByLabelText('Reason (optional)') as HTMLTextAreaElement).value).toBe(typed)
    // "Keep it" and back again: still there.
    fireEvent.click(button('Keep it'))
    fireEvent.click(button('Cancel booking'))
    expect((screen.getByLabelText('Reason (optional)') as HTMLTextAreaElement).value).toBe(typed)
    fireEvent.click(button('Yes, cancel'))
    await screen.findByText('Your booking is cancelled.')
    expect(client.cancelBooking).toHaveBeenCalledWith('K7Q2XM3D', 'tok', typed)
  })

  it('explains that online cancellation has closed and offers no cancel button', async () => {
    renderManage(createFakeClient({ ...booked, cancellation: { allowed: false, percent: 0 } }))
    expect(await screen.findByText(CATALOGUES.en!.manageClosed)).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Cancel booking' })).toBeNull()
    // The API refuses a move inside the same window, so none is offered either.
    expect(screen.queryByRole('button', { name: 'Change time' })).toBeNull()
  })

  it('words a refusal from its code in the guest’s language, never the API’s English, and shows how the booking stands now', async () => {
    const client = createFakeClient()
    const english = 'It is too close to the start to change this booking online; please contact the provider.'
    client.cancelBooking.mockResolvedValueOnce({
      error: { code: 'cancellation_closed', message: english, status: 422 },
    })
    renderManage(client, 'de')
    fireEvent.click(await screen.findByRole('button', { name: 'Buchung stornieren' }))
    client.getBooking.mockResolvedValueOnce({ data: { ...booked, cancellation: { allowed: false, percent: 0 } } })
    fireEvent.click(button('Ja, stornieren'))
    expect((await screen.findByRole('alert')).textContent).toBe(CATALOGUES.de!.errors.cancellation_closed)
    expect(document.body.textContent).not.toContain(english)
    await screen.findByText(CATALOGUES.de!.manageClosed)
    expect(screen.queryByRole('button', { name: 'Buchung stornieren' })).toBeNull()
  })

  it.each([
    [
      'rate_limited',
      'Too many tries, or too many times held at once from this network. Please wait a few minutes and try again.',
    ],
    ['network_error', 'Could not reach the booking service. Check your connection and try again.'],
    ['not_found', 'This booking link is not valid. Please use the link from your confirmation.'],
  ] as const)('on loading, answers %s with the catalogue’s words', async (code, text) => {
    const client = createFakeClient()
    client.getBooking.mockResolvedValueOnce({ error: { code, message: 'server words', status: 400 } })
    renderManage(client)
    expect((await screen.findByRole('alert')).textContent).toBe(text)
  })
})

describe('the minimum notices: until when the guest can move and cancel online', () => {
  // Start Mon 7 Dec 10:00 Berlin; moves close 6 h before, cancels 24 h before.
  const withNotice = (reschedule: string | null, cancel: string | null): PublicBooking => ({
    ...booked,
    changeableUntil: { reschedule, cancel },
    cancellation: cancel === null ? { allowed: false, percent: 0 } : booked.cancellation!,
  })

  it('states both deadlines in the guest’s zone while both are open', async () => {
    renderManage(createFakeClient(withNotice('2026-12-07T03:00:00Z', '2026-12-06T09:00:00Z')))
    await screen.findByRole('heading', { name: 'Meeting room' })
    expect(screen.getByText(/^You can change the time online until/).textContent?.replace(/\s+/g, ' ')).toBe(
      'You can change the time online until Mon, Dec 7, 4:00 AM.',
    )
    expect(screen.getByText(/^You can cancel online until/).textContent?.replace(/\s+/g, ' ')).toBe(
      'You can cancel online until Sun, Dec 6, 10:00 AM.',
    )
    expect(button('Change time')).toBeTruthy()
    expect(button('Cancel booking')).toBeTruthy()
  })

  it('says one sentence when both close at the same time, and nothing when they stay open until the start', async () => {
    renderManage(createFakeClient(withNotice('2026-12-06T09:00:00Z', '2026-12-06T09:00:00Z')))
    await screen.findByRole('heading', { name: 'Meeting room' })
    expect(screen.getByText(CATALOGUES.en!.changeUntil('Sun, Dec 6, 10:00 AM'))).toBeTruthy()
    cleanup()
    renderManage(createFakeClient(withNotice(booked.start, booked.start)))
    await screen.findByRole('heading', { name: 'Meeting room' })
    expect(document.body.textContent).not.toMatch(/online until/)
  })

  it('once cancelling has closed, still offers the move and says why there is no cancel button', async () => {
    renderManage(createFakeClient(withNotice('2026-12-07T03:00:00Z', null)))
    expect(await screen.findByText(CATALOGUES.en!.cancelClosed)).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Cancel booking' })).toBeNull()
    expect(button('Change time')).toBeTruthy()
    expect(screen.queryByText(CATALOGUES.en!.manageClosed)).toBeNull()
  })

  it.each(['en', 'de', 'es'] as const)(
    'once moving has closed, still offers the cancel and says why there is no move (%s)',
    async (language) => {
      const t = CATALOGUES[language]!
      renderManage(createFakeClient(withNotice(null, '2026-12-06T09:00:00Z')), language)
      expect(await screen.findByText(t.moveClosed)).toBeTruthy()
      expect(screen.queryByRole('button', { name: t.changeTime })).toBeNull()
      expect(button(t.cancelBooking)).toBeTruthy()
    },
  )

  it('with both closed, says so once and offers neither', async () => {
    renderManage(createFakeClient(withNotice(null, null)))
    expect(await screen.findByText(CATALOGUES.en!.manageClosed)).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Change time' })).toBeNull()
    expect(screen.queryByRole('button', { name: 'Cancel booking' })).toBeNull()
  })

  it.each(['en', 'de', 'es'] as const)(
    'words reschedule_closed from the catalogue (%s), back on the booking with the move gone',
    async (language) => {
      const t = CATALOGUES[language]!
      const client = createFakeClient(withNotice('2026-12-07T03:00:00Z', '2026-12-06T09:00:00Z'))
      const english = 'It is too close to the start to move this booking online; please contact the provider.'
      client.rescheduleBooking.mockResolvedValueOnce({
        error: { code: 'reschedule_closed', message: english, status: 422 },
      })
      renderManage(client, language)
      fireEvent.click(await screen.findByRole('button', { name: t.changeTime }))
      const list = await screen.findByRole('listbox')
      fireEvent.click(within(list).getAllByRole('option')[0]!)
      // The clock moved on while the guest chose: the server now says moving has closed.
      client.getBooking.mockResolvedValueOnce({ data: withNotice(null, '2026-12-06T09:00:00Z') })
      fireEvent.click(await screen.findByRole('button', { name: t.moveHere }))
      expect((await screen.findByRole('alert')).textContent).toBe(t.errors.reschedule_closed)
      expect(t.errors.reschedule_closed).not.toBe(t.errors.generic)
      expect(document.body.textContent).not.toContain(english)
      await screen.findByText(t.moveClosed)
      expect(screen.queryByRole('button', { name: t.changeTime })).toBeNull()
      expect(button(t.cancelBooking)).toBeTruthy()
    },
  )
})

describe('moving', () => {
  it('after a move offers the new time for the calendar again: .ics, Google and Outlook', async () => {
    const { client } = renderManage()
    await screen.findByRole('heading', { name: 'Meeting room' })
    // Nothing to add before the booking changed: the confirmation offered it already.
    expect(screen.queryByRole('link', { name: 'Google Calendar' })).toBeNull()
    fireEvent.click(button('Change time'))
    const list = await screen.findByRole('listbox')
    fireEvent.click(within(list).getAllByRole('option')[0]!)
    // The new time is confirmed beside the one it replaces.
    const move = await screen.findByRole('button', { name: 'Move to this time' })
    expect(screen.getByText(/^Instead of/).textContent?.replace(/\s+/g, ' ')).toBe(
      'Instead of Mon, Dec 7, 10:00 – 11:00 AM (Central European Time)',
    )
    fireEvent.click(move)
    await screen.findByText('Your booking has moved to the new time.')
    expect(client.rescheduleBooking).toHaveBeenCalledWith('K7Q2XM3D', 'tok', 'h_1')
    expect(screen.getByText(/Nov 30/).textContent?.replace(/\s+/g, ' ')).toBe(
      'Mon, Nov 30, 2:00 – 3:00 PM (Central European Time)',
    )

    const links = screen.getByRole('group', { name: 'Add to your calendar' })
    const google = new URL(within(links).getByRole('link', { name: 'Google Calendar' }).getAttribute('href')!)
    expect(google.searchParams.get('dates')).toBe('20261130T130000Z/20261130T140000Z')
    expect(google.searchParams.get('text')).toBe('Meeting room')
    const outlook = new URL(within(links).getByRole('link', { name: 'Outlook' }).getAttribute('href')!)
    expect([outlook.searchParams.get('startdt'), outlook.searchParams.get('enddt')]).toEqual([
      '2026-11-30T13:00:00Z',
      '2026-11-30T14:00:00Z',
    ])
    const file = await within(links).findByRole('link', { name: 'Add to calendar (.ics)' })
    expect(file.getAttribute('download')).toBe('booking-K7Q2XM3D.ics')
    expect(client.getCalendarFile).toHaveBeenCalledWith('K7Q2XM3D', 'tok')
  })

  it('goes back from choosing a new time with a Back button inside the card, giving no hold away', async () => {
    const { client } = renderManage()
    await screen.findByRole('heading', { name: 'Meeting room' })
    fireEvent.click(button('Change time'))
    await screen.findByRole('listbox')
    const back = button('Back')
    expect(back.closest('section.card')).not.toBeNull()
    fireEvent.click(back)
    expect(await screen.findByRole('button', { name: 'Change time' })).toBeTruthy()
    expect(client.placeHold).not.toHaveBeenCalled()
  })
})
