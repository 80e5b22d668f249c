import { randomBytes } from 'node:crypto'
import { eq, inArray } from 'drizzle-orm'
import type { ParsedMail } from 'mailparser'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { waitlistEntries, waitlistMessages, waitlistOffers } from '../../drizzle/schema'
import type { ResourceConfig } from '../../shared/schemas'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { startFakeTwilio, type FakeTwilio } from '../../test/fake-twilio'
import { insertResource } from '../../test/fixtures'
import { startSmtpSink, type SmtpSink } from '../../test/smtp-sink'
import { fixedClock } from '../clock'
import { randomToken, sealToken, sha256Hex } from '../crypto'
import { runDueWork } from '../due-work'
import { silentLogger } from '../logger'
import { createSmtpSender } from '../notify/email'
import { MAX_ATTEMPTS } from '../notify/outbox-sender'
import { createTwilioSender } from '../notify/sms'
import { processWaitlistMessages, type WaitlistMessageDeps } from './send-waitlist-messages'
import { endOpenOffer } from './waitlist-store'

/*
 * The waitlist's message rows, written here as the join and offer code writes them, sent
 * over real protocols: SMTP to a local SMTP server (parsed with mailparser) and Twilio's
 * REST shape on a local HTTP server.
 */

let database: TestDatabase
let smtp: SmtpSink
let twilio: FakeTwilio
beforeAll(async () => {
  ;[database, smtp, twilio] = await Promise.all([createTestDatabase(), startSmtpSink(), startFakeTwilio()])
})
afterAll(async () => {
  await Promise.all([smtp?.close(), twilio?.close()])
  await database?.close()
})
beforeEach(() => {
  smtp.messages.length = 0
  twilio.messages.length = 0
})

const MINUTE = 60_000
const APP_SECRET = 'test-app-secret-0123456789-abcdefghijkl'
const PUBLIC_URL = 'https://book.example.test/'
const NOW = '2026-12-10T10:00:00Z'

function worker(options: { sms?: boolean; appSecret?: string | undefined; at?: string } = {}) {
  const clock = fixedClock(options.at ?? NOW)
  const deps: WaitlistMessageDeps = {
    db: database.db,
    clock,
    logger: silentLogger,
    email: createSmtpSender({ url: smtp.url, from: 'Bookings <bookings@example.test>' }),
    sms:
      options.sms === false
        ? undefined
        : createTwilioSender({
            accountSid: twilio.accountSid,
            authToken: twilio.authToken,
            from: '+14155550100',
            apiBase: twilio.url,
          }),
    links: { publicUrl: PUBLIC_URL, appSecret: 'appSecret' in options ? options.appSecret : APP_SECRET },
  }
  return { clock, deps, run: () => processWaitlistMessages(deps) }
}

let emails = 0
const uniqueEmail = () => `waiter.${process.pid}.${++emails}@example.com`

interface WaiterInput {
  config?: ResourceConfig
  kind?: 'slot' | 'range' | 'day'
  window?: [string, string]
  locale?: string
  guestTimezone?: string | null
  phone?: string | null
  sealed?: boolean
  /** Makes an offer and its messages (email, and SMS with a phone) instead of the joined email. */
  offer?: { start: string; end: string; expiresAt: string; status?: 'open' | 'claimed' | 'lapsed' | 'declined' }
  email?: string
}

/** A resource, a waiting entry with a sealed link token, and its due message rows, as the lead's code writes them. */
async function waiter(input: WaiterInput = {}) {
  const resource = await insertResource(database.db, {
    name: 'Court 3',
    timezone: 'Europe/Berlin',
    config: input.config ?? {},
  })
  const token = randomToken()
  const [start, end] = input.window ?? ['2026-12-12T17:00:00Z', '2026-12-12T18:00:00Z']
  const [entry] = await database.db
    .insert(waitlistEntries)
    .values({
      ref: `W${randomBytes(4).toString('hex').toUpperCase()}`,
      resourceId: resource.id,
      kind: input.kind ?? 'slot',
      windowStart: new Date(start),
      windowEnd: new Date(end),
      guestName: 'Ada Lovelace',
      guestEmail: input.email ?? uniqueEmail(),
      guestPhone: input.phone === undefined ? '+442071234567' : input.phone,
      locale: input.locale ?? 'en',
      guestTimezone: input.guestTimezone === undefined ? 'Europe/London' : input.guestTimezone,
      tokenHash: await sha256Hex(token),
      linkSealed: input.sealed === false ? null : await sealToken(token, APP_SECRET, 'message-links'),
      createdAt: new Date(NOW),
    })
    .returning()
  let offerId: string | undefined
  if (input.offer) {
    const [offer] = await database.db
      .insert(waitlistOffers)
      .values({
        entryId: entry!.id,
        resourceId: resource.id,
        startsAt: new Date(input.offer.start),
        endsAt: new Date(input.offer.end),
        holdId: `hold-${randomBytes(4).toString('hex')}`,
        status: input.offer.status ?? 'open',
        offeredAt: new Date(NOW),
        expiresAt: new Date(input.offer.expiresAt),
      })
      .returning()
    offerId = offer!.id
  }
  const event = offerId ? ('offered' as const) : ('joined' as const)
  const channels = offerId && entry!.guestPhone ? (['email', 'sms'] as const) : (['email'] as const)
  await database.db.insert(waitlistMessages).values(
    channels.map((channel) => ({
      key: `${entry!.id}:${event}:${offerId ?? '-'}:${channel}`,
      entryId: entry!.id,
      offerId,
      event,
      channel,
      recipient: channel === 'email' ? entry!.guestEmail : entry!.guestPhone!,
      sendAfter: new Date(NOW),
    })),
  )
  return { entry: entry!, token, resource }
}

const mailTo = (address: string) => smtp.messages.filter((m) => (m.to as { text: string }).text === address)
const smsTo = (number: string) => twilio.messages.filter((m) => m.to === number)
const rowsOf = (entryId: string) =>
  database.db.select().from(waitlistMessages).where(eq(waitlistMessages.entryId, entryId))

/** The link in a mail's HTML, as a mail client opens it. */
function linkIn(mail: ParsedMail | undefined): string | undefined {
  const html = typeof mail?.html === 'string' ? mail.html : ''
  return html.match(/href="([^"]+)"/)?.[1]?.replace(/&amp;/g, '&')
}

/** The link's fragment opens this entry: its ref, a token whose hash the entry keeps, and the language. */
async function expectWorkingLink(link: string | undefined, entry: { ref: string; tokenHash: string }, lang: string) {
  expect(link).toMatch(
    new RegExp(`^https://book\\.example\\.test/manage#waitlist=${entry.ref}&token=[\\w-]+&lang=${lang}$`),
  )
  const fragment = new URLSearchParams(link!.split('#')[1])
  expect(await sha256Hex(fragment.get('token')!)).toBe(entry.tokenHash)
}

describe('joined: the email that says the guest is on the waitlist', () => {
  it('in English: the slot on the guest’s clock, how long a freed time is kept, SMS too, a working link', async () => {
    const { entry } = await waiter({ config: { waitlistOfferMinutes: 20 } })
    const { run } = worker()
    expect(await run()).toMatchObject({ sent: 1, failed: 0 })

    const [mail] = mailTo(entry.guestEmail)
    expect(mail?.subject).toBe("You're on the waitlist: Court 3, Saturday, 12 December 2026, 17:00–18:00 London time")
    expect(mail?.text).toContain('Hello Ada Lovelace,')
    expect(mail?.text).toContain('Waiting for: Saturday, 12 December 2026, 17:00–18:00 London time')
    expect(mail?.text).toContain(`Reference: ${entry.ref}`)
    expect(mail?.text).toContain('by email and text message')
    expect(mail?.text).toContain('for 20 minutes')
    expect(mail?.messageId).toMatch(/^<waitlist\.[\w-]+@book\.example\.test>$/)
    await expectWorkingLink(linkIn(mail), entry, 'en')
    expect(mail?.text).toContain(`See your place or leave the waitlist: ${linkIn(mail)}`)
    // Joining is told by email alone.
    expect(smsTo(entry.guestPhone!)).toHaveLength(0)
    expect(await rowsOf(entry.id)).toEqual([
      expect.objectContaining({ status: 'sent', attempts: 1, lastError: null, sentAt: new Date(NOW) }),
    ])

    // Sent once: another run sends nothing more.
    expect(await run()).toMatchObject({ sent: 0 })
    expect(mailTo(entry.guestEmail)).toHaveLength(1)
  })

  it('in German: a stretch of a day on the resource’s clock when the guest gave none, the default offer minutes', async () => {
    const { entry } = await waiter({
      kind: 'range',
      window: ['2026-12-12T16:00:00Z', '2026-12-12T19:00:00Z'],
      locale: 'de-AT',
      guestTimezone: null,
      phone: null,
    })
    await worker().run()
    const [mail] = mailTo(entry.guestEmail)
    expect(mail?.subject).toBe(
      'Sie stehen auf der Warteliste: Court 3, Samstag, 12. Dezember 2026, jederzeit zwischen 17:00 und 20:00 Uhr Ortszeit Berlin',
    )
    expect(mail?.text).toContain('Hallo Ada Lovelace,')
    expect(mail?.text).toContain('Court 3: Sie stehen auf der Warteliste.')
    expect(mail?.text).toContain('benachrichtigen wir Sie per E-Mail.') // no phone: no SMS promised
    expect(mail?.text).toContain('15 Minuten lang für Sie frei')
    await expectWorkingLink(linkIn(mail), entry, 'de')
    expect(mail?.text).toContain(`Ihren Platz ansehen oder die Warteliste verlassen: ${linkIn(mail)}`)
  })

  it('a whole day in Spanish is the resource’s day, its clock named for a guest on another', async () => {
    const { entry } = await waiter({
      kind: 'day',
      window: ['2026-12-11T23:00:00Z', '2026-12-12T23:00:00Z'],
      locale: 'es',
      guestTimezone: 'America/New_York',
    })
    await worker().run()
    const [mail] = mailTo(entry.guestEmail)
    expect(mail?.text).toContain(
      'Horario deseado: a cualquier hora del sábado, 12 de diciembre de 2026 (00:00–24:00 hora de Berlín)',
    )
    expect(mail?.text).toContain('por correo electrónico y por SMS')
    await expectWorkingLink(linkIn(mail), entry, 'es')
  })

  it('goes without a link when no APP_SECRET is set or no token was sealed', async () => {
    const unsealed = await waiter({ sealed: false })
    await worker().run()
    const [mail] = mailTo(unsealed.entry.guestEmail)
    expect(mail?.subject).toMatch(/^You're on the waitlist: Court 3/)
    expect(linkIn(mail)).toBeUndefined()
    expect(mail?.text).not.toContain('See your place')

    const sealed = await waiter()
    await worker({ appSecret: undefined }).run()
    expect(mailTo(sealed.entry.guestEmail)).toHaveLength(1)
    expect(linkIn(mailTo(sealed.entry.guestEmail)[0])).toBeUndefined()
  })

  it('is not sent once the guest has left the list', async () => {
    const { entry } = await waiter()
    await database.db.update(waitlistEntries).set({ status: 'left' }).where(eq(waitlistEntries.id, entry.id))
    expect(await worker().run()).toMatchObject({ skipped: 1, sent: 0 })
    expect(mailTo(entry.guestEmail)).toHaveLength(0)
    expect(await rowsOf(entry.id)).toEqual([expect.objectContaining({ status: 'skipped', lastError: 'entry is left' })])
  })
})

describe('offered: the claim link for a freed time', () => {
  const offer = { start: '2026-12-12T17:00:00Z', end: '2026-12-12T18:00:00Z', expiresAt: '2026-12-10T10:15:00Z' }

  it('email and SMS in English: the time on the guest’s clock (the resource’s beside), kept until, a claim link', async () => {
    const { entry } = await waiter({ offer })
    expect(await worker().run()).toMatchObject({ sent: 2 })
    const [mail] = mailTo(entry.guestEmail)
    const when = 'Saturday, 12 December 2026, 17:00 London time (18:00 in Berlin)'
    expect(mail?.subject).toBe(`Free for you: Court 3, ${when}`)
    expect(mail?.text).toContain(
      `A time at Court 3 is free for you: ${when}. It is kept for you until 10:15 London time.`,
    )
    await expectWorkingLink(linkIn(mail), entry, 'en')
    expect(mail?.text).toContain(`Claim it: ${linkIn(mail)}`)

    const [sms] = smsTo(entry.guestPhone!)
    expect(sms?.body).toMatch(
      new RegExp(
        `^A time at Court 3 is free for you: ${when.replace(/[()]/g, '\\$&')}, kept until 10:15 London time\\. Claim it: https://book\\.example\\.test/manage#waitlist=${entry.ref}&token=[\\w-]+&lang=en$`,
      ),
    )
    await expectWorkingLink(sms!.body.split('Claim it: ')[1], entry, 'en')
    expect((await rowsOf(entry.id)).map((r) => [r.channel, r.status])).toEqual(
      expect.arrayContaining([
        ['email', 'sent'],
        ['sms', 'sent'],
      ]),
    )
  })

  it('in German, on the resource’s clock when the guest gave none', async () => {
    const { entry } = await waiter({ offer, locale: 'de', guestTimezone: null })
    await worker().run()
    const [mail] = mailTo(entry.guestEmail)
    expect(mail?.subject).toBe('Für Sie frei: Court 3, Samstag, 12. Dezember 2026, 18:00 Uhr Ortszeit Berlin')
    expect(mail?.text).toContain(
      'Bei Court 3 ist ein Termin für Sie frei geworden: Samstag, 12. Dezember 2026, 18:00 Uhr Ortszeit Berlin. Wir reservieren ihn bis 11:15 Uhr Ortszeit Berlin für Sie.',
    )
    await expectWorkingLink(linkIn(mail), entry, 'de')
    expect(smsTo(entry.guestPhone!)[0]?.body).toContain(
      'reserviert bis 11:15 Uhr Ortszeit Berlin. Termin buchen: https://',
    )
  })

  for (const [why, change] of [
    ['claimed', { status: 'claimed' }],
    ['lapsed', { status: 'lapsed' }],
    ['declined', { status: 'declined' }],
    ['still open but past its expiry', {}],
  ] as const) {
    it(`is skipped, email and SMS, when the offer was ${why} before the message went`, async () => {
      const { entry } = await waiter({ offer: { ...offer, ...change } })
      const { clock, run } = worker()
      if (why.startsWith('still open')) clock.set(offer.expiresAt)
      expect(await run()).toMatchObject({ skipped: 2, sent: 0 })
      expect(mailTo(entry.guestEmail)).toHaveLength(0)
      expect(smsTo(entry.guestPhone!)).toHaveLength(0)
      for (const row of await rowsOf(entry.id))
        expect(row).toMatchObject({ status: 'skipped', lastError: 'offer no longer open' })
    })
  }

  it('skips the SMS, saying why, when no SMS provider is configured; the email still goes', async () => {
    const { entry } = await waiter({ offer })
    expect(await worker({ sms: false }).run()).toMatchObject({ sent: 1, skipped: 1 })
    const rows = await rowsOf(entry.id)
    expect(rows.find((r) => r.channel === 'sms')).toMatchObject({
      status: 'skipped',
      lastError: 'no SMS provider configured (TWILIO_*)',
    })
    expect(mailTo(entry.guestEmail)).toHaveLength(1)
  })
})

describe('the waitlist message worker', () => {
  it('retries after an SMTP failure with backoff: one message, 2 attempts', async () => {
    const { entry } = await waiter({ phone: null })
    const { clock, run } = worker()
    smtp.refuseNext(1)
    expect(await run()).toMatchObject({ retrying: 1, sent: 0 })
    const [waiting] = await rowsOf(entry.id)
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1 })
    expect(waiting?.lastError).toMatch(/451/)
    expect(waiting?.lastError).not.toContain(entry.guestEmail)
    expect(await run()).toMatchObject({ retrying: 0, sent: 0 }) // backing off: not due yet
    clock.set(clock.now() + 30_000) // the first retry is due after 30 s
    expect(await run()).toMatchObject({ sent: 1 })
    expect(await rowsOf(entry.id)).toEqual([expect.objectContaining({ status: 'sent', attempts: 2, lastError: null })])
    expect(mailTo(entry.guestEmail)).toHaveLength(1)
  })

  it(`gives up after ${MAX_ATTEMPTS} attempts, as the booking outbox does`, async () => {
    const { entry } = await waiter({ phone: null })
    const { clock, run } = worker()
    smtp.refuseNext(MAX_ATTEMPTS)
    const outcomes = []
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      outcomes.push(await run())
      clock.set(clock.now() + 2 * 60 * MINUTE) // past any backoff
    }
    expect(outcomes.map((o) => (o.failed ? 'failed' : o.retrying ? 'retrying' : 'idle'))).toEqual([
      ...Array(MAX_ATTEMPTS - 1).fill('retrying'),
      'failed',
    ])
    expect(await rowsOf(entry.id)).toEqual([expect.objectContaining({ status: 'failed', attempts: MAX_ATTEMPTS })])
    expect(mailTo(entry.guestEmail)).toHaveLength(0)
  })

  it('two workers at once send each row exactly once', async () => {
    const entries = []
    for (let i = 0; i < 40; i++) entries.push((await waiter({ phone: null })).entry)
    const a = worker()
    const b = worker()
    const [first, second] = await Promise.all([a.run(), b.run()])
    expect(first.sent + second.sent).toBe(40)
    const ids = smtp.messages.map((m) => m.messageId)
    expect(ids).toHaveLength(40)
    expect(new Set(ids).size).toBe(40)
    const rows = await database.db
      .select()
      .from(waitlistMessages)
      .where(
        inArray(
          waitlistMessages.entryId,
          entries.map((e) => e.id),
        ),
      )
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true)
  }, 60_000)

  it('runs in the due work after the booking outbox, reported as waitlistMessages', async () => {
    const { entry } = await waiter({ phone: null })
    const { clock, deps } = worker()
    const { db, logger, email, sms, links } = deps
    const done = await runDueWork({ db, clock, logger, payments: undefined, notifiers: { email, sms, links } })
    expect(done.waitlistMessages).toMatchObject({ sent: 1 })
    expect(mailTo(entry.guestEmail)).toHaveLength(1)
    // Without notifiers nothing is sent and nothing is reported.
    const quiet = await runDueWork({ db, clock, logger, payments: undefined })
    expect(quiet).not.toHaveProperty('waitlistMessages')
  })
})

describe('removed: the email that tells a guest the owner took their entry off the list', () => {
  it('in German, written with the removal, email only (a phone given), no link, the window on the guest’s clock', async () => {
    const { entry } = await waiter({
      kind: 'range',
      window: ['2026-12-12T16:00:00Z', '2026-12-12T19:00:00Z'],
      locale: 'de',
      guestTimezone: null,
    })
    // As the owner's remove writes it: the entry ends and its message row appears together.
    const ended = await endOpenOffer(database.db, entry.id, 'withdrawn', new Date(NOW), 'removed')
    expect(ended.entry?.status).toBe('removed')
    expect((await rowsOf(entry.id)).filter((r) => r.event === 'removed').map((r) => [r.channel, r.recipient])).toEqual([
      ['email', entry.guestEmail],
    ])

    // The joined email, not yet sent, no longer goes: only the removal does.
    expect(await worker().run()).toMatchObject({ sent: 1, skipped: 1, failed: 0 })
    const mails = mailTo(entry.guestEmail)
    expect(mails).toHaveLength(1)
    const window = 'Samstag, 12. Dezember 2026, jederzeit zwischen 17:00 und 20:00 Uhr Ortszeit Berlin'
    expect(mails[0]?.subject).toBe(`Nicht mehr auf der Warteliste: Court 3, ${window}`)
    expect(mails[0]?.text).toContain('Hallo Ada Lovelace,')
    expect(mails[0]?.text).toContain(
      'Sie stehen nicht mehr auf der Warteliste für Court 3. Der Platz konnte leider nicht für Sie freigehalten werden.',
    )
    expect(mails[0]?.text).toContain(`Gewünschte Zeit: ${window}`)
    expect(mails[0]?.text).toContain(`Referenznummer: ${entry.ref}`)
    expect(mails[0]?.text).not.toContain('https://')
    expect(linkIn(mails[0])).toBeUndefined()
    expect(smsTo(entry.guestPhone!)).toHaveLength(0)

    // Removing twice tells once.
    await endOpenOffer(database.db, entry.id, 'withdrawn', new Date(NOW), 'removed')
    expect((await rowsOf(entry.id)).filter((r) => r.event === 'removed')).toHaveLength(1)
    expect(await worker().run()).toMatchObject({ sent: 0 })
  })

  it('a guest who leaves is told nothing', async () => {
    const { entry } = await waiter()
    await endOpenOffer(database.db, entry.id, 'withdrawn', new Date(NOW), 'left')
    expect((await rowsOf(entry.id)).map((r) => r.event)).toEqual(['joined'])
  })
})
