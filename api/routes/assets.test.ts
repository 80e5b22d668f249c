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
    expect(await res.text()).toMatch(/vite build/)
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
