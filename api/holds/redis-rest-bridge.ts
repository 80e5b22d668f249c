import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createClient, ErrorReply, RESP_TYPES } from 'redis'

/**
 * A loopback server speaking the part of Upstash's REST protocol that `@upstash/redis` and
 * `@upstash/ratelimit` use, in front of a real Redis. It is how a Node process uses a plain
 * Redis (REDIS_URL): `npm start` and `npm run due-work` start one inside the process, bound to
 * 127.0.0.1 on a free port with a random token, so the hold store, the availability version
 * and the rate limiters run the same client code (and the same Lua scripts) as against
 * Upstash and on the edge. That makes it a supported production path for self-hosting with
 * your own Redis; tests and dev machines use it the same way.
 *
 * Limits: it adds one loopback HTTP hop per command batch (about 0.9 ms per command
 * measured), every request shares one Redis connection per process, and it refuses
 * commands that would change that connection's state or block it (below). Where a managed
 * Upstash database is used (UPSTASH_REDIS_REST_URL, always on the edge), no bridge starts.
 *
 * Protocol: `POST /` with one command as a JSON array, `POST /pipeline` and
 * `POST /multi-exec` with an array of commands (answered with one `{result}` or `{error}`
 * each), or the command in the path (`/set/key/value`); `Authorization: Bearer <token>`;
 * with `Upstash-Encoding: base64` every string in a result is base64 of its bytes, except
 * a top-level status "OK".
 */
export interface UpstashBridge {
  url: string
  token: string
  close(): Promise<void>
}

export interface UpstashBridgeOptions {
  redisUrl: string
  token?: string
  /** 0 (the default) picks a free port. */
  port?: number
  host?: string
}

type Reply = null | number | string | Buffer | Error | Reply[]

/** Bad input or a refused command: answered like a Redis error (400 / `{error}`), never 503. */
class CommandError extends Error {}

// Every request shares one connection, to a Redis that other processes (or developers and test runs) share too.
const REFUSED = new Set([
  // would hurt the shared server
  ...['shutdown', 'config', 'debug', 'flushall', 'flushdb', 'replicaof', 'slaveof', 'failover', 'module', 'acl'],
  // would change the state of the bridge's one connection (transactions go through /multi-exec)
  ...['multi', 'exec', 'discard', 'watch', 'unwatch', 'select', 'hello', 'auth', 'reset', 'quit', 'client'],
  ...[
    'monitor',
    'sync',
    'psync',
    'subscribe',
    'psubscribe',
    'ssubscribe',
    'unsubscribe',
    'punsubscribe',
    'sunsubscribe',
  ],
  // would block every other request
  ...['blpop', 'brpop', 'brpoplpush', 'blmove', 'blmpop', 'bzpopmin', 'bzpopmax', 'bzmpop', 'wait', 'waitaof'],
])

export async function startUpstashBridge(options: UpstashBridgeOptions): Promise<UpstashBridge> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  const host = options.host ?? '127.0.0.1'
  let connected = false
  let lastError: Error | undefined
  const redis = createClient({
    url: options.redisUrl,
    // RESP3 (the default) changes reply shapes.
    RESP: 2,
    // Fail fast: an unreachable Redis rejects startup, and while Redis is away requests get 503
    // at once instead of queueing; once connected, keep reconnecting so a Redis restart heals.
    disableOfflineQueue: true,
    socket: { reconnectStrategy: (retries, cause) => (connected ? Math.min(50 * 2 ** retries, 2000) : cause) },
  }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }) // Buffers keep the exact bytes for base64.
  redis.on('error', (error: Error) => (lastError = error)) // reported with each 503
  redis.on('ready', () => (lastError = undefined))
  try {
    await redis.connect()
  } catch (error) {
    redis.destroy()
    throw new Error(`Redis REST bridge: cannot reach Redis at ${redactUrl(options.redisUrl)}: ${messageOf(error)}`, {
      cause: error,
    })
  }
  connected = true

  // Upstash accepts the shebang flag `allow-key-locking` (every @upstash/ratelimit script has it);
  // Redis 7.0 rejects it. Scripts run without it, and EVALSHA of the original text's SHA is
  // mapped to the SHA of what Redis loaded (else every call would be NOSCRIPT, then EVAL).
  // SCRIPT LOAD answers with the loaded SHA; the clients compute theirs and never compare.
  const loadedSha = new Map<string, string>()
  const adaptScript = (args: string[], name: string): string[] => {
    const bodyAt =
      name === 'eval' || name === 'eval_ro' ? 1 : name === 'script' && args[1]?.toLowerCase() === 'load' ? 2 : -1
    const script = args[bodyAt]
    if (script !== undefined) {
      const adapted = script.replace(
        SHEBANG_FLAGS,
        (_m, head: string, flags: string) =>
          head +
          flags
            .split(',')
            .filter((f) => f !== 'allow-key-locking')
            .join(','),
      )
      if (adapted !== script) loadedSha.set(sha1(script), sha1(adapted))
      return args.with(bodyAt, adapted)
    }
    const sha =
      (name === 'evalsha' || name === 'evalsha_ro') && args[1] ? loadedSha.get(args[1].toLowerCase()) : undefined
    return sha ? args.with(1, sha) : args
  }

  const prepare = (command: unknown): string[] => {
    if (!Array.isArray(command) || command.length === 0)
      throw new CommandError('ERR a command is a non-empty JSON array')
    // The client sends numbers and booleans as JSON values; Redis wants every argument as a string.
    const args = command.map((arg) =>
      typeof arg === 'string' ? arg : typeof arg === 'object' ? JSON.stringify(arg) : String(arg),
    )
    const name = args[0]!.toLowerCase()
    if (REFUSED.has(name))
      throw new CommandError(`ERR command '${args[0]}' is refused by the local Upstash REST bridge`)
    return adaptScript(args, name)
  }

  // No await before sendCommand: a pipeline's commands are queued in their order.
  const run = async (command: unknown): Promise<Reply> => (await redis.sendCommand(prepare(command))) as Reply

  const transaction = async (commands: unknown[]): Promise<Reply[]> => {
    const queued = commands.map(prepare)
    // MULTI, the commands and EXEC are queued in one synchronous run, so no other request's
    // command can land inside the transaction on the shared connection.
    const replies = await Promise.allSettled([
      redis.sendCommand(['MULTI']),
      ...queued.map((args) => redis.sendCommand(args)),
      redis.sendCommand(['EXEC']),
    ])
    const exec = replies.at(-1)!
    if (exec.status === 'fulfilled') return exec.value as unknown as Reply[]
    // EXECABORT names no cause; the command that failed to queue does.
    const rejected = replies
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => r.reason as unknown)
    throw (
      rejected.find((reason) => !(reason instanceof ErrorReply)) ??
      rejected.find((reason) => !messageOf(reason).startsWith('EXECABORT')) ??
      exec.reason
    )
  }

  async function answer(req: IncomingMessage, base64: boolean): Promise<unknown> {
    const path = new URL(req.url ?? '/', 'http://bridge').pathname
    const raw = await readBody(req)
    const json = parseJson(raw)
    if (path === '/pipeline' || path === '/multi-exec') {
      if (!Array.isArray(json)) throw new CommandError(`ERR ${path} takes a JSON array of commands`)
      if (path === '/multi-exec') return (await transaction(json)).map((reply) => outcome(reply, base64))
      const settled = await Promise.allSettled(json.map(run))
      const lost = settled.find((s) => s.status === 'rejected' && !isCommandFailure(s.reason))
      if (lost?.status === 'rejected') throw lost.reason
      return settled.map((s) => (s.status === 'fulfilled' ? outcome(s.value, base64) : { error: messageOf(s.reason) }))
    }
    // A command in the path takes extra arguments from a JSON array body, or the raw body as its
    // last argument (`curl -d value …/set/key`), as Upstash does.
    const fromPath = path.split('/').filter(Boolean).map(decodePathSegment)
    const extra = Array.isArray(json) ? json : raw.length > 0 ? [raw] : []
    return { result: encode(await run(fromPath.length > 0 ? [...fromPath, ...extra] : json), base64, true) }
  }

  const server = createServer((req, res) => {
    if (!isAuthorized(req.headers.authorization, token)) return send(res, 401, { error: 'Unauthorized' })
    if (req.method !== 'POST' && req.method !== 'GET') return send(res, 405, { error: 'ERR use POST' })
    const base64 = String(req.headers['upstash-encoding']).toLowerCase() === 'base64'
    answer(req, base64).then(
      (body) => send(res, 200, body),
      (error: unknown) =>
        isCommandFailure(error)
          ? send(res, 400, { error: messageOf(error) })
          : send(res, 503, {
              error: `Redis unavailable: ${messageOf(error)}${lastError ? ` (last connection error: ${lastError.message})` : ''}`,
            }),
    )
  })

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, host, () => resolve())
    })
  } catch (error) {
    redis.destroy()
    throw error
  }
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    token,
    async close() {
      // The client keeps connections alive; a dev server need not drain them.
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      redis.destroy()
    },
  }
}

const SHEBANG_FLAGS = /^(#!lua\b[^\n]*?\bflags=)([^\s]*)/

function outcome(reply: Reply, base64: boolean): { result: unknown } | { error: string } {
  return reply instanceof Error ? { error: reply.message } : { result: encode(reply, base64, true) }
}

function encode(reply: Reply, base64: boolean, topLevel: boolean): unknown {
  if (reply === null || typeof reply === 'number') return reply
  if (Array.isArray(reply)) return reply.map((r) => encode(r, base64, false))
  const bytes = Buffer.isBuffer(reply) ? reply : Buffer.from(reply instanceof Error ? reply.message : reply)
  if (!base64) return bytes.toString('utf8')
  // The client keeps a top-level "OK" verbatim (Upstash sends that status unencoded) but
  // base64-decodes every string inside an array, where a bare "OK" would turn into "8".
  return topLevel && reply === 'OK' ? reply : bytes.toString('base64')
}

function isCommandFailure(error: unknown): boolean {
  return error instanceof ErrorReply || error instanceof CommandError
}

function parseJson(raw: string): unknown {
  if (raw.length === 0) return undefined
  try {
    return JSON.parse(raw) as unknown
  } catch {
    return raw
  }
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new CommandError(`ERR bad path segment ${segment}`)
  }
}

function isAuthorized(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '')
  const expected = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) })
  res.end(json)
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex')
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return '(unparsable REDIS_URL)'
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
