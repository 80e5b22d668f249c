import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A site owner's own website on its own origin (another local port than the booking API),
 * serving plain pages with the embed snippet pasted in, as the README tells owners to.
 */
export interface OwnerSite {
  /** The site's origin, e.g. http://127.0.0.1:41234 (what ALLOWED_ORIGINS must list). */
  origin: string
  /** Serves `html` at `path` from now on. */
  publish(path: string, html: string): void
  close(): Promise<void>
}

export async function startOwnerSite(): Promise<OwnerSite> {
  const pages = new Map<string, string>()
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://site').pathname
    const page = pages.get(path)
    if (request.method !== 'GET' || page === undefined) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found')
      return
    }
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(page)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    publish: (path, html) => void pages.set(path, html),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export interface SnippetOptions {
  apiUrl: string
  resource: string
  /** `data-locale` on the element, as an owner of a German or Spanish site sets it. */
  locale?: string
  /** The page's own language (`<html lang>`). */
  pageLang?: string
  title?: string
  /** The page's own words (heading, intro, footer), in the site's language. */
  words?: { heading: string; intro: string; footer: string }
  /** Puts the floating "Book now" button on the page as well (`data-booking-button` on the script tag). */
  button?: boolean
}

/**
 * An ordinary small-business page: its own header, text and styles, and the two-line
 * snippet pasted in the middle, loading widget.js from the booking API's origin.
 */
export function ownerPage(options: SnippetOptions): string {
  const locale = options.locale ? ` data-locale="${options.locale}"` : ''
  const button = options.button ? ` data-booking-button="${options.resource}"` : ''
  const words = options.words ?? {
    heading: 'Book the meeting room',
    intro: 'Pick a free time below. You will get a confirmation by email.',
    footer: 'Spreeufer 5, Berlin',
  }
  return `<!doctype html>
<html lang="${options.pageLang ?? options.locale ?? 'en'}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${options.title ?? 'Co-working Spree'}</title>
  <link rel="icon" href="data:,">
  <style>
    body { margin: 0; font: 16px/1.5 Georgia, serif; color: #222; background: #faf7f2; }
    header { background: #1d3557; color: #fff; padding: 12px 16px; }
    main { padding: 16px; }
    footer { padding: 16px; color: #666; font-size: 14px; }
  </style>
</head>
<body>
  <header><strong>${options.title ?? 'Co-working Spree'}</strong></header>
  <main>
    <h1>${words.heading}</h1>
    <p>${words.intro}</p>
    <div data-booking-resource="${options.resource}"${locale}></div>
    <script src="${options.apiUrl}/widget.js" async${button}></script>
  </main>
  <footer>${words.footer}</footer>
</body>
</html>
`
}
