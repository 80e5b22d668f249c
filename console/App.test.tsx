// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { App } from './App'

/*
 * The first-run link `npm start` prints: the owner opens /admin#setup=<token>, the console
 * trades the token for the first key, shows it once and carries on signed in. fetch is
 * stubbed with the server's answers for that token.
 */

const created = { key: 'bka_4f9a2c.s3cr3t-value_x', prefix: 'bka_4f9a2c', name: 'first key' }

interface Request {
  url: string
  method: string
  headers: Record<string, string>
  body: unknown
}

function stubServer(setupAnswers: (() => Response | Promise<Response>)[]) {
  const requests: Request[] = []
  const fetchStub = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input)
    requests.push({
      url,
      method: init?.method ?? 'GET',
      headers: { ...(init?.headers as Record<string, string> | undefined) },
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    })
    if (url === '/v1/admin/setup') {
      const answer = setupAnswers.shift()
      if (!answer) throw new Error('setup asked more often than expected')
      return answer()
    }
    if (url === '/v1/admin/resources') return Response.json({ resources: [] })
    throw new Error(`unexpected ${url}`)
  })
  vi.stubGlobal('fetch', fetchStub)
  return { requests, fetchStub }
}

const unauthorized = () =>
  Response.json({ error: { code: 'unauthorized', message: 'The setup link is not valid.' } }, { status: 401 })

beforeEach(() => {
  sessionStorage.clear()
  history.replaceState(null, '', '/admin#setup=tok_Zx81-abc')
})
afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('first-run link', () => {
  it('trades the token for the first key, shows it once with Copy and carries on signed in', async () => {
    const { requests } = stubServer([() => Response.json(created, { status: 201 })])
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined)
    render(<App />)

    await screen.findByText('Keep it somewhere safe; it is shown only once.')
    const setup = requests.find((r) => r.url === '/v1/admin/setup')!
    expect(setup.method).toBe('POST')
    expect(setup.body).toEqual({ token: 'tok_Zx81-abc' })
    expect(setup.headers.Authorization).toBeUndefined()

    // The token leaves the address bar; the key is kept as a typed-in key is.
    expect(location.hash).toBe('')
    expect(location.pathname).toBe('/admin')
    expect(sessionStorage.getItem('booking-admin-key')).toBe(created.key)
    expect((screen.getByRole('textbox', { name: 'Owner key' }) as HTMLInputElement).value).toBe(created.key)

    // Signed in: the console asks the API with the new key.
    await waitFor(() => expect(requests.some((r) => r.url === '/v1/admin/resources')).toBe(true))
    expect(requests.find((r) => r.url === '/v1/admin/resources')!.headers.Authorization).toBe(`Bearer ${created.key}`)
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeTruthy()

    fireEvent.click(screen.getByRole('button', { name: 'Copy' }))
    await screen.findByText('Copied to the clipboard.')
    expect(writeText).toHaveBeenCalledWith(created.key)

    // Once dismissed, nothing on the page shows the key again.
    fireEvent.click(screen.getByRole('button', { name: 'I have saved it' }))
    expect(screen.queryByRole('textbox', { name: 'Owner key' })).toBeNull()
    expect(document.body.innerHTML).not.toContain(created.key)
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeTruthy()
  })

  it('says a used or expired link is spent and shows the normal sign-in', async () => {
    stubServer([unauthorized])
    render(<App />)

    expect((await screen.findByRole('alert')).textContent).toBe(
      'This sign-in link was already used or has expired. Sign in with your key below.',
    )
    expect(screen.getByLabelText('Admin key')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy()
    expect(location.hash).toBe('')
    expect(sessionStorage.getItem('booking-admin-key')).toBeNull()
  })

  it('after a spent link, a wrong key is refused beside the field and stays as typed', async () => {
    const { fetchStub } = stubServer([unauthorized])
    render(<App />)
    await screen.findByRole('alert')
    fetchStub.mockImplementation(async () =>
      Response.json({ error: { code: 'unauthorized', message: 'Invalid key.' } }, { status: 401 }),
    )
    const field = screen.getByLabelText('Admin key') as HTMLInputElement
    fireEvent.input(field, { target: { value: 'bka_wrong.key' } })
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    await screen.findByText('That key is not valid (or was revoked).')
    expect(field.value).toBe('bka_wrong.key')
    expect(field.getAttribute('aria-invalid')).toBe('true')
    expect(document.getElementById(field.getAttribute('aria-describedby')!)?.textContent).toBe(
      'That key is not valid (or was revoked).',
    )
  })

  it('keeps the link when the server cannot be reached, and tries again on request', async () => {
    const { fetchStub } = stubServer([
      () => Promise.reject(new TypeError('Failed to fetch')),
      () => Response.json(created, { status: 201 }),
    ])
    render(<App />)

    expect((await screen.findByRole('alert')).textContent).toContain('Could not reach the server')
    expect(location.hash).toBe('#setup=tok_Zx81-abc')
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }))
    await screen.findByText('Keep it somewhere safe; it is shown only once.')
    expect(fetchStub.mock.calls.filter(([url]) => String(url) === '/v1/admin/setup')).toHaveLength(2)
    expect(location.hash).toBe('')
  })

  it('asks only once for one link, and not at all without one', async () => {
    const { fetchStub } = stubServer([() => Response.json(created, { status: 201 })])
    render(<App />)
    await screen.findByText('Keep it somewhere safe; it is shown only once.')
    cleanup()
    render(<App />)
    // Signed in from the tab's storage, and the spent fragment is gone: no second request.
    await screen.findByRole('button', { name: 'Sign out' })
    expect(fetchStub.mock.calls.filter(([url]) => String(url) === '/v1/admin/setup')).toHaveLength(1)
  })
})

describe('the console tabs', () => {
  it('opens the pools with the signed-in key and marks the tab as the current page', async () => {
    history.replaceState(null, '', '/admin')
    sessionStorage.setItem('booking-admin-key', created.key)
    const asked: { url: string; authorization: string | undefined }[] = []
    const physios = {
      id: 'p-1',
      slug: 'physios',
      type: 'specialist',
      name: 'Any physio',
      timezone: 'Europe/Berlin',
      strategy: 'round_robin',
      memberChoice: false,
      isActive: true,
      createdAt: '2026-01-01T00:00:00Z',
      members: [],
    }
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = String(input)
        asked.push({ url, authorization: (init?.headers as Record<string, string>).Authorization })
        if (url === '/v1/admin/pools') return Response.json({ pools: [physios] })
        if (url === '/v1/admin/resources') return Response.json({ resources: [] })
        throw new Error(`unexpected ${url}`)
      }),
    )
    render(<App />)
    const tab = await screen.findByRole('button', { name: 'Pools' })
    fireEvent.click(tab)
    expect(tab.getAttribute('aria-current')).toBe('page')
    await screen.findByRole('heading', { name: 'Pools' })
    expect((await screen.findByRole('listitem')).textContent).toContain('Any physio')
    expect(asked.find((r) => r.url === '/v1/admin/pools')?.authorization).toBe(`Bearer ${created.key}`)
  })
})
