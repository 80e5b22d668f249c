import { describe, expect, it } from 'vitest'
import { Temporal } from 'temporal-polyfill'
import { DAY_MS, MINUTE_MS, toEpochDay } from './calendar-days'
import { createZoneClock } from './zone-clock'

const SPAN = { start: Date.parse('2025-12-20T00:00:00Z'), end: Date.parse('2027-01-10T00:00:00Z') }

function wall(iso: string): number {
  return Date.parse(`${iso}Z`)
}

describe('createZoneClock', () => {
  it.each([
    [
      'moves a skipped spring-forward time forward by the gap',
      'Europe/Berlin',
      '2026-03-29T02:30',
      '2026-03-29T01:30:00.000Z',
    ],
    [
      'keeps the first valid minute after a spring-forward gap',
      'Europe/Berlin',
      '2026-03-29T03:00',
      '2026-03-29T01:00:00.000Z',
    ],
    [
      'takes the earlier offset for a repeated fall-back time',
      'Europe/Berlin',
      '2026-10-25T02:30',
      '2026-10-25T00:30:00.000Z',
    ],
    [
      'takes the earlier offset for a repeated New York time',
      'America/New_York',
      '2026-11-01T01:00',
      '2026-11-01T05:00:00.000Z',
    ],
    ['handles a half-hour DST shift', 'Australia/Lord_Howe', '2026-10-04T02:15', '2026-10-03T15:45:00.000Z'],
    ['moves a skipped midnight forward', 'America/Santiago', '2026-09-06T00:00', '2026-09-06T04:00:00.000Z'],
    ['converts a zone without DST at a fixed offset', 'Asia/Tokyo', '2026-06-10T22:00', '2026-06-10T13:00:00.000Z'],
  ])('%s (%s %s)', (_, zone, local, expected) => {
    expect(new Date(createZoneClock(zone, SPAN).toInstant(wall(local))).toISOString()).toBe(expected)
  })

  it.each([
    ['is 23 h long on a spring-forward day', 'Europe/Berlin', '2026-03-29', 23],
    ['is 25 h long on a fall-back day', 'Europe/Berlin', '2026-10-25', 25],
    ['starts at the transition when midnight is skipped', 'America/Santiago', '2026-09-06', 23],
    ['is 24 h long on an ordinary day', 'Asia/Kolkata', '2026-06-10', 24],
  ])('a day %s (%s %s)', (_, zone, date, hours) => {
    const clock = createZoneClock(zone, SPAN)
    const day = toEpochDay(date)
    expect((clock.startOfDay(day + 1) - clock.startOfDay(day)) / 3_600_000).toBe(hours)
  })

  // Every quarter hour around each transition of 2026, plus each midnight, against Temporal itself.
  it.each([
    'Europe/Berlin',
    'America/New_York',
    'Australia/Lord_Howe',
    'America/Santiago',
    'Africa/Casablanca',
    'Pacific/Chatham',
    'America/St_Johns',
    'Asia/Tokyo',
    'UTC',
  ])('agrees with Temporal on wall times, day starts and local days in %s', (zone) => {
    const clock = createZoneClock(zone, SPAN)
    const walls: number[] = []
    for (let day = toEpochDay('2026-01-01'); day <= toEpochDay('2026-12-31'); day++) walls.push(day * DAY_MS)
    let cursor: Temporal.ZonedDateTime | null = Temporal.Instant.fromEpochMilliseconds(SPAN.start).toZonedDateTimeISO(
      zone,
    )
    while (
      (cursor = cursor.getTimeZoneTransition('next')) !== null &&
      cursor.epochMilliseconds < SPAN.end - 2 * DAY_MS
    ) {
      const around = cursor.epochMilliseconds + cursor.offsetNanoseconds / 1e6
      for (let minutes = -36 * 60; minutes <= 36 * 60; minutes += 15) walls.push(around + minutes * MINUTE_MS)
    }
    for (const wallMs of walls) {
      const local = Temporal.PlainDateTime.from(new Date(wallMs).toISOString().slice(0, 16))
      const instant = local.toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds
      expect(clock.toInstant(wallMs)).toBe(instant)
      expect(clock.dayOf(instant)).toBe(
        toEpochDay(Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(zone).toPlainDate().toString()),
      )
      const day = Math.floor(wallMs / DAY_MS)
      const startOfDay = Temporal.PlainDate.from(new Date(day * DAY_MS).toISOString().slice(0, 10)).toZonedDateTime(
        zone,
      )
      expect(clock.startOfDay(day)).toBe(startOfDay.epochMilliseconds)
    }
  })
})

describe('firstInstantOf', () => {
  it.each([
    ['has no instant for a time a spring-forward jump skips', 'Europe/Berlin', '2026-03-29T02:30', undefined],
    ['has no instant for New York’s skipped 02:30', 'America/New_York', '2026-03-08T02:30', undefined],
    ['answers the first minute after the gap', 'Europe/Berlin', '2026-03-29T03:00', '2026-03-29T01:00:00.000Z'],
    ['takes the first occurrence of a repeated time', 'Europe/Berlin', '2026-10-25T02:30', '2026-10-25T00:30:00.000Z'],
    [
      'takes New York’s first 01:30 on fall-back day',
      'America/New_York',
      '2026-11-01T01:30',
      '2026-11-01T05:30:00.000Z',
    ],
    ['answers an ordinary time as toInstant does', 'Europe/Berlin', '2026-06-08T09:00', '2026-06-08T07:00:00.000Z'],
  ])('%s', (_name, zone, local, expected) => {
    const at = createZoneClock(zone, SPAN).firstInstantOf(wall(local))
    expect(at === undefined ? undefined : new Date(at).toISOString()).toBe(expected)
  })
})
