import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { serve, type ServerType } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTestDatabase } from '../test/database'
import { rawGet } from '../test/raw-http'
import { startApiServer } from '../test/server'
import { createApp } from './app'
import { compression } from './compression'
import type { Database } from './db/database'
import { workerBuildOptions } from './edge-build'

const big = {
  slots: Array.from({ length: 200 }, (_, i) => ({
    start: `2026-03-${String((i % 28) + 1).padStart(2, '0')}T09:00:00Z`,
    i,
  })),
}
const small = { ok: true }

let server: ServerType
let base = ''

beforeAll(async () => {
  const app = new Hono()
  app.use(compression())
  app.get('/big', (c) => c.json(big))
  app.get('/small', (c) => c.json(small))
  app.get('/tagged', (c) => {
    c.header('ETag', '"v1"')
    if (c.req.header('If-None-Match') === '"v1"') return c.body(null, 304)
    return c.json(big)
  })
  app.get('/weak', (c) => c.json(big, 200, { ETag: 'W/"w1"' }))
  app.get('/events', (c) => c.body('data: x\n\n'.repeat(500), 200, { 'Content-Type': 'text/event-stream' }))
  app.get('/encoded', (c) =>
    c.body('x'.repeat(5000), 200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'identity-ish' }),
  )
  app.get('/no-transform', (c) => c.json(big, 200, { 'Cache-Control': 'no-transform' }))
  app.get('/image', (c) => c.body(new Uint8Array(5000), 200, { 'Content-Type': 'image/png' }))
  app.get('/empty', (c) => c.body(null, 204))
  app.get('/error', (c) => c.json(big, 409))
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise((resolve) => server.once('listening', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('compression middleware (Node)', () => {
  it.each([
    ['br, gzip', 'br'],
    ['gzip', 'gzip'],
    ['gzip;q=1, br;q=0.2', 'gzip'],
    ['', undefined],
    ['identity', undefined],
  ])('compresses JSON above the threshold for Accept-Encoding "%s" → %s', async (accept, encoding) => {
    const res = await rawGet(`${base}/big`, accept ? { 'Accept-Encoding': accept } : {})
    expect(res.status).toBe(200)
    expect(res.headers['content-encoding']).toBe(encoding)
    expect(res.headers.vary).toMatch(/accept-encoding/i)
    expect(Number(res.headers['content-length'])).toBe(res.wire.length)
    expect(JSON.parse(res.decoded.toString('utf8'))).toEqual(big)
    console.log(
      `  /big as ${encoding ?? 'identity'}: ${res.wire.length} bytes on the wire (${res.decoded.length} decoded)`,
    )
    if (encoding) expect(res.wire.length).toBeLessThan(res.decoded.length / 4)
  })

  it('leaves small bodies alone but still says they vary by Accept-Encoding', async () => {
    const res = await rawGet(`${base}/small`, { 'Accept-Encoding': 'br, gzip' })
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(res.headers.vary).toMatch(/accept-encoding/i)
    expect(JSON.parse(res.decoded.toString())).toEqual(small)
  })

  it('compresses error bodies too (they are JSON like the rest)', async () => {
    const res = await rawGet(`${base}/error`, { 'Accept-Encoding': 'gzip' })
    expect(res.status).toBe(409)
    expect(res.headers['content-encoding']).toBe('gzip')
  })

  it.each(['/events', '/encoded', '/no-transform', '/image', '/empty'])('never touches %s', async (path) => {
    const res = await rawGet(`${base}${path}`, { 'Accept-Encoding': 'br, gzip' })
    expect(res.headers['content-encoding'] ?? '').not.toMatch(/^(br|gzip)$/)
    if (path === '/events' || path === '/image' || path === '/empty') expect(res.headers.vary).toBeUndefined()
  })

  it('gives each encoding its own entity tag and answers each with 304', async () => {
    const br = await rawGet(`${base}/tagged`, { 'Accept-Encoding': 'br' })
    const gz = await rawGet(`${base}/tagged`, { 'Accept-Encoding': 'gzip' })
    const plain = await rawGet(`${base}/tagged`)
    expect([br.headers.etag, gz.headers.etag, plain.headers.etag]).toEqual(['"v1-br"', '"v1-gz"', '"v1"'])
    for (const [accept, tag] of [
      ['br', '"v1-br"'],
      ['gzip', '"v1-gz"'],
      ['', '"v1"'],
    ] as const) {
      const again = await rawGet(`${base}/tagged`, {
        ...(accept ? { 'Accept-Encoding': accept } : {}),
        'If-None-Match': tag,
      })
      expect(again.status).toBe(304)
      expect(again.wire.length).toBe(0)
      expect(again.headers.etag).toBe(tag)
      expect(again.headers.vary).toMatch(/accept-encoding/i)
    }
    // A brotli tag is not the gzip representation: the full body comes back.
    const other = await rawGet(`${base}/tagged`, { 'Accept-Encoding': 'gzip', 'If-None-Match': '"v1-br"' })
    expect(other.status).toBe(200)
    expect(other.headers['content-encoding']).toBe('gzip')
  })

  it('keeps a weak tag as it is', async () => {
    const res = await rawGet(`${base}/weak`, { 'Accept-Encoding': 'br' })
    expect(res.headers['content-encoding']).toBe('br')
    expect(res.headers.etag).toBe('W/"w1"')
  })

  it('answers HEAD with the headers of the encoded GET and no body', async () => {
    const res = await rawGet(`${base}/big`, { 'Accept-Encoding': 'br' }, 'HEAD')
    expect(res.headers['content-encoding']).toBe('br')
    expect(res.wire.length).toBe(0)
  })
})

describe('the app', () => {
  it('compresses its JSON when Node passes the middleware in, and never on its own (the edge platform compresses)', async () => {
    const db = {} as Database
    const withIt = createApp({ db, compression: compression() })
    const without = createApp({ db })
    const headers = { 'Accept-Encoding': 'br, gzip' }
    const compressed = await withIt.request('/v1/openapi.json', { headers })
    expect(compressed.headers.get('content-encoding')).toBe('br')
    expect(compressed.headers.get('vary')).toMatch(/accept-encoding/i)
    const plain = await without.request('/v1/openapi.json', { headers })
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(JSON.parse(await plain.text()).openapi).toMatch(/^3\./)
  })

  it('keeps node:zlib and this middleware out of the Worker bundle', async () => {
    const result = await build({
      ...workerBuildOptions,
      entryPoints: ['api/edge.ts'],
      write: false,
      metafile: true,
      outfile: 'worker.js',
    })
    const inputs = Object.keys(result.metafile.inputs)
    expect(inputs.some((path) => path.endsWith('api/compression.ts'))).toBe(false)
    expect(inputs.some((path) => path.endsWith('api/content-encoding.ts'))).toBe(true) // the asset routes negotiate there too
    expect(result.outputFiles[0]!.text).not.toContain('node:zlib')
  })
})

describe('npm start (api/node.ts) as a process', () => {
  it('compresses JSON on the fly and sends the built variants of the scripts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'booking-compression-'))
    const database = inject('testDatabase').kind === 'postgres' ? await createTestDatabase() : undefined
    const server = await startApiServer(
      database?.url ? { DATABASE_URL: database.url } : { DATABASE_URL: '', DATA_DIR: join(dir, 'pglite') },
    )
    try {
      const json = await rawGet(`${server.url}/v1/openapi.json`, { 'Accept-Encoding': 'gzip, deflate, br' })
      expect(json.headers['content-encoding']).toBe('br')
      expect(json.headers.vary).toMatch(/accept-encoding/i)
      expect(JSON.parse(json.decoded.toString()).openapi).toMatch(/^3\./)
      const health = await rawGet(`${server.url}/health`, { 'Accept-Encoding': 'br' })
      expect(health.headers['content-encoding']).toBeUndefined() // under the threshold
      const built = new URL('../dist/widget/widget.js.br', import.meta.url)
      if (existsSync(built)) {
        const script = await rawGet(`${server.url}/widget.js`, { 'Accept-Encoding': 'br, gzip' })
        expect(script.headers['content-encoding']).toBe('br')
        expect(script.wire.equals(await readFile(built))).toBe(true)
      }
    } finally {
      await server.stop()
      await database?.close()
      await rm(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
