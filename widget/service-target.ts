/*
 * A service (a massage with a therapist and a room) as a booking target: where its first
 * month is asked for. Kept free of Preact and the client, like first-view.ts, because the
 * loader (widget.js) starts that request too.
 */
import { availabilityUrl, type AvailabilityQuery } from './first-view'

/**
 * `GET /v1/services/:idOrSlug/availability` in the compact form, with the query written as
 * for a pool, so the loader's early request and the widget's own are the same URL.
 */
export function serviceAvailabilityUrl(apiUrl: string, idOrSlug: string, query: AvailabilityQuery): string {
  const path = availabilityUrl('', idOrSlug, query, 'pools').replace(/^\/v1\/pools\//, '/v1/services/')
  return `${apiUrl.replace(/\/+$/, '')}${path}`
}
