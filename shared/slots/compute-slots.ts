import type { AvailabilityDay } from '../types'
import type { Interval, ScheduleRule, SlotConfig } from './types'
import { DAY_MS, MINUTE_MS, formatEpochDay, toEpochDay } from './calendar-days'
import { createZoneClock } from './zone-clock'
import { expandWindows } from './expand-windows'
import { withStartTimes } from './fixed-starts'
import { cutSlots, slotLimitCutoff, type CutSlotsOptions } from './cut-slots'
import { subtractBusy } from './subtract-busy'
import { createInstantFormatter } from './format-instant'
import { seatsLeft, type PlacesInput } from './seats-left'

export interface ComputeSlotsInput {
  /** The resource's IANA zone; schedule wall times are in it. */
  timezone: string
  rules: ScheduleRule[]
  config: SlotConfig
  /** Occupied intervals (bookings, other sessions' holds), unbuffered, any order, may overlap. */
  busy: Interval[]
  /** `YYYY-MM-DD`, inclusive, days in `viewZone`. */
  from: string
  to: string
  /** Zone in which days are cut. */
  viewZone: string
  /** Minutes; slot length in undivided windows. */
  duration?: number
  /** Epoch ms. */
  now: number
  /**
   * A resource of several places: slots are offered while `places.seats` are free, and
   * carry `seatsLeft`. Omitted (a resource of one place): `busy` alone decides.
   */
  places?: PlacesInput
}

/**
 * A slot can outlast the day it starts in by at most its window: one local day (`00:00–24:00`)
 * plus a DST shift. 48 h bounds that for every zone, including historical jumps, without
 * the busy query having to know the rules.
 */
const MAX_WINDOW_MS = 48 * 60 * MINUTE_MS

/**
 * Free slots for each day `from`…`to` in `viewZone`, every day present (empty ones `[]`),
 * in order. A slot belongs to the view-zone day its start falls on. Pure: `now` comes in.
 */
export function computeSlots(input: ComputeSlotsInput): AvailabilityDay[] {
  const format = createInstantFormatter()
  return computeFreeSlots(input).map(({ date, slots, seatsLeft }) => {
    if (seatsLeft) {
      return {
        date,
        slots: slots.map((slot, i) => ({
          start: format(slot.start),
          end: format(slot.end),
          seatsLeft: seatsLeft[i] as number,
        })),
      }
    }
    return { date, slots: slots.map((slot) => ({ start: format(slot.start), end: format(slot.end) })) }
  })
}

/** A day of `computeFreeSlots`: the slots `computeSlots` gives it, instants as epoch ms. */
export interface FreeSlotsDay {
  date: string
  /** In start, then end, order. */
  slots: Interval[]
  /** With `places`: the places left in each slot, in the same order. */
  seatsLeft?: number[]
}

/**
 * `computeSlots` before formatting: the same slots, as numbers. For callers that combine
 * many answers (a pool's members) and would otherwise format every slot of each only to
 * compare the strings.
 */
export function computeFreeSlots(input: ComputeSlotsInput): FreeSlotsDay[] {
  const { windows, cut, dayStarts, fromDay, toDay } = prepare(input)
  const candidates = cutSlots(windows, cut)
  const free = subtractBusy(candidates, input.busy, bufferMs(input.config))

  const days: FreeSlotsDay[] = []
  let index = 0
  if (input.places) {
    const { places } = input
    for (let day = fromDay; day <= toDay; day++) days.push({ date: formatEpochDay(day), slots: [], seatsLeft: [] })
    const left = seatsLeft(free, places, bufferMs(input.config))
    for (let i = 0; i < free.length; i++) {
      const slot = free[i] as Interval
      const seatsLeft = left[i] as number
      if (seatsLeft < places.seats) continue
      while (slot.start >= (dayStarts[index + 1] as number)) index++
      const day = days[index] as FreeSlotsDay
      day.slots.push(slot)
      ;(day.seatsLeft as number[]).push(seatsLeft)
    }
    return days
  }
  for (let day = fromDay; day <= toDay; day++) days.push({ date: formatEpochDay(day), slots: [] })
  for (const slot of free) {
    while (slot.start >= (dayStarts[index + 1] as number)) index++
    ;(days[index] as FreeSlotsDay).slots.push(slot)
  }
  return days
}

/**
 * How many whole days from `from` the range may span for `computeSlots` to offer at most
 * `maxSlots` slots (before busy time is taken out), when the whole range would offer more;
 * undefined when it fits. Answered from the windows' arithmetic, without cutting a slot,
 * so asking about a huge range costs what asking about a small one does.
 */
export function daysWithinSlotLimit(
  input: Omit<ComputeSlotsInput, 'busy' | 'places'>,
  maxSlots: number,
): number | undefined {
  const { windows, cut, dayStarts } = prepare(input)
  const cutoff = slotLimitCutoff(windows, cut, maxSlots)
  if (cutoff === undefined) return undefined
  // Days that end by the cutoff; dayStarts[d + 1] is the end of day d.
  let days = 0
  while (days + 1 < dayStarts.length && (dayStarts[days + 1] as number) <= cutoff) days++
  return days
}

/** The windows of the range and the bounds slots are cut within, shared by the cut and the count. */
function prepare(input: Omit<ComputeSlotsInput, 'busy' | 'places'>) {
  const { config, now } = input
  const fromDay = toEpochDay(input.from)
  const toDay = toEpochDay(input.to)
  const span = clockSpan(fromDay, toDay)
  const viewClock = createZoneClock(input.viewZone, span)
  const clock = input.timezone === input.viewZone ? viewClock : createZoneClock(input.timezone, span)

  const dayStarts: number[] = []
  for (let day = fromDay; day <= toDay + 1; day++) dayStarts.push(viewClock.startOfDay(day))
  const rangeStart = dayStarts[0] as number
  const rangeEnd = dayStarts[dayStarts.length - 1] as number

  // A window starting the local day before the range can cross midnight into it.
  const expanded = expandWindows(input.rules, clock, clock.dayOf(rangeStart) - 1, clock.dayOf(rangeEnd - 1))
  const windows = config.startTimes?.length ? withStartTimes(expanded, config.startTimes, clock) : expanded
  const horizon = config.horizonDays != null ? now + config.horizonDays * DAY_MS : Infinity
  const cut: CutSlotsOptions = {
    durations: config.durations,
    duration: input.duration,
    stepMin: config.slotStepMin,
    earliestStart: Math.max(rangeStart, now + (config.minNoticeMin ?? 0) * MINUTE_MS),
    // Starts are whole milliseconds, so "before rangeEnd" is "at most rangeEnd − 1".
    latestStart: Math.min(rangeEnd - 1, horizon),
  }
  return { windows, cut, dayStarts, fromDay, toDay }
}

/**
 * [start of `from`, start of the day after `to`) in `viewZone`, as epoch ms. Days are
 * whatever the zone makes them: 23 h or 25 h on DST days.
 */
export function availabilityRange(from: string, to: string, viewZone: string): Interval {
  const fromDay = toEpochDay(from)
  const toDay = toEpochDay(to)
  const clock = createZoneClock(viewZone, clockSpan(fromDay, toDay))
  return { start: clock.startOfDay(fromDay), end: clock.startOfDay(toDay + 1) }
}

/**
 * The interval to fetch busy rows for (those with start < end and end > start): a busy
 * interval outside it cannot block any slot `computeSlots` returns for the same
 * `from`/`to`/`viewZone`. The start moves back by both buffers (a booking's after-buffer
 * meets a slot's before-buffer); the end moves forward by both buffers plus
 * `MAX_WINDOW_MS`, since a slot starting just before the range end can run up to a whole
 * window past it. A fixed bound rather than one computed from the rules keeps this
 * callable before the schedule is loaded, at the price of fetching up to two extra days.
 */
export function busyQueryRange(from: string, to: string, viewZone: string, config: SlotConfig): Interval {
  const range = availabilityRange(from, to, viewZone)
  const { beforeMs, afterMs } = bufferMs(config)
  return { start: range.start - beforeMs - afterMs, end: range.end + MAX_WINDOW_MS + beforeMs + afterMs }
}

/**
 * Instants any conversion of a request can touch: view days reach ±14 h past their UTC
 * labels, resource windows start a local day early and end up to two local days later.
 */
function clockSpan(fromDay: number, toDay: number): Interval {
  return { start: (fromDay - 4) * DAY_MS, end: (toDay + 5) * DAY_MS }
}

function bufferMs(config: SlotConfig): { beforeMs: number; afterMs: number } {
  return {
    beforeMs: (config.bufferBeforeMin ?? 0) * MINUTE_MS,
    afterMs: (config.bufferAfterMin ?? 0) * MINUTE_MS,
  }
}
