import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createAdminKey } from '../api/admin/keys'
import { createApp } from '../api/app'
import { systemClock } from '../api/clock'
import { silentLogger } from '../api/logger'
import { seedDemo } from '../api/seed-demo'
import { loadStaticAssets } from '../api/static-assets'
import { deliverWebhooks } from '../api/webhooks/deliver-webhooks'
import { startLocalReceiver, type LocalReceiver } from '../api/webhooks/local-receiver'
import type { WebhookEventBody } from '../shared/api-contract'
import { browserAvailable, launchChromium, screenshotOnFailure } from '../test/browser'
import { createTestDatabase, type TestDatabase } from '../test/database'
import { everyDay, insertResource } from '../test/fixtures'
import { createTestHoldBackend, newSession } from '../test/holds'
import { verifyWebhook } from '../widget/verify-webhook'

/*
 * An owner connects their own server on a phone, typed at a person's pace: signs in, opens
 * Webhooks, adds the receiver's address with two events, copies the secret shown once, sends
 * a test; the receiver (outside the browser) checks the ping's signature with that secret.
 * A guest then books: the receiver gets booking.created, and the console's delivery list
 * says delivered. Screenshots: .scratch/webhooks-*.png.
 */

const UI_WAIT = 10_000
const PHONE = { width: 390, height: 844 }
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function typeLike(field: Locator, text: string) {
  await field.click()
  await field.pressSequentially(text, { delay: 60 + Math.floor(Math.random() * 30) })
  await pause(700)
}

describe.skipIf(!browserAvailable())('webhooks in the console', () => {
  let database: TestDatabase
  let server: ServerType
  let apiUrl: string
  let receiver: LocalReceiver
  let browser: Browser
  let owner: Page | undefined
  const webhooks = { allowPrivate: true }

  beforeAll(async () => {
    ;[database, receiver] = await Promise.all([createTestDatabase(), startLocalReceiver()])
    await seedDemo(database.db)
    // As npm start builds it, with private addresses allowed (WEBHOOK_ALLOW_PRIVATE) for the local receiver.
    const app = createApp({
      db: database.db,
      holds: createTestHoldBackend(systemClock).holds,
      assets: await loadStaticAssets(),
      webhooks,
    })
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
    await new Promise((resolve) => server.once('listening', resolve))
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    browser = await launchChromium()
  }, 60_000)
  afterEach(async (context) => {
    await screenshotOnFailure(owner, context.task.name, context.task.result?.state === 'fail')
    await owner?.context().close()
  })
  afterAll(async () => {
    await browser?.close()
    await new Promise((resolve) => server?.close(resolve))
    await receiver?.close()
    await database?.close()
  })

  it('adds an endpoint, copies its secret, sends a test the receiver verifies, and sees a booking delivered', async () => {
    const db = database.db
    const { key } = await createAdminKey(db, 'e2e webhooks')
    const sendDue = () => deliverWebhooks({ db, clock: systemClock, logger: silentLogger, webhooks })

    const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true, locale: 'en-GB' })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: apiUrl })
    owner = await context.newPage()
    const page = owner
    await page.goto(`${apiUrl}/admin`)
    await typeLike(page.getByLabel('Admin key'), key)
    await page.getByRole('button', { name: 'Sign in' }).tap()
    await page.getByRole('button', { name: 'Webhooks' }).tap({ timeout: UI_WAIT })
    await page.getByText('No endpoints yet.').waitFor({ timeout: UI_WAIT })

    // 1. The endpoint: address typed, only the events the owner wants.
    await typeLike(page.getByLabel('URL'), receiver.url)
    await page.getByRole('checkbox', { name: /Booking moved/ }).tap()
    await pause(600)
    await page.getByRole('button', { name: 'Add endpoint' }).tap()
    const secretField = page.getByLabel('Signing secret')
    await secretField.waitFor({ timeout: UI_WAIT })
    const secret = await secretField.inputValue()
    expect(secret).toMatch(/^whsec_[\w-]{43}$/)
    await pause(800)
    await page.getByRole('button', { name: 'Copy secret' }).tap()
    await page.getByText(/^Copied to the clipboard\.|^The secret is selected/).waitFor({ timeout: UI_WAIT })
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret)
    const item = page.getByRole('listitem').filter({ hasText: receiver.url })
    expect(await item.textContent()).toContain('booking.created, booking.cancelled · active')
    await page.screenshot({ path: '.scratch/webhooks-added.png', fullPage: true })

    // 2. A test: the receiver checks it with the secret the owner copied.
    await page.getByRole('button', { name: 'Hide' }).tap()
    await pause(500)
    await page.getByRole('button', { name: 'Send test' }).tap()
    await page.getByText(/Test event \(ping\) queued/).waitFor({ timeout: UI_WAIT })
    expect(await sendDue()).toEqual({ delivered: 1, retrying: 0, failed: 0 })
    const ping = receiver.received[0]!
    const event = await verifyWebhook(ping.body, String(ping.headers['booking-signature']), secret)
    expect(event.type).toBe('ping')

    // 3. A guest books: the receiver gets it, and the console says so.
    const room = await insertResource(db, {
      name: 'Hook room',
      schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 60 }),
    })
    const start = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 30 * 3_600_000).toISOString()
    const session = newSession()
    const json = { 'Content-Type': 'application/json', 'X-Booking-Session': session }
    const hold = (await (
      await fetch(`${apiUrl}/v1/holds`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ resourceId: room.id, start }),
      })
    ).json()) as { hold: { id: string } }
    const booked = await fetch(`${apiUrl}/v1/bookings`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ holdId: hold.hold.id, guest: { name: 'Grace Hopper', email: 'grace@example.com' } }),
    })
    expect(booked.status).toBe(201)
    const { booking } = (await booked.json()) as { booking: { ref: string } }
    expect((await sendDue()).delivered).toBe(1)
    const created = (await verifyWebhook(
      receiver.received[1]!.body,
      String(receiver.received[1]!.headers['booking-signature']),
      secret,
    )) as Exclude<WebhookEventBody, { type: 'ping' }>
    expect(created).toMatchObject({
      type: 'booking.created',
      data: { booking: { ref: booking.ref, start, guest: { name: 'Grace Hopper' } } },
    })

    // Sending the test opened the endpoint's deliveries; Refresh shows what went out since.
    await pause(600)
    expect(await item.getByRole('button', { name: 'Deliveries' }).getAttribute('aria-expanded')).toBe('true')
    await item.getByRole('button', { name: 'Refresh' }).tap()
    const log = item.getByRole('list', { name: `Deliveries to ${receiver.url}` })
    await log.getByText('booking.created').waitFor({ timeout: UI_WAIT })
    const rows = await log.getByRole('listitem').allTextContents()
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatch(/^booking\.created delivered · HTTP 200 · \d+ ms · 1 attempt · /)
    expect(rows[1]).toMatch(/^ping delivered · HTTP 200 · /)
    await log.scrollIntoViewIfNeeded()
    await page.screenshot({ path: '.scratch/webhooks-deliveries.png', fullPage: true })
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect.soft(sideways, 'nothing scrolls sideways at 390 px').toBeLessThanOrEqual(0)
  }, 120_000)
})
