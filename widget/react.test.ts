// @vitest-environment happy-dom
import { waitFor } from '@testing-library/preact'
import { act, createElement } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { BookingWidget, type BookingWidgetProps } from './react'
import { FAKE_API_URL, fakeApiFetch, fakeRoom, releasedHold } from './testing/fake-api'

// Tells React it runs under a test runner, so act() flushes effects.
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

let fetchMock: ReturnType<typeof fakeApiFetch>
let container: HTMLElement
let root: Root
beforeEach(() => {
  fetchMock = fakeApiFetch()
  vi.stubGlobal('fetch', fetchMock)
  container = document.body.appendChild(document.createElement('div'))
  root = createRoot(container)
})
afterEach(() => {
  act(() => root.unmount())
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

const render = (props: BookingWidgetProps) => act(() => root.render(createElement(BookingWidget, props)))
const host = () => container.firstElementChild!
const option = () => host().shadowRoot?.querySelector<HTMLElement>('[role=option]')

describe('<BookingWidget> for React', () => {
  it('renders the widget and calls back with each event’s detail', async () => {
    const onReady = vi.fn()
    render({ resource: 'room', apiUrl: FAKE_API_URL, tz: 'UTC', className: 'booking', onReady })
    expect(host().className).toBe('booking')
    await waitFor(() => expect(onReady).toHaveBeenCalledWith({ resource: fakeRoom }))
    expect(option()).toBeTruthy()
  })

  it('uses the latest callbacks without mounting again, and releases the hold on unmount', async () => {
    const first = vi.fn()
    const latest = vi.fn()
    render({ resource: 'room', apiUrl: FAKE_API_URL, tz: 'UTC', onSlotHeld: first })
    await waitFor(() => expect(option()).toBeTruthy())
    const shadow = host().shadowRoot
    render({ resource: 'room', apiUrl: FAKE_API_URL, tz: 'UTC', onSlotHeld: latest })
    expect(host().shadowRoot?.querySelectorAll('.root')).toHaveLength(1)
    expect(host().shadowRoot).toBe(shadow)

    option()!.click()
    await waitFor(() => expect(latest).toHaveBeenCalledTimes(1))
    expect(first).not.toHaveBeenCalled()
    expect(latest.mock.calls[0]?.[0]).toMatchObject({ hold: { id: 'h_1', resourceId: fakeRoom.id } })

    act(() => root.unmount())
    root = createRoot(container) // afterEach unmounts again
    expect(container.childElementCount).toBe(0)
    await waitFor(() => expect(releasedHold(fetchMock, 'h_1')).toBe(true))
  })

  it('books through a pool given as the pool prop; the held member comes back in onSlotHeld', async () => {
    const onSlotHeld = vi.fn()
    render({ pool: 'physios', apiUrl: FAKE_API_URL, tz: 'UTC', onSlotHeld })
    await waitFor(() => expect(option()).toBeTruthy())
    option()!.click()
    await waitFor(() => expect(onSlotHeld).toHaveBeenCalledTimes(1))
    expect(onSlotHeld.mock.calls[0]?.[0]).toMatchObject({ hold: { resourceId: 'r-4', poolId: 'p-1' } })
  })
})
