import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'

/*
 * The embedded database (PGlite) is one process's: a second process opening the same
 * folder works on its own copy, and what it writes the first never sees (a key the CLI
 * made there got 401 from the running server). So whoever opens the folder first holds a
 * lock file beside it, `<DATA_DIR>.lock.json` (mode 0600), created atomically:
 * - `npm start` holds it while it runs and, once listening, writes into it the address it
 *   listens on and a random secret. `npm run admin:key` then asks the server to make the
 *   key in its own database, over `/v1/internal/admin-keys`, which answers only callers on
 *   this machine that present the secret.
 * - `npm run admin:key` holds it while it opens the folder itself (no server running), so a
 *   server started meanwhile waits for it instead of reading a copy without the new key.
 * A holder that died leaves the file behind; it is taken over once its pid is gone (or, for
 * a pid the system gave to someone else, once no server answers at the address it names).
 */

export interface LockRecord {
  holder: 'server' | 'cli'
  pid: number
  /** Random per claim: a holder removes or rewrites the file only while it is still its own. */
  nonce: string
  startedAt: string
  /** A server's address once it listens, e.g. `http://127.0.0.1:8787`. */
  url?: string
  /** The bearer secret of the server's `/v1/internal/admin-keys`. */
  secret?: string
}

export class DatabaseInUseError extends Error {
  constructor(
    message: string,
    readonly record: LockRecord,
  ) {
    super(message)
    this.name = 'DatabaseInUseError'
  }
}

/** Where the lock for an embedded database folder lives: beside it, never inside it. */
export function lockFilePath(dataDir: string): string {
  return `${resolve(dataDir)}.lock.json`
}

export interface HeldLock {
  path: string
  record: LockRecord
  /** Server only: records the address and the channel secret, once listening. */
  publish(url: string, secret: string): Promise<void>
  /** Removes the file if it is still this holder's. */
  release(): Promise<void>
}

export interface ClaimOptions {
  /** How long to wait for a starting server or a running CLI to finish; default 60 s. */
  waitMs?: number
  /** Told once when the claim has to wait for another holder. */
  onWait?: (record: LockRecord) => void
}

/** Whether a process with this id exists (EPERM: it does, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export async function readLock(path: string): Promise<LockRecord | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockRecord>
    if (
      (parsed.holder === 'server' || parsed.holder === 'cli') &&
      typeof parsed.pid === 'number' &&
      typeof parsed.nonce === 'string'
    ) {
      return { startedAt: new Date(0).toISOString(), ...parsed } as LockRecord
    }
  } catch {
    // fall through: a file that is not ours, or truncated by a crash, holds nothing
  }
  return { holder: 'cli', pid: -1, nonce: '', startedAt: new Date(0).toISOString() }
}

/** The running server that holds the folder, if one answers on its channel right now. */
export async function probeServer(record: LockRecord, timeoutMs = 2_000): Promise<'answers' | 'refused' | 'no-answer'> {
  if (!record.url || !record.secret) return 'refused'
  try {
    const res = await fetch(`${record.url}/v1/internal/admin-keys`, {
      headers: { Authorization: `Bearer ${record.secret}` },
      signal: AbortSignal.timeout(timeoutMs),
    })
    await res.body?.cancel()
    return res.status === 200 ? 'answers' : 'refused'
  } catch (error) {
    return (error as Error).name === 'TimeoutError' ? 'no-answer' : 'refused'
  }
}

/**
 * Takes the lock for `holder`, or says who has it. A server waits for a CLI that is
 * working (seconds) and for a server that is still starting; it refuses a server that
 * answers on its channel. A CLI refuses any live server (it should use the channel, see
 * `inspectLock`) and waits for another CLI.
 */
export async function claimLock(
  dataDir: string,
  holder: LockRecord['holder'],
  options: ClaimOptions = {},
): Promise<HeldLock> {
  const path = lockFilePath(dataDir)
  const deadline = Date.now() + (options.waitMs ?? 60_000)
  const record: LockRecord = {
    holder,
    pid: process.pid,
    nonce: randomBytes(16).toString('hex'),
    startedAt: new Date().toISOString(),
  }
  let told = false
  // A server's pid that is alive but whose port refuses: shutting down (it closes the port
  // first and the database last), or the pid belongs to someone else now. Either way it
  // is given a while to exit before its lock is taken over.
  let refusedSince: number | undefined
  for (;;) {
    if (await createExclusive(path, record)) return heldLock(path, record)
    const other = await readLock(path)
    if (!other) continue
    const state = await lockState(other, refusedSince)
    if (state.kind === 'stale') {
      await removeIfUnchanged(path, other)
      refusedSince = undefined
      continue
    }
    if (state.kind === 'refused') refusedSince ??= Date.now()
    if (state.kind === 'serving' && (holder === 'cli' || state.answers)) {
      const hint = holder === 'server' ? '; stop it first, or set DATA_DIR to another folder' : ''
      throw new DatabaseInUseError(
        `The embedded database in ${resolve(dataDir)} is in use by the running server (pid ${other.pid}) at ${other.url}${hint}.`,
        other,
      )
    }
    if (Date.now() > deadline) {
      throw new DatabaseInUseError(
        `The embedded database in ${resolve(dataDir)} is in use by ${other.holder === 'cli' ? 'npm run admin:key' : 'a server'} (pid ${other.pid}); if no such process runs, delete ${path}.`,
        other,
      )
    }
    if (!told) options.onWait?.(other)
    told = true
    await sleep(250)
  }
}

type LockState = { kind: 'stale' } | { kind: 'busy' } | { kind: 'refused' } | { kind: 'serving'; answers: boolean }

const STARTING_GRACE_MS = 120_000
const CLI_GRACE_MS = 5 * 60_000
const SHUTDOWN_GRACE_MS = 15_000

async function lockState(other: LockRecord, refusedSince: number | undefined): Promise<LockState> {
  if (other.pid <= 0 || other.pid === process.pid || !processAlive(other.pid)) return { kind: 'stale' }
  const age = Date.now() - Date.parse(other.startedAt)
  if (other.holder === 'cli') return age < CLI_GRACE_MS ? { kind: 'busy' } : { kind: 'stale' }
  if (!other.url) return age < STARTING_GRACE_MS ? { kind: 'busy' } : { kind: 'stale' }
  const probe = await probeServer(other)
  if (probe === 'answers') return { kind: 'serving', answers: true }
  // Not answering within the timeout: a busy server still holds the folder.
  if (probe === 'no-answer') return { kind: 'serving', answers: false }
  if (refusedSince !== undefined && Date.now() - refusedSince > SHUTDOWN_GRACE_MS) return { kind: 'stale' }
  return { kind: 'refused' }
}

/** Creates the file with its full content, or fails if it exists (link() is atomic). */
async function createExclusive(path: string, record: LockRecord): Promise<boolean> {
  const temp = `${path}.${record.nonce}.tmp`
  await writeFile(temp, JSON.stringify(record), { mode: 0o600 })
  try {
    await link(temp, path)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  } finally {
    await rm(temp, { force: true })
  }
}

async function removeIfUnchanged(path: string, seen: LockRecord): Promise<void> {
  const now = await readLock(path)
  if (now && now.nonce === seen.nonce && now.pid === seen.pid) await rm(path, { force: true })
}

function heldLock(path: string, record: LockRecord): HeldLock {
  let current = record
  // A crash or process.exit() still removes the file; SIGKILL leaves it, and the next
  // holder takes it over once this pid is gone.
  const onExit = () => {
    try {
      rmSync(path, { force: true })
    } catch {
      // nothing more can be done while exiting
    }
  }
  process.once('exit', onExit)
  return {
    path,
    get record() {
      return current
    },
    async publish(url, secret) {
      current = { ...current, url, secret }
      // Written whole and renamed over the lock: a reader sees the old record or the new one.
      const temp = `${path}.${current.nonce}.tmp`
      await writeFile(temp, JSON.stringify(current), { mode: 0o600 })
      await rename(temp, path)
    },
    async release() {
      process.off('exit', onExit)
      await removeIfUnchanged(path, current)
    },
  }
}

/**
 * What the CLI finds: nobody (it may claim the folder), a running server with its channel,
 * or a server still starting / another CLI (wait). Stale files are removed on the way.
 */
export async function inspectLock(
  dataDir: string,
): Promise<{ kind: 'free' } | { kind: 'server'; record: LockRecord } | { kind: 'busy'; record: LockRecord }> {
  const path = lockFilePath(dataDir)
  const record = await readLock(path)
  if (!record) return { kind: 'free' }
  if (record.pid <= 0 || record.pid === process.pid || !processAlive(record.pid)) {
    await removeIfUnchanged(path, record)
    return { kind: 'free' }
  }
  if (record.holder === 'server' && record.url && record.secret) return { kind: 'server', record }
  return { kind: 'busy', record }
}

/** The URL the CLI should call for a server listening on `address:port` (a wildcard means this machine's loopback). */
export function channelUrl(address: string, port: number): string {
  const host = address === '' || address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
