import { spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  channelUrl,
  claimLock,
  DatabaseInUseError,
  inspectLock,
  lockFilePath,
  readLock,
  type LockRecord,
} from './local-channel'

/*
 * The lock beside an embedded database folder: one holder at a time, a dead holder's file
 * taken over, a live server's channel found, never opened behind a running server's back.
 */

let dir: string
let dataDir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'booking-lock-'))
  dataDir = join(dir, 'pglite')
})
afterEach(() => rm(dir, { recursive: true, force: true }))

/** A pid no process has: a child that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])
  return Number(child.stdout.toString())
}

/** The parent of this process: alive for as long as the test runs. */
const livePid = process.ppid

const record = (extra: Partial<LockRecord>): LockRecord => ({
  holder: 'server',
  pid: livePid,
  nonce: 'n'.repeat(32),
  startedAt: new Date().toISOString(),
  ...extra,
})

/** A stand-in server answering its channel with `secret`. */
async function fakeServer(secret: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    res.writeHead(req.headers.authorization === `Bearer ${secret}` ? 200 : 401, { 'Content-Type': 'application/json' })
    res.end('{"keys":[]}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return { url: channelUrl('127.0.0.1', typeof address === 'object' && address ? address.port : 0), server }
}

describe('the embedded database lock', () => {
  it('is created whole with mode 0600 beside the folder, carries the channel once published, and goes on release', async () => {
    const lock = await claimLock(dataDir, 'server')
    expect(lock.path).toBe(`${dataDir}.lock.json`)
    expect(statSync(lock.path).mode & 0o777).toBe(0o600)
    expect(await readLock(lock.path)).toMatchObject({ holder: 'server', pid: process.pid })
    await lock.publish('http://127.0.0.1:1234', 's3cret')
    expect(await readLock(lock.path)).toMatchObject({ url: 'http://127.0.0.1:1234', secret: 's3cret' })
    expect(statSync(lock.path).mode & 0o777).toBe(0o600)
    await lock.release()
    expect(existsSync(lock.path)).toBe(false)
  })

  it('takes over the file of a holder that died (killed, so it could not remove it)', async () => {
    await writeFile(
      lockFilePath(dataDir),
      JSON.stringify(record({ pid: deadPid(), url: 'http://127.0.0.1:9', secret: 'x' })),
    )
    expect(await inspectLock(dataDir)).toEqual({ kind: 'free' })
    const lock = await claimLock(dataDir, 'cli')
    expect((await readLock(lock.path))?.pid).toBe(process.pid)
    await lock.release()
  })

  it('sends the CLI to a running server that answers its channel, and refuses to claim the folder under it', async () => {
    const { url, server } = await fakeServer('s3cret')
    try {
      await writeFile(lockFilePath(dataDir), JSON.stringify(record({ url, secret: 's3cret' })))
      expect(await inspectLock(dataDir)).toMatchObject({ kind: 'server', record: { url, pid: livePid } })
      await expect(claimLock(dataDir, 'cli')).rejects.toBeInstanceOf(DatabaseInUseError)
      await expect(claimLock(dataDir, 'server')).rejects.toThrow(
        /in use by the running server .*stop it first, or set DATA_DIR/,
      )
    } finally {
      server.close()
    }
  })

  it('lets a server wait for a CLI that holds the folder, and take it once released', async () => {
    // Another process's CLI lock (this process's own pid would count as a leftover of itself).
    const cli = record({ holder: 'cli' })
    await writeFile(lockFilePath(dataDir), JSON.stringify(cli))
    let waitedFor: LockRecord | undefined
    const server = claimLock(dataDir, 'server', { onWait: (other) => (waitedFor = other) })
    await new Promise((r) => setTimeout(r, 400))
    expect(waitedFor).toEqual(cli)
    expect((await readLock(lockFilePath(dataDir)))?.holder).toBe('cli')
    await rm(lockFilePath(dataDir))
    const held = await server
    expect(await readLock(held.path)).toMatchObject({ holder: 'server', pid: process.pid })
    await held.release()
  })

  it('gives a CLI the same wait for a server that is still starting', async () => {
    await writeFile(lockFilePath(dataDir), JSON.stringify(record({})))
    expect((await inspectLock(dataDir)).kind).toBe('busy')
    await expect(claimLock(dataDir, 'cli', { waitMs: 300 })).rejects.toThrow(
      /in use by a server \(pid \d+\); if no such process runs, delete /,
    )
  })
})
