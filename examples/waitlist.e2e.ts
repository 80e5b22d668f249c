import { mkdir } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { bookings } from '../drizzle/schema'
import { createAdminKey } from '../api/admin/keys'
import { createApp } from '../api/app'
import type { Clock } from '../api/clock'
import type { Logger } from '../api/logger'
import { createSmtpSender } from '../api/notify/email'
import { createOutboxPlanner } from '../api/notify/outbox'
import { createOutboxKicker } from '../api/notify/outbox-kicker'
import { loadStaticAssets } from '../api/static-assets'
import { createWaitlistKicker } from '../api/waitlist/waitlist-kicker'
import type { JoinedWaitlist, WaitlistEntryResponse } from '../shared/api-contract'
import { addDays, monthOf, todayIn } from '../shared/calendar-labels'
import type { AvailabilityResponse } from '../shared/types'
import { formatDayLabel } from '../widget/format-time'
import de from '../widget/locales/de'
import { startOfDayIn } from '../console/bookings-model'
import { browserAvailable, launchChromium } from '../test/browser'
import { createTestDatabase, type TestDatabase } from '../test/database'
import { startOwnerSite, ownerPage, type OwnerSite } from '../test/host-page'
import { createTestHoldBackend, newSession } from '../test/holds'
import { openPhone, pageProblems, person } from '../test/human'
import { bodyOf, startMailbox, type Mailbox } from '../test/mailbox'

/*
 * A physiotherapist's Tuesday is booked out. A German guest on a 360 px touch phone, on the
 * practice's own website (another origin than the booking API), taps the full day, joins its
 * waitlist at a person's pace and gets the German "you are on the list" email. The owner
 * cancels a booking; moments later the offer email arrives in German, its link opens the
 * waitlist view, "Diesen Termin buchen" books the time, the German confirmation follows and
 * the time is gone from the free times. Then a first waiter lets an offer lapse (the server's
 * clock moved past it) and the second in line is offered the time. Screenshots:
 * .scratch/waitlist-guest-*.png.
 */

const UI_WAIT = 15_000
const ZONE = 'Europe/Berlin'
const OFFER_MINUTES = 10
const APP_SECRET = 'waitlist-guest-app-secret-0123456789abcd'
const OWNER_EMAIL = 'praxis@physio-weber.test'
const CRON_SECRET = 'waitlist-guest-cron-secret'

/** The instant of a Berlin wall time on `date`. */
const berlin = (date: string, hour: number) => new Date(startOfDayIn(date, ZONE) + hour * 3_600_000).toISOString()

describe.skipIf(!browserAvailable())('a German guest waits for a full day and books the freed time', () => {
  let database: TestDatabase
  let mailbox: Mailbox
  let site: OwnerSite
  let server: ServerType
  let apiUrl: string
  let browser: Browser
  let context: BrowserContext | undefined
  let page: Page | undefined
  let stopWorkers: () => Promise<void>
  const serverErrors: string[] = []
  // The server's clock follows the real one; the lapse case moves it past an offer's end.
  let shiftMs = 0
  const clock: Clock = { now: () => Date.now() + shiftMs }
  let asOwner: Record<string, string>
  let resourceId: string

  beforeAll(async () => {
    ;[database, mailbox, site] = await Promise.all([createTestDatabase(), startMailbox(), startOwnerSite()])
    // Messages link to this server, so it listens before the app exists.
    let handle: ReturnType<typeof createApp>['fetch'] | undefined
    server = serve({
      fetch: (request, env) => (handle ? handle(request, env) : new Response('starting', { status: 503 })),
      port: 0,
      hostname: '127.0.0.1',
    })
    await new Promise((resolve) => server.once('listening', resolve))
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const logger: Logger = {
      info() {},
      error: (message, fields) => void serverErrors.push(`${message} ${JSON.stringify(fields ?? {})}`),
    }
    const db = database.db
    const holds = createTestHoldBackend(clock).holds
    const notifiers = {
      email: createSmtpSender({ url: mailbox.url, from: 'Physiotherapie Weber <termine@physio-weber.test>' }),
      sms: undefined,
      links: { publicUrl: apiUrl, appSecret: APP_SECRET },
    }
    // As npm start wires them: a write wakes the message and waitlist workers moments later.
    const outboxKicker = createOutboxKicker({ db, clock, logger, ...notifiers })
    const waitlistKicker = createWaitlistKicker({ db, clock, holds, logger, notifiers })
    stopWorkers = async () => {
      await Promise.all([outboxKicker.stop(), waitlistKicker.stop()])
      notifiers.email.close()
    }
    handle = createApp({
      db,
      clock,
      logger,
      holds,
      allowedOrigins: [site.origin],
      assets: await loadStaticAssets(),
      outbox: createOutboxPlanner({ adminEmail: OWNER_EMAIL }),
      notifiers,
      appSecret: APP_SECRET,
      cronSecret: CRON_SECRET,
      kickOutbox: outboxKicker.kick,
      kickWaitlist: waitlistKicker.kick,
    }).fetch
    browser = await launchChromium()

    // The owner's physiotherapist: two hours every morning, a freed time kept 10 minutes.
    const { key } = await createAdminKey(db, 'waitlist guest e2e')
    asOwner = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }
    const created = await fetch(`${apiUrl}/v1/admin/resources`, {
      method: 'POST',
      headers: asOwner,
      body: JSON.stringify({
        slug: 'physio-weber',
        type: 'physio',
        name: 'Physiotherapie Weber',
        timezone: ZONE,
        config: { waitlistOfferMinutes: OFFER_MINUTES },
      }),
    })
    expect(created.status).toBe(201)
    resourceId = ((await created.json()) as { resource: { id: string } }).resource.id
    const hours = await fetch(`${apiUrl}/v1/admin/resources/${resourceId}/schedules`, {
      method: 'PUT',
      headers: asOwner,
      body: JSON.stringify({
        schedules: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
          weekday,
          startTime: '09:00',
          endTime: '11:00',
          slotDuration: 60,
        })),
      }),
    })
    expect(hours.status).toBe(200)
  }, 60_000)

  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await stopWorkers?.()
    await new Promise((resolve) => server?.close(resolve))
    await Promise.allSettled([mailbox?.close(), site?.close()])
    await database?.close()
  })

  const shot = async (step: string) => {
    await mkdir('.scratch', { recursive: true })
    await page?.screenshot({ path: `.scratch/waitlist-guest-${step}.png`, fullPage: true })
  }

  /** A day whose weekday comes again later in its month, so the widget can tell it is open but full. */
  const fullDay = () => {
    let day = addDays(todayIn(ZONE, new Date()), 2)
    while (monthOf(addDays(day, 7)) !== monthOf(day)) day = addDays(day, 1)
    return day
  }

  /** Books both morning hours of `date` through the public API; the owner's ids of the bookings. */
  async function bookOut(date: string): Promise<string[]> {
    const ids: string[] = []
    for (const hour of [9, 10]) {
      const json = { 'Content-Type': 'application/json', 'X-Booking-Session': newSession() }
      const held = await fetch(`${apiUrl}/v1/holds`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ resourceId, start: berlin(date, hour) }),
      })
      expect(held.status).toBe(201)
      const { hold } = (await held.json()) as { hold: { id: string } }
      const booked = await fetch(`${apiUrl}/v1/bookings`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          holdId: hold.id,
          guest: { name: `Patient ${hour}`, email: `patient${hour}@example.com` },
        }),
      })
      expect(booked.status).toBe(201)
      const { booking } = (await booked.json()) as { booking: { ref: string } }
      const [row] = await database.db.select().from(bookings).where(eq(bookings.ref, booking.ref))
      ids.push(row!.id)
    }
    return ids
  }

  const cancelAsOwner = async (id: string) => {
    const cancelled = await fetch(`${apiUrl}/v1/admin/bookings/${id}/cancel`, { method: 'POST', headers: asOwner })
    expect(cancelled.status).toBe(200)
  }

  /** What a scheduler's call does every minute on an edge runtime: the due work, messages included. */
  const runDueWork = async () => {
    const run = await fetch(`${apiUrl}/v1/internal/cron`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${CRON_SECRET}` },
    })
    expect(run.status).toBe(200)
    return (await run.json()) as { waitlist?: { lapsed: number } }
  }

  /** The claim link in an offer email: the manage page's waitlist view, with the entry's token. */
  const claimLink = (text: string) => {
    const link = /https?:\/\/[^\s"<>]+\/manage#waitlist=[^\s"<>]+/.exec(text)?.[0]
    expect(link, text).toBeTruthy()
    return link!.replace(/&amp;/g, '&')
  }

  it('joins the full day at human speed, is offered the cancelled time in German and books it', async () => {
    const today = todayIn(ZONE, new Date())
    const day = fullDay()
    const [nine] = await bookOut(day)

    ;({ context, page } = await openPhone(browser, { locale: 'de-DE', timezoneId: ZONE }))
    const problems = await pageProblems(page)
    const guest = person(page, 21)
    site.publish(
      '/termine/',
      ownerPage({
        apiUrl,
        resource: 'physio-weber',
        locale: 'de',
        pageLang: 'de',
        title: 'Physiotherapie Weber',
        words: {
          heading: 'Termin vereinbaren',
          intro: 'Wählen Sie unten einen freien Termin.',
          footer: 'Oranienstraße 12, Berlin',
        },
      }),
    )
    const url = `${site.origin}/termine/`
    expect(new URL(url).origin).not.toBe(new URL(apiUrl).origin)
    await page.goto(url)
    const host = page.locator('[data-booking-resource="physio-weber"]')

    try {
      await host.getByRole('grid').waitFor({ timeout: UI_WAIT })
      if (monthOf(day) !== monthOf(today)) {
        await guest.pause()
        await host.getByRole('button', { name: de.nextMonth }).tap()
      }
      await guest.pause()
      await host.getByRole('button', { name: formatDayLabel(day, 'de', true), exact: true }).tap()
      await host.getByText(de.waitlist.fullDay).waitFor({ timeout: UI_WAIT })
      await shot('0-full-day')
      await guest.pause()
      await host.getByRole('button', { name: de.waitlist.join }).tap()

      const textbox = (label: string) => host.getByRole('textbox', { name: label, exact: true })
      await textbox(de.name).waitFor({ timeout: UI_WAIT })
      await guest.type(textbox(de.name), 'Grete Weber')
      await guest.pause()
      await guest.type(textbox(de.email), 'grete.weber@example.de')
      await guest.pause()
      expect(await host.getByRole('radio', { name: de.waitlist.anyTime }).isChecked()).toBe(true)
      await host.getByText(de.waitlist.keptFor(OFFER_MINUTES)).waitFor()
      await shot('1-join-form')
      await host.getByRole('button', { name: de.waitlist.join }).tap()

      await host.getByRole('heading', { name: de.waitlist.joined }).waitFor({ timeout: UI_WAIT })
      await host.getByText(de.waitlist.joinedText('grete.weber@example.de')).waitFor()
      await shot('2-joined')
      const joined = await mailbox.waitFor(
        'grete.weber@example.de',
        (m) => (m.subject ?? '').startsWith('Sie stehen auf der Warteliste'),
        'the German joined email',
      )
      expect(joined.subject).toContain('Physiotherapie Weber')

      // The owner cancels the 9:00 patient: the first waiter is offered it by email, in German.
      await cancelAsOwner(nine!)
      const offer = await mailbox.waitFor(
        'grete.weber@example.de',
        (m) => (m.subject ?? '').startsWith('Für Sie frei'),
        'the German offer email',
      )
      const link = claimLink(bodyOf(offer))
      expect(link.startsWith(`${apiUrl}/manage#waitlist=`)).toBe(true)
      expect(link).toContain('lang=de')

      await guest.pause()
      await page.goto(link)
      const offered = page.getByRole('group', { name: de.waitlist.offerTitle })
      await offered.waitFor({ timeout: UI_WAIT })
      expect(await page.getByText(de.waitlist.position(1)).count()).toBe(1)
      expect(await offered.getByRole('timer').textContent()).toMatch(/^Für Sie reserviert: noch (10|9):\d\d$/)
      await shot('3-claim-view')
      await guest.pause()
      await offered.getByRole('button', { name: de.waitlist.claim }).tap()
      await page.getByRole('heading', { name: de.booked }).waitFor({ timeout: UI_WAIT })
      await shot('4-booked')
      const ref = ((await page.locator('.ref').first().textContent()) ?? '').trim()
      expect(ref).toMatch(/^[0-9A-Z]{8}$/)
      const manage = page.getByRole('link', { name: de.manageLink })
      expect(await manage.getAttribute('href')).toMatch(new RegExp(`/manage#ref=${ref}&token=[\\w-]+&lang=de`))

      // The booking's own confirmation, in German (the minute's run sends what a claim wrote),
      // and the time is no longer free.
      await runDueWork()
      const confirmation = await mailbox.waitFor(
        'grete.weber@example.de',
        (m) => bodyOf(m).includes(ref) && /^(Gebucht|Bestätigt):/.test(m.subject ?? ''),
        'the German booking confirmation',
      )
      expect(confirmation.subject).toContain('Physiotherapie Weber')
      const free = await fetch(`${apiUrl}/v1/resources/physio-weber/availability?from=${day}&to=${day}&tz=${ZONE}`)
      const { days } = (await free.json()) as AvailabilityResponse
      expect(days.flatMap((d) => d.slots)).toEqual([])
      const entry = /waitlist=(\w+)&token=([\w-]+)/.exec(link)!
      const seen = await fetch(`${apiUrl}/v1/waitlist/${entry[1]}`, {
        headers: { Authorization: `Bearer ${entry[2]}` },
      })
      expect(((await seen.json()) as WaitlistEntryResponse).entry.status).toBe('booked')

      expect(problems()).toEqual([])
      expect(serverErrors).toEqual([])
    } catch (error) {
      await shot('FAILED').catch(() => {})
      throw error
    }
  }, 240_000)

  it('tells the first waiter an offer lapsed, and offers the time to the second in line', async () => {
    // The day after the first journey's: booked out afresh.
    const day = addDays(fullDay(), 1)
    const [nine] = await bookOut(day)
    const join = async (name: string, email: string) => {
      const joined = await fetch(`${apiUrl}/v1/waitlist`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ resourceId, date: day, guest: { name, email }, locale: 'de', timezone: ZONE }),
      })
      expect(joined.status).toBe(201)
      return (await joined.json()) as JoinedWaitlist
    }
    await join('Hans Albers', 'hans@example.de')
    const second = await join('Lena Roth', 'lena@example.de')
    expect(second.entry.position).toBe(2)

    await cancelAsOwner(nine!)
    const offer = await mailbox.waitFor(
      'hans@example.de',
      (m) => (m.subject ?? '').startsWith('Für Sie frei'),
      'the first waiter’s offer',
    )
    await context?.close()
    ;({ context, page } = await openPhone(browser, { locale: 'de-DE', timezoneId: ZONE }))
    await page.goto(claimLink(bodyOf(offer)))
    const offered = page.getByRole('group', { name: de.waitlist.offerTitle })
    await offered.waitFor({ timeout: UI_WAIT })

    try {
      // Hans hesitates past the offer's end (the server's clock moves on), then taps.
      shiftMs = (OFFER_MINUTES + 1) * 60_000
      await page.waitForTimeout(2_000)
      await offered.getByRole('button', { name: de.waitlist.claim }).tap()
      await page.getByText(de.waitlist.offerEnded).waitFor({ timeout: UI_WAIT })
      await shot('5-offer-ended')
      expect(await page.getByRole('button', { name: de.waitlist.claim }).count()).toBe(0)

      // The minute's run lapses the offer: the time passes to Lena.
      expect((await runDueWork()).waitlist?.lapsed).toBe(1)
      const next = await mailbox.waitFor(
        'lena@example.de',
        (m) => (m.subject ?? '').startsWith('Für Sie frei'),
        'the second waiter’s offer',
        30_000,
      )
      expect(bodyOf(next)).toContain('Physiotherapie Weber')
      const lena = await fetch(`${apiUrl}/v1/waitlist/${second.entry.ref}`, {
        headers: { Authorization: `Bearer ${second.token}` },
      })
      const { entry } = (await lena.json()) as WaitlistEntryResponse
      expect(entry.offer?.start).toBe(berlin(day, 9))
      expect(serverErrors).toEqual([])
    } catch (error) {
      await shot('FAILED-lapse').catch(() => {})
      throw error
    } finally {
      shiftMs = 0
    }
  }, 120_000)
})
