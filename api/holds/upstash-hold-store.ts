import type { Redis } from '@upstash/redis'
import type { Clock } from '../clock'
import type { AvailabilityVersions } from '../availability-versions'
import type { Hold, HoldStore, PlaceHoldResult } from './hold-store'
import { limitsClient, newHold, overlaps, resourceOfHoldId } from './new-hold'
import { createBatchedScript, createEvalBatcher, type EvalBatcher } from './script-batcher'

/**
 * Key layout (every key a script touches is passed in KEYS):
 *   {prefix}holds:r:{resourceId}  hash holdId → hold JSON   (overlap checks, availability)
 *   {prefix}holds:s:{sessionId}   hash holdId → hold JSON   (get, release, per-session limit)
 *   {prefix}holds:c:{clientKey}   hash holdId → hold JSON   (per-client limit; only with one)
 * Expiry is logical: `ex` against the app clock passed in ARGV, so Redis and memory agree
 * and every app process uses the same rule. PEXPIRE on the hashes only collects garbage.
 * ARGV: now, hold JSON, max per session, ttl, capacity, places booked, [max per client].
 */
const PLACE = `
local now = tonumber(ARGV[1])
local hold = cjson.decode(ARGV[2])
local max = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local capacity = tonumber(ARGV[5])
local wanted = hold.n or 1
local taken = tonumber(ARGV[6])
local replaced = {}
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  local h = cjson.decode(entries[i + 1])
  if h.ex <= now then
    redis.call('HDEL', KEYS[1], entries[i])
  elseif h.s == hold.s then
    replaced[#replaced + 1] = h
  elseif h.bs < hold.be and hold.bs < h.be then
    taken = taken + (h.n or 1)
    if taken + wanted > capacity then return {'slot_held'} end
  end
end
if taken + wanted > capacity then return {'slot_held'} end
local others = 0
local mine = redis.call('HGETALL', KEYS[2])
for i = 1, #mine, 2 do
  local h = cjson.decode(mine[i + 1])
  if h.ex <= now then
    redis.call('HDEL', KEYS[2], mine[i])
  elseif h.r ~= hold.r then
    others = others + 1
  end
end
if others + 1 > max then return {'session_limit'} end
if KEYS[3] then
  local moving = {}
  for _, h in ipairs(replaced) do moving[h.id] = true end
  local count, first = 0, nil
  local theirs = redis.call('HGETALL', KEYS[3])
  for i = 1, #theirs, 2 do
    local h = cjson.decode(theirs[i + 1])
    if h.ex <= now then
      redis.call('HDEL', KEYS[3], theirs[i])
    elseif not moving[h.id] then
      count = count + 1
      if first == nil or h.ex < first then first = h.ex end
    end
  end
  if count + 1 > tonumber(ARGV[7]) then return {'client_limit', first} end
end
for _, h in ipairs(replaced) do
  redis.call('HDEL', KEYS[1], h.id)
  redis.call('HDEL', KEYS[2], h.id)
  if KEYS[3] and h.c == hold.c then redis.call('HDEL', KEYS[3], h.id) end
end
for k = 1, #KEYS do
  redis.call('HSET', KEYS[k], hold.id, ARGV[2])
  if redis.call('PTTL', KEYS[k]) < ttl then redis.call('PEXPIRE', KEYS[k], ttl) end
end
local out = {'ok'}
for _, h in ipairs(replaced) do
  out[#out + 1] = h.id
  out[#out + 1] = h.c or ''
end
return out
`

// Compare-then-delete: the entry is removed only from the asking session's own hash (so
// only its owner can release it). Returns the removed entry, for the caller's expiry check.
const RELEASE = `
local current = redis.call('HGET', KEYS[2], ARGV[1])
if not current then return false end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[1], ARGV[1])
return current
`

/** The stored form: short keys, because every place() decodes every hold on the resource. */
interface Packed {
  id: string
  r: string
  s: string
  st: number
  en: number
  bs: number
  be: number
  ex: number
  /** Places held; absent = 1. */
  n?: number
  c?: string
  /** Pool and party size, when held through a pool. */
  p?: string
  ps?: number
  /** A combined booking's hold: service, position, and (on the lead) its parts' holds. */
  sv?: string
  sp?: number
  ph?: string[]
}

export interface UpstashHoldStoreOptions {
  keyPrefix?: string
  /** Shares round trips with the other scripts sent on this client (the rate limiters). */
  batcher?: EvalBatcher
}

/**
 * Holds in Redis through `@upstash/redis`. The client must be created with
 * `automaticDeserialization: false`: entries are read back as the raw strings stored.
 */
export function createUpstashHoldStore(redis: Redis, clock: Clock, options: UpstashHoldStoreOptions = {}): HoldStore {
  const prefix = options.keyPrefix ?? ''
  const resourceKey = (id: string) => `${prefix}holds:r:${id}`
  const sessionKey = (id: string) => `${prefix}holds:s:${id}`
  const clientKey = (key: string) => `${prefix}holds:c:${key}`
  // A crowd on one slot shares round trips; each place stays one atomic script run.
  const placeScript = createBatchedScript<string[]>(redis, options.batcher ?? createEvalBatcher(redis), PLACE)
  const releaseScript = redis.createScript<string | null>(RELEASE)

  return {
    async place(request): Promise<PlaceHoldResult> {
      const now = clock.now()
      const hold = newHold(request, now)
      const counted = limitsClient(request)
      const reply = await placeScript.exec(
        [
          resourceKey(request.resourceId),
          sessionKey(request.sessionId),
          ...(counted ? [clientKey(request.clientKey)] : []),
        ],
        [
          String(now),
          pack(hold),
          String(request.maxPerSession),
          String(request.ttlMs),
          String(request.capacity),
          String(request.bookedSeats),
          ...(counted ? [String(request.maxPerClient)] : []),
        ],
      )
      const [status, ...rest] = reply.map(String)
      if (status === 'slot_held' || status === 'session_limit') return { ok: false, reason: status }
      if (status === 'client_limit') return { ok: false, reason: status, retryAt: Number(rest[0]) }
      if (status !== 'ok') throw new Error(`unexpected hold script reply: ${status}`)
      const replaced: string[] = []
      const elsewhere: Promise<unknown>[] = []
      for (let i = 0; i < rest.length; i += 2) {
        const [id, client] = [rest[i]!, rest[i + 1]!]
        replaced.push(id)
        // A session that moved from another address: its old client's entry goes too (the
        // script may only touch the keys it was given; until then it errs towards stricter).
        if (client !== '' && !(counted && client === request.clientKey))
          elsewhere.push(redis.hdel(clientKey(client), id))
      }
      await Promise.all(elsewhere)
      return { ok: true, hold, replaced }
    },
    async get(holdId, sessionId) {
      const raw: unknown = await redis.hget(sessionKey(sessionId), holdId)
      if (typeof raw !== 'string') return undefined
      const hold = unpack(raw)
      return hold.expiresAt > clock.now() ? hold : undefined
    },
    async release(holdId, sessionId) {
      const resourceId = resourceOfHoldId(holdId)
      if (!resourceId) return false
      const removed: unknown = await releaseScript.exec([resourceKey(resourceId), sessionKey(sessionId)], [holdId])
      if (typeof removed !== 'string') return false
      const hold = unpack(removed)
      // A second step, because the script cannot know the client's key in advance; should it
      // fail, the hold only counts against its client until it would have expired anyway.
      if (hold.clientKey !== undefined) await redis.hdel(clientKey(hold.clientKey), holdId)
      return hold.expiresAt > clock.now()
    },
    async listLive(resourceId, from, to) {
      const values: unknown[] = await redis.hvals(resourceKey(resourceId))
      const now = clock.now()
      return values
        .map((raw) => unpack(String(raw)))
        .filter((h) => h.expiresAt > now && overlaps(h.blockStart, h.blockEnd, from, to))
    },
  }
}

// Atomic, so a counter that vanished (eviction, flush) restarts from the time, never from 1.
const BUMP = `
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[1]) end
return redis.call('INCR', KEYS[1])
`

/**
 * The availability version as one Redis counter every process reads, fetched in the same
 * pipeline (one HTTP round trip) as the resource's holds. A missing counter (a fresh or
 * flushed Redis, an evicted key) is unknown: that read is not cached, and the counter is
 * started again from the current time in microseconds, so it never comes back to a
 * number an old cache entry was loaded under.
 */
export function createUpstashAvailabilityVersions(
  redis: Redis,
  clock: Clock,
  options: UpstashHoldStoreOptions = {},
): AvailabilityVersions {
  const prefix = options.keyPrefix ?? ''
  const versionKey = `${prefix}availability:version`
  const bumpScript = redis.createScript<number>(BUMP)
  return {
    async read(resourceId, from, to) {
      const [version, values] = await redis
        .pipeline()
        .get(versionKey)
        .hvals(`${prefix}holds:r:${resourceId}`)
        .exec<[unknown, unknown[]]>()
      const now = clock.now()
      const holds = values
        .map((raw) => unpack(String(raw)))
        .filter((h) => h.expiresAt > now && overlaps(h.blockStart, h.blockEnd, from, to))
      if (version === null || version === undefined) {
        // Started here too, so a Redis that has seen no write since it came up still caches.
        await redis.set(versionKey, String(Date.now() * 1000), { nx: true })
        return { version: undefined, holds }
      }
      return { version: Number(version), holds }
    },
    async bump() {
      await bumpScript.exec([versionKey], [String(Date.now() * 1000)])
    },
  }
}

function pack(hold: Hold): string {
  const packed: Packed = {
    id: hold.id,
    r: hold.resourceId,
    s: hold.sessionId,
    st: hold.start,
    en: hold.end,
    bs: hold.blockStart,
    be: hold.blockEnd,
    ex: hold.expiresAt,
    ...(hold.seats !== 1 ? { n: hold.seats } : {}),
    ...(hold.clientKey !== undefined ? { c: hold.clientKey } : {}),
    ...(hold.poolId !== undefined ? { p: hold.poolId } : {}),
    ...(hold.partySize !== undefined ? { ps: hold.partySize } : {}),
    ...(hold.serviceId !== undefined ? { sv: hold.serviceId } : {}),
    ...(hold.servicePosition !== undefined ? { sp: hold.servicePosition } : {}),
    ...(hold.partHoldIds !== undefined ? { ph: hold.partHoldIds } : {}),
  }
  return JSON.stringify(packed)
}

function unpack(raw: string): Hold {
  const p = JSON.parse(raw) as Packed
  return {
    id: p.id,
    resourceId: p.r,
    sessionId: p.s,
    start: p.st,
    end: p.en,
    blockStart: p.bs,
    blockEnd: p.be,
    expiresAt: p.ex,
    // Holds written before capacity existed carry no count: one place.
    seats: p.n ?? 1,
    ...(p.c !== undefined ? { clientKey: p.c } : {}),
    ...(p.p !== undefined ? { poolId: p.p } : {}),
    ...(p.ps !== undefined ? { partySize: p.ps } : {}),
    ...(p.sv !== undefined ? { serviceId: p.sv } : {}),
    ...(p.sp !== undefined ? { servicePosition: p.sp } : {}),
    ...(p.ph !== undefined ? { partHoldIds: p.ph } : {}),
  }
}
