/*
 * The first request a mounted widget makes, written once so that the loader (widget.js) can
 * start it while the widget's own modules are still on their way, and the widget picks the
 * answer up instead of asking again. Kept free of Preact and the client: the loader carries it.
 */
import { monthOf, monthRange, todayIn } from '../shared/calendar-labels'

export interface AvailabilityQuery {
  /** First day, `YYYY-MM-DD`, inclusive. */
  from: string
  /** Last day, `YYYY-MM-DD`, inclusive; at most 62 days after `from`. */
  to: string
  /** IANA zone the days are cut in; the resource's zone when omitted. */
  tz?: string
  /** Minutes, for resources that offer several `durations`. */
  duration?: number
  /** Places wanted, for a resource with capacity above 1: only slots with that many free. Default 1. */
  seats?: number
}

/** A pool's availability takes the resource query plus the party and the member chosen. */
export interface PoolAvailabilityQuery extends AvailabilityQuery {
  /** Guests at the table, for a pool of tables: only tables that seat this many. */
  partySize?: number
  /** A member's id or slug: that member's free times only (when the pool lets guests choose). */
  member?: string
}

/** Where the client asks for availability: always the compact form, expanded by the client. */
export function availabilityUrl(
  apiUrl: string,
  idOrSlug: string,
  query: PoolAvailabilityQuery,
  kind: 'resources' | 'pools' = 'resources',
): string {
  const params = new URLSearchParams({ from: query.from, to: query.to })
  if (query.tz) params.set('tz', query.tz)
  if (query.duration !== undefined) params.set('duration', String(query.duration))
  // One place is the default: left out, so the loader's early request for the first month still matches.
  if (query.seats !== undefined && query.seats > 1) params.set('seats', String(query.seats))
  if (query.partySize !== undefined) params.set('partySize', String(query.partySize))
  if (query.member) params.set('member', query.member)
  // A fraction of the bytes of the ISO form.
  params.set('format', 'compact')
  return `${apiUrl.replace(/\/+$/, '')}/v1/${kind}/${encodeURIComponent(idOrSlug)}/availability?${params}`
}

/** The month a widget opens on: the rest of this month in `zone`, from today. */
export function firstMonthQuery(zone: string, now: Date): AvailabilityQuery {
  const today = todayIn(zone, now)
  return { ...monthRange(monthOf(today), today)!, tz: zone }
}

/** The zone a widget shows times in when the page sets none. */
export function viewerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}
