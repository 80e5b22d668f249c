// @vitest-environment happy-dom
import { signal } from '@preact/signals'
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { PublicBooking, PublicResource } from '../../shared/types'
import { createClient } from '../client'
import { CATALOGUES } from '../locales'
import { createBookingState, type BookingState } from '../state'
import { answer, FAKE_API_URL, FAKE_CLASS_SEATS_LEFT, fakeApiFetch, fakeClass, fakeRoom } from '../testing/fake-api'
import { BookingWidget } from './BookingWidget'
import { Confirmation } from './Confirmation'
import { ManageBooking } from './ManageBooking'
import { PriceSummary } from './PriceSummary'

/*
 * A class of several places: the guest says how many places they want, sees only the
 * times with that many free and how few are left, holds and books that many, and reads
 * the places back. A resource of one place looks and asks exactly as before.
 */

type Language = 'en' | 'de' | 'es'

function renderWidget(resource: PublicResource, language: Language = 'en') {
  const fetchMock = fakeApiFetch()
  vi.stubGlobal('fetch', fetchMock)
  const client = createClient({ apiUrl: FAKE_API_URL })
  const state = createBookingState(client, {
    resource: resource.slug,
    zone: 'UTC',
    t: CATALOGUES[language],
    locale: language,
  })
  void state.load()
  render(<BookingWidget state={state} client={client} />)
  return { fetchMock, state }
}

const availabilityUrls = (fetchMock: ReturnType<typeof fakeApiFetch>) =>
  fetchMock.mock.calls.map(([url]) => new URL(String(url))).filter((url) => url.pathname.endsWith('/availability'))
const holdBodies = (fetchMock: ReturnType<typeof fakeApiFetch>) =>
  fetchMock.mock.calls
    .filter(([url, init]) => String(url).endsWith('/v1/holds') && init?.method === 'POST')
    .map(([, init]) => JSON.parse(String(init?.body)) as Record<string, unknown>)

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('a resource of one place', () => {
  it('shows no places, asks without seats and holds without seats, as before', async () => {
    const { fetchMock } = renderWidget(fakeRoom)
    const time = within(await screen.findByRole('listbox')).getByRole('option')
    expect(screen.queryByRole('group', { name: 'Places' })).toBeNull()
    expect(time.textContent).toMatch(/^\d{1,2}:\d{2}( PM)?$/)
    expect(document.querySelector('.left')).toBeNull()
    for (const url of availabilityUrls(fetchMock)) expect(url.searchParams.has('seats')).toBe(false)
    fireEvent.click(time)
    await waitFor(() => expect(holdBodies(fetchMock)).toHaveLength(1))
    expect(Object.keys(holdBodies(fetchMock)[0]!).sort()).toEqual(['end', 'resourceId', 'start'])
  })
})

describe('a class of several places', () => {
  it('offers a labelled stepper from 1 to the most places per booking, above the times', async () => {
    const { fetchMock } = renderWidget(fakeClass)
    await screen.findByRole('listbox')
    const group = screen.getByRole('group', { name: 'Places' })
    const fewer = within(group).getByRole('button', { name: 'One place fewer' })
    const more = within(group).getByRole('button', { name: 'One place more' })
    expect(within(group).getByRole('status').textContent).toBe('1 place')
    // Above the times: the stepper comes first in the document.
    expect(group.compareDocumentPosition(screen.getByRole('listbox')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
    expect((fewer as HTMLButtonElement).disabled).toBe(true)
    // The first month is asked for one place, without the parameter (the loader's early request matches).
    expect(availabilityUrls(fetchMock)[0]!.searchParams.has('seats')).toBe(false)

    fireEvent.click(more)
    await waitFor(() => expect(within(group).getByRole('status').textContent).toBe('2 places'))
    await waitFor(() =>
      expect(availabilityUrls(fetchMock).some((url) => url.searchParams.get('seats') === '2')).toBe(true),
    )
    expect((fewer as HTMLButtonElement).disabled).toBe(false)

    fireEvent.click(more)
    fireEvent.click(more)
    await waitFor(() => expect(within(group).getByRole('status').textContent).toBe('4 places'))
    expect((more as HTMLButtonElement).disabled).toBe(true)
    // Only 3 places are left at the class's time: asked for 4, there is no time to offer.
    await screen.findByText('No free times this month.')
    expect(availabilityUrls(fetchMock).at(-1)!.searchParams.get('seats')).toBe('4')
  })

  it('says how few places are left at each time, with the right plural', async () => {
    renderWidget(fakeClass)
    const time = within(await screen.findByRole('listbox')).getByRole('option')
    expect(time.textContent).toContain(`${FAKE_CLASS_SEATS_LEFT} places left`)
    // Part of the option's name, so a screen reader hears it with the time.
    expect(within(screen.getByRole('listbox')).getByRole('option', { name: /3 places left/ })).toBe(time)
  })

  it('holds the places chosen and says them on the details step', async () => {
    const { fetchMock } = renderWidget(fakeClass)
    await screen.findByRole('listbox')
    fireEvent.click(screen.getByRole('button', { name: 'One place more' }))
    await waitFor(() => expect(availabilityUrls(fetchMock).at(-1)!.searchParams.get('seats')).toBe('2'))
    fireEvent.click(within(await screen.findByRole('listbox')).getByRole('option'))
    await waitFor(() => expect(holdBodies(fetchMock)).toHaveLength(1))
    expect(holdBodies(fetchMock)[0]).toMatchObject({ resourceId: fakeClass.id, seats: 2 })
    await screen.findByRole('textbox', { name: 'Name' })
    expect(screen.getByText('2 places')).toBeTruthy()
  })

  it.each([
    ['de', 'Plätze', '3 Plätze frei', 'Ein Platz mehr', '2 Plätze'],
    ['es', 'Plazas', '3 plazas libres', 'Una plaza más', '2 plazas'],
  ] as const)('speaks %s', async (language, label, left, more, two) => {
    renderWidget(fakeClass, language)
    const time = within(await screen.findByRole('listbox')).getByRole('option')
    expect(time.textContent).toContain(left)
    const group = screen.getByRole('group', { name: label })
    fireEvent.click(within(group).getByRole('button', { name: more }))
    await waitFor(() => expect(within(group).getByRole('status').textContent).toBe(two))
  })
})

describe('the words for places', () => {
  it.each([
    ['en', ['1 place', '2 places'], ['1 place left', '2 places left']],
    ['de', ['1 Platz', '2 Plätze'], ['1 Platz frei', '2 Plätze frei']],
    ['es', ['1 plaza', '2 plazas'], ['1 plaza libre', '2 plazas libres']],
  ] as const)('%s: singular and plural', (language, places, left) => {
    const t = CATALOGUES[language]
    expect([t.places(1), t.places(2)]).toEqual(places)
    expect([t.placesLeft(1), t.placesLeft(2)]).toEqual(left)
  })
})

describe('the price of several places', () => {
  const priced: PublicResource = { ...fakeClass, price: { amount: 1500, currency: 'EUR' } }
  const summary = (resource: PublicResource, seats: number, payment?: { amount: number; currency: string }) => {
    const state = {
      resource: signal(resource),
      payment: signal(payment),
      seats: signal(seats),
      t: CATALOGUES.en,
      locale: 'en',
    } as unknown as BookingState
    render(<PriceSummary state={state} />)
    return document.querySelector('.price strong')?.textContent
  }

  it('shows the total for the places chosen, with the price of one', () => {
    expect(summary(priced, 2)).toBe('Price: €30.00 (2 × €15.00), paid on site')
    cleanup()
    expect(summary({ ...priced, payment: 'full' }, 3)).toBe('Paid when you book: €45.00 (3 × €15.00)')
    cleanup()
    expect(summary({ ...priced, payment: 'deposit', deposit: { amount: 500, currency: 'EUR' } }, 2)).toBe(
      'Deposit when you book: €10.00 (of €30.00 (2 × €15.00))',
    )
  })

  it('one place: the price as before', () => {
    expect(summary(priced, 1)).toBe('Price: €15.00, paid on site')
  })

  it('once the booking asks for payment, the server’s amount (already for every place)', () => {
    expect(summary({ ...priced, payment: 'full' }, 2, { amount: 3000, currency: 'EUR' })).toBe(
      'Paid when you book: €30.00 (2 × €15.00)',
    )
  })
})

const booking: PublicBooking = {
  ref: 'K7Q2XM3D',
  resourceId: fakeClass.id,
  status: 'confirmed',
  start: '2026-11-30T08:00:00Z',
  end: '2026-11-30T09:00:00Z',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
  version: 1,
  createdAt: '2026-11-29T08:00:00Z',
}

describe('the places read back', () => {
  const confirmation = (seats: number | undefined) => {
    const state = {
      booking: signal({ ...booking, ...(seats === undefined ? {} : { seats }) }),
      manageToken: signal(undefined),
      resource: signal(fakeClass),
      zone: signal('UTC'),
      t: CATALOGUES.en,
      locale: 'en',
      isReschedule: false,
      now: () => new Date('2026-11-29T08:00:00Z'),
      bookAnother: vi.fn(),
    } as unknown as BookingState
    render(<Confirmation state={state} client={{ getCalendarFile: vi.fn() }} />)
    return screen.getByRole('status').textContent ?? ''
  }

  it('the confirmation says the places of a booking of several, and nothing of one', () => {
    expect(confirmation(2)).toContain('2 places')
    cleanup()
    expect(confirmation(1)).not.toMatch(/place/)
    cleanup()
    expect(confirmation(undefined)).not.toMatch(/place/)
  })

  it('the manage view says the places, and a move asks for times with as many free', async () => {
    const fetchMock = fakeApiFetch()
    const api = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) =>
      new URL(String(input)).pathname === `/v1/bookings/${booking.ref}`
        ? answer({ booking: { ...booking, seats: 2 } })
        : new URL(String(input)).pathname === `/v1/resources/${fakeClass.id}`
          ? answer({ resource: fakeClass })
          : fetchMock(input.toString().replace(`/resources/${fakeClass.id}/`, '/resources/class/'), init),
    )
    vi.stubGlobal('fetch', api)
    render(
      <ManageBooking
        client={createClient({ apiUrl: FAKE_API_URL })}
        ref_={booking.ref}
        token="tok"
        zone="UTC"
        t={CATALOGUES.de}
        locale="de"
        onError={vi.fn()}
        onChanged={vi.fn()}
      />,
    )
    await screen.findByText('2 Plätze')
    fireEvent.click(screen.getByRole('button', { name: 'Termin ändern' }))
    await screen.findByRole('listbox')
    // The booking's places are fixed: no stepper, and the times are those with 2 places free.
    expect(screen.queryByRole('group', { name: 'Plätze' })).toBeNull()
    expect(availabilityUrls(fetchMock).at(-1)!.searchParams.get('seats')).toBe('2')
  })
})
