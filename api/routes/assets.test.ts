import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { serve, type ServerType } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawGet } from '../../test/raw-http'
import { createApp } from '../app'
import { compression } from '../compression'
import type { Database } from '../db/database'
import { loadStaticAssets, moduleSources, readStaticFile, staticSources, variantBase } from '../static-assets'

// These routes never touch the database.
const db = {} as Database

describe('GET /widget.js', () => {
  it('serves the built script with caching headers and answers a matching ETag with 304', async () => {
    const app = createApp({ db, assets: { widgetScript: 'window.Booking={};' } })
    const first = await app.request('/widget.js')
    expect(first.status).toBe(200)
    expect(first.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect(first.headers.get('cache-control')).toMatch(/max-age=\d+/)
    expect(await first.text()).toBe('window.Booking={};')
    const etag = first.headers.get('etag')
    expect(etag).toBeTruthy()
    const again = await app.request('/widget.js', { headers: { 'If-None-Match': etag! } })
    expect(again.status).toBe(304)
  })

  it('says how to build it when the build is missing', async () => {
    const res = await createApp({ db }).request('/widget.js')
    expect(res.status).toBe(503)
    expect(await res.text()).toMatch(/npm run build/)
  })

  it('serves an immutable copy under the version, and 404 for another version', async () => {
    const app = createApp({
      db,
      assets: { version: '1.2.3', widgetScript: 'window.Booking={};', manageScript: '/*m*/' },
    })
    const pinned = await app.request('/widget/v1.2.3/widget.js')
    expect(pinned.status).toBe(200)
    expect(pinned.headers.get('cache-control')).toContain('immutable')
    expect(await pinned.text()).toBe('window.Booking={};')
    expect(pinned.headers.get('etag')).toBe((await app.request('/widget.js')).headers.get('etag'))
    expect(await (await app.request('/widget/v1.2.3/manage.js')).text()).toBe('/*m*/')
    const other = await app.request('/widget/v9.9.9/widget.js')
    expect(other.status).toBe(404)
    expect(await other.text()).toContain('v1.2.3')
  })

  it('serves the hashed modules for a year, with CORS for module loads, under /assets and the pinned version', async () => {
    const modules = {
      'widget-AbCd12_-.js': 'export const start=()=>{}',
      'sdk-Zz99yy00.js': 'export{}',
      'notes.js': 'x',
    }
    const app = createApp({ db, assets: { version: '1.2.3', widgetScript: '/*loader*/', modules } })
    for (const path of ['/assets/widget-AbCd12_-.js', '/widget/v1.2.3/assets/widget-AbCd12_-.js']) {
      const res = await app.request(path)
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
      expect(res.headers.get('access-control-allow-origin')).toBe('*')
      expect(res.headers.get('content-type')).toContain('text/javascript')
      expect(await res.text()).toBe(modules['widget-AbCd12_-.js'])
    }
    // The loader is the only file cached briefly: a new build reaches sites within minutes.
    expect((await app.request('/widget.js')).headers.get('cache-control')).toContain('max-age=300')
    // A name from another build (or one without a hash) is not found, and that answer is not cached.
    const gone = await app.request('/assets/widget-OldBuild.js')
    expect(gone.status).toBe(404)
    expect(gone.headers.get('cache-control')).toBe('no-store')
    expect((await app.request('/assets/notes.js')).status).toBe(404)
    expect((await app.request('/widget/v9.9.9/assets/widget-AbCd12_-.js')).status).toBe(404)
  })

  it('sends a loader cached from before a deploy on to the current entry, uncached', async () => {
    const modules = { 'widget-New12345.js': 'export const start=()=>{}', 'sdk-New12345.js': 'export{}' }
    const app = createApp({
      db,
      assets: { widgetScript: '/*loader*/', modules, entries: { widget: 'widget-New12345.js' } },
    })
    const old = await app.request('/assets/widget-Old12345.js')
    expect(old.status).toBe(307)
    // Relative, so the pinned path (/widget/v…/assets/) keeps its prefix.
    expect(old.headers.get('location')).toBe('widget-New12345.js')
    expect(old.headers.get('cache-control')).toBe('no-store')
    expect(old.headers.get('access-control-allow-origin')).toBe('*')
    // Chunks are not entries: an old chunk name is simply gone.
    expect((await app.request('/assets/sdk-Old12345.js')).status).toBe(404)
  })
})

describe('example pages', () => {
  it.each(['/manage', '/examples/popup'])('serves %s under the strict policy, without a referrer', async (path) => {
    const app = createApp({ db, assets: { managePage: '<p>m</p>', popupPage: '<p>p</p>' } })
    const res = await app.request(path)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
  })

  it('serves the examples’ own files with their types, and nothing else under /examples/', async () => {
    const app = createApp({ db, assets: { exampleFiles: { 'examples.css': 'body{}', 'popup.js': 'x()' } } })
    expect((await app.request('/examples/examples.css')).headers.get('content-type')).toMatch(/^text\/css/)
    expect((await app.request('/examples/popup.js')).headers.get('content-type')).toMatch(/^text\/javascript/)
    expect((await app.request('/examples/secret.txt')).status).toBe(404)
  })
})

describe('GET /', () => {
  it('serves the demo page under a strict content security policy', async () => {
    const app = createApp({ db, assets: { demoPage: '<!doctype html><title>Demo</title>' } })
    const res = await app.request('/')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
  })
})

describe('GET /admin/preview', () => {
  it('mounts the widget for one resource on a page only the console may frame', async () => {
    const res = await createApp({ db }).request('/admin/preview?resource=blue-room')
    expect(res.status).toBe(200)
    const page = await res.text()
    expect(page).toContain('<div data-booking-resource="blue-room"></div>')
    expect(page).toContain('<script src="/widget.js" async></script>')
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("frame-ancestors 'self'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("default-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    expect(res.headers.get('cache-control')).toBe('no-store')
  })

  it('lets the console page frame same-origin pages (the preview) but keeps itself unframeable', async () => {
    const res = await createApp({ db }).request('/admin')
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(res.headers.get('content-security-policy')).not.toMatch(/frame-src 'none'/)
    expect(res.headers.get('x-frame-options')).toBe('DENY')
  })

  it.each(['', '?resource=', '?resource=%22%3E%3Cscript%3E', '?resource=Blue'])(
    'refuses %s: only a slug reaches the markup',
    async (query) => {
      const res = await createApp({ db }).request(`/admin/preview${query}`)
      expect(res.status).toBe(400)
      expect(await res.text()).not.toContain('<script')
    },
  )
})

describe('precompressed variants', () => {
  const text = 'window.Booking={};'.repeat(100)
  const br = new Uint8Array(brotliCompressSync(text))
  const gzip = new Uint8Array(gzipSync(text))
  const app = createApp({
    db,
    assets: {
      widgetScript: { text, br, gzip },
      demoPage: { text: '<p>demo</p>', gzip: new Uint8Array(gzipSync('<p>demo</p>')) },
    },
  })

  it.each([
    ['br, gzip', 'br', br],
    ['gzip, deflate', 'gzip', gzip],
    ['', null, undefined],
  ] as const)(
    'Accept-Encoding "%s" gets the %s bytes as stored, with their own ETag',
    async (accept, encoding, bytes) => {
      const res = await app.request('/widget.js', { headers: accept ? { 'Accept-Encoding': accept } : {} })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-encoding')).toBe(encoding)
      expect(res.headers.get('vary')).toBe('Accept-Encoding')
      const body = new Uint8Array(await res.arrayBuffer())
      if (bytes) {
        expect(body).toEqual(bytes)
        expect(res.headers.get('content-length')).toBe(String(bytes.length))
      } else expect(new TextDecoder().decode(body)).toBe(text)
      const etag = res.headers.get('etag')!
      expect(etag).toMatch(encoding === 'br' ? /-br"$/ : encoding === 'gzip' ? /-gz"$/ : /^"[\w-]{16}"$/)
      const again = await app.request('/widget.js', {
        headers: { ...(accept ? { 'Accept-Encoding': accept } : {}), 'If-None-Match': etag },
      })
      expect(again.status).toBe(304)
      expect(again.headers.get('vary')).toBe('Accept-Encoding')
    },
  )

  it('answers a tag of another encoding with the full body', async () => {
    const brTag = (await app.request('/widget.js', { headers: { 'Accept-Encoding': 'br' } })).headers.get('etag')!
    const res = await app.request('/widget.js', { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': brTag } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-encoding')).toBe('gzip')
  })

  it('serves pages the same way, falling back to text for an encoding it has no variant of', async () => {
    const gz = await app.request('/', { headers: { 'Accept-Encoding': 'br, gzip' } })
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    expect(gz.headers.get('content-type')).toMatch(/^text\/html/)
    expect(gz.headers.get('content-security-policy')).toContain("script-src 'self'")
    const plain = await app.request('/', { headers: { 'Accept-Encoding': 'br' } })
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(await plain.text()).toBe('<p>demo</p>')
  })
})

describe('build-time variants on disk', () => {
  it('uses a variant only while it decodes to the file as it is now', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'booking-static-'))
    try {
      const source = join(dir, 'page.html')
      await writeFile(source, '<p>new</p>')
      await writeFile(`${source}.br`, brotliCompressSync('<p>new</p>'))
      await writeFile(`${source}.gz`, gzipSync('<p>old</p>')) // edited since the last build
      const file = await readStaticFile(source, source)
      expect(file?.text).toBe('<p>new</p>')
      expect(file?.br).toBeDefined()
      expect(file?.gzip).toBeUndefined()
      expect(await readStaticFile(join(dir, 'missing.js'))).toBeUndefined()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('keeps variants of sources outside dist/ under dist/precompressed/', () => {
    expect(variantBase('/app/dist/widget/widget.js', '/app/')).toBe('/app/dist/widget/widget.js')
    expect(variantBase('/app/examples/demo.html', '/app/')).toBe('/app/dist/precompressed/examples/demo.html')
  })
})

// The built files through a real listener with the Node middleware on, as `npm start` serves them.
describe.runIf(existsSync(new URL('../../dist/widget/widget.js.br', import.meta.url)))(
  'the built assets over HTTP',
  () => {
    let server: ServerType
    let base = ''
    beforeAll(async () => {
      const app = createApp({ db, assets: await loadStaticAssets(), compression: compression() })
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
      await new Promise((resolve) => server.once('listening', resolve))
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    })
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

    const sources = staticSources()
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string
    }
    const paths: [string, string][] = [
      ['/widget.js', sources.widgetScript],
      [`/widget/v${version}/widget.js`, sources.widgetScript],
      ['/manage.js', sources.manageScript],
      ...Object.entries(moduleSources()).map(([name, path]): [string, string] => [`/assets/${name}`, path]),
      ['/admin/admin.js', sources.adminScript],
      ['/', sources.demoPage],
      ['/manage', sources.managePage],
      ['/examples/popup', sources.popupPage],
      ['/examples/examples.css', sources['examples.css']],
      ['/examples/popup.js', sources['popup.js']],
      ['/docs/swagger-ui-bundle.js', sources.swaggerJs],
      ['/docs/swagger-ui.css', sources.swaggerCss],
    ]

    it.each(paths)('%s: the build-time .br/.gz byte for byte, decoding to the file', async (path, source) => {
      const original = await readFile(source)
      const sizes: string[] = []
      for (const [accept, encoding, suffix] of [
        ['br, gzip', 'br', '.br'],
        ['gzip', 'gzip', '.gz'],
        ['', undefined, ''],
      ] as const) {
        const res = await rawGet(`${base}${path}`, accept ? { 'Accept-Encoding': accept } : {})
        expect(res.status).toBe(200)
        expect(res.headers['content-encoding']).toBe(encoding)
        expect(res.headers.vary).toBe('Accept-Encoding')
        expect(res.decoded.equals(original)).toBe(true)
        expect(Number(res.headers['content-length'])).toBe(res.wire.length)
        // Not compressed per request: exactly the file the build wrote.
        if (suffix) expect(res.wire.equals(await readFile(`${variantBase(source)}${suffix}`))).toBe(true)
        sizes.push(`${encoding ?? 'identity'} ${res.wire.length}`)
      }
      console.log(`  ${path}: ${sizes.join(', ')} bytes`)
    })
  },
)
