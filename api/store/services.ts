import { asc, eq, inArray, or } from 'drizzle-orm'
import {
  bookableResources,
  poolMembers,
  resourcePools,
  serviceParts,
  services,
  type ServicePartRow,
  type ServiceRow,
} from '../../drizzle/schema'
import { BookingError } from '../../shared/errors'
import type { AdminService } from '../../shared/types'
import type { Database } from '../db/database'
import { UNIQUE_VIOLATION, sqlState } from '../db/sql-state'

/**
 * Services: several resources booked at once (docs/capacity.md, combined bookings). A part
 * is a resource or a pool ("any free room"); position 0 leads, and its slots, price and
 * policy are the service's.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A part as stored: exactly one of `resourceId` and `poolId`. */
export interface ServicePart {
  position: number
  resourceId?: string
  poolId?: string
  /** The owner's label, else undefined (the caller names it after the resource or pool). */
  label?: string
}

/** An active service and its parts, in position order. */
export interface ActiveService {
  id: string
  slug: string
  name: string
  timezone: string
  parts: ServicePart[]
}

function toPart(row: ServicePartRow): ServicePart {
  return {
    position: row.position,
    ...(row.resourceId !== null ? { resourceId: row.resourceId } : {}),
    ...(row.poolId !== null ? { poolId: row.poolId } : {}),
    ...(row.label !== null ? { label: row.label } : {}),
  }
}

/** A service by id or slug (an exact id match wins, as slugs may look like ids), or undefined when unknown or inactive. */
export async function findActiveService(db: Database, idOrSlug: string): Promise<ActiveService | undefined> {
  const match = UUID.test(idOrSlug)
    ? or(eq(services.id, idOrSlug.toLowerCase()), eq(services.slug, idOrSlug))
    : eq(services.slug, idOrSlug)
  const rows = await db.select().from(services).where(match).limit(2)
  const service = rows.find((r) => r.id === idOrSlug.toLowerCase()) ?? rows[0]
  if (!service || !service.isActive) return undefined
  const parts = await db
    .select()
    .from(serviceParts)
    .where(eq(serviceParts.serviceId, service.id))
    .orderBy(asc(serviceParts.position))
  return {
    id: service.id,
    slug: service.slug,
    name: service.name,
    timezone: service.timezone,
    parts: parts.map(toPart),
  }
}

// ——— Owner side ———

/** A part as the owner sends it: a resource or a pool by id or slug; the order is the position. */
export interface ServicePartInput {
  resourceId?: string | undefined
  poolId?: string | undefined
  label?: string | undefined
}

export interface ServiceInput {
  slug: string
  name: string
  timezone?: string | undefined
  parts: ServicePartInput[]
}

export interface ServiceChange {
  slug?: string | undefined
  name?: string | undefined
  timezone?: string | undefined
  isActive?: boolean | undefined
  parts?: ServicePartInput[] | undefined
}

interface NamedPart extends ServicePart {
  name: string
}

function toAdminService(row: ServiceRow, parts: NamedPart[]): AdminService {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    timezone: row.timezone,
    isActive: row.isActive,
    createdAt: row.createdAt.toISOString(),
    parts: [...parts]
      .sort((a, b) => a.position - b.position)
      .map((p) => ({
        position: p.position,
        ...(p.resourceId !== undefined ? { resourceId: p.resourceId } : {}),
        ...(p.poolId !== undefined ? { poolId: p.poolId } : {}),
        ...(p.label !== undefined ? { label: p.label } : {}),
        name: p.name,
      })),
  }
}

/** Each service's parts, named after their resource or pool. */
async function partsOf(db: Database, serviceIds: string[]): Promise<Map<string, NamedPart[]>> {
  const byService = new Map<string, NamedPart[]>(serviceIds.map((id) => [id, []]))
  if (serviceIds.length === 0) return byService
  const rows = await db
    .select({ part: serviceParts, resourceName: bookableResources.name, poolName: resourcePools.name })
    .from(serviceParts)
    .leftJoin(bookableResources, eq(bookableResources.id, serviceParts.resourceId))
    .leftJoin(resourcePools, eq(resourcePools.id, serviceParts.poolId))
    .where(inArray(serviceParts.serviceId, serviceIds))
  for (const { part, resourceName, poolName } of rows) {
    byService.get(part.serviceId)?.push({ ...toPart(part), name: resourceName ?? poolName ?? '' })
  }
  return byService
}

/** Every service, inactive ones included, by name. */
export async function listServices(db: Database): Promise<AdminService[]> {
  const rows = await db.select().from(services).orderBy(asc(services.name), asc(services.id))
  const parts = await partsOf(
    db,
    rows.map((r) => r.id),
  )
  return rows.map((r) => toAdminService(r, parts.get(r.id) ?? []))
}

async function getServiceRow(db: Database, id: string): Promise<ServiceRow> {
  const [row] = UUID.test(id) ? await db.select().from(services).where(eq(services.id, id.toLowerCase())) : []
  if (!row) throw new BookingError('not_found', 'No such service.')
  return row
}

/** A service by id, active or not. */
export async function getService(db: Database, id: string): Promise<AdminService> {
  const row = await getServiceRow(db, id)
  return toAdminService(row, (await partsOf(db, [row.id])).get(row.id) ?? [])
}

interface ResolvedPart {
  position: number
  resourceId: string | null
  poolId: string | null
  label: string | null
  name: string
  /** The zone of the resource or pool: the lead's is the service's default. */
  timezone: string
}

const partError = (index: number, field: string, message: string, summary: string) =>
  new BookingError('invalid_request', summary, [{ path: `parts.${index}.${field}`, code: 'invalid', message }])

/**
 * The parts' resources and pools, each looked up by id or slug, in the order given. An
 * unknown or inactive one is a 400 naming its index; so is a resource listed twice (an id
 * and a slug of one resource look different to the schema) and a resource that is also a
 * member of a pool part (the service would need it twice at once).
 */
async function resolveParts(db: Database, parts: ServicePartInput[]): Promise<ResolvedPart[]> {
  const lookup = async <T extends { id: string; slug: string }>(
    refs: string[],
    read: (ids: string[], slugs: string[]) => Promise<T[]>,
  ): Promise<(ref: string) => T | undefined> => {
    if (refs.length === 0) return () => undefined
    const rows = await read(
      refs.filter((r) => UUID.test(r)).map((r) => r.toLowerCase()),
      refs,
    )
    const byId = new Map(rows.map((r) => [r.id, r]))
    const bySlug = new Map(rows.map((r) => [r.slug, r]))
    return (ref) => byId.get(ref.toLowerCase()) ?? bySlug.get(ref)
  }
  const resourceRefs = parts.flatMap((p) => (p.resourceId !== undefined ? [p.resourceId] : []))
  const poolRefs = parts.flatMap((p) => (p.poolId !== undefined ? [p.poolId] : []))
  const resourceOf = await lookup(resourceRefs, (ids, slugs) =>
    db
      .select()
      .from(bookableResources)
      .where(
        ids.length > 0
          ? or(inArray(bookableResources.id, ids), inArray(bookableResources.slug, slugs))
          : inArray(bookableResources.slug, slugs),
      ),
  )
  const poolOf = await lookup(poolRefs, (ids, slugs) =>
    db
      .select()
      .from(resourcePools)
      .where(
        ids.length > 0
          ? or(inArray(resourcePools.id, ids), inArray(resourcePools.slug, slugs))
          : inArray(resourcePools.slug, slugs),
      ),
  )
  const resolved = parts.map((part, index): ResolvedPart => {
    const label = part.label ?? null
    if (part.resourceId !== undefined) {
      const resource = resourceOf(part.resourceId)
      if (!resource)
        throw partError(index, 'resourceId', 'no resource has this id or slug', 'A part is not a known resource.')
      if (!resource.isActive)
        throw partError(index, 'resourceId', 'this resource is inactive', 'A part is an inactive resource.')
      const { id, name, timezone } = resource
      return { position: index, resourceId: id, poolId: null, label, name, timezone }
    }
    const pool = poolOf(part.poolId ?? '')
    if (!pool) throw partError(index, 'poolId', 'no pool has this id or slug', 'A part is not a known pool.')
    if (!pool.isActive) throw partError(index, 'poolId', 'this pool is inactive', 'A part is an inactive pool.')
    const { id, name, timezone } = pool
    return { position: index, resourceId: null, poolId: id, label, name, timezone }
  })
  const seen = new Map<string, number>()
  resolved.forEach((part, index) => {
    const key = part.resourceId ?? `pool:${part.poolId}`
    const first = seen.get(key)
    const field = part.resourceId !== null ? 'resourceId' : 'poolId'
    if (first !== undefined)
      throw partError(index, field, `the same as part ${first}`, 'A resource or pool is listed twice.')
    seen.set(key, index)
  })
  const poolIds = resolved.flatMap((p) => (p.poolId !== null ? [p.poolId] : []))
  if (poolIds.length > 0) {
    const members = await db
      .select({ poolId: poolMembers.poolId, resourceId: poolMembers.resourceId })
      .from(poolMembers)
      .where(inArray(poolMembers.poolId, poolIds))
    for (const member of members) {
      const index = resolved.findIndex((p) => p.resourceId === member.resourceId)
      if (index < 0) continue
      const poolIndex = resolved.findIndex((p) => p.poolId === member.poolId)
      throw partError(
        index,
        'resourceId',
        `a member of the pool in part ${poolIndex}`,
        'A resource is also a member of a pool part: a service takes each resource once.',
      )
    }
  }
  return resolved
}

const partRows = (serviceId: string, parts: ResolvedPart[]) =>
  parts.map((p) => ({ serviceId, position: p.position, resourceId: p.resourceId, poolId: p.poolId, label: p.label }))

const namedParts = (parts: ResolvedPart[]): NamedPart[] =>
  parts.map((p) => ({
    position: p.position,
    ...(p.resourceId !== null ? { resourceId: p.resourceId } : {}),
    ...(p.poolId !== null ? { poolId: p.poolId } : {}),
    ...(p.label !== null ? { label: p.label } : {}),
    name: p.name,
  }))

/** A service and its parts in one transaction: it exists with all of them or not at all. */
export async function createService(db: Database, input: ServiceInput): Promise<AdminService> {
  const parts = await resolveParts(db, input.parts)
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(services)
        .values({ slug: input.slug, name: input.name, timezone: input.timezone ?? parts[0]!.timezone })
        .returning()
      await tx.insert(serviceParts).values(partRows(row!.id, parts))
      return toAdminService(row!, namedParts(parts))
    })
  } catch (error) {
    throw slugTaken(error) ?? partGone(error) ?? error
  }
}

/** Fields and, when given, the whole list of parts, in one transaction. */
export async function updateService(db: Database, id: string, change: ServiceChange): Promise<AdminService> {
  const current = await getServiceRow(db, id)
  const { parts: partsInput, ...fields } = change
  const parts = partsInput !== undefined ? await resolveParts(db, partsInput) : undefined
  try {
    const row = await db.transaction(async (tx) => {
      // Two replacements at once would each delete only the rows their statement saw and
      // then insert the same keys (a primary-key violation); the service's row lock queues them.
      const [locked] = await tx.select().from(services).where(eq(services.id, current.id)).for('update')
      const [updated] =
        Object.keys(fields).length > 0
          ? await tx.update(services).set(fields).where(eq(services.id, current.id)).returning()
          : [locked]
      if (parts) {
        await tx.delete(serviceParts).where(eq(serviceParts.serviceId, current.id))
        await tx.insert(serviceParts).values(partRows(current.id, parts))
      }
      return updated!
    })
    return toAdminService(row, (await partsOf(db, [row.id])).get(row.id) ?? [])
  } catch (error) {
    throw slugTaken(error) ?? partGone(error) ?? error
  }
}

/** A service is never deleted: its bookings keep pointing at it. */
export async function deactivateService(db: Database, id: string): Promise<AdminService> {
  return updateService(db, id, { isActive: false })
}

function slugTaken(error: unknown): BookingError | undefined {
  if (sqlState(error) !== UNIQUE_VIOLATION) return undefined
  return new BookingError('invalid_request', 'Another service already uses this slug.', [
    { path: 'slug', code: 'invalid', message: 'already used by another service' },
  ])
}

/** A resource or pool deleted between the lookup and the insert: the same answer as an unknown one. */
function partGone(error: unknown): BookingError | undefined {
  if (sqlState(error) !== '23503') return undefined
  return new BookingError('invalid_request', 'A part is not a known resource or pool.', [
    { path: 'parts', code: 'invalid', message: 'a resource or pool was removed while the service was saved' },
  ])
}
