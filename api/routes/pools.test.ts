import { eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookableResources, bookings } from '../../drizzle/schema'
import type { ErrorBody } from '../../shared/errors'
import type { ResourceConfig } from '../../shared/schemas'
import type { PublicBooking, PublicHold, PoolAvailabilityResponse, PublicPool } from '../../shared/types'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertBooking, insertPool, insertResource, type PoolInput } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { createAvailabilityCache } from '../availability-cache'
import { fixedClock } from '../clock'

/*
 * Pools through the API (docs/capacity.md, "Pools"), against the configured database and
 * hold store: the union of the members' free times, the member each strategy picks, party
 * sizes, and a crowd racing for the last free members.
 */

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase({ maxConnections: 40 })
})
afterAll(async () => {
  await database?.close()
})

const NOW = '2026-03-20T12:00:00Z'
const DAY = '2026-03-24'
// Berlin is UTC+1 until 29 March: 09:00 local is 08:00Z.
const at = (hourZ: number) => `${DAY}T${String(hourZ).padStart(2, '0')}:00:00.000Z`
const guest = { name: 'Ada Lovelace', email: 'ada@example.com' }

/** `cached`: with the availability cache, as servers run with Redis (a pool still reads its members' bookings in one query). */
function setup(options: { cached?: boolean } = {}) {
  const clock = fixedClock(NOW)
  const backend = createTestHoldBackend(clock)
  return createTestApi({
    db: database.db,
    clock,
    holds: backend.holds,
    limits: { holdsPerSession: 2 },
    ...(options.cached ? { availability: { versions: backend.versions, cache: createAvailabilityCache() } } : {}),
  })
}
type Api = ReturnType<typeof setup>

const member = (name: string, config: ResourceConfig = {}, window = { startTime: '09:00', endTime: '12:00' }) =>
  insertResource(database.db, { name, config, schedules: everyDay({ ...window, slotDuration: 60 }) })

async function poolOf(members: { id: string }[], input: Omit<PoolInput, 'members'> = {}) {
  return insertPool(database.db, { ...input, members: members.map((m) => m.id) })
}

type HoldResult = { hold: PublicHold } & ErrorBody

function poolHold(api: Api, pool: { slug: string }, body: Record<string, unknown>, session = newSession()) {
  return api.call<HoldResult>('POST', `/v1/pools/${pool.slug}/holds`, { session, body })
}

function availability(api: Api, pool: { slug: string }, query = '', session?: string) {
  return api.call<PoolAvailabilityResponse & ErrorBody>(
    'GET',
    `/v1/pools/${pool.slug}/availability?from=${DAY}&to=${DAY}${query}`,
    session ? { session } : {},
  )
}

const slotsOf = (body: PoolAvailabilityResponse) =>
  body.days.flatMap((d) => d.slots.map((s) => [s.start.slice(11, 16), s.membersFree]))

describe('GET /v1/pools/:idOrSlug', () => {
  it('shows the pool with its first member’s public view, and its members only when guests may choose', async () => {
    const api = setup()
    const a = await member('Anna', { price: { amount: 6000, currency: 'EUR' } })
    const b = await member('Ben')
    const closed = await poolOf([a, b], { name: 'Physios' })
    const open = await poolOf([b, a], { memberChoice: true })
    const one = await api.call<{ pool: PublicPool }>('GET', `/v1/pools/${closed.slug}`)
    expect(one.status).toBe(200)
    expect(one.body.pool).toMatchObject({ id: closed.id, slug: closed.slug, name: 'Physios', memberChoice: false })
    expect(one.body.pool.resource).toMatchObject({ id: a.id, price: { amount: 6000, currency: 'EUR' } })
    expect(one.body.pool).not.toHaveProperty('members')
    expect(one.body.pool).not.toHaveProperty('minParty')
    const byId = await api.call<{ pool: PublicPool }>('GET', `/v1/pools/${open.id}`)
    expect(byId.body.pool.resource.id).toBe(b.id)
    expect(byId.body.pool.members).toEqual([
      { id: b.id, slug: b.slug, name: 'Ben' },
      { id: a.id, slug: a.slug, name: 'Anna' },
    ])
  })

  it('spans the party sizes its tables seat', async () => {
    const api = setup()
    const two = await member('T2', { maxParty: 2 })
    const eight = await member('T8', { minParty: 4, maxParty: 8 })
    const pool = await poolOf([eight, two], { type: 'table', strategy: 'smallest_fit', memberChoice: true })
    const { body } = await api.call<{ pool: PublicPool }>('GET', `/v1/pools/${pool.slug}`)
    expect(body.pool).toMatchObject({ minParty: 1, maxParty: 8 })
    expect(body.pool.members?.[0]).toMatchObject({ name: 'T8', minParty: 4, maxParty: 8 })
  })

  it('answers 404 for an unknown or inactive pool, and for one with no active member', async () => {
    const api = setup()
    const a = await member('A')
    const inactive = await poolOf([a], { isActive: false })
    const empty = await poolOf([])
    for (const slug of ['no-such-pool', inactive.slug, empty.slug]) {
      const res = await api.call<ErrorBody>('GET', `/v1/pools/${slug}`)
      expect([res.status, res.body.error.code]).toEqual([404, 'not_found'])
    }
  })
})

describe('GET /v1/pools/:idOrSlug/availability', () => {
  it.each([
    ['read in one query', false],
    ['read in one query beside the availability cache', true],
  ])(
    'is the union of the members’ free slots, each saying how many members are free then (bookings %s)',
    async (_, cached) => {
      const api = setup({ cached })
      const a = await member('A')
      const b = await member('B')
      const c = await member('C', {}, { startTime: '10:00', endTime: '13:00' })
      const pool = await poolOf([a, b, c])
      await insertBooking(database.db, { resourceId: a.id, start: at(8), end: at(9) })
      const other = newSession()
      expect(
        (await api.call('POST', '/v1/holds', { session: other, body: { resourceId: b.id, start: at(9) } })).status,
      ).toBe(201)
      const mine = newSession()
      const held = await api.call<HoldResult>('POST', '/v1/holds', {
        session: mine,
        body: { resourceId: c.id, start: at(10) },
      })

      const res = await availability(api, pool, '', mine)
      expect(res.status, res.text).toBe(200)
      expect(res.body.timezone).toBe('Europe/Berlin')
      expect(res.body.pool.id).toBe(pool.id)
      // 08Z: A booked, C closed. 09Z: B held by another session. 10Z: this session's own hold is no gap.
      expect(slotsOf(res.body)).toEqual([
        ['08:00', 1],
        ['09:00', 2],
        ['10:00', 3],
        ['11:00', 1],
      ])
      expect(res.body.holds?.map((h) => h.id)).toEqual([held.body.hold.id])

      const compact = await availability(api, pool, '&format=compact', mine)
      const day = (compact.body as unknown as { days: { starts: number[]; membersFree: number[] }[] }).days[0]!
      expect(day.starts).toEqual([480, 540, 600, 660])
      expect(day.membersFree).toEqual([1, 2, 3, 1])

      const etag = res.headers.get('ETag')!
      const again = await api.app.request(`/v1/pools/${pool.slug}/availability?from=${DAY}&to=${DAY}`, {
        headers: { 'If-None-Match': etag, 'X-Booking-Session': mine },
      })
      expect(again.status).toBe(304)
    },
  )

  it('narrows to one member when the pool lets guests choose', async () => {
    const api = setup()
    const a = await member('A')
    const c = await member('C', {}, { startTime: '11:00', endTime: '13:00' })
    const stranger = await member('Stranger')
    const pool = await poolOf([a, c], { memberChoice: true })
    const res = await availability(api, pool, `&member=${c.slug}`)
    expect(slotsOf(res.body)).toEqual([
      ['10:00', 1],
      ['11:00', 1],
    ])
    const missing = await availability(api, pool, `&member=${stranger.id}`)
    expect([missing.status, missing.body.error.code]).toEqual([404, 'not_found'])
    const assigning = await poolOf([a, c])
    const refused = await availability(api, assigning, `&member=${c.slug}`)
    expect([refused.status, refused.body.error.code]).toEqual([400, 'invalid_request'])
    expect(refused.body.error.details).toEqual([expect.objectContaining({ path: 'member' })])
  })

  it('offers only the tables that seat the party, and refuses a party no table seats', async () => {
    const api = setup()
    const two = await member('T2', { maxParty: 2 })
    const four = await member('T4', { minParty: 2, maxParty: 4 })
    const eight = await member('T8', { minParty: 4, maxParty: 8 }, { startTime: '10:00', endTime: '12:00' })
    const pool = await poolOf([two, four, eight], { strategy: 'smallest_fit' })
    expect(slotsOf((await availability(api, pool, '&partySize=2')).body)).toEqual([
      ['08:00', 2],
      ['09:00', 2],
      ['10:00', 2],
    ])
    expect(slotsOf((await availability(api, pool, '&partySize=4')).body)).toEqual([
      ['08:00', 1],
      ['09:00', 2],
      ['10:00', 2],
    ])
    for (const size of ['9', '0', 'two']) {
      const res = await availability(api, pool, `&partySize=${size}`)
      expect([res.status, res.body.error.code], size).toEqual([400, 'invalid_request'])
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'partySize' })])
    }
  })
})

describe('GET /v1/pools/:idOrSlug/next-available', () => {
  type Next = { nextAvailable: { date: string; start: string; end: string } | null } & ErrorBody
  const next = (api: Api, pool: { slug: string }, query: string) =>
    api.call<Next>('GET', `/v1/pools/${pool.slug}/next-available?${query}`)
  /** Booked from the start of the test's today to `until`: every slot in between is taken. */
  const bookedUntil = (resource: { id: string }, until: string) =>
    insertBooking(database.db, { resourceId: resource.id, start: '2026-03-20T00:00:00Z', end: until })

  it.each([
    ['read in one query', false],
    ['read in one query beside the availability cache', true],
  ])('finds the first time any member is free after a fully booked stretch (bookings %s)', async (_, cached) => {
    const api = setup({ cached })
    const a = await member('A')
    const b = await member('B')
    const pool = await poolOf([a, b])
    await bookedUntil(a, '2026-03-26T00:00:00Z')
    // B's first slot of the 25th (09:00 in Berlin) is booked too: its second is the first free time.
    await bookedUntil(b, '2026-03-25T09:00:00Z')
    const res = await next(api, pool, 'from=2026-03-20')
    expect(res.status, res.text).toBe(200)
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    expect(res.body).toEqual({
      nextAvailable: { date: '2026-03-25', start: '2026-03-25T09:00:00.000Z', end: '2026-03-25T10:00:00.000Z' },
    })
    expect((await next(api, pool, 'from=2026-03-26')).body.nextAvailable).toEqual({
      date: '2026-03-26',
      start: '2026-03-26T08:00:00.000Z',
      end: '2026-03-26T09:00:00.000Z',
    })
    // Days are cut in the asked zone: 09:00Z is 05:00 in New York.
    expect((await next(api, pool, 'from=2026-03-20&tz=America/New_York')).body.nextAvailable?.date).toBe('2026-03-25')
  })

  it('asks only the member chosen, and only the tables that seat the party', async () => {
    const api = setup()
    const a = await member('A')
    const b = await member('B')
    const stranger = await member('Stranger')
    const choosing = await poolOf([a, b], { memberChoice: true })
    await bookedUntil(a, '2026-03-27T00:00:00Z')
    await bookedUntil(b, '2026-03-23T00:00:00Z')
    expect((await next(api, choosing, 'from=2026-03-20')).body.nextAvailable?.date).toBe('2026-03-23')
    expect((await next(api, choosing, `from=2026-03-20&member=${a.slug}`)).body.nextAvailable).toEqual({
      date: '2026-03-27',
      start: '2026-03-27T08:00:00.000Z',
      end: '2026-03-27T09:00:00.000Z',
    })
    const missing = await next(api, choosing, `from=2026-03-20&member=${stranger.id}`)
    expect([missing.status, missing.body.error.code]).toEqual([404, 'not_found'])
    const refused = await next(api, await poolOf([a, b]), `from=2026-03-20&member=${a.slug}`)
    expect([refused.status, refused.body.error.code]).toEqual([400, 'invalid_request'])
    expect(refused.body.error.details).toEqual([expect.objectContaining({ path: 'member' })])

    const two = await member('T2', { maxParty: 2 })
    const six = await member('T6', { minParty: 3, maxParty: 6 })
    const tables = await poolOf([two, six], { type: 'table', strategy: 'smallest_fit' })
    await bookedUntil(six, '2026-03-28T00:00:00Z')
    expect((await next(api, tables, 'from=2026-03-20&partySize=2')).body.nextAvailable?.date).toBe('2026-03-21')
    expect((await next(api, tables, 'from=2026-03-20&partySize=4')).body.nextAvailable?.date).toBe('2026-03-28')
    for (const size of ['7', '0', 'two']) {
      const res = await next(api, tables, `from=2026-03-20&partySize=${size}`)
      expect([res.status, res.body.error.code], size).toEqual([400, 'invalid_request'])
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'partySize' })])
    }
  })

  it('answers null when nobody is free within the horizon, searching as far as the furthest member’s', async () => {
    const api = setup()
    const near = await member('Near', { horizonDays: 5 })
    const far = await member('Far', { horizonDays: 20 })
    await bookedUntil(near, '2026-04-05T00:00:00Z')
    await bookedUntil(far, '2026-04-05T00:00:00Z')
    expect((await next(api, await poolOf([near]), 'from=2026-03-20')).body).toEqual({ nextAvailable: null })
    // Berlin is UTC+2 from 29 March: 09:00 local is 07:00Z.
    expect((await next(api, await poolOf([near, far]), 'from=2026-03-20')).body.nextAvailable).toEqual({
      date: '2026-04-05',
      start: '2026-04-05T07:00:00.000Z',
      end: '2026-04-05T08:00:00.000Z',
    })
    expect((await next(api, await poolOf([near, far]), 'from=2026-04-10')).body).toEqual({ nextAvailable: null })
  })

  it('refuses a bad query with 400 naming the field, and an unknown pool with 404', async () => {
    const api = setup()
    const a = await member('A')
    const pool = await poolOf([a])
    for (const [query, path] of [
      ['', 'from'],
      ['from=2026-02-30', 'from'],
      ['from=2026-03-20&tz=Mars/Olympus', 'tz'],
      ['from=2026-03-20&duration=45', 'duration'],
      ['from=2026-03-20&seats=0', 'seats'],
    ]) {
      const res = await next(api, pool, query!)
      expect([res.status, res.body.error?.code], query).toEqual([400, 'invalid_request'])
      expect(res.body.error.details, query).toEqual([expect.objectContaining({ path })])
    }
    const missing = await next(api, { slug: 'no-such-pool' }, 'from=2026-03-20')
    expect([missing.status, missing.body.error.code]).toEqual([404, 'not_found'])
  })
})

describe('POST /v1/pools/:idOrSlug/holds', () => {
  it('smallest_fit: seats a party at the smallest free table that fits, then the next', async () => {
    const api = setup()
    const eight = await member('T8', { minParty: 2, maxParty: 8 })
    const open = await member('Long table', { minParty: 1 })
    const four = await member('T4', { minParty: 2, maxParty: 4 })
    const two = await member('T2', { maxParty: 2 })
    const pool = await poolOf([open, eight, four, two], { strategy: 'smallest_fit', type: 'table' })
    const picks: string[] = []
    for (let i = 0; i < 4; i++) {
      const res = await poolHold(api, pool, { start: at(9), partySize: 2 })
      expect(res.status, res.text).toBe(201)
      expect(res.body.hold).toMatchObject({ poolId: pool.id, partySize: 2 })
      picks.push(res.body.hold.resourceId)
    }
    expect(picks).toEqual([two.id, four.id, eight.id, open.id])
    const full = await poolHold(api, pool, { start: at(9), partySize: 2 })
    expect([full.status, full.body.error.code]).toEqual([409, 'slot_held'])
    // A party of 5 never gets the table for 4, even when it is the free one.
    const five = await poolHold(api, pool, { start: at(10), partySize: 5 })
    expect(five.body.hold.resourceId).toBe(eight.id)
  })

  it('refuses a party size no table seats, or one out of range, with 400', async () => {
    const api = setup()
    const two = await member('T2', { maxParty: 2 })
    const four = await member('T4', { minParty: 3, maxParty: 4 })
    const pool = await poolOf([two, four], { strategy: 'smallest_fit', memberChoice: true })
    for (const partySize of [5, 0, 1.5, 'two']) {
      const res = await poolHold(api, pool, { start: at(9), partySize })
      expect([res.status, res.body.error.code], String(partySize)).toEqual([400, 'invalid_request'])
    }
    // The chosen table does not seat the party: 400 too, not another table.
    const chosen = await poolHold(api, pool, { start: at(9), partySize: 2, memberId: four.id })
    expect([chosen.status, chosen.body.error.code]).toEqual([400, 'invalid_request'])
  })

  it('ordered: the first free member in position order', async () => {
    const api = setup()
    const [a, b, c] = [await member('A'), await member('B'), await member('C')]
    const pool = await poolOf([c, a, b], { strategy: 'ordered' })
    await insertBooking(database.db, { resourceId: c.id, start: at(9), end: at(10) })
    expect((await poolHold(api, pool, { start: at(8) })).body.hold.resourceId).toBe(c.id)
    expect((await poolHold(api, pool, { start: at(9) })).body.hold.resourceId).toBe(a.id)
    expect((await poolHold(api, pool, { start: at(9) })).body.hold.resourceId).toBe(b.id)
  })

  it('weighted: the heaviest free member first', async () => {
    const api = setup()
    const [a, b, c] = [await member('A'), await member('B'), await member('C')]
    const pool = await insertPool(database.db, {
      strategy: 'weighted',
      members: [
        { resourceId: a.id, weight: 1 },
        { resourceId: b.id, weight: 5 },
        { resourceId: c.id, weight: 3 },
      ],
    })
    const picks = []
    for (let i = 0; i < 3; i++) picks.push((await poolHold(api, pool, { start: at(9) })).body.hold.resourceId)
    expect(picks).toEqual([b.id, c.id, a.id])
  })

  it('round_robin: fewest bookings that day, then that week', async () => {
    const api = setup()
    const [a, b, c, d] = [await member('A'), await member('B'), await member('C'), await member('D')]
    const pool = await poolOf([a, b, c, d], { strategy: 'round_robin' })
    // Tuesday 24 March; the week runs Monday 23 to Sunday 29 in Berlin.
    await insertBooking(database.db, { resourceId: a.id, start: at(10), end: at(11) })
    await insertBooking(database.db, { resourceId: b.id, start: '2026-03-23T09:00:00Z', end: '2026-03-23T10:00:00Z' })
    await insertBooking(database.db, { resourceId: b.id, start: '2026-03-25T09:00:00Z', end: '2026-03-25T10:00:00Z' })
    await insertBooking(database.db, { resourceId: c.id, start: '2026-03-29T09:00:00Z', end: '2026-03-29T10:00:00Z' })
    await insertBooking(database.db, { resourceId: d.id, start: '2026-03-22T09:00:00Z', end: '2026-03-22T10:00:00Z' })
    await insertBooking(database.db, { resourceId: d.id, start: '2026-03-30T09:00:00Z', end: '2026-03-30T10:00:00Z' })
    await insertBooking(database.db, {
      resourceId: d.id,
      start: at(11),
      end: '2026-03-24T12:00:00Z',
      status: 'cancelled',
    })
    // Day: A 1, B 0, C 0, D 0 (cancelled ones do not count). Week: B 2, C 1, D 0 (its others fall outside).
    expect((await poolHold(api, pool, { start: at(8) })).body.hold.resourceId).toBe(d.id)
    await insertBooking(database.db, { resourceId: d.id, start: at(9), end: at(10) })
    expect((await poolHold(api, pool, { start: at(8) })).body.hold.resourceId).toBe(c.id)
  })

  it('takes the member the guest chose, when the pool allows it', async () => {
    const api = setup()
    const [a, b] = [await member('A'), await member('B')]
    const stranger = await member('Stranger')
    const choosing = await poolOf([a, b], { memberChoice: true })
    const assigning = await poolOf([a, b])
    const chosen = await poolHold(api, choosing, { start: at(9), memberId: b.slug })
    expect(chosen.status).toBe(201)
    expect(chosen.body.hold).toMatchObject({ resourceId: b.id, poolId: choosing.id })
    const refused = await poolHold(api, assigning, { start: at(9), memberId: b.id })
    expect([refused.status, refused.body.error.code]).toEqual([400, 'invalid_request'])
    const outsider = await poolHold(api, choosing, { start: at(9), memberId: stranger.id })
    expect([outsider.status, outsider.body.error.code]).toEqual([404, 'not_found'])
    // The chosen member is held by someone else: no one else is taken instead.
    const taken = await poolHold(api, choosing, { start: at(9), memberId: b.id })
    expect([taken.status, taken.body.error.code]).toEqual([409, 'slot_held'])
  })

  it('answers slot_taken when every member is booked, 422 for a time nobody offers, and needs a session', async () => {
    const api = setup()
    const [a, b] = [await member('A'), await member('B')]
    const pool = await poolOf([a, b])
    for (const r of [a, b]) await insertBooking(database.db, { resourceId: r.id, start: at(9), end: at(10) })
    const taken = await poolHold(api, pool, { start: at(9) })
    expect([taken.status, taken.body.error.code]).toEqual([409, 'slot_taken'])
    const closed = await poolHold(api, pool, { start: at(18) })
    expect([closed.status, closed.body.error.code]).toEqual([422, 'outside_availability'])
    const anonymous = await api.call<ErrorBody>('POST', `/v1/pools/${pool.slug}/holds`, { body: { start: at(8) } })
    expect([anonymous.status, anonymous.body.error.code]).toEqual([400, 'invalid_request'])
  })

  it('books through the hold: the booking keeps the pool and the party size', async () => {
    const api = setup()
    const four = await member('T4', { minParty: 2, maxParty: 4 })
    const pool = await poolOf([four], { strategy: 'smallest_fit' })
    const session = newSession()
    const held = await poolHold(api, pool, { start: at(9), partySize: 3 }, session)
    expect(held.status, held.text).toBe(201)
    const booked = await api.call<{ booking: PublicBooking; manageToken: string } & ErrorBody>('POST', '/v1/bookings', {
      session,
      body: { holdId: held.body.hold.id, guest },
    })
    expect(booked.status, booked.text).toBe(201)
    expect(booked.body.booking).toMatchObject({ resourceId: four.id, poolId: pool.id, partySize: 3 })
    const [row] = await database.db.select().from(bookings).where(eq(bookings.ref, booked.body.booking.ref))
    expect(row).toMatchObject({ resourceId: four.id, poolId: pool.id, partySize: 3 })
    const manage = await api.call<{ booking: PublicBooking }>('GET', `/v1/bookings/${booked.body.booking.ref}`, {
      token: booked.body.manageToken,
    })
    expect(manage.body.booking).toMatchObject({ poolId: pool.id, partySize: 3 })
  })

  it('refuses the booking with 400, not 500, when the table stopped seating the party after the hold', async () => {
    const api = setup()
    const four = await member('T4', { maxParty: 4 })
    const pool = await poolOf([four], { strategy: 'smallest_fit' })
    const session = newSession()
    const held = await poolHold(api, pool, { start: at(9), partySize: 4 }, session)
    expect(held.status, held.text).toBe(201)
    await database.db
      .update(bookableResources)
      .set({ config: { maxParty: 2 } })
      .where(eq(bookableResources.id, four.id))
    const booked = await api.call<ErrorBody>('POST', '/v1/bookings', {
      session,
      body: { holdId: held.body.hold.id, guest },
    })
    expect([booked.status, booked.body.error.code]).toEqual([400, 'invalid_request'])
    expect(await database.db.select().from(bookings).where(eq(bookings.resourceId, four.id))).toEqual([])
  })
})

describe('a crowd on a pool', () => {
  it('50 guests for the last 3 free members: 3 holds on 3 members, 47 × 409; then 3 bookings on 3 members', async () => {
    const api = setup()
    const members = []
    for (let i = 0; i < 5; i++) members.push(await member(`P${i}`))
    const pool = await poolOf(members, { strategy: 'ordered' })
    for (const booked of [members[0]!, members[3]!]) {
      await insertBooking(database.db, { resourceId: booked.id, start: at(9), end: at(10) })
    }
    const sessions = Array.from({ length: 50 }, () => newSession())
    const results = await Promise.all(sessions.map((session) => poolHold(api, pool, { start: at(9) }, session)))
    const tally: Record<string, number> = {}
    for (const r of results) {
      const key = r.status === 201 ? '201' : `${r.status} ${r.body.error?.code}`
      tally[key] = (tally[key] ?? 0) + 1
    }
    expect(tally).toEqual({ '201': 3, '409 slot_held': 47 })
    const winners = results.flatMap((r, i) => (r.status === 201 ? [{ session: sessions[i]!, hold: r.body.hold }] : []))
    expect(new Set(winners.map((w) => w.hold.resourceId))).toEqual(
      new Set([members[1]!.id, members[2]!.id, members[4]!.id]),
    )

    const booked = await Promise.all(
      winners.map((w) =>
        api.call<{ booking: PublicBooking }>('POST', '/v1/bookings', {
          session: w.session,
          body: { holdId: w.hold.id, guest },
        }),
      ),
    )
    expect(booked.map((b) => b.status)).toEqual([201, 201, 201])
    const rows = await database.db
      .select({ resourceId: bookings.resourceId, poolId: bookings.poolId })
      .from(bookings)
      .where(
        inArray(
          bookings.ref,
          booked.map((b) => b.body.booking.ref),
        ),
      )
    expect(rows).toHaveLength(3)
    expect(new Set(rows.map((r) => r.resourceId)).size).toBe(3)
    expect(rows.every((r) => r.poolId === pool.id)).toBe(true)
    const after = await poolHold(api, pool, { start: at(9) })
    expect([after.status, after.body.error.code]).toEqual([409, 'slot_taken'])
  })
})
