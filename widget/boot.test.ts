// @vitest-environment happy-dom
import { waitFor } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { PublicResource } from '../shared/types'
import { boot, prefetchFirstMonths, type EntryModule } from './boot'

/*
 * The loader (widget.js): it preloads the build's modules, starts each widget's first month
 * while they load, and the widget takes that answer instead of asking again, so the split
 * into a loader and hashed modules costs a guest no extra round trip before the first slots.
 */

const room: PublicResource = { id: 'r-1', slug: 'room', type: 'room', name: 'Meeting room', timezone: 'UTC' }
const SCRIPT_SRC = 'https://book.test/widget.js'

function answer(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } })
}

function apiFetch() {
  return vi.fn(async (input: RequestInfo | URL, _init?: RequestInit) => {
    const url = new URL(String(input))
    if (url.pathname.endsWith('/availability')) {
      const from = url.searchParams.get('from')!
      return answer({
        resource: room,
        timezone: 'UTC',
        days: [{ date: from, slots: [{ start: `${from}T22:00:00Z`, end: `${from}T22:30:00Z` }] }],
      })
    }
    return answer({ error: { code: 'not_found', message: url.pathname } })
  })
}

function loaderScript(attributes: Record<string, string> = {}): HTMLScriptElement {
  const script = document.createElement('script')
  script.setAttribute('src', SCRIPT_SRC)
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value)
  return script
}

let fetchMock: ReturnType<typeof apiFetch>
beforeEach(() => {
  fetchMock = apiFetch()
  vi.stubGlobal('fetch', fetchMock)
  vi.resetModules()
})
afterEach(() => {
  vi.unstubAllGlobals()
  document.head.innerHTML = ''
  document.body.innerHTML = ''
  delete window.Booking
})

const availabilityCalls = () =>
  fetchMock.mock.calls.map(([input]) => String(input)).filter((url) => url.includes('/availability'))

describe('the loader', () => {
  it('preloads the entry’s chunks beside the loader and hands the entry its script tag and early requests', async () => {
    document.body.innerHTML = '<div data-booking-resource="room" data-tz="UTC"></div>'
    const script = loaderScript()
    const start = vi.fn<EntryModule['start']>()
    const importModule = vi.fn(async () => ({ start }))
    await boot(
      script,
      {
        file: 'assets/widget-AAAA1111.js',
        imports: ['assets/sdk-BBBB2222.js', 'assets/jsx-CCCC3333.js'],
        prefetch: true,
      },
      importModule,
    )

    const preloads = [...document.head.querySelectorAll<HTMLLinkElement>('link[rel=modulepreload]')].map(
      (link) => link.href,
    )
    expect(preloads).toEqual(['https://book.test/assets/sdk-BBBB2222.js', 'https://book.test/assets/jsx-CCCC3333.js'])
    expect(importModule).toHaveBeenCalledWith('https://book.test/assets/widget-AAAA1111.js')
    expect(start).toHaveBeenCalledTimes(1)
    const [given, prefetched] = start.mock.calls[0]!
    expect(given).toBe(script)
    expect([...prefetched!.keys()]).toEqual(availabilityCalls())
    expect(availabilityCalls()).toHaveLength(1)
  })

  it('never throws into the host page when the modules cannot be fetched', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    await expect(
      boot(loaderScript(), { file: 'assets/widget-AAAA1111.js', imports: [], prefetch: false }, () =>
        Promise.reject(new Error('offline')),
      ),
    ).resolves.toBeUndefined()
    expect(error).toHaveBeenCalledWith('[booking] the widget could not load:', expect.any(Error))
    expect(fetchMock).not.toHaveBeenCalled() // prefetch off (the manage page's loader)
  })

  it('asks each widget’s first month once, in its own zone and API, and skips elements it cannot read', () => {
    document.body.innerHTML = `
      <div data-booking-resource="room" data-tz="Pacific/Kiritimati"></div>
      <div data-booking-resource="room" data-tz="Pacific/Kiritimati"></div>
      <div data-booking-resource="spa" data-api="https://other.test/api/"></div>
      <div data-booking-resource=""></div>`
    // 2026-11-30 10:00 UTC is already 12-01 in Kiritimati (UTC+14): its first month is December.
    const requests = prefetchFirstMonths(loaderScript(), new Date('2026-11-30T10:00:00Z'))
    const urls = [...requests.keys()].map((url) => new URL(url))
    expect(urls).toHaveLength(2)
    expect(urls[0]!.origin + urls[0]!.pathname).toBe('https://book.test/v1/resources/room/availability')
    expect(Object.fromEntries(urls[0]!.searchParams)).toEqual({
      from: '2026-12-01',
      to: '2026-12-31',
      tz: 'Pacific/Kiritimati',
      format: 'compact',
    })
    expect(urls[1]!.origin + urls[1]!.pathname).toBe('https://other.test/api/v1/resources/spa/availability')
    expect(urls[1]!.searchParams.get('tz')).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone)
    // Sent without the session header: a simple request, so no CORS preflight round trip.
    for (const [, init] of fetchMock.mock.calls)
      expect(Object.keys((init?.headers ?? {}) as object)).toEqual(['accept'])
  })

  it('asks a pool’s first month at the pool’s availability, as its widget will', () => {
    document.body.innerHTML = '<div data-booking-pool="physios" data-tz="UTC"></div>'
    const requests = prefetchFirstMonths(loaderScript(), new Date('2026-11-30T10:00:00Z'))
    const [url] = [...requests.keys()].map((u) => new URL(u))
    expect(url!.origin + url!.pathname).toBe('https://book.test/v1/pools/physios/availability')
    expect(Object.fromEntries(url!.searchParams)).toEqual({
      from: '2026-11-30',
      to: '2026-11-30',
      tz: 'UTC',
      format: 'compact',
    })
  })

  it('the widget takes the early answer for its first month instead of asking again', async () => {
    document.body.innerHTML = '<div id="w" data-booking-resource="room" data-tz="UTC"></div>'
    const script = loaderScript()
    await boot(
      script,
      { file: 'assets/widget-AAAA1111.js', imports: [], prefetch: true },
      () => import('./embed') as Promise<EntryModule>,
    )
    const el = document.getElementById('w')!
    await waitFor(() => expect(el.shadowRoot?.querySelector('[role=option]')).toBeTruthy())
    // One request for the first month (the loader's), then the widget's own look-ahead at the next.
    await waitFor(() => expect(availabilityCalls()).toHaveLength(2))
    const months = availabilityCalls().map((url) => new URL(url).searchParams.get('from')!.slice(0, 7))
    expect(new Set(months).size).toBe(2)
    expect(fetchMock.mock.calls[0]![1]).toEqual({ headers: { accept: 'application/json' } })
  })
  it('window.Booking works right after the script tag: calls wait for the modules and run in order', async () => {
    const script = loaderScript()
    let arrive: (entry: EntryModule) => void = () => undefined
    const booted = boot(
      script,
      { file: 'assets/widget-AAAA1111.js', imports: [], prefetch: true },
      () => new Promise((resolve) => (arrive = resolve)),
    )
    // The page's own code, run before the modules have arrived.
    const el = document.body.appendChild(document.createElement('div'))
    const handle = window.Booking!.mount(el, { resource: 'room', apiUrl: 'https://book.test', tz: 'UTC' })
    const ready = vi.fn()
    handle.on('booking:ready', ready)
    expect(window.Booking!.version).toMatch(/^\d+\.\d+\.\d+/)
    // A second copy of the script leaves the first in charge and imports nothing.
    const second = vi.fn(async () => ({ start: vi.fn() }))
    await boot(loaderScript(), { file: 'assets/widget-ZZZZ9999.js', imports: [], prefetch: true }, second)
    expect(second).not.toHaveBeenCalled()

    arrive((await import('./embed')) as EntryModule)
    await booted
    await waitFor(() => expect(ready).toHaveBeenCalledWith({ resource: expect.objectContaining({ slug: 'room' }) }))
    expect(el.shadowRoot?.querySelector('[role=option]')).toBeTruthy()
    handle.destroy()
    await waitFor(() => expect(el.shadowRoot?.querySelector('.root')).toBeNull())
  })
})
