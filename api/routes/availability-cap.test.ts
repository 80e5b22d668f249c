import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ErrorBody, FieldError } from '../../shared/errors'
import { MAX_SLOTS_PER_RESPONSE } from '../../shared/schemas'
import type { AvailabilityResponse, NextAvailableResponse } from '../../shared/types'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertResource } from '../../test/fixtures'
import { createTestHoldBackend } from '../../test/holds'
import { createAdminKey } from '../admin/keys'
import { fixedClock } from '../clock'

/*
 * What one availability request may cost: never more than MAX_SLOTS_PER_RESPONSE slots in
 * an answer (a resource that would offer more in the range is refused, saying how many days
 * fit), and the admin API does not make slots shorter than 5 minutes.
 */
let database: TestDatabase
let key: string
beforeAll(async () => {
  database = await createTestDatabase()
  key = (await createAdminKey(database.db, 'cap tests')).key
})
afterAll(() => database?.close())

function setup() {
  const clock = fixedClock('2026-03-20T12:00:00Z')
  const api = createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds })
  const admin = <T>(method: string, path: string, body?: unknown) =>
    api.call<T>(method, `/v1/admin${path}`, { token: key, ...(body !== undefined ? { body } : {}) })
  return { ...api, admin }
}

const slotCount = (body: AvailabilityResponse) => body.days.reduce((n, day) => n + day.slots.length, 0)

/** 1-minute slots round the clock: 1,440 a day (a row the admin API would refuse today; older data may hold one). */
const everyMinute = () =>
  insertResource(database.db, {
    timezone: 'UTC',
    schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 1 }),
  })

describe('availability cost', () => {
  it('caps a response at 10,000 slots', () => {
    expect(MAX_SLOTS_PER_RESPONSE).toBe(10_000)
  })

  it('refuses a month of 1-minute slots with 400 naming `to` and the days that fit, and serves a day', async () => {
    const api = setup()
    const r = await everyMinute()
    const month = await api.call<ErrorBody>('GET', `/v1/resources/${r.id}/availability?from=2026-04-01&to=2026-05-01`)
    expect([month.status, month.body.error.code]).toEqual([400, 'invalid_request'])
    const details = month.body.error.details as FieldError[]
    expect(details).toHaveLength(1)
    expect(details[0]).toMatchObject({ path: 'to', code: 'invalid' })
    // 10,000 / 1,440 = 6.9: six whole days fit.
    expect(details[0]!.message).toMatch(/at most 6 days for this resource/)
    expect(month.text.length).toBeLessThan(1_000)

    const day = await api.call<AvailabilityResponse>(
      'GET',
      `/v1/resources/${r.id}/availability?from=2026-04-01&to=2026-04-01`,
    )
    expect(day.status).toBe(200)
    expect(slotCount(day.body)).toBe(1_440)
    // The days the refusal named are served.
    const fit = await api.call<AvailabilityResponse>(
      'GET',
      `/v1/resources/${r.id}/availability?from=2026-04-01&to=2026-04-06`,
    )
    expect([fit.status, slotCount(fit.body)]).toEqual([200, 6 * 1_440])
    const over = await api.call<ErrorBody>('GET', `/v1/resources/${r.id}/availability?from=2026-04-01&to=2026-04-07`)
    expect(over.status).toBe(400)
  })

  it('counts only slots that can be offered: days before now cost nothing', async () => {
    const api = setup()
    const r = await everyMinute()
    // 2026-03-01…2026-03-23: only 20 March 12:00 onwards is offerable (3.5 days).
    const res = await api.call<AvailabilityResponse>(
      'GET',
      `/v1/resources/${r.id}/availability?from=2026-03-01&to=2026-03-23`,
    )
    expect(res.status).toBe(200)
    expect(slotCount(res.body)).toBe(720 + 3 * 1_440)
  })

  it('still finds the next free time of such a resource', async () => {
    const api = setup()
    const r = await everyMinute()
    const res = await api.call<NextAvailableResponse>('GET', `/v1/resources/${r.id}/next-available?from=2026-04-01`)
    expect(res.status).toBe(200)
    expect(res.body.nextAvailable).toMatchObject({
      date: '2026-04-01',
      start: '2026-04-01T00:00:00.000Z',
      end: '2026-04-01T00:01:00.000Z',
    })
  })

  it('serves a whole month of 5-minute slots round the clock (what the widget asks for)', async () => {
    const api = setup()
    const r = await insertResource(database.db, {
      timezone: 'Europe/Berlin',
      schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 5 }),
    })
    // October: 31 days, one of them 25 h long in Berlin.
    const res = await api.call<AvailabilityResponse>(
      'GET',
      `/v1/resources/${r.id}/availability?from=2026-10-01&to=2026-10-31`,
    )
    expect(res.status).toBe(200)
    expect(slotCount(res.body)).toBe(31 * 288 + 12)
  })
})

describe('slot lengths from the admin API', () => {
  const resource = (slug: string, config: Record<string, unknown>) => ({
    slug,
    type: 'room',
    name: 'Quick room',
    timezone: 'UTC',
    config,
  })
  let n = 0
  const slug = () => `cap-room-${process.pid}-${++n}`

  it('refuses durations below 5 minutes, naming the field', async () => {
    const api = setup()
    const res = await api.admin<ErrorBody>('POST', '/resources', resource(slug(), { durations: [1] }))
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_request'])
    const details = res.body.error.details as FieldError[]
    expect(details.map((d) => d.path)).toEqual(['config.durations.0'])
    expect(details[0]!.message).toMatch(/at least 5 minutes/)
    const four = await api.admin<ErrorBody>('POST', '/resources', resource(slug(), { durations: [30, 4] }))
    expect((four.body.error.details as FieldError[]).map((d) => d.path)).toEqual(['config.durations.1'])
    expect((await api.admin('POST', '/resources', resource(slug(), { durations: [5, 30] }))).status).toBe(201)
  })

  it('refuses the same in a config update', async () => {
    const api = setup()
    const created = await api.admin<{ resource: { id: string } }>(
      'POST',
      '/resources',
      resource(slug(), { durations: [30] }),
    )
    const res = await api.admin<ErrorBody>('PATCH', `/resources/${created.body.resource.id}`, {
      config: { durations: [2] },
    })
    expect(res.status).toBe(400)
    expect((res.body.error.details as FieldError[]).map((d) => d.path)).toEqual(['config.durations.0'])
  })

  it('refuses a schedule slotDuration below 5 minutes, naming the window', async () => {
    const api = setup()
    const r = await insertResource(database.db, {
      schedules: everyDay({ startTime: '09:00', endTime: '10:00', slotDuration: 60 }),
    })
    const res = await api.admin<ErrorBody>('PUT', `/resources/${r.id}/schedules`, {
      schedules: [
        { weekday: 0, startTime: '09:00', endTime: '12:00', slotDuration: 30 },
        { weekday: 1, startTime: '09:00', endTime: '12:00', slotDuration: 1 },
      ],
    })
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_request'])
    const details = res.body.error.details as FieldError[]
    expect(details.map((d) => d.path)).toEqual(['schedules.1.slotDuration'])
    expect(details[0]!.message).toMatch(/at least 5 minutes/)
    const ok = await api.admin('PUT', `/resources/${r.id}/schedules`, {
      schedules: [{ weekday: 1, startTime: '09:00', endTime: '12:00', slotDuration: 5 }],
    })
    expect(ok.status).toBe(200)
  })
})
