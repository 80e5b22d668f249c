// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AdminBusySource } from '../shared/api-contract'
import type { AdminResource } from '../shared/types'
import { AdminApiError, type AdminApi } from './api'
import { BusySourcesPanel } from './BusySourcesPanel'

/*
 * Busy calendars as an owner uses them: see when each last synced and why the last fetch
 * failed, add one (address, name, interval), refresh it, remove it after a warning.
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
  config: {},
  isActive: true,
  createdAt: '2026-01-01T00:00:00Z',
}

const source = (extra: Partial<AdminBusySource>): AdminBusySource => ({
  id: 's1',
  resourceId: 'r1',
  url: 'https://calendar.google.com/calendar/ical/anna/basic.ics',
  label: 'Anna (Google)',
  pollMinutes: 10,
  lastAttemptAt: '2026-03-10T09:00:00.000Z',
  lastSuccessAt: '2026-03-10T09:00:00.000Z',
  lastError: null,
  nextPollAt: '2026-03-10T09:10:00.000Z',
  blockCount: 12,
  ...extra,
})

const when = (iso: string) => new Date(iso).toLocaleString()

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('BusySourcesPanel', () => {
  it('shows when each calendar last synced, and why the last fetch failed with the time of the last success', async () => {
    const failing = source({
      id: 's2',
      label: null,
      url: 'https://www.airbnb.com/calendar/ical/1.ics?s=x',
      lastAttemptAt: '2026-03-10T10:00:00.000Z',
      lastSuccessAt: '2026-03-09T08:00:00.000Z',
      lastError: 'The calendar host answered HTTP 500.',
      pollMinutes: 60,
    })
    const { api } = fakeApi(() => ({ sources: [source({}), failing] }))
    render(<BusySourcesPanel api={api} resource={resource} />)
    const items = await screen.findAllByRole('listitem')
    expect(items[0]!.textContent).toContain('Anna (Google)')
    expect(items[0]!.textContent).toContain(`Last synced ${when('2026-03-10T09:00:00.000Z')} · 12 busy times`)
    expect(items[0]!.querySelector('.error')).toBeNull()
    // No label: the host names it.
    expect(items[1]!.textContent).toContain('www.airbnb.com')
    expect(items[1]!.textContent).toContain('checked every hour')
    const problem = items[1]!.querySelector('.error')!.textContent
    expect(problem).toContain('The calendar host answered HTTP 500.')
    expect(problem).toContain(`(${when('2026-03-10T10:00:00.000Z')})`)
    expect(problem).toContain(`The busy times from ${when('2026-03-09T08:00:00.000Z')} still apply.`)
  })

  it('adds a calendar with its name and interval, and says how many busy times came in', async () => {
    const { api, calls } = fakeApi((method, _path, body) =>
      method === 'GET' ? { sources: [] } : { source: source({ ...(body as object), id: 's9', blockCount: 3 }) },
    )
    render(<BusySourcesPanel api={api} resource={resource} />)
    await screen.findByText('No calendars yet.')
    const submit = screen.getByRole('button', { name: 'Add calendar' }) as HTMLButtonElement
    expect(submit.disabled).toBe(true)
    fireEvent.input(screen.getByLabelText('Calendar address (iCal)'), {
      target: { value: ' https://cal.example/room.ics ' },
    })
    fireEvent.input(screen.getByLabelText('Name (optional)'), { target: { value: 'Room 1 (Airbnb)' } })
    fireEvent.change(screen.getByLabelText('Check for changes'), { target: { value: '60' } })
    fireEvent.click(submit)
    await screen.findByText('Calendar added: 3 busy times imported.')
    expect(calls.at(-1)).toEqual({
      method: 'POST',
      path: '/resources/r1/busy-sources',
      body: { url: 'https://cal.example/room.ics', label: 'Room 1 (Airbnb)', pollMinutes: 60 },
    })
    expect(screen.getAllByRole('listitem')[0]!.textContent).toContain('Room 1 (Airbnb)')
    expect((screen.getByLabelText('Calendar address (iCal)') as HTMLInputElement).value).toBe('')
  })

  it('shows a refused address beside its field', async () => {
    const { api } = fakeApi((method) => {
      if (method === 'GET') return { sources: [] }
      throw new AdminApiError(400, 'invalid_request', 'The request is not valid.', [
        { path: 'url', code: 'invalid', message: 'must be an http or https address' },
      ])
    })
    render(<BusySourcesPanel api={api} resource={resource} />)
    await screen.findByText('No calendars yet.')
    const field = screen.getByLabelText('Calendar address (iCal)')
    fireEvent.input(field, { target: { value: 'file:///etc/passwd' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add calendar' }))
    await screen.findByText('must be an http or https address')
    expect(field.getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByRole('alert').textContent).toContain('not added')
  })

  it('refreshes a calendar now and shows its new state', async () => {
    const { api, calls } = fakeApi((method) =>
      method === 'GET'
        ? { sources: [source({ lastError: 'The calendar host answered HTTP 500.' })] }
        : { source: source({ lastSuccessAt: '2026-03-10T11:00:00.000Z', blockCount: 13 }) },
    )
    render(<BusySourcesPanel api={api} resource={resource} />)
    await screen.findByText(/HTTP 500/)
    fireEvent.click(screen.getByRole('button', { name: 'Refresh now' }))
    await screen.findByText('Anna (Google) is up to date.')
    expect(calls.at(-1)).toMatchObject({ method: 'POST', path: '/busy-sources/s1/refresh' })
    expect(screen.queryByText(/HTTP 500/)).toBeNull()
    expect(screen.getByRole('listitem').textContent).toContain(`${when('2026-03-10T11:00:00.000Z')} · 13 busy times`)
  })

  it('removes a calendar only after the owner confirms', async () => {
    const ask = vi.fn<(message: string) => boolean>().mockReturnValueOnce(false).mockReturnValueOnce(true)
    vi.stubGlobal('confirm', ask)
    const { api, calls } = fakeApi((method) => (method === 'GET' ? { sources: [source({})] } : undefined))
    render(<BusySourcesPanel api={api} resource={resource} />)
    const remove = await screen.findByRole('button', { name: 'Remove' })
    fireEvent.click(remove)
    expect(calls.filter((c) => c.method === 'DELETE')).toEqual([])
    fireEvent.click(remove)
    await screen.findByText('Anna (Google) removed.')
    expect(ask.mock.calls[1]![0]).toContain('stop blocking Studio')
    expect(calls.at(-1)).toEqual({ method: 'DELETE', path: '/busy-sources/s1', body: undefined })
    await waitFor(() => expect(screen.queryAllByRole('listitem')).toHaveLength(0))
  })
})
