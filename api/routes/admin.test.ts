import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminApiKeys, adminSetupTokens, bookings, notifications } from '../../drizzle/schema'
import type { ErrorBody } from '../../shared/errors'
import type { CancellationPolicy } from '../../shared/schemas'
import type { AvailabilityResponse, PublicHold } from '../../shared/types'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { bookingValues, everyDay, insertBooking, insertResource } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { createAdminKey, revokeAdminKey, verifyAdminKey } from '../admin/keys'
import { createSetupToken, SETUP_TOKEN_TTL_MS } from '../admin/setup'
import { sha256Hex } from '../crypto'
import { fixedClock } from '../clock'
import { createMemoryRateLimiter } from '../rate-limit/rate-limiter'
import { silentLogger } from '../logger'
import type { EmailMessage } from '../notify/email'
import { createOutboxPlanner } from '../notify/outbox'
import { processOutbox } from '../notify/outbox-sender'
import type { AdminResource } from '../store/admin'
import type { AdminBooking } from './admin'

let database: TestDatabase
let key: string
beforeAll(async () => {
  database = await createTestDatabase()
  key = (await createAdminKey(database.db, 'tests')).key
})
afterAll(() => database?.close())

const NOW = '2026-03-20T12:00:00Z'

function setup() {
  const clock = fixedClock(NOW)
  const api = createTestApi({
    db: database.db,
    clock,
    holds: createTestHoldBackend(clock).holds,
    outbox: createOutboxPlanner({ adminEmail: 'owner@example.test' }),
  })
  const admin = <T>(method: string, path: string, body?: unknown) =>
    api.call<T>(method, `/v1/admin${path}`, { token: key, ...(body !== undefined ? { body } : {}) })
  return { ...api, clock, admin }
}

const newResource = (slug: string, extra: Record<string, unknown> = {}) => ({
  slug,
  type: 'room',
  name: `Room ${slug}`,
  timezone: 'Europe/Berlin',
  ...extra,
})
let counter = 0
const slug = () => `admin-room-${process.pid}-${++counter}`

describe('admin keys', () => {
  it('makes a recognisable key with 256 random bits, stores only its SHA-256, and revokes it', async () => {
    const { key: made, row } = await createAdminKey(database.db, 'front desk')
    expect(made).toMatch(/^bka_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/)
    const [stored] = await database.db.select().from(adminApiKeys).where(eq(adminApiKeys.id, row.id))
    expect(stored?.keyHash).toMatch(/^[0-9a-f]{64}$/)
    // The secret is base64url and may itself contain "_": take everything after the prefix.
    const secret = made.slice('bka_'.length + 8 + 1)
    expect(secret).toHaveLength(43)
    expect(JSON.stringify(stored)).not.toContain(secret)
    expect((await verifyAdminKey(database.db, made, Date.now()))?.id).toBe(row.id)
    expect(await verifyAdminKey(database.db, `${made.slice(0, -1)}x`, Date.now())).toBeUndefined()
    expect((await revokeAdminKey(database.db, row.prefix, Date.now()))?.id).toBe(row.id)
    expect(await verifyAdminKey(database.db, made, Date.now())).toBeUndefined()
  })
})

describe('every admin route needs a valid key', () => {
  const routes: [string, string][] = [
    ['GET', '/resources'],
    ['POST', '/resources'],
    ['GET', '/resources/00000000-0000-4000-8000-000000000000'],
    ['PATCH', '/resources/00000000-0000-4000-8000-000000000000'],
    ['DELETE', '/resources/00000000-0000-4000-8000-000000000000'],
    ['GET', '/resources/00000000-0000-4000-8000-000000000000/schedules'],
    ['PUT', '/resources/00000000-0000-4000-8000-000000000000/schedules'],
    ['GET', '/bookings'],
    ['GET', '/bookings/00000000-0000-4000-8000-000000000000'],
    ['POST', '/bookings/00000000-0000-4000-8000-000000000000/confirm'],
    ['POST', '/bookings/00000000-0000-4000-8000-000000000000/cancel'],
    ['POST', '/bookings/00000000-0000-4000-8000-000000000000/no-show'],
    ['POST', '/bookings/00000000-0000-4000-8000-000000000000/complete'],
    ['POST', '/bookings/00000000-0000-4000-8000-000000000000/reschedule'],
    ['GET', '/notifications?bookingId=00000000-0000-4000-8000-000000000000'],
  ]
  it.each(routes)('%s %s → 401 without a key, with a wrong one and with a revoked one', async (method, path) => {
    const api = setup()
    const revoked = await createAdminKey(database.db, 'gone')
    await revokeAdminKey(database.db, revoked.row.prefix, Date.now())
    for (const token of [
      undefined,
      'bka_AAAAAAAA_' + 'A'.repeat(43),
      key.replace(/.$/, key.endsWith('A') ? 'B' : 'A'),
      revoked.key,
    ]) {
      const res = await api.call<ErrorBody>(method, `/v1/admin${path}`, {
        ...(token ? { token } : {}),
        ...(method === 'GET' ? {} : { body: {} }),
      })
      expect([res.status, res.body.error.code]).toEqual([401, 'unauthorized'])
    }
  })
})

describe('resources', () => {
  it('creates, reads, lists (inactive too), updates, and deletes one nobody booked', async () => {
    const { admin } = setup()
    const s = slug()
    const created = await admin<{ resource: AdminResource }>(
      'POST',
      '/resources',
      newResource(s, { config: { durations: [60, 120], cancellationPolicy: { freeCancellationHours: 24 } } }),
    )
    expect(created.status).toBe(201)
    expect(created.body.resource).toMatchObject({
      slug: s,
      isActive: true,
      config: { durations: [60, 120], cancellationPolicy: { free_cancellation_hours: 24 } },
    })
    const id = created.body.resource.id
    expect((await admin<{ resource: AdminResource }>('GET', `/resources/${id}`)).body.resource.slug).toBe(s)
    const updated = await admin<{ resource: AdminResource }>('PATCH', `/resources/${id}`, {
      name: 'Renamed',
      isActive: false,
    })
    expect(updated.body.resource).toMatchObject({ name: 'Renamed', isActive: false })
    expect(
      (await admin<{ resources: AdminResource[] }>('GET', '/resources')).body.resources.map((r) => r.id),
    ).toContain(id)
    expect((await admin('DELETE', `/resources/${id}`)).status).toBe(204)
    expect((await admin<ErrorBody>('GET', `/resources/${id}`)).status).toBe(404)
  })

  it('deactivates instead of deleting a resource with bookings', async () => {
    const { admin } = setup()
    const r = await insertResource(database.db)
    await insertBooking(database.db, {
      resourceId: r.id,
      start: new Date('2026-04-01T10:00:00Z'),
      end: new Date('2026-04-01T11:00:00Z'),
    })
    const res = await admin<{ resource: AdminResource }>('DELETE', `/resources/${r.id}`)
    expect([res.status, res.body.resource.isActive]).toEqual([200, false])
    expect((await admin<{ resource: AdminResource }>('GET', `/resources/${r.id}`)).body.resource.isActive).toBe(false)
  })

  it.each([
    ['a slug with capitals', newResource('Bad Slug'), 'slug'],
    ['an unknown time zone', newResource('tz-room', { timezone: 'Mars/Olympus' }), 'timezone'],
    ['payment without a price', newResource('pay-room', { config: { payment: 'full' } }), 'config.price'],
    [
      'a crossing policy ladder',
      newResource('ladder-room', {
        config: { cancellationPolicy: { free_cancellation_hours: 2, no_refund_hours: 24 } },
      }),
      'config.cancellationPolicy.free_cancellation_hours',
    ],
    [
      'a float price',
      newResource('float-room', { config: { price: { amount: 12.5, currency: 'EUR' } } }),
      'config.price.amount',
    ],
  ])('answers 400 with the field for %s, writing nothing', async (_label, body, path) => {
    const { admin } = setup()
    const res = await admin<ErrorBody>('POST', '/resources', body)
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_request'])
    expect((res.body.error.details as { path: string }[]).map((d) => d.path)).toContain(path)
  })

  it('refuses a slug another resource has, on create and on rename, with a detail the form can put beside the slug', async () => {
    const { admin } = setup()
    const s = slug()
    await admin('POST', '/resources', newResource(s))
    const taken = [{ path: 'slug', code: 'invalid', message: 'already used by another resource' }]
    const again = await admin<ErrorBody>('POST', '/resources', newResource(s))
    expect([again.status, again.body.error.code, again.body.error.details]).toEqual([400, 'invalid_request', taken])
    const other = await admin<{ resource: AdminResource }>('POST', '/resources', newResource(slug()))
    const renamed = await admin<ErrorBody>('PATCH', `/resources/${other.body.resource.id}`, { slug: s })
    expect([renamed.status, renamed.body.error.code, renamed.body.error.details]).toEqual([
      400,
      'invalid_request',
      taken,
    ])
  })
})

describe('schedules', () => {
  it('replaces the whole week with a break and a closed date, and availability follows at once', async () => {
    const api = setup()
    const r = await api.admin<{ resource: AdminResource }>('POST', '/resources', newResource(slug()))
    const id = r.body.resource.id
    const week = Array.from({ length: 7 }, (_, weekday) => [
      { weekday, startTime: '09:00', endTime: '12:00', slotDuration: 60 },
      { weekday, startTime: '13:00', endTime: '17:00', slotDuration: 60 },
    ]).flat()
    const closed = {
      specificDate: '2026-03-25',
      startTime: '00:00',
      endTime: '24:00',
      slotDuration: null,
      isAvailable: false,
    }
    const put = await api.admin<{ schedules: unknown[] }>('PUT', `/resources/${id}/schedules`, {
      schedules: [...week, closed],
    })
    expect([put.status, put.body.schedules.length]).toEqual([200, 15])
    expect((await api.admin<{ schedules: unknown[] }>('GET', `/resources/${id}/schedules`)).body.schedules).toEqual(
      put.body.schedules,
    )

    const avail = await api.call<AvailabilityResponse>(
      'GET',
      `/v1/resources/${id}/availability?from=2026-03-24&to=2026-03-25`,
    )
    const [tuesday, wednesday] = avail.body.days
    // Tuesday: 09–12 and 13–17 Berlin (UTC+1), the lunch hour missing; Wednesday closed.
    expect(tuesday?.slots.map((s) => s.start.slice(11, 16))).toEqual([
      '08:00',
      '09:00',
      '10:00',
      '12:00',
      '13:00',
      '14:00',
      '15:00',
    ])
    expect(wednesday?.slots ?? []).toEqual([])
  })

  it.each([
    [
      'overlapping windows on one day',
      [
        { weekday: 0, startTime: '09:00', endTime: '12:00', slotDuration: 60 },
        { weekday: 0, startTime: '11:00', endTime: '13:00', slotDuration: 60 },
      ],
      'schedules.1',
    ],
    [
      'an end before the start',
      [{ weekday: 1, startTime: '12:00', endTime: '09:00', slotDuration: 60 }],
      'schedules.0.endTime',
    ],
    [
      'both a weekday and a date',
      [{ weekday: 1, specificDate: '2026-04-01', startTime: '09:00', endTime: '10:00', slotDuration: 60 }],
      'schedules.0',
    ],
    ['neither a weekday nor a date', [{ startTime: '09:00', endTime: '10:00', slotDuration: 60 }], 'schedules.0'],
  ])('refuses %s with 400 and keeps the old schedule', async (_label, schedules, path) => {
    const api = setup()
    const r = await insertResource(database.db, {
      schedules: everyDay({ startTime: '09:00', endTime: '10:00', slotDuration: 60 }),
    })
    const res = await api.admin<ErrorBody>('PUT', `/resources/${r.id}/schedules`, { schedules })
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_request'])
    expect((res.body.error.details as { path: string }[]).map((d) => d.path)).toContain(path)
    expect(
      (await api.admin<{ schedules: unknown[] }>('GET', `/resources/${r.id}/schedules`)).body.schedules,
    ).toHaveLength(7)
  })
  it('words its refusals with day names and times, on the later of two overlapping windows', async () => {
    const api = setup()
    const r = await insertResource(database.db)
    const res = await api.admin<ErrorBody>('PUT', `/resources/${r.id}/schedules`, {
      schedules: [
        { weekday: 4, startTime: '09:00', endTime: '12:00', slotDuration: 60 },
        { weekday: 4, startTime: '11:00', endTime: '14:00', slotDuration: 60 },
        { weekday: 0, startTime: '09:00', endTime: '17:00', slotDuration: 60 },
        { weekday: 0, startTime: '10:00', endTime: '11:00', slotDuration: 60 },
        // Inside Monday's 09–17 though it does not touch the 10–11 before it.
        { weekday: 0, startTime: '12:00', endTime: '13:00', slotDuration: 60 },
        { specificDate: '2026-04-03', startTime: '08:00', endTime: '10:00', slotDuration: null },
        { specificDate: '2026-04-03', startTime: '09:30', endTime: '11:00', slotDuration: null },
        { weekday: 4, startTime: '18:00', endTime: '08:00', slotDuration: 60 },
      ],
    })
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_request'])
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        { path: 'schedules.1', code: 'invalid', message: 'Friday 09:00–12:00 overlaps Friday 11:00–14:00' },
        { path: 'schedules.3', code: 'invalid', message: 'Monday 09:00–17:00 overlaps Monday 10:00–11:00' },
        { path: 'schedules.4', code: 'invalid', message: 'Monday 09:00–17:00 overlaps Monday 12:00–13:00' },
        { path: 'schedules.6', code: 'invalid', message: '2026-04-03 08:00–10:00 overlaps 2026-04-03 09:30–11:00' },
        {
          path: 'schedules.7.endTime',
          code: 'invalid',
          message: 'Friday: the window must end after it starts (18:00–08:00)',
        },
      ]),
    )
    // Nothing else: no array index or weekday number in words, and the reversed window overlaps nothing.
    expect(res.body.error.details).toHaveLength(5)
  })
})

describe('bookings console', () => {
  async function bookedRoom(api: ReturnType<typeof setup>, config = {}) {
    const r = await insertResource(database.db, {
      config,
      schedules: everyDay({ startTime: '09:00', endTime: '17:00', slotDuration: 60 }),
    })
    const book = async (start: string) => {
      const session = newSession()
      const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', {
        session,
        body: { resourceId: r.id, start },
      })
      const res = await api.call<{ booking: { ref: string } }>('POST', '/v1/bookings', {
        session,
        body: { holdId: hold.body.hold.id, guest: { name: 'Guest', email: 'g@example.com' } },
      })
      const [row] = await database.db.select().from(bookings).where(eq(bookings.ref, res.body.booking.ref))
      return row!
    }
    return { r, book }
  }

  it('lists by time with filters, a page at a time', async () => {
    const api = setup()
    const { r, book } = await bookedRoom(api)
    for (const hour of ['08', '09', '10', '11', '12']) await book(`2026-03-24T${hour}:00:00Z`)
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const res: { body: { bookings: AdminBooking[]; nextCursor: string | null } } = await api.admin(
        'GET',
        `/bookings?resourceId=${r.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      )
      seen.push(...res.body.bookings.map((b) => b.start))
      cursor = res.body.nextCursor
      pages++
    } while (cursor)
    expect(pages).toBe(3)
    expect(seen).toEqual(['08', '09', '10', '11', '12'].map((h) => `2026-03-24T${h}:00:00.000Z`))
    const window = await api.admin<{ bookings: AdminBooking[] }>(
      'GET',
      `/bookings?resourceId=${r.id}&from=2026-03-24T09:30:00Z&to=2026-03-24T11:00:00Z&status=confirmed,pending`,
    )
    expect(window.body.bookings.map((b) => b.start)).toEqual(['2026-03-24T09:00:00.000Z', '2026-03-24T10:00:00.000Z'])
    expect((await api.admin<ErrorBody>('GET', '/bookings?status=lost')).status).toBe(400)
    expect((await api.admin<ErrorBody>('GET', '/bookings?cursor=nonsense')).body.error.code).toBe('invalid_request')
  })

  it('confirms a pending booking (the guest is told), and refuses moves the table does not allow', async () => {
    const api = setup()
    const { book } = await bookedRoom(api, { requiresConfirmation: true })
    const pending = await book('2026-03-25T09:00:00Z')
    const confirmed = await api.admin<{ booking: AdminBooking }>('POST', `/bookings/${pending.id}/confirm`)
    expect(confirmed.body.booking).toMatchObject({
      id: pending.id,
      status: 'confirmed',
      confirmedAt: '2026-03-20T12:00:00.000Z',
    })
    const log = await api.admin<{ notifications: { event: string; channel: string }[] }>(
      'GET',
      `/notifications?bookingId=${pending.id}`,
    )
    expect(log.body.notifications.map((n) => `${n.event}/${n.channel}`)).toEqual(
      expect.arrayContaining(['created/email', 'confirmed/email', 'reminder_24h/email']),
    )

    const twice = await api.admin<ErrorBody>('POST', `/bookings/${pending.id}/confirm`)
    expect([twice.status, twice.body.error.code]).toEqual([409, 'invalid_transition'])
    const early = await api.admin<ErrorBody>('POST', `/bookings/${pending.id}/no-show`)
    expect([early.status, early.body.error.code]).toEqual([409, 'invalid_transition'])
    api.clock.set('2026-03-25T09:30:00Z')
    expect(
      (await api.admin<{ booking: AdminBooking }>('POST', `/bookings/${pending.id}/no-show`)).body.booking.status,
    ).toBe('no_show')
    const after = await api.admin<ErrorBody>('POST', `/bookings/${pending.id}/complete`)
    expect([after.status, after.body.error.code]).toEqual([409, 'invalid_transition'])
    expect((await api.admin<ErrorBody>('POST', `/bookings/${pending.id}/teleport`)).status).toBe(404)
  })

  it('completes a started booking, and cancels another with the refund and the reason the owner names', async () => {
    const api = setup()
    const { book } = await bookedRoom(api)
    const a = await book('2026-03-26T09:00:00Z')
    const b = await book('2026-03-26T10:00:00Z')
    const cancelled = await api.admin<{ booking: AdminBooking }>('POST', `/bookings/${b.id}/cancel`, {
      refundPercent: 100,
      reason: 'room flooded',
    })
    expect(cancelled.body.booking).toMatchObject({
      status: 'cancelled',
      cancelReason: 'owner: room flooded',
      refund: { tier: 'owner_override', percent: 100 },
    })
    expect((await api.admin<ErrorBody>('POST', `/bookings/${b.id}/cancel`)).status).toBe(409)
    const bad = await api.admin<ErrorBody>('POST', `/bookings/${a.id}/cancel`, { refundPercent: 150 })
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_request'])
    api.clock.set('2026-03-26T10:00:00Z')
    expect((await api.admin<{ booking: AdminBooking }>('POST', `/bookings/${a.id}/complete`)).body.booking.status).toBe(
      'completed',
    )
  })

  describe('the owner moves a booking', () => {
    const movedRows = async (bookingId: string) =>
      (await database.db.select().from(notifications).where(eq(notifications.bookingId, bookingId)))
        .filter((n) => n.event === 'moved' || n.event === 'admin_moved')
        .map((n) => ({
          event: n.event,
          channel: n.channel,
          version: n.version,
          recipient: n.recipient,
          status: n.status,
          payload: n.payload,
        }))

    it('moves a confirmed booking off the schedule: 200 with the new times and version, the guest and the owner told with the old time', async () => {
      const api = setup()
      const { book } = await bookedRoom(api)
      const booking = await book('2026-03-27T09:00:00Z')
      // 19:30 in Berlin, after the room's 09–17 schedule: the owner's calendar, the owner's call.
      const res = await api.admin<{ booking: AdminBooking }>('POST', `/bookings/${booking.id}/reschedule`, {
        start: '2026-03-28T18:30:00Z',
      })
      expect(res.status).toBe(200)
      // No end: the booking keeps its hour.
      expect(res.body.booking).toMatchObject({
        id: booking.id,
        ref: booking.ref,
        status: 'confirmed',
        start: '2026-03-28T18:30:00.000Z',
        end: '2026-03-28T19:30:00.000Z',
        version: 2,
      })

      const from = { start: '2026-03-27T09:00:00.000Z', end: '2026-03-27T10:00:00.000Z' }
      const to = { start: '2026-03-28T18:30:00.000Z', end: '2026-03-28T19:30:00.000Z' }
      expect(await movedRows(booking.id)).toEqual(
        expect.arrayContaining([
          {
            event: 'moved',
            channel: 'email',
            version: 2,
            recipient: 'g@example.com',
            status: 'pending',
            payload: { move: { from, to } },
          },
          {
            event: 'admin_moved',
            channel: 'email',
            version: 2,
            recipient: 'owner@example.test',
            status: 'pending',
            payload: { move: { from, to } },
          },
          expect.objectContaining({ event: 'moved', channel: 'sms', version: 2, status: 'skipped' }),
        ]),
      )

      // The same move again (a retry after a lost response) changes nothing and tells nobody twice.
      const again = await api.admin<{ booking: AdminBooking }>('POST', `/bookings/${booking.id}/reschedule`, {
        start: '2026-03-28T18:30:00Z',
        end: '2026-03-28T19:30:00Z',
      })
      expect([again.status, again.body.booking.version]).toEqual([200, 2])
      expect(await movedRows(booking.id)).toHaveLength(3)

      // Through the worker: the guest's email states both times and carries the event one revision on.
      const sent: EmailMessage[] = []
      const email = {
        kind: 'smtp' as const,
        from: 'bookings@example.test',
        send: async (m: EmailMessage) => (sent.push(m), { id: m.messageId }),
        close: () => {},
      }
      await processOutbox({
        db: database.db,
        clock: api.clock,
        logger: silentLogger,
        email,
        sms: undefined,
        links: { publicUrl: 'https://book.example.test', appSecret: undefined },
      })
      const ics = (m: EmailMessage) => m.attachments?.[0]?.content ?? ''
      const moved = sent.find(
        (m) => m.subject.startsWith('Moved:') && ics(m).includes(`UID:${booking.ref}@book.example.test`),
      )
      expect(moved?.to).toBe('g@example.com')
      expect(moved?.text).toContain(
        'When: Saturday, 28 March 2026, 19:30 Berlin time\nPreviously: Friday, 27 March 2026, 10:00 Berlin time',
      )
      expect(ics(moved!)).toMatch(/METHOD:REQUEST\r\n/)
      expect(ics(moved!)).toMatch(/SEQUENCE:1\r\n/)
      expect(ics(moved!)).toMatch(/DTSTART:20260328T183000Z\r\n/)
      const notice = sent.find(
        (m) => m.to === 'owner@example.test' && m.subject.startsWith(`Booking ${booking.ref} moved:`),
      )
      expect(notice?.text).toContain('Previously: Friday, 27 March 2026, 10:00 Berlin time')
    })

    it('refuses to move onto another booking with 409 slot_taken, changing nothing; touching it, inside its buffer, is allowed', async () => {
      const api = setup()
      const { book } = await bookedRoom(api, { bufferAfterMin: 15 })
      const first = await book('2026-03-30T08:00:00Z')
      const second = await book('2026-03-30T11:00:00Z')
      const onto = await api.admin<ErrorBody>('POST', `/bookings/${second.id}/reschedule`, {
        start: '2026-03-30T08:30:00Z',
      })
      expect([onto.status, onto.body.error.code]).toEqual([409, 'slot_taken'])
      const [after] = await database.db.select().from(bookings).where(eq(bookings.id, second.id))
      expect([after?.startsAt.toISOString(), after?.endsAt.toISOString(), after?.version]).toEqual([
        '2026-03-30T11:00:00.000Z',
        '2026-03-30T12:00:00.000Z',
        1,
      ])
      expect(await movedRows(second.id)).toEqual([])

      // The write is checked against the bookings themselves, as a guest's move is; buffers
      // belong to the published availability, which the owner may overrule.
      const touching = await api.admin<{ booking: AdminBooking }>('POST', `/bookings/${second.id}/reschedule`, {
        start: '2026-03-30T09:00:00Z',
        end: '2026-03-30T09:45:00Z',
      })
      expect([touching.status, touching.body.booking.start, touching.body.booking.end]).toEqual([
        200,
        '2026-03-30T09:00:00.000Z',
        '2026-03-30T09:45:00.000Z',
      ])
      expect((await api.admin<{ booking: AdminBooking }>('GET', `/bookings/${first.id}`)).body.booking).toMatchObject({
        start: '2026-03-30T08:00:00.000Z',
        version: 1,
      })
    })

    it('refuses to move a cancelled booking with 409 invalid_transition', async () => {
      const api = setup()
      const { book } = await bookedRoom(api)
      const booking = await book('2026-03-31T09:00:00Z')
      expect((await api.admin('POST', `/bookings/${booking.id}/cancel`)).status).toBe(200)
      const res = await api.admin<ErrorBody>('POST', `/bookings/${booking.id}/reschedule`, {
        start: '2026-03-31T12:00:00Z',
      })
      expect([res.status, res.body.error.code]).toEqual([409, 'invalid_transition'])
      const [after] = await database.db.select().from(bookings).where(eq(bookings.id, booking.id))
      expect([after?.status, after?.startsAt.toISOString()]).toEqual(['cancelled', '2026-03-31T09:00:00.000Z'])
    })

    it.each([
      [
        'a start in the past',
        { start: '2026-03-20T11:00:00Z' },
        { path: 'start', code: 'invalid', message: 'must be in the future' },
      ],
      [
        'an end before the start',
        { start: '2026-04-01T10:00:00Z', end: '2026-04-01T09:00:00Z' },
        { path: 'end', code: 'invalid', message: 'end must be after start' },
      ],
      [
        'a booking longer than 7 days',
        { start: '2026-04-01T10:00:00Z', end: '2026-04-08T10:01:00Z' },
        { path: 'end', code: 'invalid', message: 'a booking lasts at most 7 days' },
      ],
    ])('refuses %s with 400 and the field, changing nothing', async (_label, body, detail) => {
      const api = setup()
      const { book } = await bookedRoom(api)
      const booking = await book('2026-04-02T09:00:00Z')
      const res = await api.admin<ErrorBody>('POST', `/bookings/${booking.id}/reschedule`, body)
      expect([res.status, res.body.error.code, res.body.error.details]).toEqual([400, 'invalid_request', [detail]])
      const [after] = await database.db.select().from(bookings).where(eq(bookings.id, booking.id))
      expect([after?.startsAt.toISOString(), after?.version]).toEqual(['2026-04-02T09:00:00.000Z', 1])
    })
  })
})

describe('the first-run setup link', () => {
  const exchange = (api: ReturnType<typeof setup>, token: unknown) =>
    api.call<{ key: string; prefix: string; name: string } & ErrorBody>('POST', '/v1/admin/setup', { body: { token } })

  it('trades its token, without an admin key, for a working key named "first key", once; only the token’s hash is kept', async () => {
    const api = setup()
    const { token, expiresAt } = await createSetupToken(database.db, api.clock.now())
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(expiresAt.toISOString()).toBe('2026-03-20T12:30:00.000Z')

    const made = await exchange(api, token)
    expect([made.status, made.body.name, made.body.prefix]).toEqual([201, 'first key', made.body.key.slice(4, 12)])
    expect((await api.call('GET', '/v1/admin/resources', { token: made.body.key })).status).toBe(200)

    const [stored] = await database.db.select().from(adminSetupTokens).where(eq(adminSetupTokens.expiresAt, expiresAt))
    expect(JSON.stringify(stored)).not.toContain(token)
    const [key] = await database.db.select().from(adminApiKeys).where(eq(adminApiKeys.prefix, made.body.prefix))
    expect([stored?.usedAt?.toISOString(), stored?.adminKeyId]).toEqual([NOW.replace('Z', '.000Z'), key?.id])

    const again = await exchange(api, token)
    expect([again.status, again.body.error.code]).toEqual([401, 'unauthorized'])
  })

  it('answers an unknown, a used and an expired token alike: 401, nothing made', async () => {
    const api = setup()
    const used = (await createSetupToken(database.db, api.clock.now())).token
    expect((await exchange(api, used)).status).toBe(201)
    const expired = (await createSetupToken(database.db, api.clock.now() - SETUP_TOKEN_TTL_MS)).token
    const keysBefore = (await database.db.select().from(adminApiKeys)).length
    const answers = []
    for (const token of ['A'.repeat(43), used, expired, 'not a token']) {
      const res = await exchange(api, token)
      answers.push([res.status, res.body.error])
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1)
    expect(answers[0]?.[0]).toBe(401)
    expect((await database.db.select().from(adminApiKeys)).length).toBe(keysBefore)
    expect((await exchange(api, undefined)).status).toBe(400)
  })

  it('makes exactly one key when the same token is sent 10 times at once', async () => {
    const api = setup()
    const { token } = await createSetupToken(database.db, api.clock.now())
    const firstKeys = async () =>
      (await database.db.select().from(adminApiKeys).where(eq(adminApiKeys.name, 'first key'))).length
    const before = await firstKeys()
    const results = await Promise.all(Array.from({ length: 10 }, () => exchange(api, token)))
    expect(results.map((r) => r.status).sort()).toEqual([201, ...Array<number>(9).fill(401)])
    expect(await firstKeys()).toBe(before + 1)
    const winner = results.find((r) => r.status === 201)!
    const [stored] = await database.db
      .select()
      .from(adminSetupTokens)
      .where(eq(adminSetupTokens.tokenHash, await sha256Hex(token)))
    const [key] = await database.db.select().from(adminApiKeys).where(eq(adminApiKeys.prefix, winner.body.prefix))
    expect(stored?.adminKeyId).toBe(key?.id)
  })

  it('slows guessing to the per-address limit', async () => {
    const clock = fixedClock(NOW)
    const api = createTestApi({
      db: database.db,
      clock,
      manageRateLimiter: createMemoryRateLimiter(clock, { limit: 2, windowMs: 60_000 }),
    })
    const guess = () => api.call<ErrorBody>('POST', '/v1/admin/setup', { body: { token: 'B'.repeat(43) } })
    expect([(await guess()).status, (await guess()).status]).toEqual([401, 401])
    const third = await guess()
    expect([third.status, third.body.error.code]).toEqual([429, 'rate_limited'])
  })
})

describe('bookings search', () => {
  it('finds by a part of the ref, the guest’s name or email, in any case, taking % and _ literally', async () => {
    const api = setup()
    const r = await insertResource(database.db)
    const add = async (hour: number, guestName: string, guestEmail: string) => {
      const start = `2026-04-10T${String(hour).padStart(2, '0')}:00:00Z`
      const [row] = await database.db
        .insert(bookings)
        .values({
          ...bookingValues({ resourceId: r.id, start, end: `2026-04-10T${String(hour).padStart(2, '0')}:30:00Z` }),
          guestName,
          guestEmail,
        })
        .returning()
      return row!
    }
    const ana = await add(8, 'Ana Lopez', 'ana@example.org')
    const bob = await add(9, 'Bob 100% Smith', 'bob_s@example.net')
    const carol = await add(10, 'Carol Weiss', 'carol@example.com')
    const search = async (q: string) => {
      const res = await api.admin<{ bookings: AdminBooking[] }>(
        'GET',
        `/bookings?resourceId=${r.id}&q=${encodeURIComponent(q)}`,
      )
      expect(res.status).toBe(200)
      return res.body.bookings.map((b) => b.guest.name)
    }
    expect(await search('LOPEZ')).toEqual(['Ana Lopez'])
    expect(await search('Example.NET')).toEqual(['Bob 100% Smith'])
    expect(await search(carol.ref.slice(2, 7).toLowerCase())).toEqual(['Carol Weiss'])
    expect(await search(ana.ref)).toEqual(['Ana Lopez'])
    expect(await search('100%')).toEqual(['Bob 100% Smith'])
    expect(await search('%')).toEqual(['Bob 100% Smith'])
    expect(await search('_')).toEqual(['Bob 100% Smith'])
    expect(await search('b_s')).toEqual(['Bob 100% Smith'])
    expect(await search('nobody')).toEqual([])
    expect(await search('  ')).toEqual(['Ana Lopez', 'Bob 100% Smith', 'Carol Weiss'])
    expect(bob.guestEmail).toBe('bob_s@example.net')
    expect((await api.admin<ErrorBody>('GET', `/bookings?q=${'x'.repeat(201)}`)).status).toBe(400)
  })
})

describe('what cancelling a booking now would refund, as the owner sees it', () => {
  const HOUR = 3_600_000
  const LADDER: CancellationPolicy = {
    free_cancellation_hours: 24,
    partial_refund_hours: 6,
    partial_refund_percent: 50,
    no_refund_hours: 2,
  }

  async function paidBooking(hoursAhead: number, policy: CancellationPolicy, amount = 9500) {
    const r = await insertResource(database.db)
    const start = Date.parse(NOW) + hoursAhead * HOUR
    const [row] = await database.db
      .insert(bookings)
      .values({
        ...bookingValues({ resourceId: r.id, start: new Date(start), end: new Date(start + HOUR) }),
        cancellationPolicy: policy,
        amount,
        currency: 'USD',
        paymentStatus: 'captured',
        amountCaptured: amount,
      })
      .returning()
    return row!
  }

  async function seen(api: ReturnType<typeof setup>, id: string, resourceId: string) {
    const one = await api.admin<{ booking: AdminBooking }>('GET', `/bookings/${id}`)
    const listed = await api.admin<{ bookings: AdminBooking[] }>('GET', `/bookings?resourceId=${resourceId}`)
    expect(listed.body.bookings.find((b) => b.id === id)?.cancellation).toEqual(one.body.booking.cancellation)
    return one.body.booking.cancellation
  }

  it.each([
    [
      '72 h ahead under a free-24 h policy: all of it',
      72,
      { free_cancellation_hours: 24 },
      9500,
      { allowed: true, percent: 100, refund: { amount: 9500, currency: 'USD' } },
    ],
    [
      '12 h ahead on the ladder: half, rounded down as the cancel rounds it',
      12,
      LADDER,
      9999,
      { allowed: true, percent: 50, refund: { amount: 4999, currency: 'USD' } },
    ],
    [
      '1 h ahead, where guests can no longer cancel: the owner still may, refunding nothing',
      1,
      LADDER,
      9500,
      { allowed: true, percent: 0, refund: { amount: 0, currency: 'USD' } },
    ],
  ])('%s', async (_label, hours, policy, amount, expected) => {
    const api = setup()
    const booking = await paidBooking(hours, policy, amount)
    expect(await seen(api, booking.id, booking.resourceId)).toEqual(expected)
    // The cancel without an override gives exactly what was stated.
    const cancelled = await api.admin<{ booking: AdminBooking }>('POST', `/bookings/${booking.id}/cancel`)
    expect(cancelled.body.booking.refund).toMatchObject({ amount: expected.refund.amount, percent: expected.percent })
    expect(cancelled.body.booking.cancellation).toBeUndefined()
  })

  it('states the percent without an amount for a booking that takes no payment, and nothing once it is over', async () => {
    const api = setup()
    const r = await insertResource(database.db)
    const pending = await insertBooking(database.db, {
      resourceId: r.id,
      status: 'pending',
      start: '2026-04-12T09:00:00Z',
      end: '2026-04-12T10:00:00Z',
    })
    const done = await insertBooking(database.db, {
      resourceId: r.id,
      status: 'completed',
      start: '2026-03-19T09:00:00Z',
      end: '2026-03-19T10:00:00Z',
    })
    expect(await seen(api, pending.id, r.id)).toEqual({ allowed: true, percent: 100 })
    expect(await seen(api, done.id, r.id)).toBeUndefined()
  })
})
