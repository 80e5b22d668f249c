import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PublicResource } from '../shared/types'
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
  it('creates the four demo resources once, all bookable without a payment provider, two priced and paid on site, one a class of 12 places', async () => {
    expect(await seedDemo(database.db)).toEqual(['meeting-room', 'dr-rivera', 'city-car', 'yoga-class'])
    expect(await seedDemo(database.db)).toEqual([])

    const api = createTestApi({ db: database.db, clock: fixedClock('2026-03-20T12:00:00Z') })
    const { body } = await api.call<{ resources: PublicResource[] }>('GET', '/v1/resources')
    expect(body.resources.map((r) => r.slug).sort()).toEqual(['city-car', 'dr-rivera', 'meeting-room', 'yoga-class'])
    expect(body.resources.every((r) => r.bookable)).toBe(true)
    const priced = body.resources.filter((r) => r.price)
    expect(priced).toEqual([
      expect.objectContaining({ slug: 'dr-rivera', price: { amount: 9500, currency: 'USD' }, payment: 'none' }),
      expect.objectContaining({ slug: 'yoga-class', capacity: 12, maxSeatsPerBooking: 4, payment: 'none' }),
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
