import { randomBytes } from 'node:crypto'
import { Redis } from '@upstash/redis'
import { describe, expect, it } from 'vitest'
import { createBatchedScript, createEvalBatcher } from './script-batcher'

/** Needs the REST endpoint test/global-setup.ts starts in front of Redis (REDIS_URL). */
const url = process.env.UPSTASH_REDIS_REST_URL
const token = process.env.UPSTASH_REDIS_REST_TOKEN

describe.skipIf(!url || !token)('scripts batched for crowds placing holds', () => {
  const redis = () =>
    new Redis({
      url: url!,
      token: token!,
      enableTelemetry: false,
      automaticDeserialization: false,
      enableAutoPipelining: false,
    })

  it('answers each of 300 simultaneous calls with its own result, in a few round trips, loading an unknown script once', async () => {
    const client = redis()
    let trips = 0
    const loads: string[] = []
    const counting = new Proxy(client, {
      get(target, prop, receiver) {
        if (prop === 'pipeline' || prop === 'evalsha') trips++
        if (prop === 'scriptLoad' || prop === 'eval') loads.push(prop)
        return Reflect.get(target, prop, receiver) as unknown
      },
    })
    // A script no Redis has seen yet: the crowd meets NOSCRIPT first.
    const script = createBatchedScript<string>(
      counting,
      createEvalBatcher(counting),
      `-- ${randomBytes(8).toString('hex')}\nreturn ARGV[1] .. ':' .. KEYS[1]`,
    )
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => script.exec([`k${i}`], [`v${i}`])))
    expect(results).toEqual(Array.from({ length: 300 }, (_, i) => `v${i}:k${i}`))
    expect(trips).toBeLessThan(40)
    expect(loads).toEqual(['scriptLoad'])
  })

  it('fails only the call whose script run failed, not the others in its pipeline', async () => {
    const client = redis()
    const script = createBatchedScript<string>(
      client,
      createEvalBatcher(client, { maxInFlight: 1 }),
      `if ARGV[1] == 'bad' then return redis.error_reply('refused') end return ARGV[1]`,
    )
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => script.exec([], [i === 7 ? 'bad' : `ok${i}`])),
    )
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1)
    expect(outcomes[7]?.status).toBe('rejected')
    expect(outcomes[3]).toEqual({ status: 'fulfilled', value: 'ok3' })
  })
})
