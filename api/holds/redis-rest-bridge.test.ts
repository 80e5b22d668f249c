import { createHash, randomBytes } from 'node:crypto'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { Ratelimit } from '@upstash/ratelimit'
import { Redis } from '@upstash/redis'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startUpstashBridge, type UpstashBridge } from './redis-rest-bridge'

process.env.UPSTASH_DISABLE_TELEMETRY = '1'
const redisUrl = process.env.REDIS_URL
if (!redisUrl)
  console.warn(
    'Upstash REST bridge tests against Redis skipped: set REDIS_URL (e.g. redis://127.0.0.1:6379) to run them.',
  )

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as { port: number }).port
}

describe('Upstash REST bridge startup', () => {
  it('rejects when Redis is unreachable instead of retrying forever', async () => {
    const probe = createServer()
    const port = await listen(probe)
    await new Promise((resolve) => probe.close(resolve))
    await expect(startUpstashBridge({ redisUrl: `redis://:secret@127.0.0.1:${port}` })).rejects.toThrow(
      new RegExp(`cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}.*ECONNREFUSED`),
    )
  })
})

describe.skipIf(!redisUrl)('Upstash REST bridge, driven by the real @upstash/redis client', () => {
  let bridge: UpstashBridge
  let redis: Redis
  const prefix = `bridge-test:${randomBytes(4).toString('hex')}:`
  const k = (name: string) => prefix + name
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(bridge.url + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${bridge.token}`, ...headers },
      body: JSON.stringify(body),
    })

  beforeAll(async () => {
    bridge = await startUpstashBridge({ redisUrl: redisUrl! })
    redis = new Redis({ url: bridge.url, token: bridge.token, enableTelemetry: false })
  })
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
    await bridge.close()
  })

  it('round-trips strings byte for byte, including non-ASCII and base64- or JSON-looking values', async () => {
    await redis.set(k('city'), 'Zürich 🚲')
    expect(await redis.get(k('city'))).toBe('Zürich 🚲')
    await redis.set(k('b64'), 'T0s=')
    expect(await redis.get(k('b64'))).toBe('T0s=')
    await redis.set(k('ok'), 'OK')
    expect(await redis.get(k('ok'))).toBe('OK')
    await redis.set(k('json'), { a: 1, b: ['x'] })
    expect(await redis.get(k('json'))).toEqual({ a: 1, b: ['x'] })
    const verbatim = new Redis({
      url: bridge.url,
      token: bridge.token,
      enableTelemetry: false,
      automaticDeserialization: false,
    })
    expect(await verbatim.get(k('json'))).toBe('{"a":1,"b":["x"]}')
    expect(await redis.set(k('nx'), 'v', { nx: true, px: 60_000 })).toBe('OK')
    expect(await redis.set(k('nx'), 'w', { nx: true })).toBeNull()
  })

  it('answers integers, hashes, sorted sets and TTLs in the client’s shapes', async () => {
    expect(await redis.incr(k('n'))).toBe(1)
    expect(await redis.incrby(k('n'), 41)).toBe(42)
    await redis.hset(k('h'), { a: 'x', b: '2' })
    expect(await redis.hgetall(k('h'))).toEqual({ a: 'x', b: 2 })
    await redis.zadd(k('z'), { score: 2.5, member: 'two' }, { score: 1, member: 'one' })
    expect(await redis.zrange(k('z'), 0, -1, { withScores: true })).toEqual(['one', 1, 'two', 2.5])
    expect(await redis.expire(k('h'), 50)).toBe(1)
    expect(await redis.pttl(k('h'))).toBeGreaterThan(40_000)
    expect(await redis.del(k('h'), k('z'), k('missing'))).toBe(2)
    expect(await redis.get(k('h'))).toBeNull()
  })

  it('runs a pipeline where one failing command leaves the others alone', async () => {
    await redis.set(k('text'), 'abc')
    const results = await redis.pipeline().set(k('p'), 'Zürich').incr(k('text')).get(k('p')).exec({ keepErrors: true })
    expect(results.map((r) => r.result)).toEqual(['OK', undefined, 'Zürich'])
    expect(results[1]?.error).toMatch(/not an integer/)
    expect(await redis.pipeline().incr(k('p2')).incr(k('p2')).exec()).toEqual([1, 2])
  })

  it('runs MULTI/EXEC transactions, and answers an aborted one with an error', async () => {
    expect(await redis.multi().set(k('t'), 'Zürich 🚲').incr(k('tn')).incr(k('tn')).get(k('t')).exec()).toEqual([
      'OK',
      1,
      2,
      'Zürich 🚲',
    ])
    const aborted = await post('/multi-exec', [['set', k('t'), 'x'], ['nosuchcommand']], {
      'upstash-encoding': 'base64',
    })
    expect(aborted.status).toBe(400)
    expect(await aborted.json()).toEqual({ error: expect.stringMatching(/unknown command 'nosuchcommand'/) })
    expect(await redis.get(k('t'))).toBe('Zürich 🚲')
  })

  it('auto-pipelines concurrent calls into one request', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    const values = await Promise.all([
      redis.incr(k('a1')),
      redis.incr(k('a2')),
      redis.incr(k('a1')),
      redis.incrby(k('a1'), 10),
    ])
    expect(values).toEqual([1, 1, 2, 12])
    expect(fetchSpy.mock.calls.map(([url]) => String(url))).toEqual([`${bridge.url}/pipeline`])
    fetchSpy.mockRestore()
    const reads = await Promise.all([redis.get(k('a1')), redis.get(k('a2')), redis.get(k('a-missing'))])
    expect(reads).toEqual([12, 1, null])
  })

  it('runs Lua with EVAL: nested tables, numbers truncated to integers, nested OK status', async () => {
    const script = `return {1, 2.9, "two", {ARGV[1], {"deep"}}, redis.call('SET', KEYS[1], ARGV[1])}`
    expect(await redis.eval(script, [k('lua-set')], ['Zürich'])).toEqual([1, 2, 'two', ['Zürich', ['deep']], 'OK'])
    expect(await redis.eval('return 42', [], [])).toBe(42)
  })

  it('answers EVALSHA of an unloaded script with NOSCRIPT, so createScript falls back to EVAL', async () => {
    const script = redis.createScript<number>(`return redis.call('INCRBY', KEYS[1], ARGV[1]) -- ${prefix}`)
    expect(await script.exec([k('lua')], ['5'])).toBe(5)
    expect(await script.exec([k('lua')], ['5'])).toBe(10)
    await expect(redis.evalsha('0'.repeat(40), [], [])).rejects.toThrow(/NOSCRIPT/)
  })

  it('runs @upstash/ratelimit, whose scripts carry the Upstash-only allow-key-locking flag', async () => {
    const limiter = new Ratelimit({
      redis,
      limiter: Ratelimit.slidingWindow(2, '30 s'),
      prefix: k('rl'),
      ephemeralCache: false,
    })
    const outcomes = []
    for (let i = 0; i < 3; i++) outcomes.push((await limiter.limit('guest')).success)
    expect(outcomes).toEqual([true, true, false])
    // Once EVAL ran a flagged script, EVALSHA of its original text finds it.
    const flagged = `#!lua flags=allow-key-locking\nreturn ARGV[1] -- ${prefix}`
    const sha = createHash('sha1').update(flagged).digest('hex')
    await expect(redis.evalsha(sha, [], ['x'])).rejects.toThrow(/NOSCRIPT/)
    expect(await redis.eval(flagged, [], ['x'])).toBe('x')
    expect(await redis.evalsha(sha, [], ['x'])).toBe('x')
  })

  it('passes Redis errors through, refuses commands that would hurt a shared Redis, and checks the token', async () => {
    await redis.set(k('text'), 'abc')
    await expect(redis.incr(k('text'))).rejects.toThrow(/ERR value is not an integer/)
    await expect(redis.exec(['config', 'get', 'maxmemory'])).rejects.toThrow(/refused/)
    const single = await post('/', ['nosuchcommand', 'x'])
    expect(single.status).toBe(400)
    expect(await single.json()).toEqual({ error: expect.stringMatching(/^ERR unknown command/) })
    const stranger = new Redis({ url: bridge.url, token: 'wrong', enableTelemetry: false })
    await expect(stranger.get(k('text'))).rejects.toThrow(/Unauthorized/)
  })

  it('speaks plain strings without Upstash-Encoding, and takes the command from the path', async () => {
    expect(await (await post(`/set/${encodeURIComponent(k('path'))}/Z%C3%BCrich%20%F0%9F%9A%B2`, [])).json()).toEqual({
      result: 'OK',
    })
    expect(await (await post('/', ['get', k('path')])).json()).toEqual({ result: 'Zürich 🚲' })
    expect(
      await (await post(`/get/${encodeURIComponent(k('path'))}`, [], { 'upstash-encoding': 'base64' })).json(),
    ).toEqual({
      result: Buffer.from('Zürich 🚲').toString('base64'),
    })
  })

  it('answers 503 once Redis goes away', async () => {
    // A TCP proxy in front of Redis stands in for a Redis that stops.
    const target = new URL(redisUrl!)
    const sockets = new Set<Socket>()
    const proxy = createServer((inbound) => {
      const outbound = connect(Number(target.port || 6379), target.hostname)
      for (const socket of [inbound, outbound]) {
        sockets.add(socket)
        socket.on('error', () => {})
      }
      inbound.pipe(outbound).pipe(inbound)
    })
    const via = new URL(redisUrl!)
    via.host = `127.0.0.1:${await listen(proxy)}`
    const proxied = await startUpstashBridge({ redisUrl: via.toString() })
    try {
      const client = new Redis({ url: proxied.url, token: proxied.token, enableTelemetry: false })
      expect(await client.set(k('proxied'), 'v')).toBe('OK')
      proxy.close()
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => setTimeout(resolve, 50))
      const res = await fetch(proxied.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${proxied.token}` },
        body: JSON.stringify(['get', k('proxied')]),
      })
      expect(res.status).toBe(503)
      expect(await res.json()).toEqual({ error: expect.stringMatching(/^Redis unavailable/) })
      await expect(client.get(k('proxied'))).rejects.toThrow(/Redis unavailable/)
    } finally {
      await proxied.close()
    }
  })
})
