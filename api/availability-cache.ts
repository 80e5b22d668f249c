import { BookingError } from '../shared/errors'
import type { Interval, SeatInterval } from '../shared/slots/types'
import type { Database } from './db/database'
import type { Hold, HoldStore } from './holds/hold-store'
import { findBookedSeatsSnapshot, findBookedSnapshot, type BookedSnapshot } from './store/busy-intervals'
import { createAnswerCache, readVersionShared, type AnswerCache } from './availability-answers'
import type { AvailabilityVersions } from './availability-versions'

/**
 * Availability is the schedule minus booked intervals minus live holds. Holds are always
 * read live from the hold store (so placing, releasing or expiring one needs no
 * invalidation); the booked intervals, the costly part, are cached per resource and range.
 * The availability route also keeps its finished answers under the same version, keyed by
 * the live holds they were built with (see availability-answers.ts).
 *
 * An entry is served only while
 * - the availability version it was loaded under is still the current one. The version is
 *   bumped after every request that may have written bookings (see `bumpsAvailability`) and
 *   after due work, once the write has committed; a reader fetches the version BEFORE it
 *   queries, so an entry can never hold data older than its version; and
 * - the reader's `now` is before the earliest expiry of a pending booking counted in it
 *   (an unpaid booking past its window stops blocking without any write), and not before
 *   the `now` it was loaded at.
 */
export type { AvailabilityVersions }

/** The in-memory version, for the in-memory hold store (one process only). */
export function createMemoryAvailabilityVersions(holds: HoldStore): AvailabilityVersions {
  let version = 1
  return {
    async read(resourceId, from, to) {
      // Taken before the hold read and the database query that follow it.
      const at = version
      return { version: at, holds: await holds.listLive(resourceId, from, to) }
    },
    async bump() {
      version++
    },
  }
}

export interface AvailabilityCache {
  /** Booked intervals of the resource overlapping `range`, as of `version` and `now`. */
  booked(
    resourceId: string,
    range: Interval,
    version: number | undefined,
    now: number,
    load: () => Promise<BookedSnapshot>,
  ): Promise<Interval[]>
  /** `booked` with the instant its intervals stop being true without a write (do not change the intervals: they are shared). */
  snapshot?(
    resourceId: string,
    range: Interval,
    version: number | undefined,
    now: number,
    load: () => Promise<BookedSnapshot>,
  ): Promise<BookedSnapshot>
  /** `snapshot` for a resource of several places: bookings with the places they take, kept apart from the other kind. */
  seatSnapshot?(
    resourceId: string,
    range: Interval,
    version: number | undefined,
    now: number,
    load: () => Promise<BookedSnapshot<SeatInterval>>,
  ): Promise<BookedSnapshot<SeatInterval>>
  /** Finished availability answers under the same versions (see availability-answers.ts). */
  answers?: AnswerCache
  /** Forget everything (a bump this process could not deliver). */
  clear(): void
}

interface Entry {
  version: number
  loadedAt: number
  snapshot: Promise<BookedSnapshot<Interval>>
}

export function createAvailabilityCache(options: { maxEntries?: number } = {}): AvailabilityCache {
  const maxEntries = options.maxEntries ?? 2_000
  const entries = new Map<string, Entry>()
  const answers = createAnswerCache()
  const kept = async <T extends Interval>(
    kind: string,
    resourceId: string,
    range: Interval,
    version: number | undefined,
    now: number,
    load: () => Promise<BookedSnapshot<T>>,
  ): Promise<BookedSnapshot<T>> => {
    if (version === undefined) return load()
    const key = `${kind}${resourceId}|${range.start}|${range.end}`
    const hit = entries.get(key)
    if (hit && hit.version === version && now >= hit.loadedAt) {
      // Concurrent readers of one version share one query.
      const snapshot = await hit.snapshot.catch(() => undefined)
      // The kind is in the key: an entry holds what this kind's loader gave.
      if (snapshot && now < snapshot.validUntil) return snapshot as BookedSnapshot<T>
    }
    const snapshot = load()
    const current = entries.get(key)
    // A slow reader of an older version never replaces a newer entry.
    if (!current || current.version < version || (current.version === version && current.loadedAt <= now)) {
      if (!current && entries.size >= maxEntries) entries.clear()
      const entry: Entry = { version, loadedAt: now, snapshot }
      entries.set(key, entry)
      snapshot.catch(() => entries.get(key) === entry && entries.delete(key))
    }
    return snapshot
  }
  const snapshotOf = (
    resourceId: string,
    range: Interval,
    version: number | undefined,
    now: number,
    load: () => Promise<BookedSnapshot>,
  ) => kept('', resourceId, range, version, now, load)
  return {
    async booked(resourceId, range, version, now, load) {
      return (await snapshotOf(resourceId, range, version, now, load)).intervals
    },
    snapshot: snapshotOf,
    seatSnapshot: (resourceId, range, version, now, load) => kept('seats:', resourceId, range, version, now, load),
    answers,
    clear() {
      entries.clear()
      answers.clear()
    },
  }
}

export interface AvailabilityCaching {
  versions: AvailabilityVersions
  cache: AvailabilityCache
}

/** Requests that may write bookings: every non-read request under /v1/ except holds (which live in the hold store). */
export function bumpsAvailability(method: string, path: string): boolean {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return false
  // Holds, a pool's and a service's included, live in the hold store: they never write a booking.
  return (
    path.startsWith('/v1/') && !path.startsWith('/v1/holds') && !/^\/v1\/(pools|services)\/[^/]+\/holds$/.test(path)
  )
}

/**
 * Bumps after a write. A bump that cannot be delivered (Redis unreachable) is logged and
 * retried a few times; this process's own cache is dropped at once.
 */
export async function bumpAvailability(
  caching: AvailabilityCaching | undefined,
  onError: (error: unknown) => void,
): Promise<void> {
  if (!caching) return
  try {
    await caching.versions.bump()
  } catch (error) {
    caching.cache.clear()
    onError(error)
    void retryBump(caching, onError)
  }
}

async function retryBump(caching: AvailabilityCaching, onError: (error: unknown) => void): Promise<void> {
  for (let attempt = 1; attempt <= 5; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 500 * attempt))
    try {
      await caching.versions.bump()
      return
    } catch (error) {
      if (attempt === 5) onError(error)
    }
  }
}

export interface BusyParts<T extends Interval = Interval> {
  booked: T[]
  holds: Hold[]
  holdsUnavailable: boolean
}

type BusyDeps = { db: Database; holds: HoldStore; availability?: AvailabilityCaching | undefined }

/**
 * The busy time of a resource on a range: booked intervals (cached when `caching` is given)
 * and live holds. Without the hold store (Redis down) bookings are still read, uncached.
 */
export function readBusy(deps: BusyDeps, resourceId: string, range: Interval, now: number): Promise<BusyParts> {
  return readBusyWith(deps, resourceId, range, now, {
    load: () => findBookedSnapshot(deps.db, resourceId, range, now),
    kept: (cache, version, load) => cache.booked(resourceId, range, version, now, load),
  })
}

/** `readBusy` for a resource of several places: each booked interval with the places it takes. */
export function readSeatBusy(
  deps: BusyDeps,
  resourceId: string,
  range: Interval,
  now: number,
): Promise<BusyParts<SeatInterval>> {
  return readBusyWith(deps, resourceId, range, now, {
    load: () => findBookedSeatsSnapshot(deps.db, resourceId, range, now),
    kept: async (cache, version, load) =>
      cache.seatSnapshot
        ? (await cache.seatSnapshot(resourceId, range, version, now, load)).intervals
        : (await load()).intervals,
  })
}

async function readBusyWith<T extends Interval>(
  deps: BusyDeps,
  resourceId: string,
  range: Interval,
  now: number,
  booked: {
    load: () => Promise<BookedSnapshot<T>>
    kept: (
      cache: AvailabilityCache,
      version: number | undefined,
      load: () => Promise<BookedSnapshot<T>>,
    ) => Promise<T[]>
  },
): Promise<BusyParts<T>> {
  const { load } = booked
  if (!deps.availability) {
    let holdsUnavailable = false
    const [snapshot, holds] = await Promise.all([
      load(),
      deps.holds.listLive(resourceId, range.start, range.end).catch((error: unknown) => {
        if (!isUnavailable(error)) throw error
        holdsUnavailable = true
        return []
      }),
    ])
    return { booked: snapshot.intervals, holds, holdsUnavailable }
  }
  const { versions, cache } = deps.availability
  let read: { version: number | undefined; holds: Hold[] }
  try {
    // Shared with the requests arriving meanwhile; never one that left before this request.
    const shared = await readVersionShared(versions, resourceId)
    read = {
      version: shared.version,
      holds: shared.holds.filter((h) => h.blockStart < range.end && range.start < h.blockEnd),
    }
  } catch {
    return { booked: (await load()).intervals, holds: [], holdsUnavailable: true }
  }
  // The engine pushes into the list it is given: hand out a copy, never the cached array.
  const intervals = await booked.kept(cache, read.version, load)
  return { booked: intervals.slice(), holds: read.holds, holdsUnavailable: false }
}

function isUnavailable(error: unknown): boolean {
  return error instanceof BookingError && error.code === 'unavailable'
}
