import { eq, sql } from 'drizzle-orm'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookings } from '../../drizzle/schema'
import type { AdminPoolResponse, AdminServiceResponse } from '../../shared/api-contract'
import type { ErrorBody } from '../../shared/errors'
import type { PublicBooking, PublicBookingPart, PublicHold } from '../../shared/types'
import { createTestApi, type CallResult } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertResource, uniqueSlug } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { createAdminKey } from '../admin/keys'
import { fixedClock } from '../clock'

/*
 * Random guests racing through every way into a resource at once (docs/capacity.md, pools
 * and combined bookings): plain holds, pool holds and service holds on therapists and rooms
 * that are members of pools and parts of a service, then bookings, guest moves and
 * cancellations and owner moves and cancellations. Whatever the API answered, the database
 * must be left with no overlap on any resource, every part row equal to its lead, every
 * occupying service booking with all its parts, and every pool booking on a member.
 */

let database: TestDatabase
let adminKey: string
beforeAll(async () => {
  database = await createTestDatabase({ maxConnections: 40 })
  adminKey = (await createAdminKey(database.db, 'mixed property tests')).key
})
afterAll(async () => {
  await database?.close()
})

const NOW = '2026-03-20T12:00:00Z'
// An undivided Berlin morning, 09:00–13:00 (08:00Z–12:00Z; UTC+1 until 29 March), booked by the hour or two.
const DAY = '2026-03-24'
const at = (hour: number) => `${DAY}T${String(8 + hour).padStart(2, '0')}:00:00.000Z`
const guest = { name: 'Ada Lovelace', email: 'ada@example.com' }

type Created = { booking: PublicBooking; manageToken: string }
type Answer = CallResult<ErrorBody | undefined> & { label: string }

function setup() {
  const clock = fixedClock(NOW)
  return createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds })
}
type Api = ReturnType<typeof setup>

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[]
}

/** Two occupying bookings of one resource that overlap (every resource here has one place). */
async function overlaps(resourceIds: string[]) {
  return rowsOf<{ a: string; b: string }>(
    await database.db.execute(sql`
      select a.ref as a, b.ref as b from bookings a join bookings b
        on a.resource_id = b.resource_id and a.id < b.id
        and tstzrange(a.starts_at, a.ends_at, '[)') && tstzrange(b.starts_at, b.ends_at, '[)')
      where a.status <> 'cancelled' and b.status <> 'cancelled'
        and a.resource_id in (${sql.join(
          resourceIds.map((id) => sql`${id}`),
          sql`, `,
        )})`),
  )
}

/** Part rows whose lead is missing, is itself a part, or differs in status, interval or service. */
async function partsAstray(serviceId: string) {
  return rowsOf<{ ref: string }>(
    await database.db.execute(sql`
      select p.ref from bookings p left join bookings l on l.id = p.part_of
      where p.service_id = ${serviceId} and p.part_of is not null
        and (l.id is null or l.part_of is not null or l.status <> p.status or l.starts_at <> p.starts_at
          or l.ends_at <> p.ends_at or l.service_id is distinct from p.service_id)`),
  )
}

/** Occupying leads of the service whose number of part rows is not the service's parts less one. */
async function leadsShort(serviceId: string) {
  return rowsOf<{ ref: string; parts: number; wanted: number }>(
    await database.db.execute(sql`
      select l.ref, (select count(*)::int from bookings p where p.part_of = l.id) as parts,
        (select count(*)::int - 1 from service_parts sp where sp.service_id = l.service_id) as wanted
      from bookings l
      where l.service_id = ${serviceId} and l.part_of is null and l.status <> 'cancelled'
        and (select count(*) from bookings p where p.part_of = l.id)
          <> (select count(*) - 1 from service_parts sp where sp.service_id = l.service_id)`),
  )
}

/** Rows of the service that sit on no resource of their own part (leads: position 0; parts: any further one). */
async function serviceRowsAstray(serviceId: string) {
  return rowsOf<{ ref: string }>(
    await database.db.execute(sql`
      select b.ref from bookings b
      where b.service_id = ${serviceId} and not exists (
        select 1 from service_parts sp
        where sp.service_id = b.service_id
          and (case when b.part_of is null then sp.position = 0 else sp.position >= 1 end)
          and (sp.resource_id = b.resource_id or exists (
            select 1 from pool_members m where m.pool_id = sp.pool_id and m.resource_id = b.resource_id)))`),
  )
}

/** Bookings made through a pool that sit on a resource not a member of it. */
async function poolRowsAstray(poolIds: string[]) {
  return rowsOf<{ ref: string }>(
    await database.db.execute(sql`
      select b.ref from bookings b
      where b.pool_id in (${sql.join(
        poolIds.map((id) => sql`${id}`),
        sql`, `,
      )}) and not exists (select 1 from pool_members m where m.pool_id = b.pool_id and m.resource_id = b.resource_id)`),
  )
}

describe('random guests through resources, pools and a service at once', () => {
  const GUESTS = 8
  const THERAPISTS = 3
  const ROOMS = 2
  // [first hour, hours]: every slot inside the morning, so refusals come from conflicts, not the schedule.
  const SLOTS = [
    [0, 1],
    [1, 1],
    [2, 1],
    [3, 1],
    [0, 2],
    [1, 2],
    [2, 2],
  ] as const
  type Slot = { slot: (typeof SLOTS)[number] }
  type Command =
    | ({ kind: 'plain'; guest: number; resource: number } & Slot)
    | ({ kind: 'pool'; guest: number; pool: 'therapists' | 'rooms' } & Slot)
    | ({ kind: 'service' | 'move' | 'ownerMove'; guest: number } & Slot)
    | { kind: 'cancel' | 'ownerCancel' | 'ownerCancelPart'; guest: number }

  const guestArb = fc.integer({ min: 0, max: GUESTS - 1 })
  const slot = fc.constantFrom(...SLOTS)
  const commandArb: fc.Arbitrary<Command> = fc.oneof(
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('plain' as const),
        guest: guestArb,
        resource: fc.integer({ min: 0, max: THERAPISTS + ROOMS - 1 }),
        slot,
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('pool' as const),
        guest: guestArb,
        pool: fc.constantFrom('therapists' as const, 'rooms' as const),
        slot,
      }),
    },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('service' as const), guest: guestArb, slot }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('move' as const), guest: guestArb, slot }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('ownerMove' as const), guest: guestArb, slot }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), guest: guestArb }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('ownerCancel' as const), guest: guestArb }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('ownerCancelPart' as const), guest: guestArb }) },
  )
  const strategy = fc.constantFrom('ordered' as const, 'round_robin' as const)
  // Each step runs its commands at once, so the guests race as well as interleave.
  const runArb = fc.record({
    poolLead: fc.boolean(),
    therapistStrategy: strategy,
    roomStrategy: strategy,
    steps: fc.array(fc.array(commandArb, { minLength: 2, maxLength: 5 }), { minLength: 4, maxLength: 10 }),
  })

  interface Booked {
    id: string
    ref: string
    token: string
    resourceId: string
    parts?: PublicBookingPart[]
  }
  interface Guest {
    session: string
    booking?: Booked
  }

  it('leaves no overlap, every part with its lead and every pool booking on a member; never answers 5xx', async () => {
    const api = setup()
    const tally = new Map<string, number>()
    const admin = <T>(method: string, path: string, body: unknown) =>
      api.call<T & ErrorBody>(method, `/v1/admin${path}`, { token: adminKey, body })

    await fc.assert(
      fc.asyncProperty(runArb, async ({ poolLead, therapistStrategy, roomStrategy, steps }) => {
        const resource = (type: string, name: string) =>
          insertResource(database.db, {
            type,
            name,
            config: { durations: [60, 120] },
            schedules: everyDay({ startTime: '09:00', endTime: '13:00', slotDuration: null }),
          })
        const therapists = await Promise.all(
          Array.from({ length: THERAPISTS }, (_, i) => resource('therapist', `T${i}`)),
        )
        const rooms = await Promise.all(Array.from({ length: ROOMS }, (_, i) => resource('room', `Room ${i}`)))
        const newPool = async (type: string, members: { id: string }[], strategy: string) => {
          const res = await admin<AdminPoolResponse>('POST', '/pools', {
            slug: uniqueSlug('pool'),
            type,
            name: `Any ${type}`,
            timezone: 'Europe/Berlin',
            strategy,
            members: members.map((m) => ({ resourceId: m.id })),
          })
          expect(res.status, res.text).toBe(201)
          return res.body.pool
        }
        const pools = {
          therapists: await newPool('therapist', therapists, therapistStrategy),
          rooms: await newPool('room', rooms, roomStrategy),
        }
        const created = await admin<AdminServiceResponse>('POST', '/services', {
          slug: uniqueSlug('svc'),
          name: 'Massage with room',
          parts: [
            poolLead ? { poolId: pools.therapists.id } : { resourceId: therapists[0]!.id },
            { poolId: pools.rooms.id },
          ],
        })
        expect(created.status, created.text).toBe(201)
        const service = created.body.service
        const plain = [...therapists, ...rooms]

        const guests: Guest[] = Array.from({ length: GUESTS }, () => ({ session: newSession() }))
        const answers: Answer[] = []
        const call = async <T>(label: string, method: string, path: string, options: Parameters<Api['call']>[2]) => {
          const res = await api.call<T & ErrorBody>(method, path, options)
          answers.push({ ...res, label })
          return res
        }
        const window = (s: Slot['slot']) => ({ start: at(s[0]), end: at(s[0] + s[1]) })
        const release = (g: Guest, holdId: string) =>
          call('release', 'DELETE', `/v1/holds/${holdId}`, { session: g.session })
        /** Books with the hold, or lets it go so the session's hold allowance is not used up. */
        const book = async (label: string, g: Guest, held: CallResult<{ hold: PublicHold } & ErrorBody>) => {
          if (held.status !== 201) return
          const res = await call<Created>(label, 'POST', '/v1/bookings', {
            session: g.session,
            body: { holdId: held.body.hold.id, guest },
          })
          if (res.status !== 201) return release(g, held.body.hold.id)
          const [row] = await database.db
            .select({ id: bookings.id })
            .from(bookings)
            .where(eq(bookings.ref, res.body.booking.ref))
          g.booking = {
            id: row!.id,
            ref: res.body.booking.ref,
            token: res.body.manageToken,
            resourceId: res.body.booking.resourceId,
            ...(res.body.booking.parts ? { parts: res.body.booking.parts } : {}),
          }
        }
        const holdPlain = (label: string, g: Guest, resourceId: string, s: Slot['slot']) =>
          call<{ hold: PublicHold }>(label, 'POST', '/v1/holds', {
            session: g.session,
            body: { resourceId, ...window(s) },
          })

        const run = async (command: Command) => {
          const g = guests[command.guest]!
          const mine = g.booking
          switch (command.kind) {
            case 'plain':
              if (mine) return
              return book('book plain', g, await holdPlain('hold plain', g, plain[command.resource]!.id, command.slot))
            case 'pool': {
              if (mine) return
              const held = await call<{ hold: PublicHold }>(
                'hold pool',
                'POST',
                `/v1/pools/${pools[command.pool].id}/holds`,
                {
                  session: g.session,
                  body: window(command.slot),
                },
              )
              return book('book pool', g, held)
            }
            case 'service': {
              if (mine) return
              const held = await call<{ hold: PublicHold }>(
                'hold service',
                'POST',
                `/v1/services/${service.id}/holds`,
                {
                  session: g.session,
                  body: window(command.slot),
                },
              )
              return book('book service', g, held)
            }
            case 'move': {
              if (!mine) return
              // A service booking moves on a service hold naming the resources its parts take now.
              const held = mine.parts
                ? await call<{ hold: PublicHold }>('hold service move', 'POST', `/v1/services/${service.id}/holds`, {
                    session: g.session,
                    body: {
                      ...window(command.slot),
                      parts: mine.parts.map((p) => ({ position: p.position, resourceId: p.resourceId })),
                    },
                  })
                : await holdPlain('hold move', g, mine.resourceId, command.slot)
              if (held.status !== 201) return
              const moved = await call(
                mine.parts ? 'move service' : 'move',
                'POST',
                `/v1/bookings/${mine.ref}/reschedule`,
                {
                  session: g.session,
                  token: mine.token,
                  body: { holdId: held.body.hold.id },
                },
              )
              if (moved.status !== 200) await release(g, held.body.hold.id)
              return
            }
            case 'ownerMove':
              // Without a hold: only the database keeps the parts with their lead and off other bookings.
              if (!mine) return
              await call('owner move', 'POST', `/v1/admin/bookings/${mine.id}/reschedule`, {
                token: adminKey,
                body: window(command.slot),
              })
              return
            case 'cancel': {
              if (!mine) return
              const res = await call('cancel', 'POST', `/v1/bookings/${mine.ref}/cancel`, { token: mine.token })
              if (res.status === 200 && g.booking === mine) g.booking = undefined
              return
            }
            case 'ownerCancel': {
              if (!mine) return
              const res = await call('owner cancel', 'POST', `/v1/admin/bookings/${mine.id}/cancel`, {
                token: adminKey,
                body: { reason: 'Closed for repairs' },
              })
              if (res.status === 200 && g.booking === mine) g.booking = undefined
              return
            }
            case 'ownerCancelPart': {
              if (!mine?.parts) return
              const [part] = await database.db
                .select({ id: bookings.id })
                .from(bookings)
                .where(eq(bookings.partOf, mine.id))
              // A part changes only with its lead: the owner is told which booking to change instead.
              const res = await call('owner cancel part', 'POST', `/v1/admin/bookings/${part!.id}/cancel`, {
                token: adminKey,
                body: {},
              })
              expect([res.status, res.body.error?.code], res.text).toEqual([409, 'invalid_transition'])
              return
            }
          }
        }
        // A guest named twice in a step races themselves: a session's new hold on a resource replaces its
        // older one there, so their own booking may then be refused (410, 409). Only what the database keeps is judged.
        for (const step of steps) await Promise.all(step.map(run))

        for (const a of answers) {
          const key = `${a.label} ${a.status} ${a.body?.error?.code ?? ''}`.trim()
          tally.set(key, (tally.get(key) ?? 0) + 1)
        }
        const unexpected = answers.filter(
          (a) => a.status >= 500 || a.status < 200 || (a.status >= 300 && a.status < 400),
        )
        expect(unexpected.map((a) => `${a.label}: ${a.status} ${a.text}`)).toEqual([])

        expect(await overlaps(plain.map((r) => r.id))).toEqual([])
        expect(await partsAstray(service.id)).toEqual([])
        expect(await leadsShort(service.id)).toEqual([])
        expect(await serviceRowsAstray(service.id)).toEqual([])
        expect(await poolRowsAstray([pools.therapists.id, pools.rooms.id])).toEqual([])
      }),
      { numRuns: 20 },
    )
    // The runs booked every way in, and refused some of it (not only answered 4xx to nonsense).
    const count = (prefix: string) =>
      [...tally].filter(([key]) => key.startsWith(prefix)).reduce((sum, [, n]) => sum + n, 0)
    for (const way of ['book plain 201', 'book pool 201', 'book service 201', 'move 200', 'cancel 200'])
      expect(count(way), way).toBeGreaterThan(0)
    expect(count('hold service 409') + count('book service 409')).toBeGreaterThan(0)
  }, 120_000)
})
