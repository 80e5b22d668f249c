import { and, asc, eq, gt, inArray, isNull, lt, max, or, sql } from 'drizzle-orm'
import { bookableResources, bookings, type BookingRow, type ResourceRow } from '../../drizzle/schema'
import { OCCUPYING_STATUSES } from '../../shared/booking-status'
import { randomToken } from '../crypto'
import type { Database } from '../db/database'
import { getResource } from '../store/admin'

/**
 * The resource whose feed address carries `token`, or undefined (never made, turned off or
 * rotated away: all answer alike). The lookup goes through the unique index, so a wrong
 * token costs what any index miss costs and says nothing about the right one.
 */
export async function findResourceByFeedToken(db: Database, token: string): Promise<ResourceRow | undefined> {
  const [row] = await db.select().from(bookableResources).where(eq(bookableResources.feedToken, token))
  return row
}

/** Sets a new random feed token (the old address stops working in the same write), or none. */
export async function setFeedToken(db: Database, resourceId: string, on: boolean): Promise<ResourceRow> {
  await getResource(db, resourceId)
  const [row] = await db
    .update(bookableResources)
    .set({ feedToken: on ? randomToken(32) : null })
    .where(eq(bookableResources.id, resourceId))
    .returning()
  return row!
}

/**
 * What the feed shows: every booking that holds time on the resource in the window, lead
 * rows and the part rows of combined bookings alike. Completed and no-show bookings stay
 * (the owner's calendar keeps its history, as the resource does); cancelled ones and
 * pending ones whose payment window lapsed (they no longer hold the slot) do not.
 */
export async function loadFeedBookings(
  db: Database,
  resourceId: string,
  period: { from: Date; to: Date; now: Date },
): Promise<BookingRow[]> {
  return db
    .select()
    .from(bookings)
    .where(
      and(
        eq(bookings.resourceId, resourceId),
        gt(bookings.endsAt, period.from),
        lt(bookings.startsAt, period.to),
        sql`tstzrange(${bookings.startsAt}, ${bookings.endsAt}, '[)') && tstzrange(${period.from.toISOString()}::timestamptz, ${period.to.toISOString()}::timestamptz, '[)')`,
        inArray(bookings.status, [...OCCUPYING_STATUSES]),
        or(sql`${bookings.status} <> 'pending'`, isNull(bookings.expiresAt), gt(bookings.expiresAt, period.now)),
      ),
    )
    .orderBy(asc(bookings.startsAt), asc(bookings.id))
}

/**
 * The last change to any of the resource's bookings, cancelled ones included, so that a
 * cancellation (which drops an event) moves Last-Modified too. Undefined: never booked.
 */
export async function lastBookingChange(db: Database, resourceId: string): Promise<Date | undefined> {
  const [row] = await db
    .select({ at: max(bookings.updatedAt) })
    .from(bookings)
    .where(eq(bookings.resourceId, resourceId))
  return row?.at ?? undefined
}

/** The refs of the lead bookings the given part rows belong to (the ref the guest quotes). */
export async function leadRefs(db: Database, rows: readonly BookingRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.flatMap((row) => (row.partOf ? [row.partOf] : [])))]
  if (ids.length === 0) return new Map()
  const leads = await db.select({ id: bookings.id, ref: bookings.ref }).from(bookings).where(inArray(bookings.id, ids))
  return new Map(leads.map((lead) => [lead.id, lead.ref]))
}
