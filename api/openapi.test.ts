import { describe, expect, it } from 'vitest'
import { createApp } from './app'
import type { Database } from './db/database'
import { API_ROUTES } from './openapi'
import { loadStaticAssets } from './static-assets'

// Routes that serve pages and files rather than the API; everything else must be documented.
const NOT_API = new Set([
  '/',
  '/manage',
  '/admin',
  '/admin/admin.js',
  '/admin/preview',
  '/examples/popup',
  '/docs',
  '/docs/init.js',
  '/docs/swagger-ui-bundle.js',
  '/docs/swagger-ui.css',
])
const isStatic = (path: string) =>
  NOT_API.has(path) ||
  path.startsWith('/examples/') ||
  path.startsWith('/widget/') ||
  path.startsWith('/assets/') ||
  path === '/manage.js'

describe('OpenAPI document', () => {
  const app = createApp({ db: {} as Database, assets: { version: '9.9.9' } })

  it('documents every route the app serves, and nothing it does not', async () => {
    const served = new Set(
      app.routes
        .filter((r) => r.method !== 'ALL' && !isStatic(r.path))
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    )
    const documented = new Set(API_ROUTES.map((r) => `${r.method} ${r.path}`))
    // Path parameter names may differ between router and document; compare shapes.
    const shape = (key: string) => key.replace(/\{\w+\}/g, '{}')
    expect([...served].map(shape).sort()).toEqual([...new Set([...documented].map(shape))].sort())
  })

  it('is served at /v1/openapi.json as OpenAPI 3.1, with request schemas from the routes’ zod schemas', async () => {
    const res = await app.request('/v1/openapi.json')
    const doc = (await res.json()) as {
      openapi: string
      info: { version: string }
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: { 'application/json': { schema: { required?: string[]; properties?: Record<string, unknown> } } }
            }
            parameters?: { name: string; in: string }[]
          }
        >
      >
    }
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.info.version).toBe('9.9.9')
    const booking = doc.paths['/v1/bookings']?.post?.requestBody?.content['application/json'].schema
    expect(booking?.required).toEqual(expect.arrayContaining(['holdId', 'guest']))
    expect(Object.keys(booking?.properties ?? {})).toEqual(
      expect.arrayContaining(['holdId', 'guest', 'notes', 'answers', 'locale']),
    )
    const availability = doc.paths['/v1/resources/{idOrSlug}/availability']?.get?.parameters?.map(
      (p) => `${p.in}:${p.name}`,
    )
    expect(availability).toEqual(
      expect.arrayContaining(['path:idOrSlug', 'query:from', 'query:to', 'query:tz', 'query:duration']),
    )
  })

  it('documents availability’s `format`, both answer shapes, its ETag and 304', async () => {
    const doc = (await (await app.request('/v1/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: { name: string; in: string; schema: { enum?: string[] } }[]
            responses: Record<
              string,
              { content?: Record<string, { schema: unknown }>; headers?: Record<string, unknown> }
            >
          }
        >
      >
      components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> }
    }
    const get = doc.paths['/v1/resources/{idOrSlug}/availability']?.get
    const format = get?.parameters?.find((p) => p.in === 'query' && p.name === 'format')
    expect(format?.schema.enum).toEqual(['default', 'compact'])
    expect(get?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['from', 'to', 'tz', 'duration', 'format']),
    )
    expect(get?.responses['200']?.content?.['application/json']?.schema).toEqual({
      oneOf: [
        { $ref: '#/components/schemas/AvailabilityResponse' },
        { $ref: '#/components/schemas/CompactAvailabilityResponse' },
      ],
    })
    expect(Object.keys(get?.responses['200']?.headers ?? {})).toContain('ETag')
    expect(get?.responses['304']).toBeDefined()
    const compact = doc.components.schemas.CompactAvailabilityResponse
    expect(compact?.required).toEqual(expect.arrayContaining(['format', 'resource', 'timezone', 'days']))
    expect(Object.keys(compact?.properties ?? {})).toEqual(expect.arrayContaining(['holds', 'holdsUnavailable']))
    expect(doc.components.schemas.CompactAvailabilityDay?.required).toEqual(['date', 'starts'])
    // Places: `seats` on both availability routes, `seatsLeft` on each slot and per compact day.
    expect(get?.parameters?.find((p) => p.name === 'seats')?.schema).toMatchObject({ type: 'integer', minimum: 1 })
    const next = doc.paths['/v1/resources/{idOrSlug}/next-available']?.get
    expect(next?.parameters?.map((p) => p.name)).toContain('seats')
    const poolNext = doc.paths['/v1/pools/{idOrSlug}/next-available']?.get
    expect(poolNext?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['from', 'tz', 'duration', 'seats', 'partySize', 'member']),
    )
    expect(Object.keys(doc.components.schemas.CompactAvailabilityDay?.properties ?? {})).toContain('seatsLeft')
    expect(JSON.stringify(doc.components.schemas.AvailabilityResponse)).toContain('"seatsLeft"')
    // Every $ref points at a schema the document has.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map(([, name]) => name!)
    for (const name of refs) expect(doc.components.schemas[name], name).toBeDefined()
  })

  it('serves an interactive reference at /docs that works offline', async () => {
    const withAssets = createApp({ db: {} as Database, assets: await loadStaticAssets() })
    const page = await withAssets.request('/docs')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    const html = await page.text()
    expect(html).toContain('/docs/swagger-ui-bundle.js')
    const bundle = await withAssets.request('/docs/swagger-ui-bundle.js')
    expect([bundle.status, (await bundle.text()).length > 100_000]).toEqual([200, true])
    expect((await withAssets.request('/docs/swagger-ui.css')).status).toBe(200)
  })
})
