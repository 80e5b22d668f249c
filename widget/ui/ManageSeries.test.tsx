// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { PublicSeries } from '../../shared/api-contract'
import type { AvailabilityResponse, PublicBooking, PublicResource } from '../../shared/types'
import type { AvailabilityQuery, BookingClient, SeriesClient } from '../client'
import type { Messages } from '../i18n'
import { CATALOGUES } from '../locales'
import { ManageBooking, type ManageBookingProps } from './ManageBooking'
import { seriesWords } from './ManageSeries'

/*
 * The manage link of a weekly series opens its first date to come; under it, the series:
 * how it repeats, its dates, and every later date cancelled, moved or added to the calendar
 * at once, with the same token.
 */

const room: PublicResource = {
  id: 'r-1',
  slug: 'room',
  type: 'room',
  name: 'Meeting room',
  timezone: 'Europe/Berlin',
  minCancelNoticeHours: 24,
}

const SERIES_REF = 'S3R1E5AA'

/** A Tuesday 18:00 Berlin date of the series (17:00 UTC in December). */
function date(ref: string, day: string, status: PublicBooking['status'] = 'confirmed'): PublicBooking {
  return {
    ref,
    resourceId: room.id,
    status,
    start: `${day}T17:00:00Z`,
    end: `${day}T18:00:00Z`,
    guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
    version: 1,
    createdAt: '2026-11-20T12:00:00Z',
    seriesRef: SERIES_REF,
    seriesEveryWeeks: 1,
    cancellation: { allowed: true, percent: 100 },
  }
}

const first = date('K7Q2XM3D', '2026-12-01')
const series: PublicSeries = {
  ref: SERIES_REF,
  id: '6f1c0000-0000-4000-8000-000000000001',
  resourceId: room.id,
  everyWeeks: 1,
  occurrences: 4,
  mode: 'skip_conflicts',
  skippedDates: [],
  bookings: [
    first,
    date('M2Q8ZR4T', '2026-12-08', 'cancelled'),
    date('P5W3NK7B', '2026-12-15'),
    date('T9H4DX2C', '2026-12-22'),
  ],
}

function availability(query: AvailabilityQuery): AvailabilityResponse {
  const days = ['2026-12-03', '2026-12-04']
    .filter((day) => day >= query.from && day <= query.to)
    .map((day) => ({
      date: day,
      slots: [
        { start: `${day}T17:00:00Z`, end: `${day}T18:00:00Z` },
        { start: `${day}T18:00:00Z`, end: `${day}T19:00:00Z` },
      ],
    }))
  return { resource: room, timezone: query.tz ?? room.timezone, days }
}

function createFakeClient() {
  const cancelledSeries: PublicSeries = {
    ...series,
    bookings: series.bookings.map((b, i) => (i === 0 ? b : { ...b, status: 'cancelled' })),
  }
  return {
    sessionId: 's_test',
    getResource: vi.fn<BookingClient['getResource']>(async () => ({ data: room })),
    getAvailability: vi.fn<BookingClient['getAvailability']>(async (_id, query) => ({ data: availability(query) })),
    getNextAvailable: vi.fn<BookingClient['getNextAvailable']>(async () => ({ data: null })),
    placeHold: vi.fn<BookingClient['placeHold']>(),
    releaseHold: vi.fn<BookingClient['releaseHold']>(async () => ({ data: true as const })),
    createBooking: vi.fn<BookingClient['createBooking']>(),
    getCalendarFile: vi.fn<BookingClient['getCalendarFile']>(async () => ({ data: new Blob(['BEGIN:VCALENDAR']) })),
    getBooking: vi.fn<BookingClient['getBooking']>(async () => ({ data: first })),
    cancelBooking: vi.fn<BookingClient['cancelBooking']>(),
    rescheduleBooking: vi.fn<BookingClient['rescheduleBooking']>(),
    getPool: vi.fn<BookingClient['getPool']>(),
    getPoolAvailability: vi.fn<BookingClient['getPoolAvailability']>(),
    getPoolNextAvailable: vi.fn<BookingClient['getPoolNextAvailable']>(),
    placePoolHold: vi.fn<BookingClient['placePoolHold']>(),
    getSpans: vi.fn<BookingClient['getSpans']>(),
    getSeries: vi.fn<SeriesClient['getSeries']>(async () => ({ data: series })),
    getSeriesCalendarFile: vi.fn<SeriesClient['getSeriesCalendarFile']>(async () => ({
      data: new Blob(['BEGIN:VCALENDAR'], { type: 'text/calendar' }),
    })),
    // The first date is inside its 24 h notice by then: kept; the two later ones are cancelled.
    cancelSeries: vi.fn<SeriesClient['cancelSeries']>(async () => ({
      data: {
        series: cancelledSeries,
        cancelled: ['P5W3NK7B', 'T9H4DX2C'],
        kept: [{ ref: 'K7Q2XM3D', reason: 'too late' }],
      },
    })),
    // Tuesday 18:00 to Thursday 19:00: every active date two days later, an hour later.
    rescheduleSeries: vi.fn<SeriesClient['rescheduleSeries']>(async () => ({
      data: {
        series: {
          ...series,
          bookings: series.bookings.map((b) => {
            if (b.status === 'cancelled') return b
            const shift = (iso: string) => new Date(Date.parse(iso) + 2 * 86_400_000 + 3_600_000).toISOString()
            return { ...b, start: shift(b.start), end: shift(b.end), version: 2 }
          }),
        },
        moved: ['K7Q2XM3D', 'P5W3NK7B', 'T9H4DX2C'],
      },
    })),
  }
}

function renderSeries(client = createFakeClient(), language: 'en' | 'de' | 'es' = 'en') {
  const props: ManageBookingProps = {
    client,
    ref_: first.ref,
    token: 'tok',
    zone: 'Europe/Berlin',
    t: CATALOGUES[language] as Messages,
    locale: language,
    onError: vi.fn(),
    onChanged: vi.fn(),
  }
  render(<ManageBooking {...props} />)
  return { client, props }
}

/** The series' part of the page, once its dates are there. */
async function seriesSection(title = 'Your series') {
  const heading = await screen.findByRole('heading', { name: title })
  const section = heading.closest('section')!
  await within(section).findAllByRole('listitem')
  return section
}

const items = (list: HTMLElement) =>
  within(list)
    .getAllByRole('listitem')
    .map((li) => li.textContent)

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-29T08:00:00Z') })
})
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

describe('a date of a series', () => {
  it('shows how the series repeats, the dates to come with their state, and the cancelled ones', async () => {
    const { client } = renderSeries()
    const section = await seriesSection()
    expect(client.getSeries).toHaveBeenCalledWith(SERIES_REF, 'tok')
    expect(section.closest('section.card')).not.toBeNull()
    expect(within(section).getByText('Every week on Tuesday at 6:00 PM')).toBeTruthy()
    const [upcoming, cancelled] = within(section).getAllByRole('list')
    expect(items(upcoming!).map((text) => text?.replace(/\s+/g, ' '))).toEqual([
      'Tue, Dec 1, 6:00 – 7:00 PM: Confirmed',
      'Tue, Dec 15, 6:00 – 7:00 PM: Confirmed',
      'Tue, Dec 22, 6:00 – 7:00 PM: Confirmed',
    ])
    expect(within(section).getByRole('heading', { name: 'Cancelled dates' })).toBeTruthy()
    expect(items(cancelled!).map((text) => text?.replace(/\s+/g, ' '))).toEqual([
      'Tue, Dec 8, 6:00 – 7:00 PM: Cancelled',
    ])
  })

  it('cancels every later date after a confirm step saying how each is refunded, with the reason typed', async () => {
    const { client, props } = renderSeries()
    const section = await seriesSection()
    fireEvent.click(within(section).getByRole('button', { name: 'Cancel all later dates' }))
    const group = within(section).getByRole('group', { name: seriesWords.confirmCancelAll })
    expect(within(group).getByText(seriesWords.cancelTerms)).toBeTruthy()
    expect(client.cancelSeries).not.toHaveBeenCalled()
    // "Keep it" changes nothing.
    fireEvent.click(within(group).getByRole('button', { name: 'Keep it' }))
    expect(client.cancelSeries).not.toHaveBeenCalled()
    fireEvent.click(within(section).getByRole('button', { name: 'Cancel all later dates' }))
    fireEvent.input(within(section).getByLabelText('Reason (optional)'), { target: { value: 'Moving away' } })
    fireEvent.click(within(section).getByRole('button', { name: 'Yes, cancel all' }))

    expect(
      await within(section).findByText('2 dates cancelled; 1 kept because it is within 24 hours of the start.'),
    ).toBeTruthy()
    expect(client.cancelSeries).toHaveBeenCalledWith(SERIES_REF, 'tok', 'Moving away')
    const [upcoming, cancelled] = within(section).getAllByRole('list')
    expect(items(upcoming!)).toHaveLength(1)
    expect(items(cancelled!)).toHaveLength(3)
    // The date above is read again, and the host told.
    await waitFor(() => expect(client.getBooking).toHaveBeenCalledTimes(2))
    await waitFor(() => expect(props.onChanged).toHaveBeenCalledWith(first))
  })

  it('moves every later date to a day and time chosen from the free times', async () => {
    const { client } = renderSeries()
    const section = await seriesSection()
    fireEvent.click(within(section).getByRole('button', { name: 'Move all later dates' }))
    const day = (await within(section).findByLabelText('Day')) as HTMLSelectElement
    expect(client.getAvailability).toHaveBeenCalledWith(
      room.id,
      expect.objectContaining({ from: '2026-11-29', tz: 'Europe/Berlin' }),
    )
    expect(
      within(day)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Thu, Dec 3', 'Fri, Dec 4'])
    const time = within(section).getByLabelText('Time') as HTMLSelectElement
    fireEvent.change(time, { target: { value: '2026-12-03T18:00:00Z' } })
    fireEvent.click(within(section).getByRole('button', { name: 'Move the dates' }))

    expect(await within(section).findByText('3 dates moved.')).toBeTruthy()
    expect(client.rescheduleSeries).toHaveBeenCalledWith(SERIES_REF, 'tok', { start: '2026-12-03T18:00:00Z' })
    expect(within(section).getByText('Every week on Thursday at 7:00 PM')).toBeTruthy()
    const [upcoming] = within(section).getAllByRole('list')
    expect(items(upcoming!)[0]?.replace(/\s+/g, ' ')).toBe('Thu, Dec 3, 7:00 – 8:00 PM: Confirmed')
  })

  it('names the dates not free when the move is refused, keeping the choice for another try', async () => {
    const client = createFakeClient()
    client.rescheduleSeries.mockResolvedValueOnce({
      error: {
        code: 'slot_taken',
        message: '1 of the new dates is not free: 2026-12-17. Nothing was moved.',
        status: 409,
        details: {
          conflicts: [
            { date: '2026-12-17', start: '2026-12-17T17:00:00Z', end: '2026-12-17T18:00:00Z', reason: 'taken' },
          ],
        },
      },
    })
    renderSeries(client)
    const section = await seriesSection()
    fireEvent.click(within(section).getByRole('button', { name: 'Move all later dates' }))
    const day = (await within(section).findByLabelText('Day')) as HTMLSelectElement
    fireEvent.change(day, { target: { value: '2026-12-04' } })
    fireEvent.click(within(section).getByRole('button', { name: 'Move the dates' }))

    const refusal = await within(section).findByRole('alert')
    expect(refusal.textContent).toBe(
      'This date is not free at the new time: Thu, Dec 17. Nothing was moved; choose another time.',
    )
    // The English of the API never shows; the choice is still there to change.
    expect(section.textContent).not.toContain('2026-12-17')
    expect((within(section).getByLabelText('Day') as HTMLSelectElement).value).toBe('2026-12-04')
    expect((within(section).getByLabelText('Time') as HTMLSelectElement).value).toBe('2026-12-04T17:00:00Z')
    expect(client.rescheduleSeries).toHaveBeenCalledWith(SERIES_REF, 'tok', { start: '2026-12-04T17:00:00Z' })
    fireEvent.change(within(section).getByLabelText('Time'), { target: { value: '2026-12-04T18:00:00Z' } })
    fireEvent.click(within(section).getByRole('button', { name: 'Move the dates' }))
    expect(await within(section).findByText('3 dates moved.')).toBeTruthy()
    expect(client.rescheduleSeries).toHaveBeenLastCalledWith(SERIES_REF, 'tok', { start: '2026-12-04T18:00:00Z' })
  })

  it('says nothing was moved when a later date is too close to move online', async () => {
    const client = createFakeClient()
    client.rescheduleSeries.mockResolvedValueOnce({
      error: {
        code: 'reschedule_closed',
        message: 'One date of this series can no longer be moved online',
        status: 422,
      },
    })
    renderSeries(client)
    const section = await seriesSection()
    fireEvent.click(within(section).getByRole('button', { name: 'Move all later dates' }))
    await within(section).findByLabelText('Day')
    fireEvent.click(within(section).getByRole('button', { name: 'Move the dates' }))
    expect((await within(section).findByRole('alert')).textContent).toBe(seriesWords.moveClosed)
    expect(within(section).getByRole('button', { name: 'Move all later dates' })).toBeTruthy()
  })

  it('offers every date in one calendar file, series-<ref>.ics, the links saying they add the first', async () => {
    const { client } = renderSeries()
    const section = await seriesSection()
    const links = within(section).getByRole('group', { name: 'Add to your calendar' })
    const file = await within(links).findByRole('link', { name: 'Add all 3 dates to your calendar (.ics)' })
    expect(file.getAttribute('download')).toBe(`series-${SERIES_REF}.ics`)
    expect(client.getSeriesCalendarFile).toHaveBeenCalledWith(SERIES_REF, 'tok')
    const google = new URL(
      within(links).getByRole('link', { name: 'Google Calendar (first date)' }).getAttribute('href')!,
    )
    expect(google.searchParams.get('dates')).toBe('20261201T170000Z/20261201T180000Z')
    expect(within(links).getByRole('link', { name: 'Outlook (first date)' })).toBeTruthy()
  })

  it('speaks German: how it repeats, the dates, the confirm step and the result', async () => {
    const de = CATALOGUES.de!
    renderSeries(createFakeClient(), 'de')
    const section = await seriesSection('Ihre Terminserie')
    expect(within(section).getByText('Jede Woche am Dienstag um 18:00 Uhr')).toBeTruthy()
    expect(within(section).getByRole('heading', { name: 'Kommende Termine' })).toBeTruthy()
    expect(within(section).getByRole('heading', { name: 'Stornierte Termine' })).toBeTruthy()
    expect(section.textContent).toContain('Di., 15. Dez., 18:00–19:00 Uhr: Bestätigt')
    expect(
      await within(section).findByRole('link', { name: 'Alle 3 Termine zum Kalender hinzufügen (.ics)' }),
    ).toBeTruthy()
    expect(within(section).getByRole('button', { name: 'Alle weiteren Termine verschieben' })).toBeTruthy()
    fireEvent.click(within(section).getByRole('button', { name: 'Alle weiteren Termine stornieren' }))
    expect(within(section).getByText(de.series!.cancelTerms)).toBeTruthy()
    expect(de.series!.cancelTerms).toContain('eigenen Stornobedingungen')
    fireEvent.click(within(section).getByRole('button', { name: 'Ja, alle stornieren' }))
    expect(
      await within(section).findByText(
        '2 Termine storniert; 1 Termin bleibt bestehen, weil er weniger als 24 Stunden vor Beginn liegt.',
      ),
    ).toBeTruthy()
    // No English left in the series' part.
    for (const english of ['Cancel', 'Move', 'dates', 'Every week']) expect(section.textContent).not.toContain(english)
  })

  it('speaks Spanish too', async () => {
    renderSeries(createFakeClient(), 'es')
    const section = await seriesSection('Tu serie de reservas')
    expect(within(section).getByText('Cada semana el martes a las 18:00')).toBeTruthy()
    expect(within(section).getByRole('button', { name: 'Cambiar todas las fechas siguientes' })).toBeTruthy()
    fireEvent.click(within(section).getByRole('button', { name: 'Cancelar todas las fechas siguientes' }))
    fireEvent.click(within(section).getByRole('button', { name: 'Sí, cancelarlas' }))
    expect(
      await within(section).findByText(
        '2 fechas canceladas; 1 se mantiene porque faltan menos de 24 horas para su inicio.',
      ),
    ).toBeTruthy()
  })
})
