import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AvailabilityResponse, CompactAvailabilityResponse, PublicPool, PublicResource } from '../shared/types'
import { createClient } from './client'

const resource: PublicResource = {
  id: '7d1c2a3e-0000-4000-8000-000000000001',
  slug: 'meeting-room',
  type: 'room',
  name: 'Meeting room',
  timezone: 'Europe/Berlin',
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

function stubFetch(respond: (url: string) => Response | Promise<Response>) {
  const fetch = vi.fn(async (input: RequestInfo | URL) => respond(String(input)))
  vi.stubGlobal('fetch', fetch)
  return fetch
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('createClient', () => {
  it('returns the resource out of its envelope', async () => {
    const fetch = stubFetch(() => json(200, { resource }))
    const result = await createClient({ apiUrl: 'https://book.example.com/' }).getResource('meeting-room')
    expect(result).toEqual({ data: resource })
    expect(fetch).toHaveBeenCalledWith('https://book.example.com/v1/resources/meeting-room', expect.anything())
  })

  it('asks for compact availability with zone and duration, escaping the slug, and expands it to the default shape', async () => {
    const expected: AvailabilityResponse = {
      resource,
      timezone: 'Europe/Berlin',
      days: [
        // The spring-forward night: 01:00 CET, then 03:00 CEST an hour later.
        {
          date: '2026-03-29',
          slots: [
            { start: '2026-03-29T00:00:00.000Z', end: '2026-03-29T01:00:00.000Z' },
            { start: '2026-03-29T01:00:00.000Z', end: '2026-03-29T03:00:00.000Z' },
          ],
        },
        { date: '2026-03-30', slots: [] },
      ],
      holds: [
        {
          id: 'h1',
          resourceId: resource.id,
          start: '2026-03-29T00:00:00.000Z',
          end: '2026-03-29T01:00:00.000Z',
          expiresAt: '2026-03-28T12:10:00.000Z',
        },
      ],
    }
    const compact: CompactAvailabilityResponse = {
      format: 'compact',
      resource,
      timezone: 'Europe/Berlin',
      days: [
        { date: '2026-03-29', length: 60, starts: [0, [60, 120]] },
        { date: '2026-03-30', starts: [] },
      ],
      holds: expected.holds,
    }
    const fetch = stubFetch(() => json(200, compact))
    const result = await createClient({ apiUrl: 'https://book.example.com' }).getAvailability('room/1', {
      from: '2026-03-29',
      to: '2026-03-30',
      tz: 'Europe/Berlin',
      duration: 120,
    })
    expect(result).toEqual({ data: expected })
    const url = new URL(fetch.mock.calls[0]?.[0] as string)
    expect(url.pathname).toBe('/v1/resources/room%2F1/availability')
    expect(Object.fromEntries(url.searchParams)).toEqual({
      from: '2026-03-29',
      to: '2026-03-30',
      tz: 'Europe/Berlin',
      duration: '120',
      format: 'compact',
    })
  })

  it('takes the default shape as it is, from a server that does not know the compact one', async () => {
    const body: AvailabilityResponse = {
      resource,
      timezone: 'Europe/Berlin',
      days: [{ date: '2026-03-27', slots: [{ start: '2026-03-27T08:00:00Z', end: '2026-03-27T08:30:00Z' }] }],
    }
    stubFetch(() => json(200, body))
    const result = await createClient({ apiUrl: 'https://book.example.com' }).getAvailability('meeting-room', {
      from: '2026-03-27',
      to: '2026-03-27',
    })
    expect(result).toEqual({ data: body })
  })

  it('resolves to invalid_response for a compact body it cannot expand', async () => {
    stubFetch(() =>
      json(200, {
        format: 'compact',
        resource,
        timezone: 'Europe/Berlin',
        days: [{ date: '2026-03-27', length: 30, starts: ['soon'] }],
      }),
    )
    const result = await createClient({ apiUrl: 'https://book.example.com' }).getAvailability('meeting-room', {
      from: '2026-03-27',
      to: '2026-03-27',
    })
    expect(result.error).toMatchObject({ code: 'invalid_response', status: 200 })
  })

  it('leaves out zone and duration when not given', async () => {
    const fetch = stubFetch(() => json(200, { resource, timezone: 'Europe/Berlin', days: [] }))
    await createClient({ apiUrl: 'https://book.example.com' }).getAvailability('meeting-room', {
      from: '2026-03-27',
      to: '2026-03-27',
    })
    expect(fetch.mock.calls[0]?.[0]).toBe(
      'https://book.example.com/v1/resources/meeting-room/availability?from=2026-03-27&to=2026-03-27&format=compact',
    )
  })

  it('asks for places only above one, so a request for one place is the one the loader made early', async () => {
    const fetch = stubFetch((url) =>
      url.includes('/next-available')
        ? json(200, { nextAvailable: null })
        : url.includes('/holds')
          ? json(201, { hold: { id: 'h_1' } })
          : json(200, { resource, timezone: 'Europe/Berlin', days: [] }),
    )
    const client = createClient({ apiUrl: 'https://book.example.com' })
    const month = { from: '2026-03-27', to: '2026-03-27' }
    await client.getAvailability('class', { ...month, seats: 1 })
    await client.getAvailability('class', { ...month, seats: 3 })
    await client.getNextAvailable('class', { from: '2026-03-27', seats: 1 })
    await client.getNextAvailable('class', { from: '2026-03-27', seats: 2 })
    await client.placeHold({ resourceId: 'r', start: '2026-03-27T09:00:00Z', seats: 2 })
    const urls = fetch.mock.calls.map(([url]) => String(url))
    expect(urls.slice(0, 4)).toEqual([
      'https://book.example.com/v1/resources/class/availability?from=2026-03-27&to=2026-03-27&format=compact',
      'https://book.example.com/v1/resources/class/availability?from=2026-03-27&to=2026-03-27&seats=3&format=compact',
      'https://book.example.com/v1/resources/class/next-available?from=2026-03-27',
      'https://book.example.com/v1/resources/class/next-available?from=2026-03-27&seats=2',
    ])
    const init = fetch.mock.calls[4] as unknown as [string, RequestInit]
    expect(JSON.parse(String(init[1].body))).toEqual({ resourceId: 'r', start: '2026-03-27T09:00:00Z', seats: 2 })
  })

  it('passes an API error through with its code, message, details and status', async () => {
    stubFetch(() =>
      json(400, {
        error: { code: 'invalid_request', message: 'The availability query is not valid.', details: [{ path: 'to' }] },
      }),
    )
    const result = await createClient({ apiUrl: 'https://book.example.com' }).getAvailability('meeting-room', {
      from: '2026-03-27',
      to: '2026-09-27',
    })
    expect(result).toEqual({
      error: {
        code: 'invalid_request',
        message: 'The availability query is not valid.',
        details: [{ path: 'to' }],
        status: 400,
      },
    })
  })

  it('reports an unknown resource as not_found', async () => {
    stubFetch(() => json(404, { error: { code: 'not_found', message: 'No bookable resource "nope".' } }))
    const result = await createClient({ apiUrl: 'https://book.example.com' }).getResource('nope')
    expect(result.error).toEqual({ code: 'not_found', message: 'No bookable resource "nope".', status: 404 })
    expect(result.data).toBeUndefined()
  })

  it('resolves to network_error when the request cannot be made', async () => {
    stubFetch(() => Promise.reject(new TypeError('fetch failed')))
    const result = await createClient({ apiUrl: 'https://book.example.com' }).getResource('meeting-room')
    expect(result.error?.code).toBe('network_error')
    expect(result.error?.message).toMatch(/could not reach/i)
  })

  it('resolves to invalid_response for a proxy error page', async () => {
    stubFetch(() => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }))
    const result = await createClient({ apiUrl: 'https://book.example.com' }).getResource('meeting-room')
    expect(result.error).toMatchObject({ code: 'invalid_response', status: 502 })
  })

  it('resolves to invalid_response when a 200 body has the wrong shape', async () => {
    stubFetch(() => json(200, { resources: [] }))
    const result = await createClient({ apiUrl: 'https://book.example.com' }).getAvailability('meeting-room', {
      from: '2026-03-27',
      to: '2026-03-27',
    })
    expect(result.error).toMatchObject({ code: 'invalid_response', status: 200 })
  })

  it('throws at once when apiUrl is missing', () => {
    expect(() => createClient({ apiUrl: '' })).toThrow(
      'createClient: expected options.apiUrl to be a URL string, received ""',
    )
    expect(() => createClient({} as { apiUrl: string })).toThrow('received undefined')
  })

  it('throws at once for an empty resource id', () => {
    expect(() => createClient({ apiUrl: 'https://book.example.com' }).getResource('')).toThrow(TypeError)
  })

  describe('pools', () => {
    const pool: PublicPool = {
      id: 'p-1',
      slug: 'physios',
      type: 'physio',
      name: 'Physiotherapy',
      timezone: 'Europe/Berlin',
      memberChoice: false,
      resource,
    }

    it('returns the pool out of its envelope', async () => {
      const fetch = stubFetch(() => json(200, { pool }))
      const result = await createClient({ apiUrl: 'https://book.example.com' }).getPool('physios')
      expect(result).toEqual({ data: pool })
      expect(fetch).toHaveBeenCalledWith('https://book.example.com/v1/pools/physios', expect.anything())
    })

    it('asks the pool’s compact availability with party and member, and puts each slot’s free members back', async () => {
      const fetch = stubFetch(() =>
        json(200, {
          format: 'compact',
          pool,
          timezone: 'UTC',
          days: [{ date: '2026-12-01', length: 30, starts: [540, 600], seatsLeft: [4, 2], membersFree: [3, 1] }],
        }),
      )
      const result = await createClient({ apiUrl: 'https://book.example.com' }).getPoolAvailability('physios', {
        from: '2026-12-01',
        to: '2026-12-01',
        tz: 'UTC',
        partySize: 5,
        member: 'r-3',
      })
      const url = new URL(String(fetch.mock.calls[0]![0]))
      expect(url.pathname).toBe('/v1/pools/physios/availability')
      expect(Object.fromEntries(url.searchParams)).toEqual({
        from: '2026-12-01',
        to: '2026-12-01',
        tz: 'UTC',
        partySize: '5',
        member: 'r-3',
        format: 'compact',
      })
      expect(result.data?.pool).toEqual(pool)
      expect(result.data?.days[0]!.slots).toEqual([
        { start: '2026-12-01T09:00:00.000Z', end: '2026-12-01T09:30:00.000Z', seatsLeft: 4, membersFree: 3 },
        { start: '2026-12-01T10:00:00.000Z', end: '2026-12-01T10:30:00.000Z', seatsLeft: 2, membersFree: 1 },
      ])
    })

    it('asks the pool’s next-available search with party and member, and unwraps the answer', async () => {
      const first = { date: '2026-12-03', start: '2026-12-03T09:00:00.000Z', end: '2026-12-03T09:30:00.000Z' }
      const fetch = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => json(200, { nextAvailable: first }))
      vi.stubGlobal('fetch', fetch)
      const client = createClient({ apiUrl: 'https://book.example.com', sessionId: 's_1' })
      const result = await client.getPoolNextAvailable('physios', {
        from: '2026-12-01',
        tz: 'UTC',
        seats: 1,
        partySize: 5,
        member: 'r-3',
      })
      expect(result).toEqual({ data: first })
      const [url, init] = fetch.mock.calls[0]!
      expect(String(url)).toBe(
        'https://book.example.com/v1/pools/physios/next-available?from=2026-12-01&tz=UTC&partySize=5&member=r-3',
      )
      expect((init?.headers as Record<string, string>)['X-Booking-Session']).toBe('s_1')
    })

    it('holds through the pool with the session header and passes a refusal through', async () => {
      const hold = {
        id: 'h1',
        resourceId: 'r-4',
        poolId: 'p-1',
        partySize: 5,
        start: '2026-12-01T09:00:00.000Z',
        end: '2026-12-01T09:30:00.000Z',
        expiresAt: '2026-12-01T08:10:00.000Z',
      }
      const fetch = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => json(201, { hold }))
      vi.stubGlobal('fetch', fetch)
      const client = createClient({ apiUrl: 'https://book.example.com', sessionId: 's_1' })
      const result = await client.placePoolHold('physios', { start: hold.start, partySize: 5 })
      expect(result).toEqual({ data: hold })
      const [url, init] = fetch.mock.calls[0]!
      expect(String(url)).toBe('https://book.example.com/v1/pools/physios/holds')
      expect(JSON.parse(String(init?.body))).toEqual({ start: hold.start, partySize: 5 })
      expect((init?.headers as Record<string, string>)['X-Booking-Session']).toBe('s_1')

      fetch.mockResolvedValueOnce(json(409, { error: { code: 'slot_held', message: 'Everyone is being booked.' } }))
      expect((await client.placePoolHold('physios', { start: hold.start })).error).toMatchObject({
        code: 'slot_held',
        status: 409,
      })
    })

    it('throws at once for an empty pool id', () => {
      expect(() => createClient({ apiUrl: 'https://book.example.com' }).getPool('')).toThrow(
        'expected a pool id or slug, received ""',
      )
    })
  })
})
