import type { PaymentSetting } from './payment-terms'

/*
 * A resource's settings as the API stores and answers them, written out so that the
 * published SDK's types need no zod. The schemas that check them (resourceConfigSchema,
 * moneySchema, cancellationPolicySchema) must infer exactly these: contract-shapes.test.ts
 * fails type-checking when one drifts from the other.
 */

/** Money is integer minor units plus a currency code; never floats. */
export interface Money {
  amount: number
  currency: string
}

/**
 * A cancellation policy, read as a ladder by hours before start (see cancellation-policy.ts),
 * in its stored snake_case form. The rungs do not cross: no_refund ≤ partial_refund ≤
 * free_cancellation hours, and partial_refund_hours comes with partial_refund_percent.
 */
export interface CancellationPolicy {
  free_cancellation_hours?: number
  partial_refund_hours?: number
  partial_refund_percent?: number
  no_refund_hours?: number
}

/** What an intake question asks for; see docs/integrations.md, intake questions. */
export type IntakeQuestionType =
  'short_text' | 'long_text' | 'single_choice' | 'multiple_choice' | 'checkbox' | 'number' | 'phone'

/** Text in the owner's languages (`en`, `de`, `es`); at least one is given, guests read theirs or the first. */
export type LocalizedText = Partial<Record<'en' | 'de' | 'es', string>>

/** One choice of a single- or multiple-choice question. */
export interface IntakeChoice {
  /** Stable key stored in answers (`[a-z0-9_-]`, ≤ 40). */
  id: string
  label: LocalizedText
}

/** A question the guest answers in the details step (up to 20 per resource). */
export interface IntakeQuestion {
  /** Stable key answers are stored under (`[a-z0-9_-]`, ≤ 40); renaming the label keeps it. */
  id: string
  type: IntakeQuestionType
  label: LocalizedText
  help?: LocalizedText
  required?: boolean
  /** For `single_choice` and `multiple_choice`: 2–30 choices. */
  choices?: IntakeChoice[]
  /** For `number`: inclusive bounds. */
  min?: number
  max?: number
}

/** A guest's answer: text, a number, a checkbox, or the ids of the choices picked. */
export type IntakeAnswer = string | number | boolean | string[]
export type IntakeAnswers = Record<string, IntakeAnswer>

/** How a span's price counts `price.amount`: per started 24 hours, or per night (dates crossed in the resource's zone). */
export type SpanPricing = 'per_day' | 'per_night'

/**
 * A resource booked as one span across days (a car from Friday to Monday, a room by the
 * night) instead of by slots: docs/capacity.md, multi-day spans.
 */
export interface SpanConfig {
  /** Shortest and longest span, in minutes (max 90 days). */
  minMinutes: number
  maxMinutes: number
  pricing: SpanPricing
  /** Pickup and return times step by this many minutes inside the opening windows (default 30). */
  stepMin?: number
  /**
   * Rooms by the night: every span starts at `checkIn` and ends at `checkOut` (local wall
   * times, set together); the guest picks dates only.
   */
  checkIn?: string
  checkOut?: string
}

export interface ResourceConfig {
  durations?: number[]
  bufferBeforeMin?: number
  bufferAfterMin?: number
  minNoticeMin?: number
  horizonDays?: number
  holdTtlSec?: number
  requiresConfirmation?: boolean
  price?: Money
  payment?: PaymentSetting
  depositAmount?: number
  cancellationPolicy?: CancellationPolicy
  /** Places at any instant (group classes, tours, shared desks); 1–10,000, default 1. See docs/capacity.md. */
  capacity?: number
  /** Most places one booking may take; default and ceiling: `capacity`. */
  maxSeatsPerBooking?: number
  /** For a table: the smallest and largest party it seats (either may be left open). */
  minParty?: number
  maxParty?: number
  /**
   * Minimum notice, in hours before the start, for a guest's own move / cancel online
   * (owners are not bound). Separate from the refund ladder; kept on each booking as made.
   * No reschedule notice: moves close at the ladder's no_refund_hours, as they always did.
   */
  minRescheduleNoticeHours?: number
  minCancelNoticeHours?: number
  /** Booked as a span across days instead of by slots (capacity 1 only). */
  span?: SpanConfig
  /** Where new-booking and cancellation notices for this resource go (else ADMIN_EMAIL). */
  notifyEmail?: string
  /** The language of those notices (`en`, `de`, `es`); else each is written in its booking's language. */
  notifyLanguage?: 'en' | 'de' | 'es'
  /** ISO 3166-1 alpha-2 country whose national phone numbers guests type (else the zone's country). */
  country?: string
  /** Intake questions the guest answers when booking (up to 20). */
  questions?: IntakeQuestion[]
  /** Whether the resource's calendar feed shows guests' names (default: only "Booked" and the ref). */
  feedGuestNames?: boolean
  /** Caps on bookings of this resource, checked in the booking's own transaction (docs/booking-rules.md). */
  limits?: BookingLimits
  /**
   * Slots start every this many minutes from each window's start, whatever their length (a
   * 60-minute session every 15 minutes). Unset: slots step by their own length.
   */
  slotStepMin?: number
  /** Slots start only at these local wall times (`HH:MM`, ascending), inside the opening windows. */
  startTimes?: string[]
  /**
   * Whether guests may join a waitlist for its full times (docs/waitlist.md); default true.
   * Resources booked by the span have none.
   */
  waitlist?: boolean
  /** Minutes a waiter has to claim an offered time (1–1440); default 15. */
  waitlistOfferMinutes?: number
}

/**
 * Booking rules of a resource (docs/booking-rules.md). A guest is known by their email (any
 * case). Days, weeks (Monday to Sunday) and months are the resource's local ones, counted by
 * the booking's start; cancelled bookings do not count.
 */
export interface BookingLimits {
  /** Most bookings one guest may have of this resource starting on one day / in one week / one month. */
  perGuestPerDay?: number
  perGuestPerWeek?: number
  perGuestPerMonth?: number
  /** Most bookings of this resource starting on one day, all guests together. */
  perDay?: number
  /** Least time between the end of one of a guest's bookings of this resource and the start of their next. */
  minGapMinutes?: number
}

/** The places one booking of a resource may take: `maxSeatsPerBooking`, at most the capacity (1 by default). */
export function placesPerBooking(config: Pick<ResourceConfig, 'capacity' | 'maxSeatsPerBooking'>): number {
  const capacity = config.capacity ?? 1
  return Math.min(config.maxSeatsPerBooking ?? capacity, capacity)
}
