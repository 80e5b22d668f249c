import { bookableResources, resourceSchedules } from '../drizzle/schema'
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
 * Four resources of different kinds and zones, so the demo shows what the engine does.
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
    timezone: 'Europe/Lisbon',
    config: { durations: [120, 240, 480], bufferAfterMin: 30, minNoticeMin: 30, horizonDays: 120 },
    schedules: weekdays(0, 6).map((weekday) => ({ weekday, startTime: '08:00', endTime: '20:00', slotDuration: null })),
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
]

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
  return created
}
