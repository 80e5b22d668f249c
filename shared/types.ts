import type { BookingStatus, PaymentStatus } from './booking-status'
import type { RefundTier } from './cancellation-policy'
import type { PaymentSetting } from './payment-terms'
import type { ReadableAnswer } from './intake-answers'
import type {
  CancellationPolicy,
  IntakeAnswers,
  IntakeQuestion,
  Money,
  ResourceConfig,
  SpanConfig,
} from './resource-config'

export type { CancellationPolicy, Money, ResourceConfig }
export type { ScheduleRule } from './slots/types'

/** What anyone may see of a resource (`GET /v1/resources/:idOrSlug`). */
export interface PublicResource {
  id: string
  slug: string
  type: string
  name: string
  timezone: string
  durations?: number[]
  price?: Money
  payment?: PaymentSetting
  /** What is paid when booking, for `payment: 'deposit'`. */
  deposit?: Money
  cancellationPolicy?: CancellationPolicy
  /** Hours before the start after which a guest can no longer move / cancel online (when the resource sets them). */
  minRescheduleNoticeHours?: number
  minCancelNoticeHours?: number
  /** Places at any instant; present only when above 1 (a class, a tour). */
  capacity?: number
  /** Most places one booking may take; present with `capacity`. */
  maxSeatsPerBooking?: number
  /** For a table: the party sizes it seats, when the owner set them. */
  minParty?: number
  maxParty?: number
  /**
   * How many days ahead the guest can book: the configured horizon, else
   * DEFAULT_HORIZON_DAYS (how far the widget pages and next-available looks). Always sent
   * by this server; optional for clients of servers from before it was added.
   */
  horizonDays?: number
  /**
   * False when this server cannot take a booking of it at all: it takes payment online and
   * no payment provider is configured (`notBookableReason: 'payment_unavailable'`). Always
   * sent by this server.
   */
  bookable?: boolean
  notBookableReason?: 'payment_unavailable'
  /** Present when the resource is booked as a span across days (a car, a room by the night): see `GET …/spans`. */
  span?: SpanConfig
  /** Present when the resource asks intake questions: the widget asks them in the details step. */
  questions?: IntakeQuestion[]
  /** Present when guests may join the waitlist of its full times (docs/waitlist.md); minutes to claim an offer. */
  waitlist?: { offerMinutes: number }
}

/** The first free time on or after a day (`GET …/next-available`). */
export interface NextAvailable {
  /** The day in the asked zone, `YYYY-MM-DD`. */
  date: string
  start: string
  end: string
}

/** `GET /v1/resources/:idOrSlug/next-available` → the first free slot on or after a day, or null. */
export interface NextAvailableResponse {
  nextAvailable: NextAvailable | null
}

/** A bookable slot; instants are ISO-8601 UTC with `Z`. */
export interface Slot {
  start: string
  end: string
  /** Pool availability only: how many members are free at this time (for "any available"). */
  membersFree?: number
  /** Places still free in this slot; present only for a resource with capacity above 1. */
  seatsLeft?: number
}

export interface AvailabilityDay {
  /** A day in the requested zone, `YYYY-MM-DD`. */
  date: string
  slots: Slot[]
  /**
   * True on a day the schedule opens but every time is taken (booked or held): the widget
   * offers the waitlist there, never on a closed day. Resource availability only.
   */
  full?: true
}

export interface AvailabilityResponse {
  resource: PublicResource
  timezone: string
  days: AvailabilityDay[]
  /** The asking session's own live holds on this resource (its selection); omitted when none. */
  holds?: PublicHold[]
  /** Present (true) when the hold store could not be asked: other guests' holds are not subtracted. */
  holdsUnavailable?: true
}

/**
 * A day of `?format=compact` availability. Each entry of `starts` is a slot's start in
 * minutes from the day's anchor, 00:00 UTC of `date` (real elapsed minutes, so DST days
 * need no special case; negative or past 1440 for zones far from UTC); the slot lasts
 * `length` minutes, or is a `[start, minutes]` pair when its length differs. `length` is
 * omitted on a day without slots.
 */
export interface CompactAvailabilityDay {
  date: string
  length?: number
  starts: (number | [number, number])[]
  /** For a resource with capacity above 1: each slot's places still free, in the order of `starts`. */
  seatsLeft?: number[]
  /** Pool availability only: each slot's free members, in the order of `starts`. */
  membersFree?: number[]
  /** As `AvailabilityDay.full`. */
  full?: true
}

/** `GET …/availability?format=compact`: the same answer as AvailabilityResponse, days compacted. */
export interface CompactAvailabilityResponse extends Omit<AvailabilityResponse, 'days'> {
  format: 'compact'
  days: CompactAvailabilityDay[]
}

export type { BookingStatus }

export { PAYMENT_STATUSES, type PaymentStatus } from './booking-status'

/**
 * How a cancellation is settled under the booking's policy. `refund` and `kept` are minor
 * units of `currency` and add up to what was paid or authorized. `method`: a refund of a
 * captured payment, a partial capture of an authorization (keeping only `kept`), releasing
 * the authorization, or nothing to do. `state` turns `done` when the provider confirmed.
 */
export interface CancellationSettlement {
  tier: RefundTier | 'owner_override'
  percent: number
  refund: number
  kept: number
  currency: string | null
  method: 'refund' | 'partial_capture' | 'release' | 'none'
  state: 'pending' | 'done' | 'failed'
  attempts: number
  lastError?: string
}

/** A booking's payment as the guest sees it; amounts in minor units of `currency`. */
export interface PublicPayment {
  status: PaymentStatus
  amount: number
  currency: string
  captured: number
  refunded: number
}

/** A booking as the guest (and the widget) sees it. Instants are ISO-8601 UTC. */
export interface PublicBooking {
  ref: string
  resourceId: string
  status: BookingStatus
  start: string
  end: string
  guest: { name: string; email: string; phone?: string }
  /** Places this booking takes. Always sent by this server; absent from servers before capacity, meaning 1. */
  seats?: number
  /** Present when booked through a pool ("any physio"): the pool; `resourceId` is the member assigned. */
  poolId?: string
  /** Present when booked with a party size (a table). */
  partySize?: number
  /** Present for a combined booking: the service, and the further resources it occupies (`resourceId` is the lead's). */
  serviceId?: string
  parts?: PublicBookingPart[]
  /**
   * Owner API only: this row is a further part of the combined booking with this ref (the
   * room it takes); it changes only with that booking. Guests never see part rows.
   */
  partOf?: string
  /** Present for an occurrence of a recurring booking: the series' ref (`GET /v1/series/:ref`). */
  seriesRef?: string
  /** With `seriesRef`: the series repeats every this many weeks. */
  seriesEveryWeeks?: number
  /** Owner API only: the series' id. */
  seriesId?: string
  notes?: string
  /** The guest's answers to the resource's intake questions, by question id. */
  answers?: IntakeAnswers
  /**
   * Owner API only: each answer in words beside its question as the guest was asked it (later
   * edits to the questions do not change it), in the order asked.
   */
  answersReadable?: ReadableAnswer[]
  /** Bumped by every reschedule. */
  version: number
  createdAt: string
  confirmedAt?: string
  /** An unpaid pending booking stops holding its slot at this instant. */
  expiresAt?: string
  cancelledAt?: string
  cancelReason?: string
  /** Present when the booking takes payment. */
  payment?: PublicPayment
  /** Present once cancelled: what the policy refunds (`refund`) and the tier it fell on. */
  refund?: {
    amount: number
    currency: string | null
    percent: number
    tier: CancellationSettlement['tier']
    state: CancellationSettlement['state']
  }
  /**
   * While pending or confirmed (the manage view): what a guest cancel right now would give
   * back under the booking's policy; `allowed` is false once online cancellation has closed.
   */
  cancellation?: { allowed: boolean; percent: number; refund?: { amount: number; currency: string } }
  /**
   * While pending or confirmed (the manage view, and a guest's move): until when the guest
   * may still move (`reschedule`) and cancel (`cancel`) it online, as ISO instants (the start
   * itself when no notice applies); null once that has closed (too close to the start, or
   * started). Set by this server; absent from older ones.
   */
  changeableUntil?: { reschedule: string | null; cancel: string | null }
}

/** `POST /v1/holds` → 201 `{hold}`. */
export interface PublicHold {
  id: string
  resourceId: string
  start: string
  end: string
  expiresAt: string
  /** Places held. Always sent by this server; absent from servers before capacity, meaning 1. */
  seats?: number
  /** Present when held through a pool: the pool; `resourceId` is the member the hold took. */
  poolId?: string
  /** Present when held with a party size. */
  partySize?: number
  /** Present when held for a service (a combined booking): the service, and the resource each further part took. */
  serviceId?: string
  parts?: PublicBookingPart[]
}

/** A further resource a combined booking occupies with its lead (`position` ≥ 1 of the service's parts). */
export interface PublicBookingPart {
  position: number
  resourceId: string
  /** The resource's name, for the guest to read ("Room 2"). */
  name: string
}

/** How a pool picks the member a booking gets (docs/capacity.md). */
export type PoolStrategy = 'ordered' | 'round_robin' | 'weighted' | 'smallest_fit'

/** A member as guests see it, when the pool lets them choose. */
export interface PublicPoolMember {
  id: string
  slug: string
  name: string
  minParty?: number
  maxParty?: number
}

/**
 * What anyone may see of a pool (`GET /v1/pools/:idOrSlug`). What a booking costs and lasts
 * is the assigned member's: `resource` is the first active member's public view, which the
 * widget shows (an owner keeps a pool's members alike).
 */
export interface PublicPool {
  id: string
  slug: string
  type: string
  name: string
  timezone: string
  /** Whether the guest may pick a member instead of "anyone"; `members` is sent when so. */
  memberChoice: boolean
  members?: PublicPoolMember[]
  /** For a pool of tables: the party sizes some member seats. */
  minParty?: number
  maxParty?: number
  resource: PublicResource
}

/** `GET /v1/pools/:idOrSlug/availability`: the union of the members' free slots. */
export interface PoolAvailabilityResponse {
  pool: PublicPool
  timezone: string
  days: AvailabilityDay[]
  /** The asking session's own live holds on the pool's members; omitted when none. */
  holds?: PublicHold[]
  holdsUnavailable?: true
}

/** A pool as its owner sees it (the admin API). */
export interface AdminPool {
  id: string
  slug: string
  type: string
  name: string
  timezone: string
  strategy: PoolStrategy
  memberChoice: boolean
  isActive: boolean
  createdAt: string
  /** In `position` order. */
  members: { resourceId: string; position: number; weight: number }[]
}

/** A resource as its owner sees it (the admin API): everything, inactive ones included. */
export interface AdminResource {
  id: string
  slug: string
  type: string
  name: string
  timezone: string
  config: ResourceConfig
  isActive: boolean
  createdAt: string
}

/** One part of a service as guests see it: a named resource, or "any free member" of a pool. */
export interface PublicServicePart {
  position: number
  /** What guests read: the owner's label for the part, else the resource's or pool's name. */
  label: string
  resourceId?: string
  poolId?: string
}

/**
 * What anyone may see of a service (`GET /v1/services/:idOrSlug`): the resources it needs
 * at once. Its slots, price, payment and policy are its lead part's (position 0): `resource`
 * is that part's public view (for a pool lead, its first active member's).
 */
export interface PublicService {
  id: string
  slug: string
  name: string
  timezone: string
  parts: PublicServicePart[]
  resource: PublicResource
}

/** `GET /v1/services/:idOrSlug/availability`: the lead's slots at which every part is free. */
export interface ServiceAvailabilityResponse {
  service: PublicService
  timezone: string
  days: AvailabilityDay[]
  /** The asking session's own live lead holds for this service; omitted when none. */
  holds?: PublicHold[]
  holdsUnavailable?: true
}

/** A service as its owner sees it (the admin API). */
export interface AdminService {
  id: string
  slug: string
  name: string
  timezone: string
  isActive: boolean
  parts: { position: number; resourceId?: string; poolId?: string; label?: string; name: string }[]
  createdAt: string
}

/**
 * `GET /v1/resources/:idOrSlug/spans`: when a span can start and end, per day in the asked
 * zone. Without `start`: each day's pickup times. With `start` (a pickup): each day's
 * return times for it, and the latest return (the next booking, the longest span or the
 * horizon, whichever comes first). Instants are ISO-8601 UTC.
 */
export interface SpansResponse {
  resource: PublicResource
  timezone: string
  span: SpanConfig
  days: SpanDay[]
  /** With `start`: the latest instant a span from it may end; null when it cannot start then. */
  latestReturn?: string | null
}

export interface SpanDay {
  date: string
  /** Without `start`: when a span may begin this day. */
  pickups?: string[]
  /** With `start`: when a span from it may end this day. */
  returns?: string[]
}
