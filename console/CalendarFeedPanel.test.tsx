// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AdminResource } from '../shared/types'
import { AdminApiError, type AdminApi } from './api'
import { CalendarFeedPanel } from './CalendarFeedPanel'

/*
 * The calendar feed as an owner uses it: make the address, copy it, make a new one when it
 * leaked (after a warning), turn it off, and choose whether guests' names show.
 */

type Handler = (method: string, path: string, body?: unknown) => unknown

function fakeApi(handler: Handler) {
  const calls: { method: string; path: string; body?: unknown }[] = []
  const api: AdminApi = {
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      calls.push({ method, path, body })
      return (await handler(method, path, body)) as T
    },
  }
  return { api, calls }
}

const resource: AdminResource = {
  id: 'r1',
  slug: 'studio',
  type: 'room',
  name: 'Studio',
  timezone: 'Europe/Berlin',
  config: { durations: [60], horizonDays: 90 },
  isActive: true,
  createdAt: '2026-01-01T00:00:00Z',
}

const URL_1 = 'https://book.example.com/v1/feeds/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.ics'
const URL_2 = 'https://book.example.com/v1/feeds/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.ics'

/** The feed server-side: one address at a time; POST makes the next one. */
function feedServer(start: string | null) {
  let url = start
  const next = [URL_1, URL_2].filter((u) => u !== start)
  return fakeApi((method, path, body) => {
    if (path === '/resources/r1/feed') {
      if (method === 'POST') url = next.shift() ?? null
      if (method === 'DELETE') url = null
      return { feed: { url, includeGuestNames: false } }
    }
    if (method === 'PATCH' && path === '/resources/r1')
      return { resource: { ...resource, config: (body as { config: AdminResource['config'] }).config } }
    throw new Error(`unexpected ${method} ${path}`)
  })
}

// happy-dom has no window.confirm: each test says what the owner answers.
const answerConfirm = (...answers: boolean[]) => {
  const ask = vi.fn<(message: string) => boolean>()
  for (const answer of answers) ask.mockReturnValueOnce(answer)
  vi.stubGlobal('confirm', ask)
  return ask
}

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

describe('CalendarFeedPanel', () => {
  it('makes a feed on request and copies its address', async () => {
    const { api, calls } = feedServer(null)
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined)
    render(<CalendarFeedPanel api={api} resource={resource} onSaved={() => {}} />)
    fireEvent.click(await screen.findByRole('button', { name: 'Create feed' }))
    const field = (await screen.findByLabelText('Feed address')) as HTMLInputElement
    expect(field.value).toBe(URL_1)
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /resources/r1/feed', 'POST /resources/r1/feed'])
    fireEvent.click(screen.getByRole('button', { name: 'Copy address' }))
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(URL_1))
    await screen.findByText(/^Copied\./)
  })

  it('rotates the address only after the owner confirms the old one will stop working', async () => {
    const { api, calls } = feedServer(URL_1)
    render(<CalendarFeedPanel api={api} resource={resource} onSaved={() => {}} />)
    const field = (await screen.findByLabelText('Feed address')) as HTMLInputElement
    const ask = answerConfirm(false, true)
    fireEvent.click(screen.getByRole('button', { name: 'Rotate address' }))
    expect(ask).toHaveBeenCalledWith(expect.stringContaining('stops working'))
    expect(calls.filter((c) => c.method === 'POST')).toEqual([])
    expect(field.value).toBe(URL_1)

    fireEvent.click(screen.getByRole('button', { name: 'Rotate address' }))
    await screen.findByText('New address made. The old one no longer works.')
    expect((screen.getByLabelText('Feed address') as HTMLInputElement).value).toBe(URL_2)
  })

  it('turns the feed off and offers to make one again', async () => {
    const { api, calls } = feedServer(URL_1)
    answerConfirm(true)
    render(<CalendarFeedPanel api={api} resource={resource} onSaved={() => {}} />)
    await screen.findByLabelText('Feed address')
    fireEvent.click(screen.getByRole('button', { name: 'Turn off' }))
    await screen.findByRole('button', { name: 'Create feed' })
    expect(screen.queryByLabelText('Feed address')).toBeNull()
    expect(calls.at(-1)).toMatchObject({ method: 'DELETE', path: '/resources/r1/feed' })
  })

  it('saves the guest-names setting through the resource, keeping the rest of its config', async () => {
    const { api, calls } = feedServer(URL_1)
    const onSaved = vi.fn()
    render(<CalendarFeedPanel api={api} resource={resource} onSaved={onSaved} />)
    const box = (await screen.findByLabelText('Show guests’ names in the feed')) as HTMLInputElement
    expect(box.checked).toBe(false)
    fireEvent.click(box)
    await waitFor(() => expect(onSaved).toHaveBeenCalled())
    expect(calls.at(-1)).toEqual({
      method: 'PATCH',
      path: '/resources/r1',
      body: { config: { durations: [60], horizonDays: 90, feedGuestNames: true } },
    })
    expect(onSaved.mock.calls[0]![0].config.feedGuestNames).toBe(true)
    await screen.findByText('Guests’ names now show in the feed.')
  })

  it('shows the server’s refusal and keeps the address it had', async () => {
    const { api } = fakeApi((method) => {
      if (method === 'GET') return { feed: { url: URL_1, includeGuestNames: false } }
      throw new AdminApiError(404, 'not_found', 'No such resource.')
    })
    answerConfirm(true)
    render(<CalendarFeedPanel api={api} resource={resource} onSaved={() => {}} />)
    await screen.findByLabelText('Feed address')
    fireEvent.click(screen.getByRole('button', { name: 'Rotate address' }))
    expect((await screen.findByRole('alert')).textContent).toBe('No such resource.')
    expect((screen.getByLabelText('Feed address') as HTMLInputElement).value).toBe(URL_1)
  })
})
