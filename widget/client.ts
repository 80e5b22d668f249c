import { decodeAvailability, isCompactAvailability } from '../shared/compact-availability'
import type { ErrorCode } from '../shared/errors'
import type { IntakeAnswers } from '../shared/resource-config'
import type {
  BookingRequestBody,
  BookingResponse,
  CancelRequestBody,
  CancelledSeries,
  CreatedBooking,
  CreatedSeries,
  HoldRequestBody,
  MovedSeries,
  HoldResponse,
  PaymentDue,
  PoolHoldRequestBody,
  PoolResponse,
  RescheduleRequestBody,
  ResourceResponse,
  SeriesAvailability,
  SeriesBookingRequest,
  SeriesResponse,
  SeriesRescheduleRequest,
  ServiceHoldRequestBody,
  ServiceResponse,
  JoinedWaitlist,
  WaitlistClaimRequestBody,
  WaitlistEntryResponse,
  WaitlistJoinRequestBody,
} from '../shared/api-contract'
import type {
  AvailabilityResponse,
  NextAvailable,
  NextAvailableResponse,
  PoolAvailabilityResponse,
  PublicBooking,
  PublicHold,
  PublicPool,
  PublicResource,
  PublicService,
  ServiceAvailabilityResponse,
  SpansResponse,
} from '../shared/types'
import { availabilityUrl, type AvailabilityQuery, type PoolAvailabilityQuery } from './first-view'
import { takePrefetched } from './prefetch'
import { serviceAvailabilityUrl } from './service-target'

export type { AvailabilityQuery, PoolAvailabilityQuery } from './first-view'
// The API's answers, defined once beside the routes' schemas; the SDK exports them by these names.
export type { CreatedBooking, NextAvailable, PaymentDue }
export type {
  CancelledSeries,
  CreatedSeries,
  MovedSeries,
  SeriesAvailability,
  SeriesBookingRequest,
  SeriesRescheduleRequest,
}
export type { JoinedWaitlist, WaitlistClaimRequestBody, WaitlistEntryResponse, WaitlistJoinRequestBody }

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
  /** The browser session holds belong to; a random one is made when omitted. */
  sessionId?: string
}

export interface GuestDetails {
  name: string
  email: string
  phone?: string
}

export interface BookingInput {
  holdId: string
  guest: GuestDetails
  notes?: string
  /** Answers to the resource's intake questions, by question id (choice questions: the choice ids). */
  answers?: IntakeAnswers
  /** Language of the guest's messages and manage page (a BCP 47 tag such as `de-AT`). */
  locale?: string
  /** IANA zone the guest saw the times in; messages state times in it. */
  timezone?: string
}

/** `GET …/spans`: days `YYYY-MM-DD` cut in `timezone`; with `start` (a pickup), the returns for it. */
export interface SpansQuery {
  from: string
  to: string
  timezone: string
  start?: string
}

export interface BookingClient {
  /** The `X-Booking-Session` this client's holds belong to. */
  readonly sessionId: string
  getResource(idOrSlug: string): Promise<ClientResult<PublicResource>>
  /** Fetched in the compact form (`format=compact`) and expanded: the same answer as the default form. */
  getAvailability(idOrSlug: string, query: AvailabilityQuery): Promise<ClientResult<AvailabilityResponse>>
  /** The first free time on or after `from` within the booking horizon; `null` when there is none. */
  getNextAvailable(
    idOrSlug: string,
    query: { from: string; tz?: string; duration?: number; seats?: number },
  ): Promise<ClientResult<NextAvailable | null>>
  /**
   * Keeps a slot for this session while the guest types; `end` omitted = the slot starting at `start`;
   * `seats`: places to hold, for a resource with capacity above 1 (default 1).
   */
  placeHold(input: {
    resourceId: string
    start: string
    end?: string
    seats?: number
  }): Promise<ClientResult<PublicHold>>
  releaseHold(holdId: string): Promise<ClientResult<true>>
  /** A span resource's pickup times per day, or (with `start`) the return times for that pickup and the latest return. */
  getSpans(idOrSlug: string, query: SpansQuery): Promise<ClientResult<SpansResponse>>
  /** A pool ("any physio", a dining room of tables): its name, what a booking costs and lasts, its members when guests may choose. */
  getPool(idOrSlug: string): Promise<ClientResult<PublicPool>>
  /** The union of the pool's members' free times (each slot with `membersFree`); compact on the wire, expanded. */
  getPoolAvailability(idOrSlug: string, query: PoolAvailabilityQuery): Promise<ClientResult<PoolAvailabilityResponse>>
  /** The first time any eligible member is free on or after `from`, within the horizon; `null` when there is none. */
  getPoolNextAvailable(
    idOrSlug: string,
    query: { from: string; tz?: string; duration?: number; seats?: number; partySize?: number; member?: string },
  ): Promise<ClientResult<NextAvailable | null>>
  /** Holds a time through the pool: the server picks the member (or takes `memberId`); the hold's `resourceId` is that member. */
  placePoolHold(idOrSlug: string, input: PoolHoldRequestBody): Promise<ClientResult<PublicHold>>
  /** A service (a therapist and a room at once): its name, its parts, and its lead part's resource (price, lengths). */
  getService(idOrSlug: string): Promise<ClientResult<PublicService>>
  /** The lead's times at which every part of the service is free; compact on the wire, expanded. */
  getServiceAvailability(idOrSlug: string, query: AvailabilityQuery): Promise<ClientResult<ServiceAvailabilityResponse>>
  /** The first time every part of the service is free on or after `from`, within the horizon; `null` when there is none. */
  getServiceNextAvailable(
    idOrSlug: string,
    query: { from: string; tz?: string; duration?: number },
  ): Promise<ClientResult<NextAvailable | null>>
  /**
   * Holds every part of the service at once; answers the lead hold, its `parts` naming what each
   * further part took. `parts` keeps resources a booking already has (a move keeps its room).
   */
  placeServiceHold(idOrSlug: string, input: ServiceHoldRequestBody): Promise<ClientResult<PublicHold>>
  /** Same `idempotencyKey` + same input → the same booking, however often it is sent. */
  createBooking(input: BookingInput, options?: { idempotencyKey?: string }): Promise<ClientResult<CreatedBooking>>
  /** The booking's calendar file (needs the manage token). */
  getCalendarFile(ref: string, manageToken: string): Promise<ClientResult<Blob>>
  /** The booking behind a manage link; a wrong token answers `not_found`, like an unknown ref. */
  getBooking(ref: string, manageToken: string): Promise<ClientResult<PublicBooking>>
  /** Cancels as the guest, under the resource's cancellation policy. */
  cancelBooking(ref: string, manageToken: string, reason?: string): Promise<ClientResult<PublicBooking>>
  /** Moves the booking to a time this client holds on the same resource. */
  rescheduleBooking(ref: string, manageToken: string, holdId: string): Promise<ClientResult<PublicBooking>>
}

/** Recurring bookings (series): what `createClient` offers besides `BookingClient`. */
export interface SeriesClient {
  /**
   * Whether each date of a series is free (every one checked), before holding its first.
   *
   * @example
   * const { data } = await client.getSeriesAvailability('yoga-room', {
   *   start: '2026-04-06T08:00:00Z', end: '2026-04-06T09:00:00Z', everyWeeks: 1, occurrences: 12,
   * })
   * const taken = data?.occurrences.filter((o) => !o.free).length // "2 of 12 dates are taken"
   */
  getSeriesAvailability(idOrSlug: string, query: SeriesAvailabilityQuery): Promise<ClientResult<SeriesAvailability>>
  /**
   * Books the held time repeated every N weeks; `mode` says what a taken date does (see
   * `SeriesBookingRequest`). One manage token opens the series and each of its bookings.
   *
   * @example
   * const { data, error } = await client.bookSeries({
   *   holdId: hold.id, guest, repeat: { everyWeeks: 1, occurrences: 12 }, mode: 'skip_conflicts',
   * })
   * if (error?.code === 'slot_taken') console.log(error.details) // {conflicts: [{date, …}]}
   */
  bookSeries(input: SeriesBookingRequest, options?: { idempotencyKey?: string }): Promise<ClientResult<CreatedSeries>>
  /** The series behind a manage link, with all its dates. */
  getSeries(ref: string, manageToken: string): Promise<ClientResult<SeriesResponse['series']>>
  /**
   * Every date of the series still booked, one event each, in a single calendar file (needs
   * the manage token). Google Calendar and Outlook links carry one event, so this is the way
   * to add them all at once.
   *
   * @example
   * const { data } = await client.getSeriesCalendarFile(ref, token)
   * if (data) link.href = URL.createObjectURL(data) // download="series-<ref>.ics"
   */
  getSeriesCalendarFile(ref: string, manageToken: string): Promise<ClientResult<Blob>>
  /** Cancels every future date of the series as the guest, each under its own policy. */
  cancelSeries(ref: string, manageToken: string, reason?: string): Promise<ClientResult<CancelledSeries>>
  /**
   * Moves every future date of the series as the guest: `start` is the next date's new time,
   * the later dates follow at the same local weekday shift and wall time. All or nothing.
   *
   * @example
   * const { data, error } = await client.rescheduleSeries(ref, token, { start: '2026-04-09T17:00:00Z' })
   * if (error?.code === 'slot_taken') console.log(error.details) // {conflicts: [{date, …}]}
   * else if (data) console.log(data.moved.length, 'dates moved')
   */
  rescheduleSeries(ref: string, manageToken: string, body: SeriesRescheduleRequest): Promise<ClientResult<MovedSeries>>
}

/** The waitlist: what `createClient` offers besides bookings and series. The entry's token opens it. */
export interface WaitlistClient {
  /**
   * Waits for a full time: one slot, a stretch of a day (`start`/`end`) or a whole local day
   * (`date`). When a matching time frees, the guest is offered it by email (and SMS).
   *
   * @example
   * const { data, error } = await client.joinWaitlist({
   *   resourceId: 'yoga-room', date: '2026-04-06', guest: { name: 'Ada', email: 'ada@example.com' },
   * })
   * if (error?.code === 'already_waiting') console.log('already on the list for that time')
   * else if (data) console.log(data.entry.position, data.token) // keep the token: it opens the entry
   */
  joinWaitlist(body: WaitlistJoinRequestBody): Promise<ClientResult<JoinedWaitlist>>
  /**
   * The entry behind a waitlist link: its window, status, place in line and any open offer.
   *
   * @example
   * const { data } = await client.getWaitlistEntry(ref, token)
   * if (data?.entry.offer) console.log('kept for you until', data.entry.offer.expiresAt)
   */
  getWaitlistEntry(ref: string, token: string): Promise<ClientResult<WaitlistEntryResponse>>
  /**
   * Books the offered time; answers like `createBooking` (with `payment` when the card is due).
   *
   * @example
   * const { data, error } = await client.claimWaitlistOffer(ref, token, { answers: { visit: 'first' } })
   * if (error?.code === 'offer_expired') console.log('the offer has ended')
   * else if (data) console.log('booked', data.booking.ref)
   */
  claimWaitlistOffer(ref: string, token: string, body?: WaitlistClaimRequestBody): Promise<ClientResult<CreatedBooking>>
  /**
   * Passes the open offer to the next waiter; the entry keeps waiting for other times.
   *
   * @example
   * await client.declineWaitlistOffer(ref, token)
   */
  declineWaitlistOffer(ref: string, token: string): Promise<ClientResult<WaitlistEntryResponse>>
  /**
   * Leaves the waitlist (status `left`); an open offer passes to the next waiter.
   *
   * @example
   * const { data } = await client.leaveWaitlist(ref, token)
   * console.log(data?.entry.status) // 'left'
   */
  leaveWaitlist(ref: string, token: string): Promise<ClientResult<WaitlistEntryResponse>>
}

/** `GET …/series-availability`: the first date (ISO instants) and how it repeats (`occurrences` or `until`). */
export interface SeriesAvailabilityQuery {
  start: string
  end: string
  everyWeeks: number
  occurrences?: number
  until?: string
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
export function createClient(options: ClientOptions): BookingClient & SeriesClient & WaitlistClient {
  const apiUrl: unknown = options?.apiUrl
  if (typeof apiUrl !== 'string' || apiUrl === '') {
    throw new TypeError(`createClient: expected options.apiUrl to be a URL string, received ${describeValue(apiUrl)}`)
  }
  const base = apiUrl.replace(/\/+$/, '')
  const sessionId = options.sessionId ?? randomId('s_')
  const resourcePath = (idOrSlug: string) => {
    if (typeof idOrSlug !== 'string' || idOrSlug === '') {
      throw new TypeError(`expected a resource id or slug, received ${describeValue(idOrSlug)}`)
    }
    return `${base}/v1/resources/${encodeURIComponent(idOrSlug)}`
  }
  const poolPath = (idOrSlug: string) => {
    if (typeof idOrSlug !== 'string' || idOrSlug === '') {
      throw new TypeError(`expected a pool id or slug, received ${describeValue(idOrSlug)}`)
    }
    return `${base}/v1/pools/${encodeURIComponent(idOrSlug)}`
  }
  const servicePath = (idOrSlug: string) => {
    if (typeof idOrSlug !== 'string' || idOrSlug === '') {
      throw new TypeError(`expected a service id or slug, received ${describeValue(idOrSlug)}`)
    }
    return `${base}/v1/services/${encodeURIComponent(idOrSlug)}`
  }
  const pickHold = (body: unknown) =>
    isRecord(body) && isRecord(body.hold) ? (body as unknown as HoldResponse).hold : undefined
  const session = { 'X-Booking-Session': sessionId }
  const bookingPath = (ref: string) => `${base}/v1/bookings/${encodeURIComponent(ref)}`
  const seriesPath = (ref: string) => `${base}/v1/series/${encodeURIComponent(ref)}`
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })
  const waitlistPath = (ref: string) => `${base}/v1/waitlist/${encodeURIComponent(ref)}`
  const pickEntry = (body: unknown) =>
    isRecord(body) && isRecord(body.entry) ? (body as unknown as WaitlistEntryResponse) : undefined
  const pickBooking = (body: unknown) =>
    isRecord(body) && isRecord(body.booking) ? (body as unknown as BookingResponse).booking : undefined
  const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...session, ...headers },
    body: JSON.stringify(body),
  })

  return {
    sessionId,
    getResource: (idOrSlug) =>
      request(resourcePath(idOrSlug), {}, (body) =>
        isRecord(body) && isRecord(body.resource) ? (body as unknown as ResourceResponse).resource : undefined,
      ),

    getAvailability: (idOrSlug, query) => {
      resourcePath(idOrSlug) // throws on an empty id, as every other call does
      // The session header lets the API show this session's own hold as its selection. A
      // new session holds nothing, so the loader's early answer (sent without it) is the same.
      const url = availabilityUrl(base, idOrSlug, query)
      return request(url, { headers: session }, pickAvailability, takePrefetched(url))
    },

    getNextAvailable: (idOrSlug, query) =>
      request(`${resourcePath(idOrSlug)}/next-available?${nextAvailableParams(query)}`, { headers: session }, pickNext),

    placeHold: (input) => request(`${base}/v1/holds`, post(input satisfies HoldRequestBody), pickHold),

    getSpans: (idOrSlug, query) => {
      const params = new URLSearchParams({ from: query.from, to: query.to, timezone: query.timezone })
      if (query.start) params.set('start', query.start)
      return request(`${resourcePath(idOrSlug)}/spans?${params}`, { headers: session }, (body) =>
        isRecord(body) && Array.isArray(body.days) ? (body as unknown as SpansResponse) : undefined,
      )
    },

    getPool: (idOrSlug) =>
      request(poolPath(idOrSlug), {}, (body) =>
        isRecord(body) && isRecord(body.pool) ? (body as unknown as PoolResponse).pool : undefined,
      ),

    getPoolAvailability: (idOrSlug, query) => {
      poolPath(idOrSlug)
      const url = availabilityUrl(base, idOrSlug, query, 'pools')
      return request(url, { headers: session }, pickPoolAvailability, takePrefetched(url))
    },

    getPoolNextAvailable: (idOrSlug, query) => {
      const params = nextAvailableParams(query)
      if (query.partySize !== undefined) params.set('partySize', String(query.partySize))
      if (query.member) params.set('member', query.member)
      return request(`${poolPath(idOrSlug)}/next-available?${params}`, { headers: session }, pickNext)
    },

    placePoolHold: (idOrSlug, input) =>
      request(`${poolPath(idOrSlug)}/holds`, post(input satisfies PoolHoldRequestBody), pickHold),

    getService: (idOrSlug) =>
      request(servicePath(idOrSlug), {}, (body) =>
        isRecord(body) && isRecord(body.service) ? (body as unknown as ServiceResponse).service : undefined,
      ),

    getServiceAvailability: (idOrSlug, query) => {
      servicePath(idOrSlug)
      const url = serviceAvailabilityUrl(base, idOrSlug, query)
      return request(url, { headers: session }, pickServiceAvailability, takePrefetched(url))
    },

    getServiceNextAvailable: (idOrSlug, query) =>
      request(`${servicePath(idOrSlug)}/next-available?${nextAvailableParams(query)}`, { headers: session }, pickNext),

    placeServiceHold: (idOrSlug, input) =>
      request(`${servicePath(idOrSlug)}/holds`, post(input satisfies ServiceHoldRequestBody), pickHold),

    releaseHold: (holdId) =>
      request(
        `${base}/v1/holds/${encodeURIComponent(holdId)}`,
        { method: 'DELETE', headers: session },
        () => true as const,
      ),

    createBooking: (input, opts = {}) =>
      request(
        `${base}/v1/bookings`,
        post(input satisfies BookingRequestBody, { 'Idempotency-Key': opts.idempotencyKey ?? randomId('idem_') }),
        (body) =>
          isRecord(body) && isRecord(body.booking) && typeof body.manageToken === 'string'
            ? (body as unknown as CreatedBooking)
            : undefined,
      ),

    getBooking: (ref, token) => request(bookingPath(ref), { headers: bearer(token) }, pickBooking),

    cancelBooking: (ref, token, reason) =>
      request(
        `${bookingPath(ref)}/cancel`,
        post((reason ? { reason } : {}) satisfies CancelRequestBody, bearer(token)),
        pickBooking,
      ),

    rescheduleBooking: (ref, token, holdId) =>
      request(
        `${bookingPath(ref)}/reschedule`,
        post({ holdId } satisfies RescheduleRequestBody, bearer(token)),
        pickBooking,
      ),

    getSeriesAvailability: (idOrSlug, query) => {
      const params = new URLSearchParams({ start: query.start, end: query.end, everyWeeks: String(query.everyWeeks) })
      if (query.occurrences !== undefined) params.set('occurrences', String(query.occurrences))
      if (query.until !== undefined) params.set('until', query.until)
      return request(`${resourcePath(idOrSlug)}/series-availability?${params}`, { headers: session }, (body) =>
        isRecord(body) && Array.isArray(body.occurrences) ? (body as unknown as SeriesAvailability) : undefined,
      )
    },

    // Keyed like a single booking: a retry after a lost answer gets the same series (and its payment).
    bookSeries: (input, opts = {}) =>
      request(
        `${base}/v1/bookings/series`,
        post(input, { 'Idempotency-Key': opts.idempotencyKey ?? randomId('idem_') }),
        (body) =>
          isRecord(body) && isRecord(body.series) && typeof body.manageToken === 'string'
            ? (body as unknown as CreatedSeries)
            : undefined,
      ),

    getSeries: (ref, token) =>
      request(seriesPath(ref), { headers: bearer(token) }, (body) =>
        isRecord(body) && isRecord(body.series) ? (body as unknown as SeriesResponse).series : undefined,
      ),

    getSeriesCalendarFile: async (ref, manageToken) => {
      try {
        const response = await fetch(`${seriesPath(ref)}/calendar.ics`, { headers: bearer(manageToken) })
        if (response.ok) return { data: await response.blob() }
        return { error: { code: 'not_found', message: 'The calendar file is not available.', status: response.status } }
      } catch {
        return { error: { code: 'network_error', message: NETWORK_MESSAGE } }
      }
    },

    cancelSeries: (ref, token, reason) =>
      request(
        `${seriesPath(ref)}/cancel`,
        post((reason ? { reason } : {}) satisfies CancelRequestBody, bearer(token)),
        (body) => (isRecord(body) && isRecord(body.series) ? (body as unknown as CancelledSeries) : undefined),
      ),

    rescheduleSeries: (ref, token, body) =>
      request(`${seriesPath(ref)}/reschedule`, post(body, bearer(token)), (answer) =>
        isRecord(answer) && isRecord(answer.series) && Array.isArray(answer.moved)
          ? (answer as unknown as MovedSeries)
          : undefined,
      ),

    // --- Waitlist: a guest's entry, opened with the token the join answered ---

    joinWaitlist: (body) =>
      request(`${base}/v1/waitlist`, post(body), (answer) =>
        isRecord(answer) && isRecord(answer.entry) && typeof answer.token === 'string'
          ? (answer as unknown as JoinedWaitlist)
          : undefined,
      ),

    getWaitlistEntry: (ref, token) => request(waitlistPath(ref), { headers: bearer(token) }, pickEntry),

    claimWaitlistOffer: (ref, token, body = {}) =>
      request(`${waitlistPath(ref)}/claim`, post(body, bearer(token)), (answer) =>
        isRecord(answer) && isRecord(answer.booking) && typeof answer.manageToken === 'string'
          ? (answer as unknown as CreatedBooking)
          : undefined,
      ),

    declineWaitlistOffer: (ref, token) => request(`${waitlistPath(ref)}/decline`, post({}, bearer(token)), pickEntry),

    leaveWaitlist: (ref, token) => request(`${waitlistPath(ref)}/leave`, post({}, bearer(token)), pickEntry),

    getCalendarFile: async (ref, manageToken) => {
      try {
        const response = await fetch(`${bookingPath(ref)}/calendar.ics`, { headers: bearer(manageToken) })
        if (response.ok) return { data: await response.blob() }
        return { error: { code: 'not_found', message: 'The calendar file is not available.', status: response.status } }
      } catch {
        return { error: { code: 'network_error', message: NETWORK_MESSAGE } }
      }
    },
  }
}

const NETWORK_MESSAGE = 'Could not reach the booking service. Check your connection and try again.'

/** 128 random bits, URL-safe, with a readable prefix. */
export function randomId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return prefix + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** Fetches `url` and maps every outcome to a result; `pick` returns undefined for a body of the wrong shape. */
async function request<T>(
  url: string,
  init: RequestInit,
  pick: (body: unknown) => T | undefined,
  early?: Promise<Response>,
): Promise<ClientResult<T>> {
  let response: Response
  try {
    const send = () =>
      fetch(url, { ...init, headers: { accept: 'application/json', ...(init.headers as Record<string, string>) } })
    // An early answer that failed is asked for again, as if it had never been started.
    response = early ? await early.catch(send) : await send()
  } catch {
    return { error: { code: 'network_error', message: NETWORK_MESSAGE } }
  }
  const status = response.status
  let body: unknown
  try {
    body = response.status === 204 ? undefined : await response.json()
  } catch {
    body = undefined
  }
  if (response.ok) {
    const data = pick(body)
    if (data !== undefined) return { data }
  } else if (
    isRecord(body) &&
    isRecord(body.error) &&
    typeof body.error.code === 'string' &&
    typeof body.error.message === 'string'
  ) {
    const { code, message, details } = body.error
    const error: ClientError = { code: code as ErrorCode, message, status }
    if (details !== undefined) error.details = details
    return { error }
  }
  return {
    error: {
      code: 'invalid_response',
      message: `The booking service sent an unexpected response (HTTP ${status}).`,
      status,
    },
  }
}

/** Compact availability expanded (a server that ignores `format` sends the usual shape, taken as it is). */
function pickAvailability(body: unknown): AvailabilityResponse | undefined {
  if (isCompactAvailability(body)) {
    try {
      return decodeAvailability(body)
    } catch {
      return undefined
    }
  }
  return isRecord(body) && Array.isArray(body.days) ? (body as unknown as AvailabilityResponse) : undefined
}

/** As pickAvailability, with each slot's free members put back from the compact day's `membersFree`. */
function nextAvailableParams(query: { from: string; tz?: string; duration?: number; seats?: number }) {
  const params = new URLSearchParams({ from: query.from })
  if (query.tz) params.set('tz', query.tz)
  if (query.duration !== undefined) params.set('duration', String(query.duration))
  if (query.seats !== undefined && query.seats > 1) params.set('seats', String(query.seats))
  return params
}

function pickNext(body: unknown): NextAvailable | null | undefined {
  return isRecord(body) && 'nextAvailable' in body
    ? (body as unknown as NextAvailableResponse).nextAvailable
    : undefined
}

function pickPoolAvailability(body: unknown): PoolAvailabilityResponse | undefined {
  if (!isRecord(body) || !isRecord(body.pool)) return undefined
  const answer = pickAvailability(body) as unknown as PoolAvailabilityResponse | undefined
  if (!answer || !isCompactAvailability(body)) return answer
  for (const [i, day] of answer.days.entries()) {
    const free = (body.days[i] as { membersFree?: unknown } | undefined)?.membersFree
    if (!Array.isArray(free)) continue
    for (const [j, slot] of day.slots.entries()) if (Number.isInteger(free[j])) slot.membersFree = free[j] as number
  }
  return answer
}

function pickServiceAvailability(body: unknown): ServiceAvailabilityResponse | undefined {
  if (!isRecord(body) || !isRecord(body.service)) return undefined
  return pickAvailability(body) as unknown as ServiceAvailabilityResponse | undefined
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
