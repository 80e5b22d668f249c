import type { Redis } from '@upstash/redis'

export interface EvalBatcherOptions {
  /** Round trips allowed in flight at once; calls beyond them wait and go together. */
  maxInFlight?: number
  /** Most calls sent in one round trip. */
  maxBatch?: number
}

interface Call {
  sha: string
  keys: string[]
  args: unknown[]
  resolve(value: unknown): void
  reject(error: unknown): void
}

/** `EVALSHA` whose calls share HTTP round trips under load. */
export interface EvalBatcher {
  evalsha(sha: string, keys: string[], args: unknown[]): Promise<unknown>
}

/**
 * Runs Lua scripts by SHA for many callers. While fewer than `maxInFlight` round trips are
 * out, a call goes alone at once (no added latency when traffic is light); calls made
 * while they are all out wait, and go together in one pipeline when one comes back. A crowd
 * placing holds at once thus costs a handful of HTTP round trips instead of one each.
 * Every script run is still atomic on its own; a pipeline only shares the trip. A script
 * Redis does not know fails with its NOSCRIPT error, as a lone EVALSHA would.
 */
export function createEvalBatcher(redis: Redis, options: EvalBatcherOptions = {}): EvalBatcher {
  const maxInFlight = options.maxInFlight ?? 4
  const maxBatch = options.maxBatch ?? 500
  const waiting: Call[] = []
  let inFlight = 0

  async function send(batch: Call[]): Promise<void> {
    if (batch.length === 1) {
      const call = batch[0]!
      await redis.evalsha(call.sha, call.keys, call.args).then(call.resolve, call.reject)
      return
    }
    let replies: { error?: string | undefined; result?: unknown }[]
    try {
      const pipeline = redis.pipeline()
      for (const call of batch) pipeline.evalsha(call.sha, call.keys, call.args)
      replies = await pipeline.exec<unknown[]>({ keepErrors: true })
    } catch (error) {
      for (const call of batch) call.reject(error)
      return
    }
    batch.forEach((call, i) => {
      const reply = replies[i]
      if (!reply) call.reject(new Error('script pipeline: no reply'))
      else if (reply.error) call.reject(new Error(reply.error))
      else call.resolve(reply.result)
    })
  }

  function pump(): void {
    while (inFlight < maxInFlight && waiting.length > 0) {
      const batch = waiting.splice(0, maxBatch)
      inFlight++
      void send(batch).finally(() => {
        inFlight--
        pump()
      })
    }
  }

  return {
    evalsha(sha, keys, args) {
      return new Promise((resolve, reject) => {
        waiting.push({ sha, keys, args, resolve, reject })
        pump()
      })
    },
  }
}

/**
 * One script through the batcher. Should Redis not know it (a fresh or restarted Redis),
 * the whole crowd that met that waits for one SCRIPT LOAD and sends its EVALSHAs again,
 * instead of each sending the full text with EVAL.
 */
export function createBatchedScript<T>(redis: Redis, batcher: EvalBatcher, script: string) {
  const sha = sha1Hex(script)
  let loading: Promise<unknown> | undefined
  return {
    async exec(keys: string[], args: string[]): Promise<T> {
      try {
        return (await batcher.evalsha(await sha, keys, args)) as T
      } catch (error) {
        if (!isNoScript(error)) throw error
      }
      loading ??= redis.scriptLoad(script).finally(() => (loading = undefined))
      await loading
      try {
        return (await batcher.evalsha(await sha, keys, args)) as T
      } catch (error) {
        // Flushed again in between: this one sends the text itself.
        if (!isNoScript(error)) throw error
        return (await redis.eval(script, keys, args)) as T
      }
    },
  }
}

/**
 * The client as `@upstash/ratelimit` sees it: its EVALSHA goes through the batcher (it
 * falls back to EVAL itself on NOSCRIPT); everything else is the client's own.
 */
export function withBatchedEvalsha(redis: Redis, batcher: EvalBatcher): Redis {
  return new Proxy(redis, {
    get(target, prop, receiver) {
      if (prop === 'evalsha') return (sha: string, keys: string[], args: unknown[]) => batcher.evalsha(sha, keys, args)
      return Reflect.get(target, prop, receiver) as unknown
    },
  })
}

function isNoScript(error: unknown): boolean {
  return String(error instanceof Error ? error.message : error)
    .toLowerCase()
    .includes('noscript')
}

async function sha1Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}
