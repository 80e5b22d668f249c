import { describe, expect, it } from 'vitest'
import { poolOrder, seatsParty, type PoolCandidate } from './pool-order'

const member = (resourceId: string, position: number, extra: Partial<PoolCandidate> = {}): PoolCandidate => ({
  resourceId,
  position,
  weight: 1,
  ...extra,
})
const ids = (members: PoolCandidate[]) => members.map((m) => m.resourceId)

describe('seatsParty', () => {
  it('accepts a party within the bounds, open bounds accepting any', () => {
    expect(seatsParty({ minParty: 2, maxParty: 4 }, 2)).toBe(true)
    expect(seatsParty({ minParty: 2, maxParty: 4 }, 4)).toBe(true)
    expect(seatsParty({ minParty: 2, maxParty: 4 }, 1)).toBe(false)
    expect(seatsParty({ minParty: 2, maxParty: 4 }, 5)).toBe(false)
    expect(seatsParty({ maxParty: 4 }, 1)).toBe(true)
    expect(seatsParty({ minParty: 6 }, 1000)).toBe(true)
    expect(seatsParty({}, 12)).toBe(true)
    expect(seatsParty({ minParty: 6 }, undefined)).toBe(true)
  })
})

describe('poolOrder', () => {
  it('ordered: by position, whatever order the members come in', () => {
    const members = [member('c', 3), member('a', 1), member('b', 2)]
    expect(ids(poolOrder('ordered', members))).toEqual(['a', 'b', 'c'])
  })

  it('round_robin: fewest bookings that day, then that week, then position', () => {
    const members = [
      member('a', 1, { bookingsThatDay: 2, bookingsThatWeek: 2 }),
      member('b', 2, { bookingsThatDay: 1, bookingsThatWeek: 9 }),
      member('c', 3, { bookingsThatDay: 1, bookingsThatWeek: 3 }),
      member('d', 4, { bookingsThatDay: 1, bookingsThatWeek: 3 }),
      member('e', 5),
    ]
    expect(ids(poolOrder('round_robin', members))).toEqual(['e', 'c', 'd', 'b', 'a'])
  })

  it('weighted: higher weight first, then position', () => {
    const members = [
      member('a', 1),
      member('b', 2, { weight: 5 }),
      member('c', 3, { weight: 5 }),
      member('d', 4, { weight: 2 }),
    ]
    expect(ids(poolOrder('weighted', members))).toEqual(['b', 'c', 'd', 'a'])
  })

  it('smallest_fit: the smallest table that seats the party, open maxParty last', () => {
    const members = [
      member('open', 1, { minParty: 1 }),
      member('eight', 2, { minParty: 4, maxParty: 8 }),
      member('two', 3, { maxParty: 2 }),
      member('four-a', 4, { maxParty: 4 }),
      member('four-b', 5, { minParty: 2, maxParty: 4 }),
    ]
    expect(ids(poolOrder('smallest_fit', members, 2))).toEqual(['two', 'four-a', 'four-b', 'open'])
    expect(ids(poolOrder('smallest_fit', members, 3))).toEqual(['four-a', 'four-b', 'open'])
    expect(ids(poolOrder('smallest_fit', members, 6))).toEqual(['eight', 'open'])
    expect(ids(poolOrder('smallest_fit', members))).toEqual(['two', 'four-a', 'four-b', 'eight', 'open'])
  })

  it('leaves out members that do not seat the party, whatever the strategy', () => {
    const members = [member('a', 1, { maxParty: 2 }), member('b', 2, { minParty: 3 })]
    expect(ids(poolOrder('ordered', members, 4))).toEqual(['b'])
    expect(ids(poolOrder('weighted', members, 1))).toEqual(['a'])
    expect(poolOrder('round_robin', members, 0)).toEqual([])
  })

  it('does not reorder the array it was given', () => {
    const members = [member('b', 2), member('a', 1)]
    poolOrder('ordered', members)
    expect(ids(members)).toEqual(['b', 'a'])
  })
})
