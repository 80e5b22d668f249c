import { randomBytes } from 'node:crypto'
import { Redis } from '@upstash/redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startUpstashBridge, type UpstashBridge } from './upstash-rest-bridge'

const redisUrl = process.env.REDIS_URL
if (!redisUrl) console.warn('Upstash REST bridge tests skipped: set REDIS_URL (e.g. redis://127.0.0.1:6379) to run them against a real Redis.')

describe.skipIf(!redisUrl)('Upstash REST bridge, driven by the real @upstash/redis client', () => {
  let bridge: UpstashBridge
  let redis: Redis
  const prefix = `bridge-test:${randomBytes(4).toString('hex')}:`
  const k = (name: string) => prefix + name

  beforeAll(async () => {
    bridge = await startUpstashBridge({ redisUrl: redisUrl! })
    redis = new Redis({ url: bridge.url, token: bridge.token, enableTelemetry: false })
  })
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
    await bridge.close()
  })

  it('round-trips strings byte for byte, including non-ASCII and JSON-looking values', async () => {
    await redis.set(k('city'), 'Zürich 🚲')
    expect(await redis.get(k('city'))).toBe('Zürich 🚲')
    await redis.set(k('json'), { a: 1, b: ['x'] })
    expect(await redis.get(k('json'))).toEqual({ a: 1, b: ['x'] })
    await redis.set(k('b64'), 'T0s=')
    expect(await redis.get(k('b64'))).toBe('T0s=')
    expect(await redis.set(k('nx'), 'v', { nx: true, px: 60_000 })).toBe('OK')
    expect(await redis.set(k('nx'), 'w', { nx: true })).toBeNull()
  })

  it('answers integers, hashes, sorted sets and TTLs in the client’s shapes', async () => {
    expect(await redis.incr(k('n'))).toBe(1)
    expect(await redis.incrby(k('n'), 41)).toBe(42)
    await redis.hset(k('h'), { a: 'x', b: '2' })
    expect(await redis.hgetall(k('h'))).toEqual({ a: 'x', b: 2 })
    await redis.zadd(k('z'), { score: 2, member: 'two' }, { score: 1, member: 'one' })
    expect(await redis.zrange(k('z'), 0, -1, { withScores: true })).toEqual(['one', 1, 'two', 2])
    await redis.pexpire(k('h'), 50_000)
    const ttl = await redis.pttl(k('h'))
    expect(ttl).toBeGreaterThan(40_000)
    expect(await redis.del(k('h'), k('z'))).toBe(2)
  })

  it('runs explicit pipelines, MULTI/EXEC transactions and auto-pipelined concurrent calls', async () => {
    const pipe = redis.pipeline()
    pipe.set(k('p1'), 'a')
    pipe.incr(k('p2'))
    pipe.get(k('p1'))
    expect(await pipe.exec()).toEqual(['OK', 1, 'a'])
    const tx = redis.multi()
    tx.incr(k('t'))
    tx.incr(k('t'))
    expect(await tx.exec()).toEqual([1, 2])
    const values = await Promise.all(Array.from({ length: 10 }, (_, i) => redis.set(k(`c${i}`), i).then(() => redis.get(k(`c${i}`)))))
    expect(values).toEqual(Array.from({ length: 10 }, (_, i) => i))
  })

  it('runs Lua with EVAL and falls back from EVALSHA when the script is not loaded', async () => {
    const nested = await redis.eval('return {1, "two", {ARGV[1]}}', [], ['three'])
    expect(nested).toEqual([1, 'two', ['three']])
    const script = redis.createScript<number>(`return redis.call('INCRBY', KEYS[1], ARGV[1]) -- ${prefix}`)
    expect(await script.exec([k('lua')], ['5'])).toBe(5)
    expect(await script.exec([k('lua')], ['5'])).toBe(10)
  })

  it('passes Redis errors through and refuses a wrong token', async () => {
    await redis.set(k('text'), 'abc')
    await expect(redis.incr(k('text'))).rejects.toThrow(/not an integer/)
    const stranger = new Redis({ url: bridge.url, token: 'wrong', enableTelemetry: false, retry: false })
    await expect(stranger.get(k('text'))).rejects.toThrow(/Unauthorized/)
  })
})
