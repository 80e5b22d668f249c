import { Temporal } from 'temporal-polyfill'
import type { Interval } from './types'
import { DAY_MS } from './calendar-days'

/**
 * Local wall time ↔ instant conversions for one zone over a bounded span. Wall times are
 * "local epoch ms": the local date and time read as if they were UTC.
 */
export interface ZoneClock {
  /** Instant of a wall time with "compatible" disambiguation: a skipped time moves forward by the gap, a repeated one takes the earlier offset. */
  toInstant(wallMs: number): number
  /** Earliest instant showing a wall time (a repeated one: the first occurrence); undefined when a forward jump skips it. */
  firstInstantOf(wallMs: number): number | undefined
  /** First instant of local epoch day `day`; when midnight is skipped, the transition itself. */
  startOfDay(day: number): number
  /** Local epoch day containing the instant. */
  dayOf(ms: number): number
}

interface Transitions {
  /** Instants at which the offset changes, ascending. */
  at: number[]
  /** `offsets[k]` holds on [at[k-1], at[k]), open-ended at both sides. */
  offsets: number[]
}

/** Zone rules are fixed for the life of the process; bounded like `isValidTimeZone`'s cache. */
const transitionCache = new Map<string, Transitions>()
const CACHE_BLOCK_MS = 128 * DAY_MS

/**
 * Reads the zone's offset transitions around `span` from Temporal (cached per zone and
 * 128-day block) and answers every conversion with arithmetic. Temporal costs tens of µs
 * per call and an availability request converts hundreds of window ends, while a span
 * holds only a handful of transitions. Exact for instants and wall times within `span`
 * (give it a day of margin); beyond it the last known offset is assumed.
 */
export function createZoneClock(zone: string, span: Interval): ZoneClock {
  const { at: transitions, offsets } = readTransitions(zone, span)

  function offsetAt(ms: number): number {
    let k = 0
    while (k < transitions.length && (transitions[k] as number) <= ms) k++
    return offsets[k] as number
  }

  /** Earliest instant showing `wallMs`; Infinity when none does. */
  function earliestShowing(wallMs: number): number {
    let earliest = Infinity
    for (let k = 0; k < offsets.length; k++) {
      const candidate = wallMs - (offsets[k] as number)
      const from = k === 0 ? -Infinity : (transitions[k - 1] as number)
      const until = k === transitions.length ? Infinity : (transitions[k] as number)
      if (candidate >= from && candidate < until && candidate < earliest) earliest = candidate
    }
    return earliest
  }

  /**
   * Earliest instant showing `wallMs`. A wall time no instant shows lies in the jump of a
   * forward transition: "compatible" moves it forward by the gap (reads it with the offset
   * before), a day start clamps to the transition itself.
   */
  function resolve(wallMs: number, clampToTransition: boolean): number {
    const earliest = earliestShowing(wallMs)
    if (earliest !== Infinity) return earliest
    for (let k = 0; k < transitions.length; k++) {
      const at = transitions[k] as number
      const before = offsets[k] as number
      if (wallMs - before >= at && wallMs - (offsets[k + 1] as number) < at) {
        return clampToTransition ? at : wallMs - before
      }
    }
    throw new Error(`expected ${wallMs} to be a wall time in ${zone}, found no instant for it`)
  }

  return {
    toInstant: (wallMs) => resolve(wallMs, false),
    firstInstantOf: (wallMs) => {
      const earliest = earliestShowing(wallMs)
      return earliest === Infinity ? undefined : earliest
    },
    startOfDay: (day) => resolve(day * DAY_MS, true),
    dayOf: (ms) => Math.floor((ms + offsetAt(ms)) / DAY_MS),
  }
}

function readTransitions(zone: string, span: Interval): Transitions {
  const start = Math.floor(span.start / CACHE_BLOCK_MS) * CACHE_BLOCK_MS
  const end = Math.ceil(span.end / CACHE_BLOCK_MS) * CACHE_BLOCK_MS
  const key = `${zone} ${start} ${end}`
  const cached = transitionCache.get(key)
  if (cached !== undefined) return cached

  let zoned: Temporal.ZonedDateTime | null = Temporal.Instant.fromEpochMilliseconds(start).toZonedDateTimeISO(zone)
  const read: Transitions = { at: [], offsets: [zoned.offsetNanoseconds / 1e6] }
  for (;;) {
    zoned = zoned.getTimeZoneTransition('next')
    if (zoned === null || zoned.epochMilliseconds > end) break
    read.at.push(zoned.epochMilliseconds)
    read.offsets.push(zoned.offsetNanoseconds / 1e6)
  }
  if (transitionCache.size < 1000) transitionCache.set(key, read)
  return read
}
