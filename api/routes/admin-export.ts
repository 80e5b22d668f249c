import { Hono } from 'hono'
import { adminBookingsQuerySchema } from '../../shared/schemas'
import type { AppEnv } from '../app-env'
import { describeError, invalidRequest } from '../errors'
import { bookingsCsvStream } from '../export/bookings-csv'
import { loadExportLookups } from '../export/export-lookups'
import { listBookings } from '../store/admin'

/** Rows read per query: big enough to be quick, small enough to keep memory flat. */
const EXPORT_PAGE_SIZE = 500

// The list's filters; its paging is the export's own business.
export const adminExportQuerySchema = adminBookingsQuerySchema.omit({ cursor: true, limit: true })

/**
 * Bookings as a spreadsheet, with the same filters as `GET /bookings`, streamed page by
 * page. Mounted on the owner API (admin key required).
 *
 * @example
 * GET /v1/admin/bookings.csv?status=confirmed,pending&from=2026-04-01  Authorization: Bearer bka_…
 * → 200 text/csv; Content-Disposition: attachment; filename="bookings-2026-03-20.csv"
 */
export const adminExportRoutes = new Hono<AppEnv>().get('/bookings.csv', async (c) => {
  const parsed = adminExportQuerySchema.safeParse(c.req.query())
  if (!parsed.success) throw invalidRequest(parsed.error)
  const q = parsed.data
  const { db, clock, logger } = c.var.deps
  // A bare date is the start of that UTC day, as in the list.
  const instant = (v: string | number | undefined) =>
    v === undefined ? undefined : typeof v === 'number' ? v : Date.parse(`${v}T00:00:00Z`)
  const filter = { resourceId: q.resourceId, from: instant(q.from), to: instant(q.to), status: q.status, q: q.q }
  // Names are read before answering, so a database that is down still gets a proper 500.
  const body = bookingsCsvStream(
    (cursor) => listBookings(db, { ...filter, cursor, limit: EXPORT_PAGE_SIZE }),
    await loadExportLookups(db),
    (error) => logger.error('bookings export failed', { requestId: c.get('requestId'), ...describeError(error) }),
  )
  const day = new Date(clock.now()).toISOString().slice(0, 10)
  return c.body(body, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="bookings-${day}.csv"`,
    // no-transform: on-the-fly compression would read the whole body first, undoing the stream.
    'Cache-Control': 'no-store, no-transform',
  })
})
