import { eq } from 'drizzle-orm'
import type { Database } from '../api/db/database'
import { bookings, type BookingRow } from '../drizzle/schema'
import type { ResourceConfig } from '../shared/schemas'
import type { PublicBooking, PublicHold } from '../shared/types'
import type { CallOptions, CallResult } from './api'
import type { FakeStripe } from './fake-stripe'
import { everyDay, insertResource } from './fixtures'
import { newSession } from './holds'

/*
 * A booking of a priced resource whose card the payment provider (the local stand-in)
 * authorized, made through the real API: a hold, the booking, the authorization and its
 * signed webhook. The payment tests start from here; what they check stays in them, so
 * every response is handed back for them to look at.
 */

export type CreatedBooking = {
  booking: PublicBooking
  manageToken: string
  payment?: { clientSecret: string; publishableKey: string; amount: number; currency: string }
}

/** What the helper needs of a test's API: its JSON caller and the app, for the raw webhook. */
export interface PaymentTestApi {
  call<T = unknown>(method: string, path: string, opts?: CallOptions): Promise<CallResult<T>>
  app: { request(path: string, init: RequestInit): Response | Promise<Response> }
}

/** A resource open around the clock in hour slots, priced by `config`. */
export function pricedResource(db: Database, config: ResourceConfig) {
  return insertResource(db, {
    name: 'Studio',
    config,
    schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 60 }),
  })
}

export async function bookingRow(db: Database, ref: string): Promise<BookingRow> {
  const [found] = await db.select().from(bookings).where(eq(bookings.ref, ref))
  return found!
}

/** The provider's webhook for an intent, signed as the provider signs it. */
export async function sendWebhook(api: PaymentTestApi, stripe: FakeStripe, type: string, intentId: string) {
  const event = stripe.signedEvent(type, intentId)
  return api.app.request('/v1/webhooks/stripe', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': event.signature },
    body: event.body,
  })
}

/**
 * Books `start` on a new resource priced by `config`, then has the card authorized and the
 * webhook delivered: without owner approval the booking is captured and confirmed by then.
 */
export async function paidBooking(
  api: PaymentTestApi,
  db: Database,
  stripe: FakeStripe,
  config: ResourceConfig,
  start: string,
) {
  const resource = await pricedResource(db, config)
  const session = newSession()
  const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
    session,
    body: { resourceId: resource.id, start },
  })
  const created = await api.call<CreatedBooking>('POST', '/v1/bookings', {
    session,
    body: { holdId: hold.body.hold.id, guest: { name: 'Ada Lovelace', email: 'ada@example.com' } },
  })
  const saved = await bookingRow(db, created.body.booking.ref)
  const intentId = saved.paymentIntentId!
  stripe.authorize(intentId)
  const webhook = await sendWebhook(api, stripe, 'payment_intent.amount_capturable_updated', intentId)
  return { resource, hold, created, saved, intentId, webhook }
}
