import { eq, sql } from 'drizzle-orm'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookings } from '../../drizzle/schema'
import type { ErrorBody } from '../../shared/errors'
import type { ResourceConfig } from '../../shared/schemas'
import type { PublicBooking, PublicHold, PublicResource } from '../../shared/types'
import { createTestApi, type CallResult } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { FAKE_WEBHOOK_SECRET, startFakeStripe, type FakeStripe } from '../../test/fake-stripe'
import { everyDay, insertBooking, insertResource } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { createAdminKey } from '../admin/keys'
import { fixedClock } from '../clock'
import { createStripeGateway } from '../payments/stripe-gateway'

/*
 * Capacity per slot through the API (docs/capacity.md): holds and bookings that take
 * places, the errors around them, the price per place, a crowd for the last place and
 * random sequences of holds, bookings, moves and cancellations, each checked afterwards
 * against the database: no instant ever has more places booked than the resource has.
 */

let database: TestDatabase
let stripe: FakeStripe
beforeAll(async () => {
  ;[database, stripe] = await Promise.all([createTestDatabase(), startFakeStripe()])
})
afterAll(async () => {
  await stripe?.close()
  await database?.close()
})

const NOW = '2026-03-20T12:00:00Z'
// Berlin is UTC+1 until 29 March: 09:00–12:00 local is 08:00Z–11:00Z.
const SLOT_9 = { start: '2026-03-24T08:00:00.000Z', end: '2026-03-24T09:00:00.000Z' }
const SLOT_10 = { start: '2026-03-24T09:00:00.000Z', end: '2026-03-24T10:00:00.000Z' }
const guest = { name: 'Ada Lovelace', email: 'ada@example.com' }

type Created = { booking: PublicBooking; manageToken: string; payment?: { amount: number; currency: string } }

function setup(options: { payments?: boolean } = {}) {
  const clock = fixedClock(NOW)
  const backend = createTestHoldBackend(clock)
  const payments = options.payments
    ? createStripeGateway({
        secretKey: 'sk_test_capacity',
        publishableKey: 'pk_test_capacity',
        webhookSecret: FAKE_WEBHOOK_SECRET,
        apiBase: stripe.url,
      })
    : undefined
  return createTestApi({ db: database.db, clock, holds: backend.holds, payments })
}
type Api = ReturnType<typeof setup>

function classOf(config: ResourceConfig) {
  return insertResource(database.db, {
    name: 'Yoga',
    config,
    schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
  })
}

function hold(api: Api, session: string, resourceId: string, start: string, seats?: number) {
  return api.call<{ hold: PublicHold } & ErrorBody>('POST', '/v1/holds', {
    session,
    body: { resourceId, start, ...(seats !== undefined ? { seats } : {}) },
  })
}

function book(api: Api, session: string, holdId: string) {
  return api.call<Created & ErrorBody>('POST', '/v1/bookings', { session, body: { holdId, guest } })
}

async function holdAndBook(api: Api, resourceId: string, start: string, seats?: number) {
  const session = newSession()
  const held = await hold(api, session, resourceId, start, seats)
  expect(held.status, held.text).toBe(201)
  const booked = await book(api, session, held.body.hold.id)
  expect(booked.status, booked.text).toBe(201)
  return { session, ...booked.body }
}

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[]
}

/** The most places booked at any instant on the resource: a sweep over starts and ends. */
async function mostSeatsAtOnce(resourceId: string): Promise<number> {
  const rows = rowsOf<{ most: number | null }>(
    await database.db.execute(sql`
      select max(running)::int as most from (
        select sum(delta) over (order by at, delta rows unbounded preceding) as running from (
          select starts_at as at, seats::int as delta from bookings where resource_id = ${resourceId} and status <> 'cancelled'
          union all
          select ends_at, -seats::int from bookings where resource_id = ${resourceId} and status <> 'cancelled'
        ) events
      ) sweep`),
  )
  return Number(rows[0]?.most ?? 0)
}

async function seatsBooked(resourceId: string): Promise<number[]> {
  const rows = await database.db
    .select({ seats: bookings.seats, status: bookings.status })
    .from(bookings)
    .where(eq(bookings.resourceId, resourceId))
  return rows
    .filter((r) => r.status !== 'cancelled')
    .map((r) => r.seats)
    .sort((a, b) => a - b)
}

describe('a resource of several places', () => {
  it('says how many places it has only when it has more than one', async () => {
    const api = setup()
    const single = await classOf({})
    const shared = await classOf({ capacity: 12, maxSeatsPerBooking: 4 })
    const open = await classOf({ capacity: 8 })
    const view = async (slug: string) =>
      (await api.call<{ resource: PublicResource }>('GET', `/v1/resources/${slug}`)).body.resource
    const one = await view(single.slug)
    expect(one).not.toHaveProperty('capacity')
    expect(one).not.toHaveProperty('maxSeatsPerBooking')
    expect(await view(shared.slug)).toMatchObject({ capacity: 12, maxSeatsPerBooking: 4 })
    expect(await view(open.slug)).toMatchObject({ capacity: 8, maxSeatsPerBooking: 8 })
  })

  it('holds places until the class is full: 3 + 3 + 3, then 2 are refused and 1 is held', async () => {
    const api = setup()
    const r = await classOf({ capacity: 10 })
    for (let i = 0; i < 3; i++) {
      const res = await hold(api, newSession(), r.id, SLOT_9.start, 3)
      expect(res.status).toBe(201)
      expect(res.body.hold.seats).toBe(3)
    }
    const two = await hold(api, newSession(), r.id, SLOT_9.start, 2)
    expect([two.status, two.body.error.code]).toEqual([409, 'slot_held'])
    const one = await hold(api, newSession(), r.id, SLOT_9.start)
    expect([one.status, one.body.hold.seats]).toEqual([201, 1])
    // The next hour is another slot with all its places.
    expect((await hold(api, newSession(), r.id, SLOT_10.start, 10)).status).toBe(201)
  })

  it('books the places held, and refuses more than are left with 409 slot_taken saying how many remain', async () => {
    const api = setup()
    const r = await classOf({ capacity: 10 })
    const { booking, manageToken } = await holdAndBook(api, r.id, SLOT_9.start, 3)
    expect(booking).toMatchObject({ seats: 3, start: SLOT_9.start, status: 'confirmed' })
    const [row] = await database.db.select().from(bookings).where(eq(bookings.ref, booking.ref))
    expect(row).toMatchObject({ seats: 3, sharesCapacity: true })
    const manage = await api.call<{ booking: PublicBooking }>('GET', `/v1/bookings/${booking.ref}`, {
      token: manageToken,
    })
    expect(manage.body.booking.seats).toBe(3)

    await holdAndBook(api, r.id, SLOT_9.start, 6)
    const tooMany = await hold(api, newSession(), r.id, SLOT_9.start, 2)
    expect([tooMany.status, tooMany.body.error.code]).toEqual([409, 'slot_taken'])
    expect(tooMany.body.error.message).toBe('Only 1 place is left at this time.')
    expect(tooMany.body.error.details).toEqual({ seatsLeft: 1 })
    await holdAndBook(api, r.id, SLOT_9.start, 1)
    const full = await hold(api, newSession(), r.id, SLOT_9.start)
    expect([full.status, full.body.error.code, full.body.error.message]).toEqual([
      409,
      'slot_taken',
      'This time is fully booked.',
    ])
    expect(await seatsBooked(r.id)).toEqual([1, 3, 6])
    expect(await mostSeatsAtOnce(r.id)).toBe(10)
  })

  it('counts booked places at every instant of the slot, cancelled and lapsed unpaid ones not', async () => {
    const api = setup()
    const r = await classOf({ capacity: 4 })
    await insertBooking(database.db, { resourceId: r.id, ...SLOT_9, seats: 2 })
    await insertBooking(database.db, { resourceId: r.id, ...SLOT_9, seats: 1, status: 'cancelled' })
    await insertBooking(database.db, {
      resourceId: r.id,
      ...SLOT_9,
      seats: 1,
      status: 'pending',
      expiresAt: '2026-03-20T11:00:00Z',
    })
    expect((await hold(api, newSession(), r.id, SLOT_9.start, 3)).body.error.code).toBe('slot_taken')
    // The lapsed pending booking is expired by the write that meets it.
    await holdAndBook(api, r.id, SLOT_9.start, 2)
    expect(await mostSeatsAtOnce(r.id)).toBe(4)
  })

  it.each([
    ['more than maxSeatsPerBooking', { capacity: 10, maxSeatsPerBooking: 4 }, 5, 'at most 4 places per booking'],
    ['more than the capacity', { capacity: 6 }, 7, 'at most 6 places per booking'],
    ['two places of a resource of one', {}, 2, 'one place per booking'],
  ])('answers 400 invalid_request naming the limit for %s', async (_label, config, seats, says) => {
    const api = setup()
    const r = await classOf(config)
    const res = await hold(api, newSession(), r.id, SLOT_9.start, seats)
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_request'])
    expect(res.body.error.message).toContain(says)
    expect(res.body.error.details).toEqual([{ path: 'seats', code: 'invalid', message: expect.any(String) }])
  })

  it.each([0, -1, 1.5, '2', 10_001])('answers 400 for seats %j', async (seats) => {
    const api = setup()
    const r = await classOf({ capacity: 10 })
    const res = await api.call<ErrorBody>('POST', '/v1/holds', {
      session: newSession(),
      body: { resourceId: r.id, start: SLOT_9.start, seats },
    })
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_request'])
  })

  it('moves a booking only onto a hold of as many places, and keeps its places', async () => {
    const api = setup()
    const r = await classOf({ capacity: 5 })
    const { booking, manageToken, session } = await holdAndBook(api, r.id, SLOT_9.start, 2)
    const move = (holdId: string) =>
      api.call<{ booking: PublicBooking } & ErrorBody>('POST', `/v1/bookings/${booking.ref}/reschedule`, {
        session,
        token: manageToken,
        body: { holdId },
      })
    const three = await hold(api, session, r.id, SLOT_10.start, 3)
    const refused = await move(three.body.hold.id)
    expect([refused.status, refused.body.error.code]).toEqual([400, 'invalid_request'])
    expect(refused.body.error.details).toEqual([{ path: 'holdId', code: 'invalid', message: expect.any(String) }])
    const two = await hold(api, session, r.id, SLOT_10.start, 2)
    const moved = await move(two.body.hold.id)
    expect(moved.status, moved.text).toBe(200)
    expect(moved.body.booking).toMatchObject({ start: SLOT_10.start, seats: 2, version: 2 })
    expect(await seatsBooked(r.id)).toEqual([2])
  })

  it('charges per place on a resource that takes payment (full price and deposit)', async () => {
    const api = setup({ payments: true })
    const full = await classOf({ capacity: 8, price: { amount: 2000, currency: 'EUR' }, payment: 'full' })
    const paid = await holdAndBook(api, full.id, SLOT_9.start, 3)
    expect(paid.payment).toMatchObject({ amount: 6000, currency: 'EUR' })
    expect(paid.booking.payment).toMatchObject({ amount: 6000, currency: 'EUR', status: 'requires_payment' })
    const [row] = await database.db.select().from(bookings).where(eq(bookings.ref, paid.booking.ref))
    expect(stripe.intent(row!.paymentIntentId!).amount).toBe(6000)

    const deposit = await classOf({
      capacity: 8,
      price: { amount: 2000, currency: 'EUR' },
      payment: 'deposit',
      depositAmount: 500,
    })
    expect((await holdAndBook(api, deposit.id, SLOT_9.start, 4)).payment).toMatchObject({ amount: 2000 })
    // A resource of one place is priced as before.
    const single = await classOf({ price: { amount: 2000, currency: 'EUR' }, payment: 'full' })
    expect((await holdAndBook(api, single.id, SLOT_9.start)).payment).toMatchObject({ amount: 2000 })
  })

  it('keeps a resource of one place as it was: one booking per slot, 409 slot_taken after it', async () => {
    const api = setup()
    const r = await classOf({ capacity: 1 })
    const { booking } = await holdAndBook(api, r.id, SLOT_9.start)
    expect(booking.seats).toBe(1)
    const again = await hold(api, newSession(), r.id, SLOT_9.start)
    expect([again.status, again.body.error.code, again.body.error.message]).toEqual([
      409,
      'slot_taken',
      'This time is already booked.',
    ])
    const [row] = await database.db.select().from(bookings).where(eq(bookings.ref, booking.ref))
    expect(row?.sharesCapacity).toBe(false)
  })
})

describe('200 guests for the last place', () => {
  const statuses = (results: { status: number }[]) => {
    const count = new Map<number, number>()
    for (const r of results) count.set(r.status, (count.get(r.status) ?? 0) + 1)
    return Object.fromEntries(count)
  }

  it('through one hold store: exactly one hold and one booking, 199 × 409, no 5xx', async () => {
    const api = setup()
    const r = await classOf({ capacity: 10 })
    await insertBooking(database.db, { resourceId: r.id, ...SLOT_9, seats: 9 })
    const results = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const session = newSession()
        const held = await hold(api, session, r.id, SLOT_9.start)
        if (held.status !== 201) return held
        return book(api, session, held.body.hold.id)
      }),
    )
    expect(results.filter((r) => r.status >= 500)).toEqual([])
    expect(statuses(results)).toEqual({ 201: 1, 409: 199 })
    for (const res of results.filter((r) => r.status === 409))
      expect(['slot_held', 'slot_taken']).toContain(res.body.error.code)
    expect(await seatsBooked(r.id)).toEqual([1, 9])
    expect(await mostSeatsAtOnce(r.id)).toBe(10)
  })

  it('each holding on their own (holds that cannot see each other): the database lets exactly one book', async () => {
    const r = await classOf({ capacity: 10 })
    await insertBooking(database.db, { resourceId: r.id, ...SLOT_9, seats: 9 })
    // One app per guest, each with its own hold store: every guest gets a hold, and all 200
    // bookings reach the database at once.
    const guests = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const api = setup()
        const session = newSession()
        const held = await hold(api, session, r.id, SLOT_9.start)
        expect(held.status).toBe(201)
        return { api, session, holdId: held.body.hold.id }
      }),
    )
    const results = await Promise.all(guests.map((g) => book(g.api, g.session, g.holdId)))
    expect(results.filter((r) => r.status >= 500)).toEqual([])
    expect(statuses(results)).toEqual({ 201: 1, 409: 199 })
    for (const res of results.filter((r) => r.status === 409)) expect(res.body.error.code).toBe('slot_taken')
    expect(await seatsBooked(r.id)).toEqual([1, 9])
    expect(await mostSeatsAtOnce(r.id)).toBe(10)
  })
})

describe('random holds, bookings, moves and cancellations', () => {
  // An undivided morning in Berlin, 09:00–13:00 (08:00Z–12:00Z), in bookings of one or two hours.
  const DAY = '2026-03-24'
  const startAt = (hour: number) => `${DAY}T${String(8 + hour).padStart(2, '0')}:00:00.000Z`
  const endAt = (hour: number, hours: number) => `${DAY}T${String(8 + hour + hours).padStart(2, '0')}:00:00.000Z`

  interface Slot {
    hour: number
    hours: number
  }
  type Command =
    | ({ kind: 'hold' | 'book'; guest: number; seats: number } & Slot)
    | ({ kind: 'move' | 'ownerMove'; guest: number } & Slot)
    | { kind: 'cancel'; guest: number }

  const GUESTS = 8
  const guestArb = fc.integer({ min: 0, max: GUESTS - 1 })
  const slotArb = { hour: fc.integer({ min: 0, max: 3 }), hours: fc.integer({ min: 1, max: 2 }) }
  const seatsArb = fc.integer({ min: 1, max: 4 })
  const commandArb: fc.Arbitrary<Command> = fc.oneof(
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('hold' as const), guest: guestArb, seats: seatsArb, ...slotArb }),
    },
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant('book' as const), guest: guestArb, seats: seatsArb, ...slotArb }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('move' as const), guest: guestArb, ...slotArb }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('ownerMove' as const), guest: guestArb, ...slotArb }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), guest: guestArb }) },
  )
  // Each step runs its commands at once, so the sequences race as well as interleave.
  const runArb = fc.record({
    capacity: fc.constantFrom(1, 3, 10),
    steps: fc.array(fc.array(commandArb, { minLength: 1, maxLength: 4 }), { minLength: 4, maxLength: 12 }),
  })

  interface Guest {
    session: string
    booking?: { id: string; ref: string; token: string; seats: number }
  }

  it('never has more places booked at any instant than the resource has, and never answers 5xx', async () => {
    const adminKey = (await createAdminKey(database.db, 'capacity tests')).key
    const api = setup()
    const tally = new Map<string, number>()
    await fc.assert(
      fc.asyncProperty(runArb, async ({ capacity, steps }) => {
        const r = await insertResource(database.db, {
          config: { capacity, durations: [60, 120] },
          schedules: everyDay({ startTime: '09:00', endTime: '13:00', slotDuration: null }),
        })
        const guests: Guest[] = Array.from({ length: GUESTS }, () => ({ session: newSession() }))
        const answers: CallResult<ErrorBody | undefined>[] = []
        const call = async <T>(method: string, path: string, options: Parameters<Api['call']>[2]) => {
          const res = await api.call<T & ErrorBody>(method, path, options)
          answers.push(res)
          return res
        }
        const holdFor = async (g: Guest, slot: Slot, seats: number) => {
          const res = await call<{ hold: PublicHold }>('POST', '/v1/holds', {
            session: g.session,
            body: { resourceId: r.id, start: startAt(slot.hour), end: endAt(slot.hour, slot.hours), seats },
          })
          return res.status === 201 ? res.body.hold.id : undefined
        }
        const run = async (command: Command) => {
          const g = guests[command.guest]!
          if (command.kind === 'hold') {
            await holdFor(g, command, Math.min(command.seats, capacity))
          } else if (command.kind === 'book') {
            if (g.booking) return
            const holdId = await holdFor(g, command, Math.min(command.seats, capacity))
            if (!holdId) return
            const res = await call<Created>('POST', '/v1/bookings', { session: g.session, body: { holdId, guest } })
            if (res.status !== 201) return
            const [row] = await database.db
              .select({ id: bookings.id })
              .from(bookings)
              .where(eq(bookings.ref, res.body.booking.ref))
            g.booking = {
              id: row!.id,
              ref: res.body.booking.ref,
              token: res.body.manageToken,
              seats: res.body.booking.seats!,
            }
          } else if (command.kind === 'move') {
            if (!g.booking) return
            const holdId = await holdFor(g, command, g.booking.seats)
            if (!holdId) return
            await call('POST', `/v1/bookings/${g.booking.ref}/reschedule`, {
              session: g.session,
              token: g.booking.token,
              body: { holdId },
            })
          } else if (command.kind === 'ownerMove') {
            // The owner moves without a hold: only the database stands between this and an overbooking.
            if (!g.booking) return
            await call('POST', `/v1/admin/bookings/${g.booking.id}/reschedule`, {
              token: adminKey,
              body: { start: startAt(command.hour), end: endAt(command.hour, command.hours) },
            })
          } else {
            if (!g.booking) return
            const res = await call('POST', `/v1/bookings/${g.booking.ref}/cancel`, { token: g.booking.token })
            if (res.status === 200) g.booking = undefined
          }
        }
        for (const step of steps) await Promise.all(step.map(run))

        for (const a of answers) {
          const key = `${a.status} ${a.body?.error?.code ?? ''}`.trim()
          tally.set(key, (tally.get(key) ?? 0) + 1)
        }
        const unexpected = answers.filter(
          (a) => a.status >= 500 || a.status < 200 || (a.status >= 300 && a.status < 400),
        )
        expect(unexpected.map((a) => `${a.status} ${a.text}`)).toEqual([])
        expect(await mostSeatsAtOnce(r.id)).toBeLessThanOrEqual(capacity)
        const rows = await database.db
          .select({ seats: bookings.seats, shares: bookings.sharesCapacity })
          .from(bookings)
          .where(eq(bookings.resourceId, r.id))
        for (const row of rows) {
          expect(row.seats).toBeLessThanOrEqual(capacity)
          expect(row.shares).toBe(capacity > 1)
        }
      }),
      { numRuns: 60 },
    )
    // The runs did book, move and refuse (not only answer 4xx to nonsense).
    expect(tally.get('201') ?? 0).toBeGreaterThan(200)
    expect(tally.get('200') ?? 0).toBeGreaterThan(20)
    expect((tally.get('409 slot_held') ?? 0) + (tally.get('409 slot_taken') ?? 0)).toBeGreaterThan(10)
  }, 60_000)
})
