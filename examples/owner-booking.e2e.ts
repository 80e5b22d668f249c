import { mkdir } from 'node:fs/promises'
import { eq } from 'drizzle-orm'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createAdminKey } from '../api/admin/keys'
import { bookings } from '../drizzle/schema'
import { addDays, todayIn } from '../shared/calendar-labels'
import { startOfDayIn } from '../console/bookings-model'
import { browserAvailable, launchChromium, screenshotOnFailure } from '../test/browser'
import { sidewaysScroll } from '../test/console-journey'
import { everyDay, insertResource } from '../test/fixtures'
import { newSession } from '../test/holds'
import { bodyOf } from '../test/mailbox'
import { openPhone, pageProblems, person, saveMessages, startHumanHarness, type HumanHarness } from '../test/human'

/*
 * A Spanish teacher's owner takes a call on a phone: Lucía wants a weekly conversation class
 * at 10:00 Madrid time for four weeks. The third of those dates is already booked by another
 * student, so the owner, typing at a person's pace, books "the free dates, skip the rest":
 * three confirmed dates on one series, the console naming the skipped date, and Lucía's
 * confirmation arriving in Spanish over the app's real outbox and SMTP.
 * Screenshots: .scratch/owner-booking-*.png.
 */

const UI_WAIT = 15_000
const ZONE = 'Europe/Madrid'
const SLUG = 'clase-conversacion'
const GUEST = { name: 'Lucía Fernández', email: 'lucia.fernandez@example.es' }

/** The instant of a Madrid wall time on `date`. */
const madrid = (date: string, hour: number) => new Date(startOfDayIn(date, ZONE) + hour * 3_600_000).toISOString()

describe.skipIf(!browserAvailable())('the owner books a weekly series for a guest on a phone', () => {
  let browser: Browser
  let harness: HumanHarness
  let owner: Page | undefined

  beforeAll(async () => {
    await mkdir('.scratch', { recursive: true })
    ;[browser, harness] = await Promise.all([launchChromium(), startHumanHarness()])
  }, 60_000)
  afterEach(async (context) => {
    await screenshotOnFailure(owner, context.task.name, context.task.result?.state === 'fail')
    await owner?.context().close()
  })
  afterAll(async () => {
    await browser?.close()
    await harness?.close()
  })

  it('books the three free dates of four, names the skipped one and emails the guest in Spanish', async () => {
    const { apiUrl, mailbox } = harness
    const db = harness.database.db
    const { key } = await createAdminKey(db, 'e2e owner booking')
    const room = await insertResource(db, {
      slug: SLUG,
      name: 'Clase de conversación',
      timezone: ZONE,
      schedules: everyDay({ startTime: '09:00', endTime: '13:00', slotDuration: 60 }),
    })

    // Two days ahead, then weekly; the third date's 10:00 is booked by another student.
    const first = addDays(todayIn(ZONE, new Date()), 2)
    const dates = [0, 1, 2, 3].map((week) => addDays(first, week * 7))
    const taken = dates[2]!
    const session = newSession()
    const asGuest = { 'Content-Type': 'application/json', 'X-Booking-Session': session }
    const held = await fetch(`${apiUrl}/v1/holds`, {
      method: 'POST',
      headers: asGuest,
      body: JSON.stringify({ resourceId: room.id, start: madrid(taken, 10) }),
    })
    expect(held.status).toBe(201)
    const { hold } = (await held.json()) as { hold: { id: string } }
    const other = await fetch(`${apiUrl}/v1/bookings`, {
      method: 'POST',
      headers: asGuest,
      body: JSON.stringify({ holdId: hold.id, guest: { name: 'Otro Alumno', email: 'otro@example.es' } }),
    })
    expect(other.status).toBe(201)

    const { page } = await openPhone(browser, { locale: 'en-GB', timezoneId: ZONE })
    owner = page
    const problems = await pageProblems(page)
    const human = person(page, 7)
    let shots = 0
    const shot = (step: string) =>
      page.screenshot({
        path: `.scratch/owner-booking-${String(++shots).padStart(2, '0')}-${step}.png`,
        fullPage: true,
      })

    await page.goto(`${apiUrl}/admin`)
    await human.type(page.getByLabel('Admin key'), key)
    await human.pause()
    await page.getByRole('button', { name: 'Sign in' }).tap()
    await page.getByRole('button', { name: 'Bookings', exact: true }).tap({ timeout: UI_WAIT })
    await page.getByRole('button', { name: 'New booking' }).tap({ timeout: UI_WAIT })
    const form = page.getByRole('region', { name: 'New booking' })
    await form.waitFor({ timeout: UI_WAIT })

    await form.getByLabel('Resource').selectOption({ label: 'Clase de conversación' })
    await human.pause()
    // A date field opens the phone's picker; what it sets is the date itself.
    await form.getByLabel('Date').fill(first)
    const ten = form.getByLabel('Time').locator('option', { hasText: /^10:00$/ })
    await ten.waitFor({ state: 'attached', timeout: UI_WAIT })
    await form.getByLabel('Time').selectOption({ label: '10:00' })
    await human.pause()
    await human.type(form.getByLabel('Guest name'), GUEST.name)
    await human.pause()
    await human.type(form.getByLabel('Email'), GUEST.email)
    await human.pause()
    await form.getByLabel('Language for messages').selectOption({ label: 'Español' })
    await human.pause()
    await human.type(form.getByLabel('Notes (optional)'), 'Clase de conversación, nivel B1')
    await human.pause()
    await form.getByLabel('Repeat', { exact: true }).selectOption({ label: 'Every week' })
    await human.retype(form.getByLabel('Number of dates'), '4')
    await human.pause()
    await form.getByRole('radio', { name: 'Book the free dates, skip the rest' }).tap()
    await shot('filled')
    expect(await sidewaysScroll(page), 'nothing scrolls sideways on the phone').toEqual([])
    await human.pause()
    await form.getByRole('button', { name: 'Book the dates' }).tap()

    const result = form.getByRole('status')
    await result.filter({ hasText: /^Booked / }).waitFor({ timeout: UI_WAIT })
    await shot('booked')
    const skippedWords = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' }).format(
      new Date(`${taken}T00:00:00Z`),
    )
    const words = (await result.textContent()) ?? ''
    expect(words).toMatch(/^Booked 3 of 4 dates \(series [A-Z0-9]+\) for Lucía Fernández, from .+, 10:00/)
    expect(words).toContain(`; skipped: ${skippedWords} — confirmation emailed to ${GUEST.email}`)
    expect(await sidewaysScroll(page), 'nothing scrolls sideways on the phone').toEqual([])

    // The database: three confirmed dates on one series, at 10:00 Madrid on the free weeks.
    const rows = await db.select().from(bookings).where(eq(bookings.guestEmail, GUEST.email))
    expect(rows).toHaveLength(3)
    expect(rows.every((r) => r.status === 'confirmed')).toBe(true)
    expect(new Set(rows.map((r) => r.seriesId)).size).toBe(1)
    expect(rows[0]!.seriesId).toBeTruthy()
    expect(rows.every((r) => r.locale === 'es')).toBe(true)
    expect(rows.map((r) => r.startsAt.toISOString()).sort()).toEqual(
      [dates[0]!, dates[1]!, dates[3]!].map((d) => new Date(madrid(d, 10)).toISOString()),
    )

    // The list behind the form is reloaded with them; the form closes on request.
    await form.getByRole('button', { name: 'Close' }).tap()
    await page.getByRole('button', { name: 'New booking' }).waitFor({ timeout: UI_WAIT })
    await shot('list')

    // Lucía's confirmation, in Spanish.
    const mail = await mailbox.waitFor(GUEST.email, () => true, 'the confirmation', 20_000)
    // To read beside the screenshots: test-results/human-owner-booking-messages.txt.
    await saveMessages(harness, 'owner-booking')
    const text = bodyOf(mail)
    expect(mail.subject ?? '').toMatch(/^Reservado: Clase de conversación, /)
    expect(text).toContain('Hola Lucía Fernández')
    expect(text).toContain('tu reserva está confirmada')
    // The skipped date is named to the guest too, and the manage page opens in Spanish.
    expect(text).toMatch(/No reservadas \(ya ocupadas\): /)
    expect(text).toMatch(/\/manage#\S*lang=es/)
    expect(text).not.toMatch(/your booking|Booked:/i)
    expect(problems()).toEqual([])
    expect(harness.serverErrors).toEqual([])
  }, 180_000)
})
