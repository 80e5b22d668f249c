import { createHash } from 'node:crypto'
import { Hono } from 'hono'
import type { AppEnv } from '../app-env'

/** Files the API serves beside the JSON surface; read by the runtime entry, not by the app. */
export interface StaticAssets {
  /** The built embed script (dist/widget/widget.js). */
  widgetScript?: string | undefined
  /** The demo page (examples/demo.html). */
  demoPage?: string | undefined
}

// The demo page proves the widget runs under a strict CSP: no inline script or style.
const DEMO_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'"

/**
 * `GET /widget.js` and `GET /` (the demo page).
 *
 * @example
 * <script src="https://book.example.com/widget.js" async></script>
 */
export function createAssetRoutes(assets: StaticAssets) {
  const routes = new Hono<AppEnv>()
  const script = assets.widgetScript
  const scriptTag = script ? `"${createHash('sha256').update(script).digest('base64url').slice(0, 16)}"` : ''

  routes.get('/widget.js', (c) => {
    if (!script) {
      return c.text('// widget not built: run `npx vite build` (npm start does it for you)\n', 503, {
        'Content-Type': 'text/javascript; charset=utf-8',
        'Cache-Control': 'no-store',
      })
    }
    c.header('Content-Type', 'text/javascript; charset=utf-8')
    c.header('ETag', scriptTag)
    // Short max-age: site owners never change their snippet, so updates must reach them.
    c.header('Cache-Control', 'public, max-age=300, stale-while-revalidate=86400')
    c.header('Access-Control-Allow-Origin', '*')
    if (c.req.header('If-None-Match') === scriptTag) return c.body(null, 304)
    return c.body(script)
  })

  routes.get('/', (c) => {
    if (!assets.demoPage) return c.text('Booking API. See /v1/resources.', 200)
    c.header('Content-Security-Policy', DEMO_CSP)
    return c.html(assets.demoPage)
  })
  return routes
}
