import { Temporal } from 'temporal-polyfill'
import type { BookingRow } from '../../drizzle/schema'
import { isActive } from '../../shared/booking-status'
import { BookingError } from '../../shared/errors'
import type { AppDeps } from '../app-env'
import { assertGuestMayMove, moveSeriesOccurrences } from '../bookings/lifecycle'
import { invalidField } from '../errors'
import type { CatalogEntry } from '../store/resource-catalog'
import { checkOccurrences, conflictsOf, type OccurrenceCheck } from './check-occurrences'
import { freeOfOwnDates } from './free-of-own-dates'
import { findOccurrences, type SeriesRow } from './series-store'

/*
 * Moving a whole series (docs/booking-rules.md, "Moving a series"):
 * - The request names the new time of the NEXT active date; every future active date moves
 *   by the same number of local days to the same local wall time in the resource's zone, so
 *   a Tuesday 18:00 series moved to Thursday 19:00 stays Thursday 19:00 across a DST change.
 * - Every new time is checked as a single booking's would be (schedule, notice, horizon,
 *   bookings, other guests' holds), the series' own dates being moved away not counting;
 *   then all are written in one transaction: any conflict → 409, nothing moved.
 * - A guest may move the series only while every future date may still be moved online
 *   (its own reschedule notice and policy); otherwise 422 `reschedule_closed` names those
 *   dates. The owner is bound by no notice, neither the dates' nor the resource's.
 */

export type SeriesMover = { by: 'guest'; sessionId?: string | undefined } | { by: 'owner' }

export interface SeriesMoveRequest {
  start: number
  end?: number | undefined
}

/** One date of the series and where it goes. */
interface Target extends OccurrenceCheck {
  row: BookingRow
}

/** Moves the future dates of `series`; returns the rows moved (none when the series already is there). */
export async function moveSeries(
  deps: AppDeps,
  series: SeriesRow,
  request: SeriesMoveRequest,
  who: SeriesMover,
): Promise<BookingRow[]> {
  const entry = await deps.catalog.find(series.resourceId)
  if (!entry) throw new BookingError('not_found', 'This resource is no longer bookable.')
  const now = deps.clock.now()
  if (request.start <= now) throw invalidField('start', 'invalid', 'must be in the future')
  const future = (await findOccurrences(deps.db, series.id)).filter(
    (row) => isActive(row.status) && row.startsAt.getTime() > now,
  )
  if (future.length === 0) throw new BookingError('invalid_transition', 'This series has no future date left to move.')
  if (who.by === 'guest') assertGuestMayMoveAll(future, now)

  const targets = shiftedDates(future, request, entry.resource.timezone)
  // A repeated request (a retry after a lost response) changes nothing and tells nobody again.
  if (targets.every((t) => t.start === t.row.startsAt.getTime() && t.end === t.row.endsAt.getTime())) return []

  const bookable = who.by === 'owner' ? withoutNotice(entry) : entry
  const check = () => checkTargets(deps, bookable, targets, who)
  const conflicts = (await check()).filter((c) => !c.free)
  if (conflicts.length > 0) throw seriesMoveTaken(conflicts)
  const moves = targets.map((t) => ({
    id: t.row.id,
    version: t.row.version,
    from: t.row.startsAt.getTime(),
    start: t.start,
    end: t.end,
  }))
  try {
    return await moveSeriesOccurrences(deps, series.resourceId, moves, now)
  } catch (error) {
    if (!(error instanceof BookingError && error.code === 'slot_taken')) throw error
    // Lost a race between the check and the write: ask again, so the answer names the dates.
    throw seriesMoveTaken((await check()).filter((c) => !c.free))
  }
}

/**
 * The new interval of each date: its local date shifted by the days the next date moves,
 * at the new local wall time (a time a DST change skips moves forward by the gap). The
 * next date goes exactly where asked; each date keeps its length unless `end` gives one.
 */
export function shiftedDates(rows: readonly BookingRow[], to: SeriesMoveRequest, zone: string): Target[] {
  const [next] = rows
  if (!next) return []
  const at = (ms: number) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone)
  const target = at(to.start)
  const days = at(next.startsAt.getTime()).toPlainDate().until(target.toPlainDate(), { largestUnit: 'days' }).days
  const wallTime = target.toPlainTime()
  const length = to.end === undefined ? undefined : to.end - to.start
  return rows.map((row) => {
    const date = at(row.startsAt.getTime()).toPlainDate().add({ days })
    const start =
      row === next ? to.start : date.toZonedDateTime({ timeZone: zone, plainTime: wallTime }).epochMilliseconds
    const end = start + (length ?? row.endsAt.getTime() - row.startsAt.getTime())
    return { row, date: date.toString(), start, end, free: true }
  })
}

/** 422 `reschedule_closed` naming every future date the guest may no longer move online. */
function assertGuestMayMoveAll(rows: readonly BookingRow[], now: number): void {
  const closed: { ref: string; start: string; reason: string }[] = []
  for (const row of rows) {
    try {
      assertGuestMayMove(row, now)
    } catch (error) {
      if (!(error instanceof BookingError)) throw error
      closed.push({ ref: row.ref, start: row.startsAt.toISOString(), reason: error.message })
    }
  }
  if (closed.length === 0) return
  throw new BookingError(
    'reschedule_closed',
    `${closed.length === 1 ? 'One date' : `${closed.length} dates`} of this series can no longer be moved online (${closed.map((c) => c.start.slice(0, 10)).join(', ')}); nothing was moved. Move the later dates one at a time, or ask the provider.`,
    { closed },
  )
}

/**
 * Each new time checked as a hold would be (checkOccurrences); a date found taken is asked
 * again without the series' own dates, which move away in the same transaction.
 */
async function checkTargets(
  deps: AppDeps,
  entry: CatalogEntry,
  targets: readonly Target[],
  who: SeriesMover,
): Promise<OccurrenceCheck[]> {
  const own = targets.map((t) => t.row)
  const seats = own[0]?.seats ?? 1
  const sessionId = who.by === 'guest' ? who.sessionId : undefined
  const checks = await checkOccurrences(deps, entry, targets, { seats, sessionId })
  return Promise.all(
    checks.map(async ({ reason, ...check }) =>
      reason === 'taken' && (await freeOfOwnDates(deps, entry, check, own, seats))
        ? { ...check, free: true }
        : { ...check, ...(reason ? { reason } : {}) },
    ),
  )
}

/** The resource as the owner books it: no minimum notice (the schedule and horizon still apply). */
function withoutNotice(entry: CatalogEntry): CatalogEntry {
  return { ...entry, resource: { ...entry.resource, config: { ...entry.resource.config, minNoticeMin: 0 } } }
}

function seriesMoveTaken(checks: readonly OccurrenceCheck[]): BookingError {
  const listed = conflictsOf([...checks].sort((a, b) => a.start - b.start))
  return new BookingError(
    'slot_taken',
    listed.length > 0
      ? `${listed.length} of the new dates ${listed.length === 1 ? 'is' : 'are'} not free: ${listed.map((c) => c.date).join(', ')}. Nothing was moved.`
      : 'A new date was booked by someone else a moment ago. Nothing was moved.',
    { conflicts: listed },
  )
}
