import type { BookingRow } from '../../drizzle/schema'
import { BookingError } from '../../shared/errors'
import type { SeriesRequest } from '../../shared/schemas'
import type { AppDeps } from '../app-env'
import { randomRef } from '../bookings/booking-ref'
import { assertSeriesPayable, createSeriesBookings, type BookingDraft, type Booker } from '../bookings/lifecycle'
import type { Hold } from '../holds/hold-store'
import type { CatalogEntry } from '../store/resource-catalog'
import { checkOccurrences, conflictsOf, type ConflictReason, type OccurrenceCheck } from './check-occurrences'
import { seriesOccurrences, type Occurrence } from './occurrences'
import type { SeriesRow } from './series-store'

/** Write attempts of `skip_conflicts` when a date is taken between the check and the write. */
const SKIP_ATTEMPTS = 3

export interface BookSeriesInput {
  hold: Hold
  entry: CatalogEntry
  request: Pick<SeriesRequest, 'repeat' | 'mode'>
  sessionId: string
  manageTokenHash: string
  /** The owner books confirmed and without payment online (lifecycle `Booker`); default the guest. */
  by?: Booker
  /** A keyed request (`Idempotency-Key`): the first date carries the key, so a retry finds the series. */
  idempotency?: { keyHash: string; fingerprint: string; manageTokenSealed: string } | undefined
  /** Everything of a booking draft but its ref and interval, the same for every occurrence. */
  details: Omit<BookingDraft, 'ref' | 'start' | 'end' | 'resourceId' | 'sessionId' | 'manageTokenHash'>
}

export interface BookedSeries {
  series: SeriesRow
  rows: BookingRow[]
  skipped: OccurrenceCheck[]
}

/**
 * Books a series from the hold of its first occurrence. Every later occurrence is checked
 * first (so a refusal can name every taken date, not only the one the constraint met first),
 * then all are written in one transaction through the lifecycle. `all_or_nothing`: any
 * date not free → 409 `slot_taken` with `{conflicts}` and nothing written. `skip_conflicts`:
 * the free dates are written; one lost to a race at write time is dropped and the write
 * retried.
 */
export async function bookSeries(deps: AppDeps, input: BookSeriesInput): Promise<BookedSeries> {
  const { hold, entry, request } = input
  const { resource } = entry
  const { config } = resource
  assertSeriesPayable(deps, config, input.by)
  const now = deps.clock.now()
  const all = seriesOccurrences(hold, resource.timezone, request.repeat, { now, horizonDays: config.horizonDays })
  const [first, ...later] = all as [Occurrence, ...Occurrence[]]
  const check = (dates: readonly Occurrence[]) =>
    checkOccurrences(deps, entry, dates, { seats: hold.seats, sessionId: input.sessionId })

  const checked = await check(later)
  const conflicts = checked.filter((c) => !c.free)
  if (request.mode === 'all_or_nothing' && conflicts.length > 0) throw seriesTaken(conflicts)

  let chosen: Occurrence[] = [first, ...checked.filter((c) => c.free)]
  const skipped: OccurrenceCheck[] = [...conflicts]
  for (let attempt = 1; ; attempt++) {
    const series = seriesValues(input, resource.id, skipped)
    try {
      const drafts = chosen.map(draftFor(input, resource.id))
      if (input.idempotency && drafts[0]) {
        const { keyHash, fingerprint, manageTokenSealed } = input.idempotency
        drafts[0] = { ...drafts[0], idempotencyKeyHash: keyHash, requestHash: fingerprint, manageTokenSealed }
      }
      const rows = await createSeriesBookings(deps, series, drafts, config, input.by)
      return { series: { ...series, createdAt: new Date(now) }, rows, skipped: byDate(skipped) }
    } catch (error) {
      if (!(error instanceof BookingError && error.code === 'slot_taken')) throw error
      // Lost a race: ask again which dates are taken now, so the answer names them.
      const lost = (await check(chosen)).filter((c) => !c.free)
      if (request.mode === 'all_or_nothing') throw seriesTaken(lost)
      if (lost.length === 0 || attempt >= SKIP_ATTEMPTS) throw seriesTaken([...skipped, ...lost])
      skipped.push(...lost)
      const gone = new Set(lost.map((c) => c.start))
      chosen = chosen.filter((o) => !gone.has(o.start))
      if (chosen.length === 0) throw seriesTaken(skipped)
    }
  }
}

/** Occurrences to check or show for a series whose first date is `first` (the availability endpoint). */
export async function checkSeries(
  deps: AppDeps,
  entry: CatalogEntry,
  first: { start: number; end: number },
  repeat: SeriesRequest['repeat'],
  sessionId: string | undefined,
): Promise<OccurrenceCheck[]> {
  const { timezone, config } = entry.resource
  const all = seriesOccurrences(first, timezone, repeat, { now: deps.clock.now(), horizonDays: config.horizonDays })
  return checkOccurrences(deps, entry, all, { seats: 1, sessionId })
}

function seriesTaken(conflicts: readonly OccurrenceCheck[]): BookingError {
  const listed = conflictsOf(byDate(conflicts))
  return new BookingError(
    'slot_taken',
    listed.length > 0
      ? `${listed.length} of the dates ${listed.length === 1 ? 'is' : 'are'} not free: ${listed.map((c) => c.date).join(', ')}.`
      : 'This time was booked by someone else a moment ago.',
    { conflicts: listed },
  )
}

function byDate(checks: readonly OccurrenceCheck[]): OccurrenceCheck[] {
  return [...checks].sort((a, b) => a.start - b.start)
}

function seriesValues(input: BookSeriesInput, resourceId: string, skipped: readonly OccurrenceCheck[]) {
  const { repeat, mode } = input.request
  return {
    id: crypto.randomUUID(),
    ref: randomRef(),
    resourceId,
    everyWeeks: repeat.everyWeeks,
    occurrences: repeat.occurrences ?? null,
    untilDate: repeat.until ?? null,
    mode,
    skippedDates: byDate(skipped).map((c) => c.date),
    skippedReasons: byDate(skipped).map((c) => c.reason ?? 'taken'),
    manageTokenHash: input.manageTokenHash,
  }
}

function draftFor(input: BookSeriesInput, resourceId: string) {
  return (occurrence: Occurrence): BookingDraft => ({
    ...input.details,
    ref: randomRef(),
    resourceId,
    start: occurrence.start,
    end: occurrence.end,
    sessionId: input.sessionId,
    manageTokenHash: input.manageTokenHash,
  })
}

/**
 * The dates a series skipped, as its answer names them (an idempotent replay answers again
 * what the first request answered): each at the series' local time on that date.
 */
export function skippedOccurrences(
  series: Pick<SeriesRow, 'skippedDates' | 'skippedReasons' | 'everyWeeks' | 'occurrences' | 'untilDate'>,
  first: { start: number; end: number },
  zone: string,
): OccurrenceCheck[] {
  if (series.skippedDates.length === 0) return []
  // Each date's reason as decided then; a series booked before reasons were kept reads `taken`.
  const reasons = new Map(series.skippedDates.map((date, i) => [date, reasonOf(series.skippedReasons[i])]))
  const repeat = {
    everyWeeks: series.everyWeeks,
    ...(series.untilDate ? { until: series.untilDate } : { occurrences: series.occurrences ?? 2 }),
  }
  // The horizon was checked when it was booked; a replay only lists what was decided then.
  return seriesOccurrences(first, zone, repeat, { now: first.start, horizonDays: 3660 }).flatMap((occurrence) => {
    const reason = reasons.get(occurrence.date)
    return reason ? [{ ...occurrence, free: false, reason }] : []
  })
}

const REASONS: readonly ConflictReason[] = ['taken', 'held', 'closed']
const reasonOf = (stored: string | undefined): ConflictReason => REASONS.find((reason) => reason === stored) ?? 'taken'
