import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withDatabase } from '../test/global-setup'
import { assertMigrated } from './db/migrate'
import { DEMO_RESOURCES } from './seed-demo'

/*
 * `npm start` as an operator meets it: the real entry in its own process. On an empty
 * PostgreSQL it migrates (once, however many processes start together) and seeds; when it
 * cannot start it says why in one line on stderr and exits non-zero, without a stack trace.
 */
const serverUrl = process.env.DATABASE_URL
if (!serverUrl) {
  console.info(
    'Start-up tests against an empty PostgreSQL skipped: they need DATABASE_URL (a server where they create and drop their own databases); PGlite is one process’s and is migrated at open.',
  )
}

const entry = fileURLToPath(new URL('./node.ts', import.meta.url))
const journal = JSON.parse(
  readFileSync(new URL('../drizzle/migrations/meta/_journal.json', import.meta.url), 'utf8'),
) as { entries: unknown[] }

interface Started {
  /** Set when the process printed "running at"; it is still running then. */
  url?: string
  /** Set when the process exited before it was up. */
  exitCode?: number | null
  stdout: string
  stderr: string
  stop(): Promise<void>
}

/** Runs `api/node.ts` until it is listening or has exited, whichever comes first. */
function startServer(env: Record<string, string>): Promise<Started> {
  const inherited = { ...process.env }
  // The Redis of the suite is not needed here: each process keeps its holds in memory.
  for (const key of [
    'DATABASE_URL',
    'REDIS_URL',
    'UPSTASH_REDIS_REST_URL',
    'UPSTASH_REDIS_REST_TOKEN',
    'MIGRATE_ON_START',
    'SEED_DEMO',
  ])
    delete inherited[key]
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: {
      ...inherited,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      MAIL_DIR: join(tmpdir(), `booking-mail-${process.pid}`),
      APP_SECRET: 'test-server-app-secret-0123456789abcdef',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const started: Started = {
    stdout: '',
    stderr: '',
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
  child.stderr.on('data', (chunk: Buffer) => (started.stderr += chunk.toString()))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`server neither started nor exited within 100 s; stderr: ${started.stderr}`))
    }, 100_000)
    child.stdout.on('data', (chunk: Buffer) => {
      started.stdout += chunk.toString()
      // The announced URL says localhost; the process listens on 127.0.0.1 (PORT=0: any free port).
      const running = /running at http:\/\/[^:\s]+:(\d+)/.exec(started.stdout)
      if (running) {
        clearTimeout(timer)
        started.url = `http://127.0.0.1:${running[1]}`
        resolve(started)
      }
    })
    // 'close', not 'exit': by then stdout and stderr have been read to the end.
    child.once('close', (code) => {
      clearTimeout(timer)
      started.exitCode = code
      resolve(started)
    })
  })
}

/** The one-line contract of a failed start: non-zero exit, one line on stderr, no stack frames. */
function expectOneLineFailure(started: Started, mentions: RegExp): void {
  expect(started.url, `expected a failed start, got stdout:\n${started.stdout}`).toBeUndefined()
  expect(started.exitCode).not.toBe(0)
  const lines = started.stderr.split('\n').filter((line) => line.trim() !== '')
  expect(lines, started.stderr).toHaveLength(1)
  expect(started.stderr).not.toMatch(/^\s+at /m)
  expect(lines[0]).toMatch(mentions)
}

describe('start-up without a reachable database server', { timeout: 120_000 }, () => {
  it('an unreachable DATABASE_URL: one line naming the host and saying to check it is running, exit non-zero', async () => {
    const started = await startServer({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/booking' })
    expectOneLineFailure(started, /127\.0\.0\.1:1.*running/)
  })
})

describe.skipIf(!serverUrl)('start-up on an empty PostgreSQL', { concurrent: true, timeout: 120_000 }, () => {
  let admin: postgres.Sql
  const created: string[] = []
  beforeAll(() => {
    admin = postgres(serverUrl!, { max: 2, onnotice: () => {} })
  })
  afterAll(async () => {
    for (const name of created) await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await admin?.end()
  })
  async function emptyDatabase(): Promise<{ name: string; url: string }> {
    const name = `startup_${randomBytes(4).toString('hex')}`
    created.push(name)
    await admin.unsafe(`CREATE DATABASE "${name}"`)
    return { name, url: withDatabase(serverUrl!, name) }
  }

  it('two processes started at once both come up; the migrations ran once and the demo was seeded once', async () => {
    const { url } = await emptyDatabase()
    const servers = await Promise.all([
      startServer({ DATABASE_URL: url, SEED_DEMO: '1' }),
      startServer({ DATABASE_URL: url, SEED_DEMO: '1' }),
    ])
    try {
      for (const server of servers) {
        expect(server.url, `stderr: ${server.stderr}`).toBeDefined()
        expect((await fetch(`${server.url}/health`)).status).toBe(200)
        const res = await fetch(`${server.url}/v1/resources`)
        expect(res.status).toBe(200)
        const body = (await res.json()) as { resources: { slug: string }[] }
        expect(body.resources.map((r) => r.slug).sort()).toEqual(DEMO_RESOURCES.map((d) => d.slug).sort())
      }
      // One process applied every migration, the other waited for the lock and found none pending.
      const applied = servers.map((s) => Number(/"migrationsApplied":(\d+)/.exec(s.stdout)?.[1]))
      expect(applied.sort()).toEqual([0, journal.entries.length])
    } finally {
      await Promise.all(servers.map((s) => s.stop()))
    }
    const db = postgres(url, { max: 1, onnotice: () => {} })
    try {
      const rows = await db<
        { hash: string; n: number }[]
      >`select hash, count(*)::int as n from drizzle.__drizzle_migrations group by hash`
      expect(rows).toHaveLength(journal.entries.length)
      expect(rows.every((r) => r.n === 1)).toBe(true)
      const schedules = await db<{ slug: string; n: number }[]>`
        select r.slug, count(s.*)::int as n from bookable_resources r left join resource_schedules s on s.resource_id = r.id group by r.slug`
      expect(Object.fromEntries(schedules.map((r) => [r.slug, r.n]))).toEqual(
        Object.fromEntries(DEMO_RESOURCES.map((d) => [d.slug, d.schedules.length])),
      )
      // What a server opted out of migrating checks: up to date now, one behind once the newest is forgotten.
      await expect(assertMigrated(db)).resolves.toBeUndefined()
      await db`delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`
      await expect(assertMigrated(db)).rejects.toThrow(/^The database has 1 pending migration — run npm run db:migrate/)
    } finally {
      await db.end()
    }
  })

  it('MIGRATE_ON_START=false on an empty database: one line saying to run npm run db:migrate, exit non-zero', async () => {
    const { url } = await emptyDatabase()
    const started = await startServer({ DATABASE_URL: url, MIGRATE_ON_START: 'false' })
    expectOneLineFailure(started, /no schema.*npm run db:migrate.*MIGRATE_ON_START/)
    // Nothing was created behind the operator's back.
    const db = postgres(url, { max: 1, onnotice: () => {} })
    const [schema] = await db`select 1 from pg_namespace where nspname = 'drizzle'`.finally(() => db.end())
    expect(schema).toBeUndefined()
  })

  it('a DATABASE_URL naming a database that does not exist: one line saying to create it', async () => {
    const name = `startup_missing_${randomBytes(4).toString('hex')}`
    const started = await startServer({ DATABASE_URL: withDatabase(serverUrl!, name) })
    expectOneLineFailure(started, new RegExp(`"${name}" does not exist.*createdb`))
  })

  it('a port already in use: one line naming the port and PORT=', async () => {
    const { url } = await emptyDatabase()
    const blocker = await new Promise<Server>((resolve) => {
      const server = createServer()
      server.listen(0, '127.0.0.1', () => resolve(server))
    })
    const port = (blocker.address() as { port: number }).port
    try {
      const started = await startServer({ DATABASE_URL: url, PORT: String(port), SEED_DEMO: '0' })
      expectOneLineFailure(started, new RegExp(`Port ${port} .*in use.*PORT=`))
    } finally {
      await new Promise((resolve) => blocker.close(resolve))
    }
  })
})
