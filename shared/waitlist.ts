/*
 * The waitlist (docs/waitlist.md): a guest waits for a full slot, a full day or a stretch of
 * a day; when a matching time frees, the first waiter is offered it under a hold placed for
 * them, and claims it from a link before the offer lapses. Pure names and rules shared by
 * the API, the widget and the console.
 */

/** How the guest asked: one slot, any time in a stretch of a day, or any time on a local day. */
export const WAITLIST_KINDS = ['slot', 'range', 'day'] as const
export type WaitlistKind = (typeof WAITLIST_KINDS)[number]

/**
 * An entry waits until it is booked (an offer claimed), the guest leaves, the owner removes
 * it, or its window passes (`expired`). Offers come and go while it waits.
 */
export const WAITLIST_STATUSES = ['waiting', 'booked', 'left', 'removed', 'expired'] as const
export type WaitlistStatus = (typeof WAITLIST_STATUSES)[number]

/**
 * An offer is open while its hold keeps the slot for the waiter; it ends claimed (booked),
 * declined, lapsed (not claimed in time) or withdrawn (the waiter left, or the slot was
 * booked by the owner over the hold).
 */
export const WAITLIST_OFFER_STATUSES = ['open', 'claimed', 'declined', 'lapsed', 'withdrawn'] as const
export type WaitlistOfferStatus = (typeof WAITLIST_OFFER_STATUSES)[number]

/** Minutes a waiter has to claim an offered slot, unless the resource sets `waitlistOfferMinutes`. */
export const DEFAULT_WAITLIST_OFFER_MINUTES = 15
/** The longest window one entry may wait on: a local day, with room for a DST day of 25 hours. */
export const MAX_WAITLIST_WINDOW_MS = 25 * 3_600_000

/** Whether guests may join a resource's waitlist: on unless the owner switched it off; never for spans. */
export function waitlistOpen(config: { waitlist?: boolean; span?: unknown }): boolean {
  return config.waitlist !== false && !config.span
}
