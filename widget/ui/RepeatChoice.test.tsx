// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { CreatedSeries, SeriesAvailability, SeriesConflict } from '../../shared/api-contract'
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

function renderWidget(
  options: {
    language?: Language
    target?: PublicResource | PublicPool
    paid?: boolean
    /** The third date is taken by someone else once an all-or-nothing series has been sent. */
    takenLater?: boolean
    /** Every series request is refused with this error (409). */
    refuseSeries?: { code: string; message: string; details?: unknown }
  } = {},
) {
  const { language = 'en', target = fakeRoom, paid = false, takenLater = false, refuseSeries } = options
  const fetchMock = fakeApiFetch()
  let thirdTaken = false
  // A resource that takes a deposit online: the same answers with its price and payment.
  const payment = {
    price: { amount: 5000, currency: 'EUR' },
    payment: 'deposit',
    deposit: { amount: 1500, currency: 'EUR' },
  }
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const isSeries = String(input).endsWith('/v1/bookings/series') && init?.method === 'POST'
    if (takenLater && isSeries && (JSON.parse(String(init?.body)) as { mode: string }).mode === 'all_or_nothing')
      thirdTaken = true
    const response = await fetchMock(input, init)
    const files = calendarFile(String(input), init)
    if (files) return files
    if (refuseSeries && isSeries) return answer({ error: refuseSeries }, 409)
    if (thirdTaken) return withThirdTaken(String(input), init, response)
    if (paid && String(input).endsWith('/v1/bookings/series') && response.ok) {
      // A prepaid series: its dates wait for one payment of every date's deposit.
      const body = (await response.json()) as CreatedSeries
      const share = { status: 'requires_payment', amount: 1500, currency: 'EUR', captured: 0, refunded: 0 } as const
      const bookings = body.series.bookings.map((b) => ({ ...b, status: 'pending' as const, payment: share }))
      const due = { clientSecret: 'pi_s_secret', publishableKey: 'pk_test', amount: 1500 * bookings.length }
      return answer({ ...body, series: { ...body.series, bookings }, payment: { ...due, currency: 'EUR' } }, 201)
    }
    if (!paid || !String(input).includes('/availability') || String(input).includes('/series-availability'))
      return response
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

/**
 * Calendar files as the API serves them to the manage token's holder (the series' one opens
 * the series and each of its dates), and a single booking made with "Just once".
 */
function calendarFile(url: string, init: RequestInit | undefined): Response | undefined {
  const path = new URL(url).pathname
  if (path === '/v1/bookings' && init?.method === 'POST')
    return answer(
      {
        booking: { ...singleBooking, guest: { name: 'Ada Lovelace', email: 'ada@example.com' } },
        manageToken: 'single-token',
      },
      201,
    )
  const file = /^\/v1\/(bookings|series)\/([^/]+)\/calendar\.ics$/.exec(path)
  if (!file) return undefined
  const token = new Headers(init?.headers).get('Authorization')
  const [, kind, ref] = file
  const opens =
    kind === 'series' ? ref === 'SERIES1' && token === 'Bearer series-token' : token === 'Bearer single-token'
  if (!opens) return answer({ error: { code: 'not_found', message: 'No such booking.' } }, 404)
  return new Response(`BEGIN:VCALENDAR\r\nX-FILE:${kind}-${ref}\r\nEND:VCALENDAR\r\n`, {
    headers: { 'Content-Type': 'text/calendar; charset=utf-8' },
  })
}

const singleBooking = {
  ref: 'ONCE1',
  resourceId: fakeRoom.id,
  status: 'confirmed',
  start: '2026-11-30T22:00:00Z',
  end: '2026-11-30T22:30:00Z',
  version: 1,
  createdAt: '2026-11-29T08:00:00Z',
}

/**
 * The fake API's answer once the series' third date is taken too: asked about, it is taken;
 * an all-or-nothing series is refused naming it beside the second; the free dates skip it.
 */
async function withThirdTaken(url: string, init: RequestInit | undefined, response: Response) {
  if (url.includes('/series-availability')) {
    const body = (await response.json()) as SeriesAvailability
    return answer({
      occurrences: body.occurrences.map((d, i) => (i === 2 ? { ...d, free: false, reason: 'taken' } : d)),
    })
  }
  if (!url.endsWith('/v1/bookings/series')) return response
  const request = JSON.parse(String(init?.body)) as { repeat: { everyWeeks: number } }
  if (!response.ok) {
    const body = (await response.json()) as { error: { details: { conflicts: SeriesConflict[] } } }
    const [second] = body.error.details.conflicts
    const at = (instant: string) =>
      new Date(Date.parse(instant) + request.repeat.everyWeeks * 604_800_000).toISOString()
    const third = {
      date: at(second!.start).slice(0, 10),
      start: at(second!.start),
      end: at(second!.end),
      reason: 'taken',
    }
    return answer({ error: { ...body.error, details: { conflicts: [second, third] } } }, 409)
  }
  const body = (await response.json()) as CreatedSeries
  const [first, third, ...later] = body.series.bookings
  const bookings = [first!, ...later].map((b, i) => ({ ...b, ref: `SER${i}` }))
  const skipped = [
    ...body.series.skipped,
    { date: third!.start.slice(0, 10), start: third!.start, end: third!.end, reason: 'taken' as const },
  ]
  return answer({ ...body, series: { ...body.series, bookings, skipped } }, 201)
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

  it('"Only if all dates are free" with a date taken: nothing is booked, and the guest stays on the form and is told which', async () => {
    const { fetchMock, state } = renderWidget()
    await holdFirstTime()
    fillGuest()
    fireEvent.change(screen.getByRole('combobox', { name: 'Repeat' }), { target: { value: '2' } })
    fireEvent.click(await screen.findByRole('radio', { name: 'Only if all dates are free' }))
    expect(seriesChecks(fetchMock).at(-1)!.searchParams.get('everyWeeks')).toBe('2')
    const taken = document.querySelector('.repeat .taken')!.textContent!.replace(' — taken', '')
    fireEvent.click(screen.getByRole('button', { name: 'Book' }))
    await waitFor(() => expect(seriesBodies(fetchMock)).toHaveLength(1))
    expect(seriesBodies(fetchMock)[0]).toMatchObject({
      mode: 'all_or_nothing',
      repeat: { everyWeeks: 2, occurrences: 4 },
    })
    await waitFor(() =>
      expect(state.notice.value).toBe(
        `One of the dates is taken now: ${taken}. Book the free dates, or choose other times.`,
      ),
    )
    expect(screen.getByRole('alert').textContent).toBe(state.notice.value)
    expect(state.step.value).toBe('details')
    expect(state.hold.value?.id).toBe('h_1')
    expect(withLaterSteps(state).series.value).toBeUndefined()
  })

  it('the notice naming the taken dates goes once the guest changes the repeat choice', async () => {
    const { state } = renderWidget()
    await holdFirstTime()
    fillGuest()
    fireEvent.change(screen.getByRole('combobox', { name: 'Repeat' }), { target: { value: '1' } })
    fireEvent.click(await screen.findByRole('radio', { name: 'Only if all dates are free' }))
    fireEvent.click(screen.getByRole('button', { name: 'Book' }))
    await waitFor(() => expect(state.notice.value).toMatch(/^One of the dates is taken now/))
    // Booking the free dates instead: the refusal no longer describes what would be sent.
    fireEvent.click(await screen.findByRole('radio', { name: 'Book the free dates only' }))
    expect(state.notice.value).toBeUndefined()
    expect(screen.queryByRole('alert')).toBeNull()

    // Refused again, then "Just once": gone too, and the time is still held.
    fireEvent.click(await screen.findByRole('radio', { name: 'Only if all dates are free' }))
    fireEvent.click(screen.getByRole('button', { name: 'Book' }))
    await waitFor(() => expect(state.notice.value).toMatch(/^One of the dates is taken now/))
    fireEvent.change(screen.getByRole('combobox', { name: 'Repeat' }), { target: { value: '0' } })
    expect(state.notice.value).toBeUndefined()
    expect(screen.queryByRole('alert')).toBeNull()
    expect(state.step.value).toBe('details')
    expect(state.hold.value?.id).toBe('h_1')
  })

  it('a changed repeat choice leaves a notice about the guest fields standing', async () => {
    const { state } = renderWidget()
    await holdFirstTime()
    fillGuest()
    withLaterSteps(state).rejectFields({ email: 'Please check this field.' })
    expect(state.notice.value).toBe(CATALOGUES.en.checkFields)
    fireEvent.change(screen.getByRole('combobox', { name: 'Repeat' }), { target: { value: '1' } })
    expect(state.notice.value).toBe(CATALOGUES.en.checkFields)
  })

  it('a series refused for dates taken since they were shown keeps the guest on the form, names the dates in German and books the free ones', async () => {
    const { fetchMock, state } = renderWidget({ language: 'de', takenLater: true })
    await holdFirstTime()
    fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'Ada Lovelace' } })
    fireEvent.input(screen.getByLabelText('E-Mail'), { target: { value: 'ada@example.com' } })
    fireEvent.change(screen.getByRole('combobox', { name: 'Wiederholen' }), { target: { value: '1' } })
    fireEvent.click(await screen.findByRole('radio', { name: 'Nur buchen, wenn alle Termine frei sind' }))
    const listed = () => [...document.querySelectorAll('.repeat .series-dates li')].map((li) => li.textContent!)
    expect(listed().filter((d) => d.endsWith('– belegt'))).toHaveLength(1)
    const checksBefore = seriesChecks(fetchMock).length
    fireEvent.click(screen.getByRole('button', { name: 'Buchen' }))

    // Told which dates are taken, in German with German dates, and still on the form.
    const [, second, third] = listed().map((d) => d.replace(/ – (frei|belegt)$/, ''))
    expect(second).toMatch(/^\d{1,2}\. \S+$/)
    // The last date's own full stop ("14. Dez.") ends the sentence.
    const notice = `2 der Termine sind inzwischen belegt: ${second}, ${third!.replace(/\.$/, '')}. Buchen Sie die freien Termine oder wählen Sie andere Zeiten.`
    await waitFor(() => expect(state.notice.value).toBe(notice))
    expect(screen.getByRole('alert').textContent).toBe(notice)
    expect(state.step.value).toBe('details')
    expect(state.hold.value?.id).toBe('h_1')
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Ada Lovelace')
    expect((screen.getByLabelText('E-Mail') as HTMLInputElement).value).toBe('ada@example.com')
    // The dates are asked about again, and the list shows both taken.
    await waitFor(() => expect(listed().filter((d) => d.endsWith('– belegt'))).toHaveLength(2))
    expect(seriesChecks(fetchMock).length).toBe(checksBefore + 1)
    expect(listed()[2]).toBe(`${third} – belegt`)
    expect(withLaterSteps(state).repeat.value).toMatchObject({ everyWeeks: 1, occurrences: 4, mode: 'all_or_nothing' })

    // The free dates, then: the held one and the last.
    fireEvent.click(screen.getByRole('radio', { name: 'Nur die freien Termine buchen' }))
    fireEvent.click(screen.getByRole('button', { name: 'Buchen' }))
    await screen.findByText('Gebuchte Termine')
    expect(seriesBodies(fetchMock).map((body) => body.mode)).toEqual(['all_or_nothing', 'skip_conflicts'])
    expect(seriesBodies(fetchMock)[1]).toMatchObject({
      holdId: 'h_1',
      guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
      repeat: { everyWeeks: 1, occurrences: 4 },
    })
    const lists = document.querySelectorAll('.series-done .series-dates')
    expect(lists[0]!.querySelectorAll('li')).toHaveLength(2)
    expect([...lists[1]!.querySelectorAll('li')].map((li) => li.textContent)).toEqual([second, third])
    expect(state.notice.value).toBeUndefined()
  })

  it('names one taken date in Spanish', async () => {
    const { state } = renderWidget({ language: 'es' })
    await holdFirstTime()
    fireEvent.change(screen.getByRole('combobox', { name: 'Repetir' }), { target: { value: '1' } })
    fireEvent.click(await screen.findByRole('radio', { name: 'Solo si todas las fechas están libres' }))
    const taken = document.querySelector('.repeat .taken')!.textContent!.replace(': ocupada', '')
    fireEvent.input(screen.getByLabelText('Nombre'), { target: { value: 'Ada Lovelace' } })
    fireEvent.input(screen.getByLabelText('Correo electrónico'), { target: { value: 'ada@example.com' } })
    fireEvent.click(screen.getByRole('button', { name: 'Reservar' }))
    await waitFor(() =>
      expect(state.notice.value).toBe(
        `Una de las fechas ya está ocupada: ${taken}. Reserva las fechas libres o elige otras horas.`,
      ),
    )
    expect(state.step.value).toBe('details')
  })

  it('any other refusal of a series sends the guest back to the times as before', async () => {
    const { state } = renderWidget({ refuseSeries: { code: 'slot_taken', message: 'Taken.' } })
    await holdFirstTime()
    fillGuest()
    fireEvent.change(screen.getByRole('combobox', { name: 'Repeat' }), { target: { value: '1' } })
    await screen.findByRole('radio', { name: 'Book the free dates only' })
    fireEvent.click(screen.getByRole('button', { name: 'Book' }))
    await waitFor(() => expect(state.step.value).toBe('pick'))
    expect(state.notice.value).toBe(CATALOGUES.en.slotTaken)
    expect(state.hold.value).toBeUndefined()
  })

  it('a refusal naming no dates (an empty list) sends the guest back to the times too', async () => {
    const { state } = renderWidget({
      refuseSeries: { code: 'slot_taken', message: 'Taken.', details: { conflicts: [] } },
    })
    await holdFirstTime()
    fillGuest()
    fireEvent.change(screen.getByRole('combobox', { name: 'Repeat' }), { target: { value: '1' } })
    await screen.findByRole('radio', { name: 'Book the free dates only' })
    fireEvent.click(screen.getByRole('button', { name: 'Book' }))
    await waitFor(() => expect(state.step.value).toBe('pick'))
    expect(state.notice.value).toBe(CATALOGUES.en.slotTaken)
  })

  it('is not offered through a pool', async () => {
    renderWidget({ target: fakePhysios })
    await holdFirstTime()
    expect(screen.queryByRole('combobox', { name: 'Repeat' })).toBeNull()
  })

  it('is offered where the card is taken when booking, with what the dates booked cost now', async () => {
    renderWidget({ paid: true })
    await holdFirstTime()
    expect(screen.getByRole('button', { name: 'Continue to payment' })).toBeTruthy()
    fireEvent.change(screen.getByRole('combobox', { name: 'Repeat' }), { target: { value: '1' } })
    // Four dates, the second taken: the three free ones are booked, each paying its deposit.
    expect(await screen.findByText('3 dates × €15.00 = €45.00, paid now')).toBeTruthy()
    fireEvent.change(screen.getByLabelText('For'), { target: { value: '6' } })
    expect(await screen.findByText('5 dates × €15.00 = €75.00, paid now')).toBeTruthy()
    // All or nothing with a date taken books nothing, so nothing is paid.
    fireEvent.click(screen.getByRole('radio', { name: 'Only if all dates are free' }))
    await waitFor(() => expect(document.querySelector('.series-due')).toBeNull())
    fireEvent.change(screen.getByRole('combobox', { name: 'Repeat' }), { target: { value: '0' } })
    expect(document.querySelector('.series-due')).toBeNull()
  })

  it('a prepaid series goes to the card step for its first date, paying every date at once', async () => {
    const { fetchMock, state } = renderWidget({ paid: true })
    await holdFirstTime()
    fillGuest()
    fireEvent.change(screen.getByRole('combobox', { name: 'Repeat' }), { target: { value: '1' } })
    await screen.findByText('3 dates × €15.00 = €45.00, paid now')
    fireEvent.click(screen.getByRole('button', { name: 'Continue to payment' }))
    await screen.findByRole('heading', { name: 'Payment' })
    expect(seriesBodies(fetchMock)).toHaveLength(1)
    expect(screen.getByText('3 dates, weekly: €45.00')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Pay €45.00' })).toBeTruthy()
    // Each date's terms, not the total as if it were one date's deposit.
    expect(screen.getByText('Deposit when you book: €15.00 (of €50.00)')).toBeTruthy()
    expect(state.booking.value?.ref).toBe('SER0')
    expect(state.manageToken.value).toBe('series-token')
    expect(withLaterSteps(state).series.value?.bookings).toHaveLength(3)
  })

  it('speaks formal German', async () => {
    renderWidget({ language: 'de' })
    await holdFirstTime()
    fireEvent.change(screen.getByRole('combobox', { name: 'Wiederholen' }), { target: { value: '1' } })
    expect(screen.getByLabelText('Anzahl der Termine')).toBeTruthy()
    await screen.findByRole('radio', { name: 'Nur die freien Termine buchen' })
    expect(document.querySelector('.repeat .taken')!.textContent).toMatch(/– belegt$/)
  })

  it('says what is paid now in German and Spanish', async () => {
    renderWidget({ language: 'de', paid: true })
    await holdFirstTime()
    fireEvent.change(screen.getByRole('combobox', { name: 'Wiederholen' }), { target: { value: '1' } })
    expect((await screen.findByText(/jetzt zu zahlen$/)).textContent).toBe(
      '3 Termine × 15,00\u00a0€ = 45,00\u00a0€, jetzt zu zahlen',
    )
    cleanup()
    vi.unstubAllGlobals()
    renderWidget({ language: 'es', paid: true })
    await holdFirstTime()
    fireEvent.change(screen.getByRole('combobox', { name: 'Repetir' }), { target: { value: '1' } })
    expect((await screen.findByText(/se paga ahora$/)).textContent).toBe(
      '3 fechas × 15,00\u00a0€ = 45,00\u00a0€, se paga ahora',
    )
  })
})

describe('the series confirmation', () => {
  /** Books "Every week, 4 times" (the second date taken, so 3 booked) in `language`. */
  async function bookWeekly(language: Language) {
    const words = CATALOGUES[language]
    const rendered = renderWidget({ language })
    await holdFirstTime()
    fireEvent.input(screen.getByLabelText(words.name), { target: { value: 'Ada Lovelace' } })
    fireEvent.input(screen.getByLabelText(words.email), { target: { value: 'ada@example.com' } })
    fireEvent.change(screen.getByRole('combobox', { name: words.repeat.label }), { target: { value: '1' } })
    await screen.findByRole('radio', { name: words.repeat.freeOnly })
    fireEvent.click(screen.getByRole('button', { name: words.book }))
    await screen.findByText(words.repeat.booked)
    return rendered
  }

  const fileRequests = (fetchMock: ReturnType<typeof fakeApiFetch>) =>
    fetchMock.mock.calls
      .filter(([url]) => String(url).endsWith('/calendar.ics'))
      .map(([url, init]) => [new URL(String(url)).pathname, new Headers(init?.headers).get('Authorization')])

  it('offers one download of the series file, every date booked, fetched with the manage token', async () => {
    const made = vi.spyOn(URL, 'createObjectURL')
    const { fetchMock } = await bookWeekly('en')
    const links = screen.getByRole('group', { name: 'Add to your calendar' })
    const file = await within(links).findByRole('link', { name: 'Add all 3 dates to your calendar (.ics)' })
    expect(file.getAttribute('download')).toBe('series-SERIES1.ics')
    // The only file offered: the first date's own is neither fetched nor linked.
    expect(links.querySelectorAll('a[download]')).toHaveLength(1)
    expect(fileRequests(fetchMock)).toEqual([['/v1/series/SERIES1/calendar.ics', 'Bearer series-token']])
    const blob = made.mock.calls.at(-1)![0] as Blob
    expect(file.getAttribute('href')).toBe(made.mock.results.at(-1)!.value)
    expect(await blob.text()).toContain('X-FILE:series-SERIES1')
    // Google and Outlook take one event: they say it is the first date.
    const google = within(links).getByRole('link', { name: 'Google Calendar (first date)' })
    expect(google.getAttribute('href')).toContain('&details=Reference%20SER0')
    expect(within(links).getByRole('link', { name: 'Outlook (first date)' })).toBeTruthy()
  })

  it('names the series file and the first-date links in German and Spanish', async () => {
    await bookWeekly('de')
    const de = screen.getByRole('group', { name: 'In Ihren Kalender eintragen' })
    expect(
      (await within(de).findByRole('link', { name: 'Alle 3 Termine zum Kalender hinzufügen (.ics)' })).getAttribute(
        'download',
      ),
    ).toBe('series-SERIES1.ics')
    expect(within(de).getByRole('link', { name: 'Google Kalender (erster Termin)' })).toBeTruthy()
    expect(within(de).getByRole('link', { name: 'Outlook (erster Termin)' })).toBeTruthy()
    cleanup()
    vi.unstubAllGlobals()

    await bookWeekly('es')
    const es = screen.getByRole('group', { name: 'Añadir a tu calendario' })
    expect(
      (await within(es).findByRole('link', { name: 'Añadir las 3 fechas al calendario (.ics)' })).getAttribute(
        'download',
      ),
    ).toBe('series-SERIES1.ics')
    expect(within(es).getByRole('link', { name: 'Google Calendar (primera fecha)' })).toBeTruthy()
    expect(within(es).getByRole('link', { name: 'Outlook (primera fecha)' })).toBeTruthy()
  })

  it('a single booking still offers its own file and the plain links', async () => {
    const { fetchMock } = renderWidget()
    await holdFirstTime()
    fillGuest()
    fireEvent.click(screen.getByRole('button', { name: 'Book' }))
    await screen.findByRole('heading', { name: 'Booked!' })
    const links = screen.getByRole('group', { name: 'Add to your calendar' })
    const file = await within(links).findByRole('link', { name: 'Add to calendar (.ics)' })
    expect(file.getAttribute('download')).toBe('booking-ONCE1.ics')
    expect(fileRequests(fetchMock)).toEqual([['/v1/bookings/ONCE1/calendar.ics', 'Bearer single-token']])
    expect(within(links).getByRole('link', { name: 'Google Calendar' })).toBeTruthy()
    expect(within(links).getByRole('link', { name: 'Outlook' })).toBeTruthy()
    expect(screen.queryByText('Booked dates')).toBeNull()
  })
})
