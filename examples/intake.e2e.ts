import { mkdir } from 'node:fs/promises'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AdminBookingResponse, AdminResourceResponse, AdminResourcesResponse } from '../shared/api-contract'
import type { IntakeQuestion } from '../shared/resource-config'
import de from '../widget/locales/de'
import { createAdminKey } from '../api/admin/keys'
import { browserAvailable, launchChromium, showFreeTimes } from '../test/browser'
import {
  describedBy,
  OWNER_EMAIL,
  pageProblems,
  saveMessages,
  startHumanHarness,
  type HumanHarness,
} from '../test/human'
import { bodyOf } from '../test/mailbox'

/*
 * The owner asks questions when guests book (a company, a level, the terms, how many come),
 * and a German guest on a 360 px touch phone answers them on the owner's own website
 * (another origin than the booking API), typing a key every ~75 ms and stopping between
 * fields. The first tap on "Buchen" with the terms unticked is refused on that box, in
 * German, with every answer still there; then the booking goes through, the owner's email
 * lists the answers and the owner API reads them in words. Screenshots: .scratch/intake-*.png.
 */

const UI_WAIT = 15_000
const KEY_DELAY_MS = 75
const PAUSE_MS = 900

const QUESTIONS: IntakeQuestion[] = [
  { id: 'company', type: 'short_text', label: { en: 'Company', de: 'Firma' } },
  {
    id: 'level',
    type: 'single_choice',
    label: { en: 'Experience', de: 'Erfahrung' },
    required: true,
    choices: [
      { id: 'new', label: { en: 'First time', de: 'Zum ersten Mal' } },
      { id: 'regular', label: { en: 'Regular', de: 'Regelmäßig' } },
    ],
  },
  { id: 'people', type: 'number', label: { en: 'People', de: 'Personen' }, min: 1, max: 12 },
  {
    id: 'terms',
    type: 'checkbox',
    label: { en: 'I accept the house rules', de: 'Ich akzeptiere die Hausordnung' },
    required: true,
  },
]

describe.skipIf(!browserAvailable())('a German guest answers the owner’s questions at human speed', () => {
  let browser: Browser
  let harness: HumanHarness
  let context: BrowserContext | undefined
  let page: Page | undefined
  let admin: (method: string, path: string, body?: unknown) => Promise<Response>

  beforeAll(async () => {
    ;[browser, harness] = await Promise.all([launchChromium(), startHumanHarness()])
    const { key } = await createAdminKey(harness.database.db, 'intake e2e')
    admin = (method, path, body) =>
      fetch(`${harness.apiUrl}/v1/admin${path}`, {
        method,
        headers: { Authorization: `Bearer ${key}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      })
    // The owner adds the questions to the meeting room, keeping its other settings.
    const list = (await (await admin('GET', '/resources')).json()) as AdminResourcesResponse
    const room = list.resources.find((r) => r.slug === 'meeting-room')!
    const saved = await admin('PATCH', `/resources/${room.id}`, { config: { ...room.config, questions: QUESTIONS } })
    expect(saved.status).toBe(200)
    expect(((await saved.json()) as AdminResourceResponse).resource.config.questions).toEqual(QUESTIONS)
  }, 60_000)

  afterAll(async () => {
    await context?.close()
    await browser?.close()
    if (harness) await saveMessages(harness, 'intake').catch(() => {})
    await harness?.close()
  })

  const shot = async (step: string) => {
    await mkdir('.scratch', { recursive: true })
    await page?.screenshot({ path: `.scratch/intake-${step}.png`, fullPage: true })
  }
  const pause = () => page!.waitForTimeout(PAUSE_MS)

  it('refuses the unticked terms in German keeping every answer, then books; the owner reads the answers', async () => {
    context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
    })
    page = await context.newPage()
    const problems = await pageProblems(page)
    const url = harness.publishPage('/kurse/', {
      resource: 'meeting-room',
      locale: 'de',
      pageLang: 'de',
      title: 'Coworking an der Spree',
      words: {
        heading: 'Besprechungsraum buchen',
        intro: 'Wählen Sie unten einen freien Termin. Die Bestätigung kommt per E-Mail.',
        footer: 'Spreeufer 5, Berlin',
      },
    })
    expect(new URL(url).origin).not.toBe(new URL(harness.apiUrl).origin)
    await page.goto(url)
    const host = page.locator('[data-booking-resource="meeting-room"]')

    try {
      // Late on a month's last day with times, the guest first taps "Next available".
      const times = await showFreeTimes(host, de.nextAvailable(''), { pause, press: (target) => target.tap() }, UI_WAIT)
      await pause()
      await times.first().tap()

      const textbox = (label: string) => host.getByRole('textbox', { name: new RegExp(`^${label}`) })
      await textbox(de.name).waitFor({ timeout: UI_WAIT })
      await shot('1-form')
      const typeInto = async (field: Locator, text: string) => {
        await field.tap()
        await field.pressSequentially(text, { delay: KEY_DELAY_MS })
        await pause()
      }
      await typeInto(textbox(de.name), 'Grete Müller')
      await typeInto(textbox(de.email), 'grete.mueller@example.de')
      await typeInto(textbox('Firma'), 'Müller & Co')
      const level = host.getByRole('group', { name: /Erfahrung/ })
      await level.getByRole('radio', { name: 'Regelmäßig' }).tap()
      await pause()
      await typeInto(textbox('Personen'), '3')
      const terms = host.getByRole('checkbox', { name: /Ich akzeptiere die Hausordnung/ })
      expect(await terms.isChecked()).toBe(false)
      await shot('2-typed')

      // The guest forgets the house rules.
      await host.getByRole('button', { name: de.book, exact: true }).tap()
      await expect.poll(() => terms.getAttribute('aria-invalid'), { timeout: UI_WAIT }).toBe('true')
      expect(await describedBy(terms)).toBe(de.intake.mustAccept)
      await shot('3-refused')
      expect(await textbox(de.name).inputValue()).toBe('Grete Müller')
      expect(await textbox(de.email).inputValue()).toBe('grete.mueller@example.de')
      expect(await textbox('Firma').inputValue()).toBe('Müller & Co')
      expect(await level.getByRole('radio', { name: 'Regelmäßig' }).isChecked()).toBe(true)
      expect(await textbox('Personen').inputValue()).toBe('3')

      await pause()
      await terms.tap()
      expect(await terms.getAttribute('aria-invalid')).toBeNull()
      await pause()
      await host.getByRole('button', { name: de.book, exact: true }).tap()
      await host.getByRole('heading', { name: de.booked }).waitFor({ timeout: UI_WAIT })
      await shot('4-booked')
      const ref = ((await host.locator('.ref').first().textContent()) ?? '').trim()
      expect(ref).toMatch(/^[0-9A-Z]{8}$/)

      const row = await harness.findBooking(ref)
      expect(row?.answers).toEqual({ company: 'Müller & Co', level: 'regular', people: 3, terms: true })
      expect(row?.questionsAsked).toEqual(QUESTIONS)

      // The owner's notice, in the booking's language, over SMTP.
      const notice = await harness.mailbox.waitFor(
        OWNER_EMAIL,
        (m) => (m.subject ?? '').includes(ref),
        'the new-booking notice',
      )
      const text = bodyOf(notice)
      for (const line of [
        'Firma: Müller & Co',
        'Erfahrung: Regelmäßig',
        'Personen: 3',
        'Ich akzeptiere die Hausordnung: Ja',
      ])
        expect(text).toContain(line)

      const view = (await (await admin('GET', `/bookings/${row!.id}`)).json()) as AdminBookingResponse
      expect(view.booking.answersReadable).toEqual([
        { questionId: 'company', question: 'Company', answer: 'Müller & Co' },
        { questionId: 'level', question: 'Experience', answer: 'Regular' },
        { questionId: 'people', question: 'People', answer: '3' },
        { questionId: 'terms', question: 'I accept the house rules', answer: 'Yes' },
      ])
      expect(problems()).toEqual([])
      expect(harness.serverErrors).toEqual([])
    } catch (error) {
      await shot('FAILED').catch(() => {})
      throw error
    }
  }, 120_000)
})
