import { afterEach, describe, expect, it, vi } from 'vitest'
import type { PublicWaitlistEntry } from '../shared/api-contract'
import { createClient } from './client'

const entry: PublicWaitlistEntry = {
  ref: 'WK7Q2XM3D',
  resourceId: 'r-1',
  resourceName: 'Physio Anna',
  timezone: 'Europe/Berlin',
  kind: 'day',
  windowStart: '2026-12-11T23:00:00.000Z',
  windowEnd: '2026-12-12T23:00:00.000Z',
  seats: 1,
  status: 'waiting',
  position: 2,
  offer: null,
  guest: { name: 'Ada', email: 'ada@example.com' },
  locale: 'de',
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

function stubFetch(respond: () => Response) {
  const fetch = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => respond())
  vi.stubGlobal('fetch', fetch)
  return fetch
}

/** The request the client sent: URL, method, headers and JSON body. */
function sent(fetch: ReturnType<typeof stubFetch>) {
  const [url, init] = fetch.mock.calls[0]!
  const headers = new Headers(init?.headers)
  return {
    url: String(url),
    method: init?.method ?? 'GET',
    headers,
    body: init?.body ? JSON.parse(String(init.body)) : undefined,
  }
}

const client = () => createClient({ apiUrl: 'https://book.example.com/' })

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('the waitlist client', () => {
  it('joins with the body as given and answers the entry with its token', async () => {
    const fetch = stubFetch(() => json(201, { entry, token: 'wl-token' }))
    const body = {
      resourceId: 'r-1',
      date: '2026-12-12',
      guest: { name: 'Ada', email: 'ada@example.com' },
      locale: 'de',
      timezone: 'Europe/Berlin',
    }
    const result = await client().joinWaitlist(body)
    expect(result).toEqual({ data: { entry, token: 'wl-token' } })
    const request = sent(fetch)
    expect(request.url).toBe('https://book.example.com/v1/waitlist')
    expect(request.method).toBe('POST')
    expect(request.headers.get('content-type')).toBe('application/json')
    expect(request.body).toEqual(body)
  })

  it('turns a refusal into its code, status and details', async () => {
    stubFetch(() => json(409, { error: { code: 'already_waiting', message: 'You are already waiting.' } }))
    const result = await client().joinWaitlist({ resourceId: 'r-1', date: '2026-12-12', guest: entry.guest })
    expect(result.error).toEqual({ code: 'already_waiting', message: 'You are already waiting.', status: 409 })
  })

  it('reads the entry with the token as a bearer, escaping the ref', async () => {
    const fetch = stubFetch(() => json(200, { entry }))
    const result = await client().getWaitlistEntry('W/1', 'wl-token')
    expect(result).toEqual({ data: { entry } })
    const request = sent(fetch)
    expect(request.url).toBe('https://book.example.com/v1/waitlist/W%2F1')
    expect(request.method).toBe('GET')
    expect(request.headers.get('authorization')).toBe('Bearer wl-token')
  })

  it('claims the offer with the answers and answers the booking like createBooking', async () => {
    const booking = { ref: 'K7Q2XM3D', status: 'confirmed' }
    const fetch = stubFetch(() => json(201, { booking, manageToken: 'manage-token' }))
    const result = await client().claimWaitlistOffer(entry.ref, 'wl-token', { answers: { first: true } })
    expect(result).toEqual({ data: { booking, manageToken: 'manage-token' } })
    const request = sent(fetch)
    expect(request.url).toBe(`https://book.example.com/v1/waitlist/${entry.ref}/claim`)
    expect(request.method).toBe('POST')
    expect(request.headers.get('authorization')).toBe('Bearer wl-token')
    expect(request.body).toEqual({ answers: { first: true } })
  })

  it('claims with an empty body when there is nothing to answer, and says when the offer ended', async () => {
    const fetch = stubFetch(() => json(410, { error: { code: 'offer_expired', message: 'The offer has lapsed.' } }))
    const result = await client().claimWaitlistOffer(entry.ref, 'wl-token')
    expect(result.error?.code).toBe('offer_expired')
    expect(result.error?.status).toBe(410)
    expect(sent(fetch).body).toEqual({})
  })

  it.each([
    ['declineWaitlistOffer', 'decline'],
    ['leaveWaitlist', 'leave'],
  ] as const)('%s posts to …/%s with the bearer and answers the entry', async (method, path) => {
    const after = { ...entry, status: path === 'leave' ? 'left' : 'waiting', position: path === 'leave' ? null : 2 }
    const fetch = stubFetch(() => json(200, { entry: after }))
    const result = await client()[method](entry.ref, 'wl-token')
    expect(result).toEqual({ data: { entry: after } })
    const request = sent(fetch)
    expect(request.url).toBe(`https://book.example.com/v1/waitlist/${entry.ref}/${path}`)
    expect(request.method).toBe('POST')
    expect(request.headers.get('authorization')).toBe('Bearer wl-token')
  })

  it('answers invalid_response for a body of the wrong shape, and network_error when nothing came back', async () => {
    stubFetch(() => json(200, { nothing: true }))
    expect((await client().getWaitlistEntry(entry.ref, 't')).error?.code).toBe('invalid_response')
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('offline')
      }),
    )
    expect((await client().leaveWaitlist(entry.ref, 't')).error?.code).toBe('network_error')
  })
})
