import { randomBytes } from 'node:crypto'
import {
  bookableResources,
  bookings,
  poolMembers,
  resourcePools,
  resourceSchedules,
  type BookingStatus,
} from '../drizzle/schema'
import type { Database } from '../api/db/database'
import type { ResourceConfig } from '../shared/schemas'
import type { ScheduleRule } from '../shared/types'

export type ScheduleInput = Partial<ScheduleRule> & Pick<ScheduleRule, 'startTime' | 'endTime'>

export interface ResourceInput {
  slug?: string
  type?: string
  name?: string
  timezone?: string
  config?: ResourceConfig
  isActive?: boolean
  schedules?: ScheduleInput[]
}

export const uniqueSlug = (prefix = 'res') => `${prefix}-${randomBytes(4).toString('hex')}`

/** Every weekday open with the same window; the usual starting point of a test. */
export const everyDay = (window: Omit<ScheduleInput, 'weekday' | 'specificDate'>): ScheduleInput[] =>
  [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ ...window, weekday }))

export async function insertResource(db: Database, input: ResourceInput = {}) {
  const [row] = await db
    .insert(bookableResources)
    .values({
      slug: input.slug ?? uniqueSlug(),
      type: input.type ?? 'room',
      name: input.name ?? 'Test room',
      timezone: input.timezone ?? 'Europe/Berlin',
      config: input.config ?? {},
      isActive: input.isActive ?? true,
    })
    .returning()
  if (!row) throw new Error('resource insert returned nothing')
  if (input.schedules?.length) {
    await db.insert(resourceSchedules).values(
      input.schedules.map((s) => ({
        resourceId: row.id,
        weekday: s.weekday ?? null,
        specificDate: s.specificDate ?? null,
        startTime: s.startTime,
        endTime: s.endTime,
        slotDuration: s.slotDuration === undefined ? 60 : s.slotDuration,
        isAvailable: s.isAvailable ?? true,
      })),
    )
  }
  return row
}

export interface BookingInput {
  resourceId: string
  start: string | Date
  end: string | Date
  status?: BookingStatus
  expiresAt?: string | Date | null
  /** Places taken of the resource's capacity (default 1). */
  seats?: number
}

export function bookingValues(input: BookingInput) {
  return {
    ref: randomBytes(5).toString('hex').toUpperCase(),
    resourceId: input.resourceId,
    status: input.status ?? 'confirmed',
    startsAt: new Date(input.start),
    endsAt: new Date(input.end),
    guestName: 'Test Guest',
    guestEmail: 'guest@example.com',
    manageTokenHash: randomBytes(32).toString('hex'),
    expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
    seats: input.seats ?? 1,
  }
}

export async function insertBooking(db: Database, input: BookingInput) {
  const [row] = await db.insert(bookings).values(bookingValues(input)).returning()
  if (!row) throw new Error('booking insert returned nothing')
  return row
}

export interface PoolInput {
  slug?: string
  type?: string
  name?: string
  timezone?: string
  strategy?: (typeof resourcePools.$inferInsert)['strategy']
  memberChoice?: boolean
  isActive?: boolean
  /** Resource ids in position order, each with an optional weight. */
  members?: (string | { resourceId: string; weight?: number })[]
}

/** A pool and its members, written straight to the tables. */
export async function insertPool(db: Database, input: PoolInput = {}) {
  const [row] = await db
    .insert(resourcePools)
    .values({
      slug: input.slug ?? uniqueSlug('pool'),
      type: input.type ?? 'room',
      name: input.name ?? 'Test pool',
      timezone: input.timezone ?? 'Europe/Berlin',
      strategy: input.strategy ?? 'ordered',
      memberChoice: input.memberChoice ?? false,
      isActive: input.isActive ?? true,
    })
    .returning()
  if (!row) throw new Error('pool insert returned nothing')
  const members = (input.members ?? []).map((m, position) =>
    typeof m === 'string'
      ? { poolId: row.id, resourceId: m, position }
      : { poolId: row.id, resourceId: m.resourceId, position, weight: m.weight ?? 1 },
  )
  if (members.length > 0) await db.insert(poolMembers).values(members)
  return row
}
