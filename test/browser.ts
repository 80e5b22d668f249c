import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { chromium, type Browser, type Locator, type Page } from 'playwright-core'
import { createApp } from '../api/app'
import { systemClock } from '../api/clock'
import { seedDemo } from '../api/seed-demo'
import type { PaymentGateway } from '../api/payments/gateway'
import { loadStaticAssets } from '../api/static-assets'
import { createTestDatabase, type TestDatabase } from './database'
import { createTestHoldBackend } from './holds'

/** Debian's Chromium (apt-get install -y chromium); never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium'

/** Whether browser tests can run here; in CI a missing browser is an error, not a skip. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true
  if (process.env.CI) throw new Error(`CI needs ${CHROMIUM} for the browser tests (.ci/run installs it with apt-get)`)
  console.warn(`Browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium).`)
  return false
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

export interface DemoServer {
  url: string
  database: TestDatabase
  close(): Promise<void>
}

/** The real app with the built widget and example pages, on a fresh seeded database. */
export async function startDemoServer(options: { payments?: PaymentGateway } = {}): Promise<DemoServer> {
  const database = await createTestDatabase()
  await seedDemo(database.db)
  const app = createApp({
    db: database.db,
    holds: createTestHoldBackend(systemClock).holds,
    assets: await loadStaticAssets(),
    ...(options.payments ? { payments: options.payments } : {}),
  })
  const server: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise((resolve) => server.once('listening', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    database,
    close: async () => {
      await new Promise((resolve) => server.close(resolve))
      await database.close()
    },
  }
}

/** Records page errors, console errors and CSP violations; a clean page leaves it empty. */
export async function watchProblems(page: Page): Promise<string[]> {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`))
  await page.exposeFunction('__reportViolation', (text: string) => problems.push(`csp: ${text}`))
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      ;(window as unknown as { __reportViolation: (t: string) => void }).__reportViolation(
        `${event.violatedDirective} ${event.blockedURI}`,
      )
    })
  })
  return problems
}

export async function screenshotOnFailure(page: Page | undefined, name: string, failed: boolean): Promise<void> {
  if (!failed || !page || page.isClosed()) return
  await mkdir('test-results', { recursive: true })
  await page.screenshot({ path: `test-results/${name.replace(/\W+/g, '-')}.png`, fullPage: true })
}

/** Description of the focused element, looking through shadow roots: `tag|text|host attribute`. */
export function focusedElement(
  page: Page,
): Promise<{ tag: string; text: string; role: string | null; inside: string | null }> {
  return page.evaluate(() => {
    let active: Element | null = document.activeElement
    let host: Element | null = null
    while (active?.shadowRoot?.activeElement) {
      host = active
      active = active.shadowRoot.activeElement
    }
    const hostName = host
      ? (host.getAttribute('data-booking-resource') ??
        (host.hasAttribute('data-booking-popup')
          ? 'popup'
          : host.hasAttribute('data-booking-launcher')
            ? 'launcher'
            : 'other'))
      : null
    return {
      tag: active?.tagName ?? '',
      text: (active?.textContent ?? '').trim(),
      role: active?.getAttribute('role') ?? null,
      inside: hostName,
    }
  })
}

/** The widget's free-time buttons in a host element (locators reach into open shadow roots). */
export const timeOptions = (host: Locator) => host.locator('[role=listbox] [role=option]')

/**
 * Waits for a widget's free times and returns them. Late on the last day of a month with
 * times, the month shown has none left and the widget offers "Next available: …" instead
 * (`nextLabel` is that label's start, `t.nextAvailable('')`): the guest presses it, after
 * `pause` when a person is acting, with `press` (a tap on a phone; a click by default).
 */
export async function showFreeTimes(
  host: Locator,
  nextLabel: string,
  person: { press?: (target: Locator) => Promise<void>; pause?: () => Promise<void> } = {},
  timeout = 15_000,
): Promise<Locator> {
  const times = timeOptions(host)
  const next = host.getByRole('button', { name: nextLabel })
  await times.first().or(next).first().waitFor({ timeout })
  if (!(await times.first().isVisible())) {
    await person.pause?.()
    await (person.press ? person.press(next) : next.click())
    await times.first().waitFor({ timeout })
  }
  return times
}
