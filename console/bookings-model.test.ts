import { describe, expect, it } from 'vitest'
import {
  bookingsQuery,
  gridZone,
  layoutWeek,
  legalActions,
  matchesFilter,
  parsePercent,
  paymentLabel,
  startOfDayIn,
  timeLabel,
  timeLabelText,
  weekStart,
  type AdminBooking,
} from './bookings-model'

/*
 * The bookings view's rules as plain functions. Dates are in late March 2026, before the
 * clocks change (29 March): Berlin is UTC+1 and London UTC+0, an hour apart.
 */

function booking(overrides: Partial<AdminBooking> = {}): AdminBooking {
  return {
    id: 'b-1',
    ref: 'K7Q2XM3D',
    resourceId: 'r-1',
    status: 'confirmed',
    start: '2026-03-24T08:30:00Z',
    end: '2026-03-24T10:00:00Z',
    guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
    version: 1,
    createdAt: '2026-03-01T12:00:00Z',
    ...overrides,
  }
}

describe('legal owner actions', () => {
  const start = Date.parse('2026-03-24T08:30:00Z')
  const end = Date.parse('2026-03-24T10:00:00Z')
  const moments = { 'before start': start - 60_000, 'after start': start + 60_000, 'after end': end + 60_000 } as const

  it.each([
    ['pending', 'before start', ['confirm', 'cancel']],
    ['pending', 'after start', ['confirm', 'cancel']],
    ['pending', 'after end', ['confirm', 'cancel']],
    ['confirmed', 'before start', ['cancel']],
    ['confirmed', 'after start', ['no-show', 'cancel']],
    ['confirmed', 'after end', ['no-show', 'complete', 'cancel']],
  ] as const)('a %s booking %s offers %j', (status, moment, actions) => {
    expect(legalActions(booking({ status }), moments[moment])).toEqual(actions)
  })

  it('offers nothing but the message log for finished bookings', () => {
    for (const status of ['cancelled', 'completed', 'no_show'] as const) {
      expect(legalActions(booking({ status }), moments['after end'])).toEqual([])
    }
  })

  it('does not offer confirm while the guest has not paid (the API refuses it)', () => {
    const unpaid = booking({
      status: 'pending',
      payment: { status: 'requires_payment', amount: 4500, currency: 'EUR', captured: 0, refunded: 0 },
    })
    expect(legalActions(unpaid, moments['before start'])).toEqual(['cancel'])
  })

  it('counts the exact start and end instants as reached', () => {
    expect(legalActions(booking(), start)).toEqual(['no-show', 'cancel'])
    expect(legalActions(booking(), end)).toEqual(['no-show', 'complete', 'cancel'])
  })
})

describe('the bookings query', () => {
  it('asks for every status but cancelled by default', () => {
    const params = new URLSearchParams(bookingsQuery({ status: 'open', limit: 200 }))
    expect(params.get('status')).toBe('pending,confirmed,completed,no_show')
  })

  it('sends no status for "all", one for a single status, and the search trimmed', () => {
    expect(new URLSearchParams(bookingsQuery({ status: 'all', limit: 50 })).has('status')).toBe(false)
    const params = new URLSearchParams(
      bookingsQuery({ status: 'cancelled', q: '  Ada ', limit: 50, resourceId: 'r-1' }),
    )
    expect(params.get('status')).toBe('cancelled')
    expect(params.get('q')).toBe('Ada')
    expect(params.get('resourceId')).toBe('r-1')
  })

  it('sends the range as instants', () => {
    const from = startOfDayIn('2026-03-23', 'Europe/Berlin')
    const params = new URLSearchParams(
      bookingsQuery({ status: 'open', limit: 200, from, to: startOfDayIn('2026-03-30', 'Europe/Berlin') }),
    )
    expect(params.get('from')).toBe('2026-03-22T23:00:00.000Z')
    // Berlin is at UTC+2 from 29 March: its 30 March begins at 22:00 UTC.
    expect(params.get('to')).toBe('2026-03-29T22:00:00.000Z')
  })

  it('filters in the browser the same way: status, then ref, name or email in any case', () => {
    expect(matchesFilter(booking({ status: 'cancelled' }), 'open', '')).toBe(false)
    expect(matchesFilter(booking({ status: 'cancelled' }), 'all', '')).toBe(true)
    expect(matchesFilter(booking(), 'open', 'k7q2')).toBe(true)
    expect(matchesFilter(booking(), 'open', 'LOVELACE')).toBe(true)
    expect(matchesFilter(booking(), 'open', 'ada@EXAMPLE')).toBe(true)
    expect(matchesFilter(booking(), 'open', 'grace')).toBe(false)
  })
})

describe('times in the resource zone, and the owner zone beside', () => {
  it('labels a Berlin booking for an owner in London', () => {
    const label = timeLabel('2026-03-24T08:30:00Z', '2026-03-24T10:00:00Z', 'Europe/Berlin', 'Europe/London', 'en-GB')
    expect(timeLabelText(label)).toBe('09:30–11:00 Berlin time (08:30 London)')
  })

  it('leaves the owner clock out when it reads the same', () => {
    expect(
      timeLabelText(
        timeLabel('2026-03-24T08:30:00Z', '2026-03-24T10:00:00Z', 'Europe/Berlin', 'Europe/Berlin', 'en-GB'),
      ),
    ).toBe('09:30–11:00 Berlin time')
    expect(
      timeLabel('2026-03-24T08:30:00Z', '2026-03-24T10:00:00Z', 'Europe/Berlin', 'Europe/Paris', 'en-GB').owner,
    ).toBeUndefined()
  })

  it('names the weekday when the owner is on another day', () => {
    const label = timeLabel(
      '2026-03-24T08:30:00Z',
      '2026-03-24T10:00:00Z',
      'Europe/Berlin',
      'America/Los_Angeles',
      'en-GB',
    )
    expect(label.owner).toBe('01:30 Los Angeles')
    expect(
      timeLabel('2026-03-24T05:30:00Z', '2026-03-24T06:00:00Z', 'Europe/Berlin', 'America/Los_Angeles', 'en-GB').owner,
    ).toBe('Mon 22:30 Los Angeles')
  })
})

describe('the week grid layout', () => {
  const week = Array.from({ length: 7 }, (_, i) => `2026-03-${23 + i}`)

  it('places 09:30–11:00 Berlin on Tuesday at 09:30, in Berlin time, whatever the owner clock', () => {
    const layout = layoutWeek([booking()], week, 'Europe/Berlin')
    expect(layout.firstHour).toBe(8)
    expect(layout.blocks).toHaveLength(1)
    expect(layout.blocks[0]).toMatchObject({
      column: 1,
      startMinute: 570,
      endMinute: 660,
      top: 72,
      height: 72,
      left: 0,
      width: 100,
      lane: 0,
      lanes: 1,
    })
  })

  it('sets overlapping bookings side by side and the one after them full width again', () => {
    const a = booking({ id: 'a', start: '2026-03-24T08:00:00Z', end: '2026-03-24T09:00:00Z' })
    const b = booking({ id: 'b', start: '2026-03-24T08:30:00Z', end: '2026-03-24T09:30:00Z' })
    const c = booking({ id: 'c', start: '2026-03-24T09:00:00Z', end: '2026-03-24T10:00:00Z' })
    const later = booking({ id: 'd', start: '2026-03-24T11:00:00Z', end: '2026-03-24T12:00:00Z' })
    const blocks = new Map(layoutWeek([later, c, b, a], week, 'Europe/Berlin').blocks.map((x) => [x.booking.id, x]))
    expect(blocks.get('a')).toMatchObject({ lane: 0, lanes: 2, left: 0, width: 50 })
    expect(blocks.get('b')).toMatchObject({ lane: 1, lanes: 2, left: 50, width: 50 })
    // c starts when a ends: it takes a's lane back.
    expect(blocks.get('c')).toMatchObject({ lane: 0, lanes: 2 })
    expect(blocks.get('d')).toMatchObject({ lane: 0, lanes: 1, width: 100 })
  })

  it('grows the hours to an early booking and splits one that crosses midnight', () => {
    const night = booking({ start: '2026-03-24T21:00:00Z', end: '2026-03-25T06:00:00Z' })
    const layout = layoutWeek([night], week, 'Europe/Berlin')
    expect(layout.firstHour).toBe(0)
    expect(layout.lastHour).toBe(24)
    expect(
      layout.blocks.map((x) => [x.column, x.startMinute, x.endMinute, x.continuesBefore, x.continuesAfter]),
    ).toEqual([
      [1, 22 * 60, 1440, false, true],
      [2, 0, 7 * 60, true, false],
    ])
  })

  it('starts the week on the locale first day', () => {
    expect(weekStart('2026-03-26', 1)).toBe('2026-03-23')
    expect(weekStart('2026-03-26', 7)).toBe('2026-03-22')
    expect(weekStart('2026-03-23', 1)).toBe('2026-03-23')
  })

  it('draws in the chosen resource zone, else the one zone all share, else the owner', () => {
    const resources = [
      { id: 'r-1', timezone: 'Europe/Berlin' },
      { id: 'r-2', timezone: 'America/New_York' },
    ]
    expect(gridZone(resources, 'r-2', 'Europe/London')).toBe('America/New_York')
    expect(gridZone(resources, '', 'Europe/London')).toBe('Europe/London')
    expect(gridZone(resources.slice(0, 1), '', 'Europe/London')).toBe('Europe/Berlin')
  })
})

describe('money in words', () => {
  const eur = (status: 'captured' | 'authorized' | 'requires_payment', captured: number, refunded = 0) => ({
    status,
    amount: 4500,
    currency: 'EUR',
    captured,
    refunded,
  })

  it('says paid, authorized, refunded and partly refunded', () => {
    expect(paymentLabel({ payment: eur('captured', 4500) }, 'en-GB')).toBe('paid €45.00')
    expect(paymentLabel({ payment: eur('authorized', 0) }, 'en-GB')).toBe('authorized €45.00')
    expect(paymentLabel({ payment: eur('captured', 4500, 4500) }, 'en-GB')).toBe('refunded €45.00')
    expect(paymentLabel({ payment: eur('captured', 4500, 2250) }, 'en-GB')).toBe('paid €45.00 · refunded €22.50')
    expect(paymentLabel({ payment: eur('requires_payment', 0) }, 'en-GB')).toBe('awaiting payment of €45.00')
    expect(paymentLabel({}, 'en-GB')).toBeUndefined()
  })

  it('tells a refund still on its way after a cancellation', () => {
    const refund = {
      amount: 2250,
      currency: 'EUR',
      percent: 50,
      tier: 'owner_override' as const,
      state: 'pending' as const,
    }
    expect(paymentLabel({ payment: eur('captured', 4500), refund }, 'en-GB')).toBe(
      'paid €45.00 · refund of €22.50 on its way',
    )
  })

  it('reads override percentages as whole numbers from 0 to 100 only', () => {
    expect(parsePercent('50')).toBe(50)
    expect(parsePercent(' 0 ')).toBe(0)
    expect(parsePercent('100 %')).toBe(100)
    expect(parsePercent('101')).toBeUndefined()
    expect(parsePercent('12.5')).toBeUndefined()
    expect(parsePercent('')).toBeUndefined()
  })
})
