import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createAdminKey } from '../api/admin/keys'
import type { AvailabilityResponse } from '../shared/types'
import {
  browserAvailable,
  launchChromium,
  screenshotOnFailure,
  startDemoServer,
  type DemoServer,
} from '../test/browser'
import { everyDay, insertResource } from '../test/fixtures'
import { icsCalendar, startIcsServer, type IcsServer } from '../test/ics-server'

/*
 * An owner on a phone connects a room's booking-platform calendar: pastes its address,
 * names it, picks how often it is checked; the busy times stop being offered to guests (read
 * from outside, as a guest's widget reads them). The platform then fails: a refresh shows
 * why and that the last good busy times still apply. Removing the calendar frees them.
 * Screenshots: .scratch/busy-calendars-*.png.
 */

const UI_WAIT = 15_000
const PHONE = { width: 390, height: 844 }
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function typeLike(field: Locator, text: string) {
  await field.click()
  await field.pressSequentially(text, { delay: 60 + Math.floor(Math.random() * 30) })
  await pause(700)
}

/** `YYYY-MM-DD` and `YYYYMMDD` of the day `days` after today (UTC). */
const dayAfter = (days: number) => {
  const iso = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)
  return { iso, ics: iso.replaceAll('-', '') }
}

describe.skipIf(!browserAvailable())('busy calendars in the console', () => {
  let server: DemoServer
  let calendars: IcsServer
  let browser: Browser
  let owner: Page | undefined

  beforeAll(async () => {
    server = await startDemoServer()
    calendars = await startIcsServer()
    browser = await launchChromium()
  }, 60_000)
  afterEach(async (context) => {
    await screenshotOnFailure(owner, context.task.name, context.task.result?.state === 'fail')
    await owner?.context().close()
  })
  afterAll(async () => {
    await browser?.close()
    await calendars?.close()
    await server?.close()
  })

  it('imports a calendar’s busy times, shows a failed refresh, and frees the times when removed', async () => {
    const db = server.database.db
    const { key } = await createAdminKey(db, 'e2e busy calendars')
    const resource = await insertResource(db, {
      name: 'Loft Nord',
      slug: `loft-${Date.now()}`,
      timezone: 'Europe/Berlin',
      schedules: everyDay({ startTime: '08:00', endTime: '18:00', slotDuration: 60 }),
    })
    const [meeting, away] = [dayAfter(5), dayAfter(6)]
    calendars.set('/loft.ics', {
      body: icsCalendar(
        [
          'BEGIN:VEVENT',
          'UID:stay-1@platform',
          'DTSTAMP:20260101T000000Z',
          `DTSTART;TZID=Europe/Berlin:${meeting.ics}T100000`,
          `DTEND;TZID=Europe/Berlin:${meeting.ics}T120000`,
          'END:VEVENT',
        ],
        [
          'BEGIN:VEVENT',
          'UID:stay-2@platform',
          'DTSTAMP:20260101T000000Z',
          `DTSTART;VALUE=DATE:${away.ics}`,
          'END:VEVENT',
        ],
      ),
    })
    /** Local start times a guest is offered on `day`, read from outside the browser. */
    const offered = async (day: string) => {
      const res = await fetch(
        `${server.url}/v1/resources/${resource.slug}/availability?from=${day}&to=${day}&tz=Europe/Berlin`,
      )
      const body = (await res.json()) as AvailabilityResponse
      return body.days.flatMap((d) =>
        d.slots.map((s) =>
          new Date(s.start).toLocaleTimeString('en-GB', {
            timeZone: 'Europe/Berlin',
            hour: '2-digit',
            minute: '2-digit',
          }),
        ),
      )
    }
    expect(await offered(meeting.iso)).toContain('10:00')

    const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true, locale: 'en-GB' })
    owner = await context.newPage()
    const page = owner
    await page.goto(`${server.url}/admin`)
    await typeLike(page.getByLabel('Admin key'), key)
    await page.getByRole('button', { name: 'Sign in' }).tap()
    await page.getByRole('button', { name: 'Edit Loft Nord' }).tap({ timeout: UI_WAIT })

    // 1. Added: address, name, interval.
    const panel = page.locator('section', { has: page.getByRole('heading', { name: 'Busy calendars' }) })
    await panel.getByText('No calendars yet.').waitFor({ timeout: UI_WAIT })
    await panel.scrollIntoViewIfNeeded()
    await typeLike(panel.getByLabel('Calendar address (iCal)'), calendars.url('/loft.ics'))
    await typeLike(panel.getByLabel('Name (optional)'), 'Loft (Airbnb)')
    await panel.getByLabel('Check for changes').selectOption('15')
    await pause(800)
    await panel.getByRole('button', { name: 'Add calendar' }).tap()
    await panel.getByText('Calendar added: 2 busy times imported.').waitFor({ timeout: UI_WAIT })
    const item = panel.getByRole('listitem').filter({ hasText: 'Loft (Airbnb)' })
    await expect(item.textContent()).resolves.toMatch(/checked every 15 minutes.*Last synced .* · 2 busy times/)
    await page.screenshot({ path: '.scratch/busy-calendars-added.png' })

    // What guests are offered: not the busy hours, nothing on the all-day event's day.
    const meetingDay = await offered(meeting.iso)
    expect(meetingDay).not.toContain('10:00')
    expect(meetingDay).not.toContain('11:00')
    expect(meetingDay).toContain('12:00')
    expect(await offered(away.iso)).toEqual([])

    // 2. The platform fails: the refresh says why, and the last good busy times still apply.
    calendars.set('/loft.ics', { status: 500, body: 'Internal Server Error' })
    await pause(600)
    await item.getByRole('button', { name: 'Refresh now' }).tap()
    await panel.getByText('The calendar could not be read.').waitFor({ timeout: UI_WAIT })
    await expect(item.locator('.error').textContent()).resolves.toMatch(
      /The last fetch failed .*The calendar host answered HTTP 500\. The busy times from .* still apply\./,
    )
    await item.scrollIntoViewIfNeeded()
    await page.screenshot({ path: '.scratch/busy-calendars-failed.png' })
    expect(await offered(meeting.iso)).not.toContain('10:00')

    // 3. Removed after the warning: the times are offered again.
    let warning = ''
    page.once('dialog', (dialog) => {
      warning = dialog.message()
      void dialog.accept()
    })
    await pause(600)
    await item.getByRole('button', { name: 'Remove' }).tap()
    await panel.getByText('Loft (Airbnb) removed.').waitFor({ timeout: UI_WAIT })
    expect(warning).toContain('stop blocking Loft Nord')
    expect(await offered(meeting.iso)).toContain('10:00')
    expect(await offered(away.iso)).toHaveLength(10)
  }, 120_000)
})
