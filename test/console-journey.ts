import { mkdir, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import type { AvailabilityResponse, PublicBooking } from '../shared/types'
import type { FakeStripe } from './fake-stripe'

/*
 * Pieces of the owner's journey through the console: where its screenshots go, what a
 * pasted snippet looks like on the owner's own site, how a page is checked for sideways
 * scrolling, and a guest who books and pays online through the public API.
 */

const SHOTS = join('test-results', 'console')

/** Saves a screenshot of `page` as test-results/console/<step>.png. */
export async function consoleShot(page: Page, step: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (page.isClosed()) return
  await mkdir(SHOTS, { recursive: true })
  await page.screenshot({
    path: join(SHOTS, `${step.replace(/[^\w.-]+/g, '-')}.png`),
    fullPage: options.fullPage ?? true,
  })
}

/** Removes the screenshots an earlier run left, so every file shown is from this run. */
export async function clearConsoleShots(): Promise<void> {
  const files = await readdir(SHOTS).catch(() => [] as string[])
  await Promise.all(files.filter((f) => f.endsWith('.png')).map((f) => rm(join(SHOTS, f), { force: true })))
}

/** A small business's page with the snippet the console gave pasted in as it is. */
export function pageWithSnippet(snippet: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Quiet room Havel</title>
  <link rel="icon" href="data:,">
  <style>
    body { margin: 0; font: 16px/1.5 Georgia, serif; color: #222; background: #f4f7f2; }
    header { background: #2d6a4f; color: #fff; padding: 12px 16px; }
    main { padding: 16px; }
  </style>
</head>
<body>
  <header><strong>Havel co-working</strong></header>
  <main>
    <h1>Book the quiet room</h1>
    ${snippet}
  </main>
</body>
</html>
`
}

/**
 * The snippet the console shows for `slug`: the text of the first code block, text area or
 * read-only field that holds `data-booking-resource="<slug>"`. Waits until one is on the page.
 */
export async function readSnippet(page: Page, slug: string, timeout: number): Promise<string> {
  const marker = `data-booking-resource="${slug}"`
  const handle = await page.waitForFunction(
    (m) => {
      for (const el of document.querySelectorAll<HTMLElement>('pre, code, textarea, input, output')) {
        const text =
          el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement ? el.value : (el.textContent ?? '')
        if (text.includes(m) && text.includes('widget.js')) return text
      }
      return false
    },
    marker,
    { timeout },
  )
  return String(await handle.jsonValue()).trim()
}

/**
 * What on the page scrolls sideways: the document itself when it is wider than the
 * viewport, and any element that clips wider content behind its own horizontal scroll.
 * Empty when nothing does.
 */
export function sidewaysScroll(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = []
    const root = document.documentElement
    if (root.scrollWidth > window.innerWidth)
      found.push(`the page is ${root.scrollWidth} px wide in a ${window.innerWidth} px viewport`)
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const overflowX = getComputedStyle(el).overflowX
      if ((overflowX === 'auto' || overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
        const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`
        found.push(`${name} scrolls sideways (${el.scrollWidth} px of content in ${el.clientWidth} px)`)
      }
    }
    return found
  })
}

/** Whether `locator`'s box lies inside the viewport horizontally (nothing cut off at the right edge). */
export async function fitsWidth(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox()
  const width = page.viewportSize()?.width ?? 0
  return box !== null && box.x >= 0 && box.x + box.width <= width + 1
}

export interface PaidBooking {
  ref: string
  /** The Stripe-shaped PaymentIntent the guest paid through. */
  intentId: string
}

/**
 * A guest books `slug`'s first free time at least `notBeforeMs` from now and pays online,
 * as the widget does it over the public API: a hold for a browser session, the booking,
 * then the card authorized at the Stripe-shaped server and its signed webhook to the API,
 * which confirms the booking and captures the money. Resolves once the API says so.
 */
export async function bookAndPayOnline(
  apiUrl: string,
  stripe: FakeStripe,
  slug: string,
  guest: { name: string; email: string },
  options: { notBeforeMs: number },
): Promise<PaidBooking> {
  const json = async <T>(response: Response, what: string): Promise<T> => {
    if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`)
    return (await response.json()) as T
  }
  const session = { 'X-Booking-Session': `s_console_paid_${Date.now()}`, 'Content-Type': 'application/json' }
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)
  const availability = await json<AvailabilityResponse>(
    await fetch(`${apiUrl}/v1/resources/${slug}/availability?from=${day(0)}&to=${day(3)}`),
    'availability',
  )
  const slot = availability.days
    .flatMap((d) => d.slots)
    .find((s) => Date.parse(s.start) >= Date.now() + options.notBeforeMs)
  if (!slot) throw new Error(`no free time of ${slug} in the next three days`)
  const { hold } = await json<{ hold: { id: string } }>(
    await fetch(`${apiUrl}/v1/holds`, {
      method: 'POST',
      headers: session,
      body: JSON.stringify({ resourceId: availability.resource.id, start: slot.start }),
    }),
    'POST /v1/holds',
  )
  const created = await json<{ booking: PublicBooking; payment?: { clientSecret: string } }>(
    await fetch(`${apiUrl}/v1/bookings`, {
      method: 'POST',
      headers: { ...session, 'Idempotency-Key': `paid-${Date.now()}` },
      body: JSON.stringify({ holdId: hold.id, guest }),
    }),
    'POST /v1/bookings',
  )
  if (!created.payment) throw new Error('the booking asked for no payment')
  const intentId = created.payment.clientSecret.split('_secret_')[0]!
  stripe.authorize(intentId)
  const event = stripe.signedEvent('payment_intent.amount_capturable_updated', intentId)
  const hook = await fetch(`${apiUrl}/v1/webhooks/stripe`, {
    method: 'POST',
    headers: { 'Stripe-Signature': event.signature },
    body: event.body,
  })
  if (!hook.ok) throw new Error(`POST /v1/webhooks/stripe: ${hook.status}`)
  return { ref: created.booking.ref, intentId }
}

/** The refunds the app asked the Stripe-shaped server for on `intentId`, in minor units. */
export function refundsAsked(stripe: FakeStripe, intentId: string): number[] {
  return stripe.requests
    .filter((r) => r.method === 'POST' && r.path === '/v1/refunds' && r.form.payment_intent === intentId)
    .map((r) => Number(r.form.amount))
}
