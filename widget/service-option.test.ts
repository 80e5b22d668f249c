// @vitest-environment happy-dom
import { waitFor } from '@testing-library/preact'
import { act, createElement } from 'react'
import { createRoot } from 'react-dom/client'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { boot, prefetchFirstMonths, type EntryModule } from './boot'
import { createClient } from './client'
import { defineBookingWidget } from './element'
import { BookingWidget } from './react'
import { mount, open } from './sdk'
import { serviceAvailabilityUrl } from './service-target'
import { FAKE_API_URL } from './testing/fake-api'
import { fakeMassage, fakeServiceApiFetch } from './testing/fake-service-api'

/*
 * A service (a therapist and a room at once) as the third thing a widget books, beside a
 * resource and a pool: every way to name one (mount, open, the embed's data attribute, the
 * custom element, the React component) asks the service's times, and the loader starts the
 * service's first month as it does a pool's.
 */

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

let fetchMock: ReturnType<typeof fakeServiceApiFetch>
beforeEach(() => {
  fetchMock = fakeServiceApiFetch()
  vi.stubGlobal('fetch', fetchMock)
})
afterEach(() => {
  vi.unstubAllGlobals()
  document.head.innerHTML = ''
  document.body.innerHTML = ''
  delete window.Booking
})

const availabilityPaths = () =>
  fetchMock.mock.calls.map(([url]) => new URL(String(url))).filter((url) => url.pathname.endsWith('/availability'))
const heading = (el: Element) => el.shadowRoot?.querySelector('h2')?.textContent
const option = (el: Element) => el.shadowRoot?.querySelector<HTMLElement>('[role=option]')

describe('mount({ service })', () => {
  it('asks the service’s times, is titled by the service and says what it includes', async () => {
    const el = document.body.appendChild(document.createElement('div'))
    const ready = vi.fn()
    mount(el, { service: 'massage', apiUrl: FAKE_API_URL, tz: 'UTC' }).on('booking:ready', ready)
    await waitFor(() => expect(option(el)).toBeTruthy())
    expect(heading(el)).toBe('Massage')
    expect(el.shadowRoot!.textContent).toContain('Includes: Therapist · Treatment room')
    expect(availabilityPaths().every((url) => url.pathname === '/v1/services/massage/availability')).toBe(true)
    expect(availabilityPaths()[0]!.searchParams.get('format')).toBe('compact')
    // The lead's price, lengths and policy are the booking's; its name is the service's.
    await waitFor(() => expect(ready).toHaveBeenCalledTimes(1))
    expect(ready.mock.calls[0]![0].resource).toMatchObject({ id: 'r-anna', name: 'Massage' })
  })

  it('holds the service, not its lead alone, and reports the hold with its parts', async () => {
    const el = document.body.appendChild(document.createElement('div'))
    const held = vi.fn()
    mount(el, { service: 'massage', apiUrl: FAKE_API_URL, tz: 'UTC' }).on('booking:slot-held', held)
    await waitFor(() => expect(option(el)).toBeTruthy())
    option(el)!.click()
    await waitFor(() => expect(held).toHaveBeenCalledTimes(1))
    const posts = fetchMock.mock.calls.filter(([, init]) => init?.method === 'POST')
    expect(posts.map(([url]) => new URL(String(url)).pathname)).toEqual(['/v1/services/massage/holds'])
    expect(Object.keys(JSON.parse(String(posts[0]![1]!.body)) as object).sort()).toEqual(['end', 'start'])
    expect(held.mock.calls[0]![0].hold).toMatchObject({ serviceId: 's-1', parts: [{ name: 'Treatment room 2' }] })
  })

  it.each([
    [
      { service: 'massage', resource: 'room' },
      /^mount: expected exactly one of resource, pool and service, received both resource "room" and service "massage"$/,
    ],
    [
      { service: 'massage', pool: 'physios' },
      /expected exactly one of resource, pool and service, received both pool "physios"/,
    ],
    [{ service: '' }, /^mount: expected service to be a service id or slug, received service ""$/],
    [{ service: 7 as never }, /received service number/],
  ])('refuses %j at once', (target, message) => {
    expect(() => mount(document.createElement('div'), { ...target, apiUrl: FAKE_API_URL })).toThrow(message)
  })

  it('open({ service }) shows the service in a dialog, and refuses a second target', async () => {
    const handle = open({ service: 'massage', apiUrl: FAKE_API_URL, tz: 'UTC' })
    const host = document.querySelector('[data-booking-popup="massage"]')!
    await waitFor(() => expect(option(host)).toBeTruthy())
    expect(heading(host)).toBe('Massage')
    handle.destroy()
    expect(() => open({ service: 'massage', pool: 'physios', apiUrl: FAKE_API_URL })).toThrow(
      /^open: expected exactly one of resource, pool and service/,
    )
  })
})

describe('the loader', () => {
  it('starts a service’s first month at the service’s availability, and the widget takes that answer', async () => {
    document.body.innerHTML = '<div id="w" data-booking-service="massage" data-tz="UTC"></div>'
    const script = Object.assign(document.createElement('script'), { src: `${FAKE_API_URL}/widget.js` })
    const requests = prefetchFirstMonths(script, new Date())
    const [url] = [...requests.keys()]
    expect(new URL(url!).pathname).toBe('/v1/services/massage/availability')
    // The same URL the widget's client asks for its first month, so the early answer is taken.
    const query = Object.fromEntries(new URL(url!).searchParams) as { from: string; to: string; tz: string }
    expect(url).toBe(serviceAvailabilityUrl(FAKE_API_URL, 'massage', { from: query.from, to: query.to, tz: 'UTC' }))
    vi.resetModules()
    fetchMock.mockClear()
    await boot(
      script,
      { file: 'assets/widget-AAAA1111.js', imports: [], prefetch: true },
      () => import('./embed') as Promise<EntryModule>,
    )
    const el = document.getElementById('w')!
    await waitFor(() => expect(option(el)).toBeTruthy())
    // One request for the first month (the loader's, without the session header), then the look-ahead.
    await waitFor(() => expect(availabilityPaths()).toHaveLength(2))
    expect(fetchMock.mock.calls[0]![1]).toEqual({ headers: { accept: 'application/json' } })
    expect(new Set(availabilityPaths().map((u) => u.searchParams.get('from')!.slice(0, 7))).size).toBe(2)
  })

  it('the client asks a service at /v1/services and refuses an empty id', async () => {
    const client = createClient({ apiUrl: FAKE_API_URL })
    expect((await client.getService('massage')).data).toEqual(fakeMassage)
    expect(() => client.getService('')).toThrow(/expected a service id or slug, received ""/)
    const month = await client.getServiceAvailability('massage', { from: '2026-12-01', to: '2026-12-31', tz: 'UTC' })
    expect(month.data?.service.name).toBe('Massage')
    expect(month.data?.days[0]?.slots).toHaveLength(1)
  })
})

// After the loader: the embed's observer stays on the document and would mount the loader's element too.
describe('the embed, the element and the React component', () => {
  it('mounts [data-booking-service] elements, now and when added later', async () => {
    const { start } = await import('./embed')
    document.body.innerHTML = '<div id="a" data-booking-service="massage" data-tz="UTC"></div>'
    start(Object.assign(document.createElement('script'), { src: `${FAKE_API_URL}/widget.js` }))
    const first = document.getElementById('a')!
    await waitFor(() => expect(option(first)).toBeTruthy())
    expect(heading(first)).toBe('Massage')
    const later = document.body.appendChild(document.createElement('div'))
    later.setAttribute('data-tz', 'UTC')
    later.setAttribute('data-booking-service', 'massage')
    await waitFor(() => expect(option(later)).toBeTruthy())
  })

  it('<booking-widget service="…"> books the service', async () => {
    defineBookingWidget()
    const el = document.createElement('booking-widget')
    el.setAttribute('service', 'massage')
    el.setAttribute('api-url', FAKE_API_URL)
    el.setAttribute('tz', 'UTC')
    document.body.append(el)
    await waitFor(() => expect(option(el)).toBeTruthy())
    expect(heading(el)).toBe('Massage')
    expect(availabilityPaths()[0]!.pathname).toBe('/v1/services/massage/availability')
  })

  it('<BookingWidget service="…"> books the service, and the hold comes back with its parts', async () => {
    const container = document.body.appendChild(document.createElement('div'))
    const root = createRoot(container)
    const onSlotHeld = vi.fn()
    act(() =>
      root.render(createElement(BookingWidget, { service: 'massage', apiUrl: FAKE_API_URL, tz: 'UTC', onSlotHeld })),
    )
    const host = () => container.firstElementChild!
    await waitFor(() => expect(option(host())).toBeTruthy())
    option(host())!.click()
    await waitFor(() => expect(onSlotHeld).toHaveBeenCalledTimes(1))
    expect(onSlotHeld.mock.calls[0]![0].hold).toMatchObject({ resourceId: 'r-anna', serviceId: fakeMassage.id })
    act(() => root.unmount())
  })
})
