import { bookableResources, resourcePools, services } from '../../drizzle/schema'
import type { Database } from '../db/database'
import type { BookingCsvLookups } from './bookings-csv'

/** The names an export shows for ids; these tables are small, read once per export. */
export async function loadExportLookups(db: Database): Promise<BookingCsvLookups> {
  const [resources, pools, serviceRows] = await Promise.all([
    db
      .select({
        id: bookableResources.id,
        slug: bookableResources.slug,
        name: bookableResources.name,
        timezone: bookableResources.timezone,
      })
      .from(bookableResources),
    db.select({ id: resourcePools.id, name: resourcePools.name }).from(resourcePools),
    db.select({ id: services.id, name: services.name }).from(services),
  ])
  return {
    resources: new Map(resources.map((r) => [r.id, r])),
    pools: new Map(pools.map((p) => [p.id, p.name])),
    services: new Map(serviceRows.map((s) => [s.id, s.name])),
  }
}
