import { eq, inArray } from 'drizzle-orm'
import {
  bookableResources,
  poolMembers,
  resourcePools,
  resourceSchedules,
  serviceParts,
  services,
} from '../drizzle/schema'
import type { ResourceConfig } from '../shared/schemas'
import type { ScheduleRule } from '../shared/types'
import type { Database } from './db/database'

interface DemoResource {
  slug: string
  type: string
  name: string
  timezone: string
  config: ResourceConfig
  schedules: Omit<ScheduleRule, 'specificDate' | 'isAvailable'>[]
}

const weekdays = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

/**
 * Resources of different kinds and zones, so the demo shows what the engine does.
 * None takes payment online: the demo books every one of them with no payment provider.
 */
export const DEMO_RESOURCES: DemoResource[] = [
  {
    slug: 'meeting-room',
    type: 'room',
    name: 'Meeting room “Spree”',
    timezone: 'Europe/Berlin',
    config: { minNoticeMin: 60, horizonDays: 90, bufferAfterMin: 0 },
    schedules: weekdays(0, 4).map((weekday) => ({ weekday, startTime: '08:00', endTime: '18:00', slotDuration: 30 })),
  },
  {
    slug: 'dr-rivera',
    type: 'specialist',
    name: 'Dr. Ana Rivera, physiotherapy',
    timezone: 'America/New_York',
    // Priced, paid at the practice: the widget shows the price as "pay on site", and the
    // demo books it without a payment provider. Nothing is paid online, so the policy only
    // says until when a guest may cancel online, not a refund.
    config: {
      minNoticeMin: 120,
      horizonDays: 60,
      bufferBeforeMin: 10,
      price: { amount: 9500, currency: 'USD' },
      payment: 'none',
      cancellationPolicy: { no_refund_hours: 2 },
    },
    // Morning and afternoon windows: the gap is the lunch break.
    schedules: weekdays(0, 4).flatMap((weekday) => [
      { weekday, startTime: '09:00', endTime: '12:00', slotDuration: 60 },
      { weekday, startTime: '13:00', endTime: '17:00', slotDuration: 60 },
    ]),
  },
  {
    slug: 'city-car',
    type: 'car',
    name: 'City car (compact, automatic)',
    timezone: 'Europe/Berlin',
    // Rented as a span across days (picked up and returned while the desk is open), priced
    // per started 24 hours and paid at the desk.
    config: {
      span: { minMinutes: 240, maxMinutes: 14 * 1440, pricing: 'per_day' },
      price: { amount: 4900, currency: 'EUR' },
      payment: 'none',
      minNoticeMin: 30,
      horizonDays: 120,
    },
    schedules: weekdays(0, 6).map((weekday) => ({ weekday, startTime: '08:00', endTime: '18:00', slotDuration: null })),
  },
  {
    slug: 'yoga-class',
    type: 'class',
    name: 'Morning yoga (12 mats)',
    timezone: 'Europe/London',
    // A class: twelve places per session, a guest books up to four, priced per place.
    config: {
      capacity: 12,
      maxSeatsPerBooking: 4,
      minNoticeMin: 60,
      horizonDays: 60,
      price: { amount: 1500, currency: 'GBP' },
      payment: 'none',
    },
    schedules: weekdays(0, 5).map((weekday) => ({ weekday, startTime: '07:00', endTime: '09:00', slotDuration: 60 })),
  },
  // A massage needs the therapist and a free treatment room at once (the demo service below).
  {
    slug: 'massage-therapist',
    type: 'therapist',
    name: 'Lena Vogt, massage therapist',
    timezone: 'Europe/Berlin',
    config: {
      minNoticeMin: 60,
      horizonDays: 60,
      price: { amount: 7000, currency: 'EUR' },
      payment: 'none',
    },
    schedules: weekdays(0, 5).map((weekday) => ({ weekday, startTime: '10:00', endTime: '18:00', slotDuration: 60 })),
  },
  ...[1, 2].map((n): DemoResource => ({
    slug: `treatment-room-${n}`,
    type: 'room',
    name: `Treatment room ${n}`,
    timezone: 'Europe/Berlin',
    // Aired and made up after every booking.
    config: { bufferAfterMin: 15, minNoticeMin: 60, horizonDays: 60 },
    schedules: weekdays(0, 5).map((weekday) => ({ weekday, startTime: '09:00', endTime: '19:00', slotDuration: 60 })),
  })),
]

/** The rooms' pool and the service that books the therapist with any free room. */
const DEMO_ROOM_POOL = {
  slug: 'treatment-rooms',
  type: 'room',
  name: 'Any free treatment room',
  timezone: 'Europe/Berlin',
}
const DEMO_SERVICE = { slug: 'massage-with-room', name: 'Massage with room', timezone: 'Europe/Berlin' }

/** Inserts the demo resources that are missing; existing ones (by slug) are left as they are. */
export async function seedDemo(db: Database): Promise<string[]> {
  const created: string[] = []
  for (const demo of DEMO_RESOURCES) {
    await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(bookableResources)
        .values({ slug: demo.slug, type: demo.type, name: demo.name, timezone: demo.timezone, config: demo.config })
        .onConflictDoNothing({ target: bookableResources.slug })
        .returning({ id: bookableResources.id })
      if (!row) return
      await tx.insert(resourceSchedules).values(
        demo.schedules.map((s) => ({
          resourceId: row.id,
          weekday: s.weekday,
          startTime: s.startTime,
          endTime: s.endTime,
          slotDuration: s.slotDuration,
        })),
      )
      created.push(demo.slug)
    })
  }
  await seedDemoService(db)
  return created
}

/** The room pool and the massage service, when missing (by slug). */
async function seedDemoService(db: Database): Promise<void> {
  const slugs = ['massage-therapist', 'treatment-room-1', 'treatment-room-2']
  const rows = await db
    .select({ id: bookableResources.id, slug: bookableResources.slug })
    .from(bookableResources)
    .where(inArray(bookableResources.slug, slugs))
  const idOf = new Map(rows.map((r) => [r.slug, r.id]))
  const [therapist, room1, room2] = slugs.map((slug) => idOf.get(slug))
  if (!therapist || !room1 || !room2) return
  await db.transaction(async (tx) => {
    const [pool] = await tx
      .insert(resourcePools)
      .values(DEMO_ROOM_POOL)
      .onConflictDoNothing({ target: resourcePools.slug })
      .returning({ id: resourcePools.id })
    if (pool) {
      await tx.insert(poolMembers).values([
        { poolId: pool.id, resourceId: room1, position: 0 },
        { poolId: pool.id, resourceId: room2, position: 1 },
      ])
    }
    const [rooms] = await tx
      .select({ id: resourcePools.id })
      .from(resourcePools)
      .where(eq(resourcePools.slug, DEMO_ROOM_POOL.slug))
    const [service] = await tx
      .insert(services)
      .values(DEMO_SERVICE)
      .onConflictDoNothing({ target: services.slug })
      .returning({ id: services.id })
    if (!service || !rooms) return
    await tx.insert(serviceParts).values([
      { serviceId: service.id, position: 0, resourceId: therapist, label: 'Therapist' },
      { serviceId: service.id, position: 1, poolId: rooms.id, label: 'Room' },
    ])
  })
}
