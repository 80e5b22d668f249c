import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface RunningServer {
  url: string
  /** The server process's id. */
  pid: number
  /** Everything it printed on stdout so far (the start-up lines, a first-run setup link). */
  output(): string
  stop(): Promise<void>
}

/**
 * Starts the real API (`api/node.ts`, as `npm start` does) in its own process, so the load
 * generator and the server do not share an event loop.
 */
export async function startApiServer(env: Record<string, string | undefined>): Promise<RunningServer> {
  const port = await freePort()
  const entry = fileURLToPath(new URL('../api/node.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    // Mail goes to a scratch folder, never into the project's .data/.
    env: {
      ...process.env,
      MAIL_DIR: join(tmpdir(), `booking-mail-${process.pid}`),
      APP_SECRET: 'test-server-app-secret-0123456789abcdef',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      SEED_DEMO: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = `http://127.0.0.1:${port}`
  let printed = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('API server did not start within 60 s')), 60_000)
    child.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString()
      if (printed.includes('running at')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`API server exited early with code ${code}`))
    })
  })
  return {
    url,
    pid: child.pid!,
    output: () => printed,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

export interface RunningBridge {
  url: string
  token: string
  stop(): Promise<void>
}

/**
 * The Upstash REST bridge in its own process, the way a real Upstash endpoint is remote:
 * clients measured against it do not share its event loop.
 */
export async function startBridgeProcess(redisUrl: string): Promise<RunningBridge> {
  const entry = fileURLToPath(new URL('../api/dev/upstash-rest-bridge-cli.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, REDIS_URL: redisUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines: Record<string, string> = {}
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bridge did not start within 30 s')), 30_000)
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        const [key, value] = line.split('=')
        if (key && value) lines[key.trim()] = value.trim()
      }
      if (lines.UPSTASH_REDIS_REST_URL && lines.UPSTASH_REDIS_REST_TOKEN) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`bridge exited early with code ${code}`))
    })
  })
  return {
    url: lines.UPSTASH_REDIS_REST_URL!,
    token: lines.UPSTASH_REDIS_REST_TOKEN!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
