import { describe, expect, it } from 'vitest'
import { isPhoneRegion, normalizePhone, phoneRegionOf, regionForTimeZone } from './phone'
import { resourceConfigSchema } from './schemas'

describe('normalizePhone', () => {
  it.each([
    ['030 1234567', 'DE', '+49301234567'],
    ['(212) 555-0123', 'US', '+12125550123'],
    ['212.555.0123', 'US', '+12125550123'],
    ['+44 20 7123 4567', 'DE', '+442071234567'],
    ['+44 20 7123 4567', 'US', '+442071234567'],
    ['+44 20 7123 4567', undefined, '+442071234567'],
    ['(+44) 20 7123 4567', 'DE', '+442071234567'],
    ['00 44 20 7123 4567', 'DE', '+442071234567'],
    ['0151-1234 5678', 'DE', '+4915112345678'],
    ['+4915112345678', undefined, '+4915112345678'],
    ['030/1234567', 'de', '+49301234567'],
  ])('reads %j in region %s as %s', (raw, region, e164) => {
    expect(normalizePhone(raw, region)).toEqual({ ok: true, e164 })
  })

  it.each([
    ['12', 'DE'],
    ['hello', 'DE'],
    ['', 'DE'],
    ['+49 1', 'DE'],
    ['555-0123', 'US'],
    // A national number means nothing without a region to read it in.
    ['030 1234567', undefined],
    ['030 1234567', 'XX'],
  ])('refuses %j in region %s', (raw, region) => {
    expect(normalizePhone(raw, region)).toEqual({ ok: false })
  })
})

describe('regionForTimeZone', () => {
  it.each([
    ['Europe/Berlin', 'DE'],
    ['America/New_York', 'US'],
    ['Europe/London', 'GB'],
    ['Europe/Lisbon', 'PT'],
    ['US/Eastern', 'US'],
    ['Asia/Calcutta', 'IN'],
  ])('places %s in %s', (zone, region) => {
    expect(regionForTimeZone(zone)).toBe(region)
  })

  it.each(['UTC', 'Etc/GMT+1', 'Mars/Olympus_Mons'])('gives no country for %s', (zone) => {
    expect(regionForTimeZone(zone)).toBeUndefined()
  })
})

describe('phoneRegionOf', () => {
  it('prefers the configured country over the zone’s', () => {
    expect(phoneRegionOf({ timezone: 'Europe/Berlin', config: { country: 'AT' } })).toBe('AT')
    expect(phoneRegionOf({ timezone: 'Europe/Berlin', config: {} })).toBe('DE')
    expect(phoneRegionOf({ timezone: 'UTC', config: {} })).toBeUndefined()
  })
})

describe('isPhoneRegion', () => {
  it('knows real alpha-2 codes in upper case only', () => {
    expect(['DE', 'US', 'GB'].map(isPhoneRegion)).toEqual([true, true, true])
    expect(['UK', 'de', 'DEU', 'XX', ''].map(isPhoneRegion)).toEqual([false, false, false, false, false])
  })
})

describe('a resource’s configured country', () => {
  it('is an upper-case alpha-2 code with a known numbering plan', () => {
    expect(resourceConfigSchema.safeParse({ country: 'DE' }).success).toBe(true)
    for (const country of ['UK', 'de', 'DEU', '']) {
      expect(resourceConfigSchema.safeParse({ country }).error?.issues[0]?.path).toEqual(['country'])
    }
  })
})
