import type { AdminBooking, AdminNotification } from '../shared/api-contract'
import {
  BOOKING_STATUSES,
  awaitingPayment,
  transitionAllowedFrom,
  type OwnerTransition,
} from '../shared/booking-status'
import { addDays, cityOf, dateOf, isoWeekday, wallClockIn } from '../shared/calendar-labels'
import { refundAmount } from '../shared/cancellation-policy'
import { formatMoney } from '../shared/money'
import { toEpochDay } from '../shared/slots/calendar-days'
import type { BookingStatus, PublicPayment } from '../shared/types'

/*
 * The bookings view's rules, apart from Preact so they can be tested as plain functions:
 * which statuses a filter asks for, which owner actions a booking allows right now, the
 * labels of its times and money, and where it sits in the week grid.
 */

/** A booking as the owner API answers it: the guest's view plus the internal id. */
export type { AdminBooking }

/** One entry of a booking's message log (`GET /v1/admin/notifications?bookingId`). */
export type Notice = AdminNotification

// ---------------------------------------------------------------- filters

/** `open` is every status but cancelled (the default); `all` sends no status at all. */
export type StatusFilter = 'open' | 'all' | BookingStatus

/** Each status in the owner's words, as it reads inside a sentence ("no-show"). */
export const STATUS_LABELS: Record<BookingStatus, string> = {
  pending: 'pending',
  confirmed: 'confirmed',
  cancelled: 'cancelled',
  completed: 'completed',
  no_show: 'no-show',
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

/** The filter menu: open bookings (the default), each status in the order a booking goes through them, cancelled last, then all. */
export const STATUS_FILTERS: readonly { value: StatusFilter; label: string }[] = [
  { value: 'open', label: 'All but cancelled' },
  ...(['pending', 'confirmed', 'completed', 'no_show', 'cancelled'] as const).map((status) => ({
    value: status,
    label: capitalized(STATUS_LABELS[status]),
  })),
  { value: 'all', label: 'All' },
]

const OPEN_STATUSES: readonly BookingStatus[] = BOOKING_STATUSES.filter((status) => status !== 'cancelled')

/** The statuses a filter lets through; undefined for every status. */
export function statusesOf(filter: StatusFilter): readonly BookingStatus[] | undefined {
  if (filter === 'all') return undefined
  if (filter === 'open') return OPEN_STATUSES
  return [filter]
}

export interface BookingsQuery {
  /** Instants (ms); omitted when searching, so a ref is found whatever its date. */
  from?: number
  to?: number
  resourceId?: string
  status: StatusFilter
  q?: string
  limit: number
  cursor?: string
}

/** The query string of `GET /v1/admin/bookings` for what the owner chose. */
export function bookingsQuery(query: BookingsQuery): string {
  const params = new URLSearchParams()
  if (query.from !== undefined) params.set('from', new Date(query.from).toISOString())
  if (query.to !== undefined) params.set('to', new Date(query.to).toISOString())
  if (query.resourceId) params.set('resourceId', query.resourceId)
  const statuses = statusesOf(query.status)
  if (statuses) params.set('status', statuses.join(','))
  const q = query.q?.trim()
  if (q) params.set('q', q)
  params.set('limit', String(query.limit))
  if (query.cursor) params.set('cursor', query.cursor)
  return params.toString()
}

/**
 * The same filter in the browser, applied to what the server sent: the list never shows a
 * booking the filter excludes, even from a server that ignores a parameter it does not know.
 */
export function matchesFilter(booking: AdminBooking, filter: StatusFilter, q: string): boolean {
  const statuses = statusesOf(filter)
  if (statuses && !statuses.includes(booking.status)) return false
  const needle = q.trim().toLowerCase()
  if (!needle) return true
  return [booking.ref, booking.guest.name, booking.guest.email].some((text) => text.toLowerCase().includes(needle))
}

// ---------------------------------------------------------------- actions

/** The owner's transitions, from the one table the API enforces (shared/booking-status.ts). */
export type OwnerAction = OwnerTransition

export const ACTION_LABELS: Record<OwnerAction, string> = {
  confirm: 'Confirm',
  'no-show': 'No-show',
  complete: 'Completed',
  cancel: 'Cancel…',
}

/**
 * What the owner may do with a booking at `now`, in the order the buttons appear. Confirm
 * only while pending and not waiting for the guest's money (the API refuses that); no-show
 * once the booking has started and completed once it has ended, for confirmed bookings;
 * cancel while pending or confirmed.
 */
export function legalActions(
  booking: Pick<AdminBooking, 'status' | 'start' | 'end' | 'payment'>,
  now: number,
): OwnerAction[] {
  const actions: OwnerAction[] = []
  const allowed = (action: OwnerAction) => transitionAllowedFrom(action, booking.status)
  if (allowed('confirm') && !awaitingPayment(booking.payment?.status)) actions.push('confirm')
  if (allowed('no-show') && now >= Date.parse(booking.start)) actions.push('no-show')
  if (allowed('complete') && now >= Date.parse(booking.end)) actions.push('complete')
  if (allowed('cancel')) actions.push('cancel')
  return actions
}

// ---------------------------------------------------------------- money

const money = (minor: number, currency: string, locale?: string) => formatMoney(minor, currency, locale)

/**
 * Where the booking's money stands, in a few words: "paid €45.00", "authorized €45.00",
 * "refunded €22.50", "paid €45.00 · refunded €22.50", with a refund still on its way
 * after a cancellation said so.
 */
export function paymentLabel(booking: Pick<AdminBooking, 'payment' | 'refund'>, locale?: string): string | undefined {
  const payment = booking.payment
  if (!payment) return undefined
  const { currency } = payment
  const parts: string[] = []
  switch (payment.status) {
    case 'requires_payment':
      parts.push(`awaiting payment of ${money(payment.amount, currency, locale)}`)
      break
    case 'authorized':
      parts.push(`authorized ${money(payment.amount, currency, locale)}`)
      break
    case 'captured':
      if (payment.refunded >= payment.captured && payment.captured > 0)
        parts.push(`refunded ${money(payment.refunded, currency, locale)}`)
      else {
        parts.push(`paid ${money(payment.captured, currency, locale)}`)
        if (payment.refunded > 0) parts.push(`refunded ${money(payment.refunded, currency, locale)}`)
      }
      break
    case 'canceled':
      parts.push(payment.captured > 0 ? `paid ${money(payment.captured, currency, locale)}` : 'not charged')
      break
    case 'failed':
      parts.push('payment failed')
      break
  }
  const refund = booking.refund
  if (refund && refund.amount > 0 && refund.state !== 'done') {
    const amount = money(refund.amount, refund.currency ?? currency, locale)
    parts.push(refund.state === 'failed' ? `refund of ${amount} failed, retrying` : `refund of ${amount} on its way`)
  }
  return parts.join(' · ')
}

/** What a refund percentage is taken of: what is left of the captured money, else the authorization. */
export function refundBasis(payment: PublicPayment | undefined): number {
  if (!payment) return 0
  if (payment.captured > 0) return Math.max(0, payment.captured - payment.refunded)
  return payment.status === 'authorized' ? payment.amount : 0
}

/** The refund `percent` of the booking's money would give, as the server rounds it (down). */
export function overrideRefund(payment: PublicPayment | undefined, percent: number): number {
  return refundAmount(refundBasis(payment), percent)
}

/** Whole numbers 0–100 as typed; undefined for anything else. */
export function parsePercent(text: string): number | undefined {
  const trimmed = text.trim().replace(/\s*%$/, '')
  if (!/^\d{1,3}$/.test(trimmed)) return undefined
  const value = Number(trimmed)
  return value <= 100 ? value : undefined
}

// ---------------------------------------------------------------- zones

/** The calendar date and minute of the day an instant shows in `zone`. */
export function wallTime(ms: number, zone: string): { date: string; minute: number } {
  const p = wallClockIn(ms, zone)
  return { date: dateOf(p), minute: p.hour * 60 + p.minute }
}

/** How far `zone`'s clock is ahead of UTC at `ms`. */
function offsetAt(ms: number, zone: string): number {
  const p = wallClockIn(ms, zone)
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
  return wall - Math.floor(ms / 1000) * 1000
}

/**
 * The instant a calendar day begins in `zone`. Read twice because the offset at the guess
 * can differ from the one at midnight on a day the clocks change.
 */
export function startOfDayIn(date: string, zone: string): number {
  const wall = toEpochDay(date) * 86_400_000
  const guess = wall - offsetAt(wall, zone)
  return wall - offsetAt(guess, zone)
}

/** The browser's zone: the owner's own clock. */
export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone

const clockFormatters = new Map<string, Intl.DateTimeFormat>()
function clock(ms: number, zone: string, locale: string | undefined, weekday = false): string {
  const key = `${locale ?? ''} ${zone} ${weekday}`
  let format = clockFormatters.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      timeZone: zone,
      hour: '2-digit',
      minute: '2-digit',
      ...(weekday ? { weekday: 'short' } : {}),
    })
    clockFormatters.set(key, format)
  }
  return format.format(new Date(ms))
}

export interface TimeLabel {
  /** "09:00–10:00 Berlin time": the booking in its resource's zone. */
  resource: string
  /** "08:00 London": the start on the owner's clock, only when it reads differently. */
  owner?: string
}

/** A booking's times labelled with the resource's zone, and the owner's when it differs. */
export function timeLabel(
  start: string,
  end: string,
  resourceZone: string,
  ownerZone: string,
  locale?: string,
): TimeLabel {
  const from = Date.parse(start)
  const to = Date.parse(end)
  const resource = `${clock(from, resourceZone, locale)}–${clock(to, resourceZone, locale)} ${cityOf(resourceZone)} time`
  if (ownerZone === resourceZone) return { resource }
  const there = wallTime(from, resourceZone)
  const here = wallTime(from, ownerZone)
  if (there.date === here.date && there.minute === here.minute) return { resource }
  // Another day on the owner's clock (late evening, far zones): name the weekday too.
  return { resource, owner: `${clock(from, ownerZone, locale, there.date !== here.date)} ${cityOf(ownerZone)}` }
}

/** "09:00–10:00 Berlin time (08:00 London)". */
export const timeLabelText = (label: TimeLabel): string =>
  label.owner ? `${label.resource} (${label.owner})` : label.resource

const dayFormatters = new Map<string, Intl.DateTimeFormat>()
/** "Tuesday 24 March" for a calendar date (no zone: a label names a day). */
export function dayLabel(date: string, locale?: string, style: 'long' | 'short' = 'long'): string {
  const key = `${locale ?? ''} ${style}`
  let format = dayFormatters.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      timeZone: 'UTC',
      weekday: style,
      day: 'numeric',
      month: style === 'long' ? 'long' : 'short',
    })
    dayFormatters.set(key, format)
  }
  return format.format(new Date(toEpochDay(date) * 86_400_000))
}

// ---------------------------------------------------------------- the week grid

/** Height of one hour row in the week grid, in CSS pixels. */
export const HOUR_PX = 48

/** The first day (`firstDay`, ISO weekday) of the week that holds `date`. */
export function weekStart(date: string, firstDay: number): string {
  return addDays(date, -((isoWeekday(date) - firstDay + 7) % 7))
}

export interface GridBlock {
  booking: AdminBooking
  /** Column: index into the grid's days. */
  column: number
  /** Minutes of the day in the grid's zone, clipped to the day. */
  startMinute: number
  endMinute: number
  /** Side-by-side place among the bookings it overlaps: lane `lane` of `lanes`. */
  lane: number
  lanes: number
  /** Pixels from the top of the first hour row, and tall. */
  top: number
  height: number
  /** Percent of the column's width. */
  left: number
  width: number
  /** The booking goes on before or after this day (it crosses midnight). */
  continuesBefore: boolean
  continuesAfter: boolean
}

export interface WeekLayout {
  days: string[]
  zone: string
  /** The hour rows shown: firstHour ≤ h < lastHour. */
  firstHour: number
  lastHour: number
  blocks: GridBlock[]
}

type Segment = Omit<GridBlock, 'lane' | 'lanes' | 'top' | 'height' | 'left' | 'width'>

/**
 * Lays bookings out on a grid of `days` (columns) and hours (rows) in `zone`: each one a
 * block from its start to its end in that zone's wall time, split at midnight, and blocks
 * that overlap in time side by side. The rows cover `hours` and every booking shown.
 */
export function layoutWeek(
  bookings: readonly AdminBooking[],
  days: readonly string[],
  zone: string,
  hours = { first: 8, last: 18 },
): WeekLayout {
  const columns = new Map(days.map((day, index) => [day, index]))
  const segments: Segment[] = []
  for (const booking of bookings) {
    const start = wallTime(Date.parse(booking.start), zone)
    const end = wallTime(Date.parse(booking.end), zone)
    for (let day = start.date; day <= end.date; day = addDays(day, 1)) {
      const column = columns.get(day)
      const startMinute = day === start.date ? start.minute : 0
      const endMinute = day === end.date ? end.minute : 1440
      // A booking ending exactly at midnight has nothing on the next day.
      if (column === undefined || endMinute <= startMinute) continue
      segments.push({
        booking,
        column,
        startMinute,
        endMinute,
        continuesBefore: day !== start.date,
        continuesAfter: day !== end.date,
      })
    }
  }
  let firstHour = hours.first
  let lastHour = hours.last
  for (const s of segments) {
    firstHour = Math.min(firstHour, Math.floor(s.startMinute / 60))
    lastHour = Math.max(lastHour, Math.ceil(s.endMinute / 60))
  }
  const blocks: GridBlock[] = []
  for (let column = 0; column < days.length; column++) {
    const inColumn = segments
      .filter((s) => s.column === column)
      .sort((a, b) => a.startMinute - b.startMinute || b.endMinute - a.endMinute)
    for (const cluster of overlapClusters(inColumn)) {
      const laneEnds: number[] = []
      const lanesOf = cluster.map((s) => {
        let lane = laneEnds.findIndex((end) => end <= s.startMinute)
        if (lane === -1) lane = laneEnds.push(0) - 1
        laneEnds[lane] = s.endMinute
        return lane
      })
      const lanes = laneEnds.length
      cluster.forEach((s, i) => {
        const lane = lanesOf[i]!
        blocks.push({
          ...s,
          lane,
          lanes,
          top: ((s.startMinute - firstHour * 60) / 60) * HOUR_PX,
          height: ((s.endMinute - s.startMinute) / 60) * HOUR_PX,
          left: (lane / lanes) * 100,
          width: 100 / lanes,
        })
      })
    }
  }
  return { days: [...days], zone, firstHour, lastHour, blocks }
}

/** Runs of segments (sorted by start) that overlap one another, directly or through a chain. */
function overlapClusters(sorted: Segment[]): Segment[][] {
  const clusters: Segment[][] = []
  let current: Segment[] = []
  let reach = -1
  for (const s of sorted) {
    if (current.length > 0 && s.startMinute >= reach) {
      clusters.push(current)
      current = []
      reach = -1
    }
    current.push(s)
    reach = Math.max(reach, s.endMinute)
  }
  if (current.length > 0) clusters.push(current)
  return clusters
}

/** Bookings grouped by the date they start on in `zone`, in time order. */
export function groupByDay(bookings: readonly AdminBooking[], zone: string): [string, AdminBooking[]][] {
  const byDay = new Map<string, AdminBooking[]>()
  for (const b of [...bookings].sort((x, y) => Date.parse(x.start) - Date.parse(y.start))) {
    const day = wallTime(Date.parse(b.start), zone).date
    byDay.set(day, [...(byDay.get(day) ?? []), b])
  }
  return [...byDay.entries()]
}

/**
 * The zone the grid is drawn in: the chosen resource's, else the one all resources share,
 * else the owner's own (each booking's card still names its resource's zone).
 */
export function gridZone(
  resources: readonly { id: string; timezone: string }[],
  resourceId: string,
  ownerZone: string,
): string {
  const chosen = resources.find((r) => r.id === resourceId)
  if (chosen) return chosen.timezone
  const zones = new Set(resources.map((r) => r.timezone))
  return zones.size === 1 ? [...zones][0]! : ownerZone
}
