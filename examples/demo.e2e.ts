import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { eq } from 'drizzle-orm'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../api/app'
import { systemClock } from '../api/clock'
import { seedDemo } from '../api/seed-demo'
import { bookings } from '../drizzle/schema'
import { createTestDatabase, type TestDatabase } from '../test/database'
import { createTestHoldBackend } from '../test/holds'

/**
 * The demo page as a guest sees it: the built widget.js in Debian's Chromium, against the
 * real API and database. A failed test leaves a screenshot in test-results/.
 */
const CHROMIUM = '/usr/bin/chromium'
const hasChromium = existsSync(CHROMIUM)
if (!hasChromium) {
  if (process.env.CI) throw new Error(`CI needs ${CHROMIUM} for the browser tests (.ci/run installs it with apt-get)`)
  console.warn(`Browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium).`)
}

describe.skipIf(!hasChromium)('demo page in Chromium', () => {
  let database: TestDatabase
  let server: ServerType
  let baseUrl: string
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    database = await createTestDatabase()
    await seedDemo(database.db)
    const app = createApp({
      db: database.db,
      holds: createTestHoldBackend(systemClock).holds,
      assets: {
        widgetScript: await readFile(new URL('../dist/widget/widget.js', import.meta.url), 'utf8'),
        demoPage: await readFile(new URL('./demo.html', import.meta.url), 'utf8'),
      },
    })
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
    await new Promise((resolve) => server.once('listening', resolve))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
    })
  }, 60_000)

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && page) {
      await mkdir('test-results', { recursive: true })
      await page.screenshot({ path: `test-results/${context.task.name.replace(/\W+/g, '-')}.png`, fullPage: true })
    }
    await page?.close()
  })

  afterAll(async () => {
    await browser?.close()
    await new Promise((resolve) => server?.close(resolve))
    await database?.close()
  })

  it('books the first free meeting-room slot and the row lands in the database', async () => {
    page = await browser.newPage({ viewport: { width: 390, height: 844 } })
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()))
    await page.goto(baseUrl)

    const room = page.locator('[data-booking-resource="meeting-room"]')
    const firstSlot = room.locator('button.slot').first()
    await firstSlot.waitFor({ timeout: 15_000 })
    await firstSlot.click()

    await room.locator('input[name="name"]').fill('Grace Hopper')
    await room.locator('input[name="email"]').fill('grace@example.com')
    await room.getByRole('button', { name: 'Book' }).click()

    const ref = room.locator('.ref')
    await ref.waitFor({ timeout: 15_000 })
    const code = (await ref.textContent())?.trim() ?? ''
    expect(code).toMatch(/^[0-9A-Z]{8}$/)
    await room.getByText('Add to calendar (.ics)').waitFor({ timeout: 10_000 })

    const [row] = await database.db.select().from(bookings).where(eq(bookings.ref, code))
    expect(row).toMatchObject({ status: 'confirmed', guestName: 'Grace Hopper', guestEmail: 'grace@example.com' })
    // Served under the demo page's strict CSP: any violation would have been logged here.
    expect(errors).toEqual([])
  }, 60_000)
})
