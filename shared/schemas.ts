import { z } from 'zod'
import { isValidTimeZone } from './time-zone'
import {
  MAX_AMOUNT_MINOR,
  MAX_CAPACITY,
  MAX_PARTY,
  MAX_POOL_MEMBERS,
  MAX_POOL_WEIGHT,
  MIN_SLOT_MINUTES,
} from './limits'
import { isPhoneRegion } from './phone'
import { BOOKING_STATUSES } from './booking-status'
import { LANGUAGES, languageOf, type Language } from './languages'
import { PAYMENT_SETTINGS, takesPaymentOnline } from './payment-terms'
import { WALL_TIME_PATTERN, wallTimeMinutes } from './wall-time'
import { POOL_STRATEGIES } from './pool-strategies'
import type {
  BookingLimits,
  CancellationPolicy,
  IntakeChoice,
  IntakeQuestion,
  LocalizedText,
  Money,
  ResourceConfig,
  SpanConfig,
} from './resource-config'

export {
  MAX_AMOUNT_MINOR,
  MAX_CAPACITY,
  MAX_PARTY,
  MAX_POOL_MEMBERS,
  MAX_POOL_WEIGHT,
  MAX_SLOTS_PER_RESPONSE,
  MIN_SLOT_MINUTES,
} from './limits'

/** Days one availability request may span (inclusive): two months, what the widget pages through. */
export const MAX_AVAILABILITY_DAYS = 62

/** C0 control characters (U+0000–U+001F) and DEL (U+007F). */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/
/** The same less tab, line feed and carriage return, which multi-line free text keeps. */
const CONTROL_CHARACTER_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

export const CONTROL_CHARACTERS_MESSAGE = 'must not contain control characters'

/** Whether `text` holds a control character; `multiline` text may hold tabs and line breaks. */
export function hasControlCharacters(text: string, options: { multiline?: boolean } = {}): boolean {
  return (options.multiline ? CONTROL_CHARACTER_BUT_LINE_BREAKS : CONTROL_CHARACTER).test(text)
}

/**
 * A string without control characters. They are refused, not stripped, so what is stored
 * is what was sent: PostgreSQL cannot store NUL at all, and the others end up in emails,
 * SMS, calendar files and the owner's console, where they break lines or hide text.
 * `multiline` free text (notes, answers, reasons) keeps tabs and line breaks. Checked
 * before the rest of the chain (trim, lengths), and alone: one clear message per field.
 */
export function plainText(options: { multiline?: boolean } = {}) {
  return z
    .string()
    .refine((text) => !hasControlCharacters(text, options), { message: CONTROL_CHARACTERS_MESSAGE, abort: true })
}

export const timeZoneSchema = plainText().refine(isValidTimeZone, { message: 'unknown IANA time zone' })

/**
 * Every date and instant a request may carry lies in [1970-01-01T00:00:00Z,
 * 3000-01-01T00:00:00Z). Beyond it nothing is bookable, and the ends of the calendar break
 * what comes after parsing: PostgreSQL has no year 0, and years past 9999 are written
 * (`+010000-…`) in a form it does not read.
 */
export const EARLIEST_INSTANT_MS = Date.UTC(1970, 0, 1)
export const INSTANT_LIMIT_MS = Date.UTC(3000, 0, 1)
const CALENDAR_RANGE_MESSAGE = 'must be from 1970-01-01 up to 2999-12-31 (UTC)'
const inCalendarRange = (ms: number) => ms >= EARLIEST_INSTANT_MS && ms < INSTANT_LIMIT_MS

/** A calendar date `YYYY-MM-DD` that really exists (no 2026-02-30), from 1970-01-01 to 2999-12-31. */
export const isoDateSchema = z
  .string()
  .refine(isRealDate, { message: 'expected a date YYYY-MM-DD', abort: true })
  .refine((date) => inCalendarRange(Date.parse(`${date}T00:00:00Z`)), { message: CALENDAR_RANGE_MESSAGE })

/** Wall-clock time `HH:MM`; `24:00` is allowed as the end of a day. */
export const wallTimeSchema = z
  .string()
  .regex(WALL_TIME_PATTERN, { message: 'expected a wall time HH:MM (00:00–24:00)' })

const minutes = z
  .number()
  .int()
  .positive()
  .max(7 * 24 * 60)
const nonNegativeMinutes = z
  .number()
  .int()
  .min(0)
  .max(7 * 24 * 60)

const slotTooShort = (field: string) => `${field} must be at least ${MIN_SLOT_MINUTES} minutes`

export const currencySchema = z.string().regex(/^[A-Z]{3}$/, { message: 'expected an ISO 4217 code such as EUR' })

/** Money is integer minor units plus a currency code; never floats. */
export const moneySchema = z.object({
  amount: z.number().int().min(0),
  currency: currencySchema,
})

const POLICY_KEYS = {
  freeCancellationHours: 'free_cancellation_hours',
  partialRefundHours: 'partial_refund_hours',
  partialRefundPercent: 'partial_refund_percent',
  noRefundHours: 'no_refund_hours',
} as const

/**
 * A cancellation policy, read as a ladder by hours before start (see cancellation-policy.ts).
 * The stored snake_case keys and the API's camelCase ones are both accepted; the stored
 * form is snake_case. The rungs must not cross: no_refund ≤ partial_refund ≤ free_cancellation hours.
 */
export const cancellationPolicySchema = z.preprocess(
  (value) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value
    const entries = Object.entries(value as Record<string, unknown>).map(([key, v]) => [
      POLICY_KEYS[key as keyof typeof POLICY_KEYS] ?? key,
      v,
    ])
    return Object.fromEntries(entries)
  },
  z
    .object({
      free_cancellation_hours: z.number().min(0).max(8760).optional(),
      partial_refund_hours: z.number().min(0).max(8760).optional(),
      partial_refund_percent: z.number().int().min(0).max(100).optional(),
      no_refund_hours: z.number().min(0).max(8760).optional(),
    })
    .strict()
    .superRefine((p, ctx) => {
      const rungs = [
        ['no_refund_hours', p.no_refund_hours],
        ['partial_refund_hours', p.partial_refund_hours],
        ['free_cancellation_hours', p.free_cancellation_hours],
      ] as const
      let lower: (typeof rungs)[number] | undefined
      for (const rung of rungs) {
        if (rung[1] === undefined) continue
        if (lower && lower[1]! > rung[1]) {
          ctx.addIssue({ code: 'custom', path: [rung[0]], message: `must be at least ${lower[0]} (${lower[1]})` })
        }
        lower = rung
      }
      if (p.partial_refund_hours !== undefined && p.partial_refund_percent === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['partial_refund_percent'],
          message: 'is required with partial_refund_hours',
        })
      }
    }),
)

/** A hold (and the payment window of a booking that takes payment) lasts this long unless the resource says otherwise. */
export const DEFAULT_HOLD_TTL_SEC = 600

/**
 * How far ahead guests are shown a resource with no `horizonDays`: the widget pages this
 * far and next-available looks no further. Availability itself stays open-ended for such
 * a resource, as it always was, so API clients that book further ahead keep working.
 */
export const DEFAULT_HORIZON_DAYS = 365

/** The longest span a resource may be booked for: 90 days. */
export const MAX_SPAN_MINUTES = 90 * 24 * 60

/** A resource booked as a span across days (see SpanConfig). */
export const spanConfigSchema = z
  .object({
    minMinutes: z.number().int().min(MIN_SLOT_MINUTES).max(MAX_SPAN_MINUTES),
    maxMinutes: z.number().int().min(MIN_SLOT_MINUTES).max(MAX_SPAN_MINUTES),
    pricing: z.enum(['per_day', 'per_night']),
    stepMin: z
      .number()
      .int()
      .min(MIN_SLOT_MINUTES)
      .max(24 * 60)
      .optional(),
    checkIn: wallTimeSchema.optional(),
    checkOut: wallTimeSchema.optional(),
  })
  .superRefine((span, ctx) => {
    if (span.minMinutes > span.maxMinutes) {
      ctx.addIssue({ code: 'custom', path: ['minMinutes'], message: `cannot exceed maxMinutes (${span.maxMinutes})` })
    }
    if ((span.checkIn === undefined) !== (span.checkOut === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [span.checkIn === undefined ? 'checkIn' : 'checkOut'],
        message: 'set checkIn and checkOut together',
      })
    }
  }) satisfies z.ZodType<SpanConfig>

/** Most intake questions one resource asks. */
export const MAX_INTAKE_QUESTIONS = 20
export const INTAKE_QUESTION_TYPES = [
  'short_text',
  'long_text',
  'single_choice',
  'multiple_choice',
  'checkbox',
  'number',
  'phone',
] as const

const intakeKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, { message: 'expected 1–40 lowercase letters, digits, "_" or "-"' })

const localizedTextSchema = (max: number): z.ZodType<LocalizedText> =>
  z
    .object({
      en: plainText().trim().min(1).max(max).optional(),
      de: plainText().trim().min(1).max(max).optional(),
      es: plainText().trim().min(1).max(max).optional(),
    })
    .strict()
    .refine((text) => Object.values(text).some((v) => v !== undefined), {
      message: 'needs the text in at least one language (en, de, es)',
    })

const intakeChoiceSchema: z.ZodType<IntakeChoice> = z.object({ id: intakeKey, label: localizedTextSchema(200) })

export const intakeQuestionSchema: z.ZodType<IntakeQuestion> = z
  .object({
    id: intakeKey,
    type: z.enum(INTAKE_QUESTION_TYPES),
    label: localizedTextSchema(300),
    help: localizedTextSchema(500).optional(),
    required: z.boolean().optional(),
    choices: z.array(intakeChoiceSchema).min(2).max(30).optional(),
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
  })
  .superRefine((q, ctx) => {
    const choosing = q.type === 'single_choice' || q.type === 'multiple_choice'
    if (choosing && !q.choices)
      ctx.addIssue({ code: 'custom', path: ['choices'], message: `is required for a ${q.type} question` })
    if (!choosing && q.choices)
      ctx.addIssue({ code: 'custom', path: ['choices'], message: `only choice questions have choices` })
    if (q.choices && new Set(q.choices.map((c) => c.id)).size !== q.choices.length)
      ctx.addIssue({ code: 'custom', path: ['choices'], message: 'choice ids must differ' })
    if (q.type !== 'number' && (q.min !== undefined || q.max !== undefined))
      ctx.addIssue({ code: 'custom', path: ['min'], message: 'only number questions have bounds' })
    if (q.min !== undefined && q.max !== undefined && q.min > q.max)
      ctx.addIssue({ code: 'custom', path: ['min'], message: `cannot exceed max (${q.max})` })
  })

const positiveCount = z.number().int().min(1).max(10_000)

export const bookingLimitsSchema: z.ZodType<BookingLimits> = z
  .object({
    perGuestPerDay: positiveCount.optional(),
    perGuestPerWeek: positiveCount.optional(),
    perGuestPerMonth: positiveCount.optional(),
    perDay: positiveCount.optional(),
    minGapMinutes: z
      .number()
      .int()
      .min(1)
      .max(90 * 24 * 60)
      .optional(),
  })
  .strict()

export const resourceConfigSchema = z
  .object({
    durations: z.array(minutes).min(1).max(24).optional(),
    bufferBeforeMin: nonNegativeMinutes.optional(),
    bufferAfterMin: nonNegativeMinutes.optional(),
    minNoticeMin: z.number().int().min(0).optional(),
    horizonDays: z.number().int().positive().max(3660).optional(),
    holdTtlSec: z.number().int().min(1).max(3600).optional(),
    requiresConfirmation: z.boolean().optional(),
    price: moneySchema.optional(),
    payment: z.enum(PAYMENT_SETTINGS).optional(),
    depositAmount: z.number().int().min(0).optional(),
    cancellationPolicy: cancellationPolicySchema.optional(),
    capacity: z.number().int().min(1).max(MAX_CAPACITY).optional(),
    maxSeatsPerBooking: z.number().int().min(1).max(MAX_CAPACITY).optional(),
    minParty: z.number().int().min(1).max(MAX_PARTY).optional(),
    maxParty: z.number().int().min(1).max(MAX_PARTY).optional(),
    /**
     * Minimum notice, in hours before the start, for a guest's own move / cancel online
     * (owners are not bound). Separate from the refund ladder; kept on each booking as made.
     * No reschedule notice: moves close at the ladder's no_refund_hours, as they always did.
     */
    minRescheduleNoticeHours: z.number().min(0).max(8760).optional(),
    minCancelNoticeHours: z.number().min(0).max(8760).optional(),
    span: spanConfigSchema.optional(),
    /** Where new-booking and cancellation notices for this resource go (else ADMIN_EMAIL). */
    notifyEmail: z.email().max(254).optional(),
    /** The language of those notices; else each is written in its booking's language. */
    notifyLanguage: z.enum(LANGUAGES).optional(),
    /** ISO 3166-1 alpha-2 country whose national phone numbers guests type (else the zone's country). */
    country: z
      .string()
      .refine(isPhoneRegion, { message: 'expected an ISO 3166-1 alpha-2 country code such as DE' })
      .optional(),
    questions: z
      .array(intakeQuestionSchema)
      .max(MAX_INTAKE_QUESTIONS)
      .refine((qs) => new Set(qs.map((q) => q.id)).size === qs.length, { message: 'question ids must differ' })
      .optional(),
    feedGuestNames: z.boolean().optional(),
    limits: bookingLimitsSchema.optional(),
    slotStepMin: minutes.min(MIN_SLOT_MINUTES).optional(),
    startTimes: z
      .array(wallTimeSchema.refine((t) => t !== '24:00', { message: 'a start time is before 24:00' }))
      .min(1)
      .max(96)
      .refine((times) => times.every((t, i) => i === 0 || t > times[i - 1]!), {
        message: 'start times go in ascending order, each once',
      })
      .optional(),
    waitlist: z.boolean().optional(),
    waitlistOfferMinutes: z.number().int().min(1).max(1440).optional(),
  })
  .superRefine((config, ctx) => {
    if (config.slotStepMin !== undefined && config.startTimes !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['startTimes'], message: 'set either startTimes or slotStepMin, not both' })
    }
    if (config.minParty !== undefined && config.maxParty !== undefined && config.minParty > config.maxParty) {
      ctx.addIssue({ code: 'custom', path: ['minParty'], message: `cannot exceed maxParty (${config.maxParty})` })
    }
    if (config.span && (config.capacity ?? 1) > 1) {
      ctx.addIssue({ code: 'custom', path: ['span'], message: 'a resource booked by the span has capacity 1' })
    }
    if (config.maxSeatsPerBooking !== undefined && config.maxSeatsPerBooking > (config.capacity ?? 1)) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxSeatsPerBooking'],
        message: `cannot exceed capacity (${config.capacity ?? 1})`,
      })
    }
    if (takesPaymentOnline(config.payment) && !(config.price && config.price.amount >= 1)) {
      ctx.addIssue({
        code: 'custom',
        path: ['price'],
        message: `is required (≥ 1 minor unit) with payment "${config.payment}"`,
      })
    }
    if (config.payment === 'deposit') {
      if (config.depositAmount === undefined || config.depositAmount < 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['depositAmount'],
          message: 'is required (≥ 1 minor unit) with payment "deposit"',
        })
      } else if (config.price && config.depositAmount > config.price.amount) {
        ctx.addIssue({ code: 'custom', path: ['depositAmount'], message: 'cannot exceed price.amount' })
      }
    }
  })

export type { CancellationPolicy, Money, ResourceConfig }

/** Amounts the admin API refuses: above MAX_AMOUNT_MINOR, a booking could not be stored or paid. */
function refuseAmountsAboveCeiling(config: ResourceConfig, ctx: z.RefinementCtx): void {
  const tooMuch = `must be at most ${MAX_AMOUNT_MINOR} (minor units)`
  if (config.price && config.price.amount > MAX_AMOUNT_MINOR)
    ctx.addIssue({ code: 'custom', path: ['price', 'amount'], message: tooMuch })
  if (config.depositAmount !== undefined && config.depositAmount > MAX_AMOUNT_MINOR)
    ctx.addIssue({ code: 'custom', path: ['depositAmount'], message: tooMuch })
}

/** A config as the admin API takes it: the stored shape, with no slot shorter than MIN_SLOT_MINUTES and no amount above MAX_AMOUNT_MINOR. */
const adminResourceConfigSchema = resourceConfigSchema
  .superRefine(refuseAmountsAboveCeiling)
  .superRefine((config, ctx) => {
    config.durations?.forEach((duration, index) => {
      if (duration < MIN_SLOT_MINUTES)
        ctx.addIssue({ code: 'custom', path: ['durations', index], message: slotTooShort('each duration') })
    })
  })

/**
 * One schedule row in its API (camelCase) form. Exactly one of `weekday` (0=Mon..6=Sun)
 * and `specificDate` is set. `endTime <= startTime` means the window ends the next day.
 */
export const scheduleRuleSchema = z
  .object({
    weekday: z.number().int().min(0).max(6).nullable().optional(),
    specificDate: isoDateSchema.nullable().optional(),
    startTime: wallTimeSchema,
    endTime: wallTimeSchema,
    slotDuration: z
      .number()
      .int()
      .min(MIN_SLOT_MINUTES, { message: slotTooShort('slotDuration') })
      .max(7 * 24 * 60)
      .nullable(),
    isAvailable: z.boolean().default(true),
  })
  .refine((r) => (r.weekday == null) !== (r.specificDate == null), {
    message: 'set exactly one of weekday and specificDate',
  })
  .refine((r) => r.startTime !== '24:00', { message: 'startTime cannot be 24:00', path: ['startTime'] })
  .refine((r) => r.startTime !== r.endTime, { message: 'a window cannot be empty', path: ['endTime'] })

/** `?duration=` in minutes, for resources that offer several lengths (at most a week). */
const durationQuerySchema = z.coerce
  .number()
  .int()
  .positive()
  .max(7 * 24 * 60)
  .optional()

/** `?seats=`: places the guest wants in one slot (default 1); slots with fewer free are not offered. */
const seatsQuerySchema = z.coerce.number().int().min(1).max(MAX_CAPACITY).optional()

export const availabilityQuerySchema = z
  .object({
    from: isoDateSchema,
    to: isoDateSchema,
    tz: timeZoneSchema.optional(),
    duration: durationQuerySchema,
    seats: seatsQuerySchema,
  })
  .refine((q) => q.from <= q.to, { message: '`from` must not be after `to`', path: ['to'] })
  .refine((q) => daysBetween(q.from, q.to) + 1 <= MAX_AVAILABILITY_DAYS, {
    message: `a range covers at most ${MAX_AVAILABILITY_DAYS} days`,
    path: ['to'],
  })

export type AvailabilityQuery = z.infer<typeof availabilityQuerySchema>

/** `next-available`: the first free slot on or after `from` (a day in `tz`), within the horizon. */
export const nextAvailableQuerySchema = z.object({
  from: isoDateSchema,
  tz: timeZoneSchema.optional(),
  duration: durationQuerySchema,
  seats: seatsQuerySchema,
})

export type NextAvailableQuery = z.infer<typeof nextAvailableQuerySchema>

function isRealDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const ms = Date.parse(`${value}T00:00:00Z`)
  return Number.isFinite(ms) && new Date(ms).toISOString().startsWith(value)
}

/** Whole days from `a` to `b` (both `YYYY-MM-DD`); dates are calendar labels, so UTC maths is exact. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000)
}

/** An instant: ISO-8601 with `Z` or an offset, in the calendar range; normalised to epoch ms. */
export const instantSchema = z.iso
  .datetime({ offset: true, message: 'expected an ISO-8601 instant such as 2026-03-29T10:00:00Z' })
  .transform((value) => Date.parse(value))
  .refine(inCalendarRange, { message: CALENDAR_RANGE_MESSAGE })

/** Opaque random id the SDK makes per browser session (`X-Booking-Session`). */
export const sessionIdSchema = z
  .string({ message: 'the X-Booking-Session header is required' })
  .regex(/^[A-Za-z0-9_-]{16,128}$/, { message: 'X-Booking-Session must be 16–128 characters of A–Z, a–z, 0–9, _ or -' })

/** A client-chosen `Idempotency-Key`: printable ASCII, 8–255 characters. */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{8,255}$/, { message: 'Idempotency-Key must be 8–255 printable ASCII characters' })

export const holdRequestSchema = z.object({
  /** Resource id or slug. */
  resourceId: plainText().min(1).max(100),
  start: instantSchema,
  /** Omitted: the slot that starts at `start` (for undivided windows, the shortest duration). */
  end: instantSchema.optional(),
  /** Places to hold, for a resource with capacity above 1 (default 1). */
  seats: z.number().int().min(1).max(MAX_CAPACITY).optional(),
})

export const guestSchema = z.object({
  name: plainText().trim().min(1, { message: 'name is required' }).max(200),
  // A missing email keeps zod's own message, which is how a client tells "required" from "malformed".
  email: z.email({ error: (issue) => (issue.input === undefined ? undefined : 'expected an email address') }).max(254),
  /**
   * As typed: digits with spaces, dashes, brackets, dots or slashes, national (`030 1234567`)
   * or international (`+44 20 7123 4567`). Whether it is a real number depends on the
   * resource's country, so the booking route checks that and stores it in E.164.
   */
  phone: plainText()
    .trim()
    .max(40)
    .regex(/^[\d\s()+.\/-]*\d[\d\s()+.\/-]*$/, { message: 'expected a phone number, e.g. +44 20 7123 4567' })
    .optional(),
})

export const bookingRequestSchema = z.object({
  holdId: plainText().min(1).max(100),
  guest: guestSchema,
  notes: plainText({ multiline: true }).max(2000).optional(),
  /**
   * Answers to the resource's intake questions by question id: text, a number, a checkbox or
   * the choice ids picked. Checked here for shape only; the booking route checks them against
   * the resource's questions.
   */
  answers: z
    .record(
      z.string().max(64),
      z.union([z.string().max(2000), z.number(), z.boolean(), z.array(z.string().max(64)).max(30)]),
    )
    .refine((a) => Object.keys(a).length <= 50, { message: 'at most 50 answers' })
    // Here rather than in the key and value schemas, whose failures zod words only as
    // "Invalid key in record" / "Invalid input". A key is one line; a value may be several.
    .superRefine((answers, ctx) => {
      for (const [key, value] of Object.entries(answers)) {
        if (hasControlCharacters(key))
          ctx.addIssue({ code: 'custom', path: [], message: `question keys ${CONTROL_CHARACTERS_MESSAGE}` })
        else if (typeof value === 'string' && hasControlCharacters(value, { multiline: true }))
          ctx.addIssue({ code: 'custom', path: [key], message: CONTROL_CHARACTERS_MESSAGE })
      }
    })
    .optional(),
  /** Language for the guest's messages (any BCP 47 tag; `en`, `de`, `es` are spoken, others fall back to `en`). */
  locale: z
    .string()
    .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/)
    .max(35)
    .optional(),
  /** The IANA zone the guest saw the times in; messages state times in it (else the resource's zone). */
  timezone: timeZoneSchema.optional(),
})

/** The languages messages are written in (shared/languages.ts: the widget speaks the same ones). */
export const MESSAGE_LANGUAGES = LANGUAGES
export type MessageLanguage = Language

/** The message language for a requested tag: its language when spoken, else English. */
export const messageLanguage = languageOf

export const rescheduleRequestSchema = z.object({ holdId: plainText().min(1).max(100) })

export const cancelRequestSchema = z.object({ reason: plainText({ multiline: true }).trim().max(500).optional() })

/** How a recurring booking (series) is booked: every occurrence or none, or the free ones. */
export const SERIES_MODES = ['all_or_nothing', 'skip_conflicts'] as const
/** The most occurrences one series may have. */
export const MAX_SERIES_OCCURRENCES = 52

/**
 * `POST /v1/bookings/series`: the first occurrence's hold and details as for one booking,
 * repeated every `everyWeeks` weeks at the same local time, `occurrences` times (the first
 * included) or up to the local date `until`.
 */
export const seriesRequestSchema = bookingRequestSchema.extend({
  repeat: z
    .object({
      everyWeeks: z.number().int().min(1).max(52),
      occurrences: z.number().int().min(2).max(MAX_SERIES_OCCURRENCES).optional(),
      until: isoDateSchema.optional(),
    })
    .refine((r) => (r.occurrences === undefined) !== (r.until === undefined), {
      message: 'give either occurrences or until',
      path: ['occurrences'],
    }),
  mode: z.enum(SERIES_MODES),
})
export type SeriesRequest = z.infer<typeof seriesRequestSchema>

/**
 * `POST /v1/admin/bookings`: the owner books for a guest (a call, a walk-in) without a hold of
 * their own: the time as a hold would take it, the guest's details as a booking does, and
 * optionally `repeat` (with `mode`, default `all_or_nothing`) for a series.
 */
export const adminBookingRequestSchema = holdRequestSchema.extend({
  ...bookingRequestSchema.omit({ holdId: true }).shape,
  repeat: seriesRequestSchema.shape.repeat.optional(),
  mode: z.enum(SERIES_MODES).optional(),
})
export type AdminBookingRequest = z.infer<typeof adminBookingRequestSchema>

/**
 * `POST /v1/series/:ref/reschedule` (and the owner's): the new time of the series' next
 * active date; every later one moves by the same local shift (`end` omitted: lengths kept).
 */
export const seriesRescheduleSchema = z
  .object({ start: instantSchema, end: instantSchema.optional() })
  .refine(({ start, end }) => end === undefined || end > start, { message: 'must be after start', path: ['end'] })

/** `GET /v1/resources/:idOrSlug/series-availability`: the first occurrence and how it repeats. */
export const seriesAvailabilityQuerySchema = z
  .object({
    start: instantSchema,
    end: instantSchema,
    everyWeeks: z.coerce.number().int().min(1).max(52),
    occurrences: z.coerce.number().int().min(2).max(MAX_SERIES_OCCURRENCES).optional(),
    until: isoDateSchema.optional(),
  })
  .refine((q) => (q.occurrences === undefined) !== (q.until === undefined), {
    message: 'give either occurrences or until',
    path: ['occurrences'],
  })
  .refine((q) => q.end > q.start, { message: 'must be after start', path: ['end'] })

/**
 * `POST /v1/waitlist`: wait for a time of a resource. The booking offered will lie within
 * the window: one slot (`kind: 'slot'`, its start and end), a stretch of a day
 * (`kind: 'range'`, e.g. 17:00–20:00) or a whole local day (`date`, in the resource's zone).
 */
export const waitlistJoinSchema = z
  .object({
    /** Resource id or slug. */
    resourceId: plainText().min(1).max(100),
    kind: z.enum(['slot', 'range']).optional(),
    start: instantSchema.optional(),
    end: instantSchema.optional(),
    date: isoDateSchema.optional(),
    /** The slot length wanted, where the resource offers several. */
    duration: z.number().int().min(1).max(1440).optional(),
    seats: z.number().int().min(1).max(MAX_CAPACITY).optional(),
    guest: guestSchema,
    locale: bookingRequestSchema.shape.locale,
    timezone: timeZoneSchema.optional(),
  })
  .superRefine((r, ctx) => {
    const byTimes = r.start !== undefined || r.end !== undefined
    if (byTimes === (r.date !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['date'], message: 'give either date, or start and end' })
      return
    }
    if (byTimes && (r.start === undefined || r.end === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [r.start === undefined ? 'start' : 'end'],
        message: 'required with the other',
      })
    } else if (byTimes && r.end! <= r.start!) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be after start' })
    }
  })
export type WaitlistJoinRequest = z.infer<typeof waitlistJoinSchema>

/** `GET /v1/admin/waitlist`: a resource's entries whose windows touch the local days `from`…`to`. */
export const adminWaitlistQuerySchema = z
  .object({
    resourceId: plainText().min(1).max(100),
    from: isoDateSchema,
    to: isoDateSchema.optional(),
    status: z.enum(['waiting', 'all']).default('waiting'),
  })
  .refine((q) => q.to === undefined || q.to >= q.from, { message: 'must not be before from', path: ['to'] })

/** `POST /v1/waitlist/:ref/claim`: the answers and notes a booking takes (the guest is the waiter). */
export const waitlistClaimSchema = bookingRequestSchema.pick({ notes: true, answers: true })

/** A party size as guests give it (a table's bounds come from its config). */
export const partySizeSchema = z.number().int().min(1).max(MAX_PARTY)

/** `POST /v1/pools/:idOrSlug/holds`: a time of the pool; the server picks the member (docs/capacity.md). */
export const poolHoldRequestSchema = z.object({
  start: instantSchema,
  end: instantSchema.optional(),
  seats: z.number().int().min(1).max(MAX_CAPACITY).optional(),
  partySize: partySizeSchema.optional(),
  memberId: plainText().min(1).max(100).optional(),
})

export type HoldRequest = z.infer<typeof holdRequestSchema>
export type BookingRequest = z.infer<typeof bookingRequestSchema>
export type Guest = z.infer<typeof guestSchema>

// ——— Owner (admin) API ———

export const slugSchema = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'lowercase letters, digits and single hyphens' })
  .min(2)
  .max(64)

export const adminResourceCreateSchema = z.object({
  slug: slugSchema,
  type: plainText().trim().min(1).max(40),
  name: plainText().trim().min(1).max(200),
  timezone: timeZoneSchema,
  config: adminResourceConfigSchema.default({}),
})

export const adminResourceUpdateSchema = z
  .object({
    slug: slugSchema,
    type: plainText().trim().min(1).max(40),
    name: plainText().trim().min(1).max(200),
    timezone: timeZoneSchema,
    config: adminResourceConfigSchema,
    isActive: z.boolean(),
  })
  .partial()
  .refine((u) => Object.keys(u).length > 0, { message: 'nothing to change' })

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const poolMemberSchema = z.object({
  /** The member resource's id or slug. */
  resourceId: z.string().refine((v) => UUID_PATTERN.test(v) || slugSchema.safeParse(v).success, {
    message: 'expected a resource id or slug',
  }),
  weight: z.number().int().min(1).max(MAX_POOL_WEIGHT).optional(),
})

/** The members in order (the order is each one's position); a resource once. */
const poolMembersSchema = z
  .array(poolMemberSchema)
  .max(MAX_POOL_MEMBERS)
  .superRefine((members, ctx) => {
    const seen = new Map<string, number>()
    members.forEach((m, index) => {
      const key = UUID_PATTERN.test(m.resourceId) ? m.resourceId.toLowerCase() : m.resourceId
      const first = seen.get(key)
      if (first !== undefined)
        ctx.addIssue({ code: 'custom', path: [index, 'resourceId'], message: `already listed as member ${first}` })
      else seen.set(key, index)
    })
  })

const poolFields = {
  slug: slugSchema,
  type: plainText().trim().min(1).max(40),
  name: plainText().trim().min(1).max(200),
  timezone: timeZoneSchema,
  strategy: z.enum(POOL_STRATEGIES),
  memberChoice: z.boolean(),
}

export const adminPoolCreateSchema = z.object({
  ...poolFields,
  strategy: poolFields.strategy.optional(),
  memberChoice: poolFields.memberChoice.optional(),
  members: poolMembersSchema.optional(),
})

/** Members are replaced as a whole with `PUT …/members`, never patched. */
export const adminPoolUpdateSchema = z
  .object({ ...poolFields, isActive: z.boolean() })
  .partial()
  .strict()
  .refine((u) => Object.keys(u).length > 0, { message: 'nothing to change' })

export const adminPoolMembersSchema = z.object({ members: poolMembersSchema })

/**
 * A window's start and end in minutes after midnight, or undefined when either time is not
 * a wall time (that time has its own message; the window then has none about its order).
 */
function windowMinutes(rule: { startTime: string; endTime: string }): { start: number; end: number } | undefined {
  const start = wallTimeMinutes(rule.startTime)
  const end = wallTimeMinutes(rule.endTime)
  return start === undefined || end === undefined ? undefined : { start, end }
}

/** The window ends after it starts on its own day; a malformed time is left to its own message. */
function endsAfterStart(rule: { startTime: string; endTime: string }): boolean {
  const window = windowMinutes(rule)
  return !window || window.end >= window.start
}

const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const

/** The day a schedule rule is for, as an owner reads it: "Friday", or "2026-04-03" for a date. */
const scheduleDay = (rule: { weekday?: number | null | undefined; specificDate?: string | null | undefined }) =>
  rule.specificDate ?? WEEKDAY_NAMES[rule.weekday ?? 0] ?? `weekday ${rule.weekday}`

/**
 * A resource's whole schedule, as the owner edits it: each window ends after it starts on
 * its own day (write 22:00–24:00 and 00:00–02:00 for a night), and windows of one day
 * (a weekday, or a specific date) do not overlap. Messages name the day and the times
 * ("Friday 09:00–12:00 overlaps Friday 11:00–14:00"), never an index or a weekday number.
 */
export const adminScheduleSchema = z
  .object({
    schedules: z
      .array(
        scheduleRuleSchema.refine(endsAfterStart, {
          // Equal times are refused by scheduleRuleSchema's own "cannot be empty".
          error: (issue) => {
            const r = issue.input as {
              weekday?: number | null
              specificDate?: string | null
              startTime: string
              endTime: string
            }
            return `${scheduleDay(r)}: the window must end after it starts (${r.startTime}–${r.endTime})`
          },
          path: ['endTime'],
        }),
      )
      .max(500),
  })
  .superRefine(({ schedules }, ctx) => {
    const byDay = new Map<string, { start: number; end: number; index: number; label: string }[]>()
    schedules.forEach((rule, index) => {
      // A window that ends before it starts has its own message; it overlaps nothing.
      const minutes = windowMinutes(rule)
      if (!minutes || minutes.end <= minutes.start) return
      const day = scheduleDay(rule)
      const windows = byDay.get(day) ?? []
      windows.push({ ...minutes, index, label: `${day} ${rule.startTime}–${rule.endTime}` })
      byDay.set(day, windows)
    })
    for (const windows of byDay.values()) {
      windows.sort((a, b) => a.start - b.start || a.index - b.index)
      // Compared with the window reaching furthest so far, not only the one before: 09–17
      // overlaps 12–13 even with 10–11 between them.
      let reach = windows[0]
      for (const window of windows.slice(1)) {
        if (reach && window.start < reach.end) {
          ctx.addIssue({
            code: 'custom',
            path: ['schedules', window.index],
            message: `${reach.label} overlaps ${window.label}`,
          })
        }
        if (!reach || window.end > reach.end) reach = window
      }
    }
  })

const DAY_OR_INSTANT_MESSAGE = `expected a date YYYY-MM-DD or an ISO-8601 instant, ${CALENDAR_RANGE_MESSAGE.replace('must be ', '')}`

export const adminBookingsQuerySchema = z.object({
  resourceId: z.uuid().optional(),
  /** Bookings that end after `from` and start before `to` (ISO instants or dates, UTC). */
  from: z.union([isoDateSchema, instantSchema], { error: DAY_OR_INSTANT_MESSAGE }).optional(),
  to: z.union([isoDateSchema, instantSchema], { error: DAY_OR_INSTANT_MESSAGE }).optional(),
  status: z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()))
    .pipe(z.array(z.enum(BOOKING_STATUSES)).min(1))
    .optional(),
  cursor: plainText().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Search: a case-insensitive part of the ref, the guest's name or the guest's email. */
  q: plainText()
    .trim()
    .max(200)
    .transform((v) => (v === '' ? undefined : v))
    .optional(),
})

/** `POST /v1/admin/setup`: the token from the first-run link (`/admin#setup=<token>`). */
export const adminSetupSchema = z.object({ token: plainText().min(1).max(200) })

/** The local admin:key channel (`POST /v1/internal/admin-keys`): the new key's name. */
export const localAdminKeyCreateSchema = z.object({ name: plainText().trim().min(1).max(200) })

export const adminCancelSchema = z.object({
  /** Overrides the policy: the part of what was paid that is given back. */
  refundPercent: z.number().int().min(0).max(100).optional(),
  reason: plainText({ multiline: true }).trim().max(500).optional(),
})

export const adminNotificationsQuerySchema = z.object({ bookingId: z.uuid() })

/** The longest interval an owner may move a booking into: a week. */
export const ADMIN_MOVE_MAX_MS = 7 * 24 * 3_600_000

/**
 * The owner moves a booking: a new start and, optionally, end (omitted: the booking keeps
 * its length). Whether the start is still ahead depends on the clock; the route checks it.
 */
export const adminRescheduleSchema = z
  .object({ start: instantSchema, end: instantSchema.optional() })
  .superRefine(({ start, end }, ctx) => {
    if (end === undefined) return
    if (end <= start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'end must be after start' })
    else if (end - start > ADMIN_MOVE_MAX_MS)
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'a booking lasts at most 7 days' })
  })

// ——— Services: several resources booked at once (docs/capacity.md, combined bookings) ———

/** Most parts one service needs at once (the database's position range, 0–7). */
export const MAX_SERVICE_PARTS = 8

const idOrSlugSchema = z.string().refine((v) => UUID_PATTERN.test(v) || slugSchema.safeParse(v).success, {
  message: 'expected an id or slug',
})

/** One part: a resource, or a pool ("any free room"), by id or slug. */
const servicePartSchema = z
  .object({
    resourceId: idOrSlugSchema.optional(),
    poolId: idOrSlugSchema.optional(),
    label: plainText().trim().min(1).max(100).optional(),
  })
  .strict()
  .superRefine((part, ctx) => {
    if ((part.resourceId === undefined) === (part.poolId === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['resourceId'], message: 'set exactly one of resourceId and poolId' })
    }
  })

/** The parts in order (the first leads); a resource or a pool once. */
const servicePartsSchema = z
  .array(servicePartSchema)
  .min(2)
  .max(MAX_SERVICE_PARTS)
  .superRefine((parts, ctx) => {
    const seen = new Map<string, number>()
    parts.forEach((part, index) => {
      const field = part.resourceId !== undefined ? 'resourceId' : 'poolId'
      const ref = part.resourceId ?? part.poolId
      if (ref === undefined) return
      const key = `${field}:${UUID_PATTERN.test(ref) ? ref.toLowerCase() : ref}`
      const first = seen.get(key)
      if (first !== undefined)
        ctx.addIssue({ code: 'custom', path: [index, field], message: `already listed as part ${first}` })
      else seen.set(key, index)
    })
  })

const serviceFields = {
  slug: slugSchema,
  name: plainText().trim().min(1).max(200),
  timezone: timeZoneSchema,
}

/** `timezone` omitted: the lead part's (its resource's, or its pool's). */
export const adminServiceCreateSchema = z
  .object({ ...serviceFields, timezone: serviceFields.timezone.optional(), parts: servicePartsSchema })
  .strict()

/** `parts`, when given, replaces the whole list. */
export const adminServiceUpdateSchema = z
  .object({ ...serviceFields, isActive: z.boolean(), parts: servicePartsSchema })
  .partial()
  .strict()
  .refine((u) => Object.keys(u).length > 0, { message: 'nothing to change' })

/** `POST /v1/services/:idOrSlug/holds`: a time of the service; the server holds every part. */
export const serviceHoldRequestSchema = z.object({
  start: instantSchema,
  end: instantSchema.optional(),
  parts: z
    .array(
      z.object({
        position: z
          .number()
          .int()
          .min(0)
          .max(MAX_SERVICE_PARTS - 1),
        resourceId: plainText().min(1).max(100),
      }),
    )
    .max(MAX_SERVICE_PARTS)
    .optional(),
})
