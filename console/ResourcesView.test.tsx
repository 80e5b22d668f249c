// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AdminResource, ResourceConfig } from '../shared/types'
import { AdminApiError, type AdminApi } from './api'
import { ResourcesView } from './ResourcesView'

/*
 * The resource form as an owner fills it: every field typed key by key, a refusal from the
 * server, a fix. Nothing typed is ever wiped, and each refusal sits beside its field.
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

const stored = (slug: string, name: string, config: ResourceConfig = {}): AdminResource => ({
  id: `id-${slug}`,
  slug,
  type: 'room',
  name,
  timezone: 'Europe/Berlin',
  config,
  isActive: true,
  createdAt: '2026-01-01T00:00:00Z',
})

/** Types like the browser does for a person: the value grows and an input event fires per key. */
function type(label: string | RegExp, text: string) {
  const input = screen.getByLabelText(label) as HTMLInputElement
  fireEvent.input(input, { target: { value: '' } })
  for (let i = 1; i <= text.length; i++) fireEvent.input(input, { target: { value: text.slice(0, i) } })
  return input
}
const choose = (label: string | RegExp, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } })
const valueOf = (label: string | RegExp) => (screen.getByLabelText(label) as HTMLInputElement).value
const describedBy = (input: HTMLElement) =>
  (input.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent)
    .join(' | ')

/** Every field of the form, as the owner types them; the labels are what the owner reads. */
const TYPED: [string | RegExp, string][] = [
  ['Name', 'Blue room'],
  ['Slug', 'room'],
  ['Phone country (optional)', 'de'],
  ['Booking lengths, minutes', '60, 90'],
  ['Buffer before, minutes', '10'],
  ['Buffer after, minutes', '15'],
  ['Minimum notice, minutes', '120'],
  ['Bookable ahead, days', '60'],
  ['Price, EUR', '25.50'],
  ['Currency', 'EUR'],
  ['Deposit, EUR', '10'],
  ['Free cancellation until, hours before', '48'],
  ['Partial refund until, hours before', '24'],
  ['Partial refund, %', '50'],
  ['No online cancelling within, hours', '2'],
  ['Minimum notice to move, hours', '6'],
  ['Minimum notice to cancel, hours', '24'],
  ['Notify email', 'owner@example.com'],
]

function fillEverything() {
  choose('Type', 'specialist')
  choose('Time zone', 'Europe/Vienna')
  choose('Online payment', 'deposit')
  choose('Notices in', 'de')
  for (const [label, text] of TYPED) type(label, text)
  fireEvent.change(screen.getByLabelText('I confirm each booking myself'), { target: { checked: true } })
}

function expectEverythingKept(changed: Record<string, string> = {}) {
  for (const [label, text] of TYPED) expect([label, valueOf(label)]).toEqual([label, changed[String(label)] ?? text])
  expect(valueOf('Type')).toBe('specialist')
  expect(valueOf('Time zone')).toBe('Europe/Vienna')
  expect(valueOf('Online payment')).toBe('deposit')
  expect(valueOf('Notices in')).toBe('de')
  expect((screen.getByLabelText('I confirm each booking myself') as HTMLInputElement).checked).toBe(true)
}

const submit = (name: string) => fireEvent.submit(screen.getByRole('button', { name }).closest('form')!)

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('creating a resource', () => {
  it('keeps all fields when the slug is taken, says so beside the slug, and creates once it is fixed', async () => {
    const created = vi.fn()
    const { api, calls } = fakeApi((method, path, body) => {
      if (method === 'GET' && path === '/resources') return { resources: [stored('room', 'Room')] }
      if (method === 'GET') return { schedules: [] }
      const sent = body as { slug: string; config: ResourceConfig; name: string; type: string; timezone: string }
      if (sent.slug === 'room') {
        throw new AdminApiError(400, 'invalid_request', 'Another resource already uses this slug.', [
          { path: 'slug', code: 'invalid', message: 'already used by another resource' },
        ])
      }
      created(sent)
      return { resource: { ...stored(sent.slug, sent.name, sent.config), type: sent.type, timezone: sent.timezone } }
    })
    render(<ResourcesView api={api} origin="https://book.example.com" />)
    fireEvent.click(await screen.findByRole('button', { name: 'New resource' }))
    fillEverything()
    submit('Create')

    const slug = screen.getByLabelText('Slug') as HTMLInputElement
    await waitFor(() => expect(slug.getAttribute('aria-invalid')).toBe('true'))
    expect(describedBy(slug)).toContain('Already used by another resource')
    expect(slug.closest('.field')?.textContent).toContain('Already used by another resource')
    expect(screen.getByRole('alert').textContent).toContain('Some fields need a change')
    await waitFor(() => expect(document.activeElement).toBe(slug))
    expectEverythingKept()
    // Only the slug is marked: the other fields were fine.
    expect(document.querySelectorAll('[aria-invalid="true"]')).toHaveLength(1)

    type('Slug', 'blue-room')
    expect(slug.getAttribute('aria-invalid')).toBeNull()
    submit('Create')
    await waitFor(() => expect(created).toHaveBeenCalledTimes(1))
    expect(created.mock.calls[0]![0]).toEqual({
      slug: 'blue-room',
      type: 'specialist',
      name: 'Blue room',
      timezone: 'Europe/Vienna',
      config: {
        durations: [60, 90],
        bufferBeforeMin: 10,
        bufferAfterMin: 15,
        minNoticeMin: 120,
        horizonDays: 60,
        requiresConfirmation: true,
        price: { amount: 2550, currency: 'EUR' },
        payment: 'deposit',
        depositAmount: 1000,
        cancellationPolicy: {
          free_cancellation_hours: 48,
          partial_refund_hours: 24,
          partial_refund_percent: 50,
          no_refund_hours: 2,
        },
        minRescheduleNoticeHours: 6,
        minCancelNoticeHours: 24,
        notifyEmail: 'owner@example.com',
        notifyLanguage: 'de',
        country: 'DE',
      },
    })
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(2)

    // After create: the snippet to paste, and the widget itself in a same-origin preview page.
    const snippet = (await screen.findByLabelText('Embed snippet')) as HTMLTextAreaElement
    expect(snippet.value).toBe(
      '<div data-booking-resource="blue-room"></div>\n<script src="https://book.example.com/widget.js" async></script>',
    )
    expect(screen.getByText(/Created\. Paste this snippet/)).toBeTruthy()
    const preview = screen.getByTitle('Preview of the booking widget for Blue room') as HTMLIFrameElement
    expect(preview.getAttribute('src')).toBe('/admin/preview?resource=blue-room')
    // The form now edits the created resource, with what was typed.
    expect(screen.getByRole('heading', { name: 'Edit Blue room' })).toBeTruthy()
    expectEverythingKept({ Slug: 'blue-room', 'Phone country (optional)': 'DE', 'Deposit, EUR': '10.00' })
  })

  it('takes a car booked as a span: lengths in days, per day, a step; a half-set check-in is refused beside it', async () => {
    const created = vi.fn()
    const { api } = fakeApi((method, path, body) => {
      if (method === 'GET' && path === '/resources') return { resources: [] }
      if (method === 'GET') return { schedules: [] }
      const sent = body as { slug: string; name: string; config: ResourceConfig }
      created(sent)
      return { resource: stored(sent.slug, sent.name, sent.config) }
    })
    render(<ResourcesView api={api} origin="https://book.example.com" />)
    fireEvent.click(await screen.findByRole('button', { name: 'New resource' }))
    type('Name', 'City car')
    type('Slug', 'city-car')
    // The span's fields appear once the owner says the resource is booked as a span.
    expect(screen.queryByLabelText('Shortest span, days')).toBeNull()
    const on = screen.getByLabelText('Booked as a span across days')
    expect(describedBy(on)).toContain('from a pickup to a return across days')
    fireEvent.change(on, { target: { checked: true } })
    type('Shortest span, days', '1')
    type('Longest span, days', '14')
    choose('Price counted', 'per_day')
    type('Pickup and return every, minutes', '30')
    const checkIn = type('Check-in time (optional)', '15:00')
    submit('Create')
    const checkOut = screen.getByLabelText('Check-out time (optional)')
    await waitFor(() => expect(document.activeElement).toBe(checkOut))
    expect(describedBy(checkOut)).toContain('Set check-in and check-out together, or neither.')
    expect(created).not.toHaveBeenCalled()

    type('Check-in time (optional)', '')
    expect(checkIn.value).toBe('')
    choose('Lengths in', 'hours')
    expect(valueOf('Shortest span, hours')).toBe('1')
    type('Shortest span, hours', '4')
    type('Longest span, hours', '336')
    submit('Create')
    await waitFor(() => expect(created).toHaveBeenCalledTimes(1))
    expect(created.mock.calls[0]![0]).toMatchObject({
      slug: 'city-car',
      config: { span: { minMinutes: 240, maxMinutes: 336 * 60, pricing: 'per_day', stepMin: 30 } },
    })
  })

  it('takes a class of several places: capacity and most places per booking, refused beside the field', async () => {
    const created = vi.fn()
    const { api } = fakeApi((method, path, body) => {
      if (method === 'GET' && path === '/resources') return { resources: [] }
      if (method === 'GET') return { schedules: [] }
      const sent = body as { slug: string; name: string; config: ResourceConfig }
      if ((sent.config.maxSeatsPerBooking ?? 0) > 6) {
        throw new AdminApiError(400, 'invalid_request', 'The request is not valid.', [
          { path: 'config.maxSeatsPerBooking', code: 'invalid', message: 'at most 6 for this server' },
        ])
      }
      created(sent)
      return { resource: stored(sent.slug, sent.name, sent.config) }
    })
    render(<ResourcesView api={api} origin="https://book.example.com" />)
    fireEvent.click(await screen.findByRole('button', { name: 'New resource' }))
    type('Name', 'Yoga class')
    type('Slug', 'yoga')
    const capacity = type('Capacity, places', '12')
    expect(describedBy(capacity)).toContain('Places at the same time')
    const most = type('Most places per booking', '13')
    submit('Create')
    // Checked in the console first: more places per booking than the class has.
    await waitFor(() => expect(document.activeElement).toBe(most))
    expect(describedBy(most)).toContain('At most the capacity, 12.')
    expect(created).not.toHaveBeenCalled()

    type('Most places per booking', '8')
    submit('Create')
    await waitFor(() => expect(most.getAttribute('aria-invalid')).toBe('true'))
    expect(describedBy(most)).toContain('At most 6 for this server')
    expect(valueOf('Capacity, places')).toBe('12')

    type('Most places per booking', '4')
    submit('Create')
    await waitFor(() => expect(created).toHaveBeenCalledTimes(1))
    expect(created.mock.calls[0]![0]).toMatchObject({ slug: 'yoga', config: { capacity: 12, maxSeatsPerBooking: 4 } })
  })

  it('takes booking limits, refuses a wrong one beside its field, and sends only those typed', async () => {
    const created = vi.fn()
    const { api } = fakeApi((method, path, body) => {
      if (method === 'GET' && path === '/resources') return { resources: [] }
      if (method === 'GET') return { schedules: [] }
      const sent = body as { slug: string; name: string; config: ResourceConfig }
      created(sent)
      return { resource: stored(sent.slug, sent.name, sent.config) }
    })
    render(<ResourcesView api={api} origin="https://book.example.com" />)
    fireEvent.click(await screen.findByRole('button', { name: 'New resource' }))
    type('Name', 'Tennis court')
    type('Slug', 'court')
    const perDay = type('Per guest per day', '0')
    expect(describedBy(perDay)).toContain('known by their email')
    type('Gap per guest, minutes', '30')
    submit('Create')
    await waitFor(() => expect(document.activeElement).toBe(perDay))
    expect(describedBy(perDay)).toContain('Write a whole number of at least 1.')
    expect(created).not.toHaveBeenCalled()

    type('Per guest per day', '1')
    type('Per day, all guests', '8')
    submit('Create')
    await waitFor(() => expect(created).toHaveBeenCalledTimes(1))
    expect(created.mock.calls[0]![0].config).toEqual({ limits: { perGuestPerDay: 1, perDay: 8, minGapMinutes: 30 } })
  })

  it('asks a table for the party sizes it seats, checks them beside the fields, and sends them', async () => {
    const created = vi.fn()
    const { api } = fakeApi((method, path, body) => {
      if (method === 'GET' && path === '/resources') return { resources: [] }
      if (method === 'GET') return { schedules: [] }
      const sent = body as { slug: string; name: string; config: ResourceConfig }
      if ((sent.config.maxParty ?? 0) > 10) {
        throw new AdminApiError(400, 'invalid_request', 'The request is not valid.', [
          { path: 'config.maxParty', code: 'invalid', message: 'at most 10 at this restaurant' },
        ])
      }
      created(sent)
      return { resource: { ...stored(sent.slug, sent.name, sent.config), type: 'table' } }
    })
    render(<ResourcesView api={api} origin="https://book.example.com" />)
    fireEvent.click(await screen.findByRole('button', { name: 'New resource' }))
    // A room seats no party: the fields appear for a table.
    expect(screen.queryByLabelText('Smallest party, guests')).toBeNull()
    choose('Type', 'table')
    type('Name', 'Window table')
    type('Slug', 'window-table')
    const smallest = type('Smallest party, guests', '6')
    expect(describedBy(smallest)).toContain('smaller parties are given another table')
    type('Largest party, guests', '4')
    submit('Create')
    await waitFor(() => expect(document.activeElement).toBe(smallest))
    expect(describedBy(smallest)).toContain('At most the largest party, 4.')
    expect(created).not.toHaveBeenCalled()

    type('Smallest party, guests', '2')
    type('Largest party, guests', '12')
    submit('Create')
    const largest = screen.getByLabelText('Largest party, guests')
    await waitFor(() => expect(largest.getAttribute('aria-invalid')).toBe('true'))
    expect(describedBy(largest)).toContain('At most 10 at this restaurant')
    expect(valueOf('Smallest party, guests')).toBe('2')

    type('Largest party, guests', '6')
    submit('Create')
    await waitFor(() => expect(created).toHaveBeenCalledTimes(1))
    expect(created.mock.calls[0]![0]).toMatchObject({
      slug: 'window-table',
      type: 'table',
      config: { minParty: 2, maxParty: 6 },
    })
  })

  it('puts a refused price beside the price field and focuses it', async () => {
    const { api } = fakeApi((method) => {
      if (method === 'GET') return { resources: [] }
      throw new AdminApiError(400, 'invalid_request', 'The request is not valid.', [
        { path: 'config.price.amount', code: 'invalid', message: 'is required (≥ 1 minor unit) with payment "full"' },
      ])
    })
    render(<ResourcesView api={api} origin="https://book.example.com" />)
    fireEvent.click(await screen.findByRole('button', { name: 'New resource' }))
    type('Name', 'Court')
    type('Slug', 'court')
    choose('Online payment', 'full')
    type('Price, EUR', '0')
    submit('Create')
    const price = screen.getByLabelText('Price, EUR')
    await waitFor(() => expect(document.activeElement).toBe(price))
    expect(price.getAttribute('aria-invalid')).toBe('true')
    expect(describedBy(price)).toContain('Is required (≥ 1 minor unit) with payment "full"')
    expect(valueOf('Name')).toBe('Court')
    expect(valueOf('Price, EUR')).toBe('0')
  })

  it('checks what it can itself, beside each field, without asking the server', async () => {
    const { api, calls } = fakeApi(() => ({ resources: [] }))
    render(<ResourcesView api={api} origin="https://book.example.com" />)
    fireEvent.click(await screen.findByRole('button', { name: 'New resource' }))
    type('Slug', 'Blue Room')
    type('Price, EUR', '12.345')
    submit('Create')
    const name = screen.getByLabelText('Name')
    await waitFor(() => expect(document.activeElement).toBe(name))
    expect(describedBy(name)).toContain('Give it a name guests will recognise.')
    expect(describedBy(screen.getByLabelText('Slug'))).toContain('lowercase letters')
    expect(describedBy(screen.getByLabelText('Price, EUR'))).toContain('Write an amount in EUR')
    expect(valueOf('Slug')).toBe('Blue Room')
    expect(calls.filter((c) => c.method !== 'GET')).toHaveLength(0)
  })

  it('shows the cancellation policy as guests will read it while the owner types it', async () => {
    const { api } = fakeApi(() => ({ resources: [] }))
    render(<ResourcesView api={api} origin="https://book.example.com" />)
    fireEvent.click(await screen.findByRole('button', { name: 'New resource' }))
    const words = () =>
      within(screen.getByText('Guests will read:').parentElement!)
        .getAllByRole('listitem')
        .map((li) => li.textContent)
    expect(words()).toEqual(['Free cancellation until the start.'])
    type('Free cancellation until, hours before', '48')
    type('Partial refund until, hours before', '24')
    type('Partial refund, %', '50')
    type('No online cancelling within, hours', '2')
    expect(words()).toEqual([
      'Free cancellation until 48 h before the start.',
      '50 % back if you cancel at least 24 h before.',
      'No refund after that.',
      'Online cancellation closes 2 h before the start.',
    ])
    type('Minimum notice to cancel, hours', '24')
    type('Minimum notice to move, hours', '12')
    expect(words()).toEqual([
      'Free cancellation until 48 h before the start.',
      '50 % back if you cancel at least 24 h before.',
      'No refund after that.',
      'Online cancellation closes 24 h before the start.',
      'Changing the time online closes 12 h before the start.',
    ])
    expect(describedBy(screen.getByLabelText('Minimum notice to move, hours'))).toContain(
      'You can always move a booking yourself',
    )
  })

  it('shows no made-up numbers in empty fields: the help gives the examples and the policy guests read is the empty one', async () => {
    const { api } = fakeApi(() => ({ resources: [] }))
    render(<ResourcesView api={api} origin="https://book.example.com" />)
    fireEvent.click(await screen.findByRole('button', { name: 'New resource' }))
    const withPlaceholder = [...document.querySelectorAll('.resource-form :is(input, textarea)')].filter((field) =>
      field.getAttribute('placeholder'),
    )
    expect(withPlaceholder.map((field) => `${field.id}: ${field.getAttribute('placeholder')}`)).toEqual([])
    expect(valueOf('Free cancellation until, hours before')).toBe('')
    expect(describedBy(screen.getByLabelText('Free cancellation until, hours before'))).toContain(
      'e.g. 24. Empty: free cancellation until the start.',
    )
    expect(
      within(screen.getByText('Guests will read:').parentElement!)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Free cancellation until the start.'])
  })

  it('does not show a partial refund to guests that would never apply, and asks for the free-cancellation hours', async () => {
    const { api, calls } = fakeApi(() => ({ resources: [] }))
    render(<ResourcesView api={api} origin="https://book.example.com" />)
    fireEvent.click(await screen.findByRole('button', { name: 'New resource' }))
    const words = () =>
      within(screen.getByText('Guests will read:').parentElement!)
        .getAllByRole('listitem')
        .map((li) => li.textContent)
    type('Name', 'Court')
    type('Slug', 'court')
    type('Partial refund until, hours before', '24')
    type('Partial refund, %', '50')
    // Without free-cancellation hours every cancel is refunded in full: that is what guests read.
    expect(words()).toEqual(['Free cancellation until the start.'])
    submit('Create')
    const partial = screen.getByLabelText('Partial refund until, hours before')
    await waitFor(() => expect(document.activeElement).toBe(partial))
    expect(describedBy(partial)).toContain('Set “Free cancellation until” as well')
    expect(calls.filter((c) => c.method !== 'GET')).toHaveLength(0)
    type('Free cancellation until, hours before', '48')
    expect(words()).toEqual([
      'Free cancellation until 48 h before the start.',
      '50 % back if you cancel at least 24 h before.',
      'No refund after that.',
    ])
  })

  it('groups the form and gives every field one line of help', async () => {
    const { api } = fakeApi(() => ({ resources: [] }))
    render(<ResourcesView api={api} origin="https://book.example.com" />)
    fireEvent.click(await screen.findByRole('button', { name: 'New resource' }))
    expect(screen.getAllByRole('group').map((g) => g.querySelector('legend')?.textContent)).toEqual([
      'Basics',
      'Availability rules',
      'Booking limits',
      'Booked as a span',
      'Payment',
      'Cancellation policy',
      'Questions for guests',
      'Notifications',
    ])
    const fields = document.querySelectorAll('.resource-form :is(input, select)')
    expect(fields.length).toBeGreaterThanOrEqual(21)
    for (const field of fields) expect(describedBy(field as HTMLElement).trim()).not.toBe('')
  })
})

describe('after creating a resource', () => {
  it('asks for the opening hours until they are saved, then stops asking', async () => {
    const { api, calls } = fakeApi((method, path, body) => {
      if (method === 'GET' && path === '/resources') return { resources: [] }
      if (method === 'GET') return { schedules: [] }
      if (method === 'PUT') return body
      const sent = body as { slug: string; name: string; config: ResourceConfig }
      return { resource: stored(sent.slug, sent.name, sent.config) }
    })
    render(<ResourcesView api={api} origin="https://book.example.com" />)
    fireEvent.click(await screen.findByRole('button', { name: 'New resource' }))
    type('Name', 'Blue room')
    type('Slug', 'blue-room')
    submit('Create')
    await screen.findByText(/^Created\. Paste this snippet .*then set the opening hours below\./)

    const monday = await screen.findByRole('group', { name: 'Monday' })
    fireEvent.click(within(monday).getByRole('button', { name: 'Add hours' }))
    fireEvent.click(screen.getByRole('button', { name: 'Save opening hours' }))
    await screen.findByText(/^Schedule saved/)
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(1)
    expect(screen.queryByText(/then set the opening hours below/)).toBeNull()
    // The snippet itself stays, to copy.
    expect((screen.getByLabelText('Embed snippet') as HTMLTextAreaElement).value).toContain(
      'data-booking-resource="blue-room"',
    )
  })
})

describe('editing a resource', () => {
  it('saves every field with PATCH, keeps settings the form does not show, and refreshes the preview', async () => {
    const room = stored('blue-room', 'Blue room', {
      holdTtlSec: 300,
      price: { amount: 2500, currency: 'EUR' },
      payment: 'full',
    })
    const { api, calls } = fakeApi((method, path, body) => {
      if (method === 'GET' && path === '/resources') return { resources: [room] }
      if (method === 'GET') return { schedules: [] }
      const patch = body as Partial<AdminResource>
      return { resource: { ...room, ...patch } }
    })
    render(<ResourcesView api={api} origin="https://book.example.com" />)
    fireEvent.click(await screen.findByRole('button', { name: 'Edit Blue room' }))
    expect(valueOf('Price, EUR')).toBe('25.00')
    expect(screen.getByLabelText('Embed snippet')).toBeTruthy()
    const before = screen.getByTitle('Preview of the booking widget for Blue room')
    type('Price, EUR', '30')
    fireEvent.change(screen.getByLabelText('Active (bookable)'), { target: { checked: false } })
    submit('Save')
    await screen.findByText('Saved.')
    expect(calls.find((c) => c.method === 'PATCH')).toEqual({
      method: 'PATCH',
      path: '/resources/id-blue-room',
      body: {
        slug: 'blue-room',
        type: 'room',
        name: 'Blue room',
        timezone: 'Europe/Berlin',
        isActive: false,
        config: { holdTtlSec: 300, price: { amount: 3000, currency: 'EUR' }, payment: 'full' },
      },
    })
    expect(valueOf('Price, EUR')).toBe('30')
    expect(screen.getByTitle('Preview of the booking widget for Blue room')).not.toBe(before)
  })
})

describe('the embed snippet', () => {
  it('copies with the clipboard, and selects the text for Ctrl+C where there is none', async () => {
    const room = stored('blue-room', 'Blue room')
    const { api } = fakeApi((method, path) => (path === '/resources' ? { resources: [room] } : { schedules: [] }))
    const writeText = vi.fn(async () => undefined)
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    render(<ResourcesView api={api} origin="https://book.example.com" />)
    fireEvent.click(await screen.findByRole('button', { name: 'Edit Blue room' }))
    fireEvent.click(screen.getByRole('button', { name: 'Copy snippet' }))
    await screen.findByText(/^Copied\./)
    expect(writeText).toHaveBeenCalledWith(
      '<div data-booking-resource="blue-room"></div>\n<script src="https://book.example.com/widget.js" async></script>',
    )

    writeText.mockRejectedValueOnce(new Error('not allowed'))
    fireEvent.click(screen.getByRole('button', { name: 'Copy snippet' }))
    await screen.findByText(/press Ctrl\+C/)
    const snippet = screen.getByLabelText('Embed snippet') as HTMLTextAreaElement
    expect(document.activeElement).toBe(snippet)
    expect([snippet.selectionStart, snippet.selectionEnd]).toEqual([0, snippet.value.length])
  })
})
