import { and, eq } from 'drizzle-orm'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createAdminKey } from '../api/admin/keys'
import { weekStart } from '../console/bookings-model'
import { bookableResources, bookings, resourceSchedules } from '../drizzle/schema'
import { addDays, todayIn } from '../shared/calendar-labels'
import { en } from '../widget/i18n'
import {
  browserAvailable,
  launchChromium,
  screenshotOnFailure,
  startDemoServer,
  timeOptions,
  watchProblems,
  type DemoServer,
} from '../test/browser'

/*
 * The owner's whole job in Chromium, at machine speed (examples/console.e2e.ts types it at a
 * person's): sign in to /admin with a key, create a resource that needs the owner's
 * confirmation, give it a week with a lunch break and a closed date, see exactly those
 * times in the widget (and none on the closed date), book one there, find the pending
 * booking in the console, confirm it and read its message log.
 */

const UI_WAIT = 10_000
const ZONE = 'Europe/Berlin'
const PHONE = { width: 390, height: 844 }

describe.skipIf(!browserAvailable())('the owner console in Chromium', () => {
  let server: DemoServer
  let browser: Browser
  const pages: Page[] = []

  beforeAll(async () => {
    server = await startDemoServer()
    browser = await launchChromium()
  }, 60_000)
  afterEach(async (context) => {
    for (const [i, page] of pages.entries())
      await screenshotOnFailure(page, `${context.task.name}-${i}`, context.task.result?.state === 'fail')
    for (const page of pages.splice(0)) await page.context().close()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('sets up a resource and its hours, sees them bookable in the widget, and confirms the booking', async () => {
    const { key } = await createAdminKey(server.database.db, 'e2e')
    // A phone-sized console in Berlin with British conventions: weeks start on Monday.
    const consoleContext = await browser.newContext({ viewport: PHONE, locale: 'en-GB', timezoneId: ZONE })
    const owner = await consoleContext.newPage()
    pages.push(owner)
    const problems = await watchProblems(owner)
    const res = await owner.goto(`${server.url}/admin`)
    expect(res?.headers()['content-security-policy']).toContain("frame-ancestors 'none'")

    // 1. Sign in: a wrong key is refused in words, the right one opens the console.
    const keyField = owner.getByLabel('Admin key')
    await keyField.fill('bka_wrongwro_' + 'x'.repeat(43))
    await owner.getByRole('button', { name: 'Sign in' }).click()
    await owner.getByText('That key is not valid').waitFor({ timeout: UI_WAIT })
    await keyField.fill(key)
    await owner.getByRole('button', { name: 'Sign in' }).click()

    // 2. A resource in Berlin whose bookings the owner confirms.
    const slug = `studio-${Date.now()}`
    await owner.getByRole('button', { name: 'New resource' }).click()
    await type(owner.getByLabel('Name', { exact: true }), 'Test Studio')
    await type(owner.getByLabel('Slug', { exact: true }), slug)
    await owner.getByLabel('Time zone').selectOption(ZONE)
    await owner.getByLabel('I confirm each booking myself').check()
    await owner.getByRole('button', { name: 'Create', exact: true }).click()
    await owner.getByRole('heading', { name: 'Opening hours of Test Studio' }).waitFor({ timeout: UI_WAIT })
    const createdNote = owner.getByText(/^Created\. Paste this snippet/)
    await createdNote.waitFor({ timeout: UI_WAIT })
    const [resource] = await server.database.db.select().from(bookableResources).where(eq(bookableResources.slug, slug))
    expect(resource).toMatchObject({ name: 'Test Studio', timezone: ZONE, config: { requiresConfirmation: true } })

    // 3. Monday 09:00–17:00 in hour slots with a 12:00–13:00 lunch break, copied to every day; one date closed.
    const monday = owner.getByRole('group', { name: 'Monday', exact: true })
    await monday.getByRole('button', { name: 'Add hours' }).click()
    await type(monday.getByLabel(/^From/), '09:00')
    await type(monday.getByLabel(/^To/), '17:00')
    await type(monday.getByLabel(/^Slot/), '60')
    await monday.getByRole('button', { name: 'Add a break' }).click()
    await type(monday.getByLabel(/^Break from/), '12:00')
    await type(monday.getByLabel(/^Break to/), '13:00')
    await monday.getByRole('button', { name: 'Add break' }).click()
    await expect
      .poll(() => inputValues(monday.getByLabel(/^(From|To)/)), { message: 'Monday reads 09:00–12:00 and 13:00–17:00' })
      .toEqual(['09:00', '12:00', '13:00', '17:00'])
    await monday.getByRole('button', { name: 'Copy to all days' }).click()

    const berlinToday = todayIn(ZONE, new Date())
    const nextDay = addDays(berlinToday, 1)
    const closedDate = addDays(berlinToday, 3)
    await owner.getByRole('button', { name: 'Add a date' }).click()
    const dateForm = owner.getByRole('group', { name: 'Add a date' })
    await dateForm.getByLabel('Date', { exact: true }).fill(closedDate)
    await dateForm.getByRole('radio', { name: 'Closed all day' }).check()
    await dateForm.getByRole('button', { name: 'Add date' }).click()
    await dateForm.waitFor({ state: 'hidden', timeout: UI_WAIT })
    await owner.locator('ul.dates').getByText('Closed all day', { exact: true }).waitFor({ timeout: UI_WAIT })
    await owner.getByRole('button', { name: 'Save opening hours' }).click()
    await owner.getByText(/^Schedule saved/).waitFor({ timeout: UI_WAIT })
    await expect
      .poll(() => createdNote.count(), { message: 'the “set the opening hours below” note goes once they are saved' })
      .toBe(0)

    const rules = await server.database.db
      .select()
      .from(resourceSchedules)
      .where(eq(resourceSchedules.resourceId, resource!.id))
    expect(
      rules
        .map(
          (r) =>
            `${r.weekday ?? r.specificDate} ${r.startTime.slice(0, 5)}–${r.endTime.slice(0, 5)} ${r.isAvailable ? `${r.slotDuration} min` : 'closed'}`,
        )
        .sort(),
      'every day open 09–12 and 13–17 in hour slots, and the one date closed',
    ).toEqual(
      [
        ...[0, 1, 2, 3, 4, 5, 6].flatMap((d) => [`${d} 09:00–12:00 60 min`, `${d} 13:00–17:00 60 min`]),
        `${closedDate} 00:00–24:00 closed`,
      ].sort(),
    )

    // 4. The guest's side: the widget offers exactly those hours, in Berlin time, and nothing on the closed date.
    const guestContext = await browser.newContext({ viewport: PHONE, locale: 'en-US', timezoneId: ZONE })
    const guest = await guestContext.newPage()
    pages.push(guest)
    const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Studio</title>
      <div data-booking-resource="${slug}" data-tz="${ZONE}"></div><script src="/widget.js" async></script>`
    await guest.route(`${server.url}/studio-page`, (route) => route.fulfill({ contentType: 'text/html', body: html }))
    await guest.goto(`${server.url}/studio-page`)
    const widget = guest.locator(`[data-booking-resource="${slug}"]`)
    const day = (date: string) => widget.locator(`[role=grid] button:not(.other):text-is("${Number(date.slice(8))}")`)
    // The calendar is ready: times, or (late on the month's last day with times) "Next available".
    await timeOptions(widget)
      .first()
      .or(widget.getByRole('button', { name: en.nextAvailable('') }))
      .first()
      .waitFor({ timeout: 15_000 })
    if (nextDay.slice(0, 7) !== berlinToday.slice(0, 7))
      await widget.getByRole('button', { name: en.nextMonth }).click()
    await day(nextDay).click()
    await expect
      .poll(() => timeOptions(widget).allTextContents())
      .toEqual(['9:00 AM', '10:00 AM', '11:00 AM', '1:00 PM', '2:00 PM', '3:00 PM', '4:00 PM'])
    if (closedDate.slice(0, 7) !== nextDay.slice(0, 7)) await widget.getByRole('button', { name: en.nextMonth }).click()
    await expect
      .poll(() => day(closedDate).getAttribute('class'), { message: 'the closed date is not marked free' })
      .not.toContain('free')
    await day(closedDate).click()
    await widget.locator('.times').getByText(en.noTimesDay).waitFor({ timeout: UI_WAIT })
    expect(await timeOptions(widget).count(), 'no time on the closed date').toBe(0)

    // 5. The guest books 10:00 tomorrow; the resource needs the owner's confirmation.
    if (nextDay.slice(0, 7) !== closedDate.slice(0, 7)) await widget.getByRole('button', { name: en.prevMonth }).click()
    await day(nextDay).click()
    await timeOptions(widget).filter({ hasText: '10:00 AM' }).click()
    await type(widget.locator('input[name="name"]'), 'Olga Owner-Test')
    await type(widget.locator('input[name="email"]'), 'olga@example.com')
    await widget.getByRole('button', { name: en.book, exact: true }).click()
    await widget.getByRole('heading', { name: en.requested }).waitFor({ timeout: 15_000 })
    const ref = ((await widget.locator('.ref').first().textContent()) ?? '').trim()
    const [requested] = await server.database.db.select().from(bookings).where(eq(bookings.ref, ref))
    expect(requested, 'the booking waits for the owner').toMatchObject({
      status: 'pending',
      guestName: 'Olga Owner-Test',
    })

    // 6. The owner finds it under Bookings. The view opens on this week (Monday first), so a
    // booking tomorrow on a Sunday is in next week: move on a week, as the owner would.
    await owner.getByRole('button', { name: 'Bookings', exact: true }).click()
    await owner.getByRole('heading', { name: 'Bookings', exact: true }).waitFor({ timeout: UI_WAIT })
    if (weekStart(nextDay, 1) !== weekStart(berlinToday, 1))
      await owner.getByRole('button', { name: 'Next week' }).click()
    // At 390 px the week is a list of cards.
    const card = owner.getByRole('article').and(owner.locator(`[data-ref="${ref}"]`))
    await card.waitFor({ timeout: UI_WAIT })
    await card.locator('.status.pending').waitFor({ timeout: UI_WAIT })
    await card.getByText('Olga Owner-Test').waitFor()

    // 7. Confirm it, then read its message log.
    await card.getByRole('button', { name: 'Confirm', exact: true }).click()
    await owner.getByText(`Booking ${ref} confirmed.`).waitFor({ timeout: UI_WAIT })
    await card.locator('.status.confirmed').waitFor({ timeout: UI_WAIT })
    expect(
      await card.getByRole('button', { name: 'Confirm', exact: true }).count(),
      'a confirmed booking offers no Confirm',
    ).toBe(0)
    const [saved] = await server.database.db
      .select()
      .from(bookings)
      .where(and(eq(bookings.ref, ref), eq(bookings.resourceId, resource!.id)))
    expect(saved).toMatchObject({ status: 'confirmed', guestName: 'Olga Owner-Test' })
    await card.getByRole('button', { name: 'Messages', exact: true }).click()
    await card.getByRole('list', { name: 'Messages' }).getByText('confirmed · email').waitFor({ timeout: UI_WAIT })
    // The one 401 is the wrong key tried on purpose at sign-in.
    expect(problems.filter((p) => !p.includes('401 (Unauthorized)'))).toEqual([])
  }, 60_000)
})

/** Types into a field key by key, quickly: the console and the widget see every keystroke. */
async function type(field: Locator, text: string): Promise<void> {
  await field.fill('')
  await field.pressSequentially(text, { delay: 5 })
}

function inputValues(fields: Locator): Promise<string[]> {
  return fields.evaluateAll((elements) => elements.map((element) => (element as HTMLInputElement).value))
}
