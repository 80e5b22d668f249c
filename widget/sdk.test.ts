// @vitest-environment happy-dom
import { waitFor } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { manage, mount, open, type MountHandle } from './sdk'
import { answer, FAKE_API_URL, fakeApiFetch, fakeRoom } from './testing/fake-api'

/*
 * The public mount/open/manage functions and the embed script, in a DOM, against a fetch
 * that answers like the API.
 */

const room = fakeRoom
const API = FAKE_API_URL
const apiFetch = fakeApiFetch

let fetchMock: ReturnType<typeof apiFetch>
beforeEach(() => {
  fetchMock = apiFetch()
  vi.stubGlobal('fetch', fetchMock)
})
afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

const shadowText = (el: Element) => el.shadowRoot?.textContent ?? ''

describe('mount', () => {
  it('renders into a shadow root and reports ready through on(), with the resource as detail', async () => {
    const el = document.body.appendChild(document.createElement('div'))
    const handle = mount(el, { resource: 'room', apiUrl: API, tz: 'UTC' })
    const ready = vi.fn()
    handle.on('booking:ready', ready)
    await waitFor(() => expect(ready).toHaveBeenCalledWith({ resource: room }))
    expect(el.shadowRoot?.querySelector('[role=grid]')).toBeTruthy()
    expect(el.shadowRoot?.querySelectorAll('[role=option]')).toHaveLength(1)
    expect(el.children).toHaveLength(0) // the host page's DOM is untouched
  })

  it('returns the same handle when the element is mounted again', () => {
    const el = document.body.appendChild(document.createElement('div'))
    const first = mount(el, { resource: 'room', apiUrl: API })
    expect(mount(el, { resource: 'other', apiUrl: API })).toBe(first)
    expect(el.shadowRoot?.querySelectorAll('.root')).toHaveLength(1)
  })

  it('stops calling a listener after off(), and destroy() clears the widget so it can mount again', async () => {
    const el = document.body.appendChild(document.createElement('div'))
    const handle: MountHandle = mount(el, { resource: 'room', apiUrl: API, tz: 'UTC' })
    const held = vi.fn()
    const alsoHeld = vi.fn()
    handle.on('booking:slot-held', held)
    handle.on('booking:slot-held', alsoHeld)
    handle.off('booking:slot-held', held)
    await waitFor(() => expect(el.shadowRoot?.querySelector('[role=option]')).toBeTruthy())
    ;(el.shadowRoot!.querySelector('[role=option]') as HTMLElement).click()
    await waitFor(() => expect(alsoHeld).toHaveBeenCalledTimes(1))
    expect(held).not.toHaveBeenCalled()
    expect(alsoHeld.mock.calls[0]?.[0]).toMatchObject({ hold: { id: 'h_1', resourceId: room.id } })

    handle.destroy()
    expect(el.shadowRoot?.querySelector('.root')).toBeNull()
    // The held time is given back at once rather than left to expire.
    await waitFor(() =>
      expect(
        fetchMock.mock.calls.some(([url, init]) => String(url).endsWith('/v1/holds/h_1') && init?.method === 'DELETE'),
      ).toBe(true),
    )
    const again = mount(el, { resource: 'room', apiUrl: API })
    expect(again).not.toBe(handle)
    expect(el.shadowRoot?.querySelectorAll('.root')).toHaveLength(1)
  })

  it('finishes a 3-D Secure return: the booking this resource remembered is shown as it stands, and the address is cleaned', async () => {
    const booked = {
      ref: 'PAY12345',
      resourceId: room.id,
      status: 'confirmed',
      start: '2026-03-28T09:00:00Z',
      end: '2026-03-28T10:00:00Z',
      guest: { name: 'Ada', email: 'ada@example.com' },
      version: 1,
      createdAt: '2026-03-27T09:00:00Z',
    }
    const api = fetchMock.getMockImplementation()!
    fetchMock.mockImplementation(async (input, init) =>
      new URL(String(input)).pathname === '/v1/bookings/PAY12345' ? answer({ booking: booked }) : api(input, init),
    )
    sessionStorage.setItem('booking-widget:pay:PAY12345', JSON.stringify({ token: 'tok-pay', resource: 'room' }))
    history.replaceState(null, '', '/book?booking_ref=PAY12345&redirect_status=succeeded')
    const el = document.body.appendChild(document.createElement('div'))
    mount(el, { resource: 'room', apiUrl: API, tz: 'UTC' })
    await waitFor(() => expect(shadowText(el)).toContain('Booked!'))
    expect(shadowText(el)).toContain('PAY12345')
    const asked = fetchMock.mock.calls.find(([url]) => String(url).endsWith('/v1/bookings/PAY12345'))
    expect(new Headers(asked?.[1]?.headers).get('Authorization')).toBe('Bearer tok-pay')
    expect(location.search).toBe('')
    expect(sessionStorage.getItem('booking-widget:pay:PAY12345')).toBeNull()
  })

  it('speaks the language of the nearest lang attribute, and data-theme reaches the styles', async () => {
    const section = document.body.appendChild(document.createElement('section'))
    section.lang = 'es-MX'
    const el = section.appendChild(document.createElement('div'))
    mount(el, { resource: 'room', apiUrl: API, theme: 'dark' })
    await waitFor(() => expect(shadowText(el)).toContain('Zona horaria'))
    const root = el.shadowRoot!.querySelector('.root')!
    expect(root.getAttribute('data-theme')).toBe('dark')
    expect(root.getAttribute('lang')).toBe('es-MX')
  })

  it.each([
    [() => mount(null as never, { resource: 'room', apiUrl: API }), /expected an Element, received null/],
    [
      () => mount(document.createElement('div'), { resource: '', apiUrl: API }),
      /expected exactly one of resource, pool and service, received resource ""/,
    ],
    [
      () => mount(document.createElement('div'), { apiUrl: API }),
      /^mount: expected exactly one of resource, pool and service, received undefined$/,
    ],
    [
      () => mount(document.createElement('div'), { resource: 'room', pool: 'physios', apiUrl: API }),
      /expected exactly one of resource, pool and service, received both/,
    ],
    [() => mount(document.createElement('div'), { pool: 7 as never, apiUrl: API }), /received pool number/],
    [() => mount(document.createElement('div'), { resource: 'room', apiUrl: '' }), /options.apiUrl/],
    [
      () => mount(document.createElement('div'), { resource: 'room', apiUrl: API, tz: 'Mars/Olympus' }),
      /IANA time zone/,
    ],
    [
      () => mount(document.createElement('div'), { resource: 'room', apiUrl: API, theme: 'pink' as never }),
      /options.theme/,
    ],
  ])('throws a TypeError that says what was wrong (%#)', (call, message) => {
    expect(call).toThrow(TypeError)
    expect(call).toThrow(message)
  })
})

describe('open', () => {
  it('shows the widget in a modal dialog and removes it all on close', async () => {
    const handle = open({ resource: 'room', apiUrl: API })
    const host = document.querySelector('[data-booking-popup="room"]')!
    expect(host).toBeTruthy()
    await waitFor(() => expect(host.shadowRoot!.querySelector('dialog')).toBeTruthy())
    const dialog = host.shadowRoot!.querySelector('dialog')!
    await waitFor(() => expect(dialog.open).toBe(true))
    expect(dialog.getAttribute('aria-labelledby')).toBe('booking-title')
    await waitFor(() => expect(host.shadowRoot!.getElementById('booking-title')?.textContent).toBe('Meeting room'))
    // Esc makes the browser fire `cancel` on a modal dialog.
    dialog.dispatchEvent(new Event('cancel', { cancelable: true }))
    expect(document.querySelector('[data-booking-popup]')).toBeNull()
    handle.destroy() // a second destroy is harmless
  })
})

describe('manage', () => {
  it('says the link is not valid when the API does not know the booking', async () => {
    const el = document.body.appendChild(document.createElement('div'))
    const errors = vi.fn()
    el.addEventListener('booking:error', errors)
    manage(el, { apiUrl: API, ref: 'ZZZZZZZZ', token: 'nope' })
    await waitFor(() => expect(shadowText(el)).toContain('This booking link is not valid'))
    expect(fetchMock.mock.calls[0]?.[1]?.headers).toMatchObject({ Authorization: 'Bearer nope' })
    // A wrong link is not an error of the widget.
    expect(errors).not.toHaveBeenCalled()
  })

  it('does not call the API for a link without a token', async () => {
    const el = document.body.appendChild(document.createElement('div'))
    manage(el, { apiUrl: API, ref: '', token: '' })
    await waitFor(() => expect(shadowText(el)).toContain('This booking link is not valid'))
    expect(fetchMock).not.toHaveBeenCalled()
  })
})

describe('the embed script', () => {
  it('mounts every [data-booking-resource] with its data-* options, adds one floating button, and defines only window.Booking', async () => {
    vi.resetModules()
    document.body.innerHTML = `
      <div id="a" data-booking-resource="room" data-locale="de" data-tz="UTC" data-name="Ada"></div>
      <div id="b" data-booking-resource="room" data-booking-button="room"></div>
      <span data-booking-button="room"></span>`
    const before = new Set(Object.keys(window))
    ;(await import('./embed')).start(null)
    expect(Object.keys(window).filter((key) => !before.has(key))).toEqual(['Booking'])
    expect(window.Booking?.version).toMatch(/^\d+\.\d+\.\d+/)
    const a = document.getElementById('a')!
    // The German words are a chunk of their own, fetched for this element only.
    await waitFor(() => expect(shadowText(a)).toContain('Zeitzone'))
    expect(a.shadowRoot!.querySelector('.root')!.getAttribute('lang')).toBe('de')
    expect(document.getElementById('b')!.shadowRoot).toBeTruthy()
    expect(document.querySelectorAll('[data-booking-launcher]')).toHaveLength(1)

    // Elements added later are found too.
    const late = document.body.appendChild(document.createElement('div'))
    late.setAttribute('data-booking-resource', 'room')
    await waitFor(() => expect(late.shadowRoot?.querySelector('.root')).toBeTruthy())

    // A bad element reports an error event on itself instead of throwing into the page.
    const bad = document.createElement('div')
    bad.setAttribute('data-booking-resource', 'room')
    bad.setAttribute('data-tz', 'Not/A_Zone')
    const errors = vi.fn()
    bad.addEventListener('booking:error', (event) => errors((event as CustomEvent).detail))
    document.body.append(bad)
    await waitFor(() => expect(errors).toHaveBeenCalledWith(expect.objectContaining({ code: 'invalid_request' })))
  })

  it('mounts [data-booking-pool] through the pool, and open({pool}) too', async () => {
    vi.resetModules()
    document.body.innerHTML = '<div id="p" data-booking-pool="physios" data-tz="UTC"></div>'
    ;(await import('./embed')).start(null)
    const el = document.getElementById('p')!
    await waitFor(() => expect(el.shadowRoot?.querySelector('h2')?.textContent).toBe('Physiotherapy'))
    const asked = fetchMock.mock.calls.map(([url]) => new URL(String(url)).pathname)
    expect(asked).toContain('/v1/pools/physios/availability')
    expect(asked.some((path) => path.startsWith('/v1/resources/'))).toBe(false)

    const popup = open({ pool: 'physios', apiUrl: API })
    const host = document.querySelector('[data-booking-popup="physios"]')!
    await waitFor(() => expect(host.shadowRoot?.textContent).toContain('Anyone'))
    popup.destroy()
  })
})
