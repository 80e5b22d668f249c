import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PublicResource, PublicService } from '../shared/types'
import { createTestApi } from '../test/api'
import { createTestDatabase, type TestDatabase } from '../test/database'
import { fixedClock } from './clock'
import { seedDemo } from './seed-demo'
import { paymentModeOf } from './store/resources'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.close()
})

describe('the demo seed', () => {
  it('creates the demo resources and the massage service once, all bookable without a payment provider, four priced and paid on site (the car by the span), one a class of 12 places', async () => {
    const slugs = [
      'meeting-room',
      'dr-rivera',
      'city-car',
      'yoga-class',
      'massage-therapist',
      'treatment-room-1',
      'treatment-room-2',
    ]
    expect(await seedDemo(database.db)).toEqual(slugs)
    expect(await seedDemo(database.db)).toEqual([])

    const api = createTestApi({ db: database.db, clock: fixedClock('2026-03-20T12:00:00Z') })
    const { body } = await api.call<{ resources: PublicResource[] }>('GET', '/v1/resources')
    expect(body.resources.map((r) => r.slug).sort()).toEqual([...slugs].sort())
    expect(body.resources.every((r) => r.bookable)).toBe(true)
    const priced = body.resources.filter((r) => r.price)
    expect(priced).toEqual([
      expect.objectContaining({
        slug: 'city-car',
        type: 'car',
        timezone: 'Europe/Berlin',
        price: { amount: 4900, currency: 'EUR' },
        payment: 'none',
        span: { minMinutes: 240, maxMinutes: 14 * 1440, pricing: 'per_day' },
      }),
      expect.objectContaining({ slug: 'dr-rivera', price: { amount: 9500, currency: 'USD' }, payment: 'none' }),
      expect.objectContaining({ slug: 'massage-therapist', price: { amount: 7000, currency: 'EUR' }, payment: 'none' }),
      expect.objectContaining({ slug: 'yoga-class', capacity: 12, maxSeatsPerBooking: 4, payment: 'none' }),
    ])
    // The massage books the therapist with whichever treatment room is free.
    const { body: massage } = await api.call<{ service: PublicService }>('GET', '/v1/services/massage-with-room')
    expect(massage.service.parts).toEqual([
      expect.objectContaining({ position: 0, label: 'Therapist' }),
      expect.objectContaining({ position: 1, label: 'Room', poolId: expect.any(String) }),
    ])
  })
})

describe('paymentModeOf', () => {
  it.each([
    ['a card payment', { payment: 'full', price: { amount: 100, currency: 'EUR' } }, 'online'],
    ['a deposit', { payment: 'deposit', price: { amount: 100, currency: 'EUR' }, depositAmount: 10 }, 'online'],
    ['a price paid there', { payment: 'none', price: { amount: 100, currency: 'EUR' } }, 'on_site'],
    ['a price with no payment mode', { price: { amount: 100, currency: 'EUR' } }, 'on_site'],
    ['a price of zero', { price: { amount: 0, currency: 'EUR' } }, 'free'],
    ['no price', {}, 'free'],
  ] as const)('reads %s as %s', (_label, config, mode) => {
    expect(paymentModeOf(config)).toBe(mode)
  })
})
