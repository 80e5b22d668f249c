// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AdminPool, AdminResource, ResourceConfig } from '../shared/types'
import { AdminApiError, type AdminApi } from './api'
import { PoolsView } from './PoolsView'

/*
 * The pools tab as an owner uses it: the list, a new pool with members put in order by
 * keyboard, weights for the weighted strategy, a refusal from the server beside the field it
 * is about, deactivation. The API is a fake that records what was sent.
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

const resource = (slug: string, name: string, config: ResourceConfig = {}, type = 'specialist'): AdminResource => ({
  id: `id-${slug}`,
  slug,
  type,
  name,
  timezone: 'Europe/Berlin',
  config,
  isActive: true,
  createdAt: '2026-01-01T00:00:00Z',
})
const anna = resource('anna', 'Anna')
const ben = resource('ben', 'Ben')
const cara = resource('cara', 'Cara')
const RESOURCES = [anna, ben, cara]

const pool = (slug: string, name: string, change: Partial<AdminPool> = {}): AdminPool => ({
  id: `pool-${slug}`,
  slug,
  type: 'specialist',
  name,
  timezone: 'Europe/Berlin',
  strategy: 'ordered',
  memberChoice: false,
  isActive: true,
  createdAt: '2026-01-01T00:00:00Z',
  members: [],
  ...change,
})

/** The pool as the server would answer the body sent. */
function answer(base: AdminPool, body: Record<string, unknown>): { pool: AdminPool } {
  const { members, ...fields } = body as { members?: { resourceId: string; weight?: number }[] }
  return {
    pool: {
      ...base,
      ...fields,
      members: members
        ? members.map((m, position) => ({ resourceId: m.resourceId, position, weight: m.weight ?? 1 }))
        : base.members,
    },
  }
}

function type(label: string | RegExp, text: string) {
  const input = screen.getByLabelText(label) as HTMLInputElement
  fireEvent.input(input, { target: { value: '' } })
  for (let i = 1; i <= text.length; i++) fireEvent.input(input, { target: { value: text.slice(0, i) } })
  return input
}
const choose = (label: string | RegExp, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } })
const valueOf = (label: string | RegExp) => (screen.getByLabelText(label) as HTMLInputElement).value
const describedBy = (element: HTMLElement) =>
  (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent)
    .join(' | ')
const submit = (name: string) => fireEvent.submit(screen.getByRole('button', { name }).closest('form')!)
/** The member rows' names, in order. */
const memberNames = () =>
  [...document.querySelectorAll('.pool-members li .pool-member-name strong')].map((el) => el.textContent)
const addMember = (name: string) => {
  const select = screen.getByLabelText('Add a member') as HTMLSelectElement
  const option = [...select.options].find((o) => o.textContent?.startsWith(name))!
  fireEvent.change(select, { target: { value: option.value } })
  fireEvent.click(screen.getByRole('button', { name: 'Add' }))
}

afterEach(cleanup)

describe('the pools list', () => {
  it('shows each pool’s name, slug, strategy, members and whether it is active', async () => {
    const { api } = fakeApi((method, path) => {
      if (path === '/resources') return { resources: RESOURCES }
      return {
        pools: [
          pool('physios', 'Any physio', {
            strategy: 'round_robin',
            members: [
              { resourceId: anna.id, position: 0, weight: 1 },
              { resourceId: ben.id, position: 1, weight: 1 },
            ],
          }),
          pool('old-room', 'Old rooms', { isActive: false, strategy: 'smallest_fit' }),
        ],
      }
    })
    render(<PoolsView api={api} />)
    const items = (await screen.findAllByRole('listitem')).map((li) => li.textContent)
    expect(items[0]).toContain('Any physio')
    expect(items[0]).toContain('physios')
    expect(items[0]).toContain('Take turns · 2 members · active')
    expect(items[1]).toContain('Smallest table that fits · 0 members · inactive')
    expect(screen.getByRole('button', { name: 'Deactivate Any physio' })).toBeTruthy()
    // An inactive pool has nothing to deactivate; it is made active again in its editor.
    expect(screen.queryByRole('button', { name: 'Deactivate Old rooms' })).toBeNull()
  })

  it('says so when there are no pools yet', async () => {
    const { api } = fakeApi((method, path) => (path === '/resources' ? { resources: [] } : { pools: [] }))
    render(<PoolsView api={api} />)
    await screen.findByText(/No pools yet/)
  })

  it('deactivates a pool with DELETE and shows it inactive', async () => {
    let physios = pool('physios', 'Any physio')
    const { api, calls } = fakeApi((method, path) => {
      if (path === '/resources') return { resources: RESOURCES }
      if (method === 'DELETE') {
        physios = { ...physios, isActive: false }
        return { pool: physios }
      }
      return { pools: [physios] }
    })
    render(<PoolsView api={api} />)
    fireEvent.click(await screen.findByRole('button', { name: 'Deactivate Any physio' }))
    await screen.findByText(/Any physio is inactive/)
    expect(calls.filter((c) => c.method === 'DELETE')).toEqual([{ method: 'DELETE', path: '/pools/pool-physios' }])
    await waitFor(() => expect(screen.getAllByRole('listitem')[0]!.textContent).toContain('inactive'))
  })
})

describe('creating a pool', () => {
  it('adds members, orders them with the keyboard (focus stays on the moved one) and sends them in that order', async () => {
    const created = vi.fn()
    const { api } = fakeApi((method, path, body) => {
      if (path === '/resources') return { resources: RESOURCES }
      if (method === 'GET') return { pools: [] }
      created(body)
      return answer(pool('physios', 'Any physio'), body as Record<string, unknown>)
    })
    render(<PoolsView api={api} />)
    fireEvent.click(await screen.findByRole('button', { name: 'New pool' }))
    await waitFor(() => expect((screen.getByLabelText('Add a member') as HTMLSelectElement).options).toHaveLength(3))
    type('Name', 'Any physio')
    type('Slug', 'physios')
    choose('Time zone', 'Europe/Vienna')
    choose('Who gets the booking', 'round_robin')
    expect(describedBy(screen.getByLabelText('Who gets the booking'))).toContain('fewest bookings that day')
    fireEvent.change(screen.getByLabelText('Guests may choose a member'), { target: { checked: true } })
    addMember('Anna')
    addMember('Ben')
    addMember('Cara')
    expect(memberNames()).toEqual(['Anna', 'Ben', 'Cara'])
    // Every resource is a member: nothing left to add.
    expect((screen.getByLabelText('Add a member') as HTMLSelectElement).disabled).toBe(true)

    const up = screen.getByRole('button', { name: 'Move Cara up' })
    up.focus()
    fireEvent.click(up)
    expect(memberNames()).toEqual(['Anna', 'Cara', 'Ben'])
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Move Cara up' }))
    expect(screen.getByText('Cara is now 2 of 3.')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Move Cara up' }))
    expect(memberNames()).toEqual(['Cara', 'Anna', 'Ben'])
    // At the top "up" is disabled: the focus moves to the same member's "down", not to the page.
    const caraUp = screen.getByRole('button', { name: 'Move Cara up' }) as HTMLButtonElement
    expect(caraUp.disabled).toBe(true)
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Move Cara down' }))
    fireEvent.click(screen.getByRole('button', { name: 'Move Anna down' }))
    expect(memberNames()).toEqual(['Cara', 'Ben', 'Anna'])
    fireEvent.click(screen.getByRole('button', { name: 'Remove Ben' }))
    expect(memberNames()).toEqual(['Cara', 'Anna'])
    // Not weighted: no weights to fill in.
    expect(screen.queryByLabelText(/^Weight of/)).toBeNull()

    submit('Create')
    await waitFor(() => expect(created).toHaveBeenCalledTimes(1))
    expect(created.mock.calls[0]![0]).toEqual({
      slug: 'physios',
      type: 'specialist',
      name: 'Any physio',
      timezone: 'Europe/Vienna',
      strategy: 'round_robin',
      memberChoice: true,
      members: [{ resourceId: cara.id }, { resourceId: anna.id }],
    })
    expect(await screen.findByRole('heading', { name: 'Edit Any physio' })).toBeTruthy()
    expect(screen.getByText(/^Any physio created\./).textContent).toContain('data-booking-pool="physios"')
    expect(memberNames()).toEqual(['Cara', 'Anna'])
  })

  it('checks what it can itself, beside each field, without asking the server', async () => {
    const { api, calls } = fakeApi((method, path) => (path === '/resources' ? { resources: RESOURCES } : { pools: [] }))
    render(<PoolsView api={api} />)
    fireEvent.click(await screen.findByRole('button', { name: 'New pool' }))
    type('Slug', 'Any Physio')
    submit('Create')
    const name = screen.getByLabelText('Name')
    await waitFor(() => expect(document.activeElement).toBe(name))
    expect(describedBy(name)).toContain('Give it a name')
    expect(describedBy(screen.getByLabelText('Slug'))).toContain('lowercase letters')
    expect(valueOf('Slug')).toBe('Any Physio')
    expect(calls.filter((c) => c.method !== 'GET')).toHaveLength(0)
  })

  it('shows the server’s refusals beside the slug and beside the member they are about, keeping everything typed', async () => {
    const sent = vi.fn()
    const { api } = fakeApi((method, path, body) => {
      if (path === '/resources') return { resources: RESOURCES }
      if (method === 'GET') return { pools: [] }
      const pool = body as { slug: string; members: { resourceId: string }[] }
      sent(pool)
      if (pool.slug === 'physios')
        throw new AdminApiError(400, 'invalid_request', 'Another pool already uses this slug.', [
          { path: 'slug', code: 'invalid', message: 'already used by another pool' },
        ])
      // Ben was removed in another tab meanwhile: the member at index 1 is unknown.
      throw new AdminApiError(400, 'invalid_request', 'A member is not a known resource.', [
        { path: 'members.1.resourceId', code: 'invalid', message: 'no resource has this id or slug' },
      ])
    })
    render(<PoolsView api={api} />)
    fireEvent.click(await screen.findByRole('button', { name: 'New pool' }))
    await waitFor(() => expect((screen.getByLabelText('Add a member') as HTMLSelectElement).options).toHaveLength(3))
    type('Name', 'Any physio')
    type('Slug', 'physios')
    addMember('Anna')
    addMember('Ben')
    submit('Create')

    const slug = screen.getByLabelText('Slug')
    await waitFor(() => expect(slug.getAttribute('aria-invalid')).toBe('true'))
    expect(describedBy(slug)).toContain('Already used by another pool')
    expect(screen.getByRole('alert').textContent).toContain('Some fields need a change')
    await waitFor(() => expect(document.activeElement).toBe(slug))
    expect(valueOf('Name')).toBe('Any physio')
    expect(memberNames()).toEqual(['Anna', 'Ben'])

    type('Slug', 'physio-team')
    expect(slug.getAttribute('aria-invalid')).toBeNull()
    submit('Create')
    const removeBen = screen.getByRole('button', { name: 'Remove Ben' })
    await waitFor(() => expect(removeBen.getAttribute('aria-invalid')).toBe('true'))
    expect(describedBy(removeBen)).toContain('No resource has this id or slug')
    expect(removeBen.closest('li')!.textContent).toContain('No resource has this id or slug')
    expect(screen.getByRole('button', { name: 'Remove Anna' }).getAttribute('aria-invalid')).toBeNull()
    // The message follows Ben when the rows move.
    fireEvent.click(screen.getByRole('button', { name: 'Move Ben up' }))
    expect(within(screen.getAllByRole('listitem')[0]!).getByText('No resource has this id or slug')).toBeTruthy()
    expect(sent).toHaveBeenCalledTimes(2)
  })
})

describe('a weighted pool', () => {
  it('shows a weight per member only when weighted, checks it, and saves fields and members', async () => {
    const stored = pool('physios', 'Any physio', {
      members: [
        { resourceId: anna.id, position: 0, weight: 3 },
        { resourceId: ben.id, position: 1, weight: 1 },
      ],
    })
    const { api, calls } = fakeApi((method, path, body) => {
      if (path === '/resources') return { resources: RESOURCES }
      if (method === 'GET') return { pools: [stored] }
      return answer(stored, body as Record<string, unknown>)
    })
    render(<PoolsView api={api} />)
    fireEvent.click(await screen.findByRole('button', { name: 'Edit Any physio' }))
    expect(memberNames()).toEqual(['Anna', 'Ben'])
    expect(screen.queryByLabelText('Weight of Anna')).toBeNull()

    choose('Who gets the booking', 'weighted')
    expect(describedBy(screen.getByLabelText('Who gets the booking'))).toContain('highest weight first')
    expect(valueOf('Weight of Anna')).toBe('3')
    expect(valueOf('Weight of Ben')).toBe('1')
    const benWeight = type('Weight of Ben', '1001')
    submit('Save')
    await waitFor(() => expect(document.activeElement).toBe(benWeight))
    expect(benWeight.getAttribute('aria-invalid')).toBe('true')
    expect(describedBy(benWeight)).toContain('Write a whole number from 1 to 1000.')
    expect(calls.filter((c) => c.method !== 'GET')).toHaveLength(0)

    type('Weight of Ben', '5')
    submit('Save')
    await screen.findByText('Saved.')
    const writes = calls.filter((c) => c.method !== 'GET')
    expect(writes).toEqual([
      {
        method: 'PATCH',
        path: '/pools/pool-physios',
        body: {
          slug: 'physios',
          type: 'specialist',
          name: 'Any physio',
          timezone: 'Europe/Berlin',
          strategy: 'weighted',
          memberChoice: false,
          isActive: true,
        },
      },
      {
        method: 'PUT',
        path: '/pools/pool-physios/members',
        body: {
          members: [
            { resourceId: anna.id, weight: 3 },
            { resourceId: ben.id, weight: 5 },
          ],
        },
      },
    ])
  })

  it('sends only the pool’s fields when the members did not change', async () => {
    const stored = pool('physios', 'Any physio', {
      members: [{ resourceId: anna.id, position: 0, weight: 2 }],
    })
    const { api, calls } = fakeApi((method, path, body) => {
      if (path === '/resources') return { resources: RESOURCES }
      if (method === 'GET') return { pools: [stored] }
      return answer(stored, body as Record<string, unknown>)
    })
    render(<PoolsView api={api} />)
    fireEvent.click(await screen.findByRole('button', { name: 'Edit Any physio' }))
    type('Name', 'Physio team')
    fireEvent.change(screen.getByLabelText('Active (bookable)'), { target: { checked: false } })
    submit('Save')
    await screen.findByText('Saved.')
    expect(calls.filter((c) => c.method !== 'GET').map((c) => c.method)).toEqual(['PATCH'])
    expect(calls.find((c) => c.method === 'PATCH')!.body).toMatchObject({ name: 'Physio team', isActive: false })
  })
})

describe('a pool of tables', () => {
  it('shows each table’s party sizes when choosing members', async () => {
    const tables = [
      resource('t2', 'Table 2', { maxParty: 2 }, 'table'),
      resource('t6', 'Table 6', { minParty: 3, maxParty: 6 }, 'table'),
    ]
    const { api } = fakeApi((method, path) => (path === '/resources' ? { resources: tables } : { pools: [] }))
    render(<PoolsView api={api} />)
    fireEvent.click(await screen.findByRole('button', { name: 'New pool' }))
    await waitFor(() => expect((screen.getByLabelText('Add a member') as HTMLSelectElement).options).toHaveLength(2))
    const options = [...(screen.getByLabelText('Add a member') as HTMLSelectElement).options].map((o) => o.textContent)
    expect(options).toEqual(['Table 2 (t2) · 1–2 guests', 'Table 6 (t6) · 3–6 guests'])
    choose('Who gets the booking', 'smallest_fit')
    expect(describedBy(screen.getByLabelText('Who gets the booking'))).toContain('smallest “Largest party”')
    addMember('Table 2')
    expect(screen.queryByText(/Guests are asked for their party size only when/)).toBeNull()
    fireEvent.click(screen.getByRole('button', { name: 'Add' }))
    expect(memberNames()).toEqual(['Table 2', 'Table 6'])
    expect(screen.queryByText(/Guests are asked for their party size only when/)).toBeNull()
  })

  it('warns when a table of a smallest-fit pool says no largest party, since guests are then not asked theirs', async () => {
    const tables = [resource('t2', 'Table 2', { maxParty: 2 }, 'table'), resource('bar', 'Bar', {}, 'table')]
    const { api } = fakeApi((method, path) => (path === '/resources' ? { resources: tables } : { pools: [] }))
    render(<PoolsView api={api} />)
    fireEvent.click(await screen.findByRole('button', { name: 'New pool' }))
    await waitFor(() => expect((screen.getByLabelText('Add a member') as HTMLSelectElement).options).toHaveLength(2))
    addMember('Table 2')
    addMember('Bar')
    expect(screen.queryByText(/only when every member has a “Largest party”/)).toBeNull()
    choose('Who gets the booking', 'smallest_fit')
    expect(screen.getByText(/only when every member has a “Largest party”/).textContent).toContain('Without one: Bar.')
  })
})
