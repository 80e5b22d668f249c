import { describe, expect, it } from 'vitest'
import { formatMoney, parseMoney, toMajorText } from './money'

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

describe('parseMoney and toMajorText', () => {
  it.each([
    ['25', 'EUR', 2500],
    ['25.5', 'EUR', 2550],
    ['25,50', 'EUR', 2550],
    ['0.07', 'EUR', 7],
    ['19.99', 'EUR', 1999], // 19.99 * 100 is 1998.9999… as a float; the digits are moved instead
    ['1500', 'JPY', 1500],
    ['1.234', 'KWD', 1234],
  ])('reads %s %s as %i minor units, and writes it back', (text, currency, minor) => {
    expect(parseMoney(text, currency)).toBe(minor)
    expect(parseMoney(toMajorText(minor, currency), currency)).toBe(minor)
  })

  it.each([
    ['12.345', 'EUR'],
    ['1.5', 'JPY'],
    ['-3', 'EUR'],
    ['ten', 'EUR'],
    ['', 'EUR'],
  ])('refuses %s for %s', (text, currency) => {
    expect(parseMoney(text, currency)).toBeUndefined()
  })
})
