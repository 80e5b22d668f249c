import { eq } from 'drizzle-orm'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdminKey } from '../api/admin/keys'
import { bookableResources, bookings } from '../drizzle/schema'
import de from '../widget/locales/de'
import { browserAvailable, launchChromium, timeOptions } from '../test/browser'
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

/*
 * A sauna lets each guest book once a day. The owner types the limit into the console at a
 * person's speed; a guest on a phone, on the sauna's own website (another origin), books an
 * hour, books another time the same day with her email in capitals, and reads — in German —
 * that she can book only once per day, back at the times. One booking is stored.
 * Screenshots: test-results/human-limits-*.png.
 */

const UI_WAIT = 15_000
const JOURNEY = 'limits'
const ZONE = 'Europe/Berlin'

describe.skipIf(!browserAvailable())('an owner limits guests to one booking a day', () => {
  let browser: Browser
  let harness: HumanHarness

  beforeAll(async () => {
    ;[browser, harness] = await Promise.all([launchChromium(), startHumanHarness()])
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await harness?.close()
  })

  it('refuses the guest’s second booking of the day with words that say why', async () => {
    await clearSnaps(JOURNEY)
    const db = harness.database.db
    const sauna = await insertResource(db, {
      slug: 'sauna',
      type: 'room',
      name: 'Sauna',
      timezone: ZONE,
      config: { horizonDays: 30 },
      schedules: everyDay({ startTime: '08:00', endTime: '20:00', slotDuration: 60 }),
    })
    const { key } = await createAdminKey(db, 'limits owner')

    const desk = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB', timezoneId: ZONE })
    const owner = await desk.newPage()
    owner.setDefaultTimeout(UI_WAIT)
    const ownerProblems = await pageProblems(owner)
    const typist = person(owner, 17, { pointer: 'mouse' })
    try {
      await owner.goto(`${harness.apiUrl}/admin`)
      await owner.getByLabel('Admin key').fill(key)
      await owner.getByRole('button', { name: 'Sign in' }).click()
      await owner.getByRole('button', { name: 'Edit Sauna' }).click()
      const perGuestDay = owner.getByLabel('Per guest per day')
      expect(await describedBy(perGuestDay)).toContain('known by their email')
      await typist.type(perGuestDay, '1')
      await typist.pause()
      await owner.getByRole('button', { name: 'Save', exact: true }).click()
      await owner.getByText('Saved.').waitFor()
      await owner
        .locator('fieldset', { has: perGuestDay })
        .screenshot({ path: `test-results/human-${JOURNEY}-01-saved.png` })
      const [stored] = await db.select().from(bookableResources).where(eq(bookableResources.id, sauna.id))
      expect(stored?.config).toEqual({ horizonDays: 30, limits: { perGuestPerDay: 1 } })
      expect(ownerProblems()).toEqual([])
    } finally {
      await desk.close()
    }

    const { context, page } = await openPhone(browser, { locale: 'de-DE', timezoneId: ZONE })
    const problems = await pageProblems(page)
    const human = person(page, 29)
    try {
      const url = harness.publishPage('/sauna/', {
        resource: 'sauna',
        pageLang: 'de',
        title: 'Sauna am See',
        words: { heading: 'Sauna buchen', intro: 'Eine Stunde Wärme.', footer: 'Sauna am See' },
      })
      expect(new URL(url).origin).not.toBe(new URL(harness.apiUrl).origin)
      await page.goto(url)
      const widget = page.locator('[data-booking-resource="sauna"]')
      const times = timeOptions(widget)
      const next = widget.getByRole('button', { name: new RegExp(`^${de.nextAvailable('')}`) })
      await times.first().or(next).first().waitFor({ timeout: UI_WAIT })
      // Today's last hour may have passed: a day with at least two free hours.
      if ((await times.count()) < 2) {
        await human.pause()
        await next.tap()
        await times.nth(1).waitFor({ timeout: UI_WAIT })
      }

      async function bookTime(index: number, email: string) {
        await human.pause()
        await times.nth(index).tap()
        const name = widget.getByRole('textbox', { name: new RegExp(`^${de.name}`) })
        await name.waitFor({ timeout: UI_WAIT })
        // The form may keep what she typed for the first booking: she types over it.
        await human.retype(name, 'Greta Nilsson')
        await human.pause()
        await human.retype(widget.getByRole('textbox', { name: new RegExp(`^${de.email}`) }), email)
        await human.pause()
        await widget.getByRole('button', { name: de.book, exact: true }).tap()
      }

      await bookTime(1, 'greta@example.se')
      await widget.getByRole('heading', { name: de.booked }).waitFor({ timeout: UI_WAIT })
      await snap(page, JOURNEY, '02-booked')
      await human.pause()
      await widget.getByRole('button', { name: de.bookAnother }).tap()
      await times.first().waitFor({ timeout: UI_WAIT })

      await bookTime(0, 'GRETA@example.se')
      const refusal = widget.getByRole('alert').filter({ hasText: de.limitReached.perGuestPerDay(1) })
      await refusal.waitFor({ timeout: UI_WAIT })
      // Back at the times, to pick another day.
      await times.first().waitFor({ timeout: UI_WAIT })
      await snap(page, JOURNEY, '03-refused')

      const rows = await db.select().from(bookings).where(eq(bookings.resourceId, sauna.id))
      expect(rows.map((r) => [r.status, r.guestEmail])).toEqual([['confirmed', 'greta@example.se']])
      // The one refusal is the only failed request.
      expect(problems()).toEqual([expect.stringMatching(/^http 409 POST .*\/v1\/bookings$/)])
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
