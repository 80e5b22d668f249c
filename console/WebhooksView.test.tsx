// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AdminWebhookDelivery, AdminWebhookEndpoint } from '../shared/api-contract'
import { AdminApiError, type AdminApi } from './api'
import { WebhooksView } from './WebhooksView'

/*
 * The webhooks tab as an owner uses it: add an endpoint and copy its secret, see one that
 * was switched off and why, switch it on, reveal and rotate the secret, send a test, read the
 * deliveries and resend one. The API is a fake that records what was sent.
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

const endpoint = (change: Partial<AdminWebhookEndpoint> = {}): AdminWebhookEndpoint => ({
  id: 'ep-1',
  url: 'https://crm.example.com/hooks',
  description: null,
  events: ['booking.created'],
  isActive: true,
  disabledAt: null,
  disabledReason: null,
  consecutiveFailures: 0,
  createdAt: '2026-03-01T10:00:00Z',
  ...change,
})

const delivery = (change: Partial<AdminWebhookDelivery> = {}): AdminWebhookDelivery => ({
  id: 'd-1',
  eventId: 'evt_1',
  event: 'booking.created',
  bookingId: 'b-1',
  sequence: 3,
  status: 'failed',
  attempts: 21,
  nextAttemptAt: '2026-03-04T10:00:00Z',
  lastStatusCode: 500,
  lastLatencyMs: 87,
  lastError: 'HTTP 500',
  deliveredAt: null,
  createdAt: '2026-03-01T10:00:00Z',
  ...change,
})

function type(label: string | RegExp, text: string) {
  const input = screen.getByLabelText(label) as HTMLInputElement
  for (let i = 1; i <= text.length; i++) fireEvent.input(input, { target: { value: text.slice(0, i) } })
}

afterEach(cleanup)

describe('the webhooks tab', () => {
  it('adds an endpoint with the events ticked, shows its secret once and copies it', async () => {
    let list: AdminWebhookEndpoint[] = []
    const { api, calls } = fakeApi((method, path, body) => {
      if (method === 'POST' && path === '/webhooks') {
        const made = endpoint({ ...(body as Partial<AdminWebhookEndpoint>), id: 'ep-new' })
        list = [made]
        return { endpoint: { ...made, secret: 'whsec_shown_once' } }
      }
      return { endpoints: list }
    })
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined)
    render(<WebhooksView api={api} />)
    await screen.findByText(/No endpoints yet/)

    type('URL', 'https://crm.example.com/hooks')
    // Three events are ticked to start with; take one away and add a payment event.
    fireEvent.click(screen.getByRole('checkbox', { name: /Booking moved/ }))
    fireEvent.click(screen.getByRole('checkbox', { name: /Payment captured/ }))
    fireEvent.submit(screen.getByRole('button', { name: 'Add endpoint' }).closest('form')!)

    const secret = (await screen.findByLabelText('Signing secret')) as HTMLInputElement
    expect(secret.value).toBe('whsec_shown_once')
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({
      url: 'https://crm.example.com/hooks',
      events: ['booking.created', 'booking.cancelled', 'payment.captured'],
    })
    await screen.findByText(/Copy its signing secret now/)
    fireEvent.click(screen.getByRole('button', { name: 'Copy secret' }))
    await screen.findByText('Copied to the clipboard.')
    expect(writeText).toHaveBeenCalledWith('whsec_shown_once')
    // Hidden, it is not on the page any more; "Reveal secret" fetches it again.
    fireEvent.click(screen.getByRole('button', { name: 'Hide' }))
    expect(screen.queryByLabelText('Signing secret')).toBeNull()
  })

  it('puts a refused URL beside the URL field', async () => {
    const { api } = fakeApi((method) => {
      if (method === 'POST')
        throw new AdminApiError(400, 'invalid_request', 'The webhook URL must use https://.', [
          { path: 'url', code: 'invalid', message: 'The URL must use https:// (http:// only to this machine).' },
        ])
      return { endpoints: [] }
    })
    render(<WebhooksView api={api} />)
    await screen.findByText(/No endpoints yet/)
    type('URL', 'http://crm.example.com')
    fireEvent.submit(screen.getByRole('button', { name: 'Add endpoint' }).closest('form')!)
    const field = screen.getByLabelText('URL')
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'))
    expect(document.getElementById('webhook-url-error')!.textContent).toMatch(/must use https/)
  })

  it('shows why an endpoint was switched off and switches it on again', async () => {
    let ep = endpoint({
      isActive: false,
      disabledAt: '2026-03-04T10:00:00Z',
      disabledReason: 'A delivery kept failing for 3 days.',
      consecutiveFailures: 21,
    })
    const { api, calls } = fakeApi((method, path, body) => {
      if (method === 'PATCH') {
        ep = { ...ep, ...(body as Partial<AdminWebhookEndpoint>), disabledAt: null, disabledReason: null }
        return { endpoint: ep }
      }
      return { endpoints: [ep] }
    })
    render(<WebhooksView api={api} />)
    const note = await screen.findByRole('note')
    expect(note.textContent).toMatch(/Switched off .*A delivery kept failing for 3 days\. Fix your receiver/)
    expect(screen.getByRole('listitem').textContent).toContain('switched off')
    fireEvent.click(screen.getByRole('button', { name: 'Switch on' }))
    await screen.findByText('https://crm.example.com/hooks is on again.')
    expect(calls.find((c) => c.method === 'PATCH')).toEqual({
      method: 'PATCH',
      path: '/webhooks/ep-1',
      body: { isActive: true },
    })
    await waitFor(() => expect(screen.queryByRole('note')).toBeNull())
  })

  it('reveals and rotates the secret, sends a test, and resends a failed delivery from the log', async () => {
    let deliveries = [delivery()]
    const { api, calls } = fakeApi((method, path) => {
      if (path === '/webhooks/ep-1') return { endpoint: { ...endpoint(), secret: 'whsec_revealed' } }
      if (path === '/webhooks/ep-1/rotate-secret') return { endpoint: { ...endpoint(), secret: 'whsec_rotated' } }
      if (path === '/webhooks/ep-1/test') {
        deliveries = [delivery({ id: 'd-2', event: 'ping', status: 'pending', attempts: 0 }), ...deliveries]
        return { delivery: deliveries[0] }
      }
      if (path === '/webhooks/ep-1/deliveries') return { deliveries }
      if (path.endsWith('/resend')) {
        deliveries = deliveries.map((d) => (d.id === 'd-1' ? { ...d, status: 'pending' as const } : d))
        return { delivery: deliveries[1] }
      }
      return { endpoints: [endpoint()] }
    })
    render(<WebhooksView api={api} />)
    fireEvent.click(await screen.findByRole('button', { name: 'Reveal secret' }))
    expect(((await screen.findByLabelText('Signing secret')) as HTMLInputElement).value).toBe('whsec_revealed')
    fireEvent.click(screen.getByRole('button', { name: 'Rotate secret' }))
    await screen.findByText(/old one no longer verifies/)
    expect((screen.getByLabelText('Signing secret') as HTMLInputElement).value).toBe('whsec_rotated')

    fireEvent.click(screen.getByRole('button', { name: 'Send test' }))
    await screen.findByText(/Test event \(ping\) queued/)
    const log = await screen.findByRole('list', { name: 'Deliveries to https://crm.example.com/hooks' })
    const rows = within(log)
      .getAllByRole('listitem')
      .map((li) => li.textContent!.replace(/ · [^·]*\d{4}[^·]*$/, '').replace(/Resend$/, ''))
    expect(rows).toEqual([
      'ping waiting · HTTP 500 · 87 ms · 0 attempts',
      'booking.created failed · HTTP 500 · 87 ms · 21 attempts',
    ])
    // Only what is not under way any more can be resent.
    expect(within(log).getAllByRole('button', { name: /^Resend/ })).toHaveLength(1)
    fireEvent.click(within(log).getByRole('button', { name: 'Resend booking.created evt_1' }))
    await screen.findByText(/booking.created queued again/)
    expect(calls.some((c) => c.method === 'POST' && c.path === '/webhooks/ep-1/deliveries/d-1/resend')).toBe(true)
    await waitFor(() => expect(within(log).queryByRole('button', { name: /Resend/ })).toBeNull())
  })

  it('deletes an endpoint only after a second click', async () => {
    let list = [endpoint()]
    const { api, calls } = fakeApi((method) => {
      if (method === 'DELETE') {
        list = []
        return { endpoint: endpoint() }
      }
      return { endpoints: list }
    })
    render(<WebhooksView api={api} />)
    fireEvent.click(await screen.findByRole('button', { name: 'Delete' }))
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false)
    fireEvent.click(screen.getByRole('button', { name: 'Delete for good' }))
    await screen.findByText(/No endpoints yet/)
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual(['/webhooks/ep-1'])
  })
})
