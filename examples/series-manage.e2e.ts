import { mkdir } from 'node:fs/promises'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CreatedSeries } from '../shared/api-contract'
import type { AvailabilityResponse, PublicResource } from '../shared/types'
import de from '../widget/locales/de'
import { browserAvailable, launchChromium } from '../test/browser'
import { newSession } from '../test/holds'
import { openPhone, pageProblems, person, saveMessages, startHumanHarness, type HumanHarness } from '../test/human'
import { bodyOf, manageLinkOf } from '../test/mailbox'
import { findOccurrences, findSeriesByRef } from '../api/series/series-store'

/*
 * A German guest has booked the meeting room every week for four weeks. On a 360 px touch
 * phone they open the manage link from their confirmation email, read the series under the
 * first date and cancel every later date at once, with a reason typed at a person's speed.
 * Every date's row is cancelled, and one German email tells them so for the whole series.
 * Screenshots: .scratch/series-manage-*.png.
 */

const UI_WAIT = 15_000
const ZONE = 'Europe/Berlin'
const GUEST = 'klara.weber@example.de'
const words = de.series!

describe.skipIf(!browserAvailable())(
  'a guest cancels the later dates of their weekly series from the manage page',
  () => {
    let browser: Browser
    let harness: HumanHarness
    let context: BrowserContext | undefined
    let page: Page | undefined

    beforeAll(async () => {
      ;[browser, harness] = await Promise.all([launchChromium(), startHumanHarness()])
    }, 60_000)

    afterAll(async () => {
      await context?.close()
      await browser?.close()
      if (harness) await saveMessages(harness, 'series-manage').catch(() => {})
      await harness?.close()
    })

    const shot = async (step: string) => {
      await mkdir('.scratch', { recursive: true })
      await page?.screenshot({ path: `.scratch/series-manage-${step}.png`, fullPage: true })
    }

    /** Books the first free time two days on, every week for four weeks, in German, as the widget would. */
    async function bookSeries(): Promise<CreatedSeries> {
      const resource = (
        (await (await fetch(`${harness.apiUrl}/v1/resources/meeting-room`)).json()) as { resource: PublicResource }
      ).resource
      const from = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)
      const to = new Date(Date.now() + 12 * 86_400_000).toISOString().slice(0, 10)
      const answer = await fetch(
        `${harness.apiUrl}/v1/resources/meeting-room/availability?from=${from}&to=${to}&tz=${ZONE}`,
      )
      const { days } = (await answer.json()) as AvailabilityResponse
      const slot = days.find((day) => day.slots.length > 0)!.slots[0]!
      const json = { 'Content-Type': 'application/json', 'X-Booking-Session': newSession() }
      const held = await fetch(`${harness.apiUrl}/v1/holds`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ resourceId: resource.id, start: slot.start }),
      })
      expect(held.status).toBe(201)
      const { hold } = (await held.json()) as { hold: { id: string } }
      const booked = await fetch(`${harness.apiUrl}/v1/bookings/series`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          holdId: hold.id,
          guest: { name: 'Klara Weber', email: GUEST },
          locale: 'de',
          timezone: ZONE,
          repeat: { everyWeeks: 1, occurrences: 4 },
          mode: 'all_or_nothing',
        }),
      })
      expect(booked.status).toBe(201)
      return (await booked.json()) as CreatedSeries
    }

    it('reads the four dates and cancels them all; the rows and the German email say so', async () => {
      const { series } = await bookSeries()
      expect(series.bookings).toHaveLength(4)
      const first = series.bookings[0]!

      // The one confirmation for the series carries the manage link of its first date, in German.
      const confirmation = await harness.mailbox.waitFor(
        GUEST,
        (m) => bodyOf(m).includes('Wiederholung'),
        'the series confirmation',
      )
      const link = manageLinkOf(confirmation)
      expect(link, 'the confirmation links to the manage page').toBeDefined()
      const fragment = new URLSearchParams(new URL(link!).hash.slice(1))
      expect([fragment.get('ref'), fragment.get('lang')]).toEqual([first.ref, 'de'])

      ;({ context, page } = await openPhone(browser, { locale: 'de-DE', timezoneId: ZONE }))
      const problems = await pageProblems(page)
      const guest = person(page, 31)
      await page.goto(link!)
      const manage = page.locator('[data-booking-manage]')

      try {
        await manage.getByText(first.ref).first().waitFor({ timeout: UI_WAIT })
        const section = manage.locator('section.series')
        await section.getByRole('heading', { name: words.title }).waitFor({ timeout: UI_WAIT })
        const upcoming = section.locator('ul.series-dates').first().locator('li')
        await expect.poll(() => upcoming.count(), { timeout: UI_WAIT }).toBe(4)
        expect(await section.getByText(/^Jede Woche am \w+ um \d\d:\d\d Uhr$/).count()).toBe(1)
        expect((await upcoming.allTextContents()).every((text) => text.endsWith(`: ${de.status.confirmed}`))).toBe(true)
        // All four dates in one file, named for the series.
        const file = section.getByRole('link', { name: de.repeat.addAll(4) })
        await file.waitFor({ timeout: UI_WAIT })
        expect(await file.getAttribute('download')).toBe(`series-${series.ref}.ics`)
        await shot('1-series')
        await guest.pause()

        const cancelAll = section.getByRole('button', { name: words.cancelAll })
        await cancelAll.scrollIntoViewIfNeeded()
        await cancelAll.tap()
        const confirm = section.getByRole('group', { name: words.confirmCancelAll })
        await confirm.waitFor({ timeout: UI_WAIT })
        expect(await confirm.getByText(words.cancelTerms).isVisible()).toBe(true)
        await guest.pause()
        await guest.type(confirm.getByLabel(de.cancelReason), 'Ich ziehe um')
        await guest.pause()
        await shot('2-confirm')
        await confirm.getByRole('button', { name: words.yesCancelAll }).tap()

        await section.getByText(words.cancelledAll(4, 0, 0)).waitFor({ timeout: UI_WAIT })
        await section.getByRole('heading', { name: words.cancelledDates }).waitFor({ timeout: UI_WAIT })
        expect(await section.getByText(words.noUpcoming).isVisible()).toBe(true)
        // The date the link opened is read again: cancelled too.
        await manage.getByText(de.status.cancelled, { exact: true }).first().waitFor({ timeout: UI_WAIT })
        await shot('3-cancelled')

        // Every future date's row is cancelled, by the guest, with the reason typed.
        const row = await findSeriesByRef(harness.database.db, series.ref)
        const rows = await findOccurrences(harness.database.db, row!.id)
        expect(rows.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled'])
        expect(rows.every((r) => r.startsAt.getTime() > Date.now())).toBe(true)
        expect(rows.map((r) => r.ref)).toEqual(series.bookings.map((b) => b.ref))

        // One German email for the whole series, naming its four dates.
        const mail = await harness.mailbox.waitFor(
          GUEST,
          (m) => (m.subject ?? '').startsWith('Storniert:'),
          'the series cancellation',
        )
        const text = bodyOf(mail)
        expect(text).toMatch(/Ihre wöchentliche Buchung [a-zäöü]+s \d\d:\d\d Uhr wurde storniert: 4 Termine ab /)
        const dates = /Stornierte Termine: (.+)/.exec(text)?.[1]?.split(', ')
        expect(dates).toHaveLength(4)
        expect(dates?.every((date) => /^\d{1,2}\. [A-Z][a-zä]+\.? \d{4}$/.test(date))).toBe(true)
        expect(text).not.toContain('Weiterhin gebucht')
        expect(harness.mailbox.all().filter((m) => (m.subject ?? '').startsWith('Storniert:'))).toHaveLength(1)
        expect(problems()).toEqual([])
        expect(harness.serverErrors).toEqual([])
      } catch (error) {
        await shot('FAILED').catch(() => {})
        throw error
      }
    }, 150_000)
  },
)
