import { describe, expect, it } from 'vitest'
import { formatMessageTime } from './message-time'

// 15:00 in London is 16:00 in Berlin (both on winter time in November).
const at = new Date('2030-11-25T15:00:00Z')

describe('a time in a message', () => {
  it.each([
    ['en', 'Monday, 25 November 2030, 15:00 London time (16:00 in Berlin)'],
    ['de', 'Montag, 25. November 2030, 15:00 Uhr Ortszeit London (16:00 Uhr in Berlin)'],
    ['es', 'lunes, 25 de noviembre de 2030, 15:00 hora de Londres (16:00 en Berlín)'],
  ] as const)('reads in %s on the guest’s clock with the resource’s beside: %s', (language, expected) => {
    expect(formatMessageTime(at, language, 'Europe/London', 'Europe/Berlin')).toBe(expected)
  })

  it.each([
    ['en', 'Monday, 25 November 2030, 16:00 Berlin time'],
    ['de', 'Montag, 25. November 2030, 16:00 Uhr Ortszeit Berlin'],
    ['es', 'lunes, 25 de noviembre de 2030, 16:00 hora de Berlín'],
  ] as const)('names one place when both clocks are the same zone (%s)', (language, expected) => {
    expect(formatMessageTime(at, language, 'Europe/Berlin', 'Europe/Berlin')).toBe(expected)
    expect(formatMessageTime(at, language, 'Europe/Berlin')).toBe(expected)
  })

  it('says a clock once when another zone shows the same wall time (Madrid and Berlin)', () => {
    expect(formatMessageTime(at, 'en', 'Europe/Madrid', 'Europe/Berlin')).toBe(
      'Monday, 25 November 2030, 16:00 Madrid time',
    )
  })

  it.each([
    ['en', 'Monday, 25 November 2030, 18:30 New York time (Tue 26 Nov, 00:30 in Berlin)'],
    ['de', 'Montag, 25. November 2030, 18:30 Uhr Ortszeit New York (Di., 26. Nov., 00:30 Uhr in Berlin)'],
    ['es', 'lunes, 25 de noviembre de 2030, 18:30 hora de Nueva York (mar, 26 nov, 00:30 en Berlín)'],
  ] as const)('names the other day when the second clock is past midnight (%s)', (language, expected) => {
    expect(formatMessageTime(new Date('2030-11-25T23:30:00Z'), language, 'America/New_York', 'Europe/Berlin')).toBe(
      expected,
    )
  })

  it('writes zones without a city as UTC or an offset, and aliases as their city', () => {
    expect(formatMessageTime(at, 'en', 'UTC', 'US/Eastern')).toBe(
      'Monday, 25 November 2030, 15:00 UTC (10:00 in New York)',
    )
    expect(formatMessageTime(at, 'de', 'Etc/GMT+5', 'Europe/Berlin')).toBe(
      'Montag, 25. November 2030, 10:00 Uhr GMT-5 (16:00 Uhr in Berlin)',
    )
  })
})
