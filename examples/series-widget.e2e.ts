import { mkdir, readFile } from 'node:fs/promises'
import ICAL from 'ical.js'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SeriesResponse } from '../shared/api-contract'
import type { AvailabilityResponse, PublicResource } from '../shared/types'
import { en } from '../widget/i18n'
import { browserAvailable, launchChromium, showFreeTimes } from '../test/browser'
import { newSession } from '../test/holds'
import { pageProblems, person, saveMessages, startHumanHarness, type HumanHarness } from '../test/human'
import { bodyOf } from '../test/mailbox'
import { findSeriesById } from '../api/series/series-store'

/*
 * A guest on a 360 px touch phone, on the owner's website (another origin than the API),
 * books the meeting room every week for four weeks. Someone else already has the second
 * date: the widget marks it taken, the guest keeps "Book the free dates only", and three
 * bookings exist under one series; the confirmation email says how it repeats and which date
 * was skipped; the confirmation's download puts all three dates in the phone's calendar.
 * Screenshots: .scratch/series-*.png.
 */

const UI_WAIT = 15_000
const PAUSE_MS = 900
const ZONE = 'Europe/Berlin'
const WEEK_MS = 7 * 86_400_000

describe.skipIf(!browserAvailable())('a guest books a weekly series from the widget at human speed', () => {
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
    if (harness) await saveMessages(harness, 'series').catch(() => {})
    await harness?.close()
  })

  const shot = async (step: string) => {
    await mkdir('.scratch', { recursive: true })
    await page?.screenshot({ path: `.scratch/series-${step}.png`, fullPage: true })
  }
  const pause = () => page!.waitForTimeout(PAUSE_MS)

  /** The first time the widget offers: the first slot of the first day with any. */
  async function firstOfferedSlot(): Promise<{ start: string; end: string }> {
    const from = new Date().toISOString().slice(0, 10)
    const to = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10)
    const answer = await fetch(
      `${harness.apiUrl}/v1/resources/meeting-room/availability?from=${from}&to=${to}&tz=${ZONE}`,
    )
    const { days } = (await answer.json()) as AvailabilityResponse
    return days.find((day) => day.slots.length > 0)!.slots[0]!
  }

  /** Someone else books `start` through the API, as another guest's browser would. */
  async function bookAsAnotherGuest(resourceId: string, start: string): Promise<void> {
    const json = { 'Content-Type': 'application/json', 'X-Booking-Session': newSession() }
    const held = await fetch(`${harness.apiUrl}/v1/holds`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ resourceId, start }),
    })
    expect(held.status).toBe(201)
    const { hold } = (await held.json()) as { hold: { id: string } }
    const booked = await fetch(`${harness.apiUrl}/v1/bookings`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ holdId: hold.id, guest: { name: 'Otto Early', email: 'otto@example.com' } }),
    })
    expect(booked.status).toBe(201)
  }

  it('marks the taken week, books the three free ones and the email says how it repeats', async () => {
    const resource = (
      (await (await fetch(`${harness.apiUrl}/v1/resources/meeting-room`)).json()) as { resource: PublicResource }
    ).resource
    const first = await firstOfferedSlot()
    const secondWeek = new Date(Date.parse(first.start) + WEEK_MS).toISOString()
    await bookAsAnotherGuest(resource.id, secondWeek)

    context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'en-GB',
      timezoneId: ZONE,
    })
    page = await context.newPage()
    const problems = await pageProblems(page)
    const url = harness.publishPage('/rooms/', {
      resource: 'meeting-room',
      locale: 'en',
      pageLang: 'en',
      title: 'Co-working Spree',
      words: {
        heading: 'Book the meeting room',
        intro: 'Pick a free time below. The confirmation comes by email.',
        footer: 'Spreeufer 5, Berlin',
      },
    })
    expect(new URL(url).origin).not.toBe(new URL(harness.apiUrl).origin)
    await page.goto(url)
    const host = page.locator('[data-booking-resource="meeting-room"]')

    try {
      // Late on a month's last day with times, the guest first taps "Next available".
      const times = await showFreeTimes(host, en.nextAvailable(''), { pause, press: (target) => target.tap() }, UI_WAIT)
      await pause()
      await times.first().tap()

      const textbox = (label: string) => host.getByRole('textbox', { name: new RegExp(`^${label}`) })
      await textbox(en.name).waitFor({ timeout: UI_WAIT })
      // Types as a person does (80–150 ms a key, from a seeded sequence), then pauses.
      const guest = person(page, 23)
      const typeInto = async (field: Locator, text: string) => {
        await guest.type(field, text)
        await pause()
      }
      await typeInto(textbox(en.name), 'Ada Lovelace')
      await typeInto(textbox(en.email), 'ada.lovelace@example.com')

      const repeat = host.getByRole('combobox', { name: en.repeat.label })
      expect(await repeat.inputValue()).toBe('0')
      await repeat.selectOption({ label: en.repeat.every(1) })
      await pause()
      await host.getByLabel(en.repeat.count, { exact: true }).selectOption({ label: en.repeat.times(4) })
      const dates = host.locator('.repeat .series-dates li')
      await expect.poll(() => dates.count(), { timeout: UI_WAIT }).toBe(4)
      const shown = await dates.allTextContents()
      expect(shown.map((text) => text.endsWith('— taken'))).toEqual([false, true, false, false])
      const freeOnly = host.getByRole('radio', { name: en.repeat.freeOnly })
      expect(await freeOnly.isChecked()).toBe(true)
      await pause()
      await shot('1-repeat')

      await host.getByRole('button', { name: en.book, exact: true }).tap()
      await host.getByRole('heading', { name: en.booked }).waitFor({ timeout: UI_WAIT })
      await host.getByText(en.repeat.booked).waitFor({ timeout: UI_WAIT })
      await shot('2-booked')
      expect(await host.locator('.series-done .series-dates').first().locator('li').count()).toBe(3)
      const ref = ((await host.locator('.ref').first().textContent()) ?? '').trim()
      const link = await host.getByRole('link', { name: en.manageLink }).getAttribute('href')
      const manage = new RegExp(`/manage#ref=${ref}&token=([\\w-]+)`).exec(link ?? '')
      expect(manage, link ?? 'no manage link').not.toBeNull()

      // The manage link's token opens the first booking and its series: three dates booked, one skipped.
      const token = manage![1]!
      const opened = await fetch(`${harness.apiUrl}/v1/bookings/${ref}`, {
        headers: { Authorization: `Bearer ${token}` },
      })
      expect(opened.status).toBe(200)
      const row = await harness.findBooking(ref)
      expect(row?.seriesId).toBeTruthy()
      const seriesRef = await seriesRefOf(row!.seriesId!)
      const seen = await fetch(`${harness.apiUrl}/v1/series/${seriesRef}`, {
        headers: { Authorization: `Bearer ${token}` },
      })
      expect(seen.status).toBe(200)
      const { series } = (await seen.json()) as SeriesResponse
      expect(series.bookings.filter((b) => b.status === 'confirmed').map((b) => b.start)).toEqual([
        new Date(first.start).toISOString(),
        new Date(Date.parse(first.start) + 2 * WEEK_MS).toISOString(),
        new Date(Date.parse(first.start) + 3 * WEEK_MS).toISOString(),
      ])
      expect(series.skippedDates).toHaveLength(1)
      expect(series.mode).toBe('skip_conflicts')

      // "Add all 3 dates": one file from the phone, one event per date booked.
      const download = host.getByRole('link', { name: en.repeat.addAll(3) })
      await download.waitFor({ timeout: UI_WAIT })
      await download.scrollIntoViewIfNeeded()
      await pause()
      await shot('3-calendar')
      const [file] = await Promise.all([page.waitForEvent('download', { timeout: UI_WAIT }), download.tap()])
      expect(file.suggestedFilename()).toBe(`series-${seriesRef}.ics`)
      const ics = await readFile((await file.path())!, 'utf8')
      const starts = new ICAL.Component(ICAL.parse(ics))
        .getAllSubcomponents('vevent')
        .map((event) => new ICAL.Event(event).startDate.toJSDate().toISOString())
      expect(starts.sort()).toEqual(series.bookings.filter((b) => b.status === 'confirmed').map((b) => b.start))
      expect(await host.getByRole('link', { name: en.repeat.googleFirst }).isVisible()).toBe(true)

      // One confirmation for the series, saying how it repeats and which date was skipped.
      const mail = await harness.mailbox.waitFor(
        'ada.lovelace@example.com',
        (m) => bodyOf(m).includes('Repeats'),
        'the series confirmation',
      )
      const text = bodyOf(mail)
      expect(text).toMatch(/Every week on \w+day at \d\d:\d\d, 3 times/)
      expect(text).toContain('Not booked (already taken)')
      expect(problems()).toEqual([])
      expect(harness.serverErrors).toEqual([])
    } catch (error) {
      await shot('FAILED').catch(() => {})
      throw error
    }
  }, 120_000)

  /** The series' public ref, read from its row (the widget shows the first booking's ref). */
  async function seriesRefOf(seriesId: string): Promise<string> {
    return (await findSeriesById(harness.database.db, seriesId))!.ref
  }
})
