import { mkdir } from 'node:fs/promises'
import { eq } from 'drizzle-orm'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStripeGateway } from '../api/payments/stripe-gateway'
import { bookings } from '../drizzle/schema'
import { formatMoney } from '../shared/money'
import de from '../widget/locales/de'
import { browserAvailable, launchChromium, showFreeTimes } from '../test/browser'
import { FAKE_WEBHOOK_SECRET, startFakeStripe, type FakeStripe } from '../test/fake-stripe'
import { everyDay, insertResource } from '../test/fixtures'
import { openPhone, pageProblems, person, saveMessages, startHumanHarness, type HumanHarness } from '../test/human'
import { bodyOf, invitesOf } from '../test/mailbox'

/*
 * A German guest on a 360 px touch phone, on a studio's own website (another origin than
 * the API), books a yoga class that is paid in full online, every week for four weeks. The
 * widget says what the four dates cost now, the card step takes one payment for all of
 * them (a stand-in for Stripe.js authorizes at the local Stripe-shaped server, whose signed
 * webhook reaches the API), and the confirmation lists the four dates. In the database:
 * four confirmed dates of one series, each with its share captured from one PaymentIntent.
 * Screenshots: .scratch/series-payment-*.png.
 */

const UI_WAIT = 15_000
const PAUSE_MS = 900
const ZONE = 'Europe/Berlin'
const PRICE = 3500
const GUEST_EMAIL = 'greta.sommer@example.de'

/** Spaces as people read them: Intl writes "35,00 €" with a no-break space. */
const plain = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim()

describe.skipIf(!browserAvailable())('a German guest books and pays a weekly series from the widget', () => {
  let browser: Browser
  let stripe: FakeStripe
  let harness: HumanHarness
  let context: BrowserContext | undefined
  let page: Page | undefined

  beforeAll(async () => {
    stripe = await startFakeStripe()
    const payments = createStripeGateway({
      secretKey: 'sk_test_e2e',
      publishableKey: 'pk_test_e2e',
      webhookSecret: FAKE_WEBHOOK_SECRET,
      apiBase: stripe.url,
    })
    ;[browser, harness] = await Promise.all([launchChromium(), startHumanHarness({ payments })])
    await insertResource(harness.database.db, {
      slug: 'yoga-kurs',
      name: 'Yoga am Abend',
      config: {
        payment: 'full',
        price: { amount: PRICE, currency: 'EUR' },
        cancellationPolicy: { free_cancellation_hours: 24 },
      },
      schedules: everyDay({ startTime: '08:00', endTime: '20:00', slotDuration: 60 }),
    })
  }, 60_000)

  afterAll(async () => {
    await context?.close()
    await browser?.close()
    if (harness) await saveMessages(harness, 'series-payment').catch(() => {})
    await harness?.close()
    await stripe?.close()
  })

  const shot = async (step: string) => {
    await mkdir('.scratch', { recursive: true })
    await page?.screenshot({ path: `.scratch/series-payment-${step}.png`, fullPage: true })
  }
  const pause = () => page!.waitForTimeout(PAUSE_MS)

  it('shows the total for four dates, takes one card payment and confirms every date', async () => {
    ;({ context, page } = await openPhone(browser, { locale: 'de-DE', timezoneId: ZONE }))
    const problems = await pageProblems(page)

    // What a real card authorization does at Stripe, then Stripe's signed webhook to the API.
    await page.exposeFunction('__authorizeCard', async (clientSecret: string) => {
      const intentId = clientSecret.split('_secret_')[0]!
      stripe.authorize(intentId)
      const event = stripe.signedEvent('payment_intent.amount_capturable_updated', intentId)
      const res = await fetch(`${harness.apiUrl}/v1/webhooks/stripe`, {
        method: 'POST',
        headers: { 'Stripe-Signature': event.signature },
        body: event.body,
      })
      return res.status
    })
    // The studio's page: the widget script from the API's origin, mounted with the Stripe.js
    // stand-in through the `loadStripe` seam (js.stripe.com is out of reach offline).
    harness.site.publish(
      '/kurse/',
      `<!doctype html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Yogastudio Sommer</title>
  <link rel="icon" href="data:,">
  <style>body { margin: 0; font: 16px/1.5 Georgia, serif; background: #faf7f2; } main { padding: 16px; }</style>
</head>
<body>
  <main>
    <h1>Yoga am Abend buchen</h1>
    <p>Wählen Sie einen freien Termin. Die Bestätigung kommt per E-Mail.</p>
    <div id="booking"></div>
    <script src="${harness.apiUrl}/widget.js"></script>
    <script>
      let secret
      const standIn = {
        elements: (options) => { secret = options.clientSecret; return { create: () => ({ mount: (el) => { el.textContent = 'Kartenformular (Platzhalter)' }, destroy() {} }) } },
        confirmPayment: async () => { await window.__authorizeCard(secret); return { paymentIntent: { id: 'pi', status: 'requires_capture' } } },
      }
      window.Booking.mount(document.getElementById('booking'), {
        resource: 'yoga-kurs', apiUrl: '${harness.apiUrl}', locale: 'de', loadStripe: async () => standIn,
      })
    </script>
  </main>
</body>
</html>
`,
    )
    const url = `${harness.site.origin}/kurse/`
    expect(new URL(url).origin).not.toBe(new URL(harness.apiUrl).origin)
    await page.goto(url)
    const host = page.locator('#booking')

    try {
      // Late on a month's last day with times, the guest first taps "Next available".
      const times = await showFreeTimes(host, de.nextAvailable(''), { pause, press: (target) => target.tap() }, UI_WAIT)
      await pause()
      await times.first().tap()

      const textbox = (label: string) => host.getByRole('textbox', { name: new RegExp(`^${label}`) })
      await textbox(de.name).waitFor({ timeout: UI_WAIT })
      // Types as a person does (80–150 ms a key, from a seeded sequence), then pauses.
      const guest = person(page, 31)
      const typeInto = async (field: Locator, text: string) => {
        await guest.type(field, text)
        await pause()
      }
      await typeInto(textbox(de.name), 'Greta Sommer')
      await typeInto(textbox(de.email), GUEST_EMAIL)

      const repeat = host.getByRole('combobox', { name: de.repeat.label })
      await repeat.selectOption({ label: de.repeat.every(1) })
      await pause()
      await host.getByLabel(de.repeat.count, { exact: true }).selectOption({ label: de.repeat.times(4) })
      const dates = host.locator('.repeat .series-dates li')
      await expect.poll(() => dates.count(), { timeout: UI_WAIT }).toBe(4)
      expect((await dates.allTextContents()).every((text) => text.endsWith('– frei'))).toBe(true)
      const each = formatMoney(PRICE, 'EUR', 'de')
      const total = formatMoney(4 * PRICE, 'EUR', 'de')
      expect(plain(each)).toBe('35,00 €')
      const due = host.locator('.repeat .series-due')
      await due.waitFor({ timeout: UI_WAIT })
      expect(plain(await due.textContent())).toBe(plain(de.repeat.dueNow(4, each, total)))
      expect(plain(await due.textContent())).toBe('4 Termine × 35,00 € = 140,00 €, jetzt zu zahlen')
      await pause()
      await shot('1-repeat')

      await host.getByRole('button', { name: de.continueToPay }).tap()
      await host.getByText('Kartenformular (Platzhalter)').waitFor({ timeout: UI_WAIT })
      await host.getByRole('heading', { name: de.paymentTitle }).waitFor()
      expect(plain(await host.locator('.series-due').textContent())).toBe(plain(de.repeat.payFor(4, 1, total)))
      const pay = host.getByRole('button', { name: de.pay(total) })
      await pay.waitFor({ timeout: UI_WAIT })
      await pause()
      await shot('2-pay')

      await pay.tap()
      await host.getByRole('heading', { name: de.booked }).waitFor({ timeout: 30_000 })
      await host.getByText(de.repeat.booked).waitFor({ timeout: UI_WAIT })
      const listed = host.locator('.series-done .series-dates li')
      expect(await listed.count()).toBe(4)
      await pause()
      await shot('3-booked')

      // Four dates of one series, each confirmed with its share captured from ONE PaymentIntent.
      const ref = plain(await host.locator('.ref').first().textContent())
      const first = await harness.findBooking(ref)
      expect(first?.seriesId).toBeTruthy()
      const rows = await harness.database.db.select().from(bookings).where(eq(bookings.seriesId, first!.seriesId!))
      expect(rows).toHaveLength(4)
      for (const row of rows) {
        expect(row).toMatchObject({
          status: 'confirmed',
          paymentStatus: 'captured',
          amountCaptured: PRICE,
          guestEmail: GUEST_EMAIL,
          locale: 'de',
        })
      }
      const intents = new Set(rows.map((row) => row.paymentIntentId))
      expect(intents.size).toBe(1)
      const intentId = [...intents][0]!
      expect(intentId).toBeTruthy()
      expect(stripe.intent(intentId).amount_received).toBe(4 * PRICE)
      // The dates the widget listed are the four booked, a week apart.
      const starts = rows.map((row) => row.startsAt.getTime()).sort((a, b) => a - b)
      expect(starts.slice(1).map((start, i) => start - starts[i]!)).toEqual(Array(3).fill(7 * 86_400_000))

      // The German confirmation names the first date and how it repeats: every week, four times, until the last.
      const mail = await harness.mailbox.waitFor(
        GUEST_EMAIL,
        (m) => bodyOf(m).includes('Wiederholung'),
        'the German series confirmation',
        20_000,
      )
      const text = plain(bodyOf(mail))
      const longDate = new Intl.DateTimeFormat('de', { dateStyle: 'full', timeZone: ZONE })
      expect(text).toContain(`Wann: ${longDate.format(starts[0]!)}`)
      expect(text).toMatch(/Jede Woche am \w+ um \d\d:\d\d Uhr, 4-mal/)
      const lastDay = new Intl.DateTimeFormat('de', { day: 'numeric', timeZone: ZONE }).format(starts[3]!)
      expect(text).toMatch(new RegExp(`4-mal \\(bis ${lastDay}\\. `))
      // Its calendar file holds every date.
      const ics = invitesOf(mail)
        .map((invite) => invite.raw)
        .join('\n')
      for (const start of starts)
        expect(ics).toContain(`DTSTART:${new Date(start).toISOString().replace(/[-:]|\.\d{3}/g, '')}`)
      expect(problems()).toEqual([])
      expect(harness.serverErrors).toEqual([])
    } catch (error) {
      await shot('FAILED').catch(() => {})
      throw error
    }
  }, 120_000)
})
