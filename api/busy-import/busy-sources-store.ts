import { eq, sql } from 'drizzle-orm'
import { bookableResources, busyBlocks, busySources, type BusySourceRow } from '../../drizzle/schema'
import type { AdminBusySource } from '../../shared/api-contract'
import type { BusySourceCreate, BusySourceUpdate } from '../../shared/busy-source-schemas'
import { BookingError } from '../../shared/errors'
import type { Database } from '../db/database'

const iso = (d: Date | null) => d?.toISOString() ?? null

export function toAdminBusySource(row: BusySourceRow, blockCount: number): AdminBusySource {
  return {
    id: row.id,
    resourceId: row.resourceId,
    url: row.url,
    label: row.label,
    pollMinutes: row.pollMinutes,
    lastAttemptAt: iso(row.lastAttemptAt),
    lastSuccessAt: iso(row.lastSuccessAt),
    lastError: row.lastError,
    nextPollAt: row.nextPollAt.toISOString(),
    blockCount,
  }
}

// Spelled out: inside the subquery drizzle would name the outer column "id" alone, which busy_blocks also has.
const blockCount = sql<number>`(select count(*)::int from ${busyBlocks} where ${busyBlocks.sourceId} = "busy_sources"."id")`

/** A resource's calendars, oldest first. Unknown resource: not_found. */
export async function listBusySources(db: Database, resourceId: string): Promise<AdminBusySource[]> {
  await assertResource(db, resourceId)
  const rows = await db
    .select({ row: busySources, blockCount })
    .from(busySources)
    .where(eq(busySources.resourceId, resourceId))
    .orderBy(busySources.createdAt, busySources.id)
  return rows.map((r) => toAdminBusySource(r.row, Number(r.blockCount)))
}

/** One calendar as the owner sees it. Unknown: not_found. */
export async function getBusySource(db: Database, id: string): Promise<AdminBusySource> {
  const [found] = isUuid(id)
    ? await db.select({ row: busySources, blockCount }).from(busySources).where(eq(busySources.id, id))
    : []
  if (!found) throw notFound(id)
  return toAdminBusySource(found.row, Number(found.blockCount))
}

export async function createBusySource(
  db: Database,
  resourceId: string,
  input: BusySourceCreate,
  now: number,
): Promise<BusySourceRow> {
  await assertResource(db, resourceId)
  const [row] = await db
    .insert(busySources)
    .values({
      resourceId,
      url: input.url,
      label: input.label || null,
      ...(input.pollMinutes !== undefined ? { pollMinutes: input.pollMinutes } : {}),
      nextPollAt: new Date(now),
    })
    .returning()
  if (!row) throw new Error('busy source insert returned nothing')
  return row
}

export async function updateBusySource(db: Database, id: string, change: BusySourceUpdate): Promise<void> {
  if (!isUuid(id)) throw notFound(id)
  const set: Partial<typeof busySources.$inferInsert> = {}
  if (change.label !== undefined) set.label = change.label || null
  if (change.pollMinutes !== undefined) set.pollMinutes = change.pollMinutes
  // Another address is another file: its validators and schedule start afresh.
  if (change.url !== undefined) Object.assign(set, { url: change.url, etag: null, lastModified: null })
  const [row] = await db.update(busySources).set(set).where(eq(busySources.id, id)).returning({ id: busySources.id })
  if (!row) throw notFound(id)
}

/** Removes the calendar and its busy times (cascade). Returns how many busy times went with it. */
export async function deleteBusySource(db: Database, id: string): Promise<number> {
  const { blockCount: removed } = await getBusySource(db, id)
  await db.delete(busySources).where(eq(busySources.id, id))
  return removed
}

async function assertResource(db: Database, resourceId: string): Promise<void> {
  const [row] = isUuid(resourceId)
    ? await db.select({ id: bookableResources.id }).from(bookableResources).where(eq(bookableResources.id, resourceId))
    : []
  if (!row) throw new BookingError('not_found', `No resource with id "${resourceId}".`)
}

const notFound = (id: string) => new BookingError('not_found', `No busy calendar with id "${id}".`)

const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
