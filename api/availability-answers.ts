import { MINUTE_MS, DAY_MS } from '../shared/slots/calendar-days'
import { availabilityRange, busyQueryRange, computeSlots, type ComputeSlotsInput } from '../shared/slots/compute-slots'
import type { Interval, SlotConfig } from '../shared/slots/types'
import type { AvailabilityDay } from '../shared/types'
import type { AvailabilityVersions } from './availability-versions'
import type { Hold } from './holds/hold-store'

/**
 * Finished availability answers, and the version reads they are checked against.
 *
 * Under a crowd on one resource the costly part of an answer is no longer the database but
 * building it again for every request: cutting the slots, writing the JSON, hashing it. An
 * answer is the same bytes for everyone asking the same question while nothing it depends
 * on changes, so it is kept, with its ETag, and served as it is while
 * - the availability version it was built under is still the current one (writes bump it);
 * - the live holds on its range are exactly the ones it was built with (placing, releasing
 *   or the expiry of a hold changes that set, so the next read builds a new answer); and
 * - `now` is before the first instant at which time alone would change it: a pending
 *   booking's or a hold's expiry, the first offered slot coming within the minimum notice,
 *   the booking horizon reaching a slot not offered yet. Nothing is kept for a guessed time.
 */

export interface VersionRead {
  version: number | undefined
  /** Every live hold on the resource, whatever its range. */
  holds: Hold[]
}

const readers = new WeakMap<AvailabilityVersions, (resourceId: string) => Promise<VersionRead>>()

/**
 * The version and live holds of a resource, read no earlier than the call. A read that is
 * already running when a request arrives may have left before it (and miss a write that
 * landed just before the request), so that request never uses it: it waits for the next
 * read, which starts as soon as the running one settles, and every request arriving in the
 * meantime shares that one. So one process sends at most one read per resource at a time
 * (and keeps at most one waiting) however many requests arrive, and each answer is as fresh
 * as if the request had read alone.
 */
export function readVersionShared(versions: AvailabilityVersions, resourceId: string): Promise<VersionRead> {
  let read = readers.get(versions)
  if (!read) {
    read = createSharedVersionReads(versions)
    readers.set(versions, read)
  }
  return read(resourceId)
}

interface Lane {
  running: Promise<VersionRead> | undefined
  queued: Promise<VersionRead> | undefined
}

export function createSharedVersionReads(versions: AvailabilityVersions): (resourceId: string) => Promise<VersionRead> {
  const lanes = new Map<string, Lane>()
  const start = (resourceId: string, lane: Lane): Promise<VersionRead> => {
    // The whole resource: requests for different ranges share the read and filter it.
    let read: Promise<VersionRead>
    try {
      read = versions.read(resourceId, -Infinity, Infinity)
    } catch (error) {
      // A reader that throws instead of rejecting must still settle the requests waiting on it.
      read = Promise.reject(error as Error)
    }
    lane.running = read
    const settle = () => {
      if (lane.running === read) lane.running = undefined
      if (!lane.running && !lane.queued && lanes.get(resourceId) === lane) lanes.delete(resourceId)
    }
    read.then(settle, settle)
    return read
  }
  return (resourceId) => {
    let lane = lanes.get(resourceId)
    if (!lane) {
      lane = { running: undefined, queued: undefined }
      lanes.set(resourceId, lane)
    }
    // Not started yet, so it leaves after this request arrived.
    if (lane.queued) return lane.queued
    if (!lane.running) return start(resourceId, lane)
    const current = lane
    const before = current.running!
    const queued = new Promise<VersionRead>((resolve, reject) => {
      const go = () => {
        current.queued = undefined
        start(resourceId, current).then(resolve, reject)
      }
      before.then(go, go)
    })
    current.queued = queued
    return queued
  }
}

/** A finished answer: the exact bytes sent and their strong ETag. */
export interface Answer {
  bytes: Uint8Array
  etag: string
}

export interface BuiltAnswer extends Answer {
  /** The first instant (epoch ms) at which this answer may no longer be true with no write at all; Infinity if none. */
  validUntil: number
}

export interface AnswerCache {
  /**
   * The answer for `key` as of `version` and `now`: a kept one built under the same version
   * at or before `now` and still valid at `now`, else `build()` (whose result is kept).
   * Concurrent requests for the same key and version share one build.
   */
  get(key: string, version: number, now: number, build: () => Promise<BuiltAnswer>): Promise<Answer>
  clear(): void
}

interface AnswerEntry {
  version: number
  builtAt: number
  answer: Promise<BuiltAnswer>
  bytes: number
}

export function createAnswerCache(options: { maxEntries?: number; maxBytes?: number } = {}): AnswerCache {
  const maxEntries = options.maxEntries ?? 500
  // A month of half-hour slots is ~100 kB in the default format: answers are kept by size too.
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024
  const entries = new Map<string, AnswerEntry>()
  let bytes = 0
  const remove = (key: string, entry: AnswerEntry) => {
    if (entries.get(key) !== entry) return
    entries.delete(key)
    bytes -= entry.bytes
  }
  const trim = () => {
    // Oldest first (a Map iterates in insertion order).
    for (const [key, entry] of entries) {
      if (entries.size <= maxEntries && bytes <= maxBytes) break
      remove(key, entry)
    }
  }
  return {
    async get(key, version, now, build) {
      const hit = entries.get(key)
      if (hit && hit.version === version && now >= hit.builtAt) {
        const answer = await hit.answer.catch(() => undefined)
        if (answer && now < answer.validUntil) return answer
      }
      const answer = build()
      const current = entries.get(key)
      // A slow reader of an older version never replaces a newer answer.
      if (!current || current.version < version || (current.version === version && current.builtAt <= now)) {
        if (current) remove(key, current)
        const entry: AnswerEntry = { version, builtAt: now, answer, bytes: 0 }
        entries.set(key, entry)
        answer.then(
          (built) => {
            if (entries.get(key) !== entry) return
            entry.bytes = built.bytes.byteLength
            bytes += entry.bytes
            trim()
          },
          () => remove(key, entry),
        )
        trim()
      }
      return answer
    },
    clear() {
      entries.clear()
      bytes = 0
    },
  }
}

/**
 * The first instant after `input.now` at which `computeSlots(input)` (which gave `days`)
 * could give another answer with the same busy time, or Infinity. `now` moves the earliest
 * start (now + minimum notice) and, with a horizon, the latest one (now + horizon):
 * - the first offered slot stops being offered once now + notice passes its start;
 * - the next slot past the horizon (free or not: it also counts towards the per-answer
 *   slot limit) comes in once now + horizon reaches its start.
 * Slots cut off by the notice never come back, and busy time (places taken, for a resource
 * of several) is fixed by the caller.
 */
export function slotsValidUntil(input: ComputeSlotsInput, days: AvailabilityDay[]): number {
  const { config, now } = input
  let until = Infinity
  const first = days.find((d) => d.slots.length > 0)?.slots[0]
  if (first) until = Date.parse(first.start) - (config.minNoticeMin ?? 0) * MINUTE_MS + 1
  if (config.horizonDays != null) {
    const horizonMs = config.horizonDays * DAY_MS
    const horizon = now + horizonMs
    const rangeEnd = availabilityRange(input.from, input.to, input.viewZone).end
    if (horizon < rangeEnd - 1) {
      const beyond = computeSlots({ ...input, busy: [], places: undefined, config: withoutHorizon(config) })
      let next: number | undefined
      for (const day of beyond) {
        for (const slot of day.slots) {
          const start = Date.parse(slot.start)
          if (start > horizon && (next === undefined || start < next)) next = start
        }
        if (next !== undefined) break
      }
      if (next !== undefined) until = Math.min(until, next - horizonMs)
    }
  }
  return until
}

function withoutHorizon(config: SlotConfig): SlotConfig {
  const { horizonDays: _ignored, ...rest } = config
  return rest
}

const ranges = new Map<string, Interval>()

/** `busyQueryRange`, remembered: it is asked on every request and depends only on its arguments. */
export function busyRangeOf(from: string, to: string, viewZone: string, config: SlotConfig): Interval {
  const key = `${from}|${to}|${viewZone}|${config.bufferBeforeMin ?? 0}|${config.bufferAfterMin ?? 0}`
  let range = ranges.get(key)
  if (!range) {
    if (ranges.size >= 2_000) ranges.clear()
    range = busyQueryRange(from, to, viewZone, config)
    ranges.set(key, range)
  }
  return range
}
