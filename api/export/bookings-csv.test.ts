import { describe, expect, it } from 'vitest'
import { csvCell, csvRow, decimalAmount, localTime } from './bookings-csv'

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['Jürgen Müller', 'Jürgen Müller'],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+49 30 1234567', "'+49 30 1234567"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['a=b', 'a=b'],
    [null, ''],
    [undefined, ''],
    [3, '3'],
  ])('writes %j as %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell)
  })

  it('ends each row with CRLF', () => {
    expect(csvRow(['a', 'b,c', null])).toBe('a,"b,c",\r\n')
  })
})

describe('decimalAmount', () => {
  it.each([
    [1250, 'EUR', '12.50'],
    [5, 'EUR', '0.05'],
    [0, 'EUR', '0.00'],
    [500, 'JPY', '500'],
    [1234, 'KWD', '1.234'],
    [123456789012, 'EUR', '1234567890.12'],
    [null, 'EUR', ''],
    [100, null, ''],
  ])('writes %j %s as %j', (minor, currency, text) => {
    expect(decimalAmount(minor, currency)).toBe(text)
  })
})

describe('localTime', () => {
  it.each([
    ['2026-03-29T00:30:00Z', '2026-03-29 01:30'],
    ['2026-03-29T01:00:00Z', '2026-03-29 03:00'],
    ['2026-10-25T00:30:00Z', '2026-10-25 02:30'],
    ['2026-10-25T01:30:00Z', '2026-10-25 02:30'],
    ['2026-12-31T23:00:00Z', '2027-01-01 00:00'],
  ])('reads %s as %s in Berlin', (at, local) => {
    expect(localTime(new Date(at), 'Europe/Berlin')).toBe(local)
  })
})
