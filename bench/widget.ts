import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Browser } from 'playwright-core'
import { openDatabase } from '../api/db/open-database'
import { CHROMIUM, launchChromium } from '../test/browser'
import { everyDay, insertResource, uniqueSlug } from '../test/fixtures'
import { startApiServer } from '../test/server'

export interface WidgetSize {
  file: string
  bytes: number
  gzipBytes: number
}

export interface WidgetTiming {
  runs: number
  /** Median ms from the script's fetch start to the first slots painted. */
  widgetMs: number
  /** Median ms from the baseline script's fetch start to its `<div>` painted. */
  baselineMs: number
  widgetSamples: number[]
}

/** gzip -9 sizes of the built scripts (what a browser downloads with Content-Encoding: gzip). */
export async function measureWidgetSizes(): Promise<WidgetSize[]> {
  const files = ['dist/widget/widget.js', 'dist/widget/locale-de.js', 'dist/widget/locale-es.js', 'dist/widget/payment.js', 'dist/widget/manage.js']
  return Promise.all(
    files.map(async (file) => {
      const body = await readFile(file)
      return { file, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length }
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
export async function measureTimeToFirstSlots(options: { databaseUrl: string | undefined; quick: boolean }): Promise<WidgetTiming | undefined> {
  if (!existsSync(CHROMIUM)) return undefined
  const dataDir = options.databaseUrl ? undefined : await mkdtemp(join(tmpdir(), 'booking-bench-widget-'))
  const handle = await openDatabase({ url: options.databaseUrl, dataDir, migrate: true })
  const slug = uniqueSlug('bench-room')
  await insertResource(handle.db, {
    slug,
    timezone: 'Europe/Berlin',
    schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 30 }),
  })
  await handle.close()

  const server = await startApiServer({ DATABASE_URL: options.databaseUrl, DATA_DIR: dataDir })
  let browser: Browser | undefined
  try {
    browser = await launchChromium()
    const widgetPage = `<!doctype html><meta charset="utf-8"><title>w</title><script>${MARK_PAINT};document.addEventListener('booking:ready',()=>__mark())</script>
<div data-booking-resource="${slug}"></div>
<script src="/widget.js" async></script>`
    const baselinePage = `<!doctype html><meta charset="utf-8"><title>b</title><script>${MARK_PAINT}</script>
<div id="host"></div>
<script src="/bench-baseline.js" async></script>`
    const baselineScript = `const d=document.createElement('div');d.textContent='Hello';document.getElementById('host').append(d);__mark()`

    const timeOnce = async (html: string, script: string): Promise<number> => {
      const context = await browser!.newContext()
      const page = await context.newPage()
      await page.route(`${server.url}/bench-page`, (route) => route.fulfill({ contentType: 'text/html', body: html }))
      await page.route(`${server.url}/bench-baseline.js`, (route) => route.fulfill({ contentType: 'text/javascript', body: baselineScript }))
      await page.goto(`${server.url}/bench-page`)
      await page.waitForFunction(() => (window as unknown as { __painted?: number }).__painted !== undefined, undefined, { timeout: 15_000 })
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
  } finally {
    await browser?.close()
    await server.stop()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
