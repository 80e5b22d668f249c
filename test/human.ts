import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { eq } from 'drizzle-orm'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { bookings, type BookingRow } from '../drizzle/schema'
import { createApp } from '../api/app'
import type { PaymentGateway } from '../api/payments/gateway'
import { systemClock } from '../api/clock'
import type { Logger } from '../api/logger'
import { createSmtpSender } from '../api/notify/email'
import { createOutboxPlanner } from '../api/notify/outbox'
import { createTwilioSender } from '../api/notify/sms'
import { createOutboxKicker } from '../api/notify/outbox-kicker'
import type { OutboxWorkerDeps } from '../api/notify/outbox-sender'
import { seedDemo } from '../api/seed-demo'
import { loadStaticAssets } from '../api/static-assets'
import { watchProblems } from './browser'
import { createTestDatabase, type TestDatabase } from './database'
import { startFakeTwilio, type FakeTwilio } from './fake-twilio'
import { createTestHoldBackend } from './holds'
import { ownerPage, startOwnerSite, type OwnerSite, type SnippetOptions } from './host-page'
import { addressesOf, bodyOf, invitesOf, startMailbox, type Mailbox } from './mailbox'

export const OWNER_EMAIL = 'owner@co-working-spree.test'

/**
 * One booking business as it runs for real: the app as `npm start` wires it (seeded demo
 * resources, the built widget, CORS limited to the owner's site, the outbox sent moments
 * after each write over SMTP and Twilio's API to local servers), and the owner's own
 * website on a second origin with the snippet pasted in.
 */
export interface HumanHarness {
  apiUrl: string
  site: OwnerSite
  mailbox: Mailbox
  sms: FakeTwilio
  database: TestDatabase
  /** Errors the server logged: a request that failed unexpectedly, a message that could not be rendered or sent. */
  serverErrors: string[]
  /** Publishes a page with the snippet at `path` on the owner's site; returns its URL. */
  publishPage(path: string, options: Omit<SnippetOptions, 'apiUrl'>): string
  findBooking(ref: string): Promise<BookingRow | undefined>
  close(): Promise<void>
}

/** `payments`: the payment gateway the app takes money through (none by default: priced resources are paid on site). */
export async function startHumanHarness(options: { payments?: PaymentGateway } = {}): Promise<HumanHarness> {
  const [database, mailbox, sms, site, assets] = await Promise.all([
    createTestDatabase(),
    startMailbox(),
    startFakeTwilio(),
    startOwnerSite(),
    loadStaticAssets(),
  ])
  await seedDemo(database.db)

  // The manage links in messages point at this server, so it listens before the app exists.
  let handle: ReturnType<typeof createApp>['fetch'] | undefined
  const server: ServerType = serve({
    fetch: (request, env) => (handle ? handle(request, env) : new Response('starting', { status: 503 })),
    port: 0,
    hostname: '127.0.0.1',
  })
  await new Promise((resolve) => server.once('listening', resolve))
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const serverErrors: string[] = []
  const logger: Logger = {
    info() {},
    error: (message, fields) => void serverErrors.push(`${message} ${JSON.stringify(fields ?? {})}`),
  }
  const appSecret = 'human-suite-app-secret-0123456789abcdefgh'
  const notifiers: Omit<OutboxWorkerDeps, 'db' | 'clock' | 'logger'> = {
    email: createSmtpSender({ url: mailbox.url, from: 'Co-working Spree <bookings@co-working-spree.test>' }),
    sms: createTwilioSender({
      accountSid: sms.accountSid,
      authToken: sms.authToken,
      from: '+4915550100',
      apiBase: sms.url,
    }),
    links: { publicUrl: apiUrl, appSecret },
  }
  // As npm start does: a write that owes messages wakes the worker 200 ms later.
  const outboxKicker = createOutboxKicker({ db: database.db, clock: systemClock, logger, ...notifiers })

  const app = createApp({
    db: database.db,
    logger,
    allowedOrigins: [site.origin],
    assets,
    holds: createTestHoldBackend(systemClock).holds,
    outbox: createOutboxPlanner({ adminEmail: OWNER_EMAIL }),
    notifiers,
    appSecret,
    kickOutbox: outboxKicker.kick,
    payments: options.payments,
  })
  handle = app.fetch

  return {
    apiUrl,
    site,
    mailbox,
    sms,
    database,
    serverErrors,
    publishPage(path, options) {
      site.publish(path, ownerPage({ apiUrl, ...options }))
      return site.origin + path
    },
    findBooking: async (ref) => (await database.db.select().from(bookings).where(eq(bookings.ref, ref)))[0],
    async close() {
      await new Promise((resolve) => server.close(resolve))
      await outboxKicker.stop()
      notifiers.email.close()
      await Promise.allSettled([mailbox.close(), sms.close(), site.close()])
      await database.close()
    },
  }
}

/** A phone: 360 × 740 CSS pixels, touch, mobile viewport rules; its language and zone as given. */
export async function openPhone(
  browser: Browser,
  options: { locale: string; timezoneId: string },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: options.locale,
    timezoneId: options.timezoneId,
  })
  return { context, page: await context.newPage() }
}

/**
 * How one person types and hesitates. Delays vary per field within 80–150 ms a key and
 * pauses within 2–3 s, from a seeded sequence so a failing run can be replayed exactly.
 * A phone person taps; a desktop one (`pointer: 'mouse'`) clicks.
 */
export function person(page: Page, seed: number, options: { pointer?: 'touch' | 'mouse' } = {}) {
  let state = seed >>> 0
  const random = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const between = (low: number, high: number) => Math.round(low + random() * (high - low))
  const press = (target: Locator) => (options.pointer === 'mouse' ? target.click() : target.tap())
  return {
    /** A deliberate human pause (reading, thinking), not a wait for the page. */
    pause: () => page.waitForTimeout(between(2000, 3000)),
    /** Taps the target on a phone, clicks it with a mouse. */
    press,
    /** Taps the field, then types `text` key by key. */
    async type(field: Locator, text: string) {
      await press(field)
      await field.pressSequentially(text, { delay: between(80, 150) })
    },
    /** Taps the field, moves to the end of what is there and types `text` after it. */
    async append(field: Locator, text: string) {
      await press(field)
      await field.press('End')
      await field.pressSequentially(text, { delay: between(80, 150) })
    },
    /** Selects what the field holds and types `text` over it. */
    async retype(field: Locator, text: string) {
      await press(field)
      await field.selectText()
      await field.pressSequentially(text, { delay: between(80, 150) })
    },
  }
}

/**
 * Page errors, console errors and CSP violations (as watchProblems records them), with every
 * HTTP error answer named by method and URL instead of the console's bare "Failed to load resource".
 */
export async function pageProblems(page: Page): Promise<() => string[]> {
  const recorded = await watchProblems(page)
  const answers: string[] = []
  page.on('response', (response) => {
    if (response.status() >= 400)
      answers.push(`http ${response.status()} ${response.request().method()} ${response.url()}`)
  })
  return () => [...recorded.filter((p) => !p.startsWith('console: Failed to load resource')), ...answers]
}

/**
 * Saves a screenshot as test-results/human-<journey>-<step>.png: the whole page, or only
 * what the phone's screen shows (for a modal dialog, which a full-page capture misplaces).
 */
export async function snap(
  page: Page,
  journey: string,
  step: string,
  options: { fullPage?: boolean } = {},
): Promise<void> {
  if (page.isClosed()) return
  await mkdir('test-results', { recursive: true })
  await page.screenshot({
    path: `test-results/human-${journey}-${step}.png`.replace(/[^\w./-]+/g, '-'),
    fullPage: options.fullPage ?? true,
  })
}

/** Writes every message the harness received (mail and SMS) to test-results/human-<journey>-messages.txt, to read beside the screenshots. */
export async function saveMessages(harness: HumanHarness, journey: string): Promise<void> {
  const mails = harness.mailbox.all().map((mail) => {
    const files = invitesOf(mail).map(
      (invite) => `--- ${invite.filename} (${invite.contentType})\n${invite.raw.trim()}`,
    )
    return [
      `=== mail to ${addressesOf(mail).join(', ')}`,
      `Subject: ${mail.subject ?? ''}`,
      '',
      bodyOf(mail).trim(),
      ...files,
    ].join('\n')
  })
  const sms = harness.sms.messages.map((m) => `=== SMS to ${m.to}\n${m.body}`)
  await mkdir('test-results', { recursive: true })
  await writeFile(join('test-results', `human-${journey}-messages.txt`), [...mails, ...sms].join('\n\n') + '\n')
}

/** Removes the screenshots an earlier run of `journey` left, so every file shown is from this run. */
export async function clearSnaps(journey: string): Promise<void> {
  const files = await readdir('test-results').catch(() => [] as string[])
  await Promise.all(
    files.filter((f) => f.startsWith(`human-${journey}-`)).map((f) => rm(join('test-results', f), { force: true })),
  )
}

/** Whether `locator` becomes visible within `timeoutMs`; for checks whose failure must not stop the journey. */
export function appears(locator: Locator, timeoutMs = 5_000): Promise<boolean> {
  return locator.waitFor({ state: 'visible', timeout: timeoutMs }).then(
    () => true,
    () => false,
  )
}

/** The text of the elements an input's aria-describedby names (in its own shadow root). */
export function describedBy(field: Locator): Promise<string> {
  return field.evaluate((el) => {
    const root = el.getRootNode() as Document | ShadowRoot
    return (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => root.getElementById(id)?.textContent?.trim() ?? '')
      .join(' ')
      .trim()
  })
}

/** Whether `field` is the focused element of its shadow root (a root loses its active element when focus leaves it). */
export function hasFocus(field: Locator): Promise<boolean> {
  return field.evaluate((el) => (el.getRootNode() as Document | ShadowRoot).activeElement === el)
}
