import ICAL from 'ical.js'
import { Temporal } from 'temporal-polyfill'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { fixedClock } from '../api/clock'
import { createTestApi } from '../test/api'
import { createTestDatabase, type TestDatabase } from '../test/database'
import { everyDay, insertResource } from '../test/fixtures'
import { createTestHoldBackend } from '../test/holds'
import { createClient } from './client'

/*
 * The SDK's series calendar file, against the real API: every date still booked in one file,
 * one event each, only for the holder of the series' manage token.
 */

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.close()
})
afterEach(() => {
  vi.unstubAllGlobals()
})

const ZONE = 'Europe/Berlin'
const guest = { name: 'Ada Lovelace', email: 'ada@example.com' }

/** The SDK talking to a fresh app; the Redis hold store's own HTTP calls still go out. */
async function setup() {
  const clock = fixedClock('2026-03-01T12:00:00Z')
  const api = createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds })
  const realFetch = globalThis.fetch
  vi.stubGlobal('fetch', (url: string | URL | Request, init?: RequestInit) =>
    String(url).startsWith('http://api.test/') ? api.app.request(String(url), init) : realFetch(url, init),
  )
  const resource = await insertResource(database.db, {
    timezone: ZONE,
    schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
  })
  return { client: createClient({ apiUrl: 'http://api.test' }), resource }
}

/** 10:00 Berlin time on `date`, as an instant. */
const tenOClock = (date: string) =>
  Temporal.PlainDateTime.from(`${date}T10:00`).toZonedDateTime(ZONE).toInstant().toString()

function eventStarts(ics: string): string[] {
  const calendar = new ICAL.Component(ICAL.parse(ics))
  return calendar
    .getAllSubcomponents('vevent')
    .map((event) => new ICAL.Event(event).startDate.toJSDate().toISOString())
    .sort()
}

describe('getSeriesCalendarFile', () => {
  it('gives every date booked, one event each, and leaves a cancelled date out', async () => {
    const { client, resource } = await setup()
    const held = await client.placeHold({ resourceId: resource.id, start: tenOClock('2026-03-02') })
    const booked = await client.bookSeries({
      holdId: held.data!.id,
      guest,
      repeat: { everyWeeks: 1, occurrences: 4 },
      mode: 'all_or_nothing',
    })
    const { series, manageToken } = booked.data!
    const starts = series.bookings.map((booking) => new Date(booking.start).toISOString())
    expect(starts).toHaveLength(4)

    const file = await client.getSeriesCalendarFile(series.ref, manageToken)
    expect(file.error).toBeUndefined()
    expect(file.data?.type).toMatch(/^text\/calendar/)
    expect(eventStarts(await file.data!.text())).toEqual(starts)

    // The series' token opens each date: one cancelled, the file drops it.
    expect((await client.cancelBooking(series.bookings[1]!.ref, manageToken)).data?.status).toBe('cancelled')
    const after = await client.getSeriesCalendarFile(series.ref, manageToken)
    expect(eventStarts(await after.data!.text())).toEqual([starts[0], starts[2], starts[3]])
  })

  it('answers not_found to a wrong token, as for an unknown series', async () => {
    const { client, resource } = await setup()
    const held = await client.placeHold({ resourceId: resource.id, start: tenOClock('2026-03-03') })
    const booked = await client.bookSeries({
      holdId: held.data!.id,
      guest,
      repeat: { everyWeeks: 1, occurrences: 2 },
      mode: 'all_or_nothing',
    })
    const wrong = await client.getSeriesCalendarFile(booked.data!.series.ref, 'not-the-token')
    expect(wrong.data).toBeUndefined()
    expect(wrong.error?.code).toBe('not_found')
    expect((await client.getSeriesCalendarFile('NOSUCHREF', booked.data!.manageToken)).error?.code).toBe('not_found')
  })
})
