import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createAdminKey } from '../api/admin/keys'
import { createApp } from '../api/app'
import { systemClock } from '../api/clock'
import { silentLogger } from '../api/logger'
import { createSmtpSender } from '../api/notify/email'
import { loadStaticAssets } from '../api/static-assets'
import { runWaitlistOffers } from '../api/waitlist/offer-times'
import { processWaitlistMessages } from '../api/waitlist/send-waitlist-messages'
import type { AdminWaitlistResponse, JoinedWaitlist } from '../shared/api-contract'
import { addDays, todayIn } from '../shared/calendar-labels'
import { browserAvailable, launchChromium, screenshotOnFailure } from '../test/browser'
import { startOfDayIn } from '../console/bookings-model'
import { createTestDatabase, type TestDatabase } from '../test/database'
import { createTestHoldBackend, newSession } from '../test/holds'
import { bodyOf, startMailbox, type Mailbox } from '../test/mailbox'

/*
 * An owner on a phone, typed at a person's pace, looks after tomorrow's waitlist: signs in,
 * creates a pottery wheel open 17:00–20:00 in Berlin, whose three hours guests book out. Three
 * more guests join the waitlist through the API (one slot, a stretch of the evening, the whole
 * day); one booking is cancelled and the first waiter is offered its time by email. The owner
 * sees them in order in the Waitlist tab, with the offer and until when, and removes the
 * second after saying yes. Screenshots: .scratch/waitlist-*.png.
 */

const UI_WAIT = 10_000
const PHONE = { width: 390, height: 844 }
const ZONE = 'Europe/Berlin'
const APP_SECRET = 'waitlist-console-app-secret-0123456789ab'
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function typeLike(field: Locator, text: string) {
  await field.click()
  await field.pressSequentially(text, { delay: 60 + Math.floor(Math.random() * 30) })
  await pause(700)
}

/** The instant of a Berlin wall time on `date`. */
const berlin = (date: string, hour: number) => new Date(startOfDayIn(date, ZONE) + hour * 3_600_000).toISOString()

describe.skipIf(!browserAvailable())('the waitlist in the console', () => {
  let database: TestDatabase
  let mailbox: Mailbox
  let server: ServerType
  let apiUrl: string
  let browser: Browser
  let owner: Page | undefined
  const holdBackend = createTestHoldBackend(systemClock)

  beforeAll(async () => {
    ;[database, mailbox] = await Promise.all([createTestDatabase(), startMailbox()])
    const app = createApp({
      db: database.db,
      holds: holdBackend.holds,
      assets: await loadStaticAssets(),
      appSecret: APP_SECRET,
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
    await mailbox?.close()
    await database?.close()
  })

  it('shows tomorrow’s waiters in order with the offer one holds, and removes one after a yes', async () => {
    const db = database.db
    const { key } = await createAdminKey(db, 'e2e waitlist')
    const asOwner = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }
    const email = createSmtpSender({ url: mailbox.url, from: 'Pottery <bookings@pottery.test>' })
    // What the server's minute run does: offer freed times, then send the waitlist's messages.
    const offerAndSend = async () => {
      await runWaitlistOffers({ db, clock: systemClock, holds: holdBackend.holds, logger: silentLogger })
      await processWaitlistMessages({
        db,
        clock: systemClock,
        logger: silentLogger,
        email,
        sms: undefined,
        links: { publicUrl: apiUrl, appSecret: APP_SECRET },
      })
    }

    const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true, locale: 'en-GB' })
    owner = await context.newPage()
    const page = owner
    await page.goto(`${apiUrl}/admin`)
    await typeLike(page.getByLabel('Admin key'), key)
    await page.getByRole('button', { name: 'Sign in' }).tap()

    // 1. The resource, made in the console; its evening hours set through the API.
    await page.getByRole('button', { name: 'New resource' }).tap({ timeout: UI_WAIT })
    await typeLike(page.getByLabel('Name', { exact: true }), 'Pottery wheel')
    await page.getByLabel('Slug', { exact: true }).fill('')
    await typeLike(page.getByLabel('Slug', { exact: true }), 'pottery-wheel')
    await page.getByLabel('Time zone').selectOption(ZONE)
    await pause(500)
    await page.getByRole('button', { name: 'Create', exact: true }).tap()
    await page.getByRole('heading', { name: 'Opening hours of Pottery wheel' }).waitFor({ timeout: UI_WAIT })
    const { resources } = (await (await fetch(`${apiUrl}/v1/admin/resources`, { headers: asOwner })).json()) as {
      resources: { id: string; slug: string }[]
    }
    const wheel = resources.find((r) => r.slug === 'pottery-wheel')!
    const hours = await fetch(`${apiUrl}/v1/admin/resources/${wheel.id}/schedules`, {
      method: 'PUT',
      headers: asOwner,
      body: JSON.stringify({
        schedules: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
          weekday,
          startTime: '17:00',
          endTime: '20:00',
          slotDuration: 60,
        })),
      }),
    })
    expect(hours.status).toBe(200)

    // 2. Tomorrow evening is booked out.
    const tomorrow = addDays(todayIn(ZONE, new Date()), 1)
    const manage: Record<number, { ref: string; token: string }> = {}
    for (const hour of [17, 18, 19]) {
      const session = newSession()
      const json = { 'Content-Type': 'application/json', 'X-Booking-Session': session }
      const held = await fetch(`${apiUrl}/v1/holds`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ resourceId: wheel.id, start: berlin(tomorrow, hour) }),
      })
      expect(held.status).toBe(201)
      const { hold } = (await held.json()) as { hold: { id: string } }
      const booked = await fetch(`${apiUrl}/v1/bookings`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          holdId: hold.id,
          guest: { name: `Potter ${hour}`, email: `potter${hour}@example.com` },
        }),
      })
      expect(booked.status).toBe(201)
      const made = (await booked.json()) as { booking: { ref: string }; manageToken: string }
      manage[hour] = { ref: made.booking.ref, token: made.manageToken }
    }

    // 3. Three guests join the waitlist, in this order.
    const join = async (body: Record<string, unknown>) => {
      const joined = await fetch(`${apiUrl}/v1/waitlist`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ resourceId: wheel.id, locale: 'en', ...body }),
      })
      expect(joined.status, JSON.stringify(body)).toBe(201)
      return (await joined.json()) as JoinedWaitlist
    }
    await join({
      kind: 'slot',
      start: berlin(tomorrow, 18),
      end: berlin(tomorrow, 19),
      guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
    })
    await join({
      kind: 'range',
      start: berlin(tomorrow, 17),
      end: berlin(tomorrow, 20),
      guest: { name: 'Grace Hopper', email: 'grace@example.com', phone: '+49 151 12345678' },
    })
    await join({ date: tomorrow, guest: { name: 'Lin Wu', email: 'lin@example.org' } })

    // 4. The 18:00 guest cancels: Ada, first in line for it, is offered it by email.
    const cancelled = await fetch(`${apiUrl}/v1/bookings/${manage[18]!.ref}/cancel`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${manage[18]!.token}` },
    })
    expect(cancelled.status).toBe(200)
    await offerAndSend()
    await mailbox.waitFor('ada@example.com', (m) => /waitlist/i.test(m.subject ?? ''), 'the joined email')
    const offerMail = await mailbox.waitFor(
      'ada@example.com',
      (m) => /18:00/.test(bodyOf(m)) && /claim/i.test(bodyOf(m)),
      'the offer of 18:00',
    )
    expect(bodyOf(offerMail)).toMatch(/Pottery wheel/)

    // 5. The owner opens the waitlist for tomorrow.
    await page.getByRole('button', { name: 'Waitlist', exact: true }).tap()
    await page.getByLabel('Resource').selectOption({ label: 'Pottery wheel' })
    await pause(500)
    await page.getByRole('button', { name: 'Next day' }).tap()
    const list = page.getByRole('list', { name: /^Waitlist for Pottery wheel, / })
    await list.waitFor({ timeout: UI_WAIT })
    const rows = list.locator(':scope > li')
    await expect.poll(() => rows.count(), { timeout: UI_WAIT }).toBe(3)
    expect(await rows.evaluateAll((lis) => lis.map((li) => li.getAttribute('aria-label')))).toEqual([
      'Ada Lovelace',
      'Grace Hopper',
      'Lin Wu',
    ])
    const row = (name: string) => page.getByRole('listitem', { name, exact: true })
    expect(await row('Ada Lovelace').textContent()).toContain('18:00–19:00')
    expect(await row('Grace Hopper').textContent()).toContain('any time 17:00–20:00')
    expect(await row('Grace Hopper').textContent()).toContain('+4915112345678')
    expect(await row('Lin Wu').textContent()).toContain('all day')
    const offer = page.getByRole('list', { name: 'Offers to Ada Lovelace' })
    expect(await offer.textContent()).toMatch(/^Offered 18:00–19:00 at \d\d:\d\d, until \d\d:\d\d$/)
    await page.screenshot({ path: '.scratch/waitlist-list.png', fullPage: true })

    // 6. Grace is removed, at a person's pace and after a yes.
    await row('Grace Hopper').getByRole('button', { name: 'Remove Grace Hopper from the waitlist' }).tap()
    const question = page.getByRole('group', { name: /Remove Grace Hopper .* from the waitlist\?/ })
    await question.waitFor({ timeout: UI_WAIT })
    await page.screenshot({ path: '.scratch/waitlist-confirm.png', fullPage: true })
    await pause(1_200)
    await question.getByRole('button', { name: 'Yes, remove' }).tap()
    await page.getByText('Grace Hopper removed from the waitlist.').waitFor({ timeout: UI_WAIT })
    await expect.poll(() => rows.count(), { timeout: UI_WAIT }).toBe(2)
    expect(await rows.evaluateAll((lis) => lis.map((li) => li.getAttribute('aria-label')))).toEqual([
      'Ada Lovelace',
      'Lin Wu',
    ])
    const owners = (await (
      await fetch(`${apiUrl}/v1/admin/waitlist?resourceId=${wheel.id}&from=${tomorrow}&status=all`, {
        headers: asOwner,
      })
    ).json()) as AdminWaitlistResponse
    expect(owners.entries.map((e) => `${e.guest.name} ${e.status}`)).toEqual([
      'Ada Lovelace waiting',
      'Grace Hopper removed',
      'Lin Wu waiting',
    ])

    // The ended entry still shows when asked for.
    await page.getByRole('checkbox', { name: 'Show ended entries too' }).tap()
    await row('Grace Hopper').waitFor({ timeout: UI_WAIT })
    expect(await row('Grace Hopper').locator('.status').textContent()).toBe('removed')
    await page.screenshot({ path: '.scratch/waitlist-removed.png', fullPage: true })
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect.soft(sideways, 'nothing scrolls sideways at 390 px').toBeLessThanOrEqual(0)
    email.close()
  }, 120_000)
})
