import { describe, expect, it } from 'vitest'
import type { AdminService } from '../shared/types'
import {
  MAX_PARTS,
  firstErrorKey,
  formFromService,
  mapServiceDetails,
  movePart,
  toServiceBody,
  type ServiceFormValues,
} from './service-form'

const stored: AdminService = {
  id: 's-1',
  slug: 'massage',
  name: 'Massage with room',
  timezone: 'Europe/Berlin',
  isActive: false,
  createdAt: '2026-01-01T00:00:00Z',
  // Stored out of order on purpose: the form follows `position`.
  parts: [
    { position: 1, poolId: 'rooms', label: 'Room', name: 'Rooms' },
    { position: 0, resourceId: 'anna', name: 'Anna' },
  ],
}

describe('the service form ↔ the API’s service', () => {
  it('shows a stored service with its parts in position order, and gives the same service back', () => {
    const values = formFromService(stored)
    expect(values).toMatchObject({
      name: 'Massage with room',
      slug: 'massage',
      timezone: 'Europe/Berlin',
      isActive: false,
    })
    expect(values.parts.map((p) => [p.target, p.label])).toEqual([
      ['resource:anna', ''],
      ['pool:rooms', 'Room'],
    ])
    expect(new Set(values.parts.map((p) => p.key)).size).toBe(2)
    expect(toServiceBody(values).body).toEqual({
      slug: 'massage',
      name: 'Massage with room',
      timezone: 'Europe/Berlin',
      parts: [{ resourceId: 'anna' }, { poolId: 'rooms', label: 'Room' }],
    })
  })

  it('leaves the zone out for a new service (the lead’s), and trims what was typed', () => {
    const values: ServiceFormValues = {
      ...formFromService(undefined),
      name: '  Car with driver ',
      slug: ' car-driver ',
      parts: [
        { key: 'a', target: 'resource:car', label: ' Car ' },
        { key: 'b', target: 'pool:drivers', label: '   ' },
      ],
    }
    expect(toServiceBody(values).body).toEqual({
      slug: 'car-driver',
      name: 'Car with driver',
      parts: [{ resourceId: 'car', label: 'Car' }, { poolId: 'drivers' }],
    })
  })

  it('says what to fix beside each field and part', () => {
    const part = (key: string, target: string) => ({ key, target, label: '' })
    const errors = toServiceBody({
      name: ' ',
      slug: 'Bad Slug',
      timezone: '',
      isActive: true,
      parts: [part('a', 'resource:x'), part('b', ''), part('c', 'resource:x')],
    }).errors!
    expect(Object.keys(errors).sort()).toEqual(['name', 'part:b', 'part:c', 'slug'])
    expect(errors['part:c']).toMatch(/Already a part above/)
    expect(toServiceBody({ ...formFromService(stored), parts: [part('a', 'resource:x')] }).errors).toEqual({
      parts: expect.stringMatching(/at least 2 parts/),
    })
    const many = Array.from({ length: MAX_PARTS + 1 }, (_, i) => part(`k${i}`, `resource:r${i}`))
    expect(toServiceBody({ ...formFromService(stored), parts: many }).errors?.parts).toMatch(/at most 8/)
  })

  it('moves a part up or down, and leaves the list alone at either end', () => {
    expect(movePart(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b'])
    expect(movePart(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c'])
    expect(movePart(['a', 'b'], 0, -1)).toEqual(['a', 'b'])
    expect(movePart(['a', 'b'], 1, 1)).toEqual(['a', 'b'])
  })

  it('puts the server’s details beside the part that was at that index when sent, the rest apart', () => {
    const sent = [{ key: 'a' }, { key: 'b' }]
    const { fields, other } = mapServiceDetails(
      [
        { path: 'slug', message: 'already used by another service' },
        { path: 'parts.1.poolId', message: 'this pool is inactive' },
        { path: 'parts.0.label', message: 'too long' },
        { path: 'parts', message: 'a resource was removed' },
        { path: 'parts.7.resourceId', message: 'out of range' },
        { path: 'nonsense', message: 'odd' },
        'not a detail',
      ],
      sent,
    )
    expect(fields).toEqual({
      slug: 'Already used by another service',
      'part:b': 'This pool is inactive',
      'label:a': 'Too long',
      parts: 'A resource was removed',
    })
    expect(other).toEqual(['nonsense: odd'])
    expect(mapServiceDetails(undefined, sent)).toEqual({ fields: {}, other: [] })
  })

  it('focuses the first field at fault in form order', () => {
    const values = formFromService(stored)
    const [first, second] = values.parts
    expect(firstErrorKey({ [`label:${second!.key}`]: 'x', [`part:${first!.key}`]: 'y' }, values)).toBe(
      `part:${first!.key}`,
    )
    expect(firstErrorKey({ parts: 'x', slug: 'y' }, values)).toBe('slug')
    expect(firstErrorKey({}, values)).toBeUndefined()
  })
})
