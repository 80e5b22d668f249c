import { describe, expect, it } from 'vitest'
import { formatMoney } from './money'

const plain = (text: string) => text.replace(/\s/g, ' ')

describe('formatMoney', () => {
  it.each([
    [5000, 'EUR', 'en', '€50.00'],
    [999, 'EUR', 'de', '9,99 €'],
    [1500, 'JPY', 'en', '¥1,500'], // yen have no minor unit: 1500 minor units are ¥1,500
    [1234, 'KWD', 'en', 'KWD 1.234'], // three decimals
    [250000, 'USD', 'es', '2500,00 US$'],
  ])('%i minor units of %s in %s read %s', (minor, currency, locale, expected) => {
    expect(plain(formatMoney(minor, currency, locale))).toBe(expected)
  })
})
