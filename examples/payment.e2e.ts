import { eq } from 'drizzle-orm'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createStripeGateway } from '../api/payments/stripe-gateway'
import { bookings } from '../drizzle/schema'
import {
  browserAvailable,
  launchChromium,
  screenshotOnFailure,
  showFreeTimes,
  startDemoServer,
  type DemoServer,
} from '../test/browser'
import { FAKE_WEBHOOK_SECRET, startFakeStripe, type FakeStripe } from '../test/fake-stripe'
import { everyDay, insertResource } from '../test/fixtures'
import { en } from '../widget/i18n'

/*
 * A paid booking in Chromium: the built widget fetches its card-step chunk only at the card step,
 * a stand-in for Stripe.js comes in through the `loadStripe` seam (js.stripe.com is out of
 * reach offline), the card "authorizes" at the local Stripe-shaped server, whose signed
 * webhook confirms and captures — and the widget shows the confirmation.
 */
describe.skipIf(!browserAvailable())('a paid booking in Chromium', () => {
  let stripe: FakeStripe
  let server: DemoServer
  let browser: Browser
  let page: Page | undefined

  beforeAll(async () => {
    stripe = await startFakeStripe()
    const payments = createStripeGateway({
      secretKey: 'sk_test_e2e',
      publishableKey: 'pk_test_e2e',
      webhookSecret: FAKE_WEBHOOK_SECRET,
      apiBase: stripe.url,
    })
    server = await startDemoServer({ payments })
    await insertResource(server.database.db, {
      slug: 'paid-studio',
      name: 'Paid studio',
      config: {
        payment: 'full',
        price: { amount: 4200, currency: 'EUR' },
        cancellationPolicy: { free_cancellation_hours: 24 },
      },
      schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 60 }),
    })
    browser = await launchChromium()
  }, 60_000)

  afterEach(async (context) => {
    await screenshotOnFailure(page, context.task.name, context.task.result?.state === 'fail')
    await page?.context().close()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await stripe?.close()
  })

  it('loads the card step lazily, pays through the stand-in, and shows the booking confirmed and captured', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
    page = await context.newPage()
    const scripts: string[] = []
    page.on(
      'request',
      (request) => request.resourceType() === 'script' && scripts.push(new URL(request.url()).pathname),
    )

    // What a real card authorization does at Stripe, then Stripe's signed webhook to the API.
    await page.exposeFunction('__authorizeCard', async (clientSecret: string) => {
      const intentId = clientSecret.split('_secret_')[0]!
      stripe.authorize(intentId)
      const event = stripe.signedEvent('payment_intent.amount_capturable_updated', intentId)
      const res = await fetch(`${server.url}/v1/webhooks/stripe`, {
        method: 'POST',
        headers: { 'Stripe-Signature': event.signature },
        body: event.body,
      })
      return res.status
    })
    const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Pay</title>
      <div id="paid"></div>
      <script src="/widget.js"></script>
      <script>
        let secret
        const standIn = {
          elements: (options) => { secret = options.clientSecret; return { create: () => ({ mount: (el) => { el.textContent = 'stand-in card form' }, destroy() {} }) } },
          confirmPayment: async () => { await window.__authorizeCard(secret); return { paymentIntent: { id: 'pi', status: 'requires_capture' } } },
        }
        window.Booking.mount(document.getElementById('paid'), { resource: 'paid-studio', apiUrl: location.origin, loadStripe: async () => standIn })
      </script>`
    await page.route(`${server.url}/pay-test`, (route) => route.fulfill({ contentType: 'text/html', body: html }))
    await page.goto(`${server.url}/pay-test`)

    const widget = page.locator('#paid')
    await (await showFreeTimes(widget, en.nextAvailable(''))).first().click()
    await widget.getByText('Paid when you book: €42.00').waitFor()
    await widget.getByText('Free cancellation until 24 h before the start.').waitFor()
    const cardStep = (path: string) => /^\/assets\/stripe-payment-[\w-]{8}\.js$/.test(path)
    expect(scripts.filter(cardStep)).toEqual([])

    await widget.locator('input[name="name"]').fill('Paula Payer')
    await widget.locator('input[name="email"]').fill('paula@example.com')
    await widget.getByRole('button', { name: 'Continue to payment' }).click()
    await widget.getByText('stand-in card form').waitFor({ timeout: 15_000 })
    expect(scripts.filter(cardStep)).toHaveLength(1)

    await widget.getByRole('button', { name: 'Pay €42.00' }).click()
    await widget.getByRole('heading', { name: 'Booked!' }).waitFor({ timeout: 20_000 })
    const ref = (await widget.locator('.ref').textContent())?.trim() ?? ''
    const [row] = await server.database.db.select().from(bookings).where(eq(bookings.ref, ref))
    expect(row).toMatchObject({
      status: 'confirmed',
      paymentStatus: 'captured',
      amountCaptured: 4200,
      guestName: 'Paula Payer',
    })
    expect(stripe.intent(row!.paymentIntentId!).status).toBe('succeeded')
  }, 60_000)
})
