import { mkdir } from 'node:fs/promises'
import { asc, eq } from 'drizzle-orm'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createAdminKey } from '../api/admin/keys'
import { bookings } from '../drizzle/schema'
import { addDays, todayIn } from '../shared/calendar-labels'
import { dayLabel, startOfDayIn } from '../console/bookings-model'
import { browserAvailable, launchChromium, screenshotOnFailure } from '../test/browser'
import { sidewaysScroll } from '../test/console-journey'
import { everyDay, insertResource } from '../test/fixtures'
import { bodyOf } from '../test/mailbox'
import { openPhone, pageProblems, person, saveMessages, startHumanHarness, type HumanHarness } from '../test/human'

/*
 * A Spanish teacher's owner, on a phone, moves Lucía's weekly conversation class: first one
 * date alone to 12:00 (a quick pick of that day's free times), then, from the series' next
 * date, that date and every later one to the next day at 11:00 (typed). The date already
 * held last week stays where it was; Lucía is told of each move in Spanish.
 * Screenshots: .scratch/owner-move-*.png.
 */

const UI_WAIT = 15_000
const ZONE = 'Europe/Madrid'
const GUEST = { name: 'Lucía Fernández', email: 'lucia.fernandez@example.es' }

type Ref = { id: string; ref: string }

/** The instant of a Madrid wall time on `date`. */
const madrid = (date: string, hour: number) => new Date(startOfDayIn(date, ZONE) + hour * 3_600_000).toISOString()

describe.skipIf(!browserAvailable())('the owner moves dates of a weekly series on a phone', () => {
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

  it('moves one date, then that series from its next date on, and Lucía is told in Spanish', async () => {
    const { apiUrl, mailbox } = harness
    const db = harness.database.db
    const { key } = await createAdminKey(db, 'e2e owner move')
    const room = await insertResource(db, {
      slug: 'clase-conversacion',
      name: 'Clase de conversación',
      timezone: ZONE,
      schedules: everyDay({ startTime: '09:00', endTime: '13:00', slotDuration: 60 }),
    })

    // Four weekly dates at 10:00 Madrid, booked by the owner for Lucía in Spanish.
    const today = todayIn(ZONE, new Date())
    const dates = [0, 1, 2, 3].map((week) => addDays(today, 2 + week * 7))
    const made = await fetch(`${apiUrl}/v1/admin/bookings`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        resourceId: room.id,
        start: madrid(dates[0]!, 10),
        end: madrid(dates[0]!, 11),
        guest: GUEST,
        locale: 'es',
        repeat: { everyWeeks: 1, occurrences: 4 },
      }),
    })
    expect(made.status).toBe(201)
    const seriesRef = ((await made.json()) as { series: { ref: string } }).series.ref
    const rowsOf = () =>
      db.select().from(bookings).where(eq(bookings.guestEmail, GUEST.email)).orderBy(asc(bookings.startsAt))
    const booked = await rowsOf()
    expect(booked).toHaveLength(4)
    const [held, next, third, fourth] = booked.map((row) => ({ id: row.id, ref: row.ref })) as [Ref, Ref, Ref, Ref]
    // The first class was held last week: it is past, and stays where it is.
    const lastWeek = addDays(today, -5)
    await db
      .update(bookings)
      .set({ startsAt: new Date(madrid(lastWeek, 10)), endsAt: new Date(madrid(lastWeek, 11)), status: 'completed' })
      .where(eq(bookings.id, held.id))

    const { page } = await openPhone(browser, { locale: 'en-GB', timezoneId: ZONE })
    owner = page
    const problems = await pageProblems(page)
    const human = person(page, 11)
    let shots = 0
    const shot = (step: string) =>
      page.screenshot({ path: `.scratch/owner-move-${String(++shots).padStart(2, '0')}-${step}.png`, fullPage: true })

    await page.goto(`${apiUrl}/admin`)
    await human.type(page.getByLabel('Admin key'), key)
    await human.pause()
    await page.getByRole('button', { name: 'Sign in' }).tap()
    await page.getByRole('button', { name: 'Bookings', exact: true }).tap({ timeout: UI_WAIT })

    /** The card of a booking, found by going to its day. */
    const cardOf = async (date: string, ref: string): Promise<Locator> => {
      await page.getByLabel('Go to date').fill(date)
      const card = page.locator(`article[data-ref="${ref}"]`)
      await card.waitFor({ timeout: UI_WAIT })
      return card
    }
    const status = page.getByRole('status').filter({ hasText: /^Moved / })

    // 1. Only the third date, to 12:00 that same day (a quick pick).
    let card = await cardOf(dates[2]!, third.ref)
    await card.getByRole('button', { name: 'Move…' }).tap()
    let form = card.getByRole('form', { name: new RegExp(`^Move ${third.ref}`) })
    await form.waitFor({ timeout: UI_WAIT })
    expect(await form.textContent()).toContain('in Madrid time')
    expect(await form.getByLabel('New date').inputValue()).toBe(dates[2])
    expect(await form.getByLabel('New time').inputValue()).toBe('10:00')
    // Not the series' next date: moving the later ones together is offered from that one.
    await expect
      .poll(() => form.getByRole('radio', { name: 'This date and every later one' }).isDisabled(), { timeout: UI_WAIT })
      .toBe(true)
    expect(await form.getByRole('radio', { name: 'Only this date' }).isChecked()).toBe(true)
    await human.pause()
    await form.getByRole('button', { name: '12:00' }).tap({ timeout: UI_WAIT })
    await shot('one-date')
    expect(await sidewaysScroll(page), 'nothing scrolls sideways on the phone').toEqual([])
    await human.pause()
    await form.getByRole('button', { name: 'Move', exact: true }).tap()
    await status.waitFor({ timeout: UI_WAIT })
    expect(await status.textContent()).toBe(`Moved ${third.ref} to ${dayLabel(dates[2]!, 'en-GB', 'short')}, 12:00`)
    await shot('one-date-moved')
    const afterOne = await rowsOf()
    expect(afterOne.map((r) => [r.ref, r.startsAt.toISOString()])).toEqual([
      [held.ref, madrid(lastWeek, 10)],
      [next.ref, madrid(dates[1]!, 10)],
      [third.ref, madrid(dates[2]!, 12)],
      [fourth.ref, madrid(dates[3]!, 10)],
    ])
    const single = await mailbox.waitFor(
      GUEST.email,
      (mail) => (mail.subject ?? '').startsWith('Reprogramado:'),
      'the moved email',
      20_000,
    )
    expect(bodyOf(single)).toContain('tu reserva ha cambiado de fecha u hora')

    // 2. From the series' next date: it and every later one to the next day, 11:00 (typed).
    card = await cardOf(dates[1]!, next.ref)
    await card.getByRole('button', { name: 'Move…' }).tap()
    form = card.getByRole('form', { name: new RegExp(`^Move ${next.ref}`) })
    const later = form.getByRole('radio', { name: 'This date and every later one' })
    await expect.poll(() => later.isEnabled(), { timeout: UI_WAIT }).toBe(true)
    await human.pause()
    await later.tap()
    expect(await form.textContent()).toContain('keeps the weekday shift and the time')
    const newDate = addDays(dates[1]!, 1)
    // A date field opens the phone's picker; what it sets is the date itself.
    await form.getByLabel('New date').fill(newDate)
    await human.pause()
    const time = form.getByLabel('New time')
    await time.tap()
    await time.pressSequentially('1100', { delay: 120 })
    expect(await time.inputValue()).toBe('11:00')
    await shot('series')
    expect(await sidewaysScroll(page), 'nothing scrolls sideways on the phone').toEqual([])
    await human.pause()
    await form.getByRole('button', { name: 'Move', exact: true }).tap()
    await status.filter({ hasText: 'series' }).waitFor({ timeout: UI_WAIT })
    expect(await status.textContent()).toBe(
      `Moved 3 dates of series ${seriesRef}, from ${dayLabel(newDate, 'en-GB', 'short')}, 11:00`,
    )
    await shot('series-moved')

    // The database: each later date one day on at 11:00 (the one moved alone too); last week's stays.
    const afterSeries = await rowsOf()
    expect(afterSeries.map((r) => [r.ref, r.startsAt.toISOString(), r.endsAt.toISOString()])).toEqual([
      [held.ref, madrid(lastWeek, 10), madrid(lastWeek, 11)],
      [next.ref, madrid(addDays(dates[1]!, 1), 11), madrid(addDays(dates[1]!, 1), 12)],
      [third.ref, madrid(addDays(dates[2]!, 1), 11), madrid(addDays(dates[2]!, 1), 12)],
      [fourth.ref, madrid(addDays(dates[3]!, 1), 11), madrid(addDays(dates[3]!, 1), 12)],
    ])

    // Lucía hears of the whole series moved, in Spanish.
    const seriesMail = await mailbox.waitFor(
      GUEST.email,
      (mail) => mail !== single && (mail.subject ?? '').startsWith('Reprogramado:'),
      'the series moved email',
      20_000,
    )
    await saveMessages(harness, 'owner-move')
    const text = bodyOf(seriesMail)
    expect(seriesMail.subject ?? '').toMatch(/^Reprogramado: Clase de conversación, .+ a las 11:00, 3 fechas desde /)
    expect(text).toContain('Hola Lucía Fernández')
    expect(text).toMatch(/tu reserva semanal ha cambiado de .+ a las 10:00 a .+ a las 11:00: 3 fechas desde /)
    expect(text).not.toMatch(/your booking|has been moved/i)
    expect(problems()).toEqual([])
    expect(harness.serverErrors).toEqual([])
  }, 240_000)
})
