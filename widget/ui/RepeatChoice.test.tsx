// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { PublicPool, PublicResource } from '../../shared/types'
import { createClient } from '../client'
import { CATALOGUES } from '../locales'
import { withLaterSteps } from '../models/later-steps'
import { createBookingState } from '../state'
import { answer, FAKE_API_URL, fakeApiFetch, fakePhysios, fakeRoom } from '../testing/fake-api'
import { BookingWidget } from './BookingWidget'

/*
 * Booking the held time weekly from the details step: offered only where the API can book
 * a series, each date shown free or taken, the choice of what to do about a taken one, the
 * series request carrying everything a single booking would, and the dates read back.
 */

type Language = 'en' | 'de' | 'es'

function renderWidget(options: { language?: Language; target?: PublicResource | PublicPool; paid?: boolean } = {}) {
  const { language = 'en', target = fakeRoom, paid = false } = options
  const fetchMock = fakeApiFetch()
  // A resource that takes a deposit online: the same answers with its price and payment.
  const payment = {
    price: { amount: 5000, currency: 'EUR' },
    payment: 'deposit',
    deposit: { amount: 1500, currency: 'EUR' },
  }
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await fetchMock(input, init)
    if (!paid || !String(input).includes('/availability')) return response
    const body = (await response.json()) as { resource: PublicResource }
    return answer({ ...body, resource: { ...body.resource, ...payment } })
  })
  const client = createClient({ apiUrl: FAKE_API_URL })
  const state = createBookingState(client, {
    resource: target.slug,
    pool: target === fakePhysios,
    zone: 'UTC',
    t: CATALOGUES[language],
    locale: language,
  })
  void state.load()
  const manageUrl = (ref: string, token: string) => `https://site.test/manage#ref=${ref}&token=${token}`
  render(<BookingWidget state={state} client={client} manageUrl={manageUrl} />)
  return { fetchMock, state }
}

async function holdFirstTime() {
  fireEvent.click(within(await screen.findByRole('listbox')).getAllByRole('option')[0]!)
  await screen.findByRole('timer')
}

function fillGuest() {
  fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'Ada Lovelace' } })
  fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'ada@example.com' } })
}

const seriesBodies = (fetchMock: ReturnType<typeof fakeApiFetch>) =>
  fetchMock.mock.calls
    .filter(([url, init]) => String(url).endsWith('/v1/bookings/series') && init?.method === 'POST')
    .map(([, init]) => JSON.parse(String(init?.body)) as Record<string, unknown>)
const seriesChecks = (fetchMock: ReturnType<typeof fakeApiFetch>) =>
  fetchMock.mock.calls
    .map(([url]) => new URL(String(url)))
    .filter((url) => url.pathname.endsWith('/series-availability'))

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('the repeat choice', () => {
  it('is "Just once" by default and asks about no dates', async () => {
    const { fetchMock } = renderWidget()
    await holdFirstTime()
    const repeat = screen.getByRole('combobox', { name: 'Repeat' }) as HTMLSelectElement
    expect(repeat.selectedOptions[0]!.textContent).toBe('Just once')
    expect([...repeat.options].map((o) => o.textContent)).toEqual(['Just once', 'Every week', 'Every 2 weeks'])
    expect(screen.queryByLabelText('For')).toBeNull()
    expect(seriesChecks(fetchMock)).toHaveLength(0)
  })

  it('shows every date free or taken and books the free ones with the hold, guest, locale and zone', async () => {
    const { fetchMock } = renderWidget()
    await holdFirstTime()
    fillGuest()
    fireEvent.change(screen.getByRole('combobox', { name: 'Repeat' }), { target: { value: '1' } })
    const count = screen.getByLabelText('For') as HTMLSelectElement
    expect([...count.options].map((o) => o.value)).toEqual(['2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'])
    fireEvent.change(count, { target: { value: '4' } })
    const dates = await waitFor(() => {
      const items = [...document.querySelectorAll('.repeat .series-dates li')].map((li) => li.textContent)
      expect(items).toHaveLength(4)
      return items
    })
    expect(dates.filter((d) => d!.endsWith('— taken'))).toHaveLength(1)
    expect(dates[1]).toMatch(/^\w{3} \d{1,2} — taken$/)
    const query = seriesChecks(fetchMock).at(-1)!.searchParams
    expect(query.get('everyWeeks')).toBe('1')
    expect(query.get('occurrences')).toBe('4')
    expect((screen.getByRole('radio', { name: 'Book the free dates only' }) as HTMLInputElement).checked).toBe(true)
    expect((screen.getByRole('radio', { name: 'Only if all dates are free' }) as HTMLInputElement).checked).toBe(false)

    fireEvent.click(screen.getByRole('button', { name: 'Book' }))
    await screen.findByText('Booked dates')
    expect(seriesBodies(fetchMock)).toEqual([
      {
        holdId: 'h_1',
        guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
        locale: 'en',
        timezone: 'UTC',
        repeat: { everyWeeks: 1, occurrences: 4 },
        mode: 'skip_conflicts',
      },
    ])
    // No single booking was made beside the series.
    expect(fetchMock.mock.calls.some(([url]) => String(url).endsWith('/v1/bookings'))).toBe(false)
    const lists = document.querySelectorAll('.series-done .series-dates')
    expect(lists[0]!.querySelectorAll('li')).toHaveLength(3)
    expect(lists[1]!.textContent).toBe(dates[1]!.replace(' — taken', ''))
    expect(screen.getByText('Not booked (taken)')).toBeTruthy()
    expect(screen.getByText('SER0')).toBeTruthy()
    const manage = screen.getByRole('link', { name: /manage/i }) as HTMLAnchorElement
    expect(manage.href).toBe('https://site.test/manage#ref=SER0&token=series-token')
  })

  it('"Only if all dates are free" with a date taken: nothing is booked and the guest is told', async () => {
    const { fetchMock, state } = renderWidget()
    await holdFirstTime()
    fillGuest()
    fireEvent.change(screen.getByRole('combobox', { name: 'Repeat' }), { target: { value: '2' } })
    fireEvent.click(await screen.findByRole('radio', { name: 'Only if all dates are free' }))
    expect(seriesChecks(fetchMock).at(-1)!.searchParams.get('everyWeeks')).toBe('2')
    fireEvent.click(screen.getByRole('button', { name: 'Book' }))
    await waitFor(() => expect(state.step.value).toBe('pick'))
    expect(seriesBodies(fetchMock)[0]).toMatchObject({
      mode: 'all_or_nothing',
      repeat: { everyWeeks: 2, occurrences: 4 },
    })
    expect(state.notice.value).toBe(CATALOGUES.en.slotTaken)
    expect(withLaterSteps(state).series.value).toBeUndefined()
  })

  it('is not offered through a pool or for a resource that takes payment online', async () => {
    renderWidget({ target: fakePhysios })
    await holdFirstTime()
    expect(screen.queryByRole('combobox', { name: 'Repeat' })).toBeNull()
    cleanup()
    vi.unstubAllGlobals()
    renderWidget({ paid: true })
    await holdFirstTime()
    expect(screen.getByRole('button', { name: /pay/i })).toBeTruthy()
    expect(screen.queryByRole('combobox', { name: 'Repeat' })).toBeNull()
  })

  it('speaks formal German', async () => {
    renderWidget({ language: 'de' })
    await holdFirstTime()
    fireEvent.change(screen.getByRole('combobox', { name: 'Wiederholen' }), { target: { value: '1' } })
    expect(screen.getByLabelText('Anzahl der Termine')).toBeTruthy()
    await screen.findByRole('radio', { name: 'Nur die freien Termine buchen' })
    expect(document.querySelector('.repeat .taken')!.textContent).toMatch(/– belegt$/)
  })
})
