import { randomBytes } from 'node:crypto'
import { writeFile, rm, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import type { TestProject } from 'vitest/node'
import { openDatabase } from '../api/db/open-database'
import { startUpstashBridge } from '../api/holds/redis-rest-bridge'

export type TestDatabaseSource =
  { kind: 'postgres'; serverUrl: string; template: string; prefix: string } | { kind: 'pglite'; dumpPath: string }

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabase: TestDatabaseSource
  }
}

/**
 * Migrates one template database per run; each test file then starts from a copy of it:
 * `CREATE DATABASE … TEMPLATE` on a server (DATABASE_URL set), a PGlite data dump otherwise.
 * An unreachable DATABASE_URL fails the run — it never falls back to PGlite.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stopRedis = await startRedisBridge()
  const stopDatabase = await setupDatabase(project)
  return async () => {
    await stopDatabase()
    await stopRedis()
  }
}

/**
 * With REDIS_URL set (CI, dev machines), holds run through the real @upstash/redis client
 * against the real Redis via the local REST bridge; test files read the endpoint from the
 * environment they inherit. Without it, the in-memory store is used.
 */
async function startRedisBridge(): Promise<() => Promise<void>> {
  if (process.env.UPSTASH_REDIS_REST_URL || !process.env.REDIS_URL) return async () => {}
  const bridge = await startUpstashBridge({ redisUrl: process.env.REDIS_URL })
  process.env.UPSTASH_REDIS_REST_URL = bridge.url
  process.env.UPSTASH_REDIS_REST_TOKEN = bridge.token
  process.env.UPSTASH_DISABLE_TELEMETRY = '1'
  return () => bridge.close()
}

async function setupDatabase(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL
  if (url) {
    const prefix = `booking_test_${randomBytes(4).toString('hex')}`
    const template = `${prefix}_template`
    const admin = postgres(url, { max: 1, onnotice: () => {} })
    try {
      await admin.unsafe(`CREATE DATABASE "${template}"`)
    } catch (cause) {
      await admin.end()
      throw new Error(`DATABASE_URL is set but the test template database cannot be created: ${String(cause)}`, {
        cause,
      })
    }
    const templateUrl = withDatabase(url, template)
    const handle = await openDatabase({ url: templateUrl, migrate: true, maxConnections: 1 })
    await handle.close()
    project.provide('testDatabase', { kind: 'postgres', serverUrl: url, template, prefix })
    return async () => {
      const leftovers = await admin<{ datname: string }[]>`
        select datname from pg_database where datname like ${prefix + '%'}`
      for (const { datname } of leftovers) await admin.unsafe(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`)
      await admin.end()
    }
  }

  const dir = await mkdtemp(join(tmpdir(), 'booking-test-'))
  const handle = await openDatabase({ migrate: true })
  const client = (handle.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } }).$client
  const dump = await client.dumpDataDir('none')
  await handle.close()
  const dumpPath = join(dir, 'migrated.tar')
  await writeFile(dumpPath, Buffer.from(await dump.arrayBuffer()))
  project.provide('testDatabase', { kind: 'pglite', dumpPath })
  return () => rm(dir, { recursive: true, force: true })
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}
