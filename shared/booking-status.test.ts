import { describe, expect, it } from 'vitest'
import {
  ACTIVE_STATUSES,
  BOOKING_STATUSES,
  OCCUPYING_STATUSES,
  OWNER_TRANSITIONS,
  amountDue,
  awaitingPayment,
  guestChangeClosed,
  initialStatus,
  isActive,
  isOwnerTransition,
  occupiesSlot,
  ownerTransitionRefusal,
  statusWords,
  transitionAllowedFrom,
  type OwnerTransition,
} from './booking-status'

const START = Date.UTC(2026, 2, 24, 9)

describe('the statuses', () => {
  it('are the five a booking can have', () => {
    expect(BOOKING_STATUSES).toEqual(['pending', 'confirmed', 'cancelled', 'completed', 'no_show'])
  })

  it('occupy the slot in every status but cancelled, as the no-overlap constraint counts them', () => {
    expect(BOOKING_STATUSES.filter(occupiesSlot)).toEqual([...OCCUPYING_STATUSES])
    expect(occupiesSlot('cancelled')).toBe(false)
  })

  it('are active (movable, cancellable) only while pending or confirmed', () => {
    expect(BOOKING_STATUSES.filter(isActive)).toEqual([...ACTIVE_STATUSES])
    expect(ACTIVE_STATUSES).toEqual(['pending', 'confirmed'])
  })

  it('read as words in messages', () => {
    expect(statusWords('no_show')).toBe('no show')
    expect(statusWords('pending')).toBe('pending')
  })
})

describe('the owner transition table', () => {
  it('names the four transitions and where each leads', () => {
    expect(
      Object.fromEntries(Object.entries(OWNER_TRANSITIONS).map(([name, rule]) => [name, [rule.from, rule.to]])),
    ).toEqual({
      confirm: [['pending'], 'confirmed'],
      cancel: [['pending', 'confirmed'], 'cancelled'],
      'no-show': [['confirmed'], 'no_show'],
      complete: [['confirmed'], 'completed'],
    })
  })

  it('knows only its own names, never an object property', () => {
    expect(['confirm', 'cancel', 'no-show', 'complete'].every(isOwnerTransition)).toBe(true)
    expect(['teleport', 'constructor', 'toString', '__proto__', 'reschedule'].some(isOwnerTransition)).toBe(false)
  })

  it.each([
    ['confirm', 'pending', true],
    ['confirm', 'confirmed', false],
    ['cancel', 'pending', true],
    ['cancel', 'confirmed', true],
    ['cancel', 'cancelled', false],
    ['cancel', 'completed', false],
    ['no-show', 'confirmed', true],
    ['no-show', 'pending', false],
    ['complete', 'confirmed', true],
    ['complete', 'no_show', false],
  ] as const)('%s from %s: %s', (transition, status, allowed) => {
    expect(transitionAllowedFrom(transition, status)).toBe(allowed)
  })
})

describe('refusing an owner transition', () => {
  const confirmed = { status: 'confirmed', start: START } as const

  it('refuses what the table does not allow, in words', () => {
    expect(ownerTransitionRefusal('confirm', confirmed, START + 1)).toBe('Cannot confirm a confirmed booking.')
    expect(ownerTransitionRefusal('no-show', { status: 'pending', start: START }, START + 1)).toBe(
      'Cannot no show a pending booking.',
    )
    expect(ownerTransitionRefusal('cancel', { status: 'no_show', start: START }, START + 1)).toBe(
      'Cannot cancel a no show booking.',
    )
  })

  it('refuses to confirm while the guest has not paid', () => {
    for (const paymentStatus of ['requires_payment', 'failed'] as const) {
      expect(ownerTransitionRefusal('confirm', { status: 'pending', start: START, paymentStatus }, START - 1)).toMatch(
        /not paid yet/,
      )
    }
    for (const paymentStatus of [null, 'authorized', 'captured'] as const) {
      expect(
        ownerTransitionRefusal('confirm', { status: 'pending', start: START, paymentStatus }, START - 1),
      ).toBeUndefined()
    }
  })

  it('marks attendance only once the start is behind now', () => {
    for (const transition of ['no-show', 'complete'] satisfies OwnerTransition[]) {
      expect(ownerTransitionRefusal(transition, confirmed, START - 1)).toMatch(/has started/)
      expect(ownerTransitionRefusal(transition, confirmed, START)).toMatch(/has started/)
      expect(ownerTransitionRefusal(transition, confirmed, START + 1)).toBeUndefined()
    }
  })

  it('lets the owner cancel an active booking whenever', () => {
    expect(ownerTransitionRefusal('cancel', { status: 'pending', start: START }, START + 86_400_000)).toBeUndefined()
  })
})

describe('what is paid when booking', () => {
  const price = { amount: 5000, currency: 'EUR' }

  it('is the full price, the deposit, or nothing online', () => {
    expect(amountDue({ price, payment: 'full' })).toEqual({ amount: 5000, currency: 'EUR' })
    expect(amountDue({ price, payment: 'deposit', depositAmount: 1500 })).toEqual({ amount: 1500, currency: 'EUR' })
    expect(amountDue({ price, payment: 'none' })).toBeUndefined()
    expect(amountDue({ price })).toBeUndefined()
    expect(amountDue({ payment: 'full' })).toBeUndefined()
  })

  it('waits for the money while the payment is required or failed', () => {
    expect(
      [null, undefined, 'requires_payment', 'authorized', 'captured', 'canceled', 'failed'].map((s) =>
        awaitingPayment(s as never),
      ),
    ).toEqual([false, false, true, false, false, false, true])
  })
})

describe('a new booking', () => {
  it('is confirmed at once unless it waits for the owner or the money', () => {
    expect(initialStatus({})).toBe('confirmed')
    expect(initialStatus({ requiresConfirmation: true })).toBe('pending')
    expect(initialStatus({ price: { amount: 100, currency: 'EUR' }, payment: 'full' })).toBe('pending')
    expect(initialStatus({ price: { amount: 100, currency: 'EUR' }, payment: 'none' })).toBe('confirmed')
  })
})

describe('a guest change the notice closed', () => {
  it('answers with its own code and says why', () => {
    expect([guestChangeClosed('move', 'started').code, guestChangeClosed('move', 'started').message]).toEqual([
      'reschedule_closed',
      'This booking has already started.',
    ])
    expect(guestChangeClosed('cancel', 'started').code).toBe('cancellation_closed')
    expect(guestChangeClosed('move', 'too_late').message).toMatch(/too close to the start to move/)
    expect(guestChangeClosed('cancel', 'too_late').message).toMatch(/too close to the start to cancel/)
  })
})
