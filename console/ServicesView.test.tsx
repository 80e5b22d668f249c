// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AdminPool, AdminResource, AdminService } from '../shared/types'
import { AdminApiError, type AdminApi } from './api'
import { ServicesView } from './ServicesView'

/*
 * The services tab as an owner uses it: the list, a new service whose parts (a resource, a
 * pool) are picked and put in order by keyboard, a refusal from the server beside the part it
 * is about, an edit, deactivation. The API is a fake that records what was sent.
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

const resource = (slug: string, name: string, type = 'therapist'): AdminResource => ({
  id: `id-${slug}`,
  slug,
  type,
  name,
  timezone: 'Europe/Berlin',
  config: {},
  isActive: true,
  createdAt: '2026-01-01T00:00:00Z',
})
const anna = resource('anna', 'Anna')
const room = resource('room-1', 'Room 1', 'room')
const RESOURCES = [anna, room]
const rooms: AdminPool = {
  id: 'pool-rooms',
  slug: 'rooms',
  type: 'room',
  name: 'Rooms',
  timezone: 'Europe/Berlin',
  strategy: 'ordered',
  memberChoice: false,
  isActive: true,
  createdAt: '2026-01-01T00:00:00Z',
  members: [],
}

const massage: AdminService = {
  id: 'svc-massage',
  slug: 'massage',
  name: 'Massage with room',
  timezone: 'Europe/Berlin',
  isActive: true,
  createdAt: '2026-01-01T00:00:00Z',
  parts: [
    { position: 1, poolId: rooms.id, label: 'Room', name: 'Rooms' },
    { position: 0, resourceId: anna.id, name: 'Anna' },
  ],
}

/** The service as the server would answer the body sent. */
function answer(base: AdminService, body: Record<string, unknown>): { service: AdminService } {
  const { parts, ...fields } = body as { parts?: { resourceId?: string; poolId?: string; label?: string }[] }
  const names: Record<string, string> = { [anna.id]: 'Anna', [room.id]: 'Room 1', [rooms.id]: 'Rooms' }
  return {
    service: {
      ...base,
      ...fields,
      parts: parts
        ? parts.map((p, position) => ({ position, ...p, name: names[p.resourceId ?? p.poolId ?? ''] ?? '' }))
        : base.parts,
    },
  }
}

function lists(method: string, path: string): unknown {
  if (path === '/resources') return { resources: RESOURCES }
  if (path === '/pools') return { pools: [rooms] }
  return undefined
}

function type(label: string | RegExp, text: string) {
  const input = screen.getByLabelText(label) as HTMLInputElement
  fireEvent.input(input, { target: { value: '' } })
  for (let i = 1; i <= text.length; i++) fireEvent.input(input, { target: { value: text.slice(0, i) } })
  return input
}
const choose = (label: string | RegExp, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } })
const describedBy = (element: HTMLElement) =>
  (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent)
    .join(' | ')
const submit = (name: string) => fireEvent.submit(screen.getByRole('button', { name }).closest('form')!)
/** What each part row has picked, in order. */
const partTargets = () =>
  [...document.querySelectorAll<HTMLSelectElement>('.pool-members li select')].map((s) => s.value)

afterEach(cleanup)

describe('the services list', () => {
  it('shows each service’s name, slug, parts in order and whether it is active; deactivates with DELETE', async () => {
    let current = massage
    const { api, calls } = fakeApi((method, path) => {
      if (method === 'DELETE') {
        current = { ...current, isActive: false }
        return { service: current }
      }
      return lists(method, path) ?? { services: [current] }
    })
    render(<ServicesView api={api} />)
    const item = (await screen.findAllByRole('listitem'))[0]!
    expect(item.textContent).toContain('Massage with room')
    expect(item.textContent).toContain('massage')
    expect(item.textContent).toContain('Anna + Room · active')
    fireEvent.click(screen.getByRole('button', { name: 'Deactivate Massage with room' }))
    await screen.findByText(/Massage with room is inactive/)
    expect(calls.filter((c) => c.method === 'DELETE')).toEqual([{ method: 'DELETE', path: '/services/svc-massage' }])
    await waitFor(() => expect(screen.getAllByRole('listitem')[0]!.textContent).toContain('inactive'))
    expect(screen.queryByRole('button', { name: 'Deactivate Massage with room' })).toBeNull()
  })

  it('says so when there are no services yet', async () => {
    const { api } = fakeApi((method, path) => lists(method, path) ?? { services: [] })
    render(<ServicesView api={api} />)
    await screen.findByText(/No services yet/)
  })
})

describe('creating a service', () => {
  it('picks a resource and a pool, orders them with the keyboard and sends them in that order', async () => {
    const created = vi.fn()
    const { api } = fakeApi((method, path, body) => {
      const listed = lists(method, path)
      if (listed) return listed
      if (method === 'GET') return { services: [] }
      created(body)
      return answer({ ...massage, id: 'svc-new' }, body as Record<string, unknown>)
    })
    render(<ServicesView api={api} />)
    // The resources and pools the parts are picked from have arrived.
    await screen.findByText(/No services yet/)
    fireEvent.click(screen.getByRole('button', { name: 'New service' }))
    type('Name', 'Massage with room')
    type('Slug', 'massage-with-room')
    // Too few parts: refused in the form, beside the parts.
    submit('Create')
    await waitFor(() => expect(screen.getByText(/at least 2 parts/)).toBeTruthy())
    expect(created).not.toHaveBeenCalled()

    fireEvent.click(screen.getByRole('button', { name: 'Add a part' }))
    fireEvent.click(screen.getByRole('button', { name: 'Add a part' }))
    expect(partTargets()).toEqual([`resource:${anna.id}`, `resource:${room.id}`])
    choose('Part 2: resource or pool', `pool:${rooms.id}`)
    type('Label of part 2 (optional)', 'Room')
    expect(partTargets()).toEqual([`resource:${anna.id}`, `pool:${rooms.id}`])

    const up = screen.getByRole('button', { name: 'Move Rooms up' })
    up.focus()
    fireEvent.click(up)
    expect(partTargets()).toEqual([`pool:${rooms.id}`, `resource:${anna.id}`])
    expect(screen.getByText('Rooms is now 1 of 2, and leads.')).toBeTruthy()
    // At the top "up" is disabled: the focus moves to the same part's "down".
    expect((screen.getByRole('button', { name: 'Move Rooms up' }) as HTMLButtonElement).disabled).toBe(true)
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Move Rooms down' }))
    fireEvent.click(screen.getByRole('button', { name: 'Move Rooms down' }))
    expect(partTargets()).toEqual([`resource:${anna.id}`, `pool:${rooms.id}`])

    submit('Create')
    await waitFor(() => expect(created).toHaveBeenCalledTimes(1))
    expect(created.mock.calls[0]![0]).toEqual({
      slug: 'massage-with-room',
      name: 'Massage with room',
      parts: [{ resourceId: anna.id }, { poolId: rooms.id, label: 'Room' }],
    })
    await screen.findByText(/Massage with room created/)
    expect(screen.getByRole('heading', { name: 'Edit Massage with room' })).toBeTruthy()
  })

  it('shows the server’s refusal beside the part it names, and refuses a part listed twice before sending', async () => {
    const { api, calls } = fakeApi((method, path) => {
      const listed = lists(method, path)
      if (listed) return listed
      if (method === 'GET') return { services: [] }
      throw new AdminApiError(400, 'invalid_request', 'A resource is also a member of a pool part.', [
        { path: 'parts.1.poolId', code: 'invalid', message: 'this pool is inactive' },
      ])
    })
    render(<ServicesView api={api} />)
    // The resources and pools the parts are picked from have arrived.
    await screen.findByText(/No services yet/)
    fireEvent.click(screen.getByRole('button', { name: 'New service' }))
    type('Name', 'Massage')
    type('Slug', 'massage')
    fireEvent.click(screen.getByRole('button', { name: 'Add a part' }))
    fireEvent.click(screen.getByRole('button', { name: 'Add a part' }))
    choose('Part 2: resource or pool', `resource:${anna.id}`)
    submit('Create')
    await waitFor(() => expect(screen.getByText(/Already a part above/)).toBeTruthy())
    expect(calls.filter((c) => c.method === 'POST')).toEqual([])

    choose('Part 2: resource or pool', `pool:${rooms.id}`)
    submit('Create')
    const select = screen.getByLabelText('Part 2: resource or pool')
    await waitFor(() => expect(describedBy(select)).toContain('This pool is inactive'))
    expect(select.getAttribute('aria-invalid')).toBe('true')
    expect(document.activeElement).toBe(select)
  })
})

describe('editing a service', () => {
  it('opens with its parts in position order and saves fields, parts and activity in one PATCH', async () => {
    const patched = vi.fn()
    const { api } = fakeApi((method, path, body) => {
      const listed = lists(method, path)
      if (listed) return listed
      if (method === 'PATCH') {
        patched(path, body)
        return answer(massage, body as Record<string, unknown>)
      }
      return { services: [massage] }
    })
    render(<ServicesView api={api} />)
    fireEvent.click(await screen.findByRole('button', { name: 'Edit Massage with room' }))
    expect(partTargets()).toEqual([`resource:${anna.id}`, `pool:${rooms.id}`])
    expect((screen.getByLabelText('Label of part 2 (optional)') as HTMLInputElement).value).toBe('Room')
    fireEvent.click(screen.getByRole('button', { name: 'Add a part' }))
    expect(partTargets()).toEqual([`resource:${anna.id}`, `pool:${rooms.id}`, `resource:${room.id}`])
    fireEvent.click(screen.getByRole('button', { name: 'Remove Room 1' }))
    fireEvent.change(screen.getByLabelText('Active (bookable)'), { target: { checked: false } })
    submit('Save')
    await waitFor(() => expect(patched).toHaveBeenCalledTimes(1))
    expect(patched.mock.calls[0]).toEqual([
      '/services/svc-massage',
      {
        slug: 'massage',
        name: 'Massage with room',
        timezone: 'Europe/Berlin',
        parts: [{ resourceId: anna.id }, { poolId: rooms.id, label: 'Room' }],
        isActive: false,
      },
    ])
  })
})
