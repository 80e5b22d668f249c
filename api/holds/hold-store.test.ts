import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { fixedClock } from '../clock'
import { createHoldBackend } from './create-hold-backend'
import type { HoldStore, PlaceHoldRequest } from './hold-store'

/**
 * One contract, two implementations: memory always; Upstash (the REST bridge in front of
 * the real Redis, started by the test setup) when REDIS_URL is configured.
 */
const upstashEnv =
  process.env.UPSTASH_REDIS_REST_URL && process.env.UPSTASH_REDIS_REST_TOKEN
    ? { url: process.env.UPSTASH_REDIS_REST_URL, token: process.env.UPSTASH_REDIS_REST_TOKEN }
    : undefined
if (!upstashEnv) console.warn('Upstash hold store contract skipped: set REDIS_URL to run it against a real Redis.')

const variants = [
  { name: 'memory', upstash: undefined },
  ...(upstashEnv ? [{ name: 'upstash', upstash: upstashEnv }] : []),
]

const HOUR = 3_600_000
const T0 = Date.parse('2026-06-01T09:00:00Z')
const id = (p: string) => `${p}-${randomBytes(4).toString('hex')}`

describe.each(variants)('$name hold store', ({ upstash }) => {
  function make(limit = 0) {
    const clock = fixedClock('2026-05-01T00:00:00Z')
    const backend = createHoldBackend({
      upstash,
      holdRateLimitPerMinute: limit,
      clock,
      keyPrefix: `${id('contract')}:`,
    })
    return { clock, holds: backend.holds, limiter: backend.holdRateLimiter }
  }
  const request = (
    over: Partial<PlaceHoldRequest> & Pick<PlaceHoldRequest, 'resourceId' | 'sessionId'>,
  ): PlaceHoldRequest => ({
    start: T0,
    end: T0 + HOUR,
    blockStart: T0,
    blockEnd: T0 + HOUR,
    ttlMs: 600_000,
    maxPerSession: 2,
    seats: 1,
    capacity: 1,
    bookedSeats: 0,
    ...over,
  })
  async function placed(holds: HoldStore, r: PlaceHoldRequest) {
    const result = await holds.place(r)
    if (!result.ok) throw new Error(`expected a hold, got ${result.reason}`)
    return result
  }

  it('places a hold the session can read back and others see as live', async () => {
    const { holds } = make()
    const [resourceId, sessionId] = [id('r'), id('s')]
    const { hold } = await placed(holds, request({ resourceId, sessionId }))
    expect(hold).toMatchObject({
      resourceId,
      sessionId,
      start: T0,
      end: T0 + HOUR,
      expiresAt: Date.parse('2026-05-01T00:10:00Z'),
    })
    expect(await holds.get(hold.id, sessionId)).toEqual(hold)
    expect(await holds.get(hold.id, id('stranger'))).toBeUndefined()
    expect(await holds.listLive(resourceId, T0, T0 + HOUR)).toEqual([hold])
    expect(await holds.listLive(resourceId, T0 + HOUR, T0 + 2 * HOUR)).toEqual([])
  })

  it('refuses overlapping block intervals from another session, allows touching ones and other resources', async () => {
    const { holds } = make()
    const resourceId = id('r')
    await placed(holds, request({ resourceId, sessionId: id('a'), blockEnd: T0 + HOUR + 15 * 60_000 }))
    const buffered = await holds.place(
      request({
        resourceId,
        sessionId: id('b'),
        start: T0 + HOUR,
        end: T0 + 2 * HOUR,
        blockStart: T0 + HOUR,
        blockEnd: T0 + 2 * HOUR,
      }),
    )
    expect(buffered).toEqual({ ok: false, reason: 'slot_held' })
    const touching = await holds.place(
      request({
        resourceId,
        sessionId: id('c'),
        start: T0 + 2 * HOUR,
        end: T0 + 3 * HOUR,
        blockStart: T0 + HOUR + 15 * 60_000,
        blockEnd: T0 + 3 * HOUR,
      }),
    )
    expect(touching.ok).toBe(true)
    expect((await holds.place(request({ resourceId: id('other'), sessionId: id('d') }))).ok).toBe(true)
  })

  it('forgets expired holds: the slot is free again', async () => {
    const { holds, clock } = make()
    const [resourceId, sessionId] = [id('r'), id('s')]
    const { hold } = await placed(holds, request({ resourceId, sessionId, ttlMs: 60_000 }))
    clock.set('2026-05-01T00:01:00Z')
    expect(await holds.get(hold.id, sessionId)).toBeUndefined()
    expect(await holds.listLive(resourceId, T0, T0 + HOUR)).toEqual([])
    expect((await holds.place(request({ resourceId, sessionId: id('next') }))).ok).toBe(true)
  })

  it('moves a session’s hold on the same resource instead of adding one', async () => {
    const { holds } = make()
    const [resourceId, sessionId] = [id('r'), id('s')]
    const first = await placed(holds, request({ resourceId, sessionId }))
    const second = await placed(
      holds,
      request({
        resourceId,
        sessionId,
        start: T0 + HOUR,
        end: T0 + 2 * HOUR,
        blockStart: T0 + HOUR,
        blockEnd: T0 + 2 * HOUR,
      }),
    )
    expect(second.replaced).toEqual([first.hold.id])
    expect(await holds.get(first.hold.id, sessionId)).toBeUndefined()
    expect((await holds.place(request({ resourceId, sessionId: id('other') }))).ok).toBe(true)
  })

  it('limits live holds per session, counting a move once and freeing a place on release', async () => {
    const { holds } = make()
    const sessionId = id('s')
    const a = await placed(holds, request({ resourceId: id('r1'), sessionId }))
    const r2 = id('r2')
    await placed(holds, request({ resourceId: r2, sessionId }))
    await placed(
      holds,
      request({
        resourceId: r2,
        sessionId,
        start: T0 + HOUR,
        end: T0 + 2 * HOUR,
        blockStart: T0 + HOUR,
        blockEnd: T0 + 2 * HOUR,
      }),
    )
    expect(await holds.place(request({ resourceId: id('r3'), sessionId }))).toEqual({
      ok: false,
      reason: 'session_limit',
    })
    expect(await holds.release(a.hold.id, sessionId)).toBe(true)
    expect((await holds.place(request({ resourceId: id('r3'), sessionId }))).ok).toBe(true)
  })

  describe('per client', () => {
    const at = (i: number) => ({
      start: T0 + i * HOUR,
      end: T0 + (i + 1) * HOUR,
      blockStart: T0 + i * HOUR,
      blockEnd: T0 + (i + 1) * HOUR,
    })

    it('caps live holds per client across sessions, counts a move once, and names the earliest expiry', async () => {
      const { holds, clock } = make()
      const [resourceId, client] = [id('r'), id('client')]
      const sessions = [id('s'), id('s'), id('s')]
      for (const [i, sessionId] of sessions.entries()) {
        clock.set(Date.parse('2026-05-01T00:00:00Z') + i * 1000)
        await placed(holds, request({ resourceId, sessionId, clientKey: client, maxPerClient: 3, ...at(i) }))
      }
      const over = await holds.place(
        request({ resourceId, sessionId: id('s'), clientKey: client, maxPerClient: 3, ...at(3) }),
      )
      expect(over).toEqual({ ok: false, reason: 'client_limit', retryAt: Date.parse('2026-05-01T00:10:00Z') })
      // The same session moving its hold is not a new one.
      const moved = await placed(
        holds,
        request({ resourceId, sessionId: sessions[0]!, clientKey: client, maxPerClient: 3, ...at(4) }),
      )
      expect(moved.replaced).toHaveLength(1)
      // Another client is not affected; the refused request left nothing behind.
      await placed(
        holds,
        request({ resourceId, sessionId: id('s'), clientKey: id('client'), maxPerClient: 3, ...at(3) }),
      )
      expect(await holds.listLive(resourceId, T0, T0 + 10 * HOUR)).toHaveLength(4)
    })

    it('frees the budget when a hold is released or expires', async () => {
      const { holds, clock } = make()
      const [resourceId, client] = [id('r'), id('client')]
      const a = await placed(
        holds,
        request({ resourceId, sessionId: id('s'), clientKey: client, maxPerClient: 2, ttlMs: 60_000, ...at(0) }),
      )
      const bSession = id('s')
      const b = await placed(
        holds,
        request({ resourceId, sessionId: bSession, clientKey: client, maxPerClient: 2, ttlMs: 120_000, ...at(1) }),
      )
      expect(
        await holds.place(request({ resourceId, sessionId: id('s'), clientKey: client, maxPerClient: 2, ...at(2) })),
      ).toMatchObject({ reason: 'client_limit' })
      expect(await holds.release(b.hold.id, bSession)).toBe(true)
      await placed(holds, request({ resourceId, sessionId: id('s'), clientKey: client, maxPerClient: 2, ...at(2) }))
      expect(
        await holds.place(request({ resourceId, sessionId: id('s'), clientKey: client, maxPerClient: 2, ...at(3) })),
      ).toMatchObject({ reason: 'client_limit', retryAt: a.hold.expiresAt })
      clock.set(a.hold.expiresAt)
      await placed(holds, request({ resourceId, sessionId: id('s'), clientKey: client, maxPerClient: 2, ...at(3) }))
    })

    it('moves a session’s hold out of its old client’s budget when the session comes back from another address', async () => {
      const { holds } = make()
      const [resourceId, home, mobile, sessionId] = [id('r'), id('home'), id('mobile'), id('s')]
      await placed(holds, request({ resourceId, sessionId, clientKey: home, maxPerClient: 1, ...at(0) }))
      await placed(holds, request({ resourceId, sessionId, clientKey: mobile, maxPerClient: 1, ...at(1) }))
      await placed(holds, request({ resourceId, sessionId: id('s'), clientKey: home, maxPerClient: 1, ...at(2) }))
    })

    it('lets one client win exactly its limit of 50 simultaneous holds', async () => {
      const { holds } = make()
      const [resourceId, client] = [id('r'), id('client')]
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          holds.place(request({ resourceId, sessionId: id('s'), clientKey: client, maxPerClient: 4, ...at(i) })),
        ),
      )
      expect(results.filter((r) => r.ok)).toHaveLength(4)
      expect(results.filter((r) => !r.ok && r.reason === 'client_limit')).toHaveLength(46)
    })

    it('ignores the client when no limit is given', async () => {
      const { holds } = make()
      const [resourceId, client] = [id('r'), id('client')]
      for (let i = 0; i < 6; i++)
        await placed(holds, request({ resourceId, sessionId: id('s'), clientKey: client, ...at(i) }))
    })
  })

  it('releases compare-then-delete: only the owner, only once', async () => {
    const { holds } = make()
    const [resourceId, sessionId] = [id('r'), id('s')]
    const { hold } = await placed(holds, request({ resourceId, sessionId }))
    expect(await holds.release(hold.id, id('stranger'))).toBe(false)
    expect(await holds.get(hold.id, sessionId)).toBeDefined()
    expect(await holds.release(hold.id, sessionId)).toBe(true)
    expect(await holds.release(hold.id, sessionId)).toBe(false)
    expect(await holds.listLive(resourceId, T0, T0 + HOUR)).toEqual([])
  })

  it('lets exactly one of 200 simultaneous sessions hold a slot', async () => {
    const { holds } = make()
    const resourceId = id('r')
    const results = await Promise.all(
      Array.from({ length: 200 }, () => holds.place(request({ resourceId, sessionId: id('s') }))),
    )
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok && r.reason === 'slot_held')).toHaveLength(199)
  })

  it('holds 50 distinct slots placed at once', async () => {
    const { holds } = make()
    const resourceId = id('r')
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        holds.place(
          request({
            resourceId,
            sessionId: id('s'),
            start: T0 + i * HOUR,
            end: T0 + (i + 1) * HOUR,
            blockStart: T0 + i * HOUR,
            blockEnd: T0 + (i + 1) * HOUR,
          }),
        ),
      ),
    )
    expect(results.every((r) => r.ok)).toBe(true)
    expect(await holds.listLive(resourceId, T0, T0 + 50 * HOUR)).toHaveLength(50)
  })

  describe('seats', () => {
    const cls = (over: Partial<PlaceHoldRequest> & Pick<PlaceHoldRequest, 'resourceId' | 'sessionId'>) =>
      request({ capacity: 10, ...over })

    it('fills a class of 10 with 3 + 3 + 3, refuses 2 more places and takes the last one', async () => {
      const { holds } = make()
      const resourceId = id('r')
      for (let i = 0; i < 3; i++) await placed(holds, cls({ resourceId, sessionId: id('s'), seats: 3 }))
      expect(await holds.place(cls({ resourceId, sessionId: id('s'), seats: 2 }))).toEqual({
        ok: false,
        reason: 'slot_held',
      })
      const last = await placed(holds, cls({ resourceId, sessionId: id('s'), seats: 1 }))
      expect(last.hold.seats).toBe(1)
      expect(await holds.place(cls({ resourceId, sessionId: id('s'), seats: 1 }))).toEqual({
        ok: false,
        reason: 'slot_held',
      })
      const live = await holds.listLive(resourceId, T0, T0 + HOUR)
      expect(live.map((h) => h.seats).sort()).toEqual([1, 3, 3, 3])
    })

    it('counts the places already booked', async () => {
      const { holds } = make()
      const resourceId = id('r')
      await placed(holds, cls({ resourceId, sessionId: id('s'), seats: 4 }))
      expect(await holds.place(cls({ resourceId, sessionId: id('s'), seats: 2, bookedSeats: 5 }))).toEqual({
        ok: false,
        reason: 'slot_held',
      })
      await placed(holds, cls({ resourceId, sessionId: id('s'), seats: 1, bookedSeats: 5 }))
      // Booked places alone are enough to refuse, even with no hold in the way.
      expect(await holds.place(cls({ resourceId: id('r'), sessionId: id('s'), seats: 3, bookedSeats: 8 }))).toEqual({
        ok: false,
        reason: 'slot_held',
      })
    })

    it('does not count a session’s own hold twice when it holds again with other seats', async () => {
      const { holds } = make()
      const [resourceId, me] = [id('r'), id('s')]
      await placed(holds, cls({ resourceId, sessionId: id('s'), seats: 4 }))
      const first = await placed(holds, cls({ resourceId, sessionId: me, seats: 5 }))
      const again = await placed(holds, cls({ resourceId, sessionId: me, seats: 6 }))
      expect(again.replaced).toEqual([first.hold.id])
      expect(again.hold.seats).toBe(6)
      expect(await holds.get(again.hold.id, me)).toEqual(again.hold)
      expect(await holds.place(cls({ resourceId, sessionId: id('s'), seats: 1 }))).toMatchObject({ ok: false })
    })

    it('only counts holds whose block interval overlaps', async () => {
      const { holds } = make()
      const resourceId = id('r')
      await placed(holds, cls({ resourceId, sessionId: id('s'), seats: 10 }))
      const next = { start: T0 + HOUR, end: T0 + 2 * HOUR, blockStart: T0 + HOUR, blockEnd: T0 + 2 * HOUR }
      await placed(holds, cls({ resourceId, sessionId: id('s'), seats: 10, ...next }))
    })

    it('keeps capacity 1 as it was: any overlapping hold of another session refuses, booked or not', async () => {
      const { holds } = make()
      const resourceId = id('r')
      const first = await placed(holds, request({ resourceId, sessionId: id('s') }))
      expect(first.hold.seats).toBe(1)
      expect(await holds.place(request({ resourceId, sessionId: id('s') }))).toEqual({ ok: false, reason: 'slot_held' })
      expect(await holds.place(request({ resourceId: id('r'), sessionId: id('s'), bookedSeats: 1 }))).toEqual({
        ok: false,
        reason: 'slot_held',
      })
    })

    it('lets exactly 10 of 200 simultaneous one-place sessions into a class of 10', async () => {
      const { holds } = make()
      const resourceId = id('r')
      const results = await Promise.all(
        Array.from({ length: 200 }, () => holds.place(cls({ resourceId, sessionId: id('s') }))),
      )
      expect(results.filter((r) => r.ok)).toHaveLength(10)
      expect(results.filter((r) => !r.ok && r.reason === 'slot_held')).toHaveLength(190)
    })
  })

  it('rate-limits per key and says when to retry', async () => {
    const { limiter } = make(3)
    const key = id('ip')
    const decisions = []
    for (let i = 0; i < 4; i++) decisions.push(await limiter!.consume(key))
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false])
    expect(decisions[3]!.retryAfterSec).toBeGreaterThan(0)
    expect((await limiter!.consume(id('other-ip'))).allowed).toBe(true)
  })

  it('peeks at a key’s budget without spending it', async () => {
    const { limiter } = make(2)
    const key = id('ip')
    for (let i = 0; i < 5; i++) expect(await limiter!.peek(key)).toEqual({ allowed: true, retryAfterSec: 0 })
    await limiter!.consume(key)
    expect((await limiter!.peek(key)).allowed).toBe(true)
    await limiter!.consume(key)
    const refused = await limiter!.peek(key)
    expect(refused.allowed).toBe(false)
    expect(refused.retryAfterSec).toBeGreaterThan(0)
    expect((await limiter!.peek(id('other-ip'))).allowed).toBe(true)
  })
})
