import { mkdir } from 'node:fs/promises'
import type { ParsedMail } from 'mailparser'
import { eq } from 'drizzle-orm'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookableResources, bookings, services } from '../drizzle/schema'
import type { PublicHold, ServiceAvailabilityResponse } from '../shared/types'
import { addDays, todayIn } from '../shared/calendar-labels'
import { en, type Messages } from '../widget/i18n'
import de from '../widget/locales/de'
import { browserAvailable, launchChromium, showFreeTimes, timeOptions } from '../test/browser'
import { ownerPage } from '../test/host-page'
import { pageProblems, saveMessages, startHumanHarness, type HumanHarness } from '../test/human'
import { bodyOf, invitesOf, manageLinkOf } from '../test/mailbox'

/*
 * A massage that needs the therapist and a free treatment room at once (the demo service
 * massage-with-room), booked on a spa's own website (another origin than the booking API)
 * with the snippet pointing at the service by data-booking-service, by a guest on a 390 px
 * touch phone who taps, types a key every ~70 ms and stops between fields:
 * - in English: the details step and the confirmation name the therapist and the room; the
 *   database holds the lead booking and its part row on the room; the confirmation email
 *   names the booking; a second guest on another phone no longer finds that time; the manage
 *   link shows both resources, and moving keeps the room;
 * - in German (lang=de): the same words in German, and the email in German.
 * Screenshots land in .scratch/services-*.png.
 */

const UI_WAIT = 15_000
const ZONE = 'Europe/Berlin'
const SERVICE = 'massage-with-room'
const KEY_DELAY_MS = 70

describe.skipIf(!browserAvailable())('a guest books a massage with a room at human speed', () => {
  let browser: Browser
  let harness: HumanHarness
  let therapist: { id: string; name: string }
  let serviceId: string

  beforeAll(async () => {
    ;[browser, harness] = await Promise.all([launchChromium(), startHumanHarness()])
    const db = harness.database.db
    const [lead] = await db
      .select({ id: bookableResources.id, name: bookableResources.name })
      .from(bookableResources)
      .where(eq(bookableResources.slug, 'massage-therapist'))
    const [service] = await db.select({ id: services.id }).from(services).where(eq(services.slug, SERVICE))
    expect(lead, 'the demo seeds the therapist').toBeDefined()
    expect(service, 'the demo seeds the massage service').toBeDefined()
    therapist = lead!
    serviceId = service!.id
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await harness?.close()
  })

  /** The spa's page with the snippet pointed at the service (the element carries data-booking-service). */
  function publishServicePage(path: string, lang: string, words: { heading: string; intro: string; footer: string }) {
    const html = ownerPage({
      apiUrl: harness.apiUrl,
      resource: SERVICE,
      pageLang: lang,
      title: 'Spa am Spreeufer',
      words,
    })
    const snippet = `data-booking-resource="${SERVICE}"`
    expect(html).toContain(snippet)
    harness.site.publish(path, html.replace(snippet, `data-booking-service="${SERVICE}"`))
    return harness.site.origin + path
  }

  /** A phone 390 CSS pixels wide, touch, in the guest's language and zone. */
  async function openPhone(locale: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale,
      timezoneId: ZONE,
    })
    return { context, page: await context.newPage() }
  }

  /** A person: reads for a moment between steps, taps a field and types it key by key. */
  function person(page: Page) {
    return {
      pause: (ms = 1_500) => page.waitForTimeout(ms),
      async type(field: Locator, text: string) {
        await field.tap()
        await field.pressSequentially(text, { delay: KEY_DELAY_MS })
      },
    }
  }

  function shooter(page: Page, journey: string) {
    let shots = 0
    return async (step: string, target: Page = page) => {
      await mkdir('.scratch', { recursive: true })
      const name = `.scratch/services-${journey}-${String(++shots).padStart(2, '0')}-${step}.png`
      await target.screenshot({ path: name, fullPage: true })
      expect
        .soft(await target.evaluate(() => document.documentElement.scrollWidth), `${step}: fits the phone`)
        .toBeLessThanOrEqual(390)
    }
  }

  /** The service's free times this week, as the API offers them. */
  async function serviceTimes() {
    const from = todayIn(ZONE, new Date())
    const answer = await fetch(
      `${harness.apiUrl}/v1/services/${SERVICE}/availability?from=${from}&to=${addDays(from, 13)}&tz=${ZONE}`,
    )
    expect(answer.status, `GET /v1/services/${SERVICE}/availability`).toBe(200)
    return ((await answer.json()) as ServiceAvailabilityResponse).days.flatMap((day) => day.slots)
  }

  /** Waits for the first time on show; late on a month's last day it is next month's, one tap away. */
  async function firstTimeOnShow(widget: Locator, t: Messages, page: Page) {
    return (await showFreeTimes(widget, t.nextAvailable(''), person(page), UI_WAIT)).first()
  }

  /** The day the calendar has selected, as its button names it. */
  const selectedDay = (widget: Locator) =>
    widget.locator('[role=grid] [aria-selected=true] button').first().getAttribute('aria-label')

  /** The lead booking behind `ref` and its part rows. */
  async function bookedRows(ref: string) {
    const lead = await harness.findBooking(ref)
    expect(lead, `booking ${ref} is in the database`).toBeDefined()
    const parts = await harness.database.db.select().from(bookings).where(eq(bookings.partOf, lead!.id))
    return { lead: lead!, parts }
  }

  /** Taps the first time on show and returns the hold the service answered with. */
  async function holdFirstTime(page: Page, widget: Locator, t: Messages) {
    const time = await firstTimeOnShow(widget, t, page)
    const label = (await time.textContent())?.trim() ?? ''
    const day = await selectedDay(widget)
    const held = page.waitForResponse((r) => r.url().includes(`/v1/services/${SERVICE}/holds`))
    await time.tap()
    const answer = await held
    expect(answer.status(), 'the service hold is placed').toBe(201)
    const { hold } = (await answer.json()) as { hold: PublicHold }
    return { hold, label, day }
  }

  /** What the guest types: name, a pause, email, a pause, then Book. */
  async function fillDetails(page: Page, widget: Locator, t: Messages, name: string, email: string) {
    const human = person(page)
    const nameField = widget.getByRole('textbox', { name: new RegExp(`^${t.name}`) })
    await nameField.waitFor({ timeout: UI_WAIT })
    await human.pause()
    await human.type(nameField, name)
    await human.pause(900)
    await human.type(widget.getByRole('textbox', { name: new RegExp(`^${t.email}`) }), email)
    await human.pause(1_200)
  }

  /** The confirmation email to `address` that names `ref`. */
  const confirmationMail = (address: string, ref: string): Promise<ParsedMail> =>
    harness.mailbox.waitFor(
      address,
      (m) => (m.subject ?? '').includes(ref) || bodyOf(m).includes(ref),
      `the confirmation of ${ref}`,
    )

  it('books the therapist and a room at once, both named; the time is gone for the next guest; a move keeps the room', async () => {
    const journey = 'en'
    const { context, page } = await openPhone('en-GB')
    const problems = await pageProblems(page)
    const shot = shooter(page, journey)
    try {
      const url = publishServicePage('/massage/', 'en', {
        heading: 'Book a massage',
        intro: 'Sixty minutes with our therapist, in one of our quiet rooms.',
        footer: 'Spreeufer 12, Berlin',
      })
      expect(new URL(url).origin).not.toBe(new URL(harness.apiUrl).origin)
      await page.goto(url)
      const widget = page.locator(`[data-booking-service="${SERVICE}"]`)
      await firstTimeOnShow(widget, en, page)
      await expect.poll(() => widget.getByRole('heading', { level: 2 }).textContent()).toBe('Massage with room')
      expect(await widget.getByText(en.serviceIncludes(['Therapist', 'Room'])).count()).toBe(1)
      await shot('times')
      await person(page).pause()

      const { hold, label, day } = await holdFirstTime(page, widget, en)
      expect(hold).toMatchObject({ resourceId: therapist.id, serviceId })
      expect(hold.parts).toHaveLength(1)
      const room = hold.parts![0]!
      expect(room).toMatchObject({ position: 1, name: expect.stringMatching(/^Treatment room [12]$/) })
      const both = en.withParts([therapist.name, room.name])
      await widget.getByText(both).waitFor({ timeout: UI_WAIT })
      await shot('form')

      await fillDetails(page, widget, en, 'Ada Lovelace', 'ada@example.com')
      await shot('typed')
      await widget.getByRole('button', { name: en.book, exact: true }).tap()
      await widget.getByRole('heading', { name: en.booked }).waitFor({ timeout: UI_WAIT })
      const confirmation = widget.getByRole('status').filter({ hasText: en.reference })
      expect(await confirmation.textContent()).toContain(both)
      await shot('booked')
      const ref = ((await widget.locator('.ref').first().textContent()) ?? '').trim()
      expect(ref).toMatch(/^[0-9A-Z]{8}$/)

      // One guest-facing booking on the therapist, and a part row on the room with the same interval.
      const { lead, parts } = await bookedRows(ref)
      expect(lead).toMatchObject({ status: 'confirmed', resourceId: therapist.id, serviceId, partOf: null })
      expect(lead.startsAt.toISOString()).toBe(new Date(hold.start).toISOString())
      expect(parts).toHaveLength(1)
      expect(parts[0]).toMatchObject({ status: 'confirmed', resourceId: room.resourceId, partOf: lead.id })
      expect([parts[0]!.startsAt.getTime(), parts[0]!.endsAt.getTime()]).toEqual([
        lead.startsAt.getTime(),
        lead.endsAt.getTime(),
      ])

      // The email the guest receives names the booking (its reference, the service's lead).
      const mail = await confirmationMail('ada@example.com', ref)
      expect(bodyOf(mail)).toContain(ref)
      expect(`${mail.subject ?? ''}\n${bodyOf(mail)}`).toContain(therapist.name)
      expect(invitesOf(mail)[0]?.start).toBe(lead.startsAt.getTime())
      await saveMessages(harness, 'services-en')

      // A second guest, on another phone: that time is gone, from the API and from the widget.
      expect((await serviceTimes()).map((s) => s.start)).not.toContain(hold.start)
      const second = await openPhone('en-GB')
      const secondProblems = await pageProblems(second.page)
      try {
        await second.page.goto(url)
        const other = second.page.locator(`[data-booking-service="${SERVICE}"]`)
        await firstTimeOnShow(other, en, second.page)
        if ((await selectedDay(other)) === day) {
          expect(await timeOptions(other).allTextContents()).not.toContain(label)
        }
        await shooter(second.page, 'en-second-guest')('times')
        expect(secondProblems()).toEqual([])
      } finally {
        await second.context.close()
      }

      // The manage link: both resources named; a move takes the same room to the new time.
      const link = manageLinkOf(mail)
      expect(link, 'the email links to the manage page').toBeDefined()
      const tab = await context.newPage()
      const tabProblems = await pageProblems(tab)
      await tab.goto(link!)
      const manage = tab.locator('[data-booking-manage]')
      await manage.getByText(ref).first().waitFor({ timeout: UI_WAIT })
      await manage.getByText(both).waitFor({ timeout: UI_WAIT })
      await expect.poll(() => manage.getByRole('heading', { level: 2 }).first().textContent()).toBe('Massage with room')
      await shot('manage', tab)
      await person(tab).pause()
      await manage.getByRole('button', { name: en.changeTime }).tap()
      const later = (await showFreeTimes(manage, en.nextAvailable(''), person(tab), UI_WAIT)).last()
      const moveHold = tab.waitForResponse((r) => r.url().includes(`/holds`) && r.request().method() === 'POST')
      await later.tap()
      const moveAnswer = await moveHold
      expect(new URL(moveAnswer.url()).pathname).toBe(`/v1/services/${serviceId}/holds`)
      expect(JSON.parse(moveAnswer.request().postData() ?? '{}')).toMatchObject({
        parts: [
          { position: 0, resourceId: therapist.id },
          { position: 1, resourceId: room.resourceId },
        ],
      })
      const moveButton = manage.getByRole('button', { name: en.moveHere })
      await moveButton.waitFor({ timeout: UI_WAIT })
      await manage.getByText(both).waitFor({ timeout: UI_WAIT })
      await person(tab).pause()
      await moveButton.tap()
      await manage.getByText(en.moved).first().waitFor({ timeout: UI_WAIT })
      await shot('moved', tab)
      const moved = await bookedRows(ref)
      expect(moved.lead).toMatchObject({ status: 'confirmed', version: 2, resourceId: therapist.id })
      expect(moved.lead.startsAt.getTime()).not.toBe(lead.startsAt.getTime())
      expect(moved.parts).toHaveLength(1)
      expect(moved.parts[0]).toMatchObject({ resourceId: room.resourceId, status: 'confirmed' })
      expect(moved.parts[0]!.startsAt.getTime()).toBe(moved.lead.startsAt.getTime())

      expect(problems()).toEqual([])
      expect(tabProblems()).toEqual([])
      expect(harness.serverErrors).toEqual([])
    } catch (error) {
      await page.screenshot({ path: `.scratch/services-${journey}-FAILED.png`, fullPage: true }).catch(() => {})
      throw error
    } finally {
      await context.close()
    }
  }, 180_000)

  it('the demo page shows the service beside the resources', async () => {
    const { context, page } = await openPhone('en-GB')
    const problems = await pageProblems(page)
    try {
      await page.goto(`${harness.apiUrl}/`)
      const widget = page.locator(`[data-booking-service="${SERVICE}"]`)
      await firstTimeOnShow(widget, en, page)
      await expect.poll(() => widget.getByRole('heading', { level: 2 }).textContent()).toBe('Massage with room')
      await widget.screenshot({ path: '.scratch/services-demo-page.png' })
      // The page's other widgets answer for themselves; nothing the service asked for failed.
      expect(problems().filter((p) => p.includes('/v1/services/'))).toEqual([])
    } finally {
      await context.close()
    }
  }, 60_000)

  it('in German (lang=de): the parts, the confirmation and the email speak German', async () => {
    const journey = 'de'
    const { context, page } = await openPhone('de-DE')
    const problems = await pageProblems(page)
    const shot = shooter(page, journey)
    try {
      const url = publishServicePage('/massage-de/', 'de', {
        heading: 'Massage buchen',
        intro: 'Sechzig Minuten mit unserer Therapeutin, in einem unserer ruhigen Räume.',
        footer: 'Spreeufer 12, Berlin',
      })
      await page.goto(url)
      const widget = page.locator(`[data-booking-service="${SERVICE}"]`)
      await firstTimeOnShow(widget, de, page)
      expect(await widget.getByText(de.serviceIncludes(['Therapist', 'Room'])).count()).toBe(1)
      expect(await widget.getByText(de.chooseTime).count()).toBe(1)
      await shot('times')
      await person(page).pause()

      const { hold } = await holdFirstTime(page, widget, de)
      const room = hold.parts![0]!
      const both = de.withParts([therapist.name, room.name])
      expect(both).toMatch(/^Mit /)
      await widget.getByText(both).waitFor({ timeout: UI_WAIT })
      await shot('form')
      await fillDetails(page, widget, de, 'Clara Schumann', 'clara@example.de')
      await widget.getByRole('button', { name: de.book, exact: true }).tap()
      await widget.getByRole('heading', { name: de.booked }).waitFor({ timeout: UI_WAIT })
      const confirmation = widget.getByRole('status').filter({ hasText: de.reference })
      expect(await confirmation.textContent()).toContain(both)
      await shot('booked')
      const ref = ((await widget.locator('.ref').first().textContent()) ?? '').trim()

      const { lead, parts } = await bookedRows(ref)
      expect(lead).toMatchObject({ status: 'confirmed', serviceId, locale: 'de', guestName: 'Clara Schumann' })
      expect(parts.map((p) => p.resourceId)).toEqual([room.resourceId])
      const mail = await confirmationMail('clara@example.de', ref)
      expect(bodyOf(mail)).toContain('Ihre Buchung')
      expect(manageLinkOf(mail)).toContain('lang=de')
      await saveMessages(harness, 'services-de')

      // The manage page, opened from the German email, names both in German.
      const tab = await context.newPage()
      await tab.goto(manageLinkOf(mail)!)
      const manage = tab.locator('[data-booking-manage]')
      await manage.getByText(both).waitFor({ timeout: UI_WAIT })
      expect(await manage.getByRole('button', { name: de.changeTime }).count()).toBe(1)
      await shot('manage', tab)

      expect(problems()).toEqual([])
      expect(harness.serverErrors).toEqual([])
    } catch (error) {
      await page.screenshot({ path: `.scratch/services-${journey}-FAILED.png`, fullPage: true }).catch(() => {})
      throw error
    } finally {
      await context.close()
    }
  }, 150_000)
})
