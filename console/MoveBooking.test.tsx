// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import type { AdminResource, Slot } from '../shared/types'
import { AdminApiError, type AdminApi } from './api'
import type { AdminBooking } from './bookings-model'
import { BookingsView } from './BookingsView'
import { bookingMovedWords, canMove, instantIn, seriesMovedWords } from './MoveBooking'

/*
 * The owner moves a booking from its card in the bookings view: the local date and time
 * typed in the resource's zone (Berlin, across the October DST change) become the UTC
 * instant sent, a date of a series moves alone or with every later one, and a refusal keeps
 * the form as typed. The API is a fake that answers like the server.
 */

const studio: AdminResource = {
  id: 'r-1',
  slug: 'studio',
  type: 'room',
  name: 'Studio',
  timezone: 'Europe/Berlin',
  config: {},
  isActive: true,
  createdAt: '2026-01-01T00:00:00Z',
}

const SERIES_ID = '6f1c0a52-8d1e-4c4b-9b0e-1d2a3b4c5d6e'

/** Saturday 24 October 2026, 10:00 Berlin (summer time, UTC+2): the day before the clocks go back. */
const oneOff: AdminBooking = {
  id: 'b-1',
  ref: 'Z93XE6GQ',
  resourceId: studio.id,
  status: 'confirmed',
  start: '2026-10-24T08:00:00Z',
  end: '2026-10-24T09:00:00Z',
  guest: { name: 'Lin Wu', email: 'lin@example.org' },
  version: 1,
  createdAt: '2026-10-01T12:00:00Z',
}
/** Thursday 22 October, 18:00 Berlin: the series' next date. */
const weekly: AdminBooking = {
  ...oneOff,
  id: 'b-2',
  ref: 'K7Q2XM3D',
  start: '2026-10-22T16:00:00Z',
  end: '2026-10-22T17:00:00Z',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
  seriesRef: 'E213MXNR',
  seriesEveryWeeks: 1,
  seriesId: SERIES_ID,
}
/** The week after, Thursday 29 October 18:00 Berlin (winter time, UTC+1). */
const weeklyLater: AdminBooking = {
  ...weekly,
  id: 'b-3',
  ref: 'P3W8NQ2T',
  start: '2026-10-29T17:00:00Z',
  end: '2026-10-29T18:00:00Z',
}
const cancelled: AdminBooking = {
  ...oneOff,
  id: 'b-4',
  ref: 'C4NC3LLD',
  status: 'cancelled',
  start: '2026-10-23T08:00:00Z',
  end: '2026-10-23T09:00:00Z',
  guest: { name: 'Cy Cancel', email: 'cy@example.org' },
}
const past: AdminBooking = {
  ...oneOff,
  id: 'b-5',
  ref: 'P45TD0NE',
  start: '2026-10-20T06:00:00Z',
  end: '2026-10-20T07:00:00Z',
  guest: { name: 'Pat Past', email: 'pat@example.org' },
}

/** Three places of a class, Friday 23 October 12:00 Berlin. */
const group: AdminBooking = {
  ...oneOff,
  id: 'b-6',
  ref: 'G7R0UP3S',
  start: '2026-10-23T10:00:00Z',
  end: '2026-10-23T11:00:00Z',
  seats: 3,
  guest: { name: 'Gus Group', email: 'gus@example.org' },
}
/** 10:00 Berlin on Tuesday 20 October. */
const NOW = Date.parse('2026-10-20T08:00:00Z')

type Refusal = 'single' | 'series'

function fakeApi(refuse?: Refusal) {
  const calls: { method: string; path: string; body?: unknown }[] = []
  let rows = [oneOff, weekly, weeklyLater, cancelled, past, group]
  const api: AdminApi = {
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      calls.push({ method, path, body })
      const url = new URL(path, 'http://console.test')
      if (url.pathname === '/resources') return { resources: [studio] } as T
      if (url.pathname === '/bookings') {
        const statuses = url.searchParams.get('status')?.split(',')
        const from = url.searchParams.get('from')
        const to = url.searchParams.get('to')
        const found = rows.filter(
          (b) =>
            (!statuses || statuses.includes(b.status)) &&
            (!from || Date.parse(b.end) > Date.parse(from)) &&
            (!to || Date.parse(b.start) < Date.parse(to)),
        )
        return { bookings: found, nextCursor: null } as T
      }
      const single = /^\/bookings\/([^/]+)\/reschedule$/.exec(url.pathname)
      if (method === 'POST' && single) {
        if (refuse === 'single')
          throw new AdminApiError(409, 'slot_taken', 'That time overlaps another booking. Nothing was changed.')
        const { start } = body as { start: string }
        const row = rows.find((b) => b.id === single[1])!
        const moved = {
          ...row,
          start,
          end: new Date(Date.parse(start) + Date.parse(row.end) - Date.parse(row.start)).toISOString(),
        }
        rows = rows.map((b) => (b.id === row.id ? moved : b))
        return { booking: moved } as T
      }
      if (method === 'POST' && url.pathname === `/series/${SERIES_ID}/reschedule`) {
        if (refuse === 'series')
          throw new AdminApiError(409, 'slot_taken', '1 of the new dates is not free: 2026-10-30. Nothing was moved.', {
            conflicts: [
              { date: '2026-10-30', start: '2026-10-30T10:00:00Z', end: '2026-10-30T11:00:00Z', reason: 'taken' },
            ],
          })
        return {
          series: { ref: weekly.seriesRef, id: SERIES_ID, bookings: [] },
          moved: [weekly.ref, weeklyLater.ref, 'R9X2QW4M'],
        } as T
      }
      throw new Error(`unexpected ${method} ${path}`)
    },
  }
  return { api, calls, posts: () => calls.filter((c) => c.method === 'POST') }
}

/** The places each day's free times were asked for, newest last. */
const askedSeats: number[] = []
const freeSlots = async (_resourceId: string, date: string, _zone: string, seats: number): Promise<Slot[]> => {
  askedSeats.push(seats)
  return ['09:00', '12:00'].map((time) => {
    const start = new Date(instantIn(date, Number(time.slice(0, 2)) * 60, studio.timezone)).toISOString()
    return { start, end: new Date(Date.parse(start) + 3_600_000).toISOString() }
  })
}

function renderView(fake = fakeApi()) {
  render(
    <BookingsView
      api={fake.api}
      ownerZone="Europe/Berlin"
      locale="en-GB"
      now={() => NOW}
      searchDelayMs={40}
      freeSlots={freeSlots}
    />,
  )
  return fake
}

/** Opens a booking's card from the week grid and its move form. */
async function openMove(name: RegExp) {
  fireEvent.click(await screen.findByRole('button', { name }))
  const card = await screen.findByRole('article')
  fireEvent.click(within(card).getByRole('button', { name: 'Move…' }))
  const form = within(card).getByRole('form', { name: /^Move / })
  return { card, form }
}

const field = (form: HTMLElement, label: string) => within(form).getByLabelText(label) as HTMLInputElement
const type = (input: HTMLInputElement, value: string) => fireEvent.input(input, { target: { value } })

afterEach(cleanup)

describe('moving a booking from its card', () => {
  it('prefills the local date and time, sends the Berlin wall time as its UTC instant across the DST change', async () => {
    const fake = renderView()
    const { form } = await openMove(/Lin Wu/)
    expect(form.textContent).toContain('in Berlin time')
    expect(field(form, 'New date').value).toBe('2026-10-24')
    expect(field(form, 'New time').value).toBe('10:00')
    expect(document.activeElement).toBe(field(form, 'New date'))
    expect(within(form).queryByRole('group', { name: /Which dates/ })).toBeNull()

    // Sunday 25 October: the clocks went back at 03:00, so 11:00 is UTC+1.
    type(field(form, 'New date'), '2026-10-25')
    type(field(form, 'New time'), '11:00')
    fireEvent.submit(form)
    await screen.findByText('Moved Z93XE6GQ to Sun 25 Oct, 11:00')
    expect(fake.posts()).toEqual([
      { method: 'POST', path: '/bookings/b-1/reschedule', body: { start: '2026-10-25T10:00:00.000Z' } },
    ])
    // Reloaded, and the form is gone.
    await waitFor(() => expect(screen.queryByRole('form', { name: /^Move / })).toBeNull())
  })

  it('offers the day’s free times as quick picks, and any typed time too', async () => {
    const fake = renderView()
    const { form } = await openMove(/Lin Wu/)
    const picks = await within(form).findByRole('group', { name: /Free times on Saturday 24 October/ })
    fireEvent.click(await within(picks).findByRole('button', { name: '12:00' }))
    expect(field(form, 'New time').value).toBe('12:00')
    expect(within(picks).getByRole('button', { name: '12:00' }).getAttribute('aria-pressed')).toBe('true')
    type(field(form, 'New time'), '07:45')
    fireEvent.submit(form)
    await screen.findByText('Moved Z93XE6GQ to Sat 24 Oct, 07:45')
    expect(fake.posts()[0]!.body).toEqual({ start: '2026-10-24T05:45:00.000Z' })
  })

  it('asks the free times with room for the booking’s places', async () => {
    renderView()
    const { form } = await openMove(/Gus Group/)
    await within(form).findByRole('group', { name: /Free times on Friday 23 October/ })
    expect(askedSeats.at(-1)).toBe(3)
    await openMove(/Lin Wu/)
    await waitFor(() => expect(askedSeats.at(-1)).toBe(1))
  })

  it('moves only this date of a series, by the booking route', async () => {
    const fake = renderView()
    const { form } = await openMove(/Ada Lovelace/)
    const choice = within(form).getByRole('group', { name: 'Which dates of series E213MXNR' })
    const later = within(choice).getByRole('radio', { name: 'This date and every later one' }) as HTMLInputElement
    await waitFor(() => expect(later.disabled).toBe(false))
    expect(choice.textContent).toContain('keeps the weekday shift and the time')
    expect((within(choice).getByRole('radio', { name: 'Only this date' }) as HTMLInputElement).checked).toBe(true)
    type(field(form, 'New time'), '19:30')
    fireEvent.submit(form)
    await screen.findByText('Moved K7Q2XM3D to Thu 22 Oct, 19:30')
    expect(fake.posts()).toEqual([
      { method: 'POST', path: '/bookings/b-2/reschedule', body: { start: '2026-10-22T17:30:00.000Z' } },
    ])
  })

  it('moves this date and every later one by the series route, naming how many', async () => {
    const fake = renderView()
    const { form } = await openMove(/Ada Lovelace/)
    const later = within(form).getByRole('radio', { name: 'This date and every later one' }) as HTMLInputElement
    await waitFor(() => expect(later.disabled).toBe(false))
    fireEvent.click(later)
    type(field(form, 'New date'), '2026-10-23')
    type(field(form, 'New time'), '12:00')
    fireEvent.submit(form)
    await screen.findByText('Moved 3 dates of series E213MXNR, from Fri 23 Oct, 12:00')
    expect(fake.posts()).toEqual([
      { method: 'POST', path: `/series/${SERIES_ID}/reschedule`, body: { start: '2026-10-23T10:00:00.000Z' } },
    ])
  })

  it('offers the later dates together only from the series’ next date', async () => {
    const fake = renderView()
    fireEvent.click(await screen.findByRole('button', { name: 'Next week' }))
    const { form } = await openMove(/Ada Lovelace/)
    const later = within(form).getByRole('radio', { name: 'This date and every later one' }) as HTMLInputElement
    await within(form).findByText(/Only from the series’ next date \(Thu 22 Oct, 18:00\)/)
    expect(later.disabled).toBe(true)
    fireEvent.submit(form)
    await screen.findByText('Moved P3W8NQ2T to Thu 29 Oct, 18:00')
    expect(fake.posts()[0]!.path).toBe('/bookings/b-3/reschedule')
  })

  it('keeps what was typed beside a refusal of one date', async () => {
    const fake = renderView(fakeApi('single'))
    const { form } = await openMove(/Lin Wu/)
    type(field(form, 'New date'), '2026-10-26')
    type(field(form, 'New time'), '09:15')
    fireEvent.submit(form)
    expect((await within(form).findByRole('alert')).textContent).toBe(
      'That time overlaps another booking. Nothing was changed.',
    )
    expect(field(form, 'New date').value).toBe('2026-10-26')
    expect(field(form, 'New time').value).toBe('09:15')
    expect(fake.posts()).toHaveLength(1)
    expect(screen.queryByText(/^Moved /)).toBeNull()
  })

  it('lists the taken dates of a refused series move and keeps the choice', async () => {
    renderView(fakeApi('series'))
    const { form } = await openMove(/Ada Lovelace/)
    const later = within(form).getByRole('radio', { name: 'This date and every later one' }) as HTMLInputElement
    await waitFor(() => expect(later.disabled).toBe(false))
    fireEvent.click(later)
    type(field(form, 'New date'), '2026-10-23')
    type(field(form, 'New time'), '12:00')
    fireEvent.submit(form)
    const alert = await within(form).findByRole('alert')
    expect(alert.textContent).toContain('1 of the new dates is not free: 2026-10-30. Nothing was moved.')
    expect(within(alert).getByRole('list', { name: 'Dates not free' }).textContent).toBe(
      'Fri 30 Oct, 11:00: already booked',
    )
    expect(later.checked).toBe(true)
    expect(field(form, 'New date').value).toBe('2026-10-23')
    expect(field(form, 'New time').value).toBe('12:00')
  })

  it('refuses a past time before asking, and Esc closes the form back to its button', async () => {
    const fake = renderView()
    const { card, form } = await openMove(/Lin Wu/)
    type(field(form, 'New date'), '2026-10-19')
    fireEvent.submit(form)
    expect(within(form).getByText('Choose a time still to come.')).toBeTruthy()
    expect(fake.posts()).toEqual([])
    fireEvent.keyDown(field(form, 'New time'), { key: 'Escape' })
    await waitFor(() => expect(document.activeElement).toBe(within(card).getByRole('button', { name: 'Move…' })))
  })

  it('offers no Move for a cancelled or past booking', async () => {
    renderView()
    fireEvent.change(await screen.findByLabelText('Status'), { target: { value: 'all' } })
    for (const name of [/Cy Cancel/, /Pat Past/]) {
      fireEvent.click(await screen.findByRole('button', { name }))
      const card = await screen.findByRole('article')
      expect(within(card).queryByRole('button', { name: 'Move…' })).toBeNull()
    }
  })
})

describe('canMove and the words', () => {
  it('moves pending and confirmed bookings not yet over, never a part of a combined one', () => {
    expect(canMove(oneOff, NOW)).toBe(true)
    expect(canMove({ ...oneOff, status: 'pending' }, NOW)).toBe(true)
    expect(canMove(cancelled, NOW)).toBe(false)
    expect(canMove(past, NOW)).toBe(false)
    expect(canMove({ ...oneOff, status: 'completed' }, NOW)).toBe(false)
    expect(canMove({ ...oneOff, partOf: 'Z93XE6GQ' }, NOW)).toBe(false)
  })

  it('reads a wall time in the zone on both sides of a DST change', () => {
    expect(new Date(instantIn('2026-10-24', 11 * 60, 'Europe/Berlin')).toISOString()).toBe('2026-10-24T09:00:00.000Z')
    expect(new Date(instantIn('2026-10-25', 11 * 60, 'Europe/Berlin')).toISOString()).toBe('2026-10-25T10:00:00.000Z')
    expect(new Date(instantIn('2026-03-29', 11 * 60, 'Europe/Berlin')).toISOString()).toBe('2026-03-29T09:00:00.000Z')
    expect(new Date(instantIn('2026-12-09', 11 * 60, 'Europe/Madrid')).toISOString()).toBe('2026-12-09T10:00:00.000Z')
  })

  it('says what moved', () => {
    expect(bookingMovedWords('Z93XE6GQ', '2026-12-09T10:00:00Z', 'Europe/Madrid', 'en-GB')).toBe(
      'Moved Z93XE6GQ to Wed 9 Dec, 11:00',
    )
    expect(seriesMovedWords('E213MXNR', 3, '2026-12-09T10:00:00Z', 'Europe/Madrid', 'en-GB')).toBe(
      'Moved 3 dates of series E213MXNR, from Wed 9 Dec, 11:00',
    )
    expect(seriesMovedWords('E213MXNR', 1, '2026-12-09T10:00:00Z', 'Europe/Madrid', 'en-GB')).toBe(
      'Moved 1 date of series E213MXNR, from Wed 9 Dec, 11:00',
    )
  })
})
