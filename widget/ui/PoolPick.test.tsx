// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { PublicBooking, PublicPool } from '../../shared/types'
import { createClient } from '../client'
import { CATALOGUES } from '../locales'
import { createBookingState } from '../state'
import {
  answer,
  FAKE_API_URL,
  fakeApiFetch,
  fakePhysios,
  fakeRoom,
  fakeTables,
  releasedHold,
} from '../testing/fake-api'
import { BookingWidget } from './BookingWidget'
import { Confirmation } from './Confirmation'

/*
 * Booking through a pool: "any physio" or one by name, and a dining room that asks how many
 * guests first and gets the smallest table that fits. The pool picks the member the hold
 * takes; the details step and the confirmation name it.
 */

type Language = 'en' | 'de' | 'es'

function renderPool(pool: PublicPool, language: Language = 'en') {
  const fetchMock = fakeApiFetch()
  vi.stubGlobal('fetch', fetchMock)
  const client = createClient({ apiUrl: FAKE_API_URL })
  const state = createBookingState(client, {
    resource: pool.slug,
    pool: true,
    zone: 'UTC',
    t: CATALOGUES[language],
    locale: language,
  })
  void state.load()
  render(<BookingWidget state={state} client={client} />)
  return { fetchMock, state, client }
}

const availabilityUrls = (fetchMock: ReturnType<typeof fakeApiFetch>) =>
  fetchMock.mock.calls.map(([url]) => new URL(String(url))).filter((url) => url.pathname.endsWith('/availability'))
const poolHolds = (fetchMock: ReturnType<typeof fakeApiFetch>) =>
  fetchMock.mock.calls
    .filter(([url, init]) => String(url).endsWith('/holds') && init?.method === 'POST')
    .map(([url, init]) => ({ path: new URL(String(url)).pathname, body: JSON.parse(String(init?.body)) as object }))

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('a pool of physios the guest may choose from', () => {
  it('is titled by the pool, offers Anyone and each member, and holds through the pool for anyone', async () => {
    const { fetchMock } = renderPool(fakePhysios)
    const time = within(await screen.findByRole('listbox')).getByRole('option')
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Physiotherapy')
    const chooser = screen.getByRole('combobox', { name: 'With' }) as HTMLSelectElement
    expect(Array.from(chooser.options, (o) => o.textContent)).toEqual(['Anyone', 'Dr. Lee', 'Dr. Kim'])
    expect(chooser.value).toBe('')
    const first = availabilityUrls(fetchMock)[0]!
    expect(first.pathname).toBe('/v1/pools/physios/availability')
    expect(first.searchParams.has('member')).toBe(false)
    expect(first.searchParams.has('partySize')).toBe(false)
    // A pool of people asks no party size.
    expect(screen.queryByRole('group', { name: 'Guests' })).toBeNull()

    fireEvent.click(time)
    await waitFor(() => expect(poolHolds(fetchMock)).toHaveLength(1))
    const [hold] = poolHolds(fetchMock)
    expect(hold!.path).toBe('/v1/pools/physios/holds')
    expect(Object.keys(hold!.body).sort()).toEqual(['end', 'start'])
    // The pool gave Dr. Kim: the details step says so.
    await screen.findByRole('textbox', { name: 'Name' })
    expect(screen.getByText('With Dr. Kim')).toBeTruthy()
  })

  it('gives back the time held on one member when the guest picks again and gets another', async () => {
    const { fetchMock } = renderPool(fakePhysios)
    fireEvent.click(within(await screen.findByRole('listbox')).getByRole('option'))
    await screen.findByText('With Dr. Kim')
    fireEvent.click(screen.getByRole('button', { name: 'Back' }))
    fireEvent.change(await screen.findByRole('combobox', { name: 'With' }), { target: { value: 'r-3' } })
    await waitFor(() => expect(availabilityUrls(fetchMock).at(-1)!.searchParams.get('member')).toBe('r-3'))
    fireEvent.click(within(await screen.findByRole('listbox')).getByRole('option'))
    await screen.findByText('With Dr. Lee')
    // The server replaces a session's hold only on the same member; going back gives Dr. Kim's up.
    await waitFor(() => expect(releasedHold(fetchMock, 'h_r-4')).toBe(true))
    expect(releasedHold(fetchMock, 'h_r-3')).toBe(false)
  })

  it('shows one member’s times when chosen and holds that member', async () => {
    const { fetchMock } = renderPool(fakePhysios)
    await screen.findByRole('listbox')
    fireEvent.change(screen.getByRole('combobox', { name: 'With' }), { target: { value: 'r-3' } })
    await waitFor(() => expect(availabilityUrls(fetchMock).at(-1)!.searchParams.get('member')).toBe('r-3'))
    fireEvent.click(within(await screen.findByRole('listbox')).getByRole('option'))
    await waitFor(() => expect(poolHolds(fetchMock)).toHaveLength(1))
    expect(poolHolds(fetchMock)[0]!.body).toMatchObject({ memberId: 'r-3' })
    await screen.findByRole('textbox', { name: 'Name' })
    expect(screen.getByText('With Dr. Lee')).toBeTruthy()

    // Back to anyone: the member is left out again.
    fireEvent.click(screen.getByRole('button', { name: 'Back' }))
    fireEvent.change(await screen.findByRole('combobox', { name: 'With' }), { target: { value: '' } })
    await waitFor(() => expect(availabilityUrls(fetchMock).at(-1)!.searchParams.has('member')).toBe(false))
  })

  it('the confirmation names the member the booking got', async () => {
    const { state, client } = renderPool(fakePhysios)
    fireEvent.click(within(await screen.findByRole('listbox')).getByRole('option'))
    await screen.findByRole('textbox', { name: 'Name' })
    cleanup()
    const booking: PublicBooking = {
      ref: 'K7Q2XM3D',
      resourceId: 'r-4',
      poolId: fakePhysios.id,
      status: 'confirmed',
      start: '2026-12-01T09:00:00Z',
      end: '2026-12-01T09:30:00Z',
      guest: { name: 'Ada', email: 'ada@example.com' },
      seats: 1,
      version: 1,
      createdAt: '2026-11-29T08:00:00Z',
    }
    state.booking.value = booking
    render(<Confirmation state={state} client={client} />)
    expect(screen.getByRole('status').textContent).toContain('With Dr. Kim')
  })
})

describe('an empty month of a pool', () => {
  /** A pool whose availability is empty this month; everything else from the fake API. */
  function emptyThisMonth(pool: PublicPool) {
    const fetchMock = fakeApiFetch()
    const thisMonth = new Date().toISOString().slice(0, 7)
    const fetchSpy = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input))
      if (url.pathname.endsWith('/availability') && url.searchParams.get('from')!.startsWith(thisMonth)) {
        return answer({ pool, timezone: 'UTC', days: [] })
      }
      return fetchMock(input, init)
    })
    vi.stubGlobal('fetch', fetchSpy)
    const client = createClient({ apiUrl: FAKE_API_URL })
    const state = createBookingState(client, {
      resource: pool.slug,
      pool: true,
      zone: 'UTC',
      t: CATALOGUES.en,
      locale: 'en',
    })
    const [year, month] = thisMonth.split('-').map(Number) as [number, number]
    const nextMonth = new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10)
    const nextAsks = () =>
      fetchSpy.mock.calls.map(([url]) => new URL(String(url))).filter((url) => url.pathname.endsWith('/next-available'))
    return { state, nextMonth, nextAsks }
  }

  it('asks the pool’s next-available search once, from the day after the month', async () => {
    const { state, nextMonth, nextAsks } = emptyThisMonth(fakePhysios)
    await state.load()
    expect(state.isEmpty.value).toBe(true)
    await waitFor(() => expect(state.nextAvailable.value).toBeTruthy())
    // The fake answers the day after `from`.
    expect(state.nextAvailable.value!.date).toBe(`${nextMonth.slice(0, 8)}02`)
    expect(nextAsks().map((url) => [url.pathname, url.searchParams.toString()])).toEqual([
      [`/v1/pools/${fakePhysios.slug}/next-available`, `from=${nextMonth}&tz=UTC`],
    ])
  })

  it('asks for the member chosen, and for the party at a pool of tables', async () => {
    const physios = emptyThisMonth(fakePhysios)
    await physios.state.load()
    await physios.state.chooseMember('r-3')
    await waitFor(() => expect(physios.nextAsks()).toHaveLength(2))
    expect(physios.nextAsks()[1]!.searchParams.get('member')).toBe('r-3')
    vi.unstubAllGlobals()

    const tables = emptyThisMonth(fakeTables)
    await tables.state.load()
    await waitFor(() => expect(tables.state.nextAvailable.value).toBeTruthy())
    expect(tables.nextAsks().map((url) => url.searchParams.get('partySize'))).toEqual(['2'])
    await tables.state.chooseParty(5)
    await waitFor(() => expect(tables.nextAsks()).toHaveLength(2))
    expect(tables.nextAsks()[1]!.searchParams.get('partySize')).toBe('5')
  })
})

describe('a dining room of tables', () => {
  it('asks the guests first, 1 to the largest table, and asks times and the hold for that party', async () => {
    const { fetchMock } = renderPool(fakeTables)
    await screen.findByRole('listbox')
    const group = screen.getByRole('group', { name: 'Guests' })
    // First in the pick step: above the price, the calendar and the times.
    expect(group.compareDocumentPosition(screen.getByRole('listbox')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
    expect(group.compareDocumentPosition(screen.getByRole('grid')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
    expect(within(group).getByRole('status').textContent).toBe('2 guests')
    // No time is shown for "any table": the times on show are for the party.
    await waitFor(() => expect(availabilityUrls(fetchMock).at(-1)!.searchParams.get('partySize')).toBe('2'))
    expect(screen.queryByRole('combobox', { name: 'With' })).toBeNull()

    const more = within(group).getByRole('button', { name: 'One guest more' })
    for (let i = 0; i < 3; i++) fireEvent.click(more)
    await waitFor(() => expect(within(group).getByRole('status').textContent).toBe('5 guests'))
    await waitFor(() => expect(availabilityUrls(fetchMock).at(-1)!.searchParams.get('partySize')).toBe('5'))
    fireEvent.click(more)
    await waitFor(() => expect(within(group).getByRole('status').textContent).toBe('6 guests'))
    expect((more as HTMLButtonElement).disabled).toBe(true)
    fireEvent.click(within(group).getByRole('button', { name: 'One guest fewer' }))
    await waitFor(() => expect(within(group).getByRole('status').textContent).toBe('5 guests'))

    fireEvent.click(within(await screen.findByRole('listbox')).getByRole('option'))
    await waitFor(() => expect(poolHolds(fetchMock)).toHaveLength(1))
    expect(poolHolds(fetchMock)[0]).toMatchObject({ path: '/v1/pools/dining/holds', body: { partySize: 5 } })
    await screen.findByRole('textbox', { name: 'Name' })
    expect(screen.getByText('5 guests')).toBeTruthy()
    // The pool sends no members when guests cannot choose: the table is named from its own page.
    expect(await screen.findByText('Your table: Table 6')).toBeTruthy()
    expect(fetchMock.mock.calls.some(([url]) => String(url).endsWith('/v1/resources/t-6'))).toBe(true)
  })

  it.each([
    ['de', 'Gäste', '2 Gäste', 'Ein Gast mehr', '3 Gäste'],
    ['es', 'Personas', '2 personas', 'Una persona más', '3 personas'],
  ] as const)('speaks %s', async (language, label, two, more, three) => {
    renderPool(fakeTables, language)
    await screen.findByRole('listbox')
    const group = screen.getByRole('group', { name: label })
    expect(within(group).getByRole('status').textContent).toBe(two)
    fireEvent.click(within(group).getByRole('button', { name: more }))
    await waitFor(() => expect(within(group).getByRole('status').textContent).toBe(three))
  })
})

describe('a resource', () => {
  it('shows neither the guests nor the member chooser, and asks the resource as before', async () => {
    const fetchMock = fakeApiFetch()
    vi.stubGlobal('fetch', fetchMock)
    const client = createClient({ apiUrl: FAKE_API_URL })
    const state = createBookingState(client, { resource: fakeRoom.slug, zone: 'UTC', t: CATALOGUES.en, locale: 'en' })
    void state.load()
    render(<BookingWidget state={state} client={client} />)
    await screen.findByRole('listbox')
    expect(screen.queryByRole('group', { name: 'Guests' })).toBeNull()
    expect(screen.queryByRole('combobox')).toBeNull()
    expect(availabilityUrls(fetchMock).every((url) => url.pathname === '/v1/resources/room/availability')).toBe(true)
  })
})
