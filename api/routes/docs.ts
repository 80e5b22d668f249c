import { Hono } from 'hono'
import type { AppEnv } from '../app-env'
import { buildOpenApiDocument } from '../openapi'
import { prepareStatic, sendStatic, type StaticBody } from './static-file'

export interface DocsAssets {
  /** swagger-ui-dist's bundle and stylesheet, served from here: the docs work offline. */
  swaggerJs?: StaticBody | undefined
  swaggerCss?: StaticBody | undefined
}

// Swagger UI sets style attributes, so this page (ours, never embedded) allows inline styles.
const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'"

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Booking API reference</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div><script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`

const INIT = `window.ui = SwaggerUIBundle({ url: '/v1/openapi.json', dom_id: '#swagger-ui', deepLinking: true, tryItOutEnabled: false })\n`

/**
 * `GET /v1/openapi.json` (OpenAPI 3.1, generated from the routes' zod schemas) and
 * `GET /docs`, an interactive reference.
 *
 * @example
 * curl http://localhost:8787/v1/openapi.json
 */
// Built once per version: the edge entry creates the app for every request.
const documents = new Map<string, string>()

export function createDocsRoutes(assets: DocsAssets, version: string) {
  let document = documents.get(version)
  if (!document) documents.set(version, (document = JSON.stringify(buildOpenApiDocument(version))))
  const routes = new Hono<AppEnv>()
  routes.get('/v1/openapi.json', (c) =>
    c.body(document, 200, { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=300' }),
  )
  routes.get('/docs', (c) => {
    if (!assets.swaggerJs) return c.redirect('/v1/openapi.json')
    c.header('Content-Security-Policy', DOCS_CSP)
    return c.html(PAGE)
  })
  routes.get('/docs/init.js', (c) => c.body(INIT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }))
  const swaggerJs = prepareStatic(assets.swaggerJs)
  const swaggerCss = prepareStatic(assets.swaggerCss)
  routes.get('/docs/swagger-ui-bundle.js', (c) =>
    swaggerJs
      ? sendStatic(c, swaggerJs, {
          'Content-Type': 'text/javascript; charset=utf-8',
          'Cache-Control': 'public, max-age=86400',
        })
      : c.notFound(),
  )
  routes.get('/docs/swagger-ui.css', (c) =>
    swaggerCss
      ? sendStatic(c, swaggerCss, {
          'Content-Type': 'text/css; charset=utf-8',
          'Cache-Control': 'public, max-age=86400',
        })
      : c.notFound(),
  )
  return routes
}
