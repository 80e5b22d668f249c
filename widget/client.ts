import type { ErrorCode } from '../shared/errors'
import type { AvailabilityResponse, PublicResource } from '../shared/types'

/** API error codes, plus the two failures that never reach the API's error mapping. */
export type ClientErrorCode = ErrorCode | 'network_error' | 'invalid_response'

export interface ClientError {
  code: ClientErrorCode
  message: string
  /** HTTP status, when a response arrived. */
  status?: number
  details?: unknown
}

/** Expected failures come back as values, never as rejections. */
export type ClientResult<T> = { data: T; error?: undefined } | { data?: undefined; error: ClientError }

export interface ClientOptions {
  /** Origin (or base URL) of the booking API, e.g. `https://book.example.com`. */
  apiUrl: string
}

export interface AvailabilityQuery {
  /** First day, `YYYY-MM-DD`, inclusive. */
  from: string
  /** Last day, `YYYY-MM-DD`, inclusive; at most 62 days after `from`. */
  to: string
  /** IANA zone the days are cut in; the resource's zone when omitted. */
  tz?: string
  /** Minutes, for resources that offer several `durations`. */
  duration?: number
}

export interface BookingClient {
  getResource(idOrSlug: string): Promise<ClientResult<PublicResource>>
  getAvailability(idOrSlug: string, query: AvailabilityQuery): Promise<ClientResult<AvailabilityResponse>>
}

/**
 * A client for the public booking API. Every call resolves to `{data}` or `{error}` and
 * never rejects; misuse (no apiUrl, an empty id) throws at once.
 *
 * @example
 * const client = createClient({ apiUrl: 'https://book.example.com' })
 * const { data, error } = await client.getAvailability('yoga-room', {
 *   from: '2026-03-27', to: '2026-04-02', tz: 'Europe/London',
 * })
 * if (error) console.warn(error.code, error.message)
 * else for (const day of data.days) console.log(day.date, day.slots.length)
 */
export function createClient(options: ClientOptions): BookingClient {
  const apiUrl: unknown = options?.apiUrl
  if (typeof apiUrl !== 'string' || apiUrl === '') {
    throw new TypeError(`createClient: expected options.apiUrl to be a URL string, received ${describeValue(apiUrl)}`)
  }
  const base = apiUrl.replace(/\/+$/, '')
  const resourcePath = (idOrSlug: string) => {
    if (typeof idOrSlug !== 'string' || idOrSlug === '') {
      throw new TypeError(`expected a resource id or slug, received ${describeValue(idOrSlug)}`)
    }
    return `${base}/v1/resources/${encodeURIComponent(idOrSlug)}`
  }

  return {
    getResource: (idOrSlug) =>
      request(resourcePath(idOrSlug), (body) =>
        isRecord(body) && isRecord(body.resource) ? (body.resource as unknown as PublicResource) : undefined,
      ),

    getAvailability: (idOrSlug, query) => {
      const params = new URLSearchParams({ from: query.from, to: query.to })
      if (query.tz) params.set('tz', query.tz)
      if (query.duration !== undefined) params.set('duration', String(query.duration))
      return request(`${resourcePath(idOrSlug)}/availability?${params}`, (body) =>
        isRecord(body) && Array.isArray(body.days) ? (body as unknown as AvailabilityResponse) : undefined,
      )
    },
  }
}

/** GETs `url` and maps every outcome to a result; `pick` returns undefined for a body of the wrong shape. */
async function request<T>(url: string, pick: (body: unknown) => T | undefined): Promise<ClientResult<T>> {
  let response: Response
  try {
    // Only safelisted headers, so a cross-origin embed needs no CORS preflight.
    response = await fetch(url, { headers: { accept: 'application/json' } })
  } catch {
    return { error: { code: 'network_error', message: 'Could not reach the booking service. Check your connection and try again.' } }
  }
  const status = response.status
  let body: unknown
  try {
    body = await response.json()
  } catch {
    body = undefined
  }
  if (response.ok) {
    const data = pick(body)
    if (data !== undefined) return { data }
  } else if (isRecord(body) && isRecord(body.error) && typeof body.error.code === 'string' && typeof body.error.message === 'string') {
    const { code, message, details } = body.error
    const error: ClientError = { code: code as ErrorCode, message, status }
    if (details !== undefined) error.details = details
    return { error }
  }
  return { error: { code: 'invalid_response', message: `The booking service sent an unexpected response (HTTP ${status}).`, status } }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

/** For "expected X, received Y" messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (value === null) return 'null'
  if (typeof value === 'object') return value.constructor?.name ?? 'object'
  return typeof value
}
