import { describe, expect, it } from 'vitest'
import { etagFor, ifNoneMatchHits, negotiateEncoding } from './content-encoding'

describe('negotiateEncoding', () => {
  const both = ['br', 'gzip'] as const
  it.each([
    [undefined, 'identity'], // no header: the plain bytes
    ['', 'identity'],
    ['gzip, deflate, br, zstd', 'br'], // what browsers send: brotli wins a tie
    ['br, gzip', 'br'],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['GZIP;Q=1, BR;q=0.5', 'gzip'], // q-values and case are honoured
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['identity', 'identity'],
    ['identity;q=1, br;q=0.5', 'identity'],
    ['*', 'br'],
    ['*;q=0.5, br;q=0', 'gzip'],
    ['deflate', 'identity'], // only what we can make
    ['br;q=0.001', 'br'],
    ['br;q=garbage, gzip', 'gzip'], // a malformed q means "not acceptable", never a crash
  ] as const)('%s → %s', (header, expected) => {
    expect(negotiateEncoding(header, both)).toBe(expected)
  })

  it('chooses only among the variants there are', () => {
    expect(negotiateEncoding('br, gzip', ['gzip'])).toBe('gzip')
    expect(negotiateEncoding('br', ['gzip'])).toBe('identity')
    expect(negotiateEncoding('br, gzip', [])).toBe('identity')
  })
})

describe('per-encoding entity tags', () => {
  it('gives every encoding of a strong tag its own strong tag and leaves weak tags alone', () => {
    expect(etagFor('"abc"', 'identity')).toBe('"abc"')
    expect(etagFor('"abc"', 'br')).toBe('"abc-br"')
    expect(etagFor('"abc"', 'gzip')).toBe('"abc-gz"')
    expect(etagFor('W/"abc"', 'br')).toBe('W/"abc"')
  })

  it('matches If-None-Match lists with the weak comparison RFC 9110 asks for', () => {
    expect(ifNoneMatchHits('"a-br"', '"a-br"')).toBe(true)
    expect(ifNoneMatchHits('"x", W/"a-br"', '"a-br"')).toBe(true)
    expect(ifNoneMatchHits('*', '"a"')).toBe(true)
    expect(ifNoneMatchHits('"a"', '"a-br"')).toBe(false) // another representation
    expect(ifNoneMatchHits(undefined, '"a"')).toBe(false)
  })
})
