import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PoolAvailabilityResponse } from '../shared/types'
import { addDays, todayIn } from '../shared/calendar-labels'
import { en } from '../widget/i18n'
import de from '../widget/locales/de'
import { browserAvailable, launchChromium, showFreeTimes, timeOptions } from '../test/browser'
import { everyDay, insertBooking, insertPool, insertResource } from '../test/fixtures'
import { ownerPage } from '../test/host-page'
import { clearSnaps, openPhone, pageProblems, person, snap, startHumanHarness, type HumanHarness } from '../test/human'

/*
 * Booking through a pool, on a 360 px phone, tapping and typing a key every 80–150 ms with
 * pauses, on the business's own website (another origin than the booking API), the snippet
 * pointing at a pool with data-booking-pool:
 * - a physiotherapy practice of three specialists: the guest asks for "anyone" at a time the
 *   first is already booked, and gets the second, named on the confirmation;
 * - a restaurant's dining room: the guest says 5 guests first and gets the smallest table
 *   that seats five, although larger ones are free and come earlier in the pool, and reads
 *   which table on the confirmation.
 * Screenshots land in test-results/human-pool-*.png.
 */

const UI_WAIT = 15_000
const ZONE = 'Europe/Berlin'

describe.skipIf(!browserAvailable())('a guest books through a pool at human speed', () => {
  let browser: Browser
  let harness: HumanHarness

  beforeAll(async () => {
    ;[browser, harness] = await Promise.all([launchChromium(), startHumanHarness()])
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await harness?.close()
  })

  /** The owner's page with the snippet pointed at `pool` (the element carries data-booking-pool). */
  function publishPoolPage(path: string, pool: string, page: { lang: string; title: string; words: Words }): string {
    const html = ownerPage({ apiUrl: harness.apiUrl, resource: pool, pageLang: page.lang, ...page })
    const snippet = `data-booking-resource="${pool}"`
    expect(html).toContain(snippet)
    harness.site.publish(path, html.replace(snippet, `data-booking-pool="${pool}"`))
    return harness.site.origin + path
  }

  /** The first free time of a pool this week, as the API offers it. */
  async function firstPoolTime(pool: string, query = '') {
    const from = todayIn(ZONE, new Date())
    const answer = await fetch(
      `${harness.apiUrl}/v1/pools/${pool}/availability?from=${from}&to=${addDays(from, 6)}&tz=${ZONE}${query}`,
    )
    expect(answer.status, `GET /v1/pools/${pool}/availability`).toBe(200)
    const slot = ((await answer.json()) as PoolAvailabilityResponse).days.flatMap((day) => day.slots)[0]
    expect(slot, `the pool ${pool} has a time this week`).toBeDefined()
    return slot!
  }

  /** Waits for the first time on show; late on a month's last day it is next month's, one tap away. */
  function shooter(page: Page, journey: string) {
    let shots = 0
    return async (step: string) => {
      await snap(page, journey, `${String(++shots).padStart(2, '0')}-${step}`)
      expect
        .soft(await page.evaluate(() => document.documentElement.scrollWidth), `${step}: fits the phone`)
        .toBeLessThanOrEqual(360)
    }
  }

  it('"anyone" at a time the first physio is booked gets the second, and the confirmation names her', async () => {
    const journey = 'pool-physio'
    await clearSnaps(journey)
    const db = harness.database.db
    const specialist = (slug: string, name: string) =>
      insertResource(db, {
        slug,
        type: 'physio',
        name,
        timezone: ZONE,
        config: { minNoticeMin: 60, horizonDays: 30, price: { amount: 6000, currency: 'EUR' } },
        schedules: everyDay({ startTime: '08:00', endTime: '20:00', slotDuration: 45 }),
      })
    const adams = await specialist('dr-adams', 'Dr. Adams')
    const brandt = await specialist('dr-brandt', 'Dr. Brandt')
    const chen = await specialist('dr-chen', 'Dr. Chen')
    const pool = await insertPool(db, {
      slug: 'physios',
      type: 'physio',
      name: 'Physiotherapy Spree',
      timezone: ZONE,
      strategy: 'ordered',
      memberChoice: true,
      members: [adams.id, brandt.id, chen.id],
    })
    // Dr. Adams, first in the pool, is already booked at the first time offered.
    const first = await firstPoolTime('physios')
    expect(first.membersFree).toBe(3)
    await insertBooking(db, { resourceId: adams.id, start: first.start, end: first.end })
    expect((await firstPoolTime('physios')).membersFree, 'two are still free then').toBe(2)

    const { context, page } = await openPhone(browser, { locale: 'en-GB', timezoneId: ZONE })
    const problems = await pageProblems(page)
    const human = person(page, 23)
    const shot = shooter(page, journey)
    try {
      const url = publishPoolPage('/physio/', 'physios', {
        lang: 'en',
        title: 'Physiotherapy Spree',
        words: { heading: 'Book a session', intro: 'Any of our specialists, or the one you know.', footer: 'Berlin' },
      })
      expect(new URL(url).origin).not.toBe(new URL(harness.apiUrl).origin)
      await page.goto(url)
      const widget = page.locator('[data-booking-pool="physios"]')
      const time = (await showFreeTimes(widget, en.nextAvailable(''), human, UI_WAIT)).first()
      await expect.poll(() => widget.getByRole('heading', { level: 2 }).textContent()).toBe('Physiotherapy Spree')

      // The guest may choose a specialist; she leaves it at "Anyone".
      const chooser = widget.getByRole('combobox', { name: en.member })
      expect(await chooser.locator('option').allTextContents()).toEqual([
        en.anyone,
        'Dr. Adams',
        'Dr. Brandt',
        'Dr. Chen',
      ])
      expect(await chooser.inputValue()).toBe('')
      const box = await chooser.boundingBox()
      expect(box?.height).toBeGreaterThanOrEqual(44)
      await shot('times')
      await human.pause()

      const held = page.waitForResponse((r) => r.url().includes('/v1/pools/physios/holds'))
      await time.tap()
      const hold = (await (await held).json()) as { hold: { resourceId: string; poolId: string } }
      expect(hold.hold).toMatchObject({ resourceId: brandt.id, poolId: pool.id })

      const name = widget.getByRole('textbox', { name: new RegExp(`^${en.name}`) })
      await name.waitFor({ timeout: UI_WAIT })
      expect(await widget.getByText(en.withMember('Dr. Brandt')).count()).toBe(1)
      await shot('form')
      await human.type(name, 'Ada Lovelace')
      await human.pause()
      await human.type(widget.getByRole('textbox', { name: new RegExp(`^${en.email}`) }), 'ada@example.com')
      await human.pause()
      await shot('typed')
      await widget.getByRole('button', { name: en.book, exact: true }).tap()

      await widget.getByRole('heading', { name: en.booked }).waitFor({ timeout: UI_WAIT })
      const confirmation = widget.getByRole('status').filter({ hasText: en.reference })
      expect(await confirmation.textContent()).toContain(en.withMember('Dr. Brandt'))
      await shot('booked')
      const ref = ((await widget.locator('.ref').first().textContent()) ?? '').trim()
      const booked = await harness.findBooking(ref)
      expect(booked).toMatchObject({ status: 'confirmed', resourceId: brandt.id, poolId: pool.id })
      expect(booked?.startsAt.toISOString()).toBe(new Date(first.start).toISOString())

      expect(problems()).toEqual([])
      expect(harness.serverErrors).toEqual([])
    } catch (error) {
      await snap(page, journey, 'FAILED').catch(() => {})
      throw error
    } finally {
      await context.close()
    }
  }, 150_000)

  it('a party of 5 gets the smallest table that seats five', async () => {
    const journey = 'pool-tables'
    await clearSnaps(journey)
    const db = harness.database.db
    const table = (slug: string, name: string, minParty: number, maxParty: number) =>
      insertResource(db, {
        slug,
        type: 'table',
        name,
        timezone: ZONE,
        config: { minNoticeMin: 60, horizonDays: 30, minParty, maxParty },
        schedules: everyDay({ startTime: '11:00', endTime: '23:00', slotDuration: 90 }),
      })
    // In the pool's order the big tables come first: only smallest_fit keeps them for big parties.
    const eight = await table('tisch-8', 'Tisch 8 (Fenster)', 4, 8)
    const two = await table('tisch-2', 'Tisch 2', 1, 2)
    const six = await table('tisch-6', 'Tisch 6', 3, 6)
    const four = await table('tisch-4', 'Tisch 4', 1, 4)
    const pool = await insertPool(db, {
      slug: 'speisesaal',
      type: 'table',
      name: 'Restaurant Spreeblick',
      timezone: ZONE,
      strategy: 'smallest_fit',
      members: [eight.id, two.id, six.id, four.id],
    })
    const first = await firstPoolTime('speisesaal', '&partySize=5')
    expect(first.membersFree, 'the tables for 6 and 8 seat five').toBe(2)

    const { context, page } = await openPhone(browser, { locale: 'de-DE', timezoneId: ZONE })
    const problems = await pageProblems(page)
    const human = person(page, 31)
    const shot = shooter(page, journey)
    try {
      const url = publishPoolPage('/tisch/', 'speisesaal', {
        lang: 'de',
        title: 'Restaurant Spreeblick',
        words: { heading: 'Tisch reservieren', intro: 'Wir freuen uns auf Sie.', footer: 'Spreeufer 9, Berlin' },
      })
      await page.goto(url)
      const widget = page.locator('[data-booking-pool="speisesaal"]')
      await showFreeTimes(widget, de.nextAvailable(''), human, UI_WAIT)

      // The party size comes first, above the calendar and the times.
      const stepper = widget.getByRole('group', { name: de.partySize })
      const more = stepper.getByRole('button', { name: de.moreGuests })
      await expect.poll(() => stepper.getByRole('status').textContent()).toBe(de.guests(2))
      expect(await widget.getByRole('combobox').count(), 'a pool that assigns the table offers no choice').toBe(0)
      const [stepperBox, firstTimeBox] = [await stepper.boundingBox(), await timeOptions(widget).first().boundingBox()]
      expect(stepperBox!.y).toBeLessThan(firstTimeBox!.y)
      for (const button of [more, stepper.getByRole('button', { name: de.fewerGuests })]) {
        const box = await button.boundingBox()
        expect(box?.width).toBeGreaterThanOrEqual(44)
        expect(box?.height).toBeGreaterThanOrEqual(44)
      }
      await shot('times')
      await human.pause()

      for (const count of [3, 4, 5]) {
        const asked = page.waitForRequest((request) => request.url().includes(`partySize=${count}`))
        await more.tap()
        await asked
        await expect.poll(() => stepper.getByRole('status').textContent()).toBe(de.guests(count))
        await page.waitForTimeout(400)
      }
      const time = (await showFreeTimes(widget, de.nextAvailable(''), human, UI_WAIT)).first()
      await shot('five-guests')
      await human.pause()

      const held = page.waitForResponse((r) => r.url().includes('/v1/pools/speisesaal/holds'))
      await time.tap()
      const holdAnswer = await held
      expect(JSON.parse(holdAnswer.request().postData() ?? '{}')).toMatchObject({ partySize: 5 })
      expect(((await holdAnswer.json()) as { hold: object }).hold).toMatchObject({
        resourceId: six.id,
        poolId: pool.id,
        partySize: 5,
      })

      const name = widget.getByRole('textbox', { name: new RegExp(`^${de.name}`) })
      await name.waitFor({ timeout: UI_WAIT })
      expect(await widget.getByText(de.guests(5), { exact: true }).count()).toBe(1)
      await widget.getByText(de.yourTable('Tisch 6')).waitFor({ timeout: UI_WAIT })
      await shot('form')
      await human.type(name, 'Clara Schumann')
      await human.pause()
      await human.type(widget.getByRole('textbox', { name: new RegExp(`^${de.email}`) }), 'clara@example.de')
      await human.pause()
      await widget.getByRole('button', { name: de.book, exact: true }).tap()

      await widget.getByRole('heading', { name: de.booked }).waitFor({ timeout: UI_WAIT })
      const confirmation = widget.getByRole('status').filter({ hasText: de.reference })
      expect(await confirmation.textContent()).toContain(de.guests(5))
      expect(await confirmation.textContent()).toContain(de.yourTable('Tisch 6'))
      await shot('booked')
      const ref = ((await widget.locator('.ref').first().textContent()) ?? '').trim()
      expect(await harness.findBooking(ref)).toMatchObject({
        status: 'confirmed',
        resourceId: six.id,
        poolId: pool.id,
        partySize: 5,
      })

      expect(problems()).toEqual([])
      expect(harness.serverErrors).toEqual([])
    } catch (error) {
      await snap(page, journey, 'FAILED').catch(() => {})
      throw error
    } finally {
      await context.close()
    }
  }, 150_000)
})

interface Words {
  heading: string
  intro: string
  footer: string
}
