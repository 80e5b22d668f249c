import type { WebhookBooking, WebhookEventBody } from '../../shared/api-contract'
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
      : {
          ...common,
          type: row.event as WebhookEvent,
          data: { booking: toWebhookBooking(row.payload), ...previousOf(row.payload) },
        }
  return JSON.stringify(body)
}

type Snapshot = Record<string, unknown>

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
