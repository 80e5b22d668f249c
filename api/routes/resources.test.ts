import { brotliCompressSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_HORIZON_DAYS, type ResourceConfig } from '../../shared/schemas'
import type {
  AvailabilityResponse,
  CompactAvailabilityResponse,
  NextAvailableResponse,
  PublicResource,
} from '../../shared/types'
import { decodeAvailability } from '../../shared/compact-availability'
import { seedDemo } from '../seed-demo'
import type { ErrorBody } from '../../shared/errors'
import { createApp } from '../app'
import { fixedClock } from '../clock'
import type { Database } from '../db/database'
import type { HoldStore } from '../holds/hold-store'
import { createMemoryHoldStore } from '../holds/memory-hold-store'
import { createStripeGateway } from '../payments/stripe-gateway'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertBooking, insertResource } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'

let database: TestDatabase
const clock = fixedClock('2026-03-20T12:00:00Z')
let app: ReturnType<typeof createApp>

beforeAll(async () => {
  database = await createTestDatabase()
  app = createApp({ db: database.db, clock })
})
afterAll(async () => {
  await database?.close()
})

async function getJson<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await app.request(path, init)
  return { status: res.status, body: (await res.json()) as T, headers: res.headers }
}

const startsOf = (day: { slots: { start: string }[] } | undefined) => day?.slots.map((s) => s.start.slice(0, 16))

describe('GET /health', () => {
  it('answers 200 ok', async () => {
    const { status, body } = await getJson<{ status: string }>('/health')
    expect(status).toBe(200)
    expect(body).toEqual({ status: 'ok' })
  })
})

describe('GET /v1/resources', () => {
  it('lists active resources in their public form only', async () => {
    const active = await insertResource(database.db, {
      config: { durations: [60], bufferAfterMin: 15, price: { amount: 2500, currency: 'EUR' }, payment: 'full' },
    })
    const inactive = await insertResource(database.db, { isActive: false })
    const { status, body } = await getJson<{ resources: PublicResource[] }>('/v1/resources')
    expect(status).toBe(200)
    const slugs = body.resources.map((r) => r.slug)
    expect(slugs).toContain(active.slug)
    expect(slugs).not.toContain(inactive.slug)
    expect(body.resources.find((r) => r.slug === active.slug)).toEqual({
      id: active.id,
      slug: active.slug,
      type: 'room',
      name: 'Test room',
      timezone: 'Europe/Berlin',
      durations: [60],
      price: { amount: 2500, currency: 'EUR' },
      payment: 'full',
      horizonDays: DEFAULT_HORIZON_DAYS,
      // This app has no payment provider.
      bookable: false,
      notBookableReason: 'payment_unavailable',
    })
  })
})

describe('public form: horizon and whether it can be booked here', () => {
  const stripe = createStripeGateway({
    secretKey: 'sk_test_form',
    publishableKey: 'pk_test_form',
    webhookSecret: 'whsec_form',
    apiBase: 'http://127.0.0.1:9',
  })
  const withPayments = () => createApp({ db: database.db, clock, payments: stripe })
  const read = async (target: ReturnType<typeof createApp>, slug: string) => {
    const one = (await (await target.request(`/v1/resources/${slug}`)).json()) as { resource: PublicResource }
    const list = (await (await target.request('/v1/resources')).json()) as { resources: PublicResource[] }
    const availability = (await (
      await target.request(`/v1/resources/${slug}/availability?from=2026-03-24&to=2026-03-24`)
    ).json()) as AvailabilityResponse
    // The three places a resource is shown agree.
    expect(list.resources.find((r) => r.slug === slug)).toEqual(one.resource)
    expect(availability.resource).toEqual(one.resource)
    return one.resource
  }

  it('states the configured horizon, or the default one when none is configured', async () => {
    const configured = await insertResource(database.db, { config: { horizonDays: 30 } })
    const open = await insertResource(database.db)
    expect((await read(app, configured.slug)).horizonDays).toBe(30)
    expect((await read(app, open.slug)).horizonDays).toBe(DEFAULT_HORIZON_DAYS)
  })

  it.each([
    ['full payment', { payment: 'full', price: { amount: 2500, currency: 'EUR' } }],
    ['a deposit', { payment: 'deposit', price: { amount: 2500, currency: 'EUR' }, depositAmount: 500 }],
  ] satisfies [string, ResourceConfig][])(
    'offers a resource taking %s only where a payment provider is configured',
    async (_label, config) => {
      const row = await insertResource(database.db, { config })
      expect(await read(app, row.slug)).toMatchObject({ bookable: false, notBookableReason: 'payment_unavailable' })
      const paid = await read(withPayments(), row.slug)
      expect(paid.bookable).toBe(true)
      expect(paid).not.toHaveProperty('notBookableReason')
    },
  )

  it('offers free resources and priced ones paid on site without a payment provider', async () => {
    const free = await insertResource(database.db)
    const onSite = await insertResource(database.db, {
      config: { payment: 'none', price: { amount: 4000, currency: 'EUR' } },
    })
    for (const row of [free, onSite]) {
      const resource = await read(app, row.slug)
      expect(resource.bookable).toBe(true)
      expect(resource).not.toHaveProperty('notBookableReason')
    }
  })
})

describe('GET /v1/resources/:idOrSlug', () => {
  it('states the deposit of a resource that takes one, and the policy in its stored snake_case form', async () => {
    const row = await insertResource(database.db, {
      config: {
        price: { amount: 5000, currency: 'JPY' },
        payment: 'deposit',
        depositAmount: 1000,
        cancellationPolicy: { freeCancellationHours: 24 } as never,
      },
    })
    const { body } = await getJson<{ resource: PublicResource }>(`/v1/resources/${row.slug}`)
    expect(body.resource).toMatchObject({
      payment: 'deposit',
      price: { amount: 5000, currency: 'JPY' },
      deposit: { amount: 1000, currency: 'JPY' },
      cancellationPolicy: { free_cancellation_hours: 24 },
    })
  })

  it('finds a resource by slug and by id', async () => {
    const row = await insertResource(database.db)
    const bySlug = await getJson<{ resource: PublicResource }>(`/v1/resources/${row.slug}`)
    const byId = await getJson<{ resource: PublicResource }>(`/v1/resources/${row.id}`)
    expect(bySlug.status).toBe(200)
    expect(bySlug.body.resource.id).toBe(row.id)
    expect(byId.body).toEqual(bySlug.body)
  })

  it.each([
    ['an unknown slug', async () => 'no-such-room'],
    ['an unknown id', async () => '00000000-0000-4000-8000-000000000000'],
    ['an inactive resource', async () => (await insertResource(database.db, { isActive: false })).slug],
  ])('answers 404 not_found for %s', async (_label, target) => {
    const { status, body } = await getJson<ErrorBody>(`/v1/resources/${await target()}`)
    expect(status).toBe(404)
    expect(body.error.code).toBe('not_found')
    expect(body.error.message).toMatch(/resource/)
  })
})

describe('GET /v1/resources/:idOrSlug/availability', () => {
  it('returns every requested day with the free slots, minus bookings, in the resource zone by default', async () => {
    const row = await insertResource(database.db, {
      timezone: 'Europe/Berlin',
      schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
    })
    // 09:00–10:00 Berlin (CET, UTC+1) on the 24th is taken; a cancelled one changes nothing.
    await insertBooking(database.db, { resourceId: row.id, start: '2026-03-24T08:00:00Z', end: '2026-03-24T09:00:00Z' })
    await insertBooking(database.db, {
      resourceId: row.id,
      start: '2026-03-25T09:00:00Z',
      end: '2026-03-25T10:00:00Z',
      status: 'cancelled',
    })
    const { status, body, headers } = await getJson<AvailabilityResponse>(
      `/v1/resources/${row.slug}/availability?from=2026-03-24&to=2026-03-26`,
    )
    expect(status).toBe(200)
    // Browsers may keep it but must revalidate (ETag) before each use.
    expect(headers.get('cache-control')).toBe('private, no-cache')
    expect(body.timezone).toBe('Europe/Berlin')
    expect(body.resource).toMatchObject({ id: row.id, slug: row.slug })
    expect(body.days.map((d) => d.date)).toEqual(['2026-03-24', '2026-03-25', '2026-03-26'])
    expect(startsOf(body.days[0])).toEqual(['2026-03-24T09:00', '2026-03-24T10:00'])
    expect(startsOf(body.days[1])).toEqual(['2026-03-25T08:00', '2026-03-25T09:00', '2026-03-25T10:00'])
    expect(body.days[0]?.slots[0]).toEqual({ start: '2026-03-24T09:00:00.000Z', end: '2026-03-24T10:00:00.000Z' })
  })

  it('steps real minutes across the spring-forward night (Berlin 01:00–05:00 → 00:00Z, 01:00Z, 02:00Z)', async () => {
    const row = await insertResource(database.db, {
      schedules: [{ specificDate: '2026-03-29', startTime: '01:00', endTime: '05:00', slotDuration: 60 }],
    })
    const { body } = await getJson<AvailabilityResponse>(
      `/v1/resources/${row.slug}/availability?from=2026-03-29&to=2026-03-29`,
    )
    expect(startsOf(body.days[0])).toEqual(['2026-03-29T00:00', '2026-03-29T01:00', '2026-03-29T02:00'])
  })

  it('cuts days in the requested zone', async () => {
    const row = await insertResource(database.db, {
      timezone: 'Europe/Berlin',
      schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
    })
    // Kiritimati is UTC+14: its 24 March runs from 23 March 10:00Z to 24 March 10:00Z.
    const { status, body } = await getJson<AvailabilityResponse>(
      `/v1/resources/${row.slug}/availability?from=2026-03-24&to=2026-03-24&tz=Pacific/Kiritimati`,
    )
    expect(status).toBe(200)
    expect(body.timezone).toBe('Pacific/Kiritimati')
    expect(startsOf(body.days[0])).toEqual(['2026-03-23T10:00', '2026-03-24T08:00', '2026-03-24T09:00'])
  })

  it('offers undivided windows in the chosen duration', async () => {
    const row = await insertResource(database.db, {
      type: 'car',
      timezone: 'Europe/Lisbon',
      config: { durations: [120, 240] },
      schedules: everyDay({ startTime: '08:00', endTime: '12:00', slotDuration: null }),
    })
    const path = `/v1/resources/${row.slug}/availability?from=2026-03-24&to=2026-03-24`
    const byDefault = await getJson<AvailabilityResponse>(path)
    const long = await getJson<AvailabilityResponse>(`${path}&duration=240`)
    expect(byDefault.body.days[0]?.slots).toEqual([
      { start: '2026-03-24T08:00:00.000Z', end: '2026-03-24T10:00:00.000Z' },
      { start: '2026-03-24T10:00:00.000Z', end: '2026-03-24T12:00:00.000Z' },
    ])
    expect(long.body.days[0]?.slots).toEqual([{ start: '2026-03-24T08:00:00.000Z', end: '2026-03-24T12:00:00.000Z' }])
  })

  it('drops slots that have started or are inside the minimum notice', async () => {
    const row = await insertResource(database.db, {
      config: { minNoticeMin: 30 },
      schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
    })
    const local = createApp({ db: database.db, clock: fixedClock('2026-03-24T08:45:00Z') })
    const res = await local.request(`/v1/resources/${row.slug}/availability?from=2026-03-24&to=2026-03-24`)
    const body = (await res.json()) as AvailabilityResponse
    // 08:00Z started; 09:00Z is within 30 min of 08:45Z; 10:00Z is free.
    expect(startsOf(body.days[0])).toEqual(['2026-03-24T10:00'])
  })

  it('accepts a range of exactly 62 days', async () => {
    const row = await insertResource(database.db, { schedules: everyDay({ startTime: '09:00', endTime: '10:00' }) })
    const { status, body } = await getJson<AvailabilityResponse>(
      `/v1/resources/${row.slug}/availability?from=2026-04-01&to=2026-06-01`,
    )
    expect(status).toBe(200)
    expect(body.days).toHaveLength(62)
    expect(body.days.every((d) => d.slots.length === 1)).toBe(true)
  })

  it.each([
    ['a missing from', 'to=2026-04-01', 'from'],
    ['a malformed date', 'from=2026-4-1&to=2026-04-02', 'from'],
    ['an impossible date', 'from=2026-02-30&to=2026-03-02', 'from'],
    ['from after to', 'from=2026-04-03&to=2026-04-01', 'to'],
    ['a range over 62 days', 'from=2026-04-01&to=2026-06-02', 'to'],
    ['an unknown zone', 'from=2026-04-01&to=2026-04-02&tz=Mars/Olympus_Mons', 'tz'],
    ['a non-numeric duration', 'from=2026-04-01&to=2026-04-02&duration=long', 'duration'],
    ['a duration the resource does not offer', 'from=2026-04-01&to=2026-04-02&duration=45', 'duration'],
  ])('answers 400 invalid_request for %s', async (_label, query, path) => {
    const row = await insertResource(database.db, { schedules: everyDay({ startTime: '09:00', endTime: '10:00' }) })
    const { status, body } = await getJson<ErrorBody>(`/v1/resources/${row.slug}/availability?${query}`)
    expect(status).toBe(400)
    expect(body.error.code).toBe('invalid_request')
    expect(body.error.message).toBeTruthy()
    expect(body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]))
  })

  it('answers 404 for an unknown resource even with a valid query', async () => {
    const { status, body } = await getJson<ErrorBody>(
      '/v1/resources/nowhere/availability?from=2026-04-01&to=2026-04-01',
    )
    expect(status).toBe(404)
    expect(body.error.code).toBe('not_found')
  })
})

describe('availability ?format=compact and ETag', () => {
  const berlinNights = () =>
    insertResource(database.db, {
      timezone: 'Europe/Berlin',
      // Slots through the night, where the clocks change, and 90-minute ones beside 60-minute ones.
      schedules: [
        ...everyDay({ startTime: '00:00', endTime: '06:00', slotDuration: 60 }),
        ...everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 90 }),
      ],
    })

  it('decodes to exactly the default answer, across both Berlin changeovers and in another zone, in fewer bytes', async () => {
    const row = await berlinNights()
    await insertBooking(database.db, { resourceId: row.id, start: '2026-03-29T01:00:00Z', end: '2026-03-29T02:00:00Z' })
    for (const query of [
      'from=2026-03-27&to=2026-03-31',
      'from=2026-10-23&to=2026-10-27',
      'from=2026-10-24&to=2026-10-26&tz=America/New_York',
      'from=2026-04-01&to=2026-05-02',
    ]) {
      const path = `/v1/resources/${row.slug}/availability?${query}`
      const full = await app.request(path)
      const compact = await app.request(`${path}&format=compact`)
      expect([full.status, compact.status]).toEqual([200, 200])
      expect(compact.headers.get('content-type')).toMatch(/^application\/json/)
      const [fullText, compactText] = [await full.text(), await compact.text()]
      const body = JSON.parse(compactText) as CompactAvailabilityResponse
      expect(body.format).toBe('compact')
      expect(decodeAvailability(body)).toEqual(JSON.parse(fullText))
      expect(compactText.length * 3).toBeLessThan(fullText.length)
    }
    // format=default is the default shape.
    const asDefault = await getJson<AvailabilityResponse>(
      `/v1/resources/${row.slug}/availability?from=2026-03-29&to=2026-03-29&format=default`,
    )
    expect(asDefault.body.days[0]?.slots[0]).toEqual({
      start: '2026-03-28T23:00:00.000Z',
      end: '2026-03-29T00:00:00.000Z',
    })
  })

  it('sends a month of the demo meeting room in a fraction of the bytes (sizes printed)', async () => {
    await seedDemo(database.db)
    const path = '/v1/resources/meeting-room/availability?from=2026-04-01&to=2026-04-30'
    const [full, compact] = await Promise.all(
      [app.request(path), app.request(`${path}&format=compact`)].map(async (r) =>
        Buffer.from(await (await r).arrayBuffer()),
      ),
    )
    const sizes = (b: Buffer) => ({ raw: b.length, gzip: gzipSync(b).length, br: brotliCompressSync(b).length })
    const [f, k] = [sizes(full!), sizes(compact!)]
    console.log(
      `demo meeting-room, April 2026: default ${f.raw} B (gzip ${f.gzip}, br ${f.br}); compact ${k.raw} B (gzip ${k.gzip}, br ${k.br}); raw ÷${(f.raw / k.raw).toFixed(1)}, gzip ÷${(f.gzip / k.gzip).toFixed(1)}`,
    )
    expect(decodeAvailability(JSON.parse(compact!.toString()) as CompactAvailabilityResponse)).toEqual(
      JSON.parse(full!.toString()),
    )
    expect(k.raw * 5).toBeLessThan(f.raw)
    expect(k.gzip).toBeLessThan(f.gzip)
  })

  it('refuses an unknown format with invalid_request on `format`', async () => {
    const row = await berlinNights()
    const { status, body } = await getJson<ErrorBody>(
      `/v1/resources/${row.slug}/availability?from=2026-03-29&to=2026-03-29&format=tiny`,
    )
    expect(status).toBe(400)
    expect(body.error.code).toBe('invalid_request')
    expect(body.error.details).toEqual([expect.objectContaining({ path: 'format' })])
  })

  it('sends a strong ETag of the body and answers a matching If-None-Match with an empty 304', async () => {
    const row = await berlinNights()
    const path = `/v1/resources/${row.slug}/availability?from=2026-06-01&to=2026-06-30&format=compact`
    const first = await app.request(path)
    const etag = first.headers.get('etag')!
    expect(etag).toMatch(/^"[\w-]{16,}"$/)
    expect(first.headers.get('cache-control')).toBe('private, no-cache')
    // Same answer, same tag; the two formats differ.
    expect((await app.request(path)).headers.get('etag')).toBe(etag)
    expect((await app.request(path.replace('&format=compact', ''))).headers.get('etag')).not.toBe(etag)
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await app.request(path, { headers: { 'If-None-Match': ifNoneMatch } })
      expect(again.status).toBe(304)
      expect(again.headers.get('etag')).toBe(etag)
      expect(again.headers.get('cache-control')).toBe('private, no-cache')
      expect(await again.text()).toBe('')
    }
    expect((await app.request(path, { headers: { 'If-None-Match': '"other"' } })).status).toBe(200)
  })

  it('changes the ETag when availability changes, and per session: its own hold is in its answer', async () => {
    const row = await berlinNights()
    const backend = createTestHoldBackend(clock)
    const target = createApp({ db: database.db, clock, holds: backend.holds })
    const [holder, other] = [newSession(), newSession()]
    const path = `/v1/resources/${row.slug}/availability?from=2026-06-01&to=2026-06-02&format=compact`
    const read = (session: string, etag?: string) =>
      target.request(path, { headers: { 'X-Booking-Session': session, ...(etag ? { 'If-None-Match': etag } : {}) } })
    const before = (await read(other)).headers.get('etag')!
    expect((await read(holder)).headers.get('etag')).toBe(before)

    const hold = await target.request('/v1/holds', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Booking-Session': holder },
      body: JSON.stringify({ resourceId: row.id, start: '2026-06-01T07:00:00Z' }),
    })
    expect(hold.status).toBe(201)
    // The other session's old copy is stale now: a full answer without the held slot.
    const otherAfter = await read(other, before)
    expect(otherAfter.status).toBe(200)
    const otherBody = decodeAvailability((await otherAfter.json()) as CompactAvailabilityResponse)
    expect(otherBody.days[0]?.slots.map((s) => s.start)).not.toContain('2026-06-01T07:00:00.000Z')
    // The holder's answer carries its hold (and keeps the slot), so its tag differs from the other's.
    const holderAfter = await read(holder, before)
    expect(holderAfter.status).toBe(200)
    const holderEtag = holderAfter.headers.get('etag')!
    expect(((await holderAfter.json()) as CompactAvailabilityResponse).holds).toHaveLength(1)
    expect(new Set([before, otherAfter.headers.get('etag'), holderEtag]).size).toBe(3)
    expect((await read(holder, holderEtag)).status).toBe(304)
    expect((await read(other, holderEtag)).status).toBe(200)
  })
})

describe('GET /v1/resources/:idOrSlug/next-available', () => {
  type Next = NextAvailableResponse['nextAvailable']
  const next = async (slug: string, query: string, target = app, init?: RequestInit) => {
    const res = await target.request(`/v1/resources/${slug}/next-available?${query}`, init)
    return { status: res.status, headers: res.headers, body: (await res.json()) as { nextAvailable: Next } & ErrorBody }
  }

  /** A hold store that counts how often it is asked for live holds: one ask per step of the scan. */
  function countingHolds() {
    const store = createMemoryHoldStore(clock)
    const counter = { listLive: 0 }
    const holds: HoldStore = {
      ...store,
      listLive: (resourceId, from, to) => {
        counter.listLive++
        return store.listLive(resourceId, from, to)
      },
    }
    return { holds, counter }
  }

  it('skips a fully booked month: the answer is the first free slot of the next one', async () => {
    const row = await insertResource(database.db, {
      config: { horizonDays: 90 },
      schedules: everyDay({ startTime: '09:00', endTime: '10:00', slotDuration: 60 }),
    })
    // Every day of April is booked (09:00 Berlin is 07:00Z in summer time).
    for (let day = 1; day <= 30; day++) {
      const date = `2026-04-${String(day).padStart(2, '0')}`
      await insertBooking(database.db, { resourceId: row.id, start: `${date}T07:00:00Z`, end: `${date}T08:00:00Z` })
    }
    const { status, headers, body } = await next(row.slug, 'from=2026-04-01')
    expect(status).toBe(200)
    expect(headers.get('cache-control')).toBe('no-store')
    expect(body).toEqual({
      nextAvailable: { date: '2026-05-01', start: '2026-05-01T07:00:00.000Z', end: '2026-05-01T08:00:00.000Z' },
    })
  })

  it('looks past closed months without asking for bookings or holds there', async () => {
    const row = await insertResource(database.db, {
      config: { horizonDays: 365 },
      schedules: [{ specificDate: '2026-09-07', startTime: '10:00', endTime: '11:00', slotDuration: 60 }],
    })
    const { holds, counter } = countingHolds()
    const target = createApp({ db: database.db, clock, holds })
    const { body } = await next(row.slug, 'from=2026-03-20', target)
    expect(body.nextAvailable).toEqual({
      date: '2026-09-07',
      start: '2026-09-07T08:00:00.000Z',
      end: '2026-09-07T09:00:00.000Z',
    })
    // Five closed months cost nothing; only the 31 days around 7 September were looked up.
    expect(counter.listLive).toBe(1)
  })

  it('answers null when every slot within the horizon is booked or held by someone else, and the holder sees its own', async () => {
    // Now is 20 March 12:00Z; three days of horizon offer 21, 22 and 23 March at 09:00 Berlin (08:00Z).
    const row = await insertResource(database.db, {
      config: { horizonDays: 3 },
      schedules: everyDay({ startTime: '09:00', endTime: '10:00', slotDuration: 60 }),
    })
    await insertBooking(database.db, { resourceId: row.id, start: '2026-03-21T08:00:00Z', end: '2026-03-21T09:00:00Z' })
    await insertBooking(database.db, { resourceId: row.id, start: '2026-03-22T08:00:00Z', end: '2026-03-22T09:00:00Z' })
    const backend = createTestHoldBackend(clock)
    const target = createApp({ db: database.db, clock, holds: backend.holds })
    const holder = newSession()
    const hold = await target.request('/v1/holds', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Booking-Session': holder },
      body: JSON.stringify({ resourceId: row.id, start: '2026-03-23T08:00:00Z' }),
    })
    expect(hold.status).toBe(201)

    expect(
      (await next(row.slug, 'from=2026-03-20', target, { headers: { 'X-Booking-Session': newSession() } })).body,
    ).toEqual({ nextAvailable: null })
    expect(
      (await next(row.slug, 'from=2026-03-20', target, { headers: { 'X-Booking-Session': holder } })).body.nextAvailable
        ?.start,
    ).toBe('2026-03-23T08:00:00.000Z')
    // The 24th would be free, but it is past the horizon.
    expect((await next(row.slug, 'from=2026-03-24', target)).body).toEqual({ nextAvailable: null })
  })

  it('labels the day in the asked zone (default: the resource’s)', async () => {
    // 00:30 in Berlin on 25 March is 19:30 on the 24th in New York.
    const row = await insertResource(database.db, {
      timezone: 'Europe/Berlin',
      schedules: [{ specificDate: '2026-03-25', startTime: '00:30', endTime: '01:30', slotDuration: 60 }],
    })
    const slot = { start: '2026-03-24T23:30:00.000Z', end: '2026-03-25T00:30:00.000Z' }
    expect((await next(row.slug, 'from=2026-03-24')).body.nextAvailable).toEqual({ date: '2026-03-25', ...slot })
    expect((await next(row.slug, 'from=2026-03-24&tz=America/New_York')).body.nextAvailable).toEqual({
      date: '2026-03-24',
      ...slot,
    })
    // From the 25th in New York, the slot (on the 24th there) has gone by.
    expect((await next(row.slug, 'from=2026-03-25&tz=America/New_York')).body.nextAvailable).toBeNull()
  })

  it('finds a slot of the asked duration in undivided windows', async () => {
    const row = await insertResource(database.db, {
      type: 'car',
      timezone: 'Europe/Lisbon',
      config: { durations: [120, 240] },
      schedules: everyDay({ startTime: '08:00', endTime: '12:00', slotDuration: null }),
    })
    await insertBooking(database.db, { resourceId: row.id, start: '2026-03-24T08:00:00Z', end: '2026-03-24T10:00:00Z' })
    expect((await next(row.slug, 'from=2026-03-24')).body.nextAvailable).toEqual({
      date: '2026-03-24',
      start: '2026-03-24T10:00:00.000Z',
      end: '2026-03-24T12:00:00.000Z',
    })
    expect((await next(row.slug, 'from=2026-03-24&duration=240')).body.nextAvailable).toEqual({
      date: '2026-03-25',
      start: '2026-03-25T08:00:00.000Z',
      end: '2026-03-25T12:00:00.000Z',
    })
  })

  it('starts from today when asked about a day that has passed', async () => {
    const row = await insertResource(database.db, {
      schedules: everyDay({ startTime: '09:00', endTime: '10:00', slotDuration: 60 }),
    })
    expect((await next(row.slug, 'from=2020-01-01')).body.nextAvailable?.date).toBe('2026-03-21')
  })

  it.each([
    ['a missing from', 'tz=Europe/Berlin', 'from', 'required'],
    ['a malformed date', 'from=2026-4-1', 'from', 'invalid'],
    ['an impossible date', 'from=2026-02-30', 'from', 'invalid'],
    ['an unknown zone', 'from=2026-04-01&tz=Mars/Olympus_Mons', 'tz', 'invalid'],
    ['a non-numeric duration', 'from=2026-04-01&duration=long', 'duration', 'invalid'],
    ['a duration the resource does not offer', 'from=2026-04-01&duration=45', 'duration', 'invalid'],
  ])('answers 400 invalid_request for %s', async (_label, query, path, code) => {
    const row = await insertResource(database.db, { schedules: everyDay({ startTime: '09:00', endTime: '10:00' }) })
    const { status, body } = await next(row.slug, query)
    expect([status, body.error.code]).toEqual([400, 'invalid_request'])
    expect(body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path, code })]))
  })

  it('answers 404 not_found for an unknown resource', async () => {
    const { status, body } = await next('nowhere', 'from=2026-04-01')
    expect([status, body.error.code]).toEqual([404, 'not_found'])
  })
})

describe('cross-cutting behaviour', () => {
  it('allows cross-origin reads per ALLOWED_ORIGINS', async () => {
    const open = await app.request('/v1/resources', { headers: { Origin: 'https://shop.example' } })
    expect(open.headers.get('access-control-allow-origin')).toBe('*')

    const strict = createApp({ db: database.db, allowedOrigins: ['https://shop.example'] })
    const allowed = await strict.request('/v1/resources', { headers: { Origin: 'https://shop.example' } })
    const denied = await strict.request('/v1/resources', { headers: { Origin: 'https://evil.example' } })
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    expect(denied.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('answers unknown routes with a JSON 404', async () => {
    const { status, body } = await getJson<ErrorBody>('/v1/nothing-here')
    expect(status).toBe(404)
    expect(body.error.code).toBe('not_found')
  })

  it('turns an unexpected failure into 500 internal without leaking it, and logs it with the request id', async () => {
    const logged: Record<string, unknown>[] = []
    const broken = new Proxy({} as Database, {
      get() {
        throw new Error('connection string postgres://secret@db leaked?')
      },
    })
    const failing = createApp({
      db: broken,
      logger: { info() {}, error: (_m, fields) => void logged.push(fields ?? {}) },
    })
    const res = await failing.request('/v1/resources')
    const body = (await res.json()) as ErrorBody
    expect(res.status).toBe(500)
    expect(body.error.code).toBe('internal')
    expect(JSON.stringify(body)).not.toContain('secret')
    expect(logged).toHaveLength(1)
    expect(logged[0]?.requestId).toBe(res.headers.get('x-request-id'))
  })
})
