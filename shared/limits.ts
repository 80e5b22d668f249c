/*
 * Limits the API enforces and the console checks before sending. Plain constants, no zod:
 * the console imports them without pulling the validation library into its bundle (zod
 * probes for eval, which the console's CSP forbids).
 */

/**
 * Slots one availability answer may carry. A range whose schedule would offer more is
 * refused (400, naming `to` and the days that fit), so one request stays a small body.
 */
export const MAX_SLOTS_PER_RESPONSE = 10_000

/**
 * The shortest slot the admin API makes: a month of 5-minute slots round the clock is
 * 8,928, inside MAX_SLOTS_PER_RESPONSE; 1-minute ones would be 44,640. Rows stored
 * before this limit still load.
 */
export const MIN_SLOT_MINUTES = 5

/**
 * The most any amount the admin API takes may be, in minor units: Stripe's eight-digit
 * ceiling (999,999.99 in a two-decimal currency), which also fits the database's integer
 * (int4) money columns. Checked on write only, so a config stored before still loads.
 */
export const MAX_AMOUNT_MINOR = 99_999_999

/** The most places one resource may have (docs/capacity.md). */
export const MAX_CAPACITY = 10_000

/** The largest party a table may declare or a guest may ask for. */
export const MAX_PARTY = 1_000

/** Most members one pool may have: enough for any dining room or team, small enough to try each in turn. */
export const MAX_POOL_MEMBERS = 200
/** Highest weight of a member of a `weighted` pool. */
export const MAX_POOL_WEIGHT = 1_000
