import { asc, eq, isNull } from 'drizzle-orm'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { createAdminKey } from '../api/admin/keys'
import { createSetupToken, hasActiveAdminKey } from '../api/admin/setup'
import { createStripeGateway } from '../api/payments/stripe-gateway'
import { adminApiKeys, bookableResources, poolMembers, resourcePools, resourceSchedules } from '../drizzle/schema'
import type { PublicBooking } from '../shared/types'
import { en } from '../widget/i18n'
import { browserAvailable, launchChromium, showFreeTimes } from '../test/browser'
import {
  bookAndPayOnline,
  clearConsoleShots,
  consoleShot,
  fitsWidth,
  pageWithSnippet,
  readSnippet,
  refundsAsked,
  sidewaysScroll,
} from '../test/console-journey'
import { FAKE_WEBHOOK_SECRET, startFakeStripe, type FakeStripe } from '../test/fake-stripe'
import { everyDay, insertResource } from '../test/fixtures'
import {
  describedBy,
  hasFocus,
  openPhone,
  pageProblems,
  person,
  startHumanHarness,
  type HumanHarness,
} from '../test/human'

/*
 * A new owner's first hour, typed at a person's speed (80–150 ms a key, 2–3 s of reading
 * between fields and before each button): the server starts with no admin key and hands out
 * a one-time link; the owner opens it, creates a resource under a slug the demo already
 * uses, reads the error beside the slug with everything else still typed, fixes it, sets
 * Mon–Fri 09:00–17:00 with a lunch break through the copy action, and takes the embed
 * snippet. A guest books through that snippet on the owner's own website (another origin);
 * the owner finds the booking and its notes in the week grid, checks the list on a 390 px
 * phone, and cancels it in the console's own dialog with a reason — the guest pays on site,
 * so no money moves. Meanwhile another guest booked a paid studio and paid online (card
 * authorized at a local Stripe-shaped server, captured on its signed webhook); the owner
 * finds that booking by its ref and cancels it with a 50 % refund instead of the policy's
 * 25 %, which goes back through the payment provider. Screenshots of each step:
 * test-results/console/*.png.
 */

const UI_WAIT = 15_000
const DESKTOP = { width: 1280, height: 860 }
const PHONE_WIDTH = 390
const ZONE = 'Europe/Berlin'
const TAKEN_SLUG = 'meeting-room' // a demo resource's
const SLUG = 'quiet-room'
const GUEST = { name: 'Ruth Reader', email: 'ruth.reader@example.org', notes: 'Needs wheelchair access' }
const REASON = 'Room closed for repairs'
/** A studio paid online in full, EUR 80.00; cancelled now (hours ahead), its policy refunds 25 %. */
const PAID = {
  slug: 'havel-studio',
  name: 'Studio Havel',
  price: { amount: 8000, currency: 'EUR' },
  policy: { free_cancellation_hours: 720, partial_refund_hours: 2, partial_refund_percent: 25 },
  guest: { name: 'Paul Payer', email: 'paul.payer@example.org' },
}

describe.skipIf(!browserAvailable())(
  'an owner who types like a person, from the first-run link to a cancelled booking',
  () => {
    let browser: Browser
    let harness: HumanHarness | undefined
    let stripe: FakeStripe

    beforeAll(async () => {
      await clearConsoleShots()
      ;[browser, stripe] = await Promise.all([launchChromium(), startFakeStripe()])
    }, 60_000)

    afterAll(async () => {
      await browser?.close()
      await harness?.close()
      await stripe?.close()
    })

    it('signs in from the one-time link, keeps the form through a taken slug, sets Mon–Fri with a break by copying, cancels a pay-on-site booking with a reason and a paid one with a 50 % override', async ({
      expect,
    }) => {
      // Online payment goes through a local server in Stripe's shape, as in payment.e2e.ts.
      const payments = createStripeGateway({
        secretKey: 'sk_test_console',
        publishableKey: 'pk_test_console',
        webhookSecret: FAKE_WEBHOOK_SECRET,
        apiBase: stripe.url,
      })
      harness = await startHumanHarness({ payments })
      const { db } = harness.database
      expect(await hasActiveAdminKey(db), 'the server starts with no admin key').toBe(false)
      // As `npm start` does when no key is active; the link it prints carries the token in its fragment.
      const { token } = await createSetupToken(db, Date.now())
      const setupLink = `${harness.apiUrl}/admin#setup=${token}`

      const ownerContext = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB', timezoneId: ZONE })
      // The owner copies the key and the snippet with the console's Copy buttons.
      await ownerContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.apiUrl })
      const owner = await ownerContext.newPage()
      const clipboard = () => owner.evaluate(() => navigator.clipboard.readText())
      const ownerProblems = await pageProblems(owner)
      // The console must ask in its own dialogs; a native confirm() or alert() is a failure.
      const nativeDialogs: string[] = []
      owner.on('dialog', (dialog) => {
        nativeDialogs.push(`${dialog.type()}: ${dialog.message()}`)
        void dialog.dismiss()
      })
      const human = person(owner, 14, { pointer: 'mouse' })
      let shots = 0
      const shot = (step: string, page: Page = owner, options: { fullPage?: boolean } = {}) =>
        consoleShot(page, `${String(++shots).padStart(2, '0')}-${step}`, options)

      try {
        // 1. The first-run link signs the owner in and shows the new key once; the token is spent and leaves the address bar.
        await owner.goto(setupLink)
        await owner.getByRole('heading', { name: /signed in/i }).waitFor({ timeout: UI_WAIT })
        await shot('signed-in-from-link')
        const keys = await db.select().from(adminApiKeys).where(isNull(adminApiKeys.revokedAt))
        expect(
          keys.map((k) => k.name),
          'the link created exactly one key, the owner’s first',
        ).toEqual(['first key'])
        expect(new URL(owner.url()).hash, 'the token is not left in the address bar or history').not.toContain('setup=')
        const again = await fetch(`${harness.apiUrl}/v1/admin/setup`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ token }),
        })
        expect(again.status, 'the link works once').toBe(401)
        await owner.getByRole('button', { name: 'Copy', exact: true }).click()
        await owner.getByText('Copied to the clipboard.').waitFor({ timeout: UI_WAIT })
        const key = await clipboard()
        const withKey = await fetch(`${harness.apiUrl}/v1/admin/resources`, {
          headers: { Authorization: `Bearer ${key}` },
        })
        expect(withKey.status, 'the copied key signs in to the API').toBe(200)
        await human.pause()
        await owner.getByRole('button', { name: 'I have saved it' }).click()
        const newResource = owner.getByRole('button', { name: 'New resource' })

        // 2. A new resource under a slug the demo already uses: the answer sits beside the slug, nothing typed is lost.
        await newResource.click()
        const form = resourceForm(owner)
        await form.name.waitFor({ timeout: UI_WAIT })
        await form.timezone.selectOption(ZONE)
        const typed = { name: 'Quiet room Havel', slug: TAKEN_SLUG, price: '30', freeHours: '24' }
        for (const field of ['name', 'slug', 'price', 'freeHours'] as const) {
          await human.type(form[field], typed[field])
          await human.pause()
        }
        await shot('resource-typed')
        // The policy in the words guests will read, shown while the owner types it.
        const policyWords = await owner.locator('.policy-words li').allInnerTexts()
        expect
          .soft(policyWords, 'the form shows the policy as guests will read it')
          .toContain('Free cancellation until 24 h before the start.')
        await form.create.click()
        await expect
          .poll(() => form.slug.getAttribute('aria-invalid'), {
            timeout: UI_WAIT,
            message: 'the slug is marked invalid',
          })
          .toBe('true')
        await shot('slug-taken')
        expect(await describedBy(form.slug), 'the slug’s own message says it is taken').toMatch(/already used/i)
        expect.soft(await hasFocus(form.slug), 'the focus goes to the field to fix').toBe(true)
        expect(await formValues(form), 'every field still holds what the owner typed').toEqual({
          ...typed,
          timezone: ZONE,
        })
        expect(
          await db.select().from(bookableResources).where(eq(bookableResources.name, typed.name)),
          'nothing was created',
        ).toEqual([])

        await human.pause()
        await human.retype(form.slug, SLUG)
        await human.pause()
        await form.create.click()

        // 3. After create: the snippet to paste, pointing at this server.
        const shown = await readSnippet(owner, SLUG, UI_WAIT)
        await shot('created-with-snippet')
        expect(shown, 'the snippet loads widget.js from this server, so it works pasted on another site').toContain(
          `${harness.apiUrl}/widget.js`,
        )
        const [created] = await db.select().from(bookableResources).where(eq(bookableResources.slug, SLUG))
        expect(created, 'the fixed slug saved the resource').toMatchObject({ name: typed.name, timezone: ZONE })
        expect(created?.config, 'with the price and policy typed before the error').toMatchObject({
          price: { amount: 3000 },
          cancellationPolicy: { free_cancellation_hours: 24 },
        })

        // 4. Monday 09:00–17:00 with a 12:00–13:00 break, copied to Tuesday–Friday in one action.
        const monday = owner.getByRole('group', { name: 'Monday', exact: true })
        await monday.waitFor({ timeout: UI_WAIT })
        await monday.getByRole('button', { name: 'Add hours' }).click()
        // People write hours short; the editor writes them out as 09:00.
        await human.retype(monday.getByLabel(/^From/), '9')
        await human.pause()
        await human.retype(monday.getByLabel(/^To/), '17')
        await human.pause()
        await monday.getByRole('button', { name: 'Add a break' }).click()
        await human.retype(monday.getByLabel(/^Break from/), '12')
        await human.pause()
        await human.retype(monday.getByLabel(/^Break to/), '13')
        await human.pause()
        await monday.getByRole('button', { name: 'Add break' }).click()
        await expect
          .poll(
            () =>
              monday.getByLabel(/^(From|To)/).evaluateAll((fields) => fields.map((f) => (f as HTMLInputElement).value)),
            { message: 'Monday reads 09:00–12:00 and 13:00–17:00' },
          )
          .toEqual(['09:00', '12:00', '13:00', '17:00'])
        await monday.getByRole('button', { name: /^Copy to Mon.Fri$/ }).click()
        await shot('schedule-copied')
        await human.pause()
        await owner.getByRole('button', { name: /^Save (schedule|opening hours)$/ }).click()
        await owner.getByText(/schedule saved/i).waitFor({ timeout: UI_WAIT })
        await shot('schedule-saved')
        const rules = await db.select().from(resourceSchedules).where(eq(resourceSchedules.resourceId, created!.id))
        expect(
          rules.map((r) => `${r.weekday ?? r.specificDate} ${r.startTime.slice(0, 5)}–${r.endTime.slice(0, 5)}`).sort(),
          'Monday to Friday open 09–12 and 13–17; the weekend closed',
        ).toEqual([0, 1, 2, 3, 4].flatMap((d) => [`${d} 09:00–12:00`, `${d} 13:00–17:00`]))

        // 5. The owner copies the snippet and pastes it into a page of their own site; a guest books there, on a phone.
        await owner.getByRole('button', { name: 'Copy snippet' }).click()
        await owner.getByText(/^Copied/).waitFor({ timeout: UI_WAIT })
        const snippet = await clipboard()
        expect(snippet, 'the Copy button copies the snippet shown').toBe(shown)
        const preview = owner.frameLocator('iframe.preview')
        // Late on a month's last day the preview's month is over: its "Next available" shows them.
        const previewShowsTimes = await showFreeTimes(
          preview.locator(`[data-booking-resource="${SLUG}"]`),
          en.nextAvailable(''),
          {},
          5_000,
        ).then(
          () => true,
          () => false,
        )
        expect.soft(previewShowsTimes, 'the live preview shows the saved hours').toBe(true)
        await shot('snippet-and-preview')
        harness.site.publish('/quiet-room/', pageWithSnippet(snippet))
        const phone = await openPhone(browser, { locale: 'en-GB', timezoneId: ZONE })
        const guestPage = phone.page
        const guestProblems = await pageProblems(guestPage)
        const guest = person(guestPage, 41)
        await guestPage.goto(`${harness.site.origin}/quiet-room/`)
        const widget = guestPage.locator(`[data-booking-resource="${SLUG}"]`)
        const times = await showFreeTimes(widget, en.nextAvailable(''), guest, UI_WAIT)
        const offered = await times.allTextContents()
        await shot('guest-times', guestPage)
        const widgetText = await widget.evaluate((host) => (host.shadowRoot ?? host).textContent ?? '')
        for (const line of policyWords)
          expect.soft(widgetText, 'the guest reads the policy in the words the console showed').toContain(line)
        expect(
          offered.map(minutesOf).filter((m) => m < 9 * 60 || m >= 17 * 60 || (m >= 12 * 60 && m < 13 * 60)),
          `no time outside 09–12 and 13–17 (${offered.join(', ')})`,
        ).toEqual([])
        await guest.pause()
        await times.first().tap()
        const field = (label: string) =>
          widget.getByRole('textbox', { name: new RegExp(`^${label.replace(/[()]/g, '\\$&')}`) })
        await field(en.name).waitFor({ timeout: UI_WAIT })
        for (const [label, text] of [
          [en.name, GUEST.name],
          [en.email, GUEST.email],
          [en.notes, GUEST.notes],
        ] as const) {
          await guest.type(field(label), text)
          await guest.pause()
        }
        await shot('guest-typed', guestPage)
        await widget.getByRole('button', { name: en.book, exact: true }).tap()
        await widget.getByRole('heading', { name: en.booked }).waitFor({ timeout: UI_WAIT })
        await shot('guest-booked', guestPage)
        const ref = ((await widget.locator('.ref').first().textContent()) ?? '').trim()
        const booked = await harness.findBooking(ref)
        expect(booked, 'the guest’s booking is stored with the notes').toMatchObject({
          status: 'confirmed',
          guestName: GUEST.name,
          notes: GUEST.notes,
        })
        expect(guestProblems(), 'the guest’s page ran into no errors').toEqual([])
        await phone.context.close()

        // Meanwhile another guest books the owner's paid studio and pays online: the card is
        // authorized, Stripe's signed webhook confirms the booking and the money is captured.
        await insertResource(db, {
          slug: PAID.slug,
          name: PAID.name,
          timezone: ZONE,
          config: { payment: 'full', price: PAID.price, cancellationPolicy: PAID.policy },
          schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 60 }),
        })
        // Hours ahead, so the policy's 25 % still holds when the owner cancels.
        const paid = await bookAndPayOnline(harness.apiUrl, stripe, PAID.slug, PAID.guest, {
          notBeforeMs: 4 * 3_600_000,
        })
        await expect
          .poll(
            async () =>
              ((b) => b && { status: b.status, paymentStatus: b.paymentStatus, amountCaptured: b.amountCaptured })(
                await harness!.findBooking(paid.ref),
              ),
            {
              timeout: UI_WAIT,
              message: 'the paid booking is confirmed and its money captured',
            },
          )
          .toEqual({ status: 'confirmed', paymentStatus: 'captured', amountCaptured: PAID.price.amount })
        const paidRow = (await harness.findBooking(paid.ref))!

        // 6. The owner finds the booking in the week grid, with its notes.
        await showWeekWith(owner, () => owner.getByRole('button', { name: 'Bookings' }).click(), booked!.startsAt)
        const block = bookingBlock(owner, ref)
        await block.waitFor({ timeout: UI_WAIT })
        await shot('week-grid')
        await block.click()
        const card = bookingCard(owner, ref)
        await card.getByText(GUEST.notes).waitFor({ timeout: UI_WAIT })
        await shot('booking-with-notes')
        expect
          .soft(await owner.locator('main').innerText(), 'times are labelled with the resource’s zone')
          .toMatch(/Berlin/)

        // 7. On a 390 px phone the week becomes cards with no sideways scrolling; the booking's notes and actions stay in view.
        await owner.setViewportSize({ width: PHONE_WIDTH, height: 844 })
        const phoneCard = bookingCard(owner, ref)
        await phoneCard.waitFor({ timeout: UI_WAIT })
        await expect.poll(() => block.count(), { message: 'the week grid gives way to cards' }).toBe(0)
        await shot('bookings-390px')
        expect(await sidewaysScroll(owner), 'nothing in the bookings view scrolls sideways at 390 px').toEqual([])
        for (const part of [
          phoneCard,
          phoneCard.getByText(GUEST.notes),
          phoneCard.getByRole('button', { name: /^Cancel/ }),
        ]) {
          expect
            .soft(
              await fitsWidth(owner, part),
              `${await part.evaluate((el) => el.textContent?.slice(0, 40))}… is not cut off at 390 px`,
            )
            .toBe(true)
        }
        await owner.setViewportSize(DESKTOP)

        // 8a. Ruth pays on site, so nothing was paid online: the dialog says no money moves and asks only for a reason.
        await bookingCard(owner, ref)
          .getByRole('button', { name: /^Cancel/ })
          .click()
        const dialog = owner.getByRole('dialog')
        await dialog.waitFor({ timeout: UI_WAIT })
        await shot('cancel-dialog-on-site', owner, { fullPage: false })
        expect(await dialog.innerText(), 'the dialog says that no money moves').toContain(
          'Nothing was paid online for this booking, so no money moves.',
        )
        expect(await dialog.getByRole('radio').count(), 'and offers no refund to choose').toBe(0)
        expect(
          await dialog.getByRole('textbox', { name: /^Refund percentage/ }).count(),
          'nor a percentage to type',
        ).toBe(0)
        await human.pause()
        await human.type(dialog.getByRole('textbox', { name: /^Reason/ }), REASON)
        await shot('cancel-dialog-reason', owner, { fullPage: false })
        await dialog.getByRole('button', { name: 'Cancel booking' }).click()
        await dialog.waitFor({ state: 'hidden', timeout: UI_WAIT })
        await owner.getByText(`Booking ${ref} cancelled.`, { exact: true }).waitFor({ timeout: UI_WAIT })
        await expect
          .poll(() => bookingBlock(owner, ref).count(), {
            timeout: UI_WAIT,
            message: 'the default view hides cancelled bookings',
          })
          .toBe(0)
        await shot('cancelled-on-site')
        const cancelled = await harness.findBooking(ref)
        expect(cancelled, 'the booking is cancelled with the owner’s reason').toMatchObject({
          status: 'cancelled',
          cancelReason: `owner: ${REASON}`,
        })
        expect
          .soft((await adminBooking(harness.apiUrl, key, booked!.id)).refund?.amount ?? 0, 'no money goes back')
          .toBe(0)

        // 8b. The studio guest paid online: the owner finds the booking by its ref and refunds 50 % instead of the policy's 25 %.
        await human.pause()
        await human.type(owner.getByRole('searchbox', { name: /^Search/ }), paid.ref)
        const paidCard = bookingCard(owner, paid.ref)
        await paidCard.waitFor({ timeout: UI_WAIT })
        expect
          .soft(await owner.locator('main').innerText(), 'the list says it shows matches on any date')
          .toContain(`Matches for “${paid.ref}” on any date`)
        expect.soft(await owner.getByRole('article').count(), 'the ref matches one booking').toBe(1)
        await shot('search-paid')
        await paidCard.getByRole('button', { name: /^Cancel/ }).click()
        await dialog.waitFor({ timeout: UI_WAIT })
        await shot('cancel-dialog-paid', owner, { fullPage: false })
        const paidNow = await adminBooking(harness.apiUrl, key, paidRow.id)
        expect(paidNow.cancellation, 'the API states the policy’s 25 % of EUR 80.00').toMatchObject({
          allowed: true,
          percent: 25,
          refund: { amount: 2000, currency: 'EUR' },
        })
        const paidText = await dialog.innerText()
        expect(paidText, 'the dialog states the refund the policy gives').toContain('the policy gives back 25 %')
        expect.soft(paidText, 'in money').toContain('€20.00 of €80.00')
        expect.soft(paidText, 'and offers it as the default').toContain('As the policy says: 25 % (€20.00)')
        await human.pause()
        await dialog.getByRole('radio', { name: 'A share I choose' }).check()
        await human.retype(dialog.getByRole('textbox', { name: /^Refund percentage/ }), '50')
        await dialog.getByText('€40.00 back to the guest.').waitFor({ timeout: UI_WAIT })
        await human.pause()
        await shot('cancel-dialog-50', owner, { fullPage: false })
        await dialog.getByRole('button', { name: 'Cancel booking' }).click()
        await dialog.waitFor({ state: 'hidden', timeout: UI_WAIT })
        await owner
          .getByText(`Booking ${paid.ref} cancelled; €40.00 goes back to the guest.`)
          .waitFor({ timeout: UI_WAIT })
        await expect
          .poll(() => paidCard.count(), { timeout: UI_WAIT, message: 'the search hides the cancelled booking too' })
          .toBe(0)
        await shot('cancelled-paid')
        const half = paidRow.amountCaptured / 2
        const paidAfter = await harness.findBooking(paid.ref)
        expect(paidAfter?.status, 'the paid booking is cancelled').toBe('cancelled')
        expect(
          paidAfter?.settlement,
          'with the owner’s 50 % recorded as an override, refunded through the provider',
        ).toMatchObject({ tier: 'owner_override', percent: 50, refund: half, method: 'refund', state: 'done' })
        expect(paidAfter?.amountRefunded, 'half of what was captured went back').toBe(half)
        expect(refundsAsked(stripe, paid.intentId), 'Stripe was asked for one refund of that amount').toEqual([half])
        expect
          .soft(await adminBooking(harness.apiUrl, key, paidRow.id), 'the admin API reports the override')
          .toMatchObject({ status: 'cancelled', refund: { percent: 50, tier: 'owner_override', amount: half } })

        expect(nativeDialogs, 'no native confirm() or alert()').toEqual([])
        // The one expected error answer is the taken slug.
        expect(
          ownerProblems().filter((p) => !/http 4\d\d (POST|PATCH) .*\/v1\/admin\/resources/.test(p)),
          'the console ran into no errors',
        ).toEqual([])
        expect(harness.serverErrors, 'the server logged no errors').toEqual([])
      } catch (error) {
        await consoleShot(owner, 'FAILED').catch(() => {})
        throw error
      } finally {
        await ownerContext.close()
      }
    }, 150_000)

    // The owner groups two physiotherapists into a pool guests book as “any free physio”,
    // reorders them with the keyboard alone, and reads the Pools tab on a phone and a desktop.
    it('creates a pool of two physios at a person’s speed, moves the second up with the keyboard, and saves that order', async ({
      expect,
    }) => {
      const pools = await startHumanHarness()
      const { db } = pools.database
      const second = await insertResource(db, {
        slug: 'jonas-berg',
        type: 'specialist',
        name: 'Jonas Berg, physiotherapy',
      })
      const [first] = await db.select().from(bookableResources).where(eq(bookableResources.slug, 'dr-rivera'))
      const { key } = await createAdminKey(db, 'pools desk')
      const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB', timezoneId: ZONE })
      const owner = await context.newPage()
      // A stuck step fails with its locator named, well inside the test's own timeout.
      owner.setDefaultTimeout(UI_WAIT)
      const problems = await pageProblems(owner)
      const human = person(owner, 19, { pointer: 'mouse' })
      const shot = (step: string) => consoleShot(owner, `pools-${step}`)
      try {
        await owner.goto(`${pools.apiUrl}/admin`)
        // Keys are pasted, not typed.
        await owner.getByLabel('Admin key').fill(key)
        await owner.getByRole('button', { name: 'Sign in' }).click()
        await owner.getByRole('button', { name: 'Pools', exact: true }).click()
        await owner.getByRole('button', { name: 'New pool' }).click()
        const editor = owner.getByRole('region', { name: 'New pool' })
        await human.type(editor.getByLabel('Name', { exact: true }), 'Physios')
        await human.pause()
        await human.type(editor.getByLabel('Slug', { exact: true }), 'physios')
        await human.pause()
        await editor.getByLabel('Who gets the booking').selectOption({ label: 'Take turns' })
        const adding = editor.getByLabel('Add a member')
        for (const resource of [first!, second]) {
          await human.pause()
          await adding.selectOption({ label: `${resource.name} (${resource.slug})` })
          await editor.getByRole('button', { name: 'Add', exact: true }).click()
        }
        await expect
          .poll(() => editor.locator('.pool-members strong').allInnerTexts(), {
            message: 'both members listed in the order added',
          })
          .toEqual([first!.name, second.name])
        await human.pause()
        await editor.getByRole('button', { name: `Move ${second.name} up` }).focus()
        await owner.keyboard.press('Enter')
        await expect
          .poll(() => editor.locator('.pool-members strong').allInnerTexts(), {
            message: 'Enter on Up moved the second member first',
          })
          .toEqual([second.name, first!.name])
        expect
          .soft(await editor.getByRole('status').first().textContent(), 'the move is announced')
          .toBe(`${second.name} is now 1 of 2.`)
        expect
          .soft(
            await hasFocus(editor.getByRole('button', { name: `Move ${second.name} down` })),
            'at the top, the focus stays on the moved member (its Down button)',
          )
          .toBe(true)
        await human.pause()
        await editor.getByRole('button', { name: 'Create' }).click()
        await owner.getByText(/^Physios created\./).waitFor({ timeout: UI_WAIT })
        await shot('01-created-desktop')

        const [pool] = await db.select().from(resourcePools).where(eq(resourcePools.slug, 'physios'))
        expect(pool, 'the pool is stored with the strategy chosen').toMatchObject({
          name: 'Physios',
          strategy: 'round_robin',
          isActive: true,
        })
        const members = await db
          .select({ resourceId: poolMembers.resourceId, position: poolMembers.position })
          .from(poolMembers)
          .where(eq(poolMembers.poolId, pool!.id))
          .orderBy(asc(poolMembers.position))
        expect(members, 'the moved member comes first').toEqual([
          { resourceId: second.id, position: 0 },
          { resourceId: first!.id, position: 1 },
        ])

        // Created, the pool opens in its own editor.
        const saved = owner.getByRole('region', { name: 'Edit Physios' })
        expect(await saved.locator('.pool-members strong').allInnerTexts(), 'the editor shows the saved order').toEqual(
          [second.name, first!.name],
        )
        await owner.setViewportSize({ width: PHONE_WIDTH, height: 844 })
        await shot('02-created-390px')
        expect.soft(await sidewaysScroll(owner), 'nothing in the Pools tab scrolls sideways at 390 px').toEqual([])
        for (const name of [first!.name, second.name])
          expect
            .soft(
              await fitsWidth(owner, saved.getByRole('button', { name: `Remove ${name}` })),
              `Remove ${name} fits at 390 px`,
            )
            .toBe(true)
        expect(problems(), 'the console ran into no errors').toEqual([])
        expect(pools.serverErrors, 'the server logged no errors').toEqual([])
      } catch (error) {
        await consoleShot(owner, 'pools-FAILED').catch(() => {})
        throw error
      } finally {
        await context.close()
        await pools.close()
      }
    }, 40_000)
  },
)

/** The resource form's fields, found by their labels as an owner finds them. */
function resourceForm(page: Page) {
  const main = page.locator('main')
  return {
    name: main.getByLabel(/^Name\b/).first(),
    slug: main.getByLabel(/^Slug\b/).first(),
    timezone: main.getByLabel(/^Time ?zone\b/i).first(),
    price: main.getByLabel(/^Price\b/).first(),
    freeHours: main.getByLabel(/^Free cancellation/i).first(),
    create: main.getByRole('button', { name: /^Create/ }).first(),
  }
}

async function formValues(form: ReturnType<typeof resourceForm>) {
  return {
    name: await form.name.inputValue(),
    slug: await form.slug.inputValue(),
    price: await form.price.inputValue(),
    freeHours: await form.freeHours.inputValue(),
    timezone: await form.timezone.inputValue(),
  }
}

/** A booking as the admin API gives it, read with the owner's key. */
async function adminBooking(
  apiUrl: string,
  key: string,
  id: string,
): Promise<Pick<PublicBooking, 'status' | 'cancellation' | 'refund'>> {
  const response = await fetch(`${apiUrl}/v1/admin/bookings/${id}`, { headers: { Authorization: `Bearer ${key}` } })
  if (!response.ok) throw new Error(`GET /v1/admin/bookings/${id}: ${response.status}`)
  return ((await response.json()) as { booking: PublicBooking }).booking
}

/** Minutes after midnight of a time as the widget shows it ("09:00", "1:00 PM"). */
function minutesOf(text: string): number {
  const m = /(\d{1,2}):(\d{2})\s*(AM|PM)?/i.exec(text)
  if (!m) return Number.NaN
  const hour = (Number(m[1]) % 12) + (m[3]?.toUpperCase() === 'PM' ? 12 : 0)
  return (m[3] ? hour : Number(m[1])) * 60 + Number(m[2])
}

/** The time spans of the booking lists the console fetches from now on (`from`/`to` of each request). */
function watchBookingSpans(page: Page): { from: number; to: number }[] {
  const spans: { from: number; to: number }[] = []
  page.on('response', (response) => {
    const url = new URL(response.url())
    if (response.request().method() !== 'GET' || url.pathname !== '/v1/admin/bookings' || !response.ok()) return
    const [from, to] = [url.searchParams.get('from'), url.searchParams.get('to')]
    if (from && to) spans.push({ from: Date.parse(from), to: Date.parse(to) })
  })
  return spans
}

/** Whether `check` holds within `timeoutMs`, looking every 50 ms (for network events with no locator to wait on). */
async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return true
}

/**
 * Opens the bookings (`open` does what the owner clicks) in the week view and moves on a
 * week at a time, as the owner would, until the console has fetched the week holding `start`.
 */
async function showWeekWith(page: Page, open: () => Promise<void>, start: Date): Promise<void> {
  const spans = watchBookingSpans(page)
  const at = start.getTime()
  await open()
  const week = page.getByRole('button', { name: 'Week', exact: true })
  await week.waitFor({ timeout: UI_WAIT })
  if ((await week.getAttribute('aria-pressed')) !== 'true') await week.click()
  if (!(await until(() => spans.length > 0, UI_WAIT))) throw new Error('the console fetched no bookings')
  for (let step = 0; !spans.some((s) => s.from <= at && at < s.to); step++) {
    if (step === 2) throw new Error(`the console did not reach the week of ${start.toISOString()} in two steps`)
    const furthest = Math.max(...spans.map((s) => s.from))
    await page.getByRole('button', { name: 'Next week' }).click()
    if (!(await until(() => spans.some((s) => s.from > furthest), UI_WAIT)))
      throw new Error('the console fetched no bookings for the next week')
  }
}

/** A booking as the week grid shows it: a block naming the guest. */
function bookingBlock(page: Page, ref: string): Locator {
  return page.getByRole('button', { name: new RegExp(`, ${GUEST.name}, `) }).and(page.locator(`[data-ref="${ref}"]`))
}

/** A booking as a card: its time, guest, notes, state and actions. */
function bookingCard(page: Page, ref: string): Locator {
  return page.getByRole('article').and(page.locator(`[data-ref="${ref}"]`))
}
