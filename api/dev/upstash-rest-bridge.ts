import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createClient, RESP_TYPES } from 'redis'

/**
 * A local server speaking the part of Upstash's REST protocol that `@upstash/redis` and
 * `@upstash/ratelimit` use, in front of a real Redis: so dev machines and CI run the real
 * client code against real Redis. Not for production (Upstash is the production server).
 *
 * Protocol: always POST; body = one command as a JSON array (`/`), or an array of them
 * (`/pipeline`, `/multi-exec`); `Authorization: Bearer <token>`; with `Upstash-Encoding:
 * base64` every string in a result is base64 of its bytes except the status reply "OK".
 */
export interface UpstashBridge {
  url: string
  token: string
  close(): Promise<void>
}

export interface UpstashBridgeOptions {
  redisUrl: string
  token?: string
  port?: number
  host?: string
}

type Reply = null | number | string | Buffer | Reply[] | { toString(): string }
type Outcome = { result: unknown } | { error: string }

const SHEBANG_FLAG = /^(#!lua[^\n]*?)allow-key-locking,?([^\n]*)/

// A shared dev Redis must survive a stray command from a test.
const REFUSED = new Set(['shutdown', 'config', 'debug', 'flushall', 'flushdb', 'monitor', 'subscribe', 'psubscribe', 'replicaof', 'slaveof'])

export async function startUpstashBridge(options: UpstashBridgeOptions): Promise<UpstashBridge> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  // RESP2 keeps reply shapes plain; Buffers keep the bytes exact for base64.
  const redis = createClient({ url: options.redisUrl, RESP: 2 }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer })
  redis.on('error', () => {}) // surfaced per request as 503
  await redis.connect()

  // Upstash accepts a Lua shebang flag (`allow-key-locking`, used by @upstash/ratelimit)
  // that Redis 7.0 rejects. Scripts are run without it, and EVALSHA of the original text's
  // SHA is mapped to the SHA of what Redis actually loaded.
  const shaOf = new Map<string, string>()
  const adaptScript = (args: string[]): string[] => {
    const name = args[0]!.toLowerCase()
    const bodyAt = name === 'eval' || name === 'eval_ro' ? 1 : name === 'script' && args[1]?.toLowerCase() === 'load' ? 2 : -1
    if (bodyAt > 0 && SHEBANG_FLAG.test(args[bodyAt]!)) {
      const original = args[bodyAt]!
      const adapted = original.replace(SHEBANG_FLAG, (_m, before: string, after: string) => `${before}${after}`.replace(/flags=,?\s*$/m, '').replace(/,\s*$/m, ''))
      shaOf.set(sha1(original), sha1(adapted))
      return args.map((a, i) => (i === bodyAt ? adapted : a))
    }
    if ((name === 'evalsha' || name === 'evalsha_ro') && shaOf.has(args[1]!.toLowerCase())) {
      return args.map((a, i) => (i === 1 ? shaOf.get(a.toLowerCase())! : a))
    }
    return args
  }

  const run = async (command: unknown): Promise<Reply> => {
    const args = adaptScript(toArgs(command))
    if (REFUSED.has(args[0]!.toLowerCase())) throw new Error(`ERR command '${args[0]}' is disabled by the dev bridge`)
    const reply = (await redis.sendCommand(args)) as Reply
    // SCRIPT LOAD answers with the SHA Redis knows; the client expects its own.
    if (args[0]!.toLowerCase() === 'script' && args[1]?.toLowerCase() === 'load') {
      const original = [...shaOf].find(([, adapted]) => adapted === String(reply))?.[0]
      if (original) return original
    }
    return reply
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 503, { error: `Redis unavailable: ${messageOf(error)}` }))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!authorized(req.headers.authorization, token)) return send(res, 401, { error: 'Unauthorized' })
    if (req.method !== 'POST') return send(res, 405, { error: 'POST only' })
    const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64'
    const encode = (reply: Reply) => encodeReply(reply, base64)
    const path = new URL(req.url ?? '/', 'http://bridge').pathname
    const raw = await readBody(req)
    let body: unknown
    try {
      body = raw.length > 0 ? JSON.parse(raw) : []
    } catch {
      return send(res, 400, { error: 'ERR body is not JSON' })
    }
    if (!redis.isReady) return send(res, 503, { error: 'Redis unavailable' })

    if (path === '/pipeline') {
      if (!Array.isArray(body)) return send(res, 400, { error: 'ERR pipeline body must be an array of commands' })
      // Issued together on one connection, so Redis runs them in order.
      const settled = await Promise.allSettled(body.map((command) => run(command)))
      return send(res, 200, settled.map((s): Outcome => (s.status === 'fulfilled' ? { result: encode(s.value) } : { error: messageOf(s.reason) })))
    }
    if (path === '/multi-exec') {
      if (!Array.isArray(body)) return send(res, 400, { error: 'ERR multi-exec body must be an array of commands' })
      const multi = redis.multi()
      try {
        for (const command of body) multi.addCommand(toArgs(command))
      } catch (error) {
        return send(res, 400, { error: messageOf(error) })
      }
      try {
        const replies = (await multi.exec()) as Reply[]
        return send(res, 200, replies.map((reply): Outcome => ({ result: encode(reply) })))
      } catch (error) {
        const partial = error as { replies?: unknown[]; errorIndexes?: number[] }
        if (Array.isArray(partial.replies) && Array.isArray(partial.errorIndexes)) {
          return send(
            res,
            200,
            partial.replies.map((reply, i): Outcome =>
              partial.errorIndexes!.includes(i) ? { error: messageOf(reply) } : { result: encode(reply as Reply) },
            ),
          )
        }
        return send(res, 400, { error: messageOf(error) })
      }
    }
    // One command: in the body, or in the path (`/set/key/value`) with body args appended.
    const fromPath = path.split('/').filter(Boolean).map(decodeURIComponent)
    const command = fromPath.length > 0 ? [...fromPath, ...(Array.isArray(body) ? body : [])] : body
    try {
      return send(res, 200, { result: encode(await run(command)) })
    } catch (error) {
      if (!redis.isReady) throw error
      return send(res, 400, { error: messageOf(error) })
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    token,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await redis.close().catch(() => {})
    },
  }
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex')
}

function toArgs(command: unknown): string[] {
  if (!Array.isArray(command) || command.length === 0) throw new Error('ERR a command is a non-empty JSON array')
  return command.map((arg) => (typeof arg === 'string' ? arg : typeof arg === 'object' ? JSON.stringify(arg) : String(arg)))
}

function encodeReply(reply: Reply, base64: boolean): unknown {
  if (reply === null || typeof reply === 'number') return reply
  if (Buffer.isBuffer(reply)) return base64 ? reply.toString('base64') : reply.toString('utf8')
  if (Array.isArray(reply)) return reply.map((r) => encodeReply(r, base64))
  const text = String(reply)
  // Status replies arrive as strings; the client expects "OK" verbatim.
  return base64 && text !== 'OK' ? Buffer.from(text, 'utf8').toString('base64') : text
}

function authorized(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '')
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
