// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AdminResource } from '../shared/types'
import type { AdminApi } from './api'
import type { AdminBooking } from './bookings-model'
import { BookingsView } from './BookingsView'

/*
 * The bookings area as an owner in London uses it for a studio in Berlin, in the week of
 * Monday 23 March 2026 (Berlin UTC+1, London UTC+0). The API is a fake that filters like
 * the server, so what the view asks for decides what it gets.
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

const ada: AdminBooking = {
  id: 'b-1',
  ref: 'K7Q2XM3D',
  resourceId: studio.id,
  status: 'confirmed',
  start: '2026-03-24T08:30:00Z',
  end: '2026-03-24T10:00:00Z',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+4915112345678' },
  notes: 'Needs wheelchair access',
  answers: { 'Party size': 3, 'First visit': true },
  version: 1,
  createdAt: '2026-03-01T12:00:00Z',
  payment: { status: 'captured', amount: 4500, currency: 'EUR', captured: 4500, refunded: 0 },
  cancellation: { allowed: true, percent: 50, refund: { amount: 2250, currency: 'EUR' } },
}
const grace: AdminBooking = {
  ...ada,
  id: 'b-2',
  ref: 'GH4PQ8ZT',
  status: 'cancelled',
  start: '2026-03-25T12:00:00Z',
  end: '2026-03-25T13:00:00Z',
  guest: { name: 'Grace Hopper', email: 'grace@example.com' },
  notes: undefined,
  answers: undefined,
  cancellation: undefined,
}
const lin: AdminBooking = {
  ...ada,
  id: 'b-3',
  ref: 'LN9RS2WX',
  status: 'pending',
  start: '2026-03-26T13:00:00Z',
  end: '2026-03-26T14:00:00Z',
  guest: { name: 'Lin Wu', email: 'lin@example.org' },
  notes: undefined,
  answers: undefined,
  payment: { status: 'authorized', amount: 4500, currency: 'EUR', captured: 0, refunded: 0 },
}

/** 07:00 London on Tuesday: before Ada's booking starts. */
const NOW = Date.parse('2026-03-24T07:00:00Z')

interface Call {
  method: string
  path: string
  body: unknown
}

function createFakeApi(bookings: AdminBooking[] = [ada, grace, lin]) {
  const calls: Call[] = []
  let rows = [...bookings]
  const answer = async (method: string, path: string, body: unknown): Promise<unknown> => {
    calls.push({ method, path, body })
    const url = new URL(path, 'http://console.test')
    if (url.pathname === '/resources') return { resources: [studio] }
    if (url.pathname === '/bookings') {
      const statuses = url.searchParams.get('status')?.split(',')
      const q = url.searchParams.get('q')?.toLowerCase()
      const from = url.searchParams.get('from')
      const to = url.searchParams.get('to')
      const found = rows.filter(
        (b) =>
          (!statuses || statuses.includes(b.status)) &&
          (!q || [b.ref, b.guest.name, b.guest.email].some((t) => t.toLowerCase().includes(q))) &&
          (!from || Date.parse(b.end) > Date.parse(from)) &&
          (!to || Date.parse(b.start) < Date.parse(to)),
      )
      return { bookings: found, nextCursor: null }
    }
    const action = /^\/bookings\/([^/]+)\/(confirm|cancel)$/.exec(url.pathname)
    if (action && method === 'POST') {
      const status = action[2] === 'confirm' ? 'confirmed' : 'cancelled'
      rows = rows.map((b) => (b.id === action[1] ? { ...b, status } : b))
      const changed = rows.find((b) => b.id === action[1])!
      return {
        booking:
          status === 'cancelled'
            ? {
                ...changed,
                refund: { amount: 2250, currency: 'EUR', percent: 50, tier: 'owner_override', state: 'done' },
              }
            : changed,
      }
    }
    if (url.pathname === '/notifications') return { notifications: [] }
    throw new Error(`unexpected ${method} ${path}`)
  }
  const api: AdminApi = {
    call: <T,>(method: string, path: string, body?: unknown) => answer(method, path, body) as Promise<T>,
  }
  const bookingQueries = () =>
    calls
      .filter((c) => c.method === 'GET' && c.path.startsWith('/bookings?'))
      .map((c) => new URLSearchParams(c.path.split('?')[1]))
  return { api, calls, bookingQueries }
}

function renderView(fake = createFakeApi()) {
  render(<BookingsView api={fake.api} ownerZone="Europe/London" locale="en-GB" now={() => NOW} searchDelayMs={40} />)
  return fake
}

const block = (name: RegExp) => screen.findByRole('button', { name })

/** Resizes happy-dom's window, whose media queries the view follows. */
function setViewportWidth(width: number) {
  const { happyDOM } = window as Window & { happyDOM?: { setViewport(size: { width: number; height: number }): void } }
  if (!happyDOM) throw new Error('expected the happy-dom environment')
  happyDOM.setViewport({ width, height: 844 })
}

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  setViewportWidth(1024)
})

describe('status filter', () => {
  it('hides cancelled bookings by default and asks the server for every other status', async () => {
    const fake = renderView()
    await block(/Ada Lovelace/)
    const query = fake.bookingQueries().at(-1)!
    expect(query.get('status')).toBe('pending,confirmed,completed,no_show')
    // Monday 23 March to Monday 30 March, midnight to midnight in Berlin (UTC+2 from the 29th).
    expect(query.get('from')).toBe('2026-03-22T23:00:00.000Z')
    expect(query.get('to')).toBe('2026-03-29T22:00:00.000Z')
    expect(screen.queryByText(/Grace Hopper/)).toBeNull()
    expect(screen.getByRole('combobox', { name: 'Status' })).toHaveProperty('value', 'open')
  })

  it('shows cancelled bookings when asked for them, and sends that status', async () => {
    const fake = renderView()
    await block(/Ada Lovelace/)
    fireEvent.change(screen.getByRole('combobox', { name: 'Status' }), { target: { value: 'cancelled' } })
    await block(/Grace Hopper, cancelled/)
    expect(fake.bookingQueries().at(-1)!.get('status')).toBe('cancelled')
    expect(screen.queryByRole('button', { name: /Ada Lovelace/ })).toBeNull()

    fireEvent.change(screen.getByRole('combobox', { name: 'Status' }), { target: { value: 'all' } })
    await block(/Ada Lovelace/)
    expect(fake.bookingQueries().at(-1)!.has('status')).toBe(false)
    expect(screen.getByRole('button', { name: /Grace Hopper/ })).toBeTruthy()
  })
})

describe('search', () => {
  it('sends q once typing pauses, across all dates, and keeps the typed text through the re-renders', async () => {
    const fake = renderView()
    await block(/Ada Lovelace/)
    const search = screen.getByRole('searchbox', { name: 'Search' }) as HTMLInputElement
    for (const typed of ['l', 'lo', 'lov', 'LoveL']) fireEvent.input(search, { target: { value: typed } })
    await screen.findByText(/Matches for “LoveL” on any date/)
    await waitFor(() => expect(fake.bookingQueries().filter((q) => q.has('q'))).not.toHaveLength(0))
    await screen.findByText('Needs wheelchair access')

    const searches = fake.bookingQueries().filter((q) => q.has('q'))
    // The pauses between keys were shorter than the debounce: one request, for the whole word.
    expect(searches.map((q) => q.get('q'))).toEqual(['LoveL'])
    expect(searches[0]!.has('from')).toBe(false)
    expect(search.value).toBe('LoveL')

    // Another filter refetches and re-renders; the search box still holds what was typed.
    fireEvent.change(screen.getByRole('combobox', { name: 'Status' }), { target: { value: 'all' } })
    await waitFor(() => expect(fake.bookingQueries().at(-1)!.has('status')).toBe(false))
    expect(fake.bookingQueries().at(-1)!.get('q')).toBe('LoveL')
    expect((screen.getByRole('searchbox', { name: 'Search' }) as HTMLInputElement).value).toBe('LoveL')
  })

  it('says so when nothing matches', async () => {
    renderView()
    await block(/Ada Lovelace/)
    fireEvent.input(screen.getByRole('searchbox', { name: 'Search' }), { target: { value: 'nobody@nowhere' } })
    await screen.findByText('No booking matches that ref, name or email.')
  })
})

describe('week grid', () => {
  it('draws 09:30–11:00 Berlin on Tuesday from 09:30 to 11:00 of a Berlin-time grid, for an owner in London', async () => {
    renderView()
    const ada = await block(/^09:30–11:00 Berlin time \(08:30 London\), Ada Lovelace, confirmed$/)
    const tuesday = screen.getByRole('group', { name: 'Tuesday 24 March' })
    expect(within(tuesday).getByRole('button', { name: /Ada Lovelace/ })).toBe(ada)
    // The grid starts at 08:00 and an hour is 48 px: 09:30 is 72 px down, 90 minutes are 72 px.
    expect(ada.style.top).toBe('72px')
    expect(ada.style.height).toBe('72px')
    expect(ada.style.left).toBe('0%')
    expect(ada.style.width).toBe('100%')
    expect(ada.textContent).toContain('09:30')
    expect(screen.getByText(/times in Berlin time \(your clock: London\)/)).toBeTruthy()
  })

  it('opens the chosen booking with its guest, contact, notes, answers, money and only the legal actions', async () => {
    renderView()
    fireEvent.click(await block(/Ada Lovelace/))
    const card = await screen.findByRole('article', { name: /09:30–11:00 Berlin time/ })
    expect(within(card).getByRole('heading').textContent).toBe(
      'Tuesday 24 March 09:30–11:00 Berlin time (08:30 London)',
    )
    expect(within(card).getByRole('link', { name: 'ada@example.com' }).getAttribute('href')).toBe(
      'mailto:ada@example.com',
    )
    expect(within(card).getByRole('link', { name: '+4915112345678' }).getAttribute('href')).toBe('tel:+4915112345678')
    expect(within(card).getByText('Needs wheelchair access')).toBeTruthy()
    expect(within(card).getByText('Party size').nextElementSibling?.textContent).toBe('3')
    expect(within(card).getByText('First visit').nextElementSibling?.textContent).toBe('yes')
    expect(within(card).getByText('paid €45.00')).toBeTruthy()
    expect(within(card).getByText('confirmed')).toBeTruthy()
    // Confirmed and not started yet: no "No-show", no "Completed".
    const actions = within(within(card).getByRole('group', { name: 'Actions for K7Q2XM3D' })).getAllByRole('button')
    expect(actions.map((b) => b.textContent)).toEqual(['Cancel…', 'Messages', 'Move…'])

    fireEvent.click(await block(/Lin Wu/))
    const pending = await screen.findByRole('article', { name: /Thursday 26 March/ })
    expect(
      within(pending)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Confirm', 'Cancel…', 'Messages', 'Move…'])
    expect(within(pending).getByText('authorized €45.00')).toBeTruthy()
  })

  it('says how many places a booking of a class takes, in the grid and on its card; one place says nothing', async () => {
    renderView(
      createFakeApi([
        { ...ada, seats: 3 },
        { ...lin, seats: 1 },
      ]),
    )
    const block3 = await block(/^09:30–11:00 Berlin time \(08:30 London\), Ada Lovelace \(3 places\), confirmed$/)
    expect(block3.textContent).toContain('Ada Lovelace (3 places)')
    const single = await block(/Lin Wu/)
    expect(single.getAttribute('aria-label')).not.toMatch(/place/)
    fireEvent.click(block3)
    const card = await screen.findByRole('article', { name: /09:30–11:00 Berlin time/ })
    expect(card.textContent).toContain('Studio · 3 places · K7Q2XM3D')
    fireEvent.click(single)
    const pending = await screen.findByRole('article', { name: /Thursday 26 March/ })
    expect(pending.textContent).not.toMatch(/place/)
  })

  it('confirms a pending booking and says so', async () => {
    const fake = renderView()
    fireEvent.click(await block(/Lin Wu/))
    fireEvent.click(within(await screen.findByRole('article')).getByRole('button', { name: 'Confirm' }))
    await screen.findByText('Booking LN9RS2WX confirmed.')
    expect(fake.calls.some((c) => c.method === 'POST' && c.path === '/bookings/b-3/confirm')).toBe(true)
    await block(/Lin Wu, confirmed/)
  })
})

describe('cancelling', () => {
  it('cancels in the page with the owner override and the reason, then hides the booking', async () => {
    // The browser's own confirm() is never used: it would block the page and offers no refund choice.
    const confirmSpy = vi.fn(() => true)
    vi.stubGlobal('confirm', confirmSpy)
    const fake = renderView()
    fireEvent.click(await block(/Ada Lovelace/))
    fireEvent.click(within(await screen.findByRole('article')).getByRole('button', { name: 'Cancel…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Cancel booking K7Q2XM3D?' })
    expect(within(dialog).getByText('Cancelled now, the policy gives back 50 %: €22.50 of €45.00.')).toBeTruthy()
    fireEvent.input(within(dialog).getByRole('textbox', { name: /Refund percentage/ }), { target: { value: '80' } })
    fireEvent.input(within(dialog).getByRole('textbox', { name: /Reason/ }), { target: { value: 'Room flooded' } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel booking' }))

    await screen.findByText('Booking K7Q2XM3D cancelled; €22.50 goes back to the guest.')
    expect(fake.calls.find((c) => c.path === '/bookings/b-1/cancel')).toEqual({
      method: 'POST',
      path: '/bookings/b-1/cancel',
      body: { refundPercent: 80, reason: 'Room flooded' },
    })
    expect(screen.queryByRole('dialog')).toBeNull()
    await waitFor(() => expect(screen.queryByRole('button', { name: /Ada Lovelace/ })).toBeNull())
    expect(confirmSpy).not.toHaveBeenCalled()
  })
})

describe('on a 390 px phone', () => {
  it('shows the week as cards grouped by day instead of the grid', async () => {
    setViewportWidth(390)
    renderView()
    const tuesday = await screen.findByRole('region', { name: 'Tuesday 24 March' })
    expect(within(tuesday).getByRole('article').textContent).toContain('Needs wheelchair access')
    expect(screen.getByRole('region', { name: 'Thursday 26 March' })).toBeTruthy()
    expect(screen.queryByRole('group', { name: 'Tuesday 24 March' })).toBeNull()
  })
})
