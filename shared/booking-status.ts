import { BookingError } from './errors'
import { amountDue as amountDueOnce, type PaymentConfig, type Price } from './payment-terms'

/**
 * What the guest pays online when booking (see payment-terms.ts `amountDue`), for `units`
 * of a span across days (days or nights, shared/span-pricing.ts): the price is owed once
 * per unit, a fixed deposit (`depositAmount`) once for the whole span.
 */
export function amountDue(config: PaymentConfig, seats = 1, units = 1): Price | undefined {
  const due = amountDueOnce(config, seats)
  if (!due || units === 1 || (config.payment === 'deposit' && config.depositAmount !== undefined)) return due
  return { amount: due.amount * units, currency: due.currency }
}

/**
 * Where a booking's payment stands: waiting for the card, authorized (money reserved, not
 * taken), captured (taken), canceled (authorization released or never completed), failed.
 */
export const PAYMENT_STATUSES = ['requires_payment', 'authorized', 'captured', 'canceled', 'failed'] as const
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number]

/*
 * A booking's statuses and the rules over them, in one place: the database column, the
 * API's schemas and types, the booking lifecycle and the owner console all read them from
 * here. Pure: no I/O, no clock of its own.
 *
 *   pending ──confirm──▶ confirmed ──no-show / complete (once started)──▶ no_show / completed
 *      │                     │
 *      └──────cancel─────────┴──▶ cancelled   (also: expired unpaid, payment unavailable)
 */

export const BOOKING_STATUSES = ['pending', 'confirmed', 'cancelled', 'completed', 'no_show'] as const
export type BookingStatus = (typeof BOOKING_STATUSES)[number]

/**
 * Statuses that keep their interval on the resource: every one but cancelled. The
 * database's no-overlap constraint and the busy-time read count exactly these.
 */
export const OCCUPYING_STATUSES = [
  'pending',
  'confirmed',
  'completed',
  'no_show',
] as const satisfies readonly BookingStatus[]

export function occupiesSlot(status: BookingStatus): boolean {
  return (OCCUPYING_STATUSES as readonly BookingStatus[]).includes(status)
}

/**
 * Statuses whose booking is still ahead of it: it may be moved or cancelled. Completed and
 * no-show bookings are history; a cancelled one has let its slot go.
 */
export const ACTIVE_STATUSES = ['pending', 'confirmed'] as const satisfies readonly BookingStatus[]
export type ActiveStatus = (typeof ACTIVE_STATUSES)[number]

export function isActive(status: BookingStatus): status is ActiveStatus {
  return (ACTIVE_STATUSES as readonly BookingStatus[]).includes(status)
}

/** A status as a sentence says it: `no show`. */
export function statusWords(status: BookingStatus): string {
  return status.replace('_', ' ')
}

/**
 * Every transition an owner may make, by its name in the API path
 * (`POST /v1/admin/bookings/:id/:transition`): anything else is 409 `invalid_transition`.
 * `confirm` waits for a guest's payment; attendance can only be marked once the booking
 * has started (`afterStart`).
 */
export const OWNER_TRANSITIONS = {
  confirm: { from: ['pending'], to: 'confirmed' },
  cancel: { from: ACTIVE_STATUSES, to: 'cancelled' },
  'no-show': { from: ['confirmed'], to: 'no_show', afterStart: true },
  complete: { from: ['confirmed'], to: 'completed', afterStart: true },
} as const satisfies Record<string, { from: readonly BookingStatus[]; to: BookingStatus; afterStart?: true }>

export type OwnerTransition = keyof typeof OWNER_TRANSITIONS

export function isOwnerTransition(name: string): name is OwnerTransition {
  return Object.hasOwn(OWNER_TRANSITIONS, name)
}

/** Whether the owner's table allows `transition` from `status` at all (timing aside). */
export function transitionAllowedFrom(transition: OwnerTransition, status: BookingStatus): boolean {
  return (OWNER_TRANSITIONS[transition].from as readonly BookingStatus[]).includes(status)
}

/** Money the guest still owes: a booking waiting for it is confirmed once paid, not by the owner. */
export function awaitingPayment(paymentStatus: PaymentStatus | null | undefined): boolean {
  return paymentStatus === 'requires_payment' || paymentStatus === 'failed'
}

/**
 * Why the owner may not make `transition` now (the 409 message), or undefined when they
 * may. `start` is the booking's start (epoch ms); a booking has started once its start is
 * behind `now`.
 */
export function ownerTransitionRefusal(
  transition: OwnerTransition,
  booking: { status: BookingStatus; start: number; paymentStatus?: PaymentStatus | null | undefined },
  now: number,
): string | undefined {
  if (!transitionAllowedFrom(transition, booking.status))
    return `Cannot ${transition.replace('-', ' ')} a ${statusWords(booking.status)} booking.`
  if (transition === 'confirm' && awaitingPayment(booking.paymentStatus)) {
    return 'The guest has not paid yet; a booking that takes payment is confirmed once paid.'
  }
  if ('afterStart' in OWNER_TRANSITIONS[transition] && !(booking.start < now))
    return 'Only a confirmed booking that has started can be marked so.'
  return undefined
}

/**
 * The status a new booking starts in: pending while it waits for the owner's approval or
 * for the guest's payment, confirmed otherwise.
 */
export function initialStatus(
  config: PaymentConfig & { requiresConfirmation?: boolean | undefined },
): Extract<BookingStatus, 'pending' | 'confirmed'> {
  return config.requiresConfirmation === true || amountDue(config) !== undefined ? 'pending' : 'confirmed'
}

/**
 * The error for a guest's own move or cancel that the booking's notice (or its start)
 * has closed: 422 `reschedule_closed` / `cancellation_closed`.
 */
export function guestChangeClosed(change: 'move' | 'cancel', reason: 'started' | 'too_late'): BookingError {
  if (reason === 'started')
    return new BookingError(
      change === 'move' ? 'reschedule_closed' : 'cancellation_closed',
      'This booking has already started.',
    )
  return change === 'move'
    ? new BookingError(
        'reschedule_closed',
        'It is too close to the start to move this booking online; please contact the provider.',
      )
    : new BookingError(
        'cancellation_closed',
        'It is too close to the start to cancel this booking online; please contact the provider.',
      )
}
