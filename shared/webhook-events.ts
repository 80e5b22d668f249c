/*
 * The events an owner's webhook endpoint can subscribe to. The database writes one
 * delivery per subscribed endpoint in the statement that made the change (trigger
 * bookings_webhook_events, migration 0014), so the names here and there must agree.
 */
export const WEBHOOK_EVENTS = [
  'booking.created',
  'booking.confirmed',
  'booking.moved',
  'booking.cancelled',
  'booking.no_show',
  'booking.completed',
  'payment.authorized',
  'payment.captured',
  'payment.refunded',
  // The waitlist (docs/waitlist.md); written by trigger waitlist_webhook_events (migration 0016).
  'waitlist.joined',
  'waitlist.offered',
  'waitlist.claimed',
  'waitlist.expired',
] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]

/** The header a delivery is signed in: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const WEBHOOK_SIGNATURE_HEADER = 'Booking-Signature'
