import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env'
import type { DocsAssets } from './docs'
import { prepareStatic, sendStatic, type ServedFile, type StaticBody } from './static-file'

/**
 * Files the API serves beside the JSON surface; read by the runtime entry, not by the app.
 * Each is its text, or its text with the brotli and gzip variants made at build time.
 */
export interface StaticAssets {
  /** The built widget's version (package.json), for the pinned `/widget/v<version>/…` copies. */
  version?: string | undefined
  /** The embed snippet's loader (dist/widget/widget.js): tiny, and points at the current hashed modules. */
  widgetScript?: StaticBody | undefined
  /** The manage page's loader (dist/widget/manage.js). */
  manageScript?: StaticBody | undefined
  /**
   * The widget's ES modules by hashed file name (dist/widget/assets/widget-<hash>.js, its chunks,
   * the card step, the manage view, other languages), served under `/assets/`.
   */
  modules?: Record<string, StaticBody | undefined>
  /** The entry modules among them by name (`widget` → `widget-<hash>.js`). */
  entries?: Record<string, string>
  /** The demo page (examples/demo.html), served at `/`. */
  demoPage?: StaticBody | undefined
  /** The page the manage links point at (examples/manage.html), served at `/manage`. */
  managePage?: StaticBody | undefined
  /** The popup and floating-button example (examples/popup.html), served at `/examples/popup`. */
  popupPage?: StaticBody | undefined
  /** The example pages' own files by name (examples.css, popup.js), served under `/examples/`. */
  exampleFiles?: Record<string, StaticBody | undefined>
  /** The owner console (dist/admin/admin.js), served with its page at `/admin`. */
  adminScript?: StaticBody | undefined
  /** The API reference's files (swagger-ui-dist). */
  docs?: DocsAssets
}

const EXAMPLE_TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' }

// Our pages prove the widget runs under a strict CSP: no inline script or style, no eval.
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

const ADMIN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bookings console</title><link rel="icon" href="data:,"></head>
<body><div id="admin"></div><script src="/admin/admin.js"></script></body></html>`

// The console's widget preview is framed by the console itself, and by nothing else.
const PREVIEW_CSP = PAGE_CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'")

/** The slug rule of the admin API: nothing else ever reaches the page's markup. */
const PREVIEW_SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/

/** The embed snippet as a site would paste it, on a page of its own (the console's page runs only its own script). */
const previewPage = (slug: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Widget preview</title><link rel="icon" href="data:,"></head>
<body><div data-booking-resource="${slug}"></div>
<script src="/widget.js" async></script></body></html>`

const MISSING_BUILD = '// widget not built: run `npm run build` (npm start does it for you)\n'

/** A module's name carries a hash of its content, so its bytes never change under that name. */
const HASHED_MODULE = /^[\w-]+-[\w-]{8}\.js$/

/**
 * The widget scripts and the example pages.
 * - `GET /widget.js`, `GET /manage.js`: the loaders, cached for 5 minutes with an ETag, because
 *   site owners never change their snippet and updates must still reach them. Each is a few
 *   hundred bytes that import the current build's modules.
 * - `GET /assets/<name>-<hash>.js`: those modules, cached for a year (`immutable`): a new build
 *   has new names, so a returning visitor revalidates only the loader.
 * - `GET /widget/v<version>/widget.js` (and `manage.js`, `assets/…`): the same files, cached for
 *   a year, for sites that pin a version.
 * - Every file goes out as the brotli or gzip variant made at build time when Accept-Encoding
 *   allows (each encoding its own ETag, `Vary: Accept-Encoding`), never compressed per request.
 *
 * @example
 * <script src="https://book.example.com/widget.js" async></script>
 * <script src="https://book.example.com/widget/v0.1.0/widget.js" async></script>
 */
export function createAssetRoutes(assets: StaticAssets) {
  const routes = new Hono<AppEnv>()
  const loaders = { 'widget.js': prepareStatic(assets.widgetScript), 'manage.js': prepareStatic(assets.manageScript) }
  const modules = new Map<string, ServedFile>()
  for (const [name, body] of Object.entries(assets.modules ?? {})) {
    const file = prepareStatic(body)
    if (file && HASHED_MODULE.test(name)) modules.set(name, file)
  }
  const pinned = (c: Context<AppEnv>) =>
    !assets.version || c.req.param('version') !== `v${assets.version}`
      ? c.text(`// no such version: this server has v${assets.version ?? '?'}\n`, 404, {
          'Content-Type': 'text/javascript; charset=utf-8',
        })
      : undefined
  const serveModule = (c: Context<AppEnv>) => {
    const name = c.req.param('file') ?? ''
    const file = modules.get(name)
    if (file) return serveScript(c, file, 'public, max-age=31536000, immutable')
    // A loader cached from before a deploy names the previous build's entry: send it to the
    // current one (whose chunks it imports by their current names), never caching the detour.
    const current = assets.entries?.[name.replace(/-[\w-]{8}\.js$/, '')]
    if (current && modules.has(current) && HASHED_MODULE.test(name)) {
      return c.body(null, 307, { Location: current, 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*' })
    }
    return c.text('// no such file in this build: reload the page\n', 404, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'no-store',
    })
  }

  for (const [name, script] of Object.entries(loaders)) {
    routes.get(`/${name}`, (c) => serveScript(c, script, 'public, max-age=300, stale-while-revalidate=86400'))
    routes.get(
      `/widget/:version/${name}`,
      (c) => pinned(c) ?? serveScript(c, script, 'public, max-age=31536000, immutable'),
    )
  }
  routes.get('/assets/:file', serveModule)
  routes.get('/widget/:version/assets/:file', (c) => pinned(c) ?? serveModule(c))

  const pages = {
    '/': prepareStatic(assets.demoPage),
    '/manage': prepareStatic(assets.managePage),
    '/examples/popup': prepareStatic(assets.popupPage),
  }
  for (const [path, page] of Object.entries(pages)) {
    routes.get(path, (c) => {
      if (!page) return c.text('Booking API. See /v1/resources.', path === '/' ? 200 : 404)
      c.header('Content-Security-Policy', PAGE_CSP)
      // The manage page carries its token in the fragment; never let it leak onwards.
      c.header('Referrer-Policy', 'no-referrer')
      return sendStatic(c, page, { 'Content-Type': 'text/html; charset=UTF-8' })
    })
  }
  // The console: never framed, no inline code; the key it holds stays in sessionStorage.
  routes.get('/admin', (c) => {
    c.header('Content-Security-Policy', PAGE_CSP)
    c.header('Referrer-Policy', 'no-referrer')
    c.header('X-Frame-Options', 'DENY')
    c.header('Cache-Control', 'no-store')
    return c.html(ADMIN_PAGE)
  })
  // The console's live preview of a resource's widget: framed by /admin only, never cached.
  routes.get('/admin/preview', (c) => {
    const slug = c.req.query('resource') ?? ''
    if (!PREVIEW_SLUG.test(slug) || slug.length > 64) return c.text('Give ?resource=<slug> of a resource.', 400)
    c.header('Content-Security-Policy', PREVIEW_CSP)
    c.header('Referrer-Policy', 'no-referrer')
    c.header('X-Frame-Options', 'SAMEORIGIN')
    c.header('Cache-Control', 'no-store')
    return c.html(previewPage(slug))
  })
  const adminScript = prepareStatic(assets.adminScript)
  routes.get('/admin/admin.js', (c) => serveScript(c, adminScript, 'no-cache'))

  for (const [name, body] of Object.entries(assets.exampleFiles ?? {})) {
    const type = EXAMPLE_TYPES[name.split('.').pop() ?? '']
    const file = prepareStatic(body)
    if (!file || !type) continue
    routes.get(`/examples/${name}`, (c) =>
      sendStatic(c, file, { 'Content-Type': type, 'Cache-Control': 'public, max-age=300' }),
    )
  }
  return routes
}

function serveScript(c: Context<AppEnv>, script: ServedFile | undefined, cacheControl: string) {
  if (!script)
    return c.text(MISSING_BUILD, 503, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' })
  // Any site may load the script; module-style loads and SRI checks need CORS.
  return sendStatic(c, script, {
    'Content-Type': 'text/javascript; charset=utf-8',
    'Cache-Control': cacheControl,
    'Access-Control-Allow-Origin': '*',
  })
}
