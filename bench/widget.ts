import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import type { Browser } from 'playwright-core'
import { openDatabase } from '../api/db/open-database'
import { CHROMIUM, launchChromium } from '../test/browser'
import { everyDay, insertResource, uniqueSlug } from '../test/fixtures'
import { startApiServer, type RunningServer } from '../test/server'

export interface WidgetSize {
  file: string
  bytes: number
  gzipBytes: number
  brBytes: number
  /** `critical`: needed before the first slots (the loader, the entry and its static imports); else loaded on demand. */
  critical: boolean
}

export interface WidgetTiming {
  runs: number
  /** Median ms from the script's fetch start to the first slots painted. */
  widgetMs: number
  /** Median ms from the baseline script's fetch start to its `<div>` painted. */
  baselineMs: number
  widgetSamples: number[]
}

/**
 * gzip -9 and brotli 11 sizes of the widget's built scripts (the loader and every module under
 * assets/), each marked critical when the first slots need it: the loader widget.js, the
 * widget entry and the chunks it imports statically (entries.json, written by the build).
 */
export async function measureWidgetSizes(): Promise<WidgetSize[]> {
  const entries = JSON.parse(await readFile('dist/widget/entries.json', 'utf8')) as Record<
    string,
    { file: string; imports: string[] }
  >
  const widget = entries.widget!
  const critical = new Set(['widget.js', widget.file, ...widget.imports])
  const modules = (await readdir('dist/widget/assets'))
    .filter((name) => name.endsWith('.js'))
    .map((name) => `assets/${name}`)
  return Promise.all(
    ['widget.js', 'manage.js', ...modules].map(async (file) => {
      const body = await readFile(`dist/widget/${file}`)
      const brBytes = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length
      return {
        file,
        bytes: body.length,
        gzipBytes: gzipSync(body, { level: 9 }).length,
        brBytes,
        critical: critical.has(file),
      }
    }),
  )
}

// Marks the moment after the frame in which the content first appeared.
const MARK_PAINT = `window.__mark = () => requestAnimationFrame(() => setTimeout(() => { window.__painted = performance.now() }))`

/**
 * Loads a plain host page with the two-line snippet in headless Chromium, each run in a
 * fresh browser context (nothing cached: a first visit), and times script fetch start →
 * first slots painted. The baseline is the same page whose script only renders a <div>.
 */
export async function measureTimeToFirstSlots(options: {
  databaseUrl: string | undefined
  quick: boolean
}): Promise<WidgetTiming | undefined> {
  return withWidgetBench(options.databaseUrl, 'bench-room', async ({ server, slug, browser }) => {
    const widgetPage = `<!doctype html><meta charset="utf-8"><title>w</title><script>${MARK_PAINT};document.addEventListener('booking:ready',()=>__mark())</script>
<div data-booking-resource="${slug}"></div>
<script src="/widget.js" async></script>`
    const baselinePage = `<!doctype html><meta charset="utf-8"><title>b</title><script>${MARK_PAINT}</script>
<div id="host"></div>
<script src="/bench-baseline.js" async></script>`
    const baselineScript = `const d=document.createElement('div');d.textContent='Hello';document.getElementById('host').append(d);__mark()`

    const timeOnce = async (html: string, script: string): Promise<number> => {
      const context = await browser.newContext()
      const page = await context.newPage()
      await page.route(`${server.url}/bench-page`, (route) => route.fulfill({ contentType: 'text/html', body: html }))
      await page.route(`${server.url}/bench-baseline.js`, (route) =>
        route.fulfill({ contentType: 'text/javascript', body: baselineScript }),
      )
      await page.goto(`${server.url}/bench-page`)
      await page.waitForFunction(
        () => (window as unknown as { __painted?: number }).__painted !== undefined,
        undefined,
        { timeout: 15_000 },
      )
      const ms = await page.evaluate((name) => {
        const entry = performance.getEntriesByType('resource').find((e) => e.name.endsWith(name))
        return (window as unknown as { __painted: number }).__painted - (entry?.startTime ?? 0)
      }, script)
      await context.close()
      return ms
    }

    // One warm-up each: the server's first request compiles routes and opens the pool.
    await timeOnce(widgetPage, '/widget.js')
    await timeOnce(baselinePage, '/bench-baseline.js')
    const runs = options.quick ? 7 : 21
    const widgetSamples: number[] = []
    const baselineSamples: number[] = []
    for (let i = 0; i < runs; i++) {
      widgetSamples.push(await timeOnce(widgetPage, '/widget.js'))
      baselineSamples.push(await timeOnce(baselinePage, '/bench-baseline.js'))
    }
    return { runs, widgetMs: median(widgetSamples), baselineMs: median(baselineSamples), widgetSamples }
  })
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** 400 ms round trip, 50 KB/s both ways: a weak mobile connection (CDP Network.emulateNetworkConditions). */
export const SLOW_NETWORK = { offline: false, latency: 400, downloadThroughput: 50 * 1024, uploadThroughput: 50 * 1024 }

export interface WireRun {
  /** CDP encodedDataLength (headers + body as sent) of the requests from the script's to the last one finished by first slots painted. */
  bytesToFirstSlots: number
  /** The same once the network is idle (the prefetched month and anything else the widget loads after painting). */
  bytesSettled: number
  /** Script fetch start → first slots painted, on SLOW_NETWORK. */
  ms: number
  requests: { url: string; bytes: number; encoding: string; beforePaint: boolean }[]
}

export interface WireFigures {
  runs: number
  /** Median run as served with Accept-Encoding: br, gzip. */
  compressed: WireRun
  /** Median run with Accept-Encoding: identity: the same server before any compression (the baseline). */
  identity: WireRun
}

/**
 * The embed snippet's page (/admin/preview, served by the app) in headless Chromium on a
 * throttled network, each run a fresh context: bytes on the wire and time from the script
 * request to the first slots painted, as served with `Accept-Encoding: br, gzip` and, as the
 * baseline, with `identity`. Bytes are CDP's encodedDataLength, so they are what crossed the wire.
 */
export async function measureOnTheWire(options: {
  databaseUrl: string | undefined
  quick: boolean
}): Promise<WireFigures | undefined> {
  return withWidgetBench(options.databaseUrl, 'bench-wire', async ({ server, slug, browser }) => {
    const once = async (acceptEncoding: string): Promise<WireRun> => {
      const context = await browser.newContext({ extraHTTPHeaders: { 'Accept-Encoding': acceptEncoding } })
      const page = await context.newPage()
      await page.addInitScript(`document.addEventListener('booking:ready', () => { ${MARK_PAINT}; __mark() })`)
      const cdp = await context.newCDPSession(page)
      const sent = new Map<string, { url: string; at: number }>()
      const encodings = new Map<string, string>()
      const finished: { id: string; at: number; bytes: number }[] = []
      cdp.on('Network.requestWillBeSent', (e) => sent.set(e.requestId, { url: e.request.url, at: e.timestamp }))
      cdp.on('Network.responseReceived', (e) =>
        encodings.set(
          e.requestId,
          String(e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'] ?? 'identity'),
        ),
      )
      cdp.on('Network.loadingFinished', (e) =>
        finished.push({ id: e.requestId, at: e.timestamp, bytes: e.encodedDataLength }),
      )
      await cdp.send('Network.enable')
      await cdp.send('Network.emulateNetworkConditions', SLOW_NETWORK)
      await page.goto(`${server.url}/admin/preview?resource=${slug}`)
      await page.waitForFunction(
        () => (window as unknown as { __painted?: number }).__painted !== undefined,
        undefined,
        { timeout: 30_000 },
      )
      const marks = await page.evaluate(() => {
        const entry = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/widget.js'))
        return { painted: (window as unknown as { __painted: number }).__painted, scriptStart: entry?.startTime ?? 0 }
      })
      await page.waitForLoadState('networkidle')
      await context.close()
      const script = [...sent.entries()].find(([, r]) => r.url.endsWith('/widget.js'))
      if (!script) throw new Error('widget.js was never requested')
      // CDP timestamps are seconds on the browser's monotonic clock; anchor both at the script request.
      const paintedAt = script[1].at + (marks.painted - marks.scriptStart) / 1000
      const requests = finished
        .filter((f) => (sent.get(f.id)?.at ?? -1) >= script[1].at)
        .map((f) => ({
          url: sent.get(f.id)!.url.replace(server.url, ''),
          bytes: f.bytes,
          encoding: encodings.get(f.id) ?? '?',
          beforePaint: f.at <= paintedAt,
        }))
      const sum = (list: typeof requests) => list.reduce((total, r) => total + r.bytes, 0)
      return {
        bytesToFirstSlots: sum(requests.filter((r) => r.beforePaint)),
        bytesSettled: sum(requests),
        ms: marks.painted - marks.scriptStart,
        requests,
      }
    }

    await once('br, gzip') // warm-up: the server's first request compiles routes and opens the pool
    const runs = options.quick ? 3 : 7
    const compressed: WireRun[] = []
    const identity: WireRun[] = []
    for (let i = 0; i < runs; i++) {
      compressed.push(await once('br, gzip'))
      identity.push(await once('identity'))
    }
    const medianRun = (list: WireRun[]) => [...list].sort((a, b) => a.ms - b.ms)[Math.floor(list.length / 2)]!
    return { runs, compressed: medianRun(compressed), identity: medianRun(identity) }
  })
}

/**
 * A resource open all day, the real server (`npm start`'s entry) on a fresh database and a
 * headless Chromium, for one widget measurement; undefined where Chromium is not installed.
 */
async function withWidgetBench<T>(
  databaseUrl: string | undefined,
  slugPrefix: string,
  measure: (bench: { server: RunningServer; slug: string; browser: Browser }) => Promise<T>,
): Promise<T | undefined> {
  if (!existsSync(CHROMIUM)) return undefined
  const dataDir = databaseUrl ? undefined : await mkdtemp(join(tmpdir(), 'booking-bench-widget-'))
  const handle = await openDatabase({ url: databaseUrl, dataDir, migrate: true })
  const slug = uniqueSlug(slugPrefix)
  await insertResource(handle.db, {
    slug,
    timezone: 'Europe/Berlin',
    schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 30 }),
  })
  await handle.close()

  const server = await startApiServer({ DATABASE_URL: databaseUrl, DATA_DIR: dataDir })
  let browser: Browser | undefined
  try {
    browser = await launchChromium()
    return await measure({ server, slug, browser })
  } finally {
    await browser?.close()
    await server.stop()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  }
}
