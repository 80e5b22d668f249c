import { describe, expect, it } from 'vitest'
import { POOL_STRATEGIES as SHARED_STRATEGIES } from '../shared/pool-strategies'
import type { AdminPool } from '../shared/types'
import {
  firstErrorKey,
  formFromPool,
  mapPoolDetails,
  membersChanged,
  moveMember,
  POOL_STRATEGIES,
  STRATEGY_WORDS,
  toPoolBody,
  type PoolFormValues,
} from './pool-form'

const stored: AdminPool = {
  id: 'p-1',
  slug: 'physios',
  type: 'specialist',
  name: 'Any physio',
  timezone: 'Europe/Berlin',
  strategy: 'weighted',
  memberChoice: true,
  isActive: false,
  createdAt: '2026-01-01T00:00:00Z',
  // Stored out of order on purpose: the form follows `position`.
  members: [
    { resourceId: 'b', position: 1, weight: 1 },
    { resourceId: 'a', position: 0, weight: 3 },
  ],
}

describe('the pool form ↔ the API’s pool', () => {
  it('shows a stored pool with its members in position order, and gives the same pool back', () => {
    const values = formFromPool(stored, 'UTC')
    expect(values).toEqual<PoolFormValues>({
      name: 'Any physio',
      slug: 'physios',
      type: 'specialist',
      timezone: 'Europe/Berlin',
      strategy: 'weighted',
      memberChoice: true,
      isActive: false,
      members: [
        { resourceId: 'a', weight: '3' },
        { resourceId: 'b', weight: '1' },
      ],
    })
    const { body } = toPoolBody(values)
    expect(body?.members).toEqual([
      { resourceId: 'a', weight: 3 },
      { resourceId: 'b', weight: 1 },
    ])
    expect(membersChanged(stored, body!.members)).toBe(false)
  })

  it('starts a new pool in the browser’s zone, in order, without members', () => {
    expect(formFromPool(undefined, 'America/Chicago')).toMatchObject({
      timezone: 'America/Chicago',
      strategy: 'ordered',
      memberChoice: false,
      isActive: true,
      members: [],
    })
  })

  it('says what to fix; a bad weight counts only while the strategy is weighted, and is not sent otherwise', () => {
    const values = { ...formFromPool(stored, 'UTC'), name: ' ', slug: 'Any Physio' }
    values.members = [
      { resourceId: 'a', weight: '0' },
      { resourceId: 'b', weight: '' },
    ]
    const { errors } = toPoolBody(values)
    expect(errors).toEqual({
      name: 'Give it a name guests will recognise, e.g. Any physio.',
      slug: 'Use lowercase letters, digits and single hyphens, e.g. physios.',
      'weight:a': 'Write a whole number from 1 to 1000.',
    })
    expect(firstErrorKey(errors!, values)).toBe('name')
    const ordered = { ...values, name: 'Any physio', slug: 'physios', strategy: 'ordered' as const }
    expect(toPoolBody(ordered).body?.members).toEqual([{ resourceId: 'a' }, { resourceId: 'b' }])
    expect(toPoolBody({ ...ordered, strategy: 'weighted' }).errors).toEqual({
      'weight:a': 'Write a whole number from 1 to 1000.',
    })
  })

  it('knows when the members changed: order, a weight, one more or fewer', () => {
    expect(
      membersChanged(stored, [
        { resourceId: 'b', weight: 1 },
        { resourceId: 'a', weight: 3 },
      ]),
    ).toBe(true)
    expect(membersChanged(stored, [{ resourceId: 'a', weight: 2 }, { resourceId: 'b' }])).toBe(true)
    expect(membersChanged(stored, [{ resourceId: 'a', weight: 3 }, { resourceId: 'b' }])).toBe(false)
    expect(membersChanged(stored, [{ resourceId: 'a', weight: 3 }])).toBe(true)
  })

  it('names every strategy the API knows in the owner’s words', () => {
    expect(POOL_STRATEGIES).toBe(SHARED_STRATEGIES)
    for (const strategy of POOL_STRATEGIES) expect(STRATEGY_WORDS[strategy].label).not.toBe('')
  })
})

describe('moving a member', () => {
  it('swaps with the neighbour, and leaves the list as it is at either end', () => {
    expect(moveMember(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b'])
    expect(moveMember(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c'])
    expect(moveMember(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c'])
    expect(moveMember(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c'])
  })
})

describe('the server’s details', () => {
  it('puts each beside its field or beside the member at that index of the list sent', () => {
    const sent = [{ resourceId: 'a' }, { resourceId: 'b' }]
    expect(
      mapPoolDetails(
        [
          { path: 'slug', message: 'already used by another pool' },
          { path: 'members.1.resourceId', message: 'the same resource as member 0' },
          { path: 'members.0.weight', message: 'too big' },
          { path: 'members', message: 'a resource was removed while the pool was saved' },
          { path: 'members.7.resourceId', message: 'no such member' },
          { path: 'colour', message: 'unknown key' },
        ],
        sent,
      ),
    ).toEqual({
      fields: {
        slug: 'Already used by another pool',
        'member:b': 'The same resource as member 0',
        'weight:a': 'Too big',
        members: 'A resource was removed while the pool was saved',
      },
      other: ['colour: unknown key'],
    })
  })
})
