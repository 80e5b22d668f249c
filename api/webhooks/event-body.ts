import type { WebhookBooking, WebhookEventBody, WebhookWaitlistData } from '../../shared/api-contract'
import type { BookingStatus, PaymentStatus } from '../../shared/booking-status'
import { readableAnswers } from '../../shared/intake-answers'
import { messageLanguage } from '../../shared/schemas'
import type { IntakeAnswers, IntakeQuestion } from '../../shared/resource-config'
import type { WebhookEvent } from '../../shared/webhook-events'
import type { WebhookDeliveryRow } from '../../drizzle/schema'

/**
 * The JSON a receiver gets for one delivery, built from the row alone (the booking as the
 * database saw it when the event happened), so every retry sends the same bytes.
 */
export function webhookBody(row: WebhookDeliveryRow): string {
  const common = {
    id: `evt_${row.eventId}`,
    created: Math.floor(row.createdAt.getTime() / 1000),
    sequence: row.sequence,
  }
  const body: WebhookEventBody =
    row.event === 'ping'
      ? { ...common, type: 'ping', data: { endpointId: row.endpointId } }
      : isWaitlistEvent(row.event)
        ? { ...common, type: row.event, data: toWebhookWaitlist(row.payload) }
        : {
            ...common,
            type: row.event as Exclude<WebhookEvent, WaitlistEvent>,
            data: { booking: toWebhookBooking(row.payload), ...previousOf(row.payload) },
          }
  return JSON.stringify(body)
}

type Snapshot = Record<string, unknown>
type WaitlistEvent = Extract<WebhookEvent, `waitlist.${string}`>

const isWaitlistEvent = (event: string): event is WaitlistEvent => event.startsWith('waitlist.')

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null)
const int = (v: unknown): number => (typeof v === 'number' ? v : 0)
/** Timestamps arrive as PostgreSQL writes them (`…+00:00`); receivers get ISO UTC like the API's. */
const iso = (v: unknown): string => (typeof v === 'string' ? new Date(v).toISOString() : '')

export function toWebhookBooking(p: Snapshot): WebhookBooking {
  const answers = (p.answers as IntakeAnswers | null) ?? null
  const locale = text(p.locale) ?? 'en'
  const booking: WebhookBooking = {
    id: String(p.id),
    ref: String(p.ref),
    resourceId: String(p.resource_id),
    serviceId: text(p.service_id),
    poolId: text(p.pool_id),
    status: p.status as BookingStatus,
    start: iso(p.starts_at),
    end: iso(p.ends_at),
    seats: int(p.seats) || 1,
    partySize: typeof p.party_size === 'number' ? p.party_size : null,
    guest: { name: String(p.guest_name), email: String(p.guest_email), phone: text(p.guest_phone) },
    notes: text(p.notes),
    answers,
    answersReadable: readableAnswers(
      (p.questions_asked as IntakeQuestion[] | null) ?? null,
      answers,
      messageLanguage(locale),
    ),
    locale,
    version: int(p.version),
    cancelReason: text(p.cancel_reason),
    createdAt: iso(p.created_at),
  }
  if (typeof p.payment_status === 'string' || typeof p.amount === 'number') {
    booking.payment = {
      status: (text(p.payment_status) as PaymentStatus | null) ?? null,
      amount: typeof p.amount === 'number' ? p.amount : null,
      currency: text(p.currency),
      authorized: int(p.amount_authorized),
      captured: int(p.amount_captured),
      refunded: int(p.amount_refunded),
    }
  }
  return booking
}

/** A waitlist event's snapshot (trigger waitlist_webhook_events): the entry, and the offer when one is concerned. */
export function toWebhookWaitlist(p: Snapshot): WebhookWaitlistData {
  const e = (p.entry ?? {}) as Snapshot
  const data: WebhookWaitlistData = {
    entry: {
      id: String(e.id),
      ref: String(e.ref),
      resourceId: String(e.resource_id),
      kind: e.kind as WebhookWaitlistData['entry']['kind'],
      windowStart: iso(e.window_start),
      windowEnd: iso(e.window_end),
      seats: int(e.seats) || 1,
      status: String(e.status),
      guest: { name: String(e.guest_name), email: String(e.guest_email), phone: text(e.guest_phone) },
      locale: text(e.locale) ?? 'en',
      bookingId: text(e.booking_id),
      createdAt: iso(e.created_at),
    },
  }
  const o = p.offer as Snapshot | undefined
  if (o) {
    data.offer = {
      id: String(o.id),
      start: iso(o.starts_at),
      end: iso(o.ends_at),
      status: String(o.status),
      offeredAt: iso(o.offered_at),
      expiresAt: iso(o.expires_at),
      bookingId: text(o.booking_id),
    }
  }
  return data
}

function previousOf(p: Snapshot): { previous?: { status: string; start: string; end: string; resourceId: string } } {
  const prev = p.previous as Snapshot | undefined
  if (!prev) return {}
  return {
    previous: {
      status: String(prev.status),
      start: iso(prev.starts_at),
      end: iso(prev.ends_at),
      resourceId: String(prev.resource_id),
    },
  }
}
