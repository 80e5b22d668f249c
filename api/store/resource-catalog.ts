import { hasControlCharacters } from '../../shared/schemas'
import type { ScheduleRule } from '../../shared/types'
import type { Clock } from '../clock'
import type { Database } from '../db/database'
import { findActiveResource, loadScheduleRules, type Resource } from './resources'

export interface CatalogEntry {
  resource: Resource
  rules: ScheduleRule[]
}

export interface ResourceCatalog {
  /** The active resource with its schedule, or undefined. */
  find(idOrSlug: string): Promise<CatalogEntry | undefined>
  /** Forget everything, e.g. after an owner edits a resource or schedule in this process. */
  invalidate(): void
}

export interface ResourceCatalogOptions {
  /** How long another process's edit may take to show here. */
  ttlMs?: number
  maxEntries?: number
}

/**
 * Resources and schedules change rarely but are read on every availability request;
 * caching them for a few seconds saves two queries per request. Bookings are never cached.
 * Misses are not cached, so a resource created a moment ago is found at once, and
 * concurrent lookups of the same key share one query.
 */
export function createResourceCatalog(
  db: Database,
  clock: Clock,
  options: ResourceCatalogOptions = {},
): ResourceCatalog {
  const ttlMs = options.ttlMs ?? 5_000
  const maxEntries = options.maxEntries ?? 1_000
  const cache = new Map<string, { expiresAt: number; entry: Promise<CatalogEntry | undefined> }>()

  async function load(idOrSlug: string): Promise<CatalogEntry | undefined> {
    const resource = await findActiveResource(db, idOrSlug)
    if (!resource) return undefined
    return { resource, rules: await loadScheduleRules(db, resource.id) }
  }

  return {
    find(idOrSlug) {
      // No id or slug holds a control character, and PostgreSQL refuses NUL in a query
      // outright: such a key (from a URL anyone can type) is a miss without asking.
      if (hasControlCharacters(idOrSlug)) return Promise.resolve(undefined)
      const now = clock.now()
      const hit = cache.get(idOrSlug)
      if (hit && hit.expiresAt > now) return hit.entry
      const entry = load(idOrSlug)
      if (cache.size >= maxEntries) cache.clear()
      cache.set(idOrSlug, { expiresAt: now + ttlMs, entry })
      // Failures and misses must not stick.
      entry.then(
        (value) => value === undefined && cache.get(idOrSlug)?.entry === entry && cache.delete(idOrSlug),
        () => cache.get(idOrSlug)?.entry === entry && cache.delete(idOrSlug),
      )
      return entry
    },
    invalidate() {
      cache.clear()
    },
  }
}
