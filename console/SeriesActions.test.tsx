// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import type { AdminResource } from '../shared/types'
import { AdminApiError, type AdminApi } from './api'
import type { AdminBooking } from './bookings-model'
import { BookingsView } from './BookingsView'
import { seriesCancelledWords } from './SeriesActions'

/*
 * A weekly class booked as a series, seen in the bookings view: its card says it repeats and
 * names the series, and the whole series is cancelled from it after a yes; a one-off booking
 * offers neither. The API is a fake that cancels the series' future dates like the server.
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

const weekly: AdminBooking = {
  id: 'b-1',
  ref: 'K7Q2XM3D',
  resourceId: studio.id,
  status: 'confirmed',
  start: '2026-03-24T08:30:00Z',
  end: '2026-03-24T09:30:00Z',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
  version: 1,
  createdAt: '2026-03-01T12:00:00Z',
  seriesRef: 'Q4M2XK7D',
  seriesEveryWeeks: 2,
  seriesId: '6f1c0a52-8d1e-4c4b-9b0e-1d2a3b4c5d6e',
}
const oneOff: AdminBooking = {
  ...weekly,
  id: 'b-2',
  ref: 'LN9RS2WX',
  start: '2026-03-26T13:00:00Z',
  end: '2026-03-26T14:00:00Z',
  guest: { name: 'Lin Wu', email: 'lin@example.org' },
  seriesRef: undefined,
  seriesId: undefined,
}

/** 07:00 London on Tuesday 24 March. */
const NOW = Date.parse('2026-03-24T07:00:00Z')

function fakeApi(refuse = false) {
  const calls: { method: string; path: string; body?: unknown }[] = []
  let rows = [weekly, oneOff]
  const api: AdminApi = {
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      calls.push({ method, path, body })
      const url = new URL(path, 'http://console.test')
      if (url.pathname === '/resources') return { resources: [studio] } as T
      if (url.pathname === '/bookings') {
        const statuses = url.searchParams.get('status')?.split(',')
        return { bookings: rows.filter((b) => !statuses || statuses.includes(b.status)), nextCursor: null } as T
      }
      if (method === 'POST' && url.pathname === `/series/${weekly.seriesId}/cancel`) {
        if (refuse) throw new AdminApiError(404, 'not_found', 'No such series.')
        rows = rows.map((b) => (b.seriesId === weekly.seriesId ? { ...b, status: 'cancelled' as const } : b))
        return {
          series: { ref: weekly.seriesRef, id: weekly.seriesId, bookings: [] },
          cancelled: ['K7Q2XM3D', 'P3W8NQ2T'],
          kept: [],
        } as T
      }
      throw new Error(`unexpected ${method} ${path}`)
    },
  }
  return { api, calls }
}

function renderView(fake = fakeApi()) {
  render(<BookingsView api={fake.api} ownerZone="Europe/London" locale="en-GB" now={() => NOW} searchDelayMs={40} />)
  return fake
}

const openCard = async (name: RegExp) => {
  fireEvent.click(await screen.findByRole('button', { name }))
  return screen.findByRole('article')
}

afterEach(cleanup)

describe('a date of a series on its booking card', () => {
  it('says it repeats and names the series; a one-off booking does not', async () => {
    renderView()
    const card = await openCard(/Ada Lovelace/)
    expect(within(card).getByText(/Repeats every/).textContent).toBe('Repeats every 2 weeks · series Q4M2XK7D')
    expect(within(card).getByRole('button', { name: 'Cancel the whole series…' })).toBeTruthy()

    const single = await openCard(/Lin Wu/)
    expect(single.textContent).not.toMatch(/series/)
  })

  it('cancels the whole series only after a yes, says what went, and reloads', async () => {
    const fake = renderView()
    const card = await openCard(/Ada Lovelace/)
    fireEvent.click(within(card).getByRole('button', { name: 'Cancel the whole series…' }))
    const question = within(card).getByRole('group', { name: /Cancel every date of series Q4M2XK7D still to come\?/ })
    expect(document.activeElement).toBe(within(question).getByRole('button', { name: 'Keep it' }))
    fireEvent.click(within(question).getByRole('button', { name: 'Keep it' }))
    expect(fake.calls.some((c) => c.method === 'POST')).toBe(false)
    await waitFor(() =>
      expect(document.activeElement).toBe(within(card).getByRole('button', { name: 'Cancel the whole series…' })),
    )

    fireEvent.click(within(card).getByRole('button', { name: 'Cancel the whole series…' }))
    const listsBefore = fake.calls.filter((c) => c.path.startsWith('/bookings?')).length
    fireEvent.click(within(card).getByRole('button', { name: 'Cancel the series' }))
    await screen.findByText('Series Q4M2XK7D cancelled: 2 dates (K7Q2XM3D, P3W8NQ2T).')
    expect(fake.calls.filter((c) => c.method === 'POST')).toEqual([
      { method: 'POST', path: `/series/${weekly.seriesId}/cancel`, body: {} },
    ])
    // Reloaded: the cancelled date leaves the default (open) view.
    expect(fake.calls.filter((c) => c.path.startsWith('/bookings?')).length).toBeGreaterThan(listsBefore)
    await waitFor(() => expect(screen.queryByRole('button', { name: /Ada Lovelace/ })).toBeNull())
  })

  it('shows a refusal beside the question', async () => {
    renderView(fakeApi(true))
    const card = await openCard(/Ada Lovelace/)
    fireEvent.click(within(card).getByRole('button', { name: 'Cancel the whole series…' }))
    fireEvent.click(within(card).getByRole('button', { name: 'Cancel the series' }))
    expect((await within(card).findByRole('alert')).textContent).toBe('No such series.')
    expect(within(card).getByRole('button', { name: 'Keep it' })).toBeTruthy()
  })
})

describe('seriesCancelledWords', () => {
  it('names the dates cancelled and those kept with why', () => {
    expect(seriesCancelledWords('Q4M2XK7D', { cancelled: ['A1'], kept: [{ ref: 'B2', reason: 'Too late.' }] })).toBe(
      'Series Q4M2XK7D cancelled: 1 date (A1). B2 kept: Too late.',
    )
    expect(seriesCancelledWords('Q4M2XK7D', { cancelled: [], kept: [] })).toBe(
      'Series Q4M2XK7D had no dates left to cancel.',
    )
  })
})
