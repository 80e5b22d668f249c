import { and, asc, eq, gt, ilike, inArray, lt, or, sql } from 'drizzle-orm'
import {
  bookableResources,
  bookings,
  notifications,
  resourceSchedules,
  type BookingRow,
  type ResourceRow,
} from '../../drizzle/schema'
import { BookingError } from '../../shared/errors'
import { EARLIEST_INSTANT_MS, INSTANT_LIMIT_MS } from '../../shared/schemas'
import type { AdminResource, ScheduleRule } from '../../shared/types'

export type { AdminResource }
import type { Database } from '../db/database'
import { UNIQUE_VIOLATION, sqlState } from '../db/sql-state'
import { loadScheduleRules, toResource } from './resources'

/** The owner's view: the same parsed resource the API uses, plus when it was created. */
export function toAdminResource(row: ResourceRow): AdminResource {
  return { ...toResource(row), createdAt: row.createdAt.toISOString() }
}

export async function listResources(db: Database): Promise<ResourceRow[]> {
  return db.select().from(bookableResources).orderBy(asc(bookableResources.name), asc(bookableResources.id))
}

export async function getResource(db: Database, id: string): Promise<ResourceRow> {
  const [row] = isUuid(id) ? await db.select().from(bookableResources).where(eq(bookableResources.id, id)) : []
  if (!row) throw new BookingError('not_found', 'No such resource.')
  return row
}

export async function createResource(
  db: Database,
  input: Pick<ResourceRow, 'slug' | 'type' | 'name' | 'timezone' | 'config'>,
): Promise<ResourceRow> {
  try {
    const [row] = await db
      .insert(bookableResources)
      .values({ ...input, isActive: true })
      .returning()
    return row!
  } catch (error) {
    throw slugTaken(error) ?? error
  }
}

export async function updateResource(
  db: Database,
  id: string,
  change: Partial<Pick<ResourceRow, 'slug' | 'type' | 'name' | 'timezone' | 'config' | 'isActive'>>,
): Promise<ResourceRow> {
  await getResource(db, id)
  try {
    const [row] = await db.update(bookableResources).set(change).where(eq(bookableResources.id, id)).returning()
    return row!
  } catch (error) {
    throw slugTaken(error) ?? error
  }
}

/**
 * Deletes a resource nobody has booked; a resource with bookings is deactivated instead
 * (its bookings, and their history, must stay).
 */
export async function deleteOrDeactivateResource(
  db: Database,
  id: string,
): Promise<{ deleted: true } | { deleted: false; row: ResourceRow }> {
  await getResource(db, id)
  return db.transaction(async (tx) => {
    const [used] = await tx.select({ id: bookings.id }).from(bookings).where(eq(bookings.resourceId, id)).limit(1)
    if (used) {
      const [row] = await tx
        .update(bookableResources)
        .set({ isActive: false })
        .where(eq(bookableResources.id, id))
        .returning()
      return { deleted: false as const, row: row! }
    }
    await tx.delete(resourceSchedules).where(eq(resourceSchedules.resourceId, id))
    await tx.delete(bookableResources).where(eq(bookableResources.id, id))
    return { deleted: true as const }
  })
}

export async function getSchedules(db: Database, resourceId: string): Promise<ScheduleRule[]> {
  await getResource(db, resourceId)
  return loadScheduleRules(db, resourceId)
}

/** Replaces the whole schedule in one transaction: readers see the old one or the new one. */
export async function replaceSchedules(
  db: Database,
  resourceId: string,
  rules: ScheduleRule[],
): Promise<ScheduleRule[]> {
  await getResource(db, resourceId)
  await db.transaction(async (tx) => {
    await tx.delete(resourceSchedules).where(eq(resourceSchedules.resourceId, resourceId))
    if (rules.length > 0) {
      await tx.insert(resourceSchedules).values(
        rules.map((r) => ({
          resourceId,
          weekday: r.weekday ?? null,
          specificDate: r.specificDate ?? null,
          startTime: r.startTime,
          endTime: r.endTime,
          slotDuration: r.slotDuration,
          isAvailable: r.isAvailable,
        })),
      )
    }
  })
  return loadScheduleRules(db, resourceId)
}

export interface BookingFilter {
  resourceId?: string | undefined
  from?: number | undefined
  to?: number | undefined
  status?: BookingRow['status'][] | undefined
  /** A part of the ref, the guest's name or email, any case. */
  q?: string | undefined
  cursor?: string | undefined
  limit: number
}

const isoOrNull = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString())

/** Bookings by start time (then id), filtered, a page at a time with an opaque cursor. */
export async function listBookings(
  db: Database,
  filter: BookingFilter,
): Promise<{ rows: BookingRow[]; nextCursor: string | undefined }> {
  const after = filter.cursor ? decodeCursor(filter.cursor) : undefined
  // Bound as a parameter; the owner's % and _ are matched as themselves, not as wildcards.
  const pattern = filter.q ? `%${escapeLike(filter.q)}%` : undefined
  const rows = await db
    .select()
    .from(bookings)
    .where(
      and(
        filter.resourceId ? eq(bookings.resourceId, filter.resourceId) : undefined,
        filter.from !== undefined ? gt(bookings.endsAt, new Date(filter.from)) : undefined,
        filter.to !== undefined ? lt(bookings.startsAt, new Date(filter.to)) : undefined,
        // The same period as a range, so bookings_resource_period_idx narrows by time too; an
        // open end is unbounded. (An empty period, from = to, keeps the two tests above alone.)
        (filter.from !== undefined || filter.to !== undefined) &&
          !(filter.from !== undefined && filter.to !== undefined && filter.from >= filter.to)
          ? sql`tstzrange(${bookings.startsAt}, ${bookings.endsAt}, '[)') && tstzrange(${isoOrNull(filter.from)}::timestamptz, ${isoOrNull(filter.to)}::timestamptz, '[)')`
          : undefined,
        filter.status ? inArray(bookings.status, filter.status) : undefined,
        pattern
          ? or(ilike(bookings.ref, pattern), ilike(bookings.guestName, pattern), ilike(bookings.guestEmail, pattern))
          : undefined,
        after
          ? or(
              gt(bookings.startsAt, new Date(after.start)),
              and(eq(bookings.startsAt, new Date(after.start)), gt(bookings.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(bookings.startsAt), asc(bookings.id))
    .limit(filter.limit + 1)
  const page = rows.slice(0, filter.limit)
  const last = page.at(-1)
  return { rows: page, nextCursor: rows.length > filter.limit && last ? encodeCursor(last) : undefined }
}

export async function getBooking(db: Database, id: string): Promise<BookingRow> {
  const [row] = isUuid(id) ? await db.select().from(bookings).where(eq(bookings.id, id)) : []
  if (!row) throw new BookingError('not_found', 'No such booking.')
  return row
}

export async function listNotifications(db: Database, bookingId: string) {
  return db
    .select()
    .from(notifications)
    .where(eq(notifications.bookingId, bookingId))
    .orderBy(asc(notifications.sendAfter), asc(notifications.createdAt))
}

// Cursors are plain base64url JSON (no Buffer: this module also runs on edge runtimes).
function encodeCursor(row: BookingRow): string {
  return btoa(JSON.stringify([row.startsAt.getTime(), row.id]))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

function decodeCursor(cursor: string): { start: number; id: string } {
  try {
    const [start, id] = JSON.parse(atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))) as [unknown, unknown]
    // A hand-made cursor may hold any number; only an instant bookings can have becomes a query date.
    if (
      typeof start === 'number' &&
      Number.isInteger(start) &&
      start >= EARLIEST_INSTANT_MS &&
      start < INSTANT_LIMIT_MS &&
      typeof id === 'string' &&
      isUuid(id)
    )
      return { start, id }
  } catch {
    // fall through
  }
  throw new BookingError('invalid_request', 'The cursor is not valid; start again without one.', [
    { path: 'cursor', code: 'invalid', message: 'not a cursor from this API' },
  ])
}

/** LIKE's wildcards and its escape character (backslash, PostgreSQL's default) taken literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`)
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
}

function slugTaken(error: unknown): BookingError | undefined {
  if (sqlState(error) !== UNIQUE_VIOLATION) return undefined
  return new BookingError('invalid_request', 'Another resource already uses this slug.', [
    { path: 'slug', code: 'invalid', message: 'already used by another resource' },
  ])
}
