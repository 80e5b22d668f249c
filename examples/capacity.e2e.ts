import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AvailabilityResponse } from '../shared/types'
import { todayIn, addDays } from '../shared/calendar-labels'
import de from '../widget/locales/de'
import { browserAvailable, launchChromium, showFreeTimes } from '../test/browser'
import { everyDay, insertBooking, insertResource } from '../test/fixtures'
import {
  clearSnaps,
  OWNER_EMAIL,
  openPhone,
  pageProblems,
  person,
  saveMessages,
  snap,
  startHumanHarness,
  type HumanHarness,
} from '../test/human'
import { bodyOf, invitesOf, manageLinkOf } from '../test/mailbox'

/*
 * A yoga class of twelve mats, booked by a German guest for herself and a friend: on a
 * 360 px phone, tapping, typing a key every 80–150 ms and pausing between fields, on the
 * studio's own website (another origin than the booking API). She sees how few places are
 * left, asks for two, books, and reads "2 Plätze" on the confirmation and in the email.
 * Screenshots land in test-results/human-class-*.png.
 */

const UI_WAIT = 15_000
const JOURNEY = 'class'
const ZONE = 'Europe/Berlin'

describe.skipIf(!browserAvailable())('a guest books places of a class at human speed', () => {
  let browser: Browser
  let harness: HumanHarness

  beforeAll(async () => {
    ;[browser, harness] = await Promise.all([launchChromium(), startHumanHarness()])
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await harness?.close()
  })

  it('books 2 of the 3 places left on a phone, and the confirmation and her email say 2 places', async () => {
    await clearSnaps(JOURNEY)
    const db = harness.database.db
    const yoga = await insertResource(db, {
      slug: 'morning-yoga',
      type: 'other',
      name: 'Yoga am Morgen',
      timezone: ZONE,
      config: { capacity: 12, maxSeatsPerBooking: 4, minNoticeMin: 60, horizonDays: 30 },
      schedules: everyDay({ startTime: '07:00', endTime: '21:00', slotDuration: 60 }),
    })
    // Nine of the twelve mats of the first class are taken: three left, few enough to say so.
    const from = todayIn(ZONE, new Date())
    const answer = await fetch(
      `${harness.apiUrl}/v1/resources/${yoga.id}/availability?from=${from}&to=${addDays(from, 6)}&tz=${ZONE}`,
    )
    expect(answer.status).toBe(200)
    const first = ((await answer.json()) as AvailabilityResponse).days.flatMap((day) => day.slots)[0]
    expect(first, 'the class has a time this week').toBeDefined()
    await insertBooking(db, { resourceId: yoga.id, start: first!.start, end: first!.end, seats: 9 })

    const { context, page } = await openPhone(browser, { locale: 'de-DE', timezoneId: ZONE })
    const problems = await pageProblems(page)
    const human = person(page, 19)
    let shots = 0
    const shot = async (step: string) => {
      await snap(page, JOURNEY, `${String(++shots).padStart(2, '0')}-${step}`)
      // Nothing on a phone may need sideways scrolling.
      expect
        .soft(await page.evaluate(() => document.documentElement.scrollWidth), `${step}: fits the phone`)
        .toBeLessThanOrEqual(360)
    }
    try {
      const url = harness.publishPage('/kurse/', {
        resource: 'morning-yoga',
        pageLang: 'de',
        title: 'Yogastudio Spree',
        words: { heading: 'Kurse', intro: 'Buchen Sie Ihre Matte online.', footer: 'Yogastudio Spree, Berlin' },
      })
      expect(new URL(url).origin).not.toBe(new URL(harness.apiUrl).origin)
      await page.goto(url)
      const widget = page.locator('[data-booking-resource="morning-yoga"]')
      // Late on a month's last day the first class is next month's: the guest taps "Next available".
      const times = await showFreeTimes(widget, de.nextAvailable(''), human, UI_WAIT)

      // The class says how few places are left at its first time.
      expect(await times.first().textContent()).toContain(de.placesLeft(3))
      const stepper = widget.getByRole('group', { name: de.seats })
      const more = stepper.getByRole('button', { name: de.moreSeats })
      const fewer = stepper.getByRole('button', { name: de.fewerSeats })
      await expect.poll(() => stepper.getByRole('status').textContent()).toBe(de.places(1))
      expect(await fewer.isDisabled()).toBe(true)
      // Big enough for a thumb.
      for (const button of [more, fewer]) {
        const box = await button.boundingBox()
        expect(box?.width).toBeGreaterThanOrEqual(44)
        expect(box?.height).toBeGreaterThanOrEqual(44)
      }
      await shot('times')
      await human.pause()

      // Two places: one for her, one for a friend.
      const asked = page.waitForRequest((request) => /\/availability\?.*seats=2/.test(request.url()))
      await more.tap()
      await asked
      await expect.poll(() => stepper.getByRole('status').textContent()).toBe(de.places(2))
      await times.first().waitFor({ timeout: UI_WAIT })
      await shot('two-places')
      await human.pause()
      await times.first().tap()

      const name = widget.getByRole('textbox', { name: new RegExp(`^${de.name}`) })
      await name.waitFor({ timeout: UI_WAIT })
      expect(await widget.getByText(de.places(2), { exact: true }).count()).toBeGreaterThan(0)
      await shot('form')
      await human.type(name, 'Clara Schumann')
      await human.pause()
      await human.type(widget.getByRole('textbox', { name: new RegExp(`^${de.email}`) }), 'clara@example.de')
      await human.pause()
      await shot('typed')
      await widget.getByRole('button', { name: de.book, exact: true }).tap()

      const confirmation = widget.getByRole('status').filter({ hasText: de.reference })
      await widget.getByRole('heading', { name: de.booked }).waitFor({ timeout: UI_WAIT })
      expect(await confirmation.textContent()).toContain(de.places(2))
      await shot('booked')
      const ref = ((await widget.locator('.ref').first().textContent()) ?? '').trim()
      expect(ref).toMatch(/^[0-9A-Z]{8}$/)

      const booked = await harness.findBooking(ref)
      expect(booked).toMatchObject({ status: 'confirmed', seats: 2, locale: 'de', guestName: 'Clara Schumann' })

      // Her email, in German, says the places in the subject, the body and the calendar entry.
      const mail = await harness.mailbox.waitFor('clara@example.de', (m) => invitesOf(m).length > 0, 'a confirmation')
      expect(mail.subject).toContain('Yoga am Morgen (2 Plätze)')
      expect(bodyOf(mail)).toContain('Gebucht für: 2 Plätze')
      expect(invitesOf(mail)[0]?.description).toContain('2 Plätze')
      // The studio's notice too.
      const notice = await harness.mailbox.waitFor(OWNER_EMAIL, (m) => (m.subject ?? '').includes(ref), 'the notice')
      expect(bodyOf(notice)).toContain('2 Plätze')

      // From the email's link: the booking says its places, and a move keeps them.
      const link = manageLinkOf(mail)
      expect(link, 'the confirmation links to the manage page').toBeDefined()
      const tab = await context.newPage()
      const tabProblems = await pageProblems(tab)
      await tab.goto(link!)
      const manage = tab.locator('[data-booking-manage]')
      await manage.getByText(ref).first().waitFor({ timeout: UI_WAIT })
      expect(await manage.getByText(de.places(2), { exact: true }).count()).toBe(1)
      await snap(tab, JOURNEY, `${String(++shots).padStart(2, '0')}-manage`)
      await human.pause()
      await manage.getByRole('button', { name: de.changeTime }).tap()
      const later = (await showFreeTimes(manage, de.nextAvailable(''), human, UI_WAIT)).last()
      // The booking's places are fixed: no stepper; the times offered have room for both.
      expect(await manage.getByRole('group', { name: de.seats }).count()).toBe(0)
      await later.tap()
      const moveButton = manage.getByRole('button', { name: de.moveHere })
      await moveButton.waitFor({ timeout: UI_WAIT })
      expect(await manage.getByText(de.places(2), { exact: true }).count()).toBe(1)
      await human.pause()
      await moveButton.tap()
      await manage.getByText(de.moved).first().waitFor({ timeout: UI_WAIT })
      await snap(tab, JOURNEY, `${String(++shots).padStart(2, '0')}-moved`)
      const moved = await harness.findBooking(ref)
      expect(moved).toMatchObject({ version: 2, seats: 2 })
      expect(moved?.startsAt.getTime()).not.toBe(booked!.startsAt.getTime())

      expect(problems()).toEqual([])
      expect(tabProblems()).toEqual([])
      expect(harness.serverErrors).toEqual([])
    } catch (error) {
      await snap(page, JOURNEY, 'FAILED').catch(() => {})
      throw error
    } finally {
      await saveMessages(harness, JOURNEY).catch(() => {})
      await context.close()
    }
  }, 150_000)

  it('passes axe’s WCAG 2.1 AA checks with the places stepper and the places left on show', async () => {
    const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
    // axe is injected as an inline script, which the page's own CSP rightly forbids; reduced
    // motion lets it measure settled colours.
    // A class with 4 places left, so that a time offered for 2 places says how few remain.
    const from = todayIn(ZONE, new Date())
    const answer = await fetch(
      `${harness.apiUrl}/v1/resources/morning-yoga/availability?from=${from}&to=${addDays(from, 6)}&tz=${ZONE}`,
    )
    const body = (await answer.json()) as AvailabilityResponse
    const full = body.days.flatMap((day) => day.slots).find((slot) => slot.seatsLeft === 12)
    expect(full, 'a class with every place free this week').toBeDefined()
    await insertBooking(harness.database.db, {
      resourceId: body.resource.id,
      start: full!.start,
      end: full!.end,
      seats: 8,
    })
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      bypassCSP: true,
      reducedMotion: 'reduce',
    })
    try {
      const page = await context.newPage()
      await page.goto(harness.publishPage('/kurse/axe/', { resource: 'morning-yoga', pageLang: 'de' }))
      const widget = page.locator('[data-booking-resource="morning-yoga"]')
      await showFreeTimes(widget, de.nextAvailable(''), {}, UI_WAIT)
      await widget.getByRole('group', { name: de.seats }).getByRole('button', { name: de.moreSeats }).click()
      await expect.poll(() => widget.getByRole('status').first().textContent()).toBe(de.places(2))
      await showFreeTimes(widget, de.nextAvailable(''), {}, UI_WAIT)
      expect(await widget.locator('.left').count(), 'a time says how few places are left').toBeGreaterThan(0)
      await page.addScriptTag({ content: axeSource })
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
      expect(violations).toEqual([])
    } finally {
      await context.close()
    }
  }, 60_000)
})
