// @vitest-environment happy-dom
import { waitFor } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { BookingWidgetElement, defineBookingWidget } from './element'
import { askedAvailability, FAKE_API_URL, fakeApiFetch, fakeRoom, releasedHold } from './testing/fake-api'

let fetchMock: ReturnType<typeof fakeApiFetch>
beforeEach(() => {
  fetchMock = fakeApiFetch()
  vi.stubGlobal('fetch', fetchMock)
  defineBookingWidget()
})
afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

function bookingWidget(attributes: Record<string, string>): BookingWidgetElement {
  const el = document.createElement('booking-widget')
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value)
  return el
}

const option = (el: Element) => el.shadowRoot?.querySelector<HTMLElement>('[role=option]')

describe('<booking-widget>', () => {
  it('is registered once, under its tag, as BookingWidgetElement', () => {
    defineBookingWidget()
    expect(document.createElement('booking-widget')).toBeInstanceOf(BookingWidgetElement)
  })

  it('books through a pool named by its pool attribute', async () => {
    const el = bookingWidget({ pool: 'physios', 'api-url': FAKE_API_URL, tz: 'UTC' })
    document.body.append(el)
    await waitFor(() => expect(option(el)).toBeTruthy())
    expect(el.shadowRoot!.querySelector('h2')!.textContent).toBe('Physiotherapy')
    expect(fetchMock.mock.calls.some(([url]) => String(url).includes('/v1/pools/physios/availability'))).toBe(true)
  })

  it('mounts when connected and dispatches the widget events on itself', async () => {
    const el = bookingWidget({ resource: 'room', 'api-url': FAKE_API_URL, tz: 'UTC' })
    const ready = vi.fn()
    el.addEventListener('booking:ready', (event) => ready((event as CustomEvent).detail))
    document.body.append(el)
    await waitFor(() => expect(ready).toHaveBeenCalledWith({ resource: fakeRoom }))
    expect(option(el)).toBeTruthy()
  })

  it('waits for both resource and api-url before mounting', async () => {
    const el = bookingWidget({ tz: 'UTC' })
    document.body.append(el)
    expect(el.shadowRoot).toBeNull()
    el.setAttribute('resource', 'room')
    expect(el.shadowRoot).toBeNull()
    el.setAttribute('api-url', FAKE_API_URL)
    await waitFor(() => expect(option(el)).toBeTruthy())
  })

  it('mounts again for a changed attribute, giving the held time back, and releases a hold when removed', async () => {
    const el = bookingWidget({ resource: 'room', 'api-url': FAKE_API_URL, tz: 'UTC' })
    const held = vi.fn()
    el.addEventListener('booking:slot-held', held)
    document.body.append(el)
    await waitFor(() => expect(option(el)).toBeTruthy())
    option(el)!.click()
    await waitFor(() => expect(held).toHaveBeenCalledTimes(1))

    el.setAttribute('resource', 'studio')
    await waitFor(() => expect(releasedHold(fetchMock, 'h_1')).toBe(true))
    await waitFor(() => expect(askedAvailability(fetchMock, 'studio')).toBe(true))
    expect(el.shadowRoot?.querySelectorAll('.root')).toHaveLength(1)

    await waitFor(() => expect(option(el)).toBeTruthy())
    fetchMock.mockClear()
    option(el)!.click()
    await waitFor(() => expect(held).toHaveBeenCalledTimes(2))
    el.remove()
    expect(el.shadowRoot?.querySelector('.root')).toBeNull()
    await waitFor(() => expect(releasedHold(fetchMock, 'h_1')).toBe(true))
  })
})
