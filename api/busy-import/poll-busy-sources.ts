import { and, asc, eq, inArray, isNull, lte, or } from 'drizzle-orm'
import { bookableResources, busyBlocks, busySources, type BusySourceRow } from '../../drizzle/schema'
import { DEFAULT_HORIZON_DAYS } from '../../shared/schemas'
import { DAY_MS } from '../../shared/slots/calendar-days'
import { bumpAvailability, type AvailabilityCaching } from '../availability-cache'
import type { Clock } from '../clock'
import type { Database } from '../db/database'
import type { Logger } from '../logger'
import { fetchIcs, FetchIcsError } from './fetch-ics'
import { IcsError, parseIcs, type BusyInterval } from './parse-ics'

export interface BusyPollDeps {
  db: Database
  clock: Clock
  logger: Logger
  availability?: AvailabilityCaching | undefined
  /** For tests of hosts that cannot be reached; the global fetch otherwise. */
  fetch?: typeof fetch
}

export interface BusyPollResult {
  /** Read, with busy times that changed. */
  changed: number
  /** Read (or answered 304) with nothing new. */
  unchanged: number
  failed: number
}

/** Longer than a fetch (15 s) and a parse can take: a runner that died frees its sources after this. */
const LEASE_MS = 2 * 60_000
/** A 304 still means a full read at least this often: the window (now … the horizon) moves with the days. */
const FULL_READ_MS = DAY_MS
const PARALLEL_FETCHES = 4

/**
 * Fetches the calendars that are due (`next_poll_at` passed) and replaces their busy times.
 * Each is leased first (FOR UPDATE SKIP LOCKED, then `lease_until`), so two runners never
 * fetch the same calendar at once and a crashed runner's lease runs out. Bumps the
 * availability version once when any busy time changed.
 */
export async function pollBusySources(deps: BusyPollDeps, options: { limit?: number } = {}): Promise<BusyPollResult> {
  const now = deps.clock.now()
  const due = deps.db
    .select({ id: busySources.id })
    .from(busySources)
    .where(
      and(
        lte(busySources.nextPollAt, new Date(now)),
        or(isNull(busySources.leaseUntil), lte(busySources.leaseUntil, new Date(now))),
      ),
    )
    .orderBy(asc(busySources.nextPollAt))
    .limit(options.limit ?? 50)
    .for('update', { skipLocked: true })
  const claimed = await deps.db
    .update(busySources)
    .set({ leaseUntil: new Date(now + LEASE_MS) })
    .where(inArray(busySources.id, due))
    .returning()
  return syncAll(deps, claimed, now)
}

/**
 * Fetches one calendar now (the owner's "refresh", a new calendar's first read). Returns
 * false without fetching while another runner holds its lease: that fetch is as fresh.
 */
export async function refreshBusySource(deps: BusyPollDeps, id: string): Promise<boolean> {
  const now = deps.clock.now()
  const [claimed] = await deps.db
    .update(busySources)
    .set({ leaseUntil: new Date(now + LEASE_MS) })
    .where(and(eq(busySources.id, id), or(isNull(busySources.leaseUntil), lte(busySources.leaseUntil, new Date(now)))))
    .returning()
  if (!claimed) return false
  await syncAll(deps, [claimed], now)
  return true
}

async function syncAll(deps: BusyPollDeps, sources: BusySourceRow[], now: number): Promise<BusyPollResult> {
  const result: BusyPollResult = { changed: 0, unchanged: 0, failed: 0 }
  if (sources.length === 0) return result
  const resources = new Map(
    (
      await deps.db
        .select({ id: bookableResources.id, timezone: bookableResources.timezone, config: bookableResources.config })
        .from(bookableResources)
        .where(
          inArray(
            bookableResources.id,
            sources.map((s) => s.resourceId),
          ),
        )
    ).map((r) => [r.id, r]),
  )
  const queue = sources.slice()
  const worker = async () => {
    for (let source = queue.shift(); source; source = queue.shift()) {
      const resource = resources.get(source.resourceId)
      if (!resource) continue
      const horizonDays = resource.config.horizonDays ?? DEFAULT_HORIZON_DAYS
      result[await syncSource(deps, source, { zone: resource.timezone, horizonDays }, now)]++
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL_FETCHES, sources.length) }, worker))
  if (result.changed > 0)
    await bumpAvailability(deps.availability, (error) =>
      deps.logger.error('availability version bump failed', { error: String(error) }),
    )
  return result
}

async function syncSource(
  deps: BusyPollDeps,
  source: BusySourceRow,
  resource: { zone: string; horizonDays: number },
  now: number,
): Promise<keyof BusyPollResult> {
  const { db } = deps
  const attempted = new Date(now)
  const nextPollAt = new Date(now + source.pollMinutes * 60_000)
  try {
    const fresh = source.lastSuccessAt !== null && now - source.lastSuccessAt.getTime() < FULL_READ_MS
    const fetched = await fetchIcs(source.url, {
      ...(fresh ? { etag: source.etag, lastModified: source.lastModified } : {}),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    })
    if (!fetched.changed) {
      await db
        .update(busySources)
        .set({ lastAttemptAt: attempted, lastSuccessAt: attempted, lastError: null, nextPollAt, leaseUntil: null })
        .where(eq(busySources.id, source.id))
      return 'unchanged'
    }
    const window = { start: now - DAY_MS, end: now + resource.horizonDays * DAY_MS }
    const busy = parseIcs(fetched.text, { window, zone: resource.zone })
    const changed = await db.transaction(async (tx) => {
      const old = await tx
        .select({ startsAt: busyBlocks.startsAt, endsAt: busyBlocks.endsAt })
        .from(busyBlocks)
        .where(eq(busyBlocks.sourceId, source.id))
      const same = sameIntervals(
        old.map((b) => ({ start: b.startsAt.getTime(), end: b.endsAt.getTime() })),
        busy,
      )
      if (!same) {
        await tx.delete(busyBlocks).where(eq(busyBlocks.sourceId, source.id))
        // Bounded by parseIcs's cap (5,000); chunks keep each statement's parameters well under the limit.
        for (let i = 0; i < busy.length; i += 1_000) {
          await tx.insert(busyBlocks).values(
            busy.slice(i, i + 1_000).map((b) => ({
              sourceId: source.id,
              resourceId: source.resourceId,
              startsAt: new Date(b.start),
              endsAt: new Date(b.end),
              uid: b.uid,
            })),
          )
        }
      }
      await tx
        .update(busySources)
        .set({
          etag: fetched.etag,
          lastModified: fetched.lastModified,
          lastAttemptAt: attempted,
          lastSuccessAt: attempted,
          lastError: null,
          nextPollAt,
          leaseUntil: null,
        })
        .where(eq(busySources.id, source.id))
      return !same
    })
    return changed ? 'changed' : 'unchanged'
  } catch (error) {
    const expected = error instanceof FetchIcsError || error instanceof IcsError
    if (!expected) deps.logger.error('busy calendar sync failed', { sourceId: source.id, error: String(error) })
    // The last good busy times stay in force; the owner sees why this read failed.
    await db
      .update(busySources)
      .set({
        lastAttemptAt: attempted,
        lastError: expected ? error.message : 'The calendar could not be imported (internal error).',
        nextPollAt,
        leaseUntil: null,
      })
      .where(eq(busySources.id, source.id))
    return 'failed'
  }
}

function sameIntervals(a: { start: number; end: number }[], b: BusyInterval[]): boolean {
  if (a.length !== b.length) return false
  const key = (i: { start: number; end: number }) => `${i.start}-${i.end}`
  const left = a.map(key).sort()
  const right = b.map(key).sort()
  return left.every((k, i) => k === right[i])
}
