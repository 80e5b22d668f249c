import { sql } from 'drizzle-orm'
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  time,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { BOOKING_STATUSES } from '../shared/booking-status'
import { POOL_STRATEGIES } from '../shared/pool-strategies'
import { WAITLIST_KINDS, WAITLIST_OFFER_STATUSES, WAITLIST_STATUSES } from '../shared/waitlist'
import type { CancellationPolicy, ResourceConfig } from '../shared/schemas'
import type { IntakeAnswers, IntakeQuestion } from '../shared/resource-config'
import { PAYMENT_STATUSES, type CancellationSettlement } from '../shared/types'

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

export { BOOKING_STATUSES, type BookingStatus } from '../shared/booking-status'
export { POOL_STRATEGIES } from '../shared/pool-strategies'
export { PAYMENT_STATUSES } from '../shared/types'

export const bookableResources = pgTable(
  'bookable_resources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    type: text('type').notNull(),
    name: text('name').notNull(),
    timezone: text('timezone').notNull(),
    config: jsonb('config').$type<ResourceConfig>().notNull().default({}),
    isActive: boolean('is_active').notNull().default(true),
    /**
     * The secret in the resource's calendar feed address (`/v1/feeds/<token>.ics`); NULL =
     * no feed. Kept as is, not hashed: the console shows the address again (like a
     * calendar's "secret address"), and it only reads the calendar. Rotating it replaces it.
     */
    feedToken: text('feed_token').unique(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [check('bookable_resources_slug_format', sql`${t.slug} ~ '^[a-z0-9][a-z0-9-]{0,62}$'`)],
)

/** A group of resources of one kind booked as "any available" (specialists, rooms, cars, tables). */
export const resourcePools = pgTable(
  'resource_pools',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    type: text('type').notNull(),
    name: text('name').notNull(),
    /** The zone the widget shows the pool's times in by default; each member's schedule stays in its own. */
    timezone: text('timezone').notNull(),
    strategy: text('strategy', { enum: POOL_STRATEGIES }).notNull().default('ordered'),
    /** Whether a guest may pick a member by name instead of "anyone". */
    memberChoice: boolean('member_choice').notNull().default(false),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    check('resource_pools_slug_format', sql`${t.slug} ~ '^[a-z0-9][a-z0-9-]{0,62}$'`),
    check('resource_pools_strategy_known', sql.raw(`strategy IN (${POOL_STRATEGIES.map((s) => `'${s}'`).join(', ')})`)),
  ],
)

export const poolMembers = pgTable(
  'pool_members',
  {
    poolId: uuid('pool_id')
      .notNull()
      .references(() => resourcePools.id, { onDelete: 'cascade' }),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => bookableResources.id, { onDelete: 'cascade' }),
    /** Order for `ordered`, and the tie-break of every strategy. */
    position: integer('position').notNull(),
    /** For `weighted`: higher is picked first. */
    weight: integer('weight').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.poolId, t.resourceId] }),
    index('pool_members_resource_idx').on(t.resourceId),
    check('pool_members_weight_positive', sql`${t.weight} >= 1`),
  ],
)

/**
 * A service that needs several resources at once: a therapist and a treatment room, a car
 * and a driver (docs/capacity.md, combined bookings). Its parts are listed in
 * `service_parts`; the first part leads (its slots, price and policy are the service's).
 */
export const services = pgTable(
  'services',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    /** The zone the widget shows the service's times in by default; each part's schedule stays in its own. */
    timezone: text('timezone').notNull(),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [check('services_slug_format', sql`${t.slug} ~ '^[a-z0-9][a-z0-9-]{0,62}$'`)],
)

/** One resource (or "any free member" of a pool) a service occupies for the whole booking. */
export const serviceParts = pgTable(
  'service_parts',
  {
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
    /** 0 leads: its slots, price, payment and policy are the service's. */
    position: integer('position').notNull(),
    resourceId: uuid('resource_id').references(() => bookableResources.id, { onDelete: 'cascade' }),
    poolId: uuid('pool_id').references(() => resourcePools.id, { onDelete: 'cascade' }),
    /** What guests read for this part ("Therapist", "Room"); the resource's or pool's name when unset. */
    label: text('label'),
  },
  (t) => [
    primaryKey({ columns: [t.serviceId, t.position] }),
    index('service_parts_resource_idx').on(t.resourceId),
    index('service_parts_pool_idx').on(t.poolId),
    check('service_parts_one_target', sql`(${t.resourceId} IS NULL) <> (${t.poolId} IS NULL)`),
    check('service_parts_position_range', sql`${t.position} BETWEEN 0 AND 7`),
  ],
)

export const resourceSchedules = pgTable(
  'resource_schedules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => bookableResources.id, { onDelete: 'cascade' }),
    /** 0 = Monday … 6 = Sunday; NULL when the row is for `specific_date`. */
    weekday: smallint('weekday'),
    specificDate: date('specific_date', { mode: 'string' }),
    /** Local wall time in the resource's zone; `24:00:00` is a valid end. */
    startTime: time('start_time').notNull(),
    endTime: time('end_time').notNull(),
    /** Minutes; NULL = undivided window (the guest picks from `config.durations`). */
    slotDuration: integer('slot_duration'),
    isAvailable: boolean('is_available').notNull().default(true),
  },
  (t) => [
    index('resource_schedules_resource_idx').on(t.resourceId),
    check('resource_schedules_one_day_kind', sql`(${t.weekday} IS NULL) <> (${t.specificDate} IS NULL)`),
    check('resource_schedules_weekday_range', sql`${t.weekday} BETWEEN 0 AND 6`),
    check('resource_schedules_slot_duration_positive', sql`${t.slotDuration} > 0`),
  ],
)

export const bookings = pgTable(
  'bookings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Short public code the guest quotes; random, never sequential. */
    ref: text('ref').notNull().unique(),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => bookableResources.id, { onDelete: 'restrict' }),
    status: text('status', { enum: BOOKING_STATUSES }).notNull().default('pending'),
    startsAt: instant('starts_at').notNull(),
    endsAt: instant('ends_at').notNull(),
    guestName: text('guest_name').notNull(),
    guestEmail: text('guest_email').notNull(),
    guestPhone: text('guest_phone'),
    notes: text('notes'),
    /** The guest's answers to the resource's intake questions, by question id. */
    answers: jsonb('answers').$type<IntakeAnswers>(),
    /**
     * The questions as they stood when the guest answered (labels, types, choices), so the
     * owner can read old answers after the questions change.
     */
    questionsAsked: jsonb('questions_asked').$type<IntakeQuestion[]>(),
    /** SHA-256 of the guest's manage token; the token itself is never stored. */
    manageTokenHash: text('manage_token_hash').notNull(),
    /** SHA-256 of the client's Idempotency-Key (the raw key is a secret: see manageTokenSealed). */
    idempotencyKey: text('idempotency_key').unique(),
    /** Fingerprint (session + body) of the request the idempotency key was first used with. */
    requestHash: text('request_hash'),
    /**
     * For idempotent requests only: the manage token encrypted under a key derived from the
     * raw Idempotency-Key, so a replay can return the same token while the database alone
     * cannot reveal it.
     */
    manageTokenSealed: text('manage_token_sealed'),
    sessionId: text('session_id'),
    /** The pool the guest booked through ("any physio"), when they did; the resource is the member assigned. */
    poolId: uuid('pool_id').references(() => resourcePools.id, { onDelete: 'set null' }),
    /**
     * For a combined booking (docs/capacity.md): the service booked, on the lead row and on
     * each part row.
     */
    serviceId: uuid('service_id').references(() => services.id, { onDelete: 'set null' }),
    /**
     * A part row: the lead booking (the one the guest holds a ref and a manage link for) it
     * belongs to. The database copies the lead's status and interval onto its parts
     * (trigger bookings_parts_follow_lead), so a part is never changed on its own.
     */
    partOf: uuid('part_of').references((): AnyPgColumn => bookings.id, { onDelete: 'cascade' }),
    /** An occurrence of a recurring booking (docs/booking-rules.md): the series it belongs to. */
    seriesId: uuid('series_id').references((): AnyPgColumn => bookingSeries.id, { onDelete: 'set null' }),
    /**
     * The waitlist offer this booking claims (docs/waitlist.md). The insert marks the offer
     * claimed in its own statement (trigger bookings_claim_waitlist_offer), and fails when
     * the offer is no longer open: a claim and a lapse never both win.
     */
    waitlistOfferId: uuid('waitlist_offer_id').references((): AnyPgColumn => waitlistOffers.id, {
      onDelete: 'set null',
    }),
    /** Guests at the table, for a booking made with a party size (docs/capacity.md). */
    partySize: smallint('party_size'),
    /** Places this booking takes of its resource's capacity (docs/capacity.md). */
    seats: smallint('seats').notNull().default(1),
    /**
     * Set by the database (trigger bookings_guard_capacity) from the resource: true when its
     * capacity is above 1, so the seat-counting trigger guards the row instead of the EXCLUDE
     * constraint. The application never chooses it.
     */
    sharesCapacity: boolean('shares_capacity').notNull().default(false),
    /** Bumped on reschedule so reminders written for the old time never match. */
    version: integer('version').notNull().default(1),
    /** Language of the guest's messages (`en`, `de`, `es`), as the widget spoke to them. */
    locale: text('locale').notNull().default('en'),
    /** The IANA zone the guest saw times in when booking; messages state times in it. NULL = the resource's zone. */
    guestTimezone: text('guest_timezone'),
    /** The manage token sealed under APP_SECRET, so messages sent later can carry the manage link. */
    manageLinkSealed: text('manage_link_sealed'),
    /**
     * The booking's PaymentIntent. A prepaid series has ONE intent for all its dates (each
     * date's amounts are its own share of it), so the id is unique among single bookings only.
     */
    paymentIntentId: text('payment_intent_id'),
    /** Money in integer minor units of `currency`. */
    amount: integer('amount'),
    currency: text('currency'),
    /** Where the payment stands, as the provider last reported it; NULL = no payment taken. */
    paymentStatus: text('payment_status', { enum: PAYMENT_STATUSES }),
    amountAuthorized: integer('amount_authorized').notNull().default(0),
    amountCaptured: integer('amount_captured').notNull().default(0),
    amountRefunded: integer('amount_refunded').notNull().default(0),
    /** When the card authorization lapses (from the charge); owner approval must come 12 h earlier. */
    captureBefore: instant('capture_before'),
    /** How a cancellation was settled by the policy, and whether the provider has done it. */
    settlement: jsonb('settlement').$type<CancellationSettlement>(),
    /** The policy in force when the booking was made. */
    cancellationPolicy: jsonb('cancellation_policy').$type<CancellationPolicy>(),
    /**
     * The most a cancellation may refund, in percent: set when the booking was moved while a
     * cancel would have refunded less than all (the tier's percentage then), so moving never
     * buys a better refund; only ever lowered. NULL = the policy alone decides.
     */
    refundCeilingPercent: integer('refund_ceiling_percent'),
    /**
     * The resource's minimum notice for the guest's own move / cancel online, in hours before
     * the start, as it stood when the booking was made (later edits do not change the terms a
     * guest booked under). NULL = not set: moves close at the policy's no_refund_hours.
     */
    minRescheduleNoticeHours: doublePrecision('min_reschedule_notice_hours'),
    minCancelNoticeHours: doublePrecision('min_cancel_notice_hours'),
    /** Unpaid pending bookings stop occupying the slot after this instant. */
    expiresAt: instant('expires_at'),
    confirmedAt: instant('confirmed_at'),
    cancelledAt: instant('cancelled_at'),
    cancelReason: text('cancel_reason'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    // The no-overlap EXCLUDE constraint cannot be expressed here; it lives in the
    // custom migration drizzle/migrations/0001_no_overlap.sql; the owner list's
    // resource-and-period index (every status) in 0010_resource_period.sql.
    check('bookings_status_known', sql.raw(`status IN (${BOOKING_STATUSES.map((s) => `'${s}'`).join(', ')})`)),
    check('bookings_ends_after_start', sql`${t.endsAt} > ${t.startsAt}`),
    check('bookings_seats_positive', sql`${t.seats} >= 1`),
    check('bookings_party_size_positive', sql`${t.partySize} IS NULL OR ${t.partySize} >= 1`),
    check('bookings_amounts_non_negative', sql`${t.amountCaptured} >= 0 AND ${t.amountRefunded} >= 0`),
    check('bookings_refund_within_capture', sql`${t.amountRefunded} <= ${t.amountCaptured}`),
    check(
      'bookings_payment_status_known',
      sql.raw(`payment_status IS NULL OR payment_status IN (${PAYMENT_STATUSES.map((s) => `'${s}'`).join(', ')})`),
    ),
    uniqueIndex('bookings_payment_intent_single')
      .on(t.paymentIntentId)
      .where(sql`${t.seriesId} IS NULL`),
    index('bookings_payment_intent_idx')
      .on(t.paymentIntentId)
      .where(sql`${t.paymentIntentId} IS NOT NULL`),
    index('bookings_series_idx')
      .on(t.seriesId)
      .where(sql`${t.seriesId} IS NOT NULL`),
    index('bookings_part_of_idx')
      .on(t.partOf)
      .where(sql`${t.partOf} IS NOT NULL`),
    index('bookings_settlement_open_idx')
      .on(t.id)
      .where(sql`${t.settlement} ->> 'state' IN ('pending', 'failed')`),
    index('bookings_expiring_idx')
      .on(t.expiresAt)
      .where(sql`${t.status} = 'pending' AND ${t.expiresAt} IS NOT NULL`),
  ],
)

/**
 * A recurring booking (docs/booking-rules.md): weekly or every N weeks, for a number of
 * occurrences or until a date. Each occurrence is an ordinary booking row (its own ref,
 * guarded by the same constraint) pointing here; the guest's one manage token opens all.
 */
export const bookingSeries = pgTable(
  'booking_series',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Short public code of the series, like a booking's ref. */
    ref: text('ref').notNull().unique(),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => bookableResources.id, { onDelete: 'restrict' }),
    /** Weeks between occurrences (1 = weekly). */
    everyWeeks: smallint('every_weeks').notNull(),
    /** How many occurrences were asked for, or the last date (the resource's local date) they may fall on. */
    occurrences: smallint('occurrences'),
    untilDate: date('until_date', { mode: 'string' }),
    /** `all_or_nothing` or `skip_conflicts`, as the series was booked. */
    mode: text('mode').notNull(),
    /** Local dates skipped because they were not free when the series was booked. */
    skippedDates: text('skipped_dates')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /**
     * Why each skipped date was not free (`taken`, `held`, `closed`), in the order of
     * `skippedDates`, so a retried request answers exactly as the first did. Series booked
     * before this column have none: their dates read as `taken`.
     */
    skippedReasons: text('skipped_reasons')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    manageTokenHash: text('manage_token_hash').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    check('booking_series_every_weeks_range', sql`${t.everyWeeks} BETWEEN 1 AND 52`),
    check('booking_series_one_end', sql`(${t.occurrences} IS NULL) <> (${t.untilDate} IS NULL)`),
  ],
)

/**
 * Checked by the application only: `event` is a plain text column (no CHECK, no PostgreSQL
 * enum), so a new event such as `moved` needs no migration of its own.
 */
export const NOTIFICATION_EVENTS = [
  'created',
  'confirmed',
  'moved',
  'reminder_24h',
  'reminder_1h',
  'cancelled',
  'admin_new_booking',
  'admin_moved',
  'admin_cancelled',
  'series_moved',
  'admin_series_moved',
  'series_cancelled',
  'admin_series_cancelled',
] as const
export const NOTIFICATION_CHANNELS = ['email', 'sms'] as const
export const NOTIFICATION_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const

/** An interval as ISO-8601 UTC instants. */
export interface StoredInterval {
  start: string
  end: string
}

export interface NotificationPayload {
  /** `moved` / `admin_moved`: the time the guest last knew, and the new one. */
  move?: { from: StoredInterval; to: StoredInterval }
  /** `series_moved` / `admin_series_moved`: every date of the series that moved, as told. */
  seriesMoves?: { bookingId: string; ref: string; version: number; from: StoredInterval; to: StoredInterval }[]
  /** `series_cancelled` / `admin_series_cancelled`: the dates cancelled at once, and those the policy kept. */
  seriesCancel?: { cancelled: { bookingId: string; ref: string }[]; kept: { bookingId: string; ref: string }[] }
}

/**
 * The outbox: one row per message, written in the transaction that changed the booking,
 * sent by the worker. The unique key makes every message exist once per booking version,
 * so a rescheduled booking's old reminders can never match the new time.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bookingId: uuid('booking_id')
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    event: text('event', { enum: NOTIFICATION_EVENTS }).notNull(),
    channel: text('channel', { enum: NOTIFICATION_CHANNELS }).notNull(),
    /** Email address or E.164 phone; NULL when there is none (the row is then skipped). */
    recipient: text('recipient'),
    version: integer('version').notNull(),
    status: text('status', { enum: NOTIFICATION_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    sendAfter: instant('send_after').notNull(),
    /** A claimed row whose worker died is claimed again after this instant. */
    leaseUntil: instant('lease_until'),
    sentAt: instant('sent_at'),
    lastError: text('last_error'),
    /** Why a row was not sent: no recipient, no provider, stale, too late. */
    skipReason: text('skip_reason'),
    providerId: text('provider_id'),
    /**
     * What this one message announces beyond the booking's current row. A move keeps the
     * interval it left and the one it went to: the worker renders the message later, when
     * the booking row only knows its latest time (and may have moved again since), so the
     * row carries its own "from → to" rather than a previous-start column on the booking,
     * which would hold one move only.
     */
    payload: jsonb('payload').$type<NotificationPayload>(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('notifications_once').on(t.bookingId, t.event, t.channel, t.version),
    index('notifications_due_idx')
      .on(t.sendAfter)
      .where(sql`${t.status} IN ('pending', 'sending')`),
    index('notifications_booking_idx').on(t.bookingId),
  ],
)

/**
 * Owner API keys. Only a SHA-256 of each key is kept; `prefix` is the key's public part
 * (shown in lists, used to find the row), never enough to use it.
 */
export const adminApiKeys = pgTable('admin_api_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  prefix: text('prefix').notNull().unique(),
  keyHash: text('key_hash').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
  lastUsedAt: instant('last_used_at'),
  revokedAt: instant('revoked_at'),
})

/**
 * One-time links that create the first owner key (printed by `npm start` while no active
 * key exists). Only the token's SHA-256 is kept; exchanging it sets `used_at` in the same
 * statement that checks it is unused and unexpired, so one token makes at most one key.
 */
export const adminSetupTokens = pgTable('admin_setup_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: instant('created_at').notNull().defaultNow(),
  expiresAt: instant('expires_at').notNull(),
  usedAt: instant('used_at'),
  /** The key the token was exchanged for. */
  adminKeyId: uuid('admin_key_id').references(() => adminApiKeys.id, { onDelete: 'set null' }),
})

/** Stripe event ids already handled: each webhook event takes effect once. */
export const paymentEvents = pgTable('payment_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  processedAt: instant('processed_at').notNull().defaultNow(),
})

/** Events a webhook endpoint may subscribe to (docs/integrations.md). */
export { WEBHOOK_EVENTS, type WebhookEvent } from '../shared/webhook-events'
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'failed'] as const

/** An owner's HTTPS endpoint that receives signed booking and payment events. */
export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: uuid('id').primaryKey().defaultRandom(),
  url: text('url').notNull(),
  description: text('description'),
  /** Event types delivered (`booking.created`, …); see shared/webhook-events.ts. */
  events: text('events').array().notNull(),
  /**
   * The signing secret (`whsec_…`). Kept as is, not hashed: the server signs every delivery
   * with it, and the owner may reveal it again in the console, as with Stripe.
   */
  secret: text('secret').notNull(),
  isActive: boolean('is_active').notNull().default(true),
  /** Set when the endpoint was switched off after repeated failures (or by the owner). */
  disabledAt: instant('disabled_at'),
  disabledReason: text('disabled_reason'),
  /** Failed delivery attempts since the last success; reset by any success. */
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  createdAt: instant('created_at').notNull().defaultNow(),
})

/**
 * The webhook outbox: one row per (event, endpoint). The database writes it (trigger
 * bookings_webhook_events) in the statement that changed the booking, so an event exists
 * exactly when its change committed. `payload` is the booking as it was at that moment.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    /** The event's id (`evt_…` in the body): the same for every endpoint the event goes to. */
    eventId: uuid('event_id').notNull(),
    event: text('event').notNull(),
    bookingId: uuid('booking_id').references(() => bookings.id, { onDelete: 'set null' }),
    /** Increases with every event of one booking, in commit order: receivers order by it. */
    sequence: bigint('sequence', { mode: 'number' }).notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: instant('next_attempt_at').notNull().defaultNow(),
    leaseUntil: instant('lease_until'),
    lastStatusCode: integer('last_status_code'),
    lastLatencyMs: integer('last_latency_ms'),
    lastError: text('last_error'),
    deliveredAt: instant('delivered_at'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('webhook_deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} IN ('pending', 'sending')`),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt),
    // The sender's "an earlier event of this booking to this endpoint is still open" check.
    index('webhook_deliveries_open_by_booking_idx')
      .on(t.endpointId, t.bookingId, t.sequence)
      .where(sql`${t.status} IN ('pending', 'sending')`),
  ],
)

/** An ICS address whose busy events block a resource (a staff member's calendar, a channel manager). */
export const busySources = pgTable(
  'busy_sources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => bookableResources.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    label: text('label'),
    /** How often it is fetched. */
    pollMinutes: integer('poll_minutes').notNull().default(10),
    etag: text('etag'),
    lastModified: text('last_modified'),
    nextPollAt: instant('next_poll_at').notNull().defaultNow(),
    leaseUntil: instant('lease_until'),
    lastAttemptAt: instant('last_attempt_at'),
    /** The last fetch that parsed: its blocks are the ones in force. */
    lastSuccessAt: instant('last_success_at'),
    lastError: text('last_error'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('busy_sources_resource_idx').on(t.resourceId),
    check('busy_sources_poll_range', sql`${t.pollMinutes} BETWEEN 5 AND 1440`),
  ],
)

/**
 * One imported busy interval. The overlap index and the check that a booking does not land
 * on one (trigger bookings_respect_busy_blocks) live in 0014_integrations.sql.
 */
export const busyBlocks = pgTable(
  'busy_blocks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sourceId: uuid('source_id')
      .notNull()
      .references(() => busySources.id, { onDelete: 'cascade' }),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => bookableResources.id, { onDelete: 'cascade' }),
    startsAt: instant('starts_at').notNull(),
    endsAt: instant('ends_at').notNull(),
    /** The event's UID (and occurrence), for the console; the summary is not kept. */
    uid: text('uid'),
  },
  (t) => [
    index('busy_blocks_source_idx').on(t.sourceId),
    check('busy_blocks_ends_after_start', sql`${t.endsAt} > ${t.startsAt}`),
  ],
)

/**
 * A guest waiting for a time of a resource (docs/waitlist.md): a booking that lies within
 * [window_start, window_end). Waiters are served in the order they joined (`queued_seq`). The guest reaches
 * the entry with its ref and a token of which only the SHA-256 is kept.
 */
export const waitlistEntries = pgTable(
  'waitlist_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ref: text('ref').notNull().unique(),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => bookableResources.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: WAITLIST_KINDS }).notNull(),
    windowStart: instant('window_start').notNull(),
    windowEnd: instant('window_end').notNull(),
    /** The slot length wanted, where the resource offers several; NULL = its first. */
    durationMin: integer('duration_min'),
    seats: integer('seats').notNull().default(1),
    guestName: text('guest_name').notNull(),
    guestEmail: text('guest_email').notNull(),
    /** E.164. */
    guestPhone: text('guest_phone'),
    locale: text('locale').notNull(),
    guestTimezone: text('guest_timezone'),
    tokenHash: text('token_hash').notNull(),
    /** The token sealed with APP_SECRET, for the links in messages sent later; NULL = no links. */
    linkSealed: text('link_sealed'),
    status: text('status', { enum: WAITLIST_STATUSES }).notNull().default('waiting'),
    /** The booking a claimed offer made. */
    bookingId: uuid('booking_id').references((): AnyPgColumn => bookings.id, { onDelete: 'set null' }),
    /** The place in the queue: increases with every join, in commit-independent draw order. */
    queuedSeq: bigserial('queued_seq', { mode: 'number' }).notNull(),
    createdAt: instant('created_at').notNull(),
    endedAt: instant('ended_at'),
  },
  (t) => [
    index('waitlist_entries_waiting_idx')
      .on(t.resourceId, t.queuedSeq)
      .where(sql`${t.status} = 'waiting'`),
    index('waitlist_entries_resource_window_idx').on(t.resourceId, t.windowStart),
    // Claimed entries pile up forever; the offer worker only looks, every minute, at those whose
    // window is still open (a claim never paid goes back in line).
    index('waitlist_entries_booked_open_idx')
      .on(t.windowEnd)
      .where(sql`${t.status} = 'booked'`),
    // One place in the queue per guest and window: joining twice is refused, not queued twice.
    uniqueIndex('waitlist_entries_once')
      .on(t.resourceId, sql`lower(${t.guestEmail})`, t.windowStart, t.windowEnd)
      .where(sql`${t.status} = 'waiting'`),
    check('waitlist_entries_window_order', sql`${t.windowEnd} > ${t.windowStart}`),
    check('waitlist_entries_seats_positive', sql`${t.seats} >= 1`),
  ],
)

/**
 * One freed time offered to one waiter, kept for them by a hold (`hold_id`, session
 * `waitlist:<offer id>`) until `expires_at`. The unique keys are the exactly-once rules:
 * a waiter is never offered the same start twice and holds at most one open offer.
 */
export const waitlistOffers = pgTable(
  'waitlist_offers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    entryId: uuid('entry_id')
      .notNull()
      .references(() => waitlistEntries.id, { onDelete: 'cascade' }),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => bookableResources.id, { onDelete: 'cascade' }),
    startsAt: instant('starts_at').notNull(),
    endsAt: instant('ends_at').notNull(),
    holdId: text('hold_id').notNull(),
    status: text('status', { enum: WAITLIST_OFFER_STATUSES }).notNull().default('open'),
    offeredAt: instant('offered_at').notNull(),
    expiresAt: instant('expires_at').notNull(),
    endedAt: instant('ended_at'),
    bookingId: uuid('booking_id').references((): AnyPgColumn => bookings.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('waitlist_offers_once_per_start').on(t.entryId, t.startsAt),
    uniqueIndex('waitlist_offers_one_open')
      .on(t.entryId)
      .where(sql`${t.status} = 'open'`),
    index('waitlist_offers_open_idx')
      .on(t.resourceId, t.expiresAt)
      .where(sql`${t.status} = 'open'`),
  ],
)

export const WAITLIST_MESSAGE_EVENTS = ['joined', 'offered', 'removed'] as const
export const WAITLIST_MESSAGE_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const

/**
 * The waitlist's outbox: one row per message to a waiter, written in the transaction that
 * made the entry or the offer, sent by the due-work worker. `key` makes each exist once.
 */
export const waitlistMessages = pgTable(
  'waitlist_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    key: text('key').notNull().unique(),
    entryId: uuid('entry_id')
      .notNull()
      .references(() => waitlistEntries.id, { onDelete: 'cascade' }),
    offerId: uuid('offer_id').references(() => waitlistOffers.id, { onDelete: 'cascade' }),
    event: text('event', { enum: WAITLIST_MESSAGE_EVENTS }).notNull(),
    channel: text('channel', { enum: NOTIFICATION_CHANNELS }).notNull(),
    recipient: text('recipient').notNull(),
    status: text('status', { enum: WAITLIST_MESSAGE_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    sendAfter: instant('send_after').notNull(),
    leaseUntil: instant('lease_until'),
    sentAt: instant('sent_at'),
    lastError: text('last_error'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('waitlist_messages_due_idx')
      .on(t.sendAfter)
      .where(sql`${t.status} IN ('pending', 'sending')`),
  ],
)

export type ResourceRow = typeof bookableResources.$inferSelect
export type ScheduleRow = typeof resourceSchedules.$inferSelect
export type BookingRow = typeof bookings.$inferSelect
export type ServiceRow = typeof services.$inferSelect
export type BookingSeriesRow = typeof bookingSeries.$inferSelect
export type ServicePartRow = typeof serviceParts.$inferSelect
export type NotificationRow = typeof notifications.$inferSelect
export type AdminKeyRow = typeof adminApiKeys.$inferSelect
export type AdminSetupTokenRow = typeof adminSetupTokens.$inferSelect
export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect
export type BusySourceRow = typeof busySources.$inferSelect
export type BusyBlockRow = typeof busyBlocks.$inferSelect
export type WaitlistEntryRow = typeof waitlistEntries.$inferSelect
export type WaitlistOfferRow = typeof waitlistOffers.$inferSelect
export type WaitlistMessageRow = typeof waitlistMessages.$inferSelect
