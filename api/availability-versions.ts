import type { Hold } from './holds/hold-store'

/**
 * The shared version under which availability is cached: read with the live holds, bumped
 * after every committed write that may change bookings. Its own module so the answer cache
 * and the booked-interval cache can both use it without importing each other.
 */
export interface AvailabilityVersions {
  /** The current version (undefined: unknown, do not cache) and the live holds on the range, in one round trip. */
  read(resourceId: string, from: number, to: number): Promise<{ version: number | undefined; holds: Hold[] }>
  /** After a committed write: every process's cached availability stops being served. */
  bump(): Promise<void>
}
