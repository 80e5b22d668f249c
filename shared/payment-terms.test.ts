import { describe, expect, it } from 'vitest'
import { amountDue } from './payment-terms'
import { dueAtBooking, paymentModeOf, takesPaymentOnline } from './payment-terms'

const price = { amount: 4500, currency: 'EUR' }

describe('payment terms', () => {
  it('takes payment online for a deposit or the full price only', () => {
    expect(takesPaymentOnline('deposit')).toBe(true)
    expect(takesPaymentOnline('full')).toBe(true)
    expect(takesPaymentOnline('none')).toBe(false)
    expect(takesPaymentOnline(undefined)).toBe(false)
  })

  it('tells online, on-site and free resources apart', () => {
    expect(paymentModeOf({ price, payment: 'full' })).toBe('online')
    expect(paymentModeOf({ price, payment: 'deposit' })).toBe('online')
    expect(paymentModeOf({ price })).toBe('on_site')
    expect(paymentModeOf({ price, payment: 'none' })).toBe('on_site')
    expect(paymentModeOf({ price: { amount: 0, currency: 'EUR' } })).toBe('free')
    expect(paymentModeOf({})).toBe('free')
  })

  it('reads the public form of a resource as amountDue reads its config', () => {
    expect(dueAtBooking({ price, payment: 'deposit', deposit: { amount: 1000, currency: 'EUR' } })).toEqual(
      amountDue({ price, payment: 'deposit', depositAmount: 1000 }),
    )
    expect(dueAtBooking({ price, payment: 'deposit', deposit: { amount: 1000, currency: 'EUR' } })).toEqual({
      amount: 1000,
      currency: 'EUR',
    })
    expect(dueAtBooking({ price, payment: 'full' })).toEqual({ amount: 4500, currency: 'EUR' })
    expect(dueAtBooking({ price, payment: 'none' })).toBeUndefined()
    expect(dueAtBooking({ price })).toBeUndefined()
    expect(dueAtBooking({ payment: 'full' })).toBeUndefined()
  })
})
