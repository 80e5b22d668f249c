import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { openDatabase } from '../api/db/open-database'
import type { ErrorBody } from '../shared/errors'
import { everyDay, insertResource, uniqueSlug } from '../test/fixtures'
import { startApiServer } from '../test/server'

export interface BookingBenchOptions {
  databaseUrl: string | undefined
  /** Holds in Redis through this REST endpoint; undefined = in-memory holds. */
  upstash: { url: string; token: string } | undefined
  quick: boolean
  /** Also fire the many-holds-on-one-slot race. */
  contention: boolean
}

export interface ThroughputResult {
  resources: number
  /** Places per resource; at capacity above 1 every slot is filled to it, one place per booking. */
  capacity: number
  bookings: number
  apiCreatesPerSec: number
  /** The same booking row and outbox rows in one postgres.js transaction per booking. */
  rawTransactionsPerSec: number | undefined
}

export interface BookingBenchResult {
  throughput: ThroughputResult[]
  /** `healthMs`: the same number of GET /health fired at once, the floor of HTTP alone. */
  contention: { holds: number; ms: number; healthMs: number; created: number; held: number; other: number } | undefined
}

const CONCURRENCY = 20

/**
 * Booking creates/s through the real API (holds placed beforehand, distinct slots) against
 * the minimal raw transaction writing the same booking row and outbox rows with postgres.js
 * at the same concurrency; then 1000 holds fired at one slot at once.
 */
export async function benchBookings(options: BookingBenchOptions): Promise<BookingBenchResult> {
  const count = options.quick ? 300 : 1500
  const dataDir = options.databaseUrl ? undefined : await mkdtemp(join(tmpdir(), 'booking-bench-'))
  const handle = await openDatabase({ url: options.databaseUrl, dataDir, migrate: true })
  // 5-minute slots round the clock: plenty of distinct slots on each resource.
  const fiveMinuteResource = (capacity = 1) =>
    insertResource(handle.db, {
      slug: uniqueSlug('bench-book'),
      timezone: 'UTC',
      ...(capacity > 1 ? { config: { capacity } } : {}),
      schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 5 }),
    })
  // Run three times: all bookings on one resource (where contended writes queue on a lock, see
  // api/store/bookings.ts), spread over 20 resources, and on one class of 10 places, where
  // every write counts the places taken under the resource's lock (docs/capacity.md).
  const single = [await fiveMinuteResource()]
  const spread = [] as Awaited<ReturnType<typeof fiveMinuteResource>>[]
  for (let i = 0; i < 20; i++) spread.push(await fiveMinuteResource())
  const shared = [await fiveMinuteResource(CLASS_SIZE)]
  const contended = await insertResource(handle.db, {
    slug: uniqueSlug('bench-race'),
    timezone: 'UTC',
    schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 60 }),
  })
  await handle.close()

  const server = await startApiServer({
    DATABASE_URL: options.databaseUrl,
    DATA_DIR: dataDir,
    HOLD_RATE_LIMIT: '0',
    // Every hold comes from 127.0.0.1, and all are placed before any is booked.
    HOLD_MAX_LIVE_PER_IP: '0',
    ...(options.upstash
      ? { UPSTASH_REDIS_REST_URL: options.upstash.url, UPSTASH_REDIS_REST_TOKEN: options.upstash.token }
      : { UPSTASH_REDIS_REST_URL: undefined, UPSTASH_REDIS_REST_TOKEN: undefined, REDIS_URL: undefined }),
  })
  try {
    const throughput: ThroughputResult[] = []
    for (const [resources, capacity] of [
      [single, 1],
      [spread, 1],
      [shared, CLASS_SIZE],
    ] as const) {
      const ids = resources.map((r) => r.id)
      const apiCreatesPerSec = await apiBookings(server.url, ids, count, capacity)
      const rawTransactionsPerSec = options.databaseUrl
        ? await rawTransactions(options.databaseUrl, ids, count, capacity)
        : undefined
      throughput.push({ resources: ids.length, capacity, bookings: count, apiCreatesPerSec, rawTransactionsPerSec })
    }
    // 1000 even in a quick run: the figure is "1,000 at once", and it takes well under a second.
    const contention = options.contention ? await raceForOneSlot(server.url, contended.id, 1000) : undefined
    return { throughput, contention }
  } finally {
    await server.stop()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  }
}

const CLASS_SIZE = 10
const FIRST_SLOT = Date.UTC(new Date().getUTCFullYear() + 2, 0, 1)
/**
 * Booking i: resource i mod n, a 5-minute slot of its own (or, on a resource of `perSlot`
 * places, one place of a slot shared with the next bookings until it is full). Raw inserts
 * use a later stretch.
 */
const slotOf = (i: number, resourceCount: number, offsetDays = 0, perSlot = 1) =>
  FIRST_SLOT + offsetDays * 86_400_000 + Math.floor(i / (resourceCount * perSlot)) * 5 * 60_000

/** Holds are placed first (not timed); then the bookings are created, 20 in flight. */
async function apiBookings(base: string, resourceIds: string[], count: number, perSlot: number): Promise<number> {
  const holds: { session: string; holdId: string }[] = []
  await inBatches(count, CONCURRENCY, async (i) => {
    const session = `bench_${randomBytes(12).toString('hex')}`
    const start = new Date(slotOf(i, resourceIds.length, 0, perSlot)).toISOString()
    const res = await post(base, '/v1/holds', session, { resourceId: resourceIds[i % resourceIds.length], start })
    if (res.status !== 201) throw new Error(`hold ${i} failed: ${res.status} ${JSON.stringify(res.body)}`)
    holds.push({ session, holdId: (res.body as { hold: { id: string } }).hold.id })
  })
  const started = performance.now()
  await inBatches(holds.length, CONCURRENCY, async (i) => {
    const { session, holdId } = holds[i]!
    const res = await post(base, '/v1/bookings', session, {
      holdId,
      guest: { name: 'Bench', email: 'bench@example.com' },
    })
    if (res.status !== 201) throw new Error(`booking ${i} failed: ${res.status} ${JSON.stringify(res.body)}`)
  })
  return holds.length / ((performance.now() - started) / 1000)
}

/**
 * The baseline: what the API writes for one booking (the row and its six outbox rows, as
 * for a confirmed booking without a phone), in one postgres.js transaction, at the same
 * concurrency, with no HTTP, hold or validation around it. The id is drawn here and both
 * INSERTs are pipelined inside the transaction: BEGIN, the two INSERTs, COMMIT.
 */
async function rawTransactions(url: string, resourceIds: string[], count: number, perSlot: number): Promise<number> {
  const sql = postgres(url, { max: CONCURRENCY, onnotice: () => {} })
  try {
    // Open the pool first: the API server's pool is warm too, so neither side pays for connecting.
    await Promise.all(Array.from({ length: CONCURRENCY }, () => sql`select 1`))
    const started = performance.now()
    await inBatches(count, CONCURRENCY, async (i) => {
      const id = randomUUID()
      const start = new Date(slotOf(i, resourceIds.length, 400, perSlot))
      const end = new Date(start.getTime() + 5 * 60_000)
      const now = new Date()
      const message = (event: string, channel: string, recipient: string | null, sendAfter: Date) => ({
        booking_id: id,
        event,
        channel,
        recipient,
        version: 1,
        send_after: sendAfter,
        status: recipient ? 'pending' : 'skipped',
        skip_reason: recipient ? null : 'no recipient',
      })
      const day = new Date(start.getTime() - 86_400_000)
      const outbox = [
        message('created', 'email', 'bench@example.com', now),
        message('created', 'sms', null, now),
        message('admin_new_booking', 'email', null, now),
        message('reminder_24h', 'email', 'bench@example.com', day),
        message('reminder_24h', 'sms', null, day),
        message('reminder_1h', 'sms', null, new Date(start.getTime() - 3_600_000)),
      ]
      await sql.begin((tx) => [
        tx`insert into bookings (id, ref, resource_id, status, starts_at, ends_at, guest_name, guest_email, manage_token_hash, session_id, locale, version, confirmed_at, created_at, updated_at)
          values (${id}, ${randomBytes(5).toString('hex').toUpperCase()}, ${resourceIds[i % resourceIds.length]!}, 'confirmed', ${start}, ${end},
                  'Bench', 'bench@example.com', ${randomBytes(32).toString('hex')}, 'raw', 'en', 1, ${now}, ${now}, ${now})`,
        tx`insert into notifications ${tx(outbox)} on conflict do nothing`,
      ])
    })
    return count / ((performance.now() - started) / 1000)
  } finally {
    await sql.end()
  }
}

/** `holds` requests for one slot from as many sessions at once; exported so the race can be run on its own. */
export async function raceForOneSlot(base: string, resourceId: string, holds: number) {
  const start = new Date(Date.UTC(new Date().getUTCFullYear() + 2, 5, 1, 10)).toISOString()
  // A pause past the server's keep-alive timeout before each burst, so both open their
  // connections afresh: the server takes at most 1000 at once, and connections the runs
  // before left idle would otherwise count against them.
  const afresh = () => new Promise((resolve) => setTimeout(resolve, 5_500))
  await afresh()
  const h = performance.now()
  await Promise.all(Array.from({ length: holds }, async () => (await fetch(`${base}/health`)).arrayBuffer()))
  const healthMs = performance.now() - h
  await afresh()
  const t = performance.now()
  const outcomes = await Promise.all(
    Array.from({ length: holds }, async () => {
      const res = await post(base, '/v1/holds', `race_${randomBytes(12).toString('hex')}`, { resourceId, start })
      return res.status === 201
        ? 'created'
        : res.status === 409 && (res.body as ErrorBody | null)?.error?.code === 'slot_held'
          ? 'held'
          : 'other'
    }),
  )
  const ms = performance.now() - t
  return {
    holds,
    ms,
    healthMs,
    created: outcomes.filter((o) => o === 'created').length,
    // Only the refusal a crowd should meet counts here: any other answer (a 409 slot_taken too) is "other".
    held: outcomes.filter((o) => o === 'held').length,
    other: outcomes.filter((o) => o === 'other').length,
  }
}

async function post(base: string, path: string, session: string, body: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Booking-Session': session },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json().catch(() => null)) as unknown }
}

/** Runs `task(0…count-1)` with at most `concurrency` in flight. */
async function inBatches(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++)
    }),
  )
}
