import { describe, expect, it } from 'vitest'
import { createApp } from '../app'
import type { Database } from '../db/database'

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
    const app = createApp({ db, assets: { version: '1.2.3', widgetScript: 'window.Booking={};', manageScript: '/*m*/' } })
    const pinned = await app.request('/widget/v1.2.3/widget.js')
    expect(pinned.status).toBe(200)
    expect(pinned.headers.get('cache-control')).toContain('immutable')
    expect(await pinned.text()).toBe('window.Booking={};')
    expect(pinned.headers.get('etag')).toBe((await app.request('/widget.js')).headers.get('etag'))
    expect(await (await app.request('/widget/v1.2.3/manage.js')).text()).toBe('/*m*/')
    expect((await app.request('/payment.js')).status).toBe(503) // not built: says so, never a stale file
    const other = await app.request('/widget/v9.9.9/widget.js')
    expect(other.status).toBe(404)
    expect(await other.text()).toContain('v1.2.3')
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

  it.each(['', '?resource=', '?resource=%22%3E%3Cscript%3E', '?resource=Blue'])('refuses %s: only a slug reaches the markup', async (query) => {
    const res = await createApp({ db }).request(`/admin/preview${query}`)
    expect(res.status).toBe(400)
    expect(await res.text()).not.toContain('<script')
  })
})
