import { spawn } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type RunningServer } from '../test/server'
import { lockFilePath, readLock } from './admin/local-channel'

/*
 * `npm start` on the embedded database and `npm run admin:key` beside it, both as real
 * processes on one data folder, the way an owner runs them. PGlite is one process's: a key
 * the CLI wrote into the folder itself would never reach the running server (it used to
 * print one that got 401). Whatever the CLI prints must be accepted by the server.
 */

const CLI = fileURLToPath(new URL('./admin-key-cli.ts', import.meta.url))

// The embedded database, whatever the test run itself uses; no Redis needed.
const EMBEDDED = { DATABASE_URL: '', UPSTASH_REDIS_REST_URL: '', UPSTASH_REDIS_REST_TOKEN: '', REDIS_URL: '' }

interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

function runCli(dataDir: string, args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env: { ...process.env, ...EMBEDDED, DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.once('error', reject)
    child.once('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

const printedKey = (run: CliRun) => run.stdout.match(/^(bka_\S+)$/m)?.[1]

async function adminStatus(server: RunningServer, key: string): Promise<number> {
  const res = await fetch(`${server.url}/v1/admin/resources`, { headers: { Authorization: `Bearer ${key}` } })
  await res.body?.cancel()
  return res.status
}

async function setupLinkOf(server: RunningServer): Promise<string | undefined> {
  // The link is printed just after "running at", possibly in a later chunk.
  for (let i = 0; i < 50; i++) {
    const link = server
      .output()
      .match(/Open (\S+#setup=\S+) to create your owner key \(valid 30 minutes, once\)\./)?.[1]
    if (link) return link
    await new Promise((r) => setTimeout(r, 100))
  }
  return undefined
}

describe('npm run admin:key beside npm start on the embedded database', () => {
  let dir: string
  let dataDir: string
  let server: RunningServer | undefined

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'booking-admin-key-'))
    dataDir = join(dir, 'pglite')
    server = await startApiServer({ ...EMBEDDED, DATA_DIR: dataDir })
  }, 90_000)

  afterAll(async () => {
    await server?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('publishes its local channel in a lock file only its owner can read', async () => {
    const path = lockFilePath(dataDir)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    const lock = await readLock(path)
    expect(lock).toMatchObject({
      holder: 'server',
      pid: server!.pid,
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    })
    expect(lock?.secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('prints a key the running server accepts, and lists and revokes through it', { timeout: 60_000 }, async () => {
    const made = await runCli(dataDir, ['--name', 'front desk'])
    const key = printedKey(made)
    // Never a key that gets 401: a printed key must work, and here the channel makes one.
    expect([made.code, made.stderr]).toEqual([0, ''])
    expect(key).toMatch(/^bka_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/)
    expect(await adminStatus(server!, key!)).toBe(200)

    const prefix = key!.slice(4, 12)
    const listed = await runCli(dataDir, ['--list'])
    expect(listed.code).toBe(0)
    expect(listed.stdout).toMatch(new RegExp(`^${prefix}  active   front desk  created `, 'm'))
    expect(listed.stdout).not.toContain(key!.slice(13))

    const revoked = await runCli(dataDir, ['--revoke', prefix])
    expect([revoked.code, revoked.stdout.trim()]).toEqual([
      0,
      `Revoked key ${prefix} ("front desk"). Requests with it now get 401.`,
    ])
    expect(await adminStatus(server!, key!)).toBe(401)
    expect((await runCli(dataDir, ['--list'])).stdout).toMatch(new RegExp(`^${prefix}  revoked  front desk`, 'm'))

    const unknown = await runCli(dataDir, ['--revoke', 'nosuchpf'])
    expect([unknown.code, unknown.stderr.trim()]).toEqual([1, 'No active key with id or prefix nosuchpf.'])
  })

  it('prints a first-run link whose token makes a working key once', async () => {
    const link = await setupLinkOf(server!)
    expect(link).toMatch(/^http:\/\/localhost:\d+\/admin#setup=[A-Za-z0-9_-]{43}$/)
    const token = new URL(link!).hash.slice('#setup='.length)
    const exchange = () =>
      fetch(`${server!.url}/v1/admin/setup`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token }),
      })

    const first = await exchange()
    const body = (await first.json()) as { key: string; prefix: string; name: string }
    expect([first.status, body.name, body.prefix]).toEqual([201, 'first key', body.key.slice(4, 12)])
    expect(await adminStatus(server!, body.key)).toBe(200)
    const second = await exchange()
    expect([second.status, ((await second.json()) as { error: { code: string } }).error.code]).toEqual([
      401,
      'unauthorized',
    ])
  })

  it('refuses to start a second server on the same folder, naming the first', { timeout: 60_000 }, async () => {
    await expect(startApiServer({ ...EMBEDDED, DATA_DIR: dataDir })).rejects.toThrow(/exited early with code 1/)
    // The first one still holds the folder and still answers.
    expect((await readLock(lockFilePath(dataDir)))?.pid).toBe(server!.pid)
  })

  it(
    'with the server stopped, opens the folder itself; the next start accepts that key and prints no link',
    { timeout: 120_000 },
    async () => {
      await server!.stop()
      server = undefined
      expect(existsSync(lockFilePath(dataDir)), 'the lock goes with the server').toBe(false)

      const made = await runCli(dataDir, ['--name', 'offline'])
      const key = printedKey(made)
      expect([made.code, key]).toEqual([0, expect.stringMatching(/^bka_/)])
      expect(existsSync(lockFilePath(dataDir)), 'the CLI releases the folder').toBe(false)

      server = await startApiServer({ ...EMBEDDED, DATA_DIR: dataDir })
      expect(await adminStatus(server, key!)).toBe(200)
      // Keys are active, so no setup link is offered.
      await new Promise((r) => setTimeout(r, 300))
      expect(server.output()).not.toContain('#setup=')
    },
  )
})

describe('npm run admin:key when the server holding the folder does not answer', () => {
  it(
    'exits 1 with one line saying what to do, prints no key, and leaves the folder alone',
    { timeout: 60_000 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'booking-admin-key-'))
      const dataDir = join(dir, 'pglite')
      try {
        // A live process (this test runner) named as the server, at an address nobody listens on.
        const lock = {
          holder: 'server',
          pid: process.pid,
          nonce: 'a'.repeat(32),
          startedAt: new Date().toISOString(),
          url: 'http://127.0.0.1:9',
          secret: 'x'.repeat(43),
        }
        await writeFile(lockFilePath(dataDir), JSON.stringify(lock), { mode: 0o600 })
        const run = await runCli(dataDir, ['--name', 'front desk'])
        expect(run.code).toBe(1)
        expect(run.stdout).toBe('')
        const lines = run.stderr.trim().split('\n')
        expect(lines).toHaveLength(1)
        expect(lines[0]).toMatch(
          new RegExp(
            `^The embedded database is in use by the running server \\(pid ${process.pid}\\), which did not answer at http://127\\.0\\.0\\.1:9 .*; stop it first .*, or open the setup link it printed\\.$`,
          ),
        )
        expect(existsSync(dataDir), 'the folder was not opened behind the server').toBe(false)
        expect((await readLock(lockFilePath(dataDir)))?.nonce).toBe(lock.nonce)
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    },
  )
})
