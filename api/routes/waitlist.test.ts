import { and, eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bookings,
  resourceSchedules,
  waitlistEntries,
  waitlistMessages,
  waitlistOffers,
  webhookDeliveries,
  webhookEndpoints,
} from '../../drizzle/schema'
import type {
  AdminWaitlistResponse,
  CreatedBooking,
  JoinedWaitlist,
  WaitlistEntryResponse,
} from '../../shared/api-contract'
import type { ErrorBody } from '../../shared/errors'
import type { ResourceConfig } from '../../shared/schemas'
import type { AvailabilityResponse } from '../../shared/types'
import { createAdminKey } from '../admin/keys'
import { fixedClock } from '../clock'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertBooking, insertResource } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { createLogger } from '../logger'
import { runWaitlistOffers } from '../waitlist/offer-times'
import { processWaitlistMessages } from '../waitlist/send-waitlist-messages'
import { expireUnpaidBookings } from '../bookings/lifecycle'
import { createStripeGateway } from '../payments/stripe-gateway'
import { FAKE_WEBHOOK_SECRET, startFakeStripe, type FakeStripe } from '../../test/fake-stripe'

/*
 * The waitlist through the HTTP API and the offer worker, on whichever database and hold
 * store the suite runs with (PostgreSQL and Redis in CI): offers under holds, passed down
 * the queue through lapses and declines with a fixed clock, and exactly once under real
 * concurrency.
 */

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.close()
})

const NOW = '2026-03-01T12:00:00Z'
const DAY = '2026-03-10'
/** The day's three hourly slots, Berlin 09:00, 10:00 and 11:00 (UTC+1 in March). */
const SLOTS = ['08:00', '09:00', '10:00'].map((t) => ({
  start: `${DAY}T${t}:00.000Z`,
  end: new Date(Date.parse(`${DAY}T${t}:00Z`) + 3_600_000).toISOString(),
}))
const MIN = 60_000
const logger = createLogger('error')

function setup(now = NOW) {
  const clock = fixedClock(now)
  const { holds } = createTestHoldBackend(clock)
  const api = createTestApi({ db: database.db, clock, holds })
  // Scoped to one resource: other tests' waiters share this database.
  const run = (resourceId: string, at = clock) =>
    runWaitlistOffers({ db: database.db, clock: at, holds, logger }, { resourceId })
  return { clock, holds, run, ...api }
}
type Api = ReturnType<typeof setup>

/** Open 09:00–12:00 Berlin every day, hourly; every slot of DAY booked unless `free` says otherwise. */
async function fullDay(config: ResourceConfig = {}, free: number[] = []) {
  const r = await insertResource(database.db, {
    timezone: 'Europe/Berlin',
    config,
    schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
  })
  const booked = []
  for (const [i, slot] of SLOTS.entries())
    if (!free.includes(i)) booked.push(await insertBooking(database.db, { resourceId: r.id, ...slot }))
  return { r, booked }
}

let guests = 0
async function join(api: Api, resourceId: string, body: Record<string, unknown> = {}) {
  const n = ++guests
  return api.call<JoinedWaitlist & ErrorBody>('POST', '/v1/waitlist', {
    body: { resourceId, date: DAY, guest: { name: `Guest ${n}`, email: `guest${n}@example.com` }, ...body },
  })
}

async function offersOf(resourceId: string) {
  return database.db.select().from(waitlistOffers).where(eq(waitlistOffers.resourceId, resourceId))
}
async function openOffers(resourceId: string) {
  return (await offersOf(resourceId)).filter((o) => o.status === 'open')
}

async function adminCancel(api: Api, key: string, bookingId: string) {
  const res = await api.call('POST', `/v1/admin/bookings/${bookingId}/cancel`, { token: key, body: {} })
  expect(res.status).toBe(200)
}

async function freeStarts(api: Api, resourceId: string) {
  const res = await api.call<AvailabilityResponse>(
    'GET',
    `/v1/resources/${resourceId}/availability?from=${DAY}&to=${DAY}&tz=UTC`,
  )
  expect(res.status).toBe(200)
  return res.body.days.flatMap((d) => d.slots.map((s) => s.start))
}

describe('joining', () => {
  it('answers 201 with the entry, its place in line and a token, and writes the joined email', async () => {
    const api = setup()
    const { r } = await fullDay()
    const first = await join(api, r.id)
    const second = await join(api, r.id, { kind: 'range', start: SLOTS[1]!.start, end: SLOTS[2]!.end, date: undefined })
    expect(first.status).toBe(201)
    expect(first.body.entry).toMatchObject({ kind: 'day', status: 'waiting', position: 1, offer: null })
    expect(second.body.entry).toMatchObject({ kind: 'range', position: 2, windowStart: SLOTS[1]!.start })
    expect(first.body.token.length).toBeGreaterThan(30)
    const got = await api.call<WaitlistEntryResponse>('GET', `/v1/waitlist/${first.body.entry.ref}`, {
      token: first.body.token,
    })
    expect(got.body.entry.ref).toBe(first.body.entry.ref)
    const messages = await database.db
      .select()
      .from(waitlistMessages)
      .innerJoin(waitlistEntries, eq(waitlistEntries.id, waitlistMessages.entryId))
      .where(eq(waitlistEntries.resourceId, r.id))
    expect(messages.map((m) => [m.waitlist_messages.event, m.waitlist_messages.channel])).toEqual([
      ['joined', 'email'],
      ['joined', 'email'],
    ])
  })

  it('refuses clearly: unknown resource, no waitlist, bad input, a past day, the same guest twice, a wrong token', async () => {
    const api = setup()
    const { r } = await fullDay()
    const { r: closed } = await fullDay({ waitlist: false })
    const code = (res: { status: number; body: ErrorBody }) => [res.status, res.body.error.code]
    expect(code(await join(api, 'no-such-resource'))).toEqual([404, 'not_found'])
    expect(code(await join(api, closed.id))).toEqual([422, 'waitlist_closed'])
    expect(code(await join(api, r.id, { date: undefined }))).toEqual([400, 'invalid_request'])
    expect(code(await join(api, r.id, { guest: { name: 'A', email: 'not-an-email' } }))).toEqual([
      400,
      'invalid_request',
    ])
    expect(code(await join(api, r.id, { date: '2026-02-20' }))).toEqual([422, 'outside_availability'])
    const body = { resourceId: r.id, date: DAY, guest: { name: 'Twice', email: 'twice@example.com' } }
    expect((await api.call('POST', '/v1/waitlist', { body })).status).toBe(201)
    const again = await api.call<ErrorBody>('POST', '/v1/waitlist', {
      body: { ...body, guest: { ...body.guest, email: 'TWICE@example.com' } },
    })
    expect(code(again)).toEqual([409, 'already_waiting'])
    const entry = (await join(api, r.id)).body.entry
    const wrong = await api.call<ErrorBody>('GET', `/v1/waitlist/${entry.ref}`, { token: 'x'.repeat(43) })
    expect(code(wrong)).toEqual([404, 'not_found'])
  })

  it('availability marks a fully booked day `full`, which a closed day never is', async () => {
    const api = setup()
    const { r } = await fullDay()
    await database.db.insert(resourceSchedules).values({
      resourceId: r.id,
      specificDate: '2026-03-11',
      startTime: '00:00',
      endTime: '24:00',
      isAvailable: false,
    })
    for (const format of ['', '&format=compact']) {
      const res = await api.call<AvailabilityResponse>(
        'GET',
        `/v1/resources/${r.id}/availability?from=${DAY}&to=2026-03-12&tz=Europe/Berlin${format}`,
      )
      expect(res.body.days.map((d) => [d.date, d.full ?? false])).toEqual([
        [DAY, true],
        ['2026-03-11', false],
        ['2026-03-12', false],
      ])
    }
  })

  it('offers a time that is free already at once', async () => {
    const api = setup()
    const { r } = await fullDay({}, [2])
    const res = await join(api, r.id)
    expect(res.body.entry.offer).toMatchObject({ start: SLOTS[2]!.start, end: SLOTS[2]!.end })
  })
})

describe('windows and places', () => {
  it('a whole day is the resource’s local day, 23 hours on the day clocks go forward', async () => {
    const api = setup()
    const { r } = await fullDay()
    const res = await join(api, r.id, { date: '2026-03-29' })
    expect(res.status).toBe(201)
    expect([res.body.entry.windowStart, res.body.entry.windowEnd]).toEqual([
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
    ])
  })

  it('on a class, offers a time only once as many places as the waiter asked for are free', async () => {
    const api = setup()
    const { key } = await createAdminKey(database.db, 'waitlist places')
    const r = await insertResource(database.db, {
      timezone: 'Europe/Berlin',
      config: { capacity: 3 },
      schedules: everyDay({ startTime: '09:00', endTime: '10:00', slotDuration: 60 }),
    })
    const taken = []
    for (let i = 0; i < 3; i++) taken.push(await insertBooking(database.db, { resourceId: r.id, ...SLOTS[0]! }))
    const two = await join(api, r.id, { seats: 2 })
    expect(two.body.entry).toMatchObject({ seats: 2, offer: null })
    await adminCancel(api, key, taken[0]!.id)
    expect(await api.run(r.id)).toMatchObject({ offered: 0 })
    await adminCancel(api, key, taken[1]!.id)
    expect(await api.run(r.id)).toMatchObject({ offered: 1 })
    const claim = await api.call<CreatedBooking>('POST', `/v1/waitlist/${two.body.entry.ref}/claim`, {
      token: two.body.token,
    })
    expect(claim.status).toBe(201)
    expect(claim.body.booking.seats).toBe(2)
    const tooMany = await join(api, r.id, { seats: 4 })
    expect(tooMany.status).toBe(400)
  })
})

describe('the offer chain, with a fixed clock', () => {
  it('offers a freed slot to each waiter in turn through a lapse and a decline, then frees it', async () => {
    const api = setup()
    const { key } = await createAdminKey(database.db, 'waitlist chain')
    const { r, booked } = await fullDay({ waitlistOfferMinutes: 15 })
    const [a, b, c] = [await join(api, r.id), await join(api, r.id), await join(api, r.id)]
    expect(await api.run(r.id)).toMatchObject({ offered: 0 })

    await adminCancel(api, key, booked[1]!.id)
    expect(await api.run(r.id)).toMatchObject({ offered: 1 })
    const view = async (w: typeof a) =>
      (await api.call<WaitlistEntryResponse>('GET', `/v1/waitlist/${w.body.entry.ref}`, { token: w.body.token })).body
        .entry
    expect((await view(a)).offer).toEqual({
      start: SLOTS[1]!.start,
      end: SLOTS[1]!.end,
      expiresAt: new Date(Date.parse(NOW) + 15 * MIN).toISOString(),
    })
    // Everybody else sees the time as taken while it is offered, and cannot hold it.
    expect(await freeStarts(api, r.id)).toEqual([])
    const grab = await api.call<ErrorBody>('POST', '/v1/holds', {
      session: newSession(),
      body: { resourceId: r.id, start: SLOTS[1]!.start },
    })
    expect(grab.body.error.code).toBe('slot_held')

    // a lets it lapse: it goes to b, never back to a.
    api.clock.set(Date.parse(NOW) + 15 * MIN)
    expect(await api.run(r.id)).toMatchObject({ lapsed: 1, offered: 1 })
    expect((await view(a)).offer).toBeNull()
    expect((await view(b)).offer?.start).toBe(SLOTS[1]!.start)
    expect(await freeStarts(api, r.id)).toEqual([])

    // b passes it on: c has it at once.
    const declined = await api.call<WaitlistEntryResponse>('POST', `/v1/waitlist/${b.body.entry.ref}/decline`, {
      token: b.body.token,
    })
    expect(declined.status).toBe(200)
    expect(declined.body.entry).toMatchObject({ status: 'waiting', offer: null })
    expect((await view(c)).offer?.start).toBe(SLOTS[1]!.start)

    // c lets it lapse too: nobody is left who was not offered it, so the slot is free again.
    api.clock.set(Date.parse(NOW) + 31 * MIN)
    expect(await api.run(r.id)).toMatchObject({ lapsed: 1, offered: 0 })
    expect(await openOffers(r.id)).toEqual([])
    expect(await freeStarts(api, r.id)).toEqual([SLOTS[1]!.start])
    expect((await offersOf(r.id)).map((o) => o.status).sort()).toEqual(['declined', 'lapsed', 'lapsed'])
    // Each offer wrote its email; everyone is still waiting for other times.
    const offeredMail = await database.db
      .select()
      .from(waitlistMessages)
      .where(
        and(
          inArray(
            waitlistMessages.offerId,
            (await offersOf(r.id)).map((o) => o.id),
          ),
        ),
      )
    expect(offeredMail).toHaveLength(3)
    for (const w of [a, b, c]) expect((await view(w)).status).toBe('waiting')
  })

  it('claiming books the offered time through the lifecycle; a lapsed offer cannot be claimed', async () => {
    const api = setup()
    const { key } = await createAdminKey(database.db, 'waitlist claim')
    const { r, booked } = await fullDay()
    const a = await join(api, r.id, { guest: { name: 'Ada', email: 'ada@example.com', phone: '+49 30 1234567' } })
    const b = await join(api, r.id)
    await adminCancel(api, key, booked[0]!.id)
    await api.run(r.id)

    // Past its time but before any run: the claim is refused all the same.
    api.clock.set(Date.parse(NOW) + 15 * MIN)
    const late = await api.call<ErrorBody>('POST', `/v1/waitlist/${a.body.entry.ref}/claim`, { token: a.body.token })
    expect([late.status, late.body.error.code]).toEqual([410, 'offer_expired'])
    await api.run(r.id)
    api.clock.set(Date.parse(NOW) + 20 * MIN)

    const claim = await api.call<CreatedBooking>('POST', `/v1/waitlist/${b.body.entry.ref}/claim`, {
      token: b.body.token,
      body: { notes: 'From the waitlist' },
    })
    expect(claim.status).toBe(201)
    expect(claim.body.booking).toMatchObject({ status: 'confirmed', start: SLOTS[0]!.start, end: SLOTS[0]!.end })
    const entry = (
      await api.call<WaitlistEntryResponse>('GET', `/v1/waitlist/${b.body.entry.ref}`, { token: b.body.token })
    ).body.entry
    expect(entry).toMatchObject({ status: 'booked', bookingRef: claim.body.booking.ref, position: null })
    const manage = await api.call('GET', `/v1/bookings/${claim.body.booking.ref}`, { token: claim.body.manageToken })
    expect(manage.status).toBe(200)
    const again = await api.call<ErrorBody>('POST', `/v1/waitlist/${b.body.entry.ref}/claim`, { token: b.body.token })
    expect(again.body.error.code).toBe('offer_expired')
    // The booked slot is the booking's now; a is still waiting, with nothing to offer.
    expect(await api.run(r.id)).toMatchObject({ offered: 0 })
    expect(await freeStarts(api, r.id)).toEqual([])
  })

  it('leaving passes an open offer on at once; leaving twice is leaving once', async () => {
    const api = setup()
    const { key } = await createAdminKey(database.db, 'waitlist leave')
    const { r, booked } = await fullDay()
    const a = await join(api, r.id)
    const b = await join(api, r.id, { kind: 'slot', date: undefined, start: SLOTS[2]!.start, end: SLOTS[2]!.end })
    await adminCancel(api, key, booked[2]!.id)
    await api.run(r.id)
    expect((await openOffers(r.id)).map((o) => o.entryId)).toEqual([await idOf(a.body.entry.ref)])
    for (let i = 0; i < 2; i++) {
      const left = await api.call<WaitlistEntryResponse>('POST', `/v1/waitlist/${a.body.entry.ref}/leave`, {
        token: a.body.token,
      })
      expect(left.body.entry).toMatchObject({ status: 'left', offer: null, position: null })
    }
    expect((await openOffers(r.id)).map((o) => o.entryId)).toEqual([await idOf(b.body.entry.ref)])
    // Leaving is the guest's own doing: no message tells them of it.
    expect((await messagesOf(a.body.entry.ref)).map((m) => m.event).sort()).toEqual(['joined', 'offered'])
  })

  it('expires entries whose time has passed, and only those', async () => {
    const api = setup()
    const { r } = await fullDay()
    const slot = await join(api, r.id, { kind: 'slot', date: undefined, start: SLOTS[0]!.start, end: SLOTS[0]!.end })
    const day = await join(api, r.id)
    api.clock.set(Date.parse(SLOTS[0]!.start))
    expect(await api.run(r.id)).toMatchObject({ expired: 1 })
    const status = async (ref: string) =>
      (await database.db.select().from(waitlistEntries).where(eq(waitlistEntries.ref, ref)))[0]!.status
    expect([await status(slot.body.entry.ref), await status(day.body.entry.ref)]).toEqual(['expired', 'waiting'])
    api.clock.set(Date.parse(`${DAY}T23:00:00Z`))
    expect(await api.run(r.id)).toMatchObject({ expired: 1 })
  })
})

async function messagesOf(ref: string) {
  return database.db
    .select()
    .from(waitlistMessages)
    .where(eq(waitlistMessages.entryId, await idOf(ref)))
}

async function idOf(ref: string) {
  return (await database.db.select().from(waitlistEntries).where(eq(waitlistEntries.ref, ref)))[0]!.id
}

describe('exactly once under concurrency', () => {
  it('two cancellations at once and four workers at once: two offers, to the first two waiters, on different slots', async () => {
    const api = setup()
    const { key } = await createAdminKey(database.db, 'waitlist concurrency')
    const { r, booked } = await fullDay()
    const waiters = []
    for (let i = 0; i < 5; i++) waiters.push(await join(api, r.id))
    await Promise.all([adminCancel(api, key, booked[0]!.id), adminCancel(api, key, booked[2]!.id)])
    const runs = await Promise.all([api.run(r.id), api.run(r.id), api.run(r.id), api.run(r.id)])
    expect(runs.reduce((n, run) => n + run.offered, 0)).toBe(2)
    const open = await openOffers(r.id)
    expect(open.map((o) => o.startsAt.toISOString()).sort()).toEqual([SLOTS[0]!.start, SLOTS[2]!.start])
    expect(new Set(open.map((o) => o.entryId))).toEqual(
      new Set([await idOf(waiters[0]!.body.entry.ref), await idOf(waiters[1]!.body.entry.ref)]),
    )
    // More runs change nothing.
    await Promise.all([api.run(r.id), api.run(r.id)])
    expect(await openOffers(r.id)).toHaveLength(2)
  })

  it('a claim racing the offer’s lapse: exactly one wins, every time, and the slot is never booked twice', async () => {
    const api = setup()
    const { key } = await createAdminKey(database.db, 'waitlist race')
    const rounds = 8
    const outcomes: string[] = []
    for (let round = 0; round < rounds; round++) {
      api.clock.set(NOW)
      const { r, booked } = await fullDay({ waitlistOfferMinutes: 10 })
      const a = await join(api, r.id)
      const b = await join(api, r.id)
      await adminCancel(api, key, booked[1]!.id)
      await api.run(r.id)
      // The guest's request is a moment before the end; the worker's clock a moment after.
      const expiresAt = Date.parse(NOW) + 10 * MIN
      api.clock.set(expiresAt - 1)
      const [claim] = await Promise.all([
        api.call<CreatedBooking & ErrorBody>('POST', `/v1/waitlist/${a.body.entry.ref}/claim`, {
          token: a.body.token,
        }),
        // Started a little later each round, so both orders (and the ones in between) occur.
        new Promise((resolve) => setTimeout(resolve, round * 4)).then(() => api.run(r.id, fixedClock(expiresAt + 1))),
      ])
      const offers = await offersOf(r.id)
      const aOffer = offers.find((o) => o.startsAt.toISOString() === SLOTS[1]!.start && o.status !== 'open')
      const rows = await database.db
        .select()
        .from(bookings)
        .where(and(eq(bookings.resourceId, r.id), eq(bookings.startsAt, new Date(SLOTS[1]!.start))))
      const live = rows.filter((row) => row.status === 'confirmed')
      expect(live.length).toBeLessThanOrEqual(1)
      if (claim.status === 201) {
        outcomes.push('claimed')
        expect(aOffer?.status).toBe('claimed')
        expect(live).toHaveLength(1)
        // b is never offered a booked slot.
        expect(offers.filter((o) => o.status === 'open')).toEqual([])
      } else {
        outcomes.push('lapsed')
        expect([claim.status, claim.body.error.code]).toEqual([410, 'offer_expired'])
        expect(aOffer?.status).toBe('lapsed')
        expect(live).toHaveLength(0)
        // The worker handed it to b.
        const handedTo = offers.filter((o) => o.status === 'open')
        expect(handedTo.map((o) => [o.entryId, o.startsAt.toISOString()])).toEqual([
          [await idOf(b.body.entry.ref), SLOTS[1]!.start],
        ])
      }
    }
    expect(outcomes).toHaveLength(rounds)
    console.log(
      `claim vs lapse over ${rounds} rounds: ${outcomes.filter((o) => o === 'claimed').length} claimed, ${outcomes.filter((o) => o === 'lapsed').length} lapsed`,
    )
  })
})

describe('webhooks and the owner’s list', () => {
  it('writes waitlist.joined, .offered, .expired and .claimed events for a subscribed endpoint', async () => {
    const api = setup()
    const { key } = await createAdminKey(database.db, 'waitlist webhooks')
    const [endpoint] = await database.db
      .insert(webhookEndpoints)
      .values({
        url: 'https://hooks.example.com/waitlist',
        events: ['waitlist.joined', 'waitlist.offered', 'waitlist.claimed', 'waitlist.expired'],
        secret: 'whsec_test',
      })
      .returning()
    try {
      const { r, booked } = await fullDay()
      const a = await join(api, r.id)
      const b = await join(api, r.id)
      await adminCancel(api, key, booked[0]!.id)
      await api.run(r.id)
      api.clock.set(Date.parse(NOW) + 16 * MIN)
      await api.run(r.id)
      expect((await api.call('POST', `/v1/waitlist/${b.body.entry.ref}/claim`, { token: b.body.token })).status).toBe(
        201,
      )
      const events = await database.db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.endpointId, endpoint!.id))
        .orderBy(webhookDeliveries.sequence)
      expect(events.map((e) => e.event)).toEqual([
        'waitlist.joined',
        'waitlist.joined',
        'waitlist.offered',
        'waitlist.expired',
        'waitlist.offered',
        'waitlist.claimed',
      ])
      const claimed = events.at(-1)!
      expect(claimed.bookingId).not.toBeNull()
      expect(JSON.stringify(claimed.payload)).not.toContain('token_hash')
      expect((claimed.payload as { entry: { ref: string } }).entry.ref).toBe(b.body.entry.ref)
      expect((events[0]!.payload as { entry: { ref: string } }).entry.ref).toBe(a.body.entry.ref)
    } finally {
      await database.db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint!.id))
    }
  })

  it('lists a day’s entries in queue order with their offers, and removes one (its offer passes on)', async () => {
    const api = setup()
    const { key } = await createAdminKey(database.db, 'waitlist admin')
    const { r, booked } = await fullDay()
    const a = await join(api, r.id, { locale: 'de' })
    const b = await join(api, r.id, { seats: undefined })
    await adminCancel(api, key, booked[0]!.id)
    await api.run(r.id)
    const list = await api.call<AdminWaitlistResponse>('GET', `/v1/admin/waitlist?resourceId=${r.id}&from=${DAY}`, {
      token: key,
    })
    expect(list.status).toBe(200)
    expect(list.body.entries.map((e) => [e.ref, e.position, e.offer?.start ?? null])).toEqual([
      [a.body.entry.ref, 1, SLOTS[0]!.start],
      [b.body.entry.ref, 2, null],
    ])
    expect(list.body.entries[0]!.offers).toHaveLength(1)
    const removed = await api.call<{ entry: { status: string } }>(
      'POST',
      `/v1/admin/waitlist/${list.body.entries[0]!.id}/remove`,
      { token: key },
    )
    expect(removed.body.entry.status).toBe('removed')
    expect((await openOffers(r.id)).map((o) => o.entryId)).toEqual([await idOf(b.body.entry.ref)])
    // The guest is told, once, by email, in their language; removing again tells nobody again.
    const told = async () =>
      (await messagesOf(a.body.entry.ref))
        .filter((m) => m.event === 'removed')
        .map((m) => [m.channel, m.recipient, m.offerId])
    expect(await told()).toEqual([['email', a.body.entry.guest.email, null]])
    await api.call('POST', `/v1/admin/waitlist/${list.body.entries[0]!.id}/remove`, { token: key })
    expect(await told()).toHaveLength(1)
    const sent: { subject: string; text: string }[] = []
    await processWaitlistMessages({
      db: database.db,
      clock: api.clock,
      logger,
      email: {
        kind: 'file',
        from: 'bookings@example.test',
        send: async (mail) => {
          sent.push(mail)
          return { id: `mail-${sent.length}` }
        },
        close: () => {},
      },
      sms: undefined,
      links: { publicUrl: 'https://book.example.test/', appSecret: undefined },
    })
    const mail = sent.find((m) => m.subject.startsWith('Nicht mehr auf der Warteliste'))
    expect(mail?.text).toContain('Sie stehen nicht mehr auf der Warteliste für')
    expect(mail?.text).toContain('Der Platz konnte leider nicht für Sie freigehalten werden.')
    expect(sent.filter((m) => m.subject.startsWith('Nicht mehr'))).toHaveLength(1)
    const all = await api.call<AdminWaitlistResponse>(
      'GET',
      `/v1/admin/waitlist?resourceId=${r.id}&from=${DAY}&status=all`,
      { token: key },
    )
    expect(all.body.entries.map((e) => e.status)).toEqual(['removed', 'waiting'])
    expect(all.body.entries[0]!.offers[0]!.status).toBe('withdrawn')
    const bad = await api.call<ErrorBody>('GET', `/v1/admin/waitlist?resourceId=${r.id}`, { token: key })
    expect(bad.status).toBe(400)
    const unknown = await api.call<ErrorBody>('POST', `/v1/admin/waitlist/nope/remove`, { token: key })
    expect(unknown.status).toBe(404)
  })
})

describe('a claim that is never paid', () => {
  let stripe: FakeStripe
  beforeAll(async () => {
    stripe = await startFakeStripe()
  })
  afterAll(async () => {
    await stripe?.close()
  })

  // Real time, so the payment provider's webhook signatures hold; the day is days ahead, on UTC.
  const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10)
  const slots = ['09:00', '10:00', '11:00'].map((t) => ({
    start: `${day}T${t}:00.000Z`,
    end: new Date(Date.parse(`${day}T${t}:00Z`) + 3_600_000).toISOString(),
  }))

  function pricedSetup() {
    const clock = fixedClock(Date.now())
    const { holds } = createTestHoldBackend(clock)
    const payments = createStripeGateway({
      secretKey: 'sk_test_waitlist',
      publishableKey: 'pk_test_waitlist',
      webhookSecret: FAKE_WEBHOOK_SECRET,
      apiBase: stripe.url,
    })
    const api = createTestApi({ db: database.db, clock, holds, payments })
    const run = (resourceId: string) => runWaitlistOffers({ db: database.db, clock, holds, logger }, { resourceId })
    return { clock, run, ...api }
  }
  type PricedApi = ReturnType<typeof pricedSetup>

  /** A resource paid in full online, open 09:00–12:00 UTC, its three slots of `day` booked. */
  async function pricedFullDay() {
    const r = await insertResource(database.db, {
      timezone: 'UTC',
      config: { payment: 'full', price: { amount: 5000, currency: 'EUR' } },
      schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
    })
    const booked = []
    for (const slot of slots) booked.push(await insertBooking(database.db, { resourceId: r.id, ...slot }))
    return { r, booked }
  }

  async function joinDay(api: PricedApi, resourceId: string) {
    const n = ++guests
    const res = await api.call<JoinedWaitlist>('POST', '/v1/waitlist', {
      body: { resourceId, date: day, guest: { name: `Guest ${n}`, email: `guest${n}@example.com` } },
    })
    expect(res.status).toBe(201)
    return res.body
  }

  async function claim(api: PricedApi, waiter: JoinedWaitlist) {
    const res = await api.call<CreatedBooking>('POST', `/v1/waitlist/${waiter.entry.ref}/claim`, {
      token: waiter.token,
    })
    expect(res.status).toBe(201)
    // Pending until the card is paid; the time is the booking's meanwhile.
    expect(res.body.booking.status).toBe('pending')
    expect(res.body.payment?.amount).toBe(5000)
    return res.body
  }

  const entryOf = async (ref: string) =>
    (await database.db.select().from(waitlistEntries).where(eq(waitlistEntries.ref, ref)))[0]!
  const offersTo = async (ref: string) =>
    (
      await database.db
        .select()
        .from(waitlistOffers)
        .where(eq(waitlistOffers.entryId, (await entryOf(ref)).id))
    )
      .map((o) => [o.startsAt.toISOString(), o.status])
      .sort()

  it('expired unpaid: the entry is back in line in its place, and offered the next time that frees, never the same one', async () => {
    const api = pricedSetup()
    const { key } = await createAdminKey(database.db, 'waitlist unpaid claim')
    const { r, booked } = await pricedFullDay()
    const a = await joinDay(api, r.id)
    const b = await joinDay(api, r.id)
    await adminCancel(api as unknown as Api, key, booked[0]!.id)
    expect(await api.run(r.id)).toMatchObject({ offered: 1 })
    const claimed = await claim(api, a)
    expect(await entryOf(a.entry.ref)).toMatchObject({ status: 'booked', bookingId: expect.any(String) })
    // Still pending and within its payment window: nothing changes.
    expect(await api.run(r.id)).toMatchObject({ reopened: 0, offered: 0 })

    // The guest never pays: the booking expires and its time goes back to the pool.
    api.clock.set(api.clock.now() + 11 * MIN)
    expect(await expireUnpaidBookings({ db: database.db, clock: api.clock })).toBe(1)
    const [expired] = await database.db.select().from(bookings).where(eq(bookings.ref, claimed.booking.ref))
    expect(expired).toMatchObject({ status: 'cancelled', cancelReason: 'expired' })

    // The worker puts a back in line, first as before; the freed time goes to b, never to a again.
    expect(await api.run(r.id)).toMatchObject({ reopened: 1, offered: 1 })
    expect(await entryOf(a.entry.ref)).toMatchObject({ status: 'waiting', bookingId: null, endedAt: null })
    const view = await api.call<WaitlistEntryResponse>('GET', `/v1/waitlist/${a.entry.ref}`, { token: a.token })
    expect(view.body.entry).toMatchObject({ status: 'waiting', position: 1, offer: null })
    expect(view.body.entry.bookingRef).toBeUndefined()
    expect(await offersTo(b.entry.ref)).toEqual([[slots[0]!.start, 'open']])
    expect(await api.run(r.id)).toMatchObject({ reopened: 0, offered: 0 })

    // Another time in its window frees: a is offered it.
    await adminCancel(api as unknown as Api, key, booked[1]!.id)
    expect(await api.run(r.id)).toMatchObject({ offered: 1 })
    expect(await offersTo(a.entry.ref)).toEqual([
      [slots[0]!.start, 'claimed'],
      [slots[1]!.start, 'open'],
    ])
  })

  it('paid late, after the entry was back in line: booked again, and the offer made meanwhile withdrawn', async () => {
    const api = pricedSetup()
    const { key } = await createAdminKey(database.db, 'waitlist late payment')
    const { r, booked } = await pricedFullDay()
    const a = await joinDay(api, r.id)
    await adminCancel(api as unknown as Api, key, booked[0]!.id)
    await api.run(r.id)
    const claimed = await claim(api, a)
    api.clock.set(api.clock.now() + 11 * MIN)
    await expireUnpaidBookings({ db: database.db, clock: api.clock })
    await adminCancel(api as unknown as Api, key, booked[1]!.id)
    expect(await api.run(r.id)).toMatchObject({ reopened: 1, offered: 1 })
    expect(await offersTo(a.entry.ref)).toEqual([
      [slots[0]!.start, 'claimed'],
      [slots[1]!.start, 'open'],
    ])

    // The card is paid after all: the booking takes its time back and is confirmed.
    const [row] = await database.db.select().from(bookings).where(eq(bookings.ref, claimed.booking.ref))
    stripe.authorize(row!.paymentIntentId!)
    const event = stripe.signedEvent('payment_intent.amount_capturable_updated', row!.paymentIntentId!)
    const hook = await api.app.request('/v1/webhooks/stripe', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Stripe-Signature': event.signature },
      body: event.body,
    })
    expect(hook.status).toBe(200)
    expect((await database.db.select().from(bookings).where(eq(bookings.id, row!.id)))[0]!.status).toBe('confirmed')

    expect(await api.run(r.id)).toMatchObject({ reopened: 0, offered: 0 })
    expect(await entryOf(a.entry.ref)).toMatchObject({ status: 'booked', bookingId: row!.id })
    expect(await offersTo(a.entry.ref)).toEqual([
      [slots[0]!.start, 'claimed'],
      [slots[1]!.start, 'withdrawn'],
    ])
    // The withdrawn offer's hold is gone: the time is free for anybody.
    const free = await api.call<AvailabilityResponse>(
      'GET',
      `/v1/resources/${r.id}/availability?from=${day}&to=${day}&tz=UTC`,
    )
    expect(free.body.days.flatMap((d) => d.slots.map((s) => s.start))).toEqual([slots[1]!.start])
  })

  it('cancelled by the guest before paying: back in line; paid, then cancelled: it stays booked', async () => {
    const api = pricedSetup()
    const { key } = await createAdminKey(database.db, 'waitlist paid claim')
    const { r, booked } = await pricedFullDay()
    const unpaid = await joinDay(api, r.id)
    const paid = await joinDay(api, r.id)
    await adminCancel(api as unknown as Api, key, booked[0]!.id)
    await adminCancel(api as unknown as Api, key, booked[1]!.id)
    expect(await api.run(r.id)).toMatchObject({ offered: 2 })
    const unpaidClaim = await claim(api, unpaid)
    const paidClaim = await claim(api, paid)

    // One pays: the card is authorized, the webhook comes, the booking is captured and confirmed.
    const [paidRow] = await database.db.select().from(bookings).where(eq(bookings.ref, paidClaim.booking.ref))
    stripe.authorize(paidRow!.paymentIntentId!)
    const event = stripe.signedEvent('payment_intent.amount_capturable_updated', paidRow!.paymentIntentId!)
    const hook = await api.app.request('/v1/webhooks/stripe', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Stripe-Signature': event.signature },
      body: event.body,
    })
    expect(hook.status).toBe(200)
    const [confirmed] = await database.db.select().from(bookings).where(eq(bookings.id, paidRow!.id))
    expect(confirmed).toMatchObject({ status: 'confirmed', amountCaptured: 5000 })

    // Both guests cancel their bookings themselves.
    for (const c of [unpaidClaim, paidClaim]) {
      const res = await api.call<{ booking: { status: string } }>('POST', `/v1/bookings/${c.booking.ref}/cancel`, {
        token: c.manageToken,
        body: {},
      })
      expect(res.body.booking.status).toBe('cancelled')
    }
    expect(await api.run(r.id)).toMatchObject({ reopened: 1 })
    expect((await entryOf(unpaid.entry.ref)).status).toBe('waiting')
    // The guest who paid had what they waited for.
    expect((await entryOf(paid.entry.ref)).status).toBe('booked')
    // The unpaid one is offered the time the paid one gave back, not the one it gave back itself.
    expect(await offersTo(unpaid.entry.ref)).toEqual([
      [slots[0]!.start, 'claimed'],
      [slots[1]!.start, 'open'],
    ])
    expect(await api.run(r.id)).toMatchObject({ reopened: 0 })
  })
})
