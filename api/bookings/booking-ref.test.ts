import { describe, expect, it } from 'vitest'
import { randomRef } from './booking-ref'

describe('booking refs', () => {
  it('makes short refs from an unambiguous alphabet', () => {
    const refs = Array.from({ length: 1000 }, () => randomRef())
    for (const ref of refs) expect(ref).toMatch(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$/)
    expect(new Set(refs).size).toBeGreaterThan(995)
  })
})
