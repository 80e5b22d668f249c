import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { and, eq } from 'drizzle-orm'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { bookings } from '../drizzle/schema'
import {
  browserAvailable,
  focusedElement,
  launchChromium,
  screenshotOnFailure,
  showFreeTimes,
  startDemoServer,
  timeOptions,
  watchProblems,
  type DemoServer,
} from '../test/browser'
import { CATALOGUES } from '../widget/locales'

/** How "Next available: …" starts, in English and German: late on a month's last day with times, the month shown has none left. */
const NEXT = CATALOGUES.en!.nextAvailable('')
const NEXT_DE = CATALOGUES.de!.nextAvailable('')

/*
 * The example pages as guests use them: the built widget.js and manage.js in Debian's
 * Chromium, against the real API and database, under the pages' strict CSP (no inline
 * script or style). A failed test leaves a screenshot in test-results/.
 */
describe.skipIf(!browserAvailable())('the widget in Chromium', () => {
  let server: DemoServer
  let browser: Browser
  const pages: Page[] = []

  beforeAll(async () => {
    server = await startDemoServer()
    browser = await launchChromium()
  }, 60_000)

  afterEach(async (context) => {
    const failed = context.task.result?.state === 'fail'
    for (const [i, page] of pages.entries()) await screenshotOnFailure(page, `${context.task.name}-${i}`, failed)
    for (const page of pages.splice(0)) await page.context().close()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  /** A page in its own browser context (its own session), recording problems. */
  async function openPage(path: string, viewport = { width: 390, height: 844 }) {
    const context = await browser.newContext({ viewport })
    const page = await context.newPage()
    pages.push(page)
    const problems = await watchProblems(page)
    const response = await page.goto(server.url + path)
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'")
    return { page, problems }
  }

  const findBooking = async (ref: string) =>
    (await server.database.db.select().from(bookings).where(eq(bookings.ref, ref)))[0]

  it('books the first free meeting-room time on the demo page under its strict CSP', async () => {
    const { page, problems } = await openPage('/')
    const room = page.locator('[data-booking-resource="meeting-room"]')
    await (await showFreeTimes(room, NEXT)).first().click()
    await room.locator('input[name="name"]').fill('Grace Hopper')
    await room.locator('input[name="email"]').fill('grace@example.com')
    await room.getByRole('button', { name: 'Book' }).click()

    const ref = (await room.locator('.ref').textContent({ timeout: 15_000 }))?.trim() ?? ''
    expect(ref).toMatch(/^[0-9A-Z]{8}$/)
    await room.getByText('Add to calendar (.ics)').waitFor({ timeout: 10_000 })
    expect(await findBooking(ref)).toMatchObject({
      status: 'confirmed',
      guestName: 'Grace Hopper',
      guestEmail: 'grace@example.com',
    })
    expect(problems).toEqual([])
  }, 60_000)

  it('lets two guests race for one time: one confirmation, one “just taken” with fresh times', async () => {
    const [a, b] = await Promise.all([openPage('/'), openPage('/')])
    const hosts = [a!.page, b!.page].map((page) => page.locator('[data-booking-resource="meeting-room"]'))
    await Promise.all(hosts.map((host) => showFreeTimes(host, NEXT)))
    const contested = await timeOptions(hosts[0]!).first().textContent()
    expect(await timeOptions(hosts[1]!).first().textContent()).toBe(contested)

    await Promise.all(hosts.map((host) => timeOptions(host).first().click()))
    // Exactly one guest holds the time and sees the form; the other is told and shown fresh times.
    const outcome = async (host: (typeof hosts)[number]) =>
      Promise.race([
        host
          .locator('[role=timer]')
          .waitFor({ timeout: 15_000 })
          .then(() => 'held' as const),
        host
          .getByText('Sorry, that time was just taken')
          .waitFor({ timeout: 15_000 })
          .then(() => 'taken' as const),
      ])
    const outcomes = await Promise.all(hosts.map(outcome))
    expect([...outcomes].sort()).toEqual(['held', 'taken'])
    const winner = hosts[outcomes.indexOf('held')]!
    const loser = hosts[outcomes.indexOf('taken')]!

    await showFreeTimes(loser, NEXT)
    expect(await timeOptions(loser).allTextContents()).not.toContain(contested)

    await winner.locator('input[name="name"]').fill('Winner')
    await winner.locator('input[name="email"]').fill('winner@example.com')
    await winner.getByRole('button', { name: 'Book' }).click()
    await winner.getByRole('heading', { name: 'Booked!' }).waitFor({ timeout: 15_000 })
    const rows = await server.database.db
      .select()
      .from(bookings)
      .where(and(eq(bookings.guestName, 'Winner')))
    expect(rows).toHaveLength(1)
    expect(a!.problems.filter((p) => !p.includes('409'))).toEqual([])
  }, 60_000)

  it('books with the keyboard alone, focus moving to each step’s heading', async () => {
    const { page, problems } = await openPage('/')
    const room = page.locator('[data-booking-resource="meeting-room"]')
    await showFreeTimes(room, NEXT)

    // Tab from the top of the page into the calendar: the selected day is its one tab stop.
    let focused = await focusedElement(page)
    for (
      let i = 0;
      i < 25 && !(focused.inside === 'meeting-room' && focused.tag === 'BUTTON' && /^\d+$/.test(focused.text));
      i++
    ) {
      await page.keyboard.press('Tab')
      focused = await focusedElement(page)
    }
    expect(focused).toMatchObject({ inside: 'meeting-room', tag: 'BUTTON' })
    // Into the list of times, one along, and take it.
    await page.keyboard.press('Tab')
    expect(await focusedElement(page)).toMatchObject({ role: 'option' })
    await page.keyboard.press('ArrowRight')
    const chosen = (await focusedElement(page)).text
    await page.keyboard.press('Enter')
    await room.locator('[role=timer]').waitFor({ timeout: 15_000 })
    // Focus moves in an effect just after the step renders.
    await expect.poll(() => focusedElement(page)).toMatchObject({ tag: 'H3' })
    expect((await focusedElement(page)).text).toContain(chosen.replace(/\s+/g, ' ').split(' ')[0])

    await page.keyboard.press('Tab')
    await page.keyboard.type('Ada Lovelace')
    await page.keyboard.press('Tab')
    await page.keyboard.type('ada@example.com')
    await page.keyboard.press('Enter') // submits the form
    await room.getByRole('heading', { name: 'Booked!' }).waitFor({ timeout: 15_000 })
    await expect.poll(() => focusedElement(page)).toMatchObject({ tag: 'H3', text: 'Booked!' })
    const ref = (await room.locator('.ref').textContent())?.trim() ?? ''
    expect(await findBooking(ref)).toMatchObject({ guestName: 'Ada Lovelace', status: 'confirmed' })
    expect(problems).toEqual([])
  }, 60_000)

  it('fits a 320 px screen: no horizontal scroll, every target at least 44 px', async () => {
    const { page, problems } = await openPage('/', { width: 320, height: 640 })
    const room = page.locator('[data-booking-resource="meeting-room"]')
    await showFreeTimes(room, NEXT)
    await showFreeTimes(page.locator('[data-booking-resource="yoga-class"]'), NEXT)
    await page.screenshot({ path: 'test-results/widget-320px.png', fullPage: true })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)

    const tooSmall = async () =>
      page.evaluate(() => {
        const small: string[] = []
        for (const host of document.querySelectorAll('[data-booking-resource]')) {
          for (const el of host.shadowRoot?.querySelectorAll('button, input, select, textarea, .choice') ?? []) {
            const box = el.getBoundingClientRect()
            if (box.width === 0 || (el as HTMLInputElement).type === 'radio') continue // hidden, or inside its 44 px label
            if (box.height < 44 || box.width < 44)
              small.push(`${el.tagName} "${el.textContent?.trim()}" ${box.width.toFixed(1)}×${box.height.toFixed(1)}`)
          }
        }
        return small
      })
    expect(await tooSmall()).toEqual([])
    await timeOptions(room).first().click()
    await room.locator('[role=timer]').waitFor({ timeout: 15_000 })
    await page.screenshot({ path: 'test-results/widget-320px-form.png', fullPage: true })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    expect(await tooSmall()).toEqual([])
    expect(problems).toEqual([])
  }, 60_000)

  it('opens the popup from the floating button: focus trapped, Esc closes, focus returns', async () => {
    const { page, problems } = await openPage('/examples/popup')
    const launcher = page.locator('[data-booking-launcher] button')
    await launcher.click({ timeout: 15_000 })
    const dialog = page.locator('[data-booking-popup="meeting-room"] dialog[open]')
    await dialog.waitFor()
    await showFreeTimes(dialog, NEXT)
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab')
      const focused = await focusedElement(page)
      // The page behind the modal dialog is inert; focus may only visit the browser's own UI (body).
      expect(focused.inside === 'popup' || focused.tag === 'BODY').toBe(true)
    }
    await page.keyboard.press('Escape')
    await page.locator('[data-booking-popup]').waitFor({ state: 'detached' })
    await expect.poll(() => focusedElement(page)).toMatchObject({ inside: 'launcher', tag: 'BUTTON' })

    // The page's own button opens another resource through window.Booking.open.
    await page.locator('#open-booking').click()
    const other = page.locator('[data-booking-popup="dr-rivera"] dialog[open]')
    await other.getByRole('heading', { name: /Rivera/ }).waitFor({ timeout: 15_000 })
    await other.getByRole('button', { name: 'Close' }).click()
    await page.locator('[data-booking-popup]').waitFor({ state: 'detached' })
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('open-booking')
    expect(problems).toEqual([])
  }, 60_000)

  it('asks before the popup drops a held time (Esc, ×, backdrop); leaving gives the time back to others', async () => {
    const { page, problems } = await openPage('/examples/popup')
    await page.locator('[data-booking-launcher] button').click({ timeout: 15_000 })
    const dialog = page.locator('[data-booking-popup="meeting-room"] dialog[open]')
    const first = (await showFreeTimes(dialog, NEXT)).first()
    const held = (await first.textContent())?.trim()
    await first.click()
    await dialog.getByRole('timer').waitFor()
    await dialog.getByLabel('Name').pressSequentially('Ada', { delay: 100 })

    const question = dialog.getByRole('alertdialog', { name: 'Leave without booking?' })
    await page.keyboard.press('Escape')
    await question.waitFor()
    await question.getByRole('button', { name: 'Keep my time' }).click()
    await expect.poll(() => dialog.getByLabel('Name').inputValue()).toBe('Ada')
    // A click on the backdrop, above the centred dialog, asks too.
    await page.mouse.click(195, 10)
    await question.waitFor()
    await question.getByRole('button', { name: 'Keep my time' }).click()
    await dialog.getByRole('button', { name: 'Close' }).click()
    await question.getByRole('button', { name: 'Leave' }).click()
    await page.locator('[data-booking-popup]').waitFor({ state: 'detached' })

    // Another guest sees the time free again at once, not after the hold's ten minutes.
    const other = await openPage('/examples/popup')
    await other.page.locator('[data-booking-launcher] button').click({ timeout: 15_000 })
    const otherDialog = other.page.locator('[data-booking-popup="meeting-room"] dialog[open]')
    await expect
      .poll(async () =>
        (await showFreeTimes(otherDialog, NEXT))
          .first()
          .textContent()
          .then((t) => t?.trim()),
      )
      .toBe(held)
    expect(problems).toEqual([])
  }, 60_000)

  it('finds elements added later, and a second copy of the script changes nothing', async () => {
    const { page, problems } = await openPage('/examples/popup')
    await page.waitForFunction(() => Boolean(window.Booking?.version))
    await page.evaluate(() => {
      const late = document.createElement('div')
      late.id = 'late'
      late.setAttribute('data-booking-resource', 'yoga-class')
      late.setAttribute('data-locale', 'de')
      document.querySelector('main')!.append(late)
      const again = document.createElement('script')
      again.src = '/widget.js'
      document.body.append(again)
    })
    const late = page.locator('#late')
    await showFreeTimes(late, NEXT_DE)
    await late.getByText('Dauer').waitFor()
    expect(
      await page.evaluate(() => document.querySelector('#late')!.shadowRoot!.querySelectorAll('.root').length),
    ).toBe(1)
    expect(await page.locator('[data-booking-launcher]').count()).toBe(1)
    expect(problems).toEqual([])
  }, 60_000)

  it('still starts from a loader cached before a deploy, whose hashed entry is gone', async () => {
    const loader = await (await fetch(`${server.url}/widget.js`)).text()
    const entry = /assets\/widget-[\w-]{8}\.js/.exec(loader)?.[0]
    expect(entry, 'the loader names its hashed entry').toBeTruthy()
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
    const page = await context.newPage()
    pages.push(page)
    // The browser's copy of widget.js from the previous build: same code, the old entry's name.
    await page.route(`${server.url}/widget.js`, (route) =>
      route.fulfill({ contentType: 'text/javascript', body: loader.replace(entry!, 'assets/widget-Pr3vious.js') }),
    )
    await page.goto(`${server.url}/`)
    await showFreeTimes(page.locator('[data-booking-resource="meeting-room"]'), NEXT)
  }, 60_000)

  it('manages a booking from its link: moves it, then cancels it', async () => {
    const { ref, manageToken } = await bookThroughApi(server.url)
    const { page, problems } = await openPage(`/manage#${new URLSearchParams({ ref, token: manageToken })}`)
    const manage = page.locator('[data-booking-manage]')
    await manage.getByText(ref).waitFor({ timeout: 15_000 })
    await manage.getByText('Confirmed').waitFor()

    await manage.getByRole('button', { name: 'Change time' }).click()
    await (await showFreeTimes(manage, NEXT)).last().click()
    await manage.getByRole('button', { name: 'Move to this time' }).click()
    await manage.getByText('Your booking has moved to the new time.').waitFor({ timeout: 15_000 })
    const moved = await findBooking(ref)
    expect(moved?.version).toBe(2)

    await manage.getByRole('button', { name: 'Cancel booking' }).click()
    await manage.getByRole('button', { name: 'Yes, cancel' }).click()
    await manage.getByText('Your booking is cancelled.').waitFor({ timeout: 15_000 })
    expect((await findBooking(ref))?.status).toBe('cancelled')
    expect(problems).toEqual([])
  }, 60_000)

  it('passes axe’s WCAG 2.1 AA checks (contrast included) in every step, light and dark', async () => {
    const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
    // axe is injected as an inline script, which the page's own CSP rightly forbids.
    // Reduced motion turns the widget's colour transitions off, so axe measures settled
    // colours, not a frame halfway between a day's normal and selected look.
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      bypassCSP: true,
      reducedMotion: 'reduce',
    })
    const page = await context.newPage()
    pages.push(page)
    await page.goto(server.url + '/')
    await page.addScriptTag({ content: axeSource })
    const audit = async (step: string) => {
      const violations = await page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: {
              run: (
                ctx: unknown,
                opts: unknown,
              ) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }>
            }
          }
        ).axe
        const result = await axe.run(
          { include: [['[data-booking-resource]']] },
          { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } },
        )
        return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target).slice(0, 3))}`)
      })
      expect(violations, step).toEqual([])
    }
    // Each in its own language: Dr. Rivera's widget speaks German.
    for (const [slug, next] of [
      ['meeting-room', NEXT],
      ['dr-rivera', NEXT_DE],
      ['yoga-class', NEXT],
    ] as const)
      await showFreeTimes(page.locator(`[data-booking-resource="${slug}"]`), next)
    await audit('picking a time')
    const room = page.locator('[data-booking-resource="meeting-room"]')
    await timeOptions(room).first().click()
    await room.locator('[role=timer]').waitFor({ timeout: 15_000 })
    await audit('details form')
    await room.locator('input[name="name"]').fill('Axe')
    await room.locator('input[name="email"]').fill('axe@example.com')
    await room.getByRole('button', { name: 'Book' }).click()
    await room.getByRole('heading', { name: 'Booked!' }).waitFor({ timeout: 15_000 })
    await audit('confirmation')
  }, 60_000)

  it('says a manage link is not valid, without a hint of whether the booking exists', async () => {
    const { page } = await openPage('/manage#ref=ZZZZZZZZ&token=wrong')
    await page.locator('[data-booking-manage]').getByText('This booking link is not valid').waitFor({ timeout: 15_000 })
  }, 60_000)
})

/** Books the first free meeting-room time the way the SDK would, returning the ref and token. */
async function bookThroughApi(baseUrl: string): Promise<{ ref: string; manageToken: string }> {
  const session = { 'X-Booking-Session': `s_e2e_${Date.now()}`, 'Content-Type': 'application/json' }
  const today = new Date().toISOString().slice(0, 10)
  const inTwoWeeks = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10)
  const availability = (await (
    await fetch(`${baseUrl}/v1/resources/meeting-room/availability?from=${today}&to=${inTwoWeeks}`)
  ).json()) as {
    resource: { id: string }
    days: { slots: { start: string }[] }[]
  }
  const slot = availability.days.flatMap((day) => day.slots)[4]!
  const hold = (await (
    await fetch(`${baseUrl}/v1/holds`, {
      method: 'POST',
      headers: session,
      body: JSON.stringify({ resourceId: availability.resource.id, start: slot.start }),
    })
  ).json()) as { hold: { id: string } }
  const created = (await (
    await fetch(`${baseUrl}/v1/bookings`, {
      method: 'POST',
      headers: session,
      body: JSON.stringify({ holdId: hold.hold.id, guest: { name: 'Manage Me', email: 'manage@example.com' } }),
    })
  ).json()) as { booking: { ref: string }; manageToken: string }
  return { ref: created.booking.ref, manageToken: created.manageToken }
}
