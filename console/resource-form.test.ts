import { describe, expect, it } from 'vitest'
import { describePolicyIn, ENGLISH_POLICY_WORDS } from '../shared/policy-words'
import type { AdminResource, CancellationPolicy } from '../shared/types'
import { en } from '../widget/i18n'
import { describePolicy } from '../widget/policy-text'
import {
  embedSnippet,
  fieldForPath,
  formFromResource,
  mapServerDetails,
  noticeFromForm,
  policyFromForm,
  toResourceBody,
  type ResourceFormValues,
} from './resource-form'

const everything: AdminResource = {
  id: 'r-1',
  slug: 'blue-room',
  type: 'specialist',
  name: 'Blue room',
  timezone: 'Europe/Berlin',
  isActive: false,
  createdAt: '2026-01-01T00:00:00Z',
  config: {
    durations: [60, 90],
    bufferBeforeMin: 10,
    bufferAfterMin: 15,
    minNoticeMin: 120,
    horizonDays: 60,
    capacity: 12,
    maxSeatsPerBooking: 4,
    minParty: 2,
    maxParty: 6,
    requiresConfirmation: true,
    price: { amount: 2550, currency: 'EUR' },
    payment: 'deposit',
    depositAmount: 1000,
    cancellationPolicy: {
      free_cancellation_hours: 48,
      partial_refund_hours: 24,
      partial_refund_percent: 50,
      no_refund_hours: 2,
    },
    minRescheduleNoticeHours: 6,
    minCancelNoticeHours: 24.5,
    limits: { perGuestPerDay: 1, perGuestPerWeek: 3, perGuestPerMonth: 8, perDay: 6, minGapMinutes: 60 },
    notifyEmail: 'owner@example.com',
    notifyLanguage: 'de',
    country: 'AT',
    holdTtlSec: 300,
  },
}

describe('the resource form ↔ config mapping', () => {
  it('shows every stored field as the owner edits it', () => {
    expect(formFromResource(everything, 'UTC')).toEqual<ResourceFormValues>({
      name: 'Blue room',
      slug: 'blue-room',
      type: 'specialist',
      timezone: 'Europe/Berlin',
      country: 'AT',
      durations: '60, 90',
      slotStep: '',
      startTimes: '',
      bufferBefore: '10',
      bufferAfter: '15',
      notice: '120',
      horizon: '60',
      capacity: '12',
      maxSeats: '4',
      minParty: '2',
      maxParty: '6',
      requiresConfirmation: true,
      price: '25.50',
      currency: 'EUR',
      payment: 'deposit',
      deposit: '10.00',
      freeHours: '48',
      partialHours: '24',
      partialPercent: '50',
      closedHours: '2',
      moveNotice: '6',
      cancelNotice: '24.5',
      limitGuestDay: '1',
      limitGuestWeek: '3',
      limitGuestMonth: '8',
      limitDay: '6',
      limitGap: '60',
      notifyEmail: 'owner@example.com',
      notifyLanguage: 'de',
      isActive: false,
      // Not a span: the span fields wait with their defaults for the owner to switch it on.
      spanOn: false,
      spanMin: '1',
      spanMax: '14',
      spanUnit: 'days',
      spanPricing: 'per_day',
      spanStep: '',
      spanCheckIn: '',
      spanCheckOut: '',
    })
  })

  it('gives back the same resource for every field, keeping config keys the form does not show', () => {
    const { body } = toResourceBody(formFromResource(everything, 'UTC'), everything.config)
    expect(body).toEqual({
      slug: 'blue-room',
      type: 'specialist',
      name: 'Blue room',
      timezone: 'Europe/Berlin',
      config: everything.config,
    })
  })

  it('starts a new resource empty in the browser’s zone, and an untouched new form sends no config', () => {
    const values = formFromResource(undefined, 'America/Chicago')
    expect(values).toMatchObject({
      name: '',
      slug: '',
      type: 'room',
      timezone: 'America/Chicago',
      currency: 'EUR',
      payment: 'none',
      isActive: true,
    })
    const { body } = toResourceBody({ ...values, name: 'Court 1', slug: 'court-1' })
    expect(body).toEqual({ slug: 'court-1', type: 'room', name: 'Court 1', timezone: 'America/Chicago', config: {} })
  })

  it('reads amounts exactly in the currency’s minor units and tidies codes', () => {
    const values = {
      ...formFromResource(undefined, 'UTC'),
      name: 'Car',
      slug: 'car',
      price: '1500',
      currency: 'jpy',
      payment: 'full' as const,
      country: 'jp',
    }
    expect(toResourceBody(values).body?.config).toEqual({
      price: { amount: 1500, currency: 'JPY' },
      payment: 'full',
      country: 'JP',
    })
    const comma = { ...values, price: '25,5', currency: 'EUR' }
    expect(toResourceBody(comma).body?.config.price).toEqual({ amount: 2550, currency: 'EUR' })
  })

  it('says what to fix beside each field instead of sending what the server would refuse', () => {
    const values: ResourceFormValues = {
      ...formFromResource(undefined, 'UTC'),
      name: ' ',
      slug: 'Blue Room',
      price: '12.345',
      payment: 'deposit',
      durations: '60, an hour',
      horizon: '0',
      partialHours: '24',
      country: 'Austria',
    }
    expect(toResourceBody(values).errors).toEqual({
      name: 'Give it a name guests will recognise.',
      slug: 'Use lowercase letters, digits and single hyphens, e.g. blue-room.',
      price: 'Write an amount in EUR, e.g. 25 or 25.50.',
      deposit: 'Set the deposit guests pay when booking.',
      durations: 'Write minutes as whole numbers, e.g. 60, 90.',
      horizon: 'Write a whole number of at least 1.',
      partialHours: 'Set “Free cancellation until” as well: without it guests always get everything back.',
      partialPercent: 'Say how much is refunded in this period.',
      country: 'Write a two-letter country code, e.g. DE, or leave it empty.',
    })
  })

  it('refuses what the API would refuse: slots under 5 minutes, amounts above 999,999.99', () => {
    const base = { ...formFromResource(undefined, 'UTC'), name: 'Court', slug: 'court' }
    expect(toResourceBody({ ...base, durations: '30, 4' }).errors).toEqual({
      durations: 'Each length is at least 5 minutes.',
    })
    expect(toResourceBody({ ...base, durations: '5' }).body?.config.durations).toEqual([5])
    expect(toResourceBody({ ...base, price: '1000000' }).errors).toEqual({ price: 'At most 999999.99 EUR.' })
    expect(toResourceBody({ ...base, price: '999999.99' }).body?.config.price).toEqual({
      amount: 99_999_999,
      currency: 'EUR',
    })
  })

  it('reads the minimum notices as hours (a comma as the decimal point too), empty as not set, and refuses what is not a number of hours', () => {
    const base = { ...formFromResource(undefined, 'UTC'), name: 'Court', slug: 'court' }
    expect(toResourceBody({ ...base, moveNotice: '0', cancelNotice: '1,5' }).body?.config).toEqual({
      minRescheduleNoticeHours: 0,
      minCancelNoticeHours: 1.5,
    })
    expect(toResourceBody({ ...base, moveNotice: ' ', cancelNotice: '' }).body?.config).toEqual({})
    expect(toResourceBody({ ...base, moveNotice: 'a day', cancelNotice: '9000' }).errors).toEqual({
      moveNotice: 'Write a number of hours, e.g. 24.',
      cancelNotice: 'Write a number of hours, e.g. 24.',
    })
    expect(noticeFromForm({ ...base, moveNotice: '6', cancelNotice: 'soon' })).toEqual({ minRescheduleNoticeHours: 6 })
  })

  it('refuses policy rungs that would never apply, so guests read what they get', () => {
    const base = { ...formFromResource(undefined, 'UTC'), name: 'Court', slug: 'court' }
    expect(toResourceBody({ ...base, partialHours: '24', partialPercent: '50' }).errors).toEqual({
      partialHours: 'Set “Free cancellation until” as well: without it guests always get everything back.',
    })
    expect(toResourceBody({ ...base, freeHours: '48', partialPercent: '50' }).errors).toEqual({
      partialPercent: 'Set “Partial refund until” as well, or leave the percentage empty.',
    })
    expect(
      toResourceBody({ ...base, freeHours: '48', partialHours: '24', partialPercent: '0' }).body?.config
        .cancellationPolicy,
    ).toEqual({
      free_cancellation_hours: 48,
      partial_refund_hours: 24,
      partial_refund_percent: 0,
    })
  })

  it('reads the policy to the owner as the server will apply it while it is typed', () => {
    const base = formFromResource(undefined, 'UTC')
    expect(policyFromForm(base)).toBeUndefined()
    // No free-cancellation rung: every cancel is refunded in full, the partial rung never applies.
    expect(policyFromForm({ ...base, partialHours: '24', partialPercent: '50', closedHours: '2' })).toEqual({
      no_refund_hours: 2,
    })
    expect(policyFromForm({ ...base, freeHours: '48', partialHours: '24', partialPercent: '150' })).toEqual({
      free_cancellation_hours: 48,
      partial_refund_hours: 24,
      partial_refund_percent: 100,
    })
  })
})

describe('the server’s field details', () => {
  it.each([
    ['slug', 'slug'],
    ['config.price.amount', 'price'],
    ['config.price.currency', 'currency'],
    ['config.depositAmount', 'deposit'],
    ['config.cancellationPolicy.no_refund_hours', 'closedHours'],
    ['config.cancellationPolicy.partial_refund_percent', 'partialPercent'],
    ['config.durations.1', 'durations'],
    ['config.country', 'country'],
    ['config.notifyEmail', 'notifyEmail'],
    ['config.minNoticeMin', 'notice'],
    ['config.minRescheduleNoticeHours', 'moveNotice'],
    ['config.minCancelNoticeHours', 'cancelNotice'],
  ])('put %s beside the %s field', (path, field) => {
    expect(fieldForPath(path)).toBe(field)
  })

  it('keeps the server’s words beside the field, and what is about no field apart', () => {
    const { fields, other } = mapServerDetails([
      { path: 'slug', code: 'invalid', message: 'already used by another resource' },
      {
        path: 'config.cancellationPolicy.partial_refund_hours',
        code: 'invalid',
        message: 'must be at least no_refund_hours (48)',
      },
      { path: 'config.holdTtlSec', code: 'invalid', message: 'too big' },
    ])
    expect(fields).toEqual({
      slug: 'Already used by another resource',
      partialHours: 'Must be at least "no online cancel within" (48)',
    })
    expect(other).toEqual(['config.holdTtlSec: too big'])
  })
})

describe('the policy in plain words', () => {
  it.each<CancellationPolicy | undefined>([
    undefined,
    { free_cancellation_hours: 48 },
    { free_cancellation_hours: 48, partial_refund_hours: 24, partial_refund_percent: 50, no_refund_hours: 2 },
    { no_refund_hours: 6 },
  ])('reads %j to the owner exactly as the widget reads it to English guests', (policy) => {
    expect(describePolicyIn(ENGLISH_POLICY_WORDS, policy)).toEqual(describePolicy(policy, en))
  })

  it.each([
    [
      undefined,
      { minCancelNoticeHours: 24 },
      ['Free cancellation until the start.', 'Online cancellation closes 24 h before the start.'],
    ],
    [
      { no_refund_hours: 6 },
      { minCancelNoticeHours: 2 },
      ['Free cancellation until the start.', 'Online cancellation closes 6 h before the start.'],
    ],
    [
      { no_refund_hours: 2 },
      { minRescheduleNoticeHours: 24 },
      [
        'Free cancellation until the start.',
        'Online cancellation closes 2 h before the start.',
        'Changing the time online closes 24 h before the start.',
      ],
    ],
    [
      { free_cancellation_hours: 48 },
      { minRescheduleNoticeHours: 0, minCancelNoticeHours: 0 },
      ['Free cancellation until 48 h before the start.', 'No refund after that.'],
    ],
  ] as const)('reads %j with the notices %j the same to the owner and to English guests', (policy, notice, lines) => {
    expect(describePolicyIn(ENGLISH_POLICY_WORDS, policy, notice)).toEqual(lines)
    expect(describePolicy(policy, en, notice)).toEqual(lines)
  })
})

describe('the embed snippet', () => {
  it('is the element and the script from this server', () => {
    expect(embedSnippet('blue-room', 'https://book.example.com')).toBe(
      '<div data-booking-resource="blue-room"></div>\n<script src="https://book.example.com/widget.js" async></script>',
    )
  })
})

describe('capacity and places per booking', () => {
  const form = (capacity: string, maxSeats: string): ResourceFormValues => ({
    ...formFromResource(undefined, 'UTC'),
    name: 'Yoga class',
    slug: 'yoga',
    capacity,
    maxSeats,
  })

  it('sends a capacity above 1 and the most places per booking', () => {
    expect(toResourceBody(form('12', '4')).body?.config).toEqual({ capacity: 12, maxSeatsPerBooking: 4 })
    expect(toResourceBody(form(' 12 ', '')).body?.config).toEqual({ capacity: 12 })
  })

  it('keeps a resource of one place without the keys, as before (1 is the default)', () => {
    expect(toResourceBody(form('', '')).body?.config).toEqual({})
    expect(toResourceBody(form('1', '')).body?.config).toEqual({})
    expect(toResourceBody(form('1', '1')).body?.config).toEqual({})
  })

  it('lowering the capacity to 1 takes both keys away from the stored config', () => {
    const stored = { capacity: 12, maxSeatsPerBooking: 4, holdTtlSec: 300 }
    expect(toResourceBody(form('', ''), stored).body?.config).toEqual({ holdTtlSec: 300 })
  })

  it('says what to fix: whole numbers, at most the limit, places per booking within the capacity', () => {
    expect(toResourceBody(form('0', '')).errors).toEqual({ capacity: 'Write a whole number of at least 1.' })
    expect(toResourceBody(form('twelve', '')).errors).toEqual({ capacity: 'Write a whole number of at least 1.' })
    expect(toResourceBody(form('10001', '')).errors).toEqual({ capacity: 'At most 10000 places.' })
    expect(toResourceBody(form('12', '13')).errors).toEqual({ maxSeats: 'At most the capacity, 12.' })
    expect(toResourceBody(form('', '2')).errors).toEqual({
      maxSeats: 'Set a capacity above 1 first: with one place, a booking takes that one.',
    })
    expect(toResourceBody(form('12', '1.5')).errors).toEqual({ maxSeats: 'Write a whole number of at least 1.' })
  })

  it('puts the server’s refusals beside the two fields', () => {
    expect(fieldForPath('config.capacity')).toBe('capacity')
    expect(fieldForPath('config.maxSeatsPerBooking')).toBe('maxSeats')
    expect(
      mapServerDetails([{ path: 'config.maxSeatsPerBooking', message: 'cannot exceed capacity (12)' }]).fields,
    ).toEqual({ maxSeats: 'Cannot exceed capacity (12)' })
  })
})

describe('party sizes of a table', () => {
  const form = (minParty: string, maxParty: string): ResourceFormValues => ({
    ...formFromResource(undefined, 'UTC'),
    name: 'Table 4',
    slug: 'table-4',
    type: 'table',
    minParty,
    maxParty,
  })

  it('sends either bound, both, or neither (an open bound has no key)', () => {
    expect(toResourceBody(form('2', '4')).body?.config).toEqual({ minParty: 2, maxParty: 4 })
    expect(toResourceBody(form(' 3 ', '')).body?.config).toEqual({ minParty: 3 })
    expect(toResourceBody(form('', '8')).body?.config).toEqual({ maxParty: 8 })
    expect(toResourceBody(form('4', '4')).body?.config).toEqual({ minParty: 4, maxParty: 4 })
    expect(toResourceBody(form('', '')).body?.config).toEqual({})
  })

  it('emptying both takes the keys away from the stored config', () => {
    expect(toResourceBody(form('', ''), { minParty: 2, maxParty: 4, holdTtlSec: 300 }).body?.config).toEqual({
      holdTtlSec: 300,
    })
  })

  it('says what to fix: whole numbers from 1 to 1000, the smallest party at most the largest', () => {
    expect(toResourceBody(form('0', '')).errors).toEqual({ minParty: 'Write a whole number of at least 1.' })
    expect(toResourceBody(form('', 'six')).errors).toEqual({ maxParty: 'Write a whole number of at least 1.' })
    expect(toResourceBody(form('2.5', '')).errors).toEqual({ minParty: 'Write a whole number of at least 1.' })
    expect(toResourceBody(form('', '1001')).errors).toEqual({ maxParty: 'At most 1000 guests.' })
    expect(toResourceBody(form('1000', '1000')).body?.config).toEqual({ minParty: 1000, maxParty: 1000 })
    expect(toResourceBody(form('6', '4')).errors).toEqual({ minParty: 'At most the largest party, 4.' })
  })

  it('puts the server’s refusals beside the two fields, in the form’s words', () => {
    expect(fieldForPath('config.minParty')).toBe('minParty')
    expect(fieldForPath('config.maxParty')).toBe('maxParty')
    expect(mapServerDetails([{ path: 'config.minParty', message: 'cannot exceed maxParty (4)' }]).fields).toEqual({
      minParty: 'Cannot exceed "largest party" (4)',
    })
  })
})

describe('booked as a span across days', () => {
  const car: AdminResource = {
    ...everything,
    config: { span: { minMinutes: 240, maxMinutes: 14 * 1440, pricing: 'per_day', stepMin: 30 } },
  }
  const span = (values: Partial<ResourceFormValues>) => ({
    ...formFromResource(car, 'UTC'),
    ...values,
  })

  it('shows a stored span in hours when a length is not whole days, and gives it back unchanged', () => {
    const values = formFromResource(car, 'UTC')
    expect(values).toMatchObject({ spanOn: true, spanMin: '4', spanMax: '336', spanUnit: 'hours', spanStep: '30' })
    expect(toResourceBody(values, car.config).body?.config.span).toEqual(car.config.span)
  })

  it('shows whole days in days and sends days as minutes; a room by the night keeps its check-in and check-out', () => {
    const room = { minMinutes: 1440, maxMinutes: 7 * 1440, pricing: 'per_night', checkIn: '15:00', checkOut: '11:00' }
    const values = formFromResource({ ...car, config: { span: room as never } }, 'UTC')
    expect(values).toMatchObject({ spanUnit: 'days', spanMin: '1', spanMax: '7', spanPricing: 'per_night' })
    expect(values).toMatchObject({ spanCheckIn: '15:00', spanCheckOut: '11:00' })
    expect(toResourceBody(values).body?.config.span).toEqual(room)
    expect(toResourceBody({ ...values, spanMax: '2,5' }).body?.config.span?.maxMinutes).toBe(3600)
  })

  it('sends no span when switched off, and switching it off takes the stored span away', () => {
    expect(toResourceBody(span({ spanOn: false }), car.config).body?.config.span).toBeUndefined()
    expect(toResourceBody(formFromResource(undefined, 'UTC')).body).toBeUndefined()
  })

  it('says what to fix beside each span field instead of sending what the server would refuse', () => {
    expect(toResourceBody(span({ spanMin: 'four' })).errors).toMatchObject({
      spanMin: 'Write a number of hours, e.g. 4.',
    })
    expect(toResourceBody(span({ spanUnit: 'days', spanMin: '3', spanMax: '2' })).errors).toMatchObject({
      spanMin: 'At most the longest span.',
    })
    expect(toResourceBody(span({ spanUnit: 'days', spanMax: '91' })).errors).toMatchObject({
      spanMax: 'At most 90 days.',
    })
    expect(toResourceBody(span({ spanMin: '0.05' })).errors).toMatchObject({ spanMin: 'At least 5 minutes.' })
    expect(toResourceBody(span({ spanStep: '2' })).errors).toMatchObject({
      spanStep: 'Write a whole number of at least 5.',
    })
    expect(toResourceBody(span({ spanCheckIn: '15:00' })).errors).toMatchObject({
      spanCheckOut: 'Set check-in and check-out together, or neither.',
    })
    expect(toResourceBody(span({ spanCheckIn: '25:00', spanCheckOut: '11:00' })).errors).toMatchObject({
      spanCheckIn: 'Write a time as HH:MM, e.g. 15:00.',
    })
    expect(toResourceBody(span({ capacity: '4' })).errors).toMatchObject({
      capacity: 'A resource booked as a span has one place: set 1 or leave it empty.',
    })
  })

  it('puts the server’s refusals of span keys beside their fields', () => {
    const { fields } = mapServerDetails([
      { path: 'config.span.minMinutes', message: 'cannot exceed maxMinutes (60)' },
      { path: 'config.span.checkOut', message: 'set checkIn and checkOut together' },
      { path: 'config.span', message: 'a resource booked by the span has capacity 1' },
    ])
    expect(fields).toEqual({
      spanMin: 'Cannot exceed maxMinutes (60)',
      spanCheckOut: 'Set checkIn and checkOut together',
    })
  })
})

describe('where slots start: a step or fixed times', () => {
  const form = (slotStep: string, startTimes: string): ResourceFormValues => ({
    ...formFromResource(undefined, 'UTC'),
    name: 'Studio',
    slug: 'studio',
    slotStep,
    startTimes,
  })

  it('sends a step, or fixed times sorted and each once from commas or lines, and shows them back', () => {
    expect(toResourceBody(form('15', '')).body?.config).toEqual({ slotStepMin: 15 })
    expect(toResourceBody(form('', '15:00\n09:00, 11:30\n9:00')).body?.config).toEqual({
      startTimes: ['09:00', '11:30', '15:00'],
    })
    const stored: AdminResource = { ...everything, config: { startTimes: ['09:00', '11:30'] } }
    expect(formFromResource(stored, 'UTC')).toMatchObject({ slotStep: '', startTimes: '09:00, 11:30' })
    expect(formFromResource({ ...everything, config: { slotStepMin: 20 } }, 'UTC').slotStep).toBe('20')
  })

  it('emptying both takes the keys away from the stored config', () => {
    expect(toResourceBody(form('', ''), { slotStepMin: 15, holdTtlSec: 300 }).body?.config).toEqual({ holdTtlSec: 300 })
    expect(toResourceBody(form('', ''), { startTimes: ['09:00'] }).body?.config).toEqual({})
  })

  it('says what to fix beside each field', () => {
    expect(toResourceBody(form('4', '')).errors).toEqual({ slotStep: 'Write a whole number of at least 5.' })
    expect(toResourceBody(form('1441', '')).errors).toEqual({ slotStep: 'At most 1440 minutes (a day).' })
    expect(toResourceBody(form('', '09:00, 24:00')).errors).toEqual({
      startTimes: 'Write times as HH:MM from 00:00 to 23:59, e.g. 09:00, 11:30 (not “24:00”).',
    })
    expect(toResourceBody(form('', 'nine')).errors?.startTimes).toContain('not “nine”')
    expect(toResourceBody(form('15', '09:00')).errors).toEqual({
      startTimes: 'Set either “Start a slot every” or fixed start times, not both.',
    })
  })

  it('puts the server’s refusals beside the two fields, in the form’s words', () => {
    expect(fieldForPath('config.slotStepMin')).toBe('slotStep')
    expect(fieldForPath('config.startTimes.1')).toBe('startTimes')
    expect(
      mapServerDetails([{ path: 'config.startTimes', message: 'set either startTimes or slotStepMin, not both' }])
        .fields,
    ).toEqual({ startTimes: 'Set either "fixed start times" or "start a slot every", not both' })
  })
})

describe('booking limits', () => {
  const form = (fields: Partial<ResourceFormValues>): ResourceFormValues => ({
    ...formFromResource(undefined, 'UTC'),
    name: 'Court',
    slug: 'court',
    ...fields,
  })

  it('sends only the limits typed, and emptying them all takes the key away', () => {
    expect(toResourceBody(form({ limitGuestDay: '2', limitGap: ' 30 ' })).body?.config).toEqual({
      limits: { perGuestPerDay: 2, minGapMinutes: 30 },
    })
    expect(toResourceBody(form({}), { limits: { perDay: 4 }, holdTtlSec: 300 }).body?.config).toEqual({
      holdTtlSec: 300,
    })
  })

  it('says what to fix beside each field, and puts the server’s limit details there too', () => {
    expect(toResourceBody(form({ limitGuestWeek: '0', limitDay: 'many', limitGap: '200000' })).errors).toEqual({
      limitGuestWeek: 'Write a whole number of at least 1.',
      limitDay: 'Write a whole number of at least 1.',
      limitGap: 'At most 129600.',
    })
    expect(fieldForPath('config.limits.perGuestPerMonth')).toBe('limitGuestMonth')
    expect(fieldForPath('config.limits.minGapMinutes')).toBe('limitGap')
  })
})
