import { asc, eq } from 'drizzle-orm'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { createAdminKey } from '../api/admin/keys'
import { bookableResources, resourcePools, serviceParts, services } from '../drizzle/schema'
import { browserAvailable, launchChromium } from '../test/browser'
import { fitsWidth, sidewaysScroll } from '../test/console-journey'
import { hasFocus, pageProblems, person, startHumanHarness } from '../test/human'

/*
 * An owner builds a service in the console at a person's speed: a name and a slug typed key
 * by key, the therapist as the first part, a pool of rooms as the second with a label, the
 * pool moved first and back again with the keyboard alone, then saved; the database holds
 * the parts in that order. The tab is read on a desktop and on a 390 px phone. Screenshots:
 * .scratch/services-*.png.
 */

const UI_WAIT = 15_000
const SHOTS = new URL('../.scratch/', import.meta.url).pathname

describe.skipIf(!browserAvailable())('an owner who builds a service of a therapist and any free room', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
  })

  it('picks the parts, orders them with the keyboard, saves them in that order, and reads the tab on a phone', async ({
    expect,
  }) => {
    const harness = await startHumanHarness()
    const { db } = harness.database
    const [therapist] = await db.select().from(bookableResources).where(eq(bookableResources.slug, 'massage-therapist'))
    const [rooms] = await db.select().from(resourcePools).where(eq(resourcePools.slug, 'treatment-rooms'))
    const { key } = await createAdminKey(db, 'services desk')
    const context = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      locale: 'en-GB',
      timezoneId: 'Europe/Berlin',
    })
    const owner = await context.newPage()
    owner.setDefaultTimeout(UI_WAIT)
    const problems = await pageProblems(owner)
    const human = person(owner, 23, { pointer: 'mouse' })
    const shot = (step: string, fullPage = false) =>
      owner.screenshot({ path: `${SHOTS}services-${step}.png`, fullPage })
    try {
      await owner.goto(`${harness.apiUrl}/admin`)
      await owner.getByLabel('Admin key').fill(key)
      await owner.getByRole('button', { name: 'Sign in' }).click()
      await owner.getByRole('button', { name: 'Services', exact: true }).click()
      // The demo's massage service is listed with its parts.
      await owner.getByText('Therapist + Room').waitFor()
      await owner.getByRole('button', { name: 'New service' }).click()
      const editor = owner.getByRole('region', { name: 'New service' })
      await human.type(editor.getByLabel('Name', { exact: true }), 'Hot stone massage')
      await human.pause()
      await human.type(editor.getByLabel('Slug', { exact: true }), 'hot-stone')
      await human.pause()
      await editor.getByRole('button', { name: 'Add a part' }).click()
      await editor.getByRole('button', { name: 'Add a part' }).click()
      await editor.getByLabel('Part 1: resource or pool').selectOption(`resource:${therapist!.id}`)
      await human.pause()
      await editor.getByLabel('Part 2: resource or pool').selectOption(`pool:${rooms!.id}`)
      await human.type(editor.getByLabel('Label of part 2 (optional)'), 'Room')
      await human.pause()
      // The rooms first, by keyboard: then back, so the therapist leads again.
      await editor.getByRole('button', { name: `Move ${rooms!.name} up` }).focus()
      await owner.keyboard.press('Enter')
      expect
        .soft(await editor.getByRole('status').first().textContent(), 'the move is announced')
        .toBe(`${rooms!.name} is now 1 of 2, and leads.`)
      expect
        .soft(
          await hasFocus(editor.getByRole('button', { name: `Move ${rooms!.name} down` })),
          'focus stays on the part',
        )
        .toBe(true)
      await owner.keyboard.press('Enter')
      await human.pause()
      await shot('01-editing-desktop', true)
      await editor.getByRole('button', { name: 'Create' }).click()
      await owner.getByText(/^Hot stone massage created\./).waitFor()

      const [service] = await db.select().from(services).where(eq(services.slug, 'hot-stone'))
      expect(service, 'the service takes the lead’s zone').toMatchObject({
        name: 'Hot stone massage',
        timezone: 'Europe/Berlin',
        isActive: true,
      })
      const parts = await db
        .select({
          position: serviceParts.position,
          resourceId: serviceParts.resourceId,
          poolId: serviceParts.poolId,
          label: serviceParts.label,
        })
        .from(serviceParts)
        .where(eq(serviceParts.serviceId, service!.id))
        .orderBy(asc(serviceParts.position))
      expect(parts, 'the therapist leads, the rooms follow with their label').toEqual([
        { position: 0, resourceId: therapist!.id, poolId: null, label: null },
        { position: 1, resourceId: null, poolId: rooms!.id, label: 'Room' },
      ])
      // Guests can ask for it at once.
      const res = await fetch(`${harness.apiUrl}/v1/services/hot-stone`)
      expect(res.status).toBe(200)

      await owner.setViewportSize({ width: 390, height: 844 })
      const saved = owner.getByRole('region', { name: 'Edit Hot stone massage' })
      await saved.waitFor()
      await shot('02-saved-390px', true)
      expect.soft(await sidewaysScroll(owner), 'nothing in the Services tab scrolls sideways at 390 px').toEqual([])
      for (const name of [therapist!.name, rooms!.name])
        expect
          .soft(await fitsWidth(owner, saved.getByRole('button', { name: `Remove ${name}` })), `Remove ${name} fits`)
          .toBe(true)
      expect(problems(), 'the console ran into no errors').toEqual([])
      expect(harness.serverErrors, 'the server logged no errors').toEqual([])
    } catch (error) {
      await shot('FAILED', true).catch(() => {})
      throw error
    } finally {
      await context.close()
      await harness.close()
    }
  }, 90_000)
})
