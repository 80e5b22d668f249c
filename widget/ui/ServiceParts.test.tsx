// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClient } from '../client'
import { CATALOGUES } from '../locales'
import { createBookingState } from '../state'
import { answer, FAKE_API_URL } from '../testing/fake-api'
import { fakeMassage, fakeServiceApiFetch, serviceBooking } from '../testing/fake-service-api'
import { BookingWidget } from './BookingWidget'
import { ManageBooking } from './ManageBooking'
import { partNames, ServiceParts } from './ServiceParts'

/*
 * A massage that takes a therapist and a treatment room at once: the pick step says what it
 * includes, picking a time holds the service, and the details step, the confirmation and the
 * manage view name both resources. Moving keeps the room.
 */

type Language = 'en' | 'de' | 'es'

function renderService(language: Language = 'en') {
  const fetchMock = fakeServiceApiFetch()
  vi.stubGlobal('fetch', fetchMock)
  const client = createClient({ apiUrl: FAKE_API_URL })
  const state = createBookingState(client, {
    resource: fakeMassage.slug,
    service: true,
    zone: 'UTC',
    t: CATALOGUES[language],
    locale: language,
  })
  void state.load()
  render(
    <BookingWidget state={state} client={client} manageUrl={(ref, token) => `/manage#ref=${ref}&token=${token}`} />,
  )
  return { fetchMock, state }
}

const posts = (fetchMock: ReturnType<typeof fakeServiceApiFetch>) =>
  fetchMock.mock.calls
    .filter(([, init]) => init?.method === 'POST')
    .map(([url, init]) => ({ path: new URL(String(url)).pathname, body: JSON.parse(String(init?.body)) as object }))

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('partNames', () => {
  it('puts the lead first and the further parts in the service’s order, leaving out what has no name', () => {
    const parts = [
      { position: 2, resourceId: 'x', name: 'Sauna' },
      { position: 1, resourceId: 'y', name: 'Room 2' },
    ]
    expect(partNames('Anna', parts)).toEqual(['Anna', 'Room 2', 'Sauna'])
    expect(partNames(undefined, parts)).toEqual(['Room 2', 'Sauna'])
    expect(partNames('', undefined)).toEqual([])
  })

  it('renders nothing until there is a name to show', () => {
    const { container } = render(<ServiceParts t={CATALOGUES.en} lead={undefined} parts={[]} />)
    expect(container.textContent).toBe('')
  })
})

describe('booking a service', () => {
  it('holds the service and names the therapist and the room from the details step to the confirmation', async () => {
    const { fetchMock } = renderService()
    const time = within(await screen.findByRole('listbox')).getByRole('option')
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Massage')
    expect(screen.getByText('Includes: Therapist · Treatment room')).toBeTruthy()

    fireEvent.click(time)
    await screen.findByRole('textbox', { name: 'Name' })
    expect(posts(fetchMock)).toEqual([
      { path: '/v1/services/massage/holds', body: { start: expect.any(String), end: expect.any(String) } },
    ])
    expect(screen.getByText('With Anna · Treatment room 2')).toBeTruthy()

    fireEvent.input(screen.getByRole('textbox', { name: 'Name' }), { target: { value: 'Ada Lovelace' } })
    fireEvent.input(screen.getByRole('textbox', { name: 'Email' }), { target: { value: 'ada@example.com' } })
    fireEvent.click(screen.getByRole('button', { name: 'Book' }))
    await screen.findByRole('heading', { name: 'Booked!' })
    expect(posts(fetchMock).at(-1)).toMatchObject({ path: '/v1/bookings', body: { holdId: 'h_s1' } })
    const confirmation = screen.getByRole('status')
    expect(confirmation.textContent).toContain('With Anna · Treatment room 2')
    expect(confirmation.textContent).toContain(serviceBooking.ref)
  })

  it.each([
    ['de', 'Enthält: Therapist · Treatment room', 'Mit Anna · Treatment room 2'],
    ['es', 'Incluye: Therapist · Treatment room', 'Con Anna · Treatment room 2'],
  ] as const)('speaks %s', async (language, includes, parts) => {
    renderService(language)
    const time = within(await screen.findByRole('listbox')).getByRole('option')
    expect(screen.getByText(includes)).toBeTruthy()
    fireEvent.click(time)
    expect(await screen.findByText(parts)).toBeTruthy()
  })
})

describe('an empty month of a service', () => {
  it('asks the service’s own next-available search, from the day after the month', async () => {
    const services = fakeServiceApiFetch()
    const thisMonth = new Date().toISOString().slice(0, 7)
    const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input))
      if (url.pathname.endsWith('/availability') && url.searchParams.get('from')!.startsWith(thisMonth))
        return answer({ service: fakeMassage, timezone: 'UTC', days: [] })
      return services(input, init)
    })
    vi.stubGlobal('fetch', fetchMock)
    const client = createClient({ apiUrl: FAKE_API_URL })
    const state = createBookingState(client, {
      resource: 'massage',
      service: true,
      zone: 'UTC',
      t: CATALOGUES.en,
      locale: 'en',
    })
    await state.load()
    expect(state.isEmpty.value).toBe(true)
    await waitFor(() => expect(state.nextAvailable.value).toBeTruthy())
    const [year, month] = thisMonth.split('-').map(Number) as [number, number]
    const nextMonth = new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10)
    const asked = fetchMock.mock.calls
      .map(([url]) => new URL(String(url)))
      .filter((url) => url.pathname.endsWith('/next-available'))
    expect(asked.map((url) => [url.pathname, url.searchParams.toString()])).toEqual([
      ['/v1/services/massage/next-available', `from=${nextMonth}&tz=UTC`],
    ])
    expect(state.nextAvailable.value!.date).toBe(`${nextMonth.slice(0, 8)}02`)
  })
})

describe('managing a booking of a service', () => {
  function renderManage() {
    const fetchMock = fakeServiceApiFetch()
    vi.stubGlobal('fetch', fetchMock)
    const onChanged = vi.fn()
    render(
      <ManageBooking
        client={createClient({ apiUrl: FAKE_API_URL })}
        ref_={serviceBooking.ref}
        token="tok_s1"
        zone="UTC"
        t={CATALOGUES.en}
        locale="en"
        onError={vi.fn()}
        onChanged={onChanged}
      />,
    )
    return { fetchMock, onChanged }
  }

  it('is titled by the service and names the therapist and the room', async () => {
    renderManage()
    await screen.findByRole('heading', { level: 2, name: 'Massage' })
    expect(await screen.findByText('With Anna · Treatment room 2')).toBeTruthy()
  })

  it('moves through the service’s times and keeps the room', async () => {
    const { fetchMock, onChanged } = renderManage()
    await screen.findByText('With Anna · Treatment room 2')
    fireEvent.click(screen.getByRole('button', { name: 'Change time' }))
    fireEvent.click(within(await screen.findByRole('listbox')).getByRole('option'))
    await screen.findByRole('button', { name: 'Move to this time' })
    const hold = posts(fetchMock).find((post) => post.path.endsWith('/holds'))
    expect(hold).toEqual({
      path: '/v1/services/s-1/holds',
      body: {
        start: expect.any(String),
        end: expect.any(String),
        parts: [
          { position: 0, resourceId: serviceBooking.resourceId },
          { position: 1, resourceId: 'room-2' },
        ],
      },
    })
    expect(screen.getByText('With Anna · Treatment room 2')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Move to this time' }))
    await waitFor(() => expect(onChanged).toHaveBeenCalledTimes(1))
    expect(posts(fetchMock).at(-1)).toMatchObject({
      path: `/v1/bookings/${serviceBooking.ref}/reschedule`,
      body: { holdId: 'h_s1' },
    })
  })
})
