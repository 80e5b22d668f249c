import { describe, expect, expectTypeOf, it } from 'vitest'
import type { z } from 'zod'
import type {
  BookingRequestBody,
  CancelRequestBody,
  HoldRequestBody,
  PoolHoldRequestBody,
  RescheduleRequestBody,
  WaitlistClaimRequestBody,
  WaitlistJoinRequestBody,
} from './api-contract'
import type { CancellationPolicy, Money, ResourceConfig } from './resource-config'
import {
  bookingRequestSchema,
  cancellationPolicySchema,
  cancelRequestSchema,
  holdRequestSchema,
  moneySchema,
  poolHoldRequestSchema,
  rescheduleRequestSchema,
  resourceConfigSchema,
  waitlistClaimSchema,
  waitlistJoinSchema,
} from './schemas'

/*
 * The published SDK's types are written out so they need no zod; these pin them to the
 * schemas the API checks with. The type assertions are checked by tsc, not at run time:
 * a schema change that is not mirrored in its interface (or the reverse) fails type-checking.
 */

describe('request bodies are what the routes accept', () => {
  it('each body is its schema’s input', () => {
    expectTypeOf<z.input<typeof holdRequestSchema>>().toEqualTypeOf<HoldRequestBody>()
    expectTypeOf<z.input<typeof bookingRequestSchema>>().toEqualTypeOf<BookingRequestBody>()
    expectTypeOf<z.input<typeof cancelRequestSchema>>().toEqualTypeOf<CancelRequestBody>()
    expectTypeOf<z.input<typeof rescheduleRequestSchema>>().toEqualTypeOf<RescheduleRequestBody>()
    expectTypeOf<z.input<typeof poolHoldRequestSchema>>().toEqualTypeOf<PoolHoldRequestBody>()
    expectTypeOf<z.input<typeof waitlistJoinSchema>>().toEqualTypeOf<WaitlistJoinRequestBody>()
    expectTypeOf<z.input<typeof waitlistClaimSchema>>().toEqualTypeOf<WaitlistClaimRequestBody>()
  })

  it('a booking body typed by the contract parses', () => {
    const body: BookingRequestBody = {
      holdId: 'hold_1',
      guest: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7123 4567' },
      notes: 'Window seat, please.',
      answers: { party: 2, vegetarian: true, occasion: 'birthday' },
      locale: 'en-GB',
      timezone: 'Europe/London',
    }
    expect(bookingRequestSchema.safeParse(body).success).toBe(true)
  })
})

describe('a resource’s settings are what the config schema stores', () => {
  it('each type is its schema’s output', () => {
    expectTypeOf<z.output<typeof moneySchema>>().toEqualTypeOf<Money>()
    expectTypeOf<z.output<typeof cancellationPolicySchema>>().toEqualTypeOf<CancellationPolicy>()
    expectTypeOf<z.output<typeof resourceConfigSchema>>().toEqualTypeOf<ResourceConfig>()
  })

  it('a config typed by the contract parses to itself', () => {
    const config: ResourceConfig = {
      durations: [60, 120],
      price: { amount: 5000, currency: 'EUR' },
      payment: 'deposit',
      depositAmount: 1000,
      cancellationPolicy: { free_cancellation_hours: 48, partial_refund_hours: 24, partial_refund_percent: 50 },
      minCancelNoticeHours: 2,
      country: 'DE',
    }
    expect(resourceConfigSchema.parse(config)).toEqual(config)
  })
})
