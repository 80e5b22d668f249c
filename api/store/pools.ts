import { and, asc, eq, inArray, ne, or, sql } from 'drizzle-orm'
import { bookableResources, bookings, poolMembers, resourcePools } from '../../drizzle/schema'
import { BookingError } from '../../shared/errors'
import type { ResourceConfig } from '../../shared/schemas'
import type { AdminPool, PoolStrategy } from '../../shared/types'
import type { Database } from '../db/database'
import { UNIQUE_VIOLATION, sqlState } from '../db/sql-state'
import { toResource } from './resources'

export type PoolRow = typeof resourcePools.$inferSelect

/** An active member of a pool, with what the public side needs of its resource. */
export interface PoolMemberRow {
  resourceId: string
  slug: string
  name: string
  timezone: string
  config: ResourceConfig
  position: number
  weight: number
}

/** An active pool and its active members, in position order. */
export interface ActivePool {
  id: string
  slug: string
  type: string
  name: string
  timezone: string
  strategy: PoolStrategy
  memberChoice: boolean
  members: PoolMemberRow[]
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * An active pool by id or slug, with its members whose resources are active (a deactivated
 * resource stays a member, so reactivating it brings it back, but is never offered).
 * A slug may look like a uuid, so both are tried; an exact id match wins.
 */
export async function findActivePool(db: Database, idOrSlug: string): Promise<ActivePool | undefined> {
  const match = UUID.test(idOrSlug)
    ? or(eq(resourcePools.id, idOrSlug.toLowerCase()), eq(resourcePools.slug, idOrSlug))
    : eq(resourcePools.slug, idOrSlug)
  const rows = await db.select().from(resourcePools).where(match).limit(2)
  const pool = rows.find((r) => r.id === idOrSlug.toLowerCase()) ?? rows[0]
  if (!pool || !pool.isActive) return undefined
  const members = await db
    .select({ member: poolMembers, resource: bookableResources })
    .from(poolMembers)
    .innerJoin(bookableResources, eq(bookableResources.id, poolMembers.resourceId))
    .where(and(eq(poolMembers.poolId, pool.id), eq(bookableResources.isActive, true)))
    .orderBy(asc(poolMembers.position), asc(poolMembers.resourceId))
  return {
    id: pool.id,
    slug: pool.slug,
    type: pool.type,
    name: pool.name,
    timezone: pool.timezone,
    strategy: pool.strategy,
    memberChoice: pool.memberChoice,
    members: members.map(({ member, resource }) => {
      // Parsed like every resource read, so a hand-edited config fails here, not in the engine.
      const { config } = toResource(resource)
      return {
        resourceId: resource.id,
        slug: resource.slug,
        name: resource.name,
        timezone: resource.timezone,
        config,
        position: member.position,
        weight: member.weight,
      }
    }),
  }
}

// ——— Owner side ———

/** A member as the owner sends it: a resource id (or slug) and an optional weight; the order is the position. */
export interface PoolMemberInput {
  resourceId: string
  weight?: number | undefined
}

export interface PoolInput {
  slug: string
  type: string
  name: string
  timezone: string
  strategy?: PoolStrategy | undefined
  memberChoice?: boolean | undefined
  members?: PoolMemberInput[] | undefined
}

export type PoolChange = Partial<
  Pick<PoolRow, 'slug' | 'type' | 'name' | 'timezone' | 'strategy' | 'memberChoice' | 'isActive'>
>

type MemberRow = typeof poolMembers.$inferSelect

function toAdminPool(pool: PoolRow, members: MemberRow[]): AdminPool {
  return {
    id: pool.id,
    slug: pool.slug,
    type: pool.type,
    name: pool.name,
    timezone: pool.timezone,
    strategy: pool.strategy,
    memberChoice: pool.memberChoice,
    isActive: pool.isActive,
    createdAt: pool.createdAt.toISOString(),
    members: [...members]
      .sort((a, b) => a.position - b.position || (a.resourceId < b.resourceId ? -1 : 1))
      .map((m) => ({ resourceId: m.resourceId, position: m.position, weight: m.weight })),
  }
}

async function membersOf(db: Database, poolIds: string[]): Promise<Map<string, MemberRow[]>> {
  const byPool = new Map<string, MemberRow[]>(poolIds.map((id) => [id, []]))
  if (poolIds.length === 0) return byPool
  const rows = await db.select().from(poolMembers).where(inArray(poolMembers.poolId, poolIds))
  for (const row of rows) byPool.get(row.poolId)?.push(row)
  return byPool
}

/** Every pool, inactive ones included, by name. */
export async function listPools(db: Database): Promise<AdminPool[]> {
  const pools = await db.select().from(resourcePools).orderBy(asc(resourcePools.name), asc(resourcePools.id))
  const members = await membersOf(
    db,
    pools.map((p) => p.id),
  )
  return pools.map((p) => toAdminPool(p, members.get(p.id) ?? []))
}

async function getPoolRow(db: Database, id: string): Promise<PoolRow> {
  const [row] = UUID.test(id) ? await db.select().from(resourcePools).where(eq(resourcePools.id, id.toLowerCase())) : []
  if (!row) throw new BookingError('not_found', 'No such pool.')
  return row
}

/** A pool by id, active or not. */
export async function getPool(db: Database, id: string): Promise<AdminPool> {
  const row = await getPoolRow(db, id)
  return toAdminPool(row, (await membersOf(db, [row.id])).get(row.id) ?? [])
}

/**
 * The members' resource ids, in the order given, each looked up by id or slug. An unknown
 * one is a 400 naming its index (the foreign key would otherwise answer a 500).
 */
async function resolveMembers(
  db: Database,
  members: PoolMemberInput[],
  path: string,
): Promise<{ resourceId: string; position: number; weight: number }[]> {
  if (members.length === 0) return []
  const refs = members.map((m) => m.resourceId)
  const ids = refs.filter((r) => UUID.test(r)).map((r) => r.toLowerCase())
  const rows = await db
    .select({ id: bookableResources.id, slug: bookableResources.slug })
    .from(bookableResources)
    .where(
      ids.length > 0
        ? or(inArray(bookableResources.id, ids), inArray(bookableResources.slug, refs))
        : inArray(bookableResources.slug, refs),
    )
  const byId = new Map(rows.map((r) => [r.id, r.id]))
  const bySlug = new Map(rows.map((r) => [r.slug, r.id]))
  const resolved = members.map((m, index) => {
    const id = byId.get(m.resourceId.toLowerCase()) ?? bySlug.get(m.resourceId)
    if (!id)
      throw new BookingError('invalid_request', 'A member is not a known resource.', [
        { path: `${path}.${index}.resourceId`, code: 'invalid', message: 'no resource has this id or slug' },
      ])
    return { resourceId: id, position: index, weight: m.weight ?? 1 }
  })
  // An id and a slug of the same resource name one member twice; the schema only sees strings.
  const seen = new Map<string, number>()
  resolved.forEach((m, index) => {
    const first = seen.get(m.resourceId)
    if (first !== undefined)
      throw new BookingError('invalid_request', 'A resource is listed twice.', [
        { path: `${path}.${index}.resourceId`, code: 'invalid', message: `the same resource as member ${first}` },
      ])
    seen.set(m.resourceId, index)
  })
  return resolved
}

/** A pool and its members in one transaction: it exists with all of them or not at all. */
export async function createPool(db: Database, input: PoolInput): Promise<AdminPool> {
  const members = await resolveMembers(db, input.members ?? [], 'members')
  try {
    return await db.transaction(async (tx) => {
      const [pool] = await tx
        .insert(resourcePools)
        .values({
          slug: input.slug,
          type: input.type,
          name: input.name,
          timezone: input.timezone,
          strategy: input.strategy ?? 'ordered',
          memberChoice: input.memberChoice ?? false,
          isActive: true,
        })
        .returning()
      const rows =
        members.length > 0
          ? await tx
              .insert(poolMembers)
              .values(members.map((m) => ({ poolId: pool!.id, ...m })))
              .returning()
          : []
      return toAdminPool(pool!, rows)
    })
  } catch (error) {
    throw slugTaken(error) ?? memberGone(error) ?? error
  }
}

export async function updatePool(db: Database, id: string, change: PoolChange): Promise<AdminPool> {
  const current = await getPoolRow(db, id)
  try {
    const [row] = await db.update(resourcePools).set(change).where(eq(resourcePools.id, current.id)).returning()
    return toAdminPool(row!, (await membersOf(db, [current.id])).get(current.id) ?? [])
  } catch (error) {
    throw slugTaken(error) ?? error
  }
}

/** A pool is never deleted: bookings keep pointing at the pool they came through. */
export async function deactivatePool(db: Database, id: string): Promise<AdminPool> {
  return updatePool(db, id, { isActive: false })
}

/** Replaces the members in one transaction: readers see the old list or the new one, positions 0…n-1. */
export async function replacePoolMembers(db: Database, id: string, members: PoolMemberInput[]): Promise<AdminPool> {
  const pool = await getPoolRow(db, id)
  const resolved = await resolveMembers(db, members, 'members')
  try {
    const rows = await db.transaction(async (tx) => {
      // Two replacements at once would each delete only the rows their statement saw and
      // then insert the same keys (a primary-key violation); the pool's row lock queues them.
      await tx.select({ id: resourcePools.id }).from(resourcePools).where(eq(resourcePools.id, pool.id)).for('update')
      await tx.delete(poolMembers).where(eq(poolMembers.poolId, pool.id))
      return resolved.length > 0
        ? tx
            .insert(poolMembers)
            .values(resolved.map((m) => ({ poolId: pool.id, ...m })))
            .returning()
        : []
    })
    return toAdminPool(pool, rows)
  } catch (error) {
    throw memberGone(error) ?? error
  }
}

function slugTaken(error: unknown): BookingError | undefined {
  if (sqlState(error) !== UNIQUE_VIOLATION) return undefined
  return new BookingError('invalid_request', 'Another pool already uses this slug.', [
    { path: 'slug', code: 'invalid', message: 'already used by another pool' },
  ])
}

/** A member deleted between the lookup and the insert: the same answer as an unknown one. */
function memberGone(error: unknown): BookingError | undefined {
  if (sqlState(error) !== '23503') return undefined
  return new BookingError('invalid_request', 'A member is not a known resource.', [
    { path: 'members', code: 'invalid', message: 'a resource was removed while the pool was saved' },
  ])
}

/**
 * round_robin (a pool, or a service's pool part): each member's occupying bookings on the
 * day of `at` and in its week (Monday to Sunday), both in the pool's zone, in one query.
 */
export async function memberBookingCounts(
  db: Database,
  resourceIds: string[],
  at: number,
  timezone: string,
): Promise<Map<string, { day: number; week: number }>> {
  const counts = new Map<string, { day: number; week: number }>()
  if (resourceIds.length === 0) return counts
  const local = sql`(${new Date(at).toISOString()}::timestamptz at time zone ${timezone})`
  const dayStart = sql`(date_trunc('day', ${local}) at time zone ${timezone})`
  const dayEnd = sql`((date_trunc('day', ${local}) + interval '1 day') at time zone ${timezone})`
  const weekStart = sql`(date_trunc('week', ${local}) at time zone ${timezone})`
  const weekEnd = sql`((date_trunc('week', ${local}) + interval '7 days') at time zone ${timezone})`
  const rows = await db
    .select({
      resourceId: bookings.resourceId,
      day: sql<number>`(count(*) filter (where ${bookings.startsAt} >= ${dayStart} and ${bookings.startsAt} < ${dayEnd}))::int`,
      week: sql<number>`count(*)::int`,
    })
    .from(bookings)
    .where(
      and(
        inArray(bookings.resourceId, resourceIds),
        ne(bookings.status, 'cancelled'),
        sql`${bookings.startsAt} >= ${weekStart} and ${bookings.startsAt} < ${weekEnd}`,
      ),
    )
    .groupBy(bookings.resourceId)
  for (const row of rows) counts.set(row.resourceId, { day: Number(row.day), week: Number(row.week) })
  return counts
}
