import type {
  AdminBookingBody,
  AdminCancelBody,
  AdminPoolCreateBody,
  AdminPoolMembersBody,
  AdminPoolUpdateBody,
  AdminRescheduleBody,
  AdminResourceCreateBody,
  AdminResourceUpdateBody,
  AdminScheduleBody,
  AdminServiceCreateBody,
  AdminServiceUpdateBody,
} from '../shared/admin-contract'
import type {
  AdminBookingResponse,
  AdminBookingsPage,
  AdminBusySourceCreate,
  AdminBusySourceResponse,
  AdminBusySourcesResponse,
  AdminBusySourceUpdate,
  AdminCalendarFeedResponse,
  AdminNotificationsResponse,
  AdminPoolResponse,
  AdminPoolsResponse,
  AdminResourceResponse,
  AdminResourcesResponse,
  AdminSchedulesResponse,
  AdminServiceResponse,
  AdminServicesResponse,
  AdminWaitlistEntry,
  AdminWaitlistResponse,
  CancelledSeries,
  CreatedBooking,
  CreatedSeries,
  MovedSeries,
} from '../shared/api-contract'
import type {
  AdminWebhookDeliveriesResponse,
  AdminWebhookDeliveryResponse,
  AdminWebhookEndpointResponse,
  AdminWebhookEndpointsResponse,
} from '../shared/api-contract'
import type { OwnerTransition } from '../shared/booking-status'
import type { WebhookEndpointCreateBody, WebhookEndpointUpdateBody } from '../shared/webhook-schemas'
import type { ErrorBody } from '../shared/errors'

/** The owner API with the key the owner signed in with (kept in sessionStorage only). */
export interface AdminApi {
  call<T>(method: string, path: string, body?: unknown): Promise<T>
}

export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }
}

export function createAdminApi(key: string, base = ''): AdminApi {
  return {
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      let response: Response
      try {
        response = await fetch(`${base}/v1/admin${path}`, {
          method,
          headers: {
            Authorization: `Bearer ${key}`,
            ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        })
      } catch {
        throw new AdminApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.')
      }
      if (response.status === 204) return undefined as T
      // A download (the bookings CSV) comes back as the file itself, for an object URL.
      if (response.ok && /^attachment/i.test(response.headers.get('content-disposition') ?? ''))
        return (await response.blob()) as T
      const json = (await response.json().catch(() => undefined)) as (T & Partial<ErrorBody>) | undefined
      if (!response.ok) {
        const error = json?.error
        throw new AdminApiError(
          response.status,
          error?.code ?? 'invalid_response',
          error?.message ?? `HTTP ${response.status}`,
          error?.details,
        )
      }
      return json as T
    },
  }
}

/** "path: message" lines of a validation error, for showing beside the form. */
export function describeProblem(error: unknown): string {
  if (!(error instanceof AdminApiError)) return String(error)
  const details = Array.isArray(error.details) ? (error.details as { path: string; message: string }[]) : []
  return [error.message, ...details.map((d) => `${d.path}: ${d.message}`)].join('\n')
}

/**
 * The owner API's routes as typed calls: each takes the body its route's schema accepts and
 * answers the shape the route promises (both from shared/api-contract.ts, types only, so no
 * zod reaches the console). Paths are the API's, under /v1/admin.
 */
export function ownerRoutes(api: AdminApi) {
  return {
    listResources: () => api.call<AdminResourcesResponse>('GET', '/resources'),
    createResource: (body: AdminResourceCreateBody) => api.call<AdminResourceResponse>('POST', '/resources', body),
    updateResource: (id: string, body: AdminResourceUpdateBody) =>
      api.call<AdminResourceResponse>('PATCH', `/resources/${id}`, body),
    getSchedules: (resourceId: string) => api.call<AdminSchedulesResponse>('GET', `/resources/${resourceId}/schedules`),
    replaceSchedules: (resourceId: string, body: AdminScheduleBody) =>
      api.call<AdminSchedulesResponse>('PUT', `/resources/${resourceId}/schedules`, body),
    /** `query` is the query string of bookingsQuery (console/bookings-model.ts). */
    listBookings: (query: string) => api.call<AdminBookingsPage>('GET', `/bookings?${query}`),
    /** The same filters as listBookings (its limit and cursor are ignored): the whole CSV as a Blob. */
    exportBookings: (query: string) => api.call<Blob>('GET', `/bookings.csv?${query}`),
    getFeed: (resourceId: string) => api.call<AdminCalendarFeedResponse>('GET', `/resources/${resourceId}/feed`),
    /** Makes the feed's address, or a new one: the old address stops working at once. */
    rotateFeed: (resourceId: string) => api.call<AdminCalendarFeedResponse>('POST', `/resources/${resourceId}/feed`),
    turnOffFeed: (resourceId: string) => api.call<AdminCalendarFeedResponse>('DELETE', `/resources/${resourceId}/feed`),
    listBusySources: (resourceId: string) =>
      api.call<AdminBusySourcesResponse>('GET', `/resources/${resourceId}/busy-sources`),
    /** Fetched once at once: a failed first read still adds it, with the reason in `lastError`. */
    addBusySource: (resourceId: string, body: AdminBusySourceCreate) =>
      api.call<AdminBusySourceResponse>('POST', `/resources/${resourceId}/busy-sources`, body),
    updateBusySource: (id: string, body: AdminBusySourceUpdate) =>
      api.call<AdminBusySourceResponse>('PATCH', `/busy-sources/${id}`, body),
    refreshBusySource: (id: string) => api.call<AdminBusySourceResponse>('POST', `/busy-sources/${id}/refresh`),
    /** Its busy times go with it. */
    removeBusySource: (id: string) => api.call<undefined>('DELETE', `/busy-sources/${id}`),
    /** A transition without a body (cancel has its own call, which may carry one). */
    transition: (bookingId: string, transition: Exclude<OwnerTransition, 'cancel'>) =>
      api.call<AdminBookingResponse>('POST', `/bookings/${bookingId}/${transition}`),
    cancelBooking: (bookingId: string, body: AdminCancelBody) =>
      api.call<AdminBookingResponse>('POST', `/bookings/${bookingId}/cancel`, body),
    notifications: (bookingId: string) =>
      api.call<AdminNotificationsResponse>('GET', `/notifications?bookingId=${encodeURIComponent(bookingId)}`),
    listPools: () => api.call<AdminPoolsResponse>('GET', '/pools'),
    getPool: (id: string) => api.call<AdminPoolResponse>('GET', `/pools/${id}`),
    createPool: (body: AdminPoolCreateBody) => api.call<AdminPoolResponse>('POST', '/pools', body),
    updatePool: (id: string, body: AdminPoolUpdateBody) => api.call<AdminPoolResponse>('PATCH', `/pools/${id}`, body),
    /** A pool is never deleted (its bookings point at it): DELETE deactivates it. */
    deactivatePool: (id: string) => api.call<AdminPoolResponse>('DELETE', `/pools/${id}`),
    /** The whole list, in order: each member's position is its index. */
    replacePoolMembers: (id: string, body: AdminPoolMembersBody) =>
      api.call<AdminPoolResponse>('PUT', `/pools/${id}/members`, body),
    listServices: () => api.call<AdminServicesResponse>('GET', '/services'),
    createService: (body: AdminServiceCreateBody) => api.call<AdminServiceResponse>('POST', '/services', body),
    /** `parts`, when sent, replaces the whole list (each part's position is its index). */
    updateService: (id: string, body: AdminServiceUpdateBody) =>
      api.call<AdminServiceResponse>('PATCH', `/services/${id}`, body),
    /** A service is never deleted (its bookings point at it): DELETE deactivates it. */
    deactivateService: (id: string) => api.call<AdminServiceResponse>('DELETE', `/services/${id}`),
    listWebhooks: () => api.call<AdminWebhookEndpointsResponse>('GET', '/webhooks'),
    /** With its signing secret. */
    getWebhook: (id: string) => api.call<AdminWebhookEndpointResponse>('GET', `/webhooks/${id}`),
    createWebhook: (body: WebhookEndpointCreateBody) =>
      api.call<AdminWebhookEndpointResponse>('POST', '/webhooks', body),
    updateWebhook: (id: string, body: WebhookEndpointUpdateBody) =>
      api.call<AdminWebhookEndpointResponse>('PATCH', `/webhooks/${id}`, body),
    deleteWebhook: (id: string) => api.call<AdminWebhookEndpointResponse>('DELETE', `/webhooks/${id}`),
    /** A new secret at once: the old one stops verifying. */
    rotateWebhookSecret: (id: string) =>
      api.call<AdminWebhookEndpointResponse>('POST', `/webhooks/${id}/rotate-secret`),
    webhookDeliveries: (id: string) => api.call<AdminWebhookDeliveriesResponse>('GET', `/webhooks/${id}/deliveries`),
    resendWebhookDelivery: (id: string, deliveryId: string) =>
      api.call<AdminWebhookDeliveryResponse>('POST', `/webhooks/${id}/deliveries/${deliveryId}/resend`),
    testWebhook: (id: string) => api.call<AdminWebhookDeliveryResponse>('POST', `/webhooks/${id}/test`),
    /** Entries whose windows touch the resource's local dates `from`–`to`, in queue order. */
    listWaitlist: (query: { resourceId: string; from: string; to: string; status: 'waiting' | 'all' }) =>
      api.call<AdminWaitlistResponse>('GET', `/waitlist?${new URLSearchParams(query).toString()}`),
    /** Its open offer, if any, passes to the next waiter. */
    removeWaitlistEntry: (id: string) =>
      api.call<{ entry: AdminWaitlistEntry }>('POST', `/waitlist/${encodeURIComponent(id)}/remove`),
    /** Every future date of the series, each refunded by its policy unless `refundPercent` says. */
    cancelSeries: (seriesId: string, body: AdminCancelBody = {}) =>
      api.call<CancelledSeries>('POST', `/series/${encodeURIComponent(seriesId)}/cancel`, body),
    /** To a future time (`end` omitted keeps its length), outside the schedule if need be, never onto another booking. */
    rescheduleBooking: (bookingId: string, body: AdminRescheduleBody) =>
      api.call<AdminBookingResponse>('POST', `/bookings/${encodeURIComponent(bookingId)}/reschedule`, body),
    /** `start` is the new time of the series' next date; every later one follows by the same local shift, all or none. */
    rescheduleSeries: (seriesId: string, body: AdminRescheduleBody) =>
      api.call<MovedSeries>('POST', `/series/${encodeURIComponent(seriesId)}/reschedule`, body),
    /** The owner books for a guest, confirmed at once: a series (`series` in the answer) when `repeat` is given. */
    createBooking: (body: AdminBookingBody) => api.call<CreatedBooking | CreatedSeries>('POST', '/bookings', body),
  }
}
