import { asc, eq, or } from 'drizzle-orm'
import { bookableResources, resourceSchedules, type ResourceRow, type ScheduleRow } from '../../drizzle/schema'
import { amountDue } from '../../shared/booking-status'
import { paymentModeOf } from '../../shared/payment-terms'
import { placesPerBooking } from '../../shared/resource-config'
import { DEFAULT_HORIZON_DAYS, resourceConfigSchema, type ResourceConfig } from '../../shared/schemas'
import type { PublicResource, ScheduleRule } from '../../shared/types'
import { DEFAULT_WAITLIST_OFFER_MINUTES, waitlistOpen } from '../../shared/waitlist'
import type { Database } from '../db/database'

export interface Resource {
  id: string
  slug: string
  type: string
  name: string
  timezone: string
  config: ResourceConfig
  isActive: boolean
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Active resource by id or slug, or undefined. A slug may look like a uuid, so both are tried. */
export async function findActiveResource(db: Database, idOrSlug: string): Promise<Resource | undefined> {
  const match = UUID.test(idOrSlug)
    ? or(eq(bookableResources.id, idOrSlug.toLowerCase()), eq(bookableResources.slug, idOrSlug))
    : eq(bookableResources.slug, idOrSlug)
  const rows = await db.select().from(bookableResources).where(match).limit(2)
  // An exact id match wins over a slug that happens to equal another resource's id.
  const row = rows.find((r) => r.id === idOrSlug.toLowerCase()) ?? rows[0]
  return row && row.isActive ? toResource(row) : undefined
}

/** A resource by id, active or not (a booking outlives its resource's deactivation). */
export async function findResourceById(db: Database, id: string): Promise<Resource | undefined> {
  const [row] = await db.select().from(bookableResources).where(eq(bookableResources.id, id)).limit(1)
  return row ? toResource(row) : undefined
}

export async function listActiveResources(db: Database): Promise<Resource[]> {
  const rows = await db
    .select()
    .from(bookableResources)
    .where(eq(bookableResources.isActive, true))
    .orderBy(asc(bookableResources.name), asc(bookableResources.slug))
  return rows.map(toResource)
}

export async function loadScheduleRules(db: Database, resourceId: string): Promise<ScheduleRule[]> {
  const rows = await db.select().from(resourceSchedules).where(eq(resourceSchedules.resourceId, resourceId))
  return rows.map(toScheduleRule)
}

// How a resource is paid for (online, on site, free) is read in shared/, where the widget reads it too.
export { paymentModeOf }

/** What the server can do that changes how a resource is offered. */
export interface ServerCapabilities {
  /** A payment provider is configured. */
  payments: boolean
}

/**
 * The public form. A resource that takes payment online on a server without a payment
 * provider is listed but not bookable, so the widget can say so before the guest fills in
 * the form (booking it would answer 422 `payment_unavailable`).
 */
export function toPublicResource(resource: Resource, server: ServerCapabilities): PublicResource {
  const { config } = resource
  const bookable = paymentModeOf(config) !== 'online' || server.payments
  const view: PublicResource = {
    id: resource.id,
    slug: resource.slug,
    type: resource.type,
    name: resource.name,
    timezone: resource.timezone,
    horizonDays: config.horizonDays ?? DEFAULT_HORIZON_DAYS,
    bookable,
  }
  if (!bookable) view.notBookableReason = 'payment_unavailable'
  if (config.durations) view.durations = config.durations
  if (config.price) view.price = config.price
  if (config.payment) view.payment = config.payment
  // The widget states the deposit before the guest commits, so the public form carries it.
  const due = amountDue(config)
  if (config.payment === 'deposit' && config.depositAmount !== undefined && due) view.deposit = due
  if (config.cancellationPolicy) view.cancellationPolicy = config.cancellationPolicy
  // The guest reads these beside the policy before booking.
  if (config.minRescheduleNoticeHours !== undefined) view.minRescheduleNoticeHours = config.minRescheduleNoticeHours
  if (config.minCancelNoticeHours !== undefined) view.minCancelNoticeHours = config.minCancelNoticeHours
  // Only for shared resources: a resource of one place answers as it did before capacity.
  if (config.capacity !== undefined && config.capacity > 1) {
    view.capacity = config.capacity
    view.maxSeatsPerBooking = placesPerBooking(config)
  }
  // A table's party bounds, so the widget can ask the party size before the slots.
  if (config.minParty !== undefined) view.minParty = config.minParty
  if (config.maxParty !== undefined) view.maxParty = config.maxParty
  // Booked as a span across days: the widget asks `/spans` instead of availability.
  if (config.span) view.span = config.span
  // The widget asks these in the details step, in the guest's language.
  if (config.questions?.length) view.questions = config.questions
  // The widget offers "Join the waitlist" on full times only where joining can lead to a booking.
  if (bookable && waitlistOpen(config))
    view.waitlist = { offerMinutes: config.waitlistOfferMinutes ?? DEFAULT_WAITLIST_OFFER_MINUTES }
  return view
}

export function toResource(row: ResourceRow): Resource {
  // Config is validated on write; parsing again on read keeps a hand-edited row from
  // reaching the engine with a wrong shape (unknown keys are dropped, bad ones fail loudly).
  const config = resourceConfigSchema.parse(row.config ?? {})
  return {
    id: row.id,
    slug: row.slug,
    type: row.type,
    name: row.name,
    timezone: row.timezone,
    config,
    isActive: row.isActive,
  }
}

/** Postgres `time` comes back as `HH:MM:SS`; the engine and API speak `HH:MM`. */
function toScheduleRule(row: ScheduleRow): ScheduleRule {
  return {
    weekday: row.weekday,
    specificDate: row.specificDate,
    startTime: row.startTime.slice(0, 5),
    endTime: row.endTime.slice(0, 5),
    slotDuration: row.slotDuration,
    isAvailable: row.isAvailable,
  }
}
