import { eq } from 'drizzle-orm'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdminKey } from '../api/admin/keys'
import { bookableResources } from '../drizzle/schema'
import type { AvailabilityResponse } from '../shared/types'
import de from '../widget/locales/de'
import { addDays, todayIn } from '../shared/calendar-labels'
import { browserAvailable, launchChromium, showFreeTimes, timeOptions } from '../test/browser'
import { formatDayLabel } from '../widget/format-time'
import { everyDay, insertResource } from '../test/fixtures'
import {
  clearSnaps,
  describedBy,
  openPhone,
  pageProblems,
  person,
  saveMessages,
  snap,
  startHumanHarness,
  type HumanHarness,
} from '../test/human'
import { bodyOf } from '../test/mailbox'

/*
 * A tennis club offers hour-long court slots that start every quarter hour. The owner types
 * the step into the console at a person's speed (typing fixed start times as well first,
 * and reading why that is refused beside the field); a guest on a phone, on the club's own
 * website (another origin), sees 09:00, 09:15, 09:30 … one after another, books 09:15, and
 * her email says 09:15. Screenshots: test-results/human-quarter-*.png.
 */

const UI_WAIT = 15_000
const JOURNEY = 'quarter'
const ZONE = 'Europe/Berlin'

describe.skipIf(!browserAvailable())('an owner sets a start every 15 minutes and a guest books 09:15', () => {
  let browser: Browser
  let harness: HumanHarness

  beforeAll(async () => {
    ;[browser, harness] = await Promise.all([launchChromium(), startHumanHarness()])
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await harness?.close()
  })

  it('steps hour-long slots by a quarter hour, offered and booked as set', async () => {
    await clearSnaps(JOURNEY)
    const db = harness.database.db
    const court = await insertResource(db, {
      slug: 'court-two',
      type: 'other',
      name: 'Platz 2',
      timezone: ZONE,
      config: { horizonDays: 30 },
      schedules: everyDay({ startTime: '09:00', endTime: '12:00', slotDuration: 60 }),
    })
    const { key } = await createAdminKey(db, 'quarter-hour owner')

    // The owner, at a desk.
    const desk = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB', timezoneId: ZONE })
    const owner = await desk.newPage()
    owner.setDefaultTimeout(UI_WAIT)
    const ownerProblems = await pageProblems(owner)
    const typist = person(owner, 23, { pointer: 'mouse' })
    try {
      await owner.goto(`${harness.apiUrl}/admin`)
      await owner.getByLabel('Admin key').fill(key)
      await owner.getByRole('button', { name: 'Sign in' }).click()
      await owner.getByRole('button', { name: 'Edit Platz 2' }).click()
      const step = owner.getByLabel('Start a slot every … minutes')
      const fixed = owner.getByLabel('Fixed start times')
      expect(await describedBy(step)).toContain('whatever their length')
      await typist.type(step, '15')
      await typist.pause()
      await typist.type(fixed, '9:00')
      await typist.pause()
      await owner.getByRole('button', { name: 'Save', exact: true }).click()
      // Refused beside the field, with both typed values still there.
      await expect.poll(() => describedBy(fixed)).toContain('not both')
      expect(await step.inputValue()).toBe('15')
      await owner
        .locator('fieldset', { has: step })
        .screenshot({ path: `test-results/human-${JOURNEY}-01-refused.png` })
      await typist.pause()
      await fixed.selectText()
      await fixed.press('Backspace')
      await typist.pause()
      await owner.getByRole('button', { name: 'Save', exact: true }).click()
      await owner.getByText('Saved.').waitFor()
      await owner.screenshot({ path: `test-results/human-${JOURNEY}-02-saved.png`, fullPage: true })
      const [stored] = await db.select().from(bookableResources).where(eq(bookableResources.id, court.id))
      expect(stored?.config).toEqual({ horizonDays: 30, slotStepMin: 15 })
      expect(ownerProblems()).toEqual([])
    } finally {
      await desk.close()
    }

    // The guest, on her phone.
    const { context, page } = await openPhone(browser, { locale: 'de-DE', timezoneId: ZONE })
    const problems = await pageProblems(page)
    const human = person(page, 31)
    try {
      const url = harness.publishPage('/platz/', {
        resource: 'court-two',
        pageLang: 'de',
        title: 'Tennisclub Spree',
        words: { heading: 'Platz buchen', intro: 'Eine Stunde, ab jeder Viertelstunde.', footer: 'TC Spree' },
      })
      expect(new URL(url).origin).not.toBe(new URL(harness.apiUrl).origin)
      await page.goto(url)
      const widget = page.locator('[data-booking-resource="court-two"]')
      // Late on a month's last day the month's courts are over: the guest taps "Next available".
      await showFreeTimes(widget, de.nextAvailable(''), human, UI_WAIT)
      // She plays tomorrow (today's first starts may be past already); in the grid either way,
      // the first days of next month included.
      const tomorrow = addDays(todayIn(ZONE, new Date()), 1)
      await human.pause()
      await widget.getByRole('button', { name: formatDayLabel(tomorrow, 'de', true), exact: true }).tap()
      const times = timeOptions(widget)
      await expect.poll(async () => (await times.first().textContent())?.trim(), { timeout: UI_WAIT }).toBe('09:00')
      const labels = (await times.allTextContents()).map((t) => t.trim())
      expect(labels).toEqual(['09:00', '09:15', '09:30', '09:45', '10:00', '10:15', '10:30', '10:45', '11:00'])
      await snap(page, JOURNEY, '03-times')
      await human.pause()
      await times.nth(1).tap()

      const name = widget.getByRole('textbox', { name: new RegExp(`^${de.name}`) })
      await name.waitFor({ timeout: UI_WAIT })
      await human.type(name, 'Steffi Graf')
      await human.pause()
      await human.type(widget.getByRole('textbox', { name: new RegExp(`^${de.email}`) }), 'steffi@example.de')
      await human.pause()
      await widget.getByRole('button', { name: de.book, exact: true }).tap()
      await widget.getByRole('heading', { name: de.booked }).waitFor({ timeout: UI_WAIT })
      await snap(page, JOURNEY, '04-booked')
      const ref = ((await widget.locator('.ref').first().textContent()) ?? '').trim()
      const booked = await harness.findBooking(ref)
      expect(booked!.endsAt.getTime() - booked!.startsAt.getTime()).toBe(3_600_000)
      expect(
        new Intl.DateTimeFormat('de-DE', { timeZone: ZONE, hour: '2-digit', minute: '2-digit' }).format(
          booked!.startsAt,
        ),
      ).toBe('09:15')

      const mail = await harness.mailbox.waitFor('steffi@example.de', () => true, 'a confirmation')
      expect(bodyOf(mail)).toContain('09:15')
      // The next guest no longer gets the times that overlap hers; 10:15 onwards stay free.
      const day = booked!.startsAt.toISOString().slice(0, 10)
      const answer = await fetch(
        `${harness.apiUrl}/v1/resources/court-two/availability?from=${day}&to=${day}&tz=${ZONE}`,
      )
      const left = ((await answer.json()) as AvailabilityResponse).days[0]!.slots.map((s) => s.start)
      expect(left).toEqual(
        [60, 75, 90, 105].map((m) => new Date(booked!.startsAt.getTime() + m * 60_000).toISOString()),
      )
      expect(problems()).toEqual([])
      expect(harness.serverErrors).toEqual([])
    } catch (error) {
      await snap(page, JOURNEY, 'FAILED').catch(() => {})
      throw error
    } finally {
      await saveMessages(harness, JOURNEY).catch(() => {})
      await context.close()
    }
  }, 180_000)
})
