import type { ParsedMail } from 'mailparser'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest'
import { en, type Messages } from '../widget/i18n'
import de from '../widget/locales/de'
import es from '../widget/locales/es'
import { browserAvailable, launchChromium, showFreeTimes } from '../test/browser'
import {
  appears,
  clearSnaps,
  describedBy,
  saveMessages,
  hasFocus,
  OWNER_EMAIL,
  openPhone,
  pageProblems,
  person,
  snap,
  startHumanHarness,
  type HumanHarness,
} from '../test/human'
import { bodyOf, invitesOf, manageLinkOf, type CalendarInvite } from '../test/mailbox'

/*
 * Guests as they really are: on a 360 px phone, tapping, typing a key every 80–150 ms and
 * stopping for 2–3 s between fields and before pressing the button, on the owner's own
 * website (another origin than the booking API), in English, German and Spanish, then
 * reading the email the outbox actually sent over SMTP and opening its link. Every journey
 * runs against its own server and database, so they run side by side without taking each
 * other's times. Screenshots of each step land in test-results/human-*.png.
 */

const UI_WAIT = 15_000
const JOURNEY_TIMEOUT = 150_000

describe.skipIf(!browserAvailable())(
  'guests on a phone who type, pause and tap like people',
  { concurrent: true },
  () => {
    let browser: Browser

    beforeAll(async () => {
      browser = await launchChromium()
    }, 60_000)

    afterAll(async () => {
      await browser?.close()
    })

    interface Journey {
      harness: HumanHarness
      page: Page
      human: ReturnType<typeof person>
      /** Errors the guest's page ran into so far (script errors, CSP violations, HTTP error answers). */
      problems: () => string[]
      shot: (step: string, on?: Page) => Promise<void>
      /** Opens a link the way tapping it in the mail app does: a new tab of the same phone browser. */
      openLink: (url: string) => Promise<{ page: Page; problems: () => string[] }>
    }

    /** A fresh business and a fresh phone for one guest; on failure the last screen is kept. */
    async function journey(
      expect: ExpectStatic,
      name: string,
      seed: number,
      phone: { locale: string; timezoneId: string; fullPageShots?: boolean },
      body: (j: Journey) => Promise<void>,
    ): Promise<void> {
      await clearSnaps(name)
      const harness = await startHumanHarness()
      const opened = await openPhone(browser, phone).catch(async (error: unknown) => {
        await harness.close()
        throw error
      })
      const { context, page } = opened
      const problems = await pageProblems(page)
      let last: Page = page
      let shots = 0
      const shot = async (step: string, on: Page = page) => {
        const numbered = `${String(++shots).padStart(2, '0')}-${step}`
        await snap(on, name, numbered, { fullPage: phone.fullPageShots ?? true })
        // Nothing on a phone may need sideways scrolling.
        expect
          .soft(
            await on.evaluate(() => document.documentElement.scrollWidth),
            `${numbered}: the page fits the phone’s width`,
          )
          .toBeLessThanOrEqual(360)
      }
      const openLink = async (url: string) => {
        const tab = await context.newPage()
        last = tab
        const tabProblems = await pageProblems(tab)
        await tab.goto(url)
        return { page: tab, problems: tabProblems }
      }
      try {
        await body({ harness, page, human: person(page, seed), problems, shot, openLink })
        expect(
          harness.serverErrors,
          'the server logged no errors (failed requests, messages that could not be sent)',
        ).toEqual([])
      } catch (error) {
        await snap(last, name, 'FAILED', { fullPage: phone.fullPageShots ?? true }).catch(() => {})
        throw error
      } finally {
        await saveMessages(harness, name).catch(() => {})
        await context.close()
        await harness.close()
      }
    }

    it(
      'an English guest books at human speed on the owner’s own site, served from another origin than the API',
      async ({ expect }) =>
        journey(
          expect,
          'en',
          11,
          { locale: 'en-GB', timezoneId: 'Europe/Berlin' },
          async ({ harness, page, human, problems, shot }) => {
            const url = harness.publishPage('/', { resource: 'meeting-room' })
            expect(new URL(url).origin).not.toBe(new URL(harness.apiUrl).origin)
            await page.goto(url)
            const room = page.locator('[data-booking-resource="meeting-room"]')

            const guest = {
              name: 'Grace Hopper',
              email: 'grace.hopper@example.com',
              phone: '+49 30 1234567',
              notes: 'A projector, please. We are six.',
            }
            await pickFirstTime(room, en, human, shot)
            await typeDetails(expect, room, en, guest, human, shot)
            const ref = await book(room, en, shot)

            expect(await harness.findBooking(ref)).toMatchObject({
              status: 'confirmed',
              guestName: guest.name,
              guestEmail: guest.email,
              guestPhone: '+49301234567',
              notes: guest.notes,
              locale: 'en',
            })
            const mail = await harness.mailbox.waitFor(
              guest.email,
              (m) => invitesOf(m).length > 0,
              'a confirmation with an .ics',
            )
            expect(bodyOf(mail)).toContain(ref)
            expect
              .soft(invitesOf(mail)[0]?.method, 'the confirmation’s .ics is an invitation a calendar app adds')
              .toBe('REQUEST')
            expect(problems()).toEqual([])
          },
        ),
      JOURNEY_TIMEOUT,
    )

    it(
      'shows the server’s rejection of an email and a phone under each field, keeps what was typed, and books once the guest fixes them',
      async ({ expect }) =>
        journey(
          expect,
          'fix',
          23,
          { locale: 'en-GB', timezoneId: 'Europe/Berlin' },
          async ({ harness, page, human, problems, shot }) => {
            await page.goto(harness.publishPage('/', { resource: 'meeting-room' }))
            const room = page.locator('[data-booking-resource="meeting-room"]')

            // The browser takes “katherine@nasa” as an email address; the server does not. “call me” is no number.
            const typed = {
              name: 'Katherine Johnson',
              email: 'katherine@nasa',
              phone: 'call me',
              notes: 'Window seat if possible',
            }
            await pickFirstTime(room, en, human, shot)
            await typeDetails(expect, room, en, typed, human, shot)
            await room.getByRole('button', { name: en.book, exact: true }).tap()

            const { name, email, phone } = fields(room, en)
            await room.locator('[aria-invalid="true"]').first().waitFor({ timeout: UI_WAIT })
            await shot('rejected')
            for (const [field, label] of [
              [email, 'email'],
              [phone, 'phone'],
            ] as const) {
              expect(await field.getAttribute('aria-invalid'), `${label} is marked invalid`).toBe('true')
              const message = await describedBy(field)
              expect(message, `a message describes the ${label} field`).not.toBe('')
              // The API's words are for developers; the guest reads the widget's own sentence.
              expect(message).not.toMatch(/expected an? (email|phone)/i)
              expect(await messageSitsUnder(field), `the ${label} message is under its field`).toBe(true)
              // A screen reader reads the field's name, then its description: the message belongs in the description only.
              expect
                .soft(await accessibleName(field), `the ${label} field is still named by its label alone`)
                .toBe(label === 'email' ? en.email : en.phone)
            }
            expect(await name.getAttribute('aria-invalid')).not.toBe('true')
            await expect.poll(() => hasFocus(email), { timeout: 5_000 }).toBe(true)

            // The guest reads the messages; meanwhile the hold’s countdown keeps ticking.
            await human.pause()
            expect(await values(room, en)).toEqual(typed)

            await human.append(email, '.gov')
            await human.pause()
            await human.retype(phone, '030 1234567')
            await human.pause()
            expect(await values(room, en)).toEqual({ ...typed, email: 'katherine@nasa.gov', phone: '030 1234567' })
            await shot('fixed')
            const ref = await book(room, en, shot)

            expect(await harness.findBooking(ref)).toMatchObject({
              status: 'confirmed',
              guestName: typed.name,
              guestEmail: 'katherine@nasa.gov',
              // Typed in the national format of the room's country (Berlin), stored in E.164.
              guestPhone: '+49301234567',
              notes: typed.notes,
            })
            // The one refused request is expected; nothing else may go wrong.
            expect(problems().filter((p) => !/^http 400 POST .*\/v1\/bookings$/.test(p))).toEqual([])
          },
        ),
      JOURNEY_TIMEOUT,
    )

    it(
      'a German guest books on a German site, gets German mail and calendar file, and moves the booking from the emailed link',
      async ({ expect }) =>
        // The phone itself is set to English: only the booking can make the mail and the manage page German.
        journey(
          expect,
          'de',
          37,
          { locale: 'en-GB', timezoneId: 'Europe/Berlin' },
          async ({ harness, page, human, problems, shot, openLink }) => {
            const site = harness.publishPage('/de/', {
              resource: 'meeting-room',
              locale: 'de',
              title: 'Coworking an der Spree',
              words: {
                heading: 'Besprechungsraum buchen',
                intro: 'Wählen Sie unten einen freien Termin. Die Bestätigung kommt per E-Mail.',
                footer: 'Spreeufer 5, Berlin',
              },
            })
            await page.goto(site)
            const room = page.locator('[data-booking-resource="meeting-room"]')
            const guest = {
              name: 'Jürgen Weiß',
              email: 'juergen.weiss@example.de',
              phone: '030 1234567',
              notes: 'Bitte mit Beamer.',
            }
            await pickFirstTime(room, de, human, shot)
            await typeDetails(expect, room, de, guest, human, shot)
            const ref = await book(room, de, shot)

            const booked = await harness.findBooking(ref)
            expect(booked).toMatchObject({
              status: 'confirmed',
              guestName: guest.name,
              guestEmail: guest.email,
              guestPhone: '+49301234567',
            })
            expect.soft(booked?.locale, 'the booking keeps the language the guest booked in').toBe('de')
            const first = await harness.mailbox.waitFor(
              guest.email,
              (m) => invitesOf(m).length > 0,
              'a confirmation with an .ics',
            )
            const firstInvite = invitesOf(first)[0]!
            expectMailIn(expect, 'de', first, {
              greeting: `Hallo ${guest.name}`,
              start: booked!.startsAt,
              zone: 'Europe/Berlin',
            })
            expectInviteIn(expect, 'de', firstInvite, ref)
            expect.soft(firstInvite.method, 'the confirmation’s .ics is an invitation (METHOD:REQUEST)').toBe('REQUEST')

            const link = manageLinkOf(first)
            expect(link, 'the confirmation links to the manage page').toBeDefined()
            expect
              .soft(
                new URLSearchParams(new URL(link!).hash.slice(1)).get('lang'),
                'the manage link carries the booking’s language',
              )
              .toBe('de')

            const { page: managePage, problems: manageProblems } = await openLink(link!)
            const manage = managePage.locator('[data-booking-manage]')
            await manage.getByText(ref).first().waitFor({ timeout: UI_WAIT })
            await shot('manage-page', managePage)
            await expectManagePageIn(expect, 'de', manage, de, booked!.startsAt)

            // The manage page may still be English here (that is checked above); the move must be tried either way.
            await human.pause()
            await manage.getByRole('button', { name: either(de.changeTime, en.changeTime) }).tap()
            const later = (await showFreeTimes(manage, de.nextAvailable(''), human, UI_WAIT)).last()
            await shot('move-pick', managePage)
            await human.pause()
            await later.tap()
            const moveButton = manage.getByRole('button', { name: either(de.moveHere, en.moveHere) })
            await moveButton.waitFor({ timeout: UI_WAIT })
            await shot('move-confirm', managePage)
            await human.pause()
            await moveButton.tap()
            await manage.getByText(either(de.moved, en.moved)).first().waitFor({ timeout: UI_WAIT })
            await shot('moved', managePage)

            const moved = await harness.findBooking(ref)
            expect(moved?.version).toBe(2)
            expect(moved?.startsAt.getTime()).not.toBe(booked!.startsAt.getTime())
            expect
              .soft(
                await appears(manage.getByText(either(de.addToCalendar, en.addToCalendar)), 3_000),
                'after a move the manage page offers “Add to calendar” again',
              )
              .toBe(true)

            const movedMail = await harness.mailbox.waitFor(
              guest.email,
              (m) => invitesOf(m).some((invite) => invite.start === moved!.startsAt.getTime()),
              'a “moved” email whose .ics has the new time',
            )
            const movedInvite = invitesOf(movedMail).find((invite) => invite.start === moved!.startsAt.getTime())!
            expect(movedInvite.uid, 'the new .ics replaces the first one in the calendar (same UID)').toBe(
              firstInvite.uid,
            )
            expect(movedInvite.sequence ?? 0).toBeGreaterThan(firstInvite.sequence ?? 0)
            expect(movedInvite.method).toBe('REQUEST')
            const movedText = bodyOf(movedMail)
            expect(movedText, 'the moved email states the old time').toContain(
              clock(booked!.startsAt, 'de', 'Europe/Berlin'),
            )
            expect(movedText, 'the moved email states the new time').toContain(
              clock(moved!.startsAt, 'de', 'Europe/Berlin'),
            )
            expectMailIn(expect, 'de', movedMail, {
              greeting: `Hallo ${guest.name}`,
              start: moved!.startsAt,
              zone: 'Europe/Berlin',
            })
            expectInviteIn(expect, 'de', movedInvite, ref)

            // The owner had one email for the new booking; the move is a second one about the same ref.
            const ownerMails = () => harness.mailbox.to(OWNER_EMAIL).filter((m) => bodyOf(m).includes(ref))
            expect
              .soft(await eventually(() => ownerMails().length >= 2, 5_000), 'the owner is told about the move')
              .toBe(true)
            const newTime = clock(moved!.startsAt, 'de', 'Europe/Berlin')
            const movedSms = () =>
              harness.sms.messages.filter(
                (m) => m.to === '+49301234567' && m.body.includes(ref) && m.body.includes(newTime),
              )
            expect
              .soft(
                await eventually(() => movedSms().length > 0, 5_000),
                'the guest gets an SMS about the move (the booking has a phone)',
              )
              .toBe(true)

            expect(problems()).toEqual([])
            expect(manageProblems()).toEqual([])
          },
        ),
      JOURNEY_TIMEOUT,
    )

    it(
      'a Spanish guest books on a Spanish site and gets Spanish mail, a Spanish calendar file and a Spanish manage page',
      async ({ expect }) =>
        journey(
          expect,
          'es',
          53,
          { locale: 'es-ES', timezoneId: 'Europe/Madrid' },
          async ({ harness, page, human, problems, shot, openLink }) => {
            const site = harness.publishPage('/es/', {
              resource: 'meeting-room',
              locale: 'es',
              title: 'Coworking Spree',
              words: {
                heading: 'Reserva la sala de reuniones',
                intro: 'Elige una hora libre. Recibirás la confirmación por correo.',
                footer: 'Spreeufer 5, Berlín',
              },
            })
            await page.goto(site)
            const room = page.locator('[data-booking-resource="meeting-room"]')
            const guest = {
              name: 'Lucía Fernández',
              email: 'lucia.fernandez@example.es',
              phone: '+34 612 34 56 78',
              notes: 'Somos cuatro personas.',
            }
            await pickFirstTime(room, es, human, shot)
            await typeDetails(expect, room, es, guest, human, shot)
            const ref = await book(room, es, shot)

            const booked = await harness.findBooking(ref)
            expect(booked).toMatchObject({
              status: 'confirmed',
              guestName: guest.name,
              guestEmail: guest.email,
              guestPhone: '+34612345678',
            })
            expect.soft(booked?.locale, 'the booking keeps the language the guest booked in').toBe('es')
            const mail = await harness.mailbox.waitFor(
              guest.email,
              (m) => invitesOf(m).length > 0,
              'a confirmation with an .ics',
            )
            // Madrid and Berlin share their offset, so the wall-clock time is the same in either zone.
            expectMailIn(expect, 'es', mail, {
              greeting: `Hola ${guest.name}`,
              start: booked!.startsAt,
              zone: 'Europe/Madrid',
            })
            expectInviteIn(expect, 'es', invitesOf(mail)[0]!, ref)

            const link = manageLinkOf(mail)
            expect(link, 'the confirmation links to the manage page').toBeDefined()
            expect
              .soft(
                new URLSearchParams(new URL(link!).hash.slice(1)).get('lang'),
                'the manage link carries the booking’s language',
              )
              .toBe('es')
            const { page: managePage, problems: manageProblems } = await openLink(link!)
            const manage = managePage.locator('[data-booking-manage]')
            await manage.getByText(ref).first().waitFor({ timeout: UI_WAIT })
            await shot('manage-page', managePage)
            await expectManagePageIn(expect, 'es', manage, es, booked!.startsAt)

            expect(problems()).toEqual([])
            expect(manageProblems()).toEqual([])
          },
        ),
      JOURNEY_TIMEOUT,
    )

    it(
      'a guest books from the floating “Book now” popup at human speed',
      async ({ expect }) =>
        journey(
          expect,
          'popup',
          71,
          { locale: 'en-GB', timezoneId: 'Europe/Berlin', fullPageShots: false },
          async ({ harness, page, human, problems, shot }) => {
            await page.goto(harness.publishPage('/popup/', { resource: 'meeting-room', button: true }))
            await page
              .locator('[data-booking-launcher]')
              .getByRole('button', { name: en.bookNow })
              .tap({ timeout: UI_WAIT })
            const dialog = page.locator('[data-booking-popup="meeting-room"] dialog[open]')
            await dialog.waitFor({ timeout: UI_WAIT })
            const guest = { name: 'Ada Lovelace', email: 'ada@example.co.uk', phone: '', notes: '' }
            await pickFirstTime(dialog, en, human, shot)
            await typeDetails(expect, dialog, en, guest, human, shot)
            const ref = await book(dialog, en, shot)
            expect(await harness.findBooking(ref)).toMatchObject({
              status: 'confirmed',
              guestName: guest.name,
              guestEmail: guest.email,
              guestPhone: null,
            })
            expect(problems()).toEqual([])
          },
        ),
      JOURNEY_TIMEOUT,
    )
  },
)

type Guest = { name: string; email: string; phone: string; notes: string }

/** The guest form's fields, found the way a person finds them: by their labels. */
function fields(host: Locator, t: Messages) {
  const byLabel = (label: string) => host.getByRole('textbox', { name: new RegExp(`^${escapeRegExp(label)}`) })
  return { name: byLabel(t.name), email: byLabel(t.email), phone: byLabel(t.phone), notes: byLabel(t.notes) }
}

async function values(host: Locator, t: Messages): Promise<Guest> {
  const f = fields(host, t)
  return {
    name: await f.name.inputValue(),
    email: await f.email.inputValue(),
    phone: await f.phone.inputValue(),
    notes: await f.notes.inputValue(),
  }
}

/** Looks at the free times for a moment, then taps the first. */
async function pickFirstTime(
  host: Locator,
  t: Messages,
  human: ReturnType<typeof person>,
  shot: (step: string) => Promise<void>,
): Promise<void> {
  const first = (await showFreeTimes(host, t.nextAvailable(''), human, UI_WAIT)).first()
  await shot('times')
  await human.pause()
  await first.tap()
}

/** Types every field the guest fills, pausing after each and before pressing the button; then the form must still hold it all. */
async function typeDetails(
  expect: ExpectStatic,
  host: Locator,
  t: Messages,
  guest: Guest,
  human: ReturnType<typeof person>,
  shot: (step: string) => Promise<void>,
): Promise<void> {
  const f = fields(host, t)
  await f.name.waitFor({ timeout: UI_WAIT })
  await shot('form')
  for (const key of ['name', 'email', 'phone', 'notes'] as const) {
    if (!guest[key]) continue
    await human.type(f[key], guest[key])
    await human.pause()
  }
  await shot('typed')
  expect(await values(host, t), 'what the guest typed is still in the form when they press the button').toEqual(guest)
}

/** Taps the book button and waits for the confirmation; returns the booking reference shown. */
async function book(host: Locator, t: Messages, shot: (step: string) => Promise<void>): Promise<string> {
  await host.getByRole('button', { name: t.book, exact: true }).tap()
  await host
    .getByRole('heading', { name: t.booked })
    .waitFor({ timeout: UI_WAIT })
    .catch(async (error: Error) => {
      throw new Error(
        `no “${t.booked}” within ${UI_WAIT} ms; the widget shows: ${(await shadowText(host)).replace(/\s+/g, ' ')}`,
        { cause: error },
      )
    })
  await shot('booked')
  const ref = ((await host.locator('.ref').first().textContent()) ?? '').trim()
  if (!/^[0-9A-Z]{8}$/.test(ref)) throw new Error(`expected a booking reference on the confirmation, got “${ref}”`)
  return ref
}

/** The name a screen reader announces for `field`, as Chromium's accessibility tree computes it. */
async function accessibleName(field: Locator): Promise<string> {
  const line = (await field.ariaSnapshot()).split('\n')[0] ?? ''
  return /^- textbox "((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? line
}

/** Whether the element describing `field` is laid out below it, overlapping it horizontally. */
function messageSitsUnder(field: Locator): Promise<boolean> {
  return field.evaluate((el) => {
    const root = el.getRootNode() as Document | ShadowRoot
    const id = (el.getAttribute('aria-describedby') ?? '').split(/\s+/)[0]
    const message = id ? root.getElementById(id) : null
    if (!message) return false
    const a = el.getBoundingClientRect()
    const b = message.getBoundingClientRect()
    return b.height > 0 && b.top >= a.bottom - 1 && b.left < a.right && b.right > a.left
  })
}

type Language = 'de' | 'es'
const ENGLISH = /\b(Hello|Booked|Reference|booking|Manage or cancel)\b/

/** The message is in `language`: its greeting, the date's words in that language, no English left. */
function expectMailIn(
  expect: ExpectStatic,
  language: Language,
  mail: ParsedMail,
  expected: { greeting: string; start: Date; zone: string },
): void {
  const body = bodyOf(mail)
  const weekday = new Intl.DateTimeFormat(language, { weekday: 'long', timeZone: expected.zone }).format(expected.start)
  expect.soft(mail.subject ?? '', `the subject is in ${language}`).toContain(weekday)
  expect.soft(mail.subject ?? '', `the subject has no English`).not.toMatch(ENGLISH)
  expect.soft(body, `the body greets the guest in ${language}`).toContain(expected.greeting)
  expect.soft(body, `the body dates the booking in ${language}`).toContain(weekday)
  expect.soft(body.replace(/https?:\/\/\S+/g, ''), 'the body has no English').not.toMatch(ENGLISH)
}

/** The calendar entry a guest imports reads in their language. */
function expectInviteIn(expect: ExpectStatic, language: Language, invite: CalendarInvite, ref: string): void {
  const word = language === 'de' ? /Buchung/ : /reserva/i
  expect.soft(invite.summary ?? '', `the .ics SUMMARY has no English`).not.toMatch(ENGLISH)
  expect.soft(invite.description ?? '', `the .ics DESCRIPTION is in ${language}`).toMatch(word)
  expect
    .soft((invite.description ?? '').replace(/https?:\/\/\S+/g, ''), `the .ics DESCRIPTION has no English`)
    .not.toMatch(ENGLISH)
  expect(invite.raw).toContain(ref)
}

/** The manage page speaks the booking's language: its buttons, the status and the date. */
async function expectManagePageIn(
  expect: ExpectStatic,
  language: Language,
  manage: Locator,
  t: Messages,
  start: Date,
): Promise<void> {
  // Long or abbreviated, the weekday is written in the booking's language.
  const weekdays = (['long', 'short'] as const).map((weekday) =>
    new Intl.DateTimeFormat(language, { weekday, timeZone: 'Europe/Berlin' }).format(start),
  )
  expect
    .soft(
      await appears(manage.getByRole('button', { name: t.changeTime }), 2_000),
      `the manage page offers “${t.changeTime}”`,
    )
    .toBe(true)
  expect
    .soft(
      await appears(manage.getByText(t.status.confirmed, { exact: true }), 1_000),
      `the status reads “${t.status.confirmed}”`,
    )
    .toBe(true)
  const text = await shadowText(manage)
  // As a whole word: German “Mo” must not be found inside English “Mon”.
  const dated = weekdays.some((day) => new RegExp(`(^|[^\\p{L}])${escapeRegExp(day)}($|[^\\p{L}])`, 'u').test(text))
  expect.soft(dated, `the manage page dates the booking in ${language} (${weekdays.join(' or ')}): ${text}`).toBe(true)
}

/** What a person reads in a widget host: the rendered text of its shadow root, line by line. */
function shadowText(host: Locator): Promise<string> {
  return host.evaluate((el) =>
    [...(el.shadowRoot ?? el).children]
      .filter((child): child is HTMLElement => child instanceof HTMLElement && child.tagName !== 'STYLE')
      .map((child) => child.innerText)
      .join('\n'),
  )
}

/** Whether `check` holds within `timeoutMs` (for effects that arrive over a socket, with no event to wait on). */
async function eventually(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return true
}

/** A wall-clock time as messages write it in `language`, e.g. 09:30. */
function clock(at: Date, language: string, zone: string): string {
  return new Intl.DateTimeFormat(language, {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: zone,
  }).format(at)
}

function either(...labels: string[]): RegExp {
  return new RegExp(`^(${labels.map(escapeRegExp).join('|')})$`)
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
