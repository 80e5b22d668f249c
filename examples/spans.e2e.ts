import { mkdir, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, dateOf, isoWeekday, monthOf, todayIn, wallClockIn } from '../shared/calendar-labels'
import { formatMoney } from '../shared/money'
import type { SpanConfig } from '../shared/resource-config'
import { spanPrice, spanUnits } from '../shared/span-pricing'
import type { Messages } from '../widget/i18n'
import { CATALOGUES } from '../widget/locales'
import { browserAvailable, launchChromium } from '../test/browser'
import { everyDay, insertResource } from '../test/fixtures'
import { OWNER_EMAIL, pageProblems, person, saveMessages, startHumanHarness, type HumanHarness } from '../test/human'
import { bodyOf, invitesOf, manageLinkOf } from '../test/mailbox'

/*
 * A car rented as a span across days, on a 390 px touch phone, from the rental desk's own
 * website (another origin than the booking API): the guest taps the pickup day (a Friday
 * at least a week ahead, in Berlin), 10:00, the return day (the Monday after), 09:00, reads
 * "3 days × €49.00 = €147.00", holds, types name and email key by key and books. The
 * database holds exactly Friday 10:00 → Monday 09:00 Berlin time, the price is what
 * shared/span-pricing counts, and the email states both dates. Once in English, once in
 * German. Screenshots land in .scratch/spans-*.png.
 */

const UI_WAIT = 15_000
const ZONE = 'Europe/Berlin'
const SPAN: SpanConfig = { minMinutes: 240, maxMinutes: 14 * 1440, pricing: 'per_day', stepMin: 30 }
const PRICE = { amount: 4900, currency: 'EUR' }
const KEY_MS = 70
const PAGE_WORDS = {
  en: {
    heading: 'Rent a car',
    intro: 'Pick it up and bring it back when it suits you.',
    footer: 'Spreeufer 5, Berlin',
  },
  de: {
    heading: 'Auto mieten',
    intro: 'Abholen und zurückbringen, wann es Ihnen passt.',
    footer: 'Spreeufer 5, Berlin',
  },
}

/** The first Friday at least `weeks` weeks from today in Berlin, and the Monday after it. */
function weekend(weeks: number): { friday: string; monday: string } {
  let friday = addDays(todayIn(ZONE, new Date()), 7 * weeks)
  while (isoWeekday(friday) !== 5) friday = addDays(friday, 1)
  return { friday, monday: addDays(friday, 3) }
}

/** The Berlin wall clock of an instant: its date and `HH:MM`. */
function berlinWall(at: Date): string {
  const clock = wallClockIn(at.getTime(), ZONE)
  return `${dateOf(clock)} ${String(clock.hour).padStart(2, '0')}:${String(clock.minute).padStart(2, '0')}`
}

describe.skipIf(!browserAvailable())('a guest rents a car from Friday to Monday at human speed', () => {
  let browser: Browser
  let harness: HumanHarness
  let slug: string

  beforeAll(async () => {
    ;[browser, harness] = await Promise.all([launchChromium(), startHumanHarness()])
    await mkdir('.scratch', { recursive: true })
    // The desk is open 08:00–18:00 every day: pickups and returns fall inside those hours.
    const car = await insertResource(harness.database.db, {
      slug: 'spree-car',
      type: 'car',
      name: 'Spree city car',
      timezone: ZONE,
      config: { span: SPAN, price: PRICE, payment: 'none', horizonDays: 120 },
      schedules: everyDay({ startTime: '08:00', endTime: '18:00', slotDuration: null }),
    })
    slug = car.slug
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await harness?.close()
  })

  it.each([
    ['en', 'en-GB', 1, 'Ada Lovelace', 'ada@example.com'],
    ['de', 'de-DE', 2, 'Clara Schumann', 'clara@example.de'],
  ] as const)(
    'in %s: picks Friday 10:00 → Monday 09:00, sees the total, books, and the email states both dates',
    async (language, locale, weeks, guestName, email) => {
      const t: Messages = CATALOGUES[language]
      const { friday, monday } = weekend(weeks)
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale,
        timezoneId: ZONE,
      })
      const page = await context.newPage()
      const problems = await pageProblems(page)
      const human = person(page, weeks * 7)
      let shots = 0
      const shot = async (step: string) => {
        await page.screenshot({ path: `.scratch/spans-${language}-${String(++shots).padStart(2, '0')}-${step}.png` })
        expect
          .soft(await page.evaluate(() => document.documentElement.scrollWidth), `${step}: fits the phone`)
          .toBeLessThanOrEqual(390)
      }
      /** Types like a person on a phone: a tap, then one key every ~70 ms. */
      const typeInto = async (field: Locator, text: string) => {
        await field.tap()
        await field.pressSequentially(text, { delay: KEY_MS })
      }
      try {
        const url = harness.publishPage(`/mieten-${language}/`, {
          resource: slug,
          pageLang: language,
          title: 'Spree Autovermietung',
          words: PAGE_WORDS[language],
        })
        expect(new URL(url).origin).not.toBe(new URL(harness.apiUrl).origin)
        await page.goto(url)
        const widget = page.locator(`[data-booking-resource="${slug}"]`)
        await widget.getByText(t.choosePickupDay).waitFor({ timeout: UI_WAIT })
        await shot('month')
        await human.pause()

        await showMonthOf(widget, page, friday, t)
        const fridayButton = dayButton(widget, friday)
        await expect.poll(() => fridayButton.getAttribute('aria-disabled'), { timeout: UI_WAIT }).toBeNull()
        await fridayButton.tap()
        const pickups = widget.getByRole('group', { name: new RegExp(`^${t.pickupTime}`) })
        await pickups.waitFor({ timeout: UI_WAIT })
        await human.pause()
        await pickups.getByRole('button', { name: '10:00', exact: true }).tap()

        await widget.getByText(t.chooseReturnDay).waitFor({ timeout: UI_WAIT })
        expect(await fridayButton.getAttribute('aria-pressed')).toBe('true')
        await shot('pickup')
        await human.pause()
        await showMonthOf(widget, page, monday, t)
        const mondayButton = dayButton(widget, monday)
        await expect.poll(() => mondayButton.getAttribute('aria-disabled'), { timeout: UI_WAIT }).toBeNull()
        await mondayButton.tap()
        const returns = widget.getByRole('group', { name: new RegExp(`^${t.returnTime}`) })
        await returns.waitFor({ timeout: UI_WAIT })
        await returns.getByRole('button', { name: '09:00', exact: true }).tap()

        // The length and the total, counted as the server charges.
        const summary = widget.locator('.span-sum')
        await summary.waitFor({ timeout: UI_WAIT })
        const start = Date.parse((await pickupInstant(harness, slug, friday, '10:00'))!)
        const end = Date.parse((await returnInstant(harness, slug, start, monday, '09:00'))!)
        const units = spanUnits(SPAN, start, end, ZONE)
        expect(units).toBe(3)
        const total = spanPrice(PRICE, units)
        const line = t.spanTotal(
          t.spanDays(units),
          formatMoney(PRICE.amount, PRICE.currency, locale),
          formatMoney(total.amount, total.currency, locale),
        )
        expect(await summary.textContent()).toContain(line)
        await shot('range')
        await human.pause()
        await widget.getByRole('button', { name: t.continueSpan, exact: true }).tap()

        const name = widget.getByRole('textbox', { name: new RegExp(`^${t.name}`) })
        await name.waitFor({ timeout: UI_WAIT })
        expect(await widget.locator('form.details').textContent()).toContain(line)
        await shot('form')
        await typeInto(name, guestName)
        await human.pause()
        await typeInto(widget.getByRole('textbox', { name: new RegExp(`^${t.email}`) }), email)
        await human.pause()
        await shot('typed')
        await widget.getByRole('button', { name: t.book, exact: true }).tap()

        await widget.getByRole('heading', { name: t.booked }).waitFor({ timeout: UI_WAIT })
        const confirmation = (await widget.locator('.done').textContent()) ?? ''
        expect(confirmation).toContain(line)
        await shot('booked')
        const ref = ((await widget.locator('.ref').first().textContent()) ?? '').trim()
        expect(ref).toMatch(/^[0-9A-Z]{8}$/)

        // Exactly Friday 10:00 → Monday 09:00 in Berlin.
        const booked = await harness.findBooking(ref)
        expect(booked).toMatchObject({ status: 'confirmed', locale: language, guestName })
        expect(berlinWall(booked!.startsAt)).toBe(`${friday} 10:00`)
        expect(berlinWall(booked!.endsAt)).toBe(`${monday} 09:00`)
        // Paid on site, the row keeps no amount; when it keeps one, it is the span's price.
        expect(booked!.amount ?? total.amount).toBe(total.amount)

        // Her email, in her language, states both dates.
        const mail = await harness.mailbox.waitFor(email, (m) => invitesOf(m).length > 0, 'a confirmation')
        const body = bodyOf(mail)
        const fullDate = (date: string) =>
          new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'de-DE', { dateStyle: 'full', timeZone: 'UTC' }).format(
            new Date(`${date}T12:00:00Z`),
          )
        const shortDate = (date: string) =>
          new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'de-DE', {
            weekday: 'short',
            day: 'numeric',
            month: 'short',
            timeZone: 'UTC',
          }).format(new Date(`${date}T12:00:00Z`))
        const states = (date: string) => body.includes(fullDate(date)) || body.includes(shortDate(date))
        expect(states(friday), `the email states the pickup day ${fullDate(friday)}:\n${body}`).toBe(true)
        expect(states(monday), `the email states the return day ${fullDate(monday)}:\n${body}`).toBe(true)
        // The calendar file starts at the pickup and ends at the return.
        const invite = invitesOf(mail)[0]!
        expect(invite.start).toBe(booked!.startsAt.getTime())
        const stamp = (at: Date) => at.toISOString().replace(/[-:]|\.\d{3}/g, '')
        expect(invite.raw).toContain(`DTEND:${stamp(booked!.endsAt)}`)
        // From the email's link, the manage page shows the whole span: both days, both times.
        const link = manageLinkOf(mail)
        expect(link, 'the confirmation links to the manage page').toBeDefined()
        const tab = await context.newPage()
        await tab.goto(link!)
        const manage = tab.locator('[data-booking-manage]')
        await manage.getByText(ref).first().waitFor({ timeout: UI_WAIT })
        const managed = (await manage.locator('.card').first().textContent()) ?? ''
        for (const part of [friday, monday].map((d) => String(Number(d.slice(8)))).concat(['10:00', '09:00']))
          expect(managed).toContain(part)
        await tab.screenshot({ path: `.scratch/spans-${language}-${String(++shots).padStart(2, '0')}-manage.png` })
        const notice = await harness.mailbox.waitFor(OWNER_EMAIL, (m) => (m.subject ?? '').includes(ref), 'the notice')
        expect(bodyOf(notice)).toContain(ref)

        // The first availability answer (the loader's too) says the resource is booked by the span:
        // no request fails on the way.
        expect(problems()).toEqual([])
        expect(harness.serverErrors).toEqual([])
      } catch (error) {
        await page.screenshot({ path: `.scratch/spans-${language}-FAILED.png`, fullPage: true }).catch(() => {})
        throw error
      } finally {
        await saveMessages(harness, `spans-${language}`).catch(() => {})
        await context.close()
      }
    },
    180_000,
  )

  it('passes axe’s WCAG 2.1 AA checks with a range chosen on the month grid', async () => {
    const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
    const { friday, monday } = weekend(4)
    // axe is injected as an inline script, which the page's own CSP rightly forbids.
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      locale: 'en-GB',
      timezoneId: ZONE,
      bypassCSP: true,
      reducedMotion: 'reduce',
    })
    try {
      const page = await context.newPage()
      await page.goto(harness.publishPage('/mieten/axe/', { resource: slug, pageLang: 'en' }))
      const widget = page.locator(`[data-booking-resource="${slug}"]`)
      const t = CATALOGUES.en
      await widget.getByText(t.choosePickupDay).waitFor({ timeout: UI_WAIT })
      await showMonthOf(widget, page, friday, t)
      await expect.poll(() => dayButton(widget, friday).getAttribute('aria-disabled'), { timeout: UI_WAIT }).toBeNull()
      await dayButton(widget, friday).click()
      await widget
        .getByRole('group', { name: new RegExp(`^${t.pickupTime}`) })
        .getByRole('button', { name: '10:00' })
        .click()
      await widget.getByText(t.chooseReturnDay).waitFor({ timeout: UI_WAIT })
      await showMonthOf(widget, page, monday, t)
      await expect.poll(() => dayButton(widget, monday).getAttribute('aria-disabled'), { timeout: UI_WAIT }).toBeNull()
      await dayButton(widget, monday).click()
      await widget
        .getByRole('group', { name: new RegExp(`^${t.returnTime}`) })
        .getByRole('button', { name: '09:00' })
        .click()
      await widget.locator('.span-sum').waitFor({ timeout: UI_WAIT })
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
  }, 90_000)
})

const dayButton = (widget: Locator, date: string) => widget.locator(`.span-cal [data-date="${date}"]`)

/** Pages the span calendar forward until `date`'s month is on show. */
async function showMonthOf(widget: Locator, page: Page, date: string, t: Messages): Promise<void> {
  for (let i = 0; i < 4; i++) {
    const shown = await widget
      .locator('.span-cal [data-date]')
      .evaluateAll((buttons) => buttons.map((b) => (b as HTMLElement).dataset.date ?? ''))
    const middle = shown[Math.floor(shown.length / 2)] ?? ''
    if (monthOf(middle) === monthOf(date)) return
    await widget.getByRole('button', { name: t.nextMonth }).tap()
    await page.waitForTimeout(400)
  }
}

/** The pickup instant the API offers on `date` at Berlin `time`. */
async function pickupInstant(harness: HumanHarness, slug: string, date: string, time: string) {
  const answer = await fetch(`${harness.apiUrl}/v1/resources/${slug}/spans?from=${date}&to=${date}&timezone=${ZONE}`)
  const body = (await answer.json()) as { days: { pickups?: string[] }[] }
  return body.days[0]?.pickups?.find((at) => berlinWall(new Date(at)) === `${date} ${time}`)
}

/** The return instant the API offers for a pickup at `start` on `date` at Berlin `time`. */
async function returnInstant(harness: HumanHarness, slug: string, start: number, date: string, time: string) {
  const pickup = new Date(start).toISOString()
  const answer = await fetch(
    `${harness.apiUrl}/v1/resources/${slug}/spans?from=${date}&to=${date}&timezone=${ZONE}&start=${pickup}`,
  )
  const body = (await answer.json()) as { days: { returns?: string[] }[] }
  return body.days[0]?.returns?.find((at) => berlinWall(new Date(at)) === `${date} ${time}`)
}
