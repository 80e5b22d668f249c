import { readFile } from 'node:fs/promises'
import ICAL from 'ical.js'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createAdminKey } from '../api/admin/keys'
import { bookings } from '../drizzle/schema'
import {
  browserAvailable,
  launchChromium,
  screenshotOnFailure,
  startDemoServer,
  type DemoServer,
} from '../test/browser'
import { bookingValues, insertResource } from '../test/fixtures'

/*
 * The owner's integrations on a phone, typed at a person's pace: sign in, open a resource,
 * make its calendar feed and copy the address; a calendar app (this test, from outside the
 * browser) subscribes and sees "Booked" with the refs; the owner lets names show, then
 * rotates the address after a warning and the old one stops answering. Then the owner
 * searches the bookings and downloads them as CSV: the file holds exactly the matches,
 * umlauts intact, a planted formula defused. Screenshots: .scratch/integrations-*.png.
 */

const UI_WAIT = 10_000
const PHONE = { width: 390, height: 844 }
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function typeLike(field: Locator, text: string) {
  await field.click()
  await field.pressSequentially(text, { delay: 60 + Math.floor(Math.random() * 30) })
  await pause(700)
}

function feedEvents(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text))
  return calendar.getAllSubcomponents('vevent').map((v) => {
    const event = new ICAL.Event(v)
    return { uid: event.uid, summary: event.summary, start: event.startDate.toJSDate().toISOString() }
  })
}

describe.skipIf(!browserAvailable())('calendar feed and CSV export in the console', () => {
  let server: DemoServer
  let browser: Browser
  let owner: Page | undefined

  beforeAll(async () => {
    server = await startDemoServer()
    browser = await launchChromium()
  }, 60_000)
  afterEach(async (context) => {
    await screenshotOnFailure(owner, context.task.name, context.task.result?.state === 'fail')
    await owner?.context().close()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('subscribes a calendar to a resource, rotates its address, and exports the searched bookings', async () => {
    const db = server.database.db
    const { key } = await createAdminKey(db, 'e2e integrations')
    const resource = await insertResource(db, { name: 'Sauna Süd', slug: `sauna-${Date.now()}` })
    const day = Date.now() + 2 * 24 * 3_600_000
    const at = (hours: number) => new Date(Math.floor(day / 3_600_000) * 3_600_000 + hours * 3_600_000).toISOString()
    const insert = async (hours: number, guestName: string) => {
      const [row] = await db
        .insert(bookings)
        .values({ ...bookingValues({ resourceId: resource.id, start: at(hours), end: at(hours + 1) }), guestName })
        .returning()
      return row!
    }
    const jurgen = await insert(0, 'Jürgen Müller')
    const planted = await insert(2, '=HYPERLINK("http://evil.example","Müller")')
    await insert(4, 'Anna Schmidt')

    const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true, locale: 'en-GB' })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
    owner = await context.newPage()
    const page = owner
    await page.goto(`${server.url}/admin`)
    await typeLike(page.getByLabel('Admin key'), key)
    await page.getByRole('button', { name: 'Sign in' }).tap()

    // 1. The resource's feed: made, copied.
    await page.getByRole('button', { name: 'Edit Sauna Süd' }).tap({ timeout: UI_WAIT })
    const panel = page.locator('section', { has: page.getByRole('heading', { name: 'Calendar feed' }) })
    await panel.getByRole('button', { name: 'Create feed' }).tap({ timeout: UI_WAIT })
    const address = panel.getByLabel('Feed address')
    await address.waitFor({ timeout: UI_WAIT })
    const first = await address.inputValue()
    expect(first).toMatch(new RegExp(`^${server.url}/v1/feeds/[A-Za-z0-9_-]{43}\\.ics$`))
    await pause(800)
    await panel.getByRole('button', { name: 'Copy address' }).tap()
    await panel.getByText(/^Copied\.|^The address is selected/).waitFor({ timeout: UI_WAIT })
    await panel.scrollIntoViewIfNeeded()
    await page.screenshot({ path: '.scratch/integrations-feed.png' })

    // 2. A calendar app subscribes: refs, no names.
    const subscribed = await fetch(first)
    expect(subscribed.status).toBe(200)
    expect(subscribed.headers.get('content-type')).toBe('text/calendar; charset=utf-8')
    const etag = subscribed.headers.get('etag')!
    const events = feedEvents(await subscribed.text())
    expect(events.map((e) => e.summary)).toEqual([
      `Sauna Süd: Booked (${jurgen.ref})`,
      `Sauna Süd: Booked (${planted.ref})`,
      expect.stringMatching(/^Sauna Süd: Booked \(/),
    ])
    expect((await fetch(first, { headers: { 'If-None-Match': etag } })).status).toBe(304)

    // 3. Names shown: the calendar's next poll gets them.
    await pause(600)
    await panel.getByLabel('Show guests’ names in the feed').tap()
    await panel.getByText('Guests’ names now show in the feed.').waitFor({ timeout: UI_WAIT })
    const named = await fetch(first, { headers: { 'If-None-Match': etag } })
    expect(named.status).toBe(200)
    expect(feedEvents(await named.text())[0]!.summary).toBe(`Sauna Süd: Jürgen Müller (${jurgen.ref})`)

    // 4. Rotated after the warning: the old address answers 404 at once.
    let warning = ''
    page.once('dialog', (dialog) => {
      warning = dialog.message()
      void dialog.accept()
    })
    await pause(600)
    await panel.getByRole('button', { name: 'Rotate address' }).tap()
    await panel.getByText('New address made. The old one no longer works.').waitFor({ timeout: UI_WAIT })
    expect(warning).toContain('stops working')
    const second = await address.inputValue()
    expect(second).not.toBe(first)
    expect((await fetch(first)).status).toBe(404)
    expect((await fetch(second)).status).toBe(200)

    // 5. The bookings, searched and downloaded.
    await page.getByRole('button', { name: 'Bookings' }).tap()
    await typeLike(page.getByLabel('Search'), 'Müller')
    await page.getByText('Matches for “Müller” on any date').waitFor({ timeout: UI_WAIT })
    await pause(1000)
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: UI_WAIT }),
      page.getByRole('button', { name: 'Download CSV' }).tap(),
    ])
    expect(download.suggestedFilename()).toMatch(/^bookings-\d{4}-\d{2}-\d{2}\.csv$/)
    await page.screenshot({ path: '.scratch/integrations-bookings.png' })
    const bytes = await readFile((await download.path())!)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = bytes.subarray(3).toString('utf8')
    const lines = text.split('\r\n').filter(Boolean)
    expect(lines[0]).toMatch(/^Ref,Status,Resource slug,Resource name,/)
    expect(lines.slice(1).map((line) => line.slice(0, 10))).toEqual([jurgen.ref, planted.ref])
    expect(text).toContain('Jürgen Müller')
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""Müller"")"`)
    expect(text).not.toContain('Anna Schmidt')
  }, 120_000)
})
