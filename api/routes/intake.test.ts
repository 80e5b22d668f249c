import { count, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookings } from '../../drizzle/schema'
import type { AdminBookingResponse, AdminResourceResponse, ResourceResponse } from '../../shared/api-contract'
import type { ErrorBody, FieldError } from '../../shared/errors'
import type { IntakeQuestion } from '../../shared/resource-config'
import type { PublicBooking, PublicHold } from '../../shared/types'
import { createTestApi } from '../../test/api'
import { createTestDatabase, type TestDatabase } from '../../test/database'
import { everyDay, insertResource } from '../../test/fixtures'
import { createTestHoldBackend, newSession } from '../../test/holds'
import { createAdminKey } from '../admin/keys'
import { fixedClock } from '../clock'

/*
 * Intake questions through the real API: answers are checked against the resource's
 * questions before anything is written, stored normalised beside the questions as asked,
 * and read back by the owner in words even after the questions change.
 */

let database: TestDatabase
let key: string
beforeAll(async () => {
  database = await createTestDatabase()
  key = (await createAdminKey(database.db, 'intake tests')).key
})
afterAll(() => database?.close())

const NOW = Date.parse('2026-03-20T12:00:00Z')
const HOUR = 3_600_000

const QUESTIONS: IntakeQuestion[] = [
  { id: 'company', type: 'short_text', label: { en: 'Company', de: 'Firma' } },
  { id: 'story', type: 'long_text', label: { en: 'Anything else?' } },
  {
    id: 'level',
    type: 'single_choice',
    label: { en: 'Level' },
    required: true,
    choices: [
      { id: 'new', label: { en: 'Beginner', de: 'Anfänger' } },
      { id: 'pro', label: { en: 'Advanced' } },
    ],
  },
  {
    id: 'extras',
    type: 'multiple_choice',
    label: { en: 'Extras' },
    choices: [
      { id: 'towel', label: { en: 'Towel' } },
      { id: 'tea', label: { en: 'Tea' } },
    ],
  },
  { id: 'terms', type: 'checkbox', label: { en: 'I accept the terms' }, required: true },
  { id: 'age', type: 'number', label: { en: 'Age' }, min: 18, max: 99 },
  { id: 'mobile', type: 'phone', label: { en: 'Mobile' } },
]

const GOOD = { level: 'new', terms: true }

function setup() {
  const clock = fixedClock(NOW)
  const api = createTestApi({ db: database.db, clock, holds: createTestHoldBackend(clock).holds })
  const admin = <T>(method: string, path: string, body?: unknown) =>
    api.call<T>(method, `/v1/admin${path}`, { token: key, ...(body !== undefined ? { body } : {}) })
  let slot = 0
  /** Holds the next free hour of `resourceId` and books it with `answers`. */
  async function book<T = { booking: PublicBooking }>(resourceId: string, answers?: unknown) {
    const session = newSession()
    const start = new Date(Math.floor(NOW / HOUR) * HOUR + (24 + ++slot) * HOUR).toISOString()
    const hold = await api.call<{ hold: PublicHold }>('POST', '/v1/holds', { session, body: { resourceId, start } })
    expect(hold.status).toBe(201)
    return api.call<T>('POST', '/v1/bookings', {
      session,
      body: {
        holdId: hold.body.hold.id,
        guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
        ...(answers !== undefined ? { answers } : {}),
      },
    })
  }
  return { ...api, admin, book }
}

async function resource(questions?: IntakeQuestion[]) {
  return insertResource(database.db, {
    name: 'Yoga',
    timezone: 'Europe/Berlin',
    config: questions ? { questions } : {},
    schedules: everyDay({ startTime: '00:00', endTime: '24:00', slotDuration: 60 }),
  })
}

const rowsOf = async (resourceId: string) =>
  (await database.db.select({ n: count() }).from(bookings).where(eq(bookings.resourceId, resourceId)))[0]!.n

const details = (res: { body: ErrorBody }) => res.body.error.details as FieldError[]

describe('intake questions on POST /v1/bookings', () => {
  it.each<[string, unknown, FieldError['code']]>([
    ['company', 'two\nlines', 'invalid'],
    ['company', 'x'.repeat(201), 'too_long'],
    ['story', 7, 'invalid'],
    ['level', 'expert', 'invalid'],
    ['level', ['new'], 'invalid'],
    ['extras', ['tea', 'tea'], 'invalid'],
    ['extras', ['coffee'], 'invalid'],
    ['terms', 'yes', 'invalid'],
    ['age', 12, 'invalid'],
    ['age', 120, 'invalid'],
    ['age', 'old', 'invalid'],
    ['mobile', '12', 'invalid_phone'],
  ])('answers 400 at answers.%s for %j, and writes nothing', async (id, value, code) => {
    const api = setup()
    const r = await resource(QUESTIONS)
    const res = await api.book<ErrorBody>(r.id, { ...GOOD, [id]: value })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('invalid_request')
    expect(details(res)).toEqual([{ path: `answers.${id}`, code, message: expect.any(String) }])
    expect(await rowsOf(r.id)).toBe(0)
  })

  it('names every missing required answer (an unticked required checkbox too) and unknown ids, in one 400', async () => {
    const api = setup()
    const r = await resource(QUESTIONS)
    const res = await api.book<ErrorBody>(r.id, { terms: false, compnay: 'Acme' })
    expect(res.status).toBe(400)
    expect(details(res).map((d) => [d.path, d.code])).toEqual([
      ['answers.level', 'required'],
      ['answers.terms', 'required'],
      ['answers.compnay', 'invalid'],
    ])
    const none = await api.book<ErrorBody>(r.id)
    expect(details(none).map((d) => d.path)).toEqual(['answers.level', 'answers.terms'])
    expect(await rowsOf(r.id)).toBe(0)
  })

  it('refuses any answer for a resource without questions, and books without answers', async () => {
    const api = setup()
    const r = await resource()
    const res = await api.book<ErrorBody>(r.id, { note: 'hi' })
    expect([res.status, details(res).map((d) => d.path)]).toEqual([400, ['answers.note']])
    expect((await api.book(r.id, {})).status).toBe(201)
    const plain = await api.book(r.id)
    expect(plain.status).toBe(201)
    expect(plain.body.booking.answers).toBeUndefined()
    const [row] = await database.db.select().from(bookings).where(eq(bookings.ref, plain.body.booking.ref))
    expect([row!.answers, row!.questionsAsked]).toEqual([null, null])
  })

  it('stores good answers normalised with the questions as asked, and returns them', async () => {
    const api = setup()
    const r = await resource(QUESTIONS)
    const res = await api.book(r.id, {
      company: '  Acme GmbH ',
      story: 'First line\nsecond line',
      level: 'pro',
      extras: ['tea', 'towel'],
      terms: true,
      age: '42',
      mobile: '0151 1234 5678',
    })
    expect(res.status).toBe(201)
    const answers = {
      company: 'Acme GmbH',
      story: 'First line\nsecond line',
      level: 'pro',
      extras: ['tea', 'towel'],
      terms: true,
      age: 42,
      mobile: '+4915112345678',
    }
    expect(res.body.booking.answers).toEqual(answers)
    // The guest's own view carries the answers, never the owner's words for them.
    expect(res.body.booking.answersReadable).toBeUndefined()
    const [row] = await database.db.select().from(bookings).where(eq(bookings.ref, res.body.booking.ref))
    expect(row!.answers).toEqual(answers)
    expect(row!.questionsAsked).toEqual(QUESTIONS)
  })

  it('shows the questions in the public resource view, and none when there are none', async () => {
    const api = setup()
    const r = await resource(QUESTIONS)
    const view = await api.call<ResourceResponse>('GET', `/v1/resources/${r.slug}`)
    expect(view.body.resource.questions).toEqual(QUESTIONS)
    const plain = await resource()
    const plainView = await api.call<ResourceResponse>('GET', `/v1/resources/${plain.slug}`)
    expect(Object.keys(plainView.body.resource)).not.toContain('questions')
  })
})

describe('answers after the owner changes the questions', () => {
  it('keep their old questions: answersReadable shows the old labels, new bookings follow the new questions', async () => {
    const api = setup()
    const r = await resource(QUESTIONS)
    const old = await api.book(r.id, { level: 'new', terms: true, company: 'Acme', extras: ['towel'] })
    expect(old.status).toBe(201)

    // The owner renames a question, drops another and a choice, and adds a required one.
    const changed: IntakeQuestion[] = [
      { id: 'company', type: 'short_text', label: { en: 'Organisation' } },
      {
        id: 'level',
        type: 'single_choice',
        label: { en: 'Experience' },
        choices: [
          { id: 'pro', label: { en: 'Expert' } },
          { id: 'mid', label: { en: 'Some' } },
        ],
      },
      { id: 'shoe', type: 'number', label: { en: 'Shoe size' }, required: true },
    ]
    const patched = await api.admin<AdminResourceResponse>('PATCH', `/resources/${r.id}`, {
      config: { questions: changed },
    })
    expect(patched.status).toBe(200)

    const page = await api.admin<{ bookings: AdminBookingResponse['booking'][] }>('GET', `/bookings?resourceId=${r.id}`)
    const oldView = page.body.bookings.find((b) => b.ref === old.body.booking.ref)!
    expect(oldView.answersReadable).toEqual([
      { questionId: 'company', question: 'Company', answer: 'Acme' },
      { questionId: 'level', question: 'Level', answer: 'Beginner' },
      { questionId: 'extras', question: 'Extras', answer: 'Towel' },
      { questionId: 'terms', question: 'I accept the terms', answer: 'Yes' },
    ])
    const single = await api.admin<AdminBookingResponse>('GET', `/bookings/${oldView.id}`)
    expect(single.body.booking.answersReadable).toEqual(oldView.answersReadable)

    // The old answers are not valid any more; a new booking is checked against the new questions.
    const stale = await api.book<ErrorBody>(r.id, { level: 'new', terms: true })
    expect(details(stale).map((d) => d.path)).toEqual(['answers.level', 'answers.shoe', 'answers.terms'])
    const fresh = await api.book(r.id, { level: 'mid', shoe: 43 })
    expect(fresh.status).toBe(201)
    const freshView = await api.admin<{ bookings: AdminBookingResponse['booking'][] }>(
      'GET',
      `/bookings?resourceId=${r.id}`,
    )
    expect(freshView.body.bookings.find((b) => b.ref === fresh.body.booking.ref)!.answersReadable).toEqual([
      { questionId: 'level', question: 'Experience', answer: 'Some' },
      { questionId: 'shoe', question: 'Shoe size', answer: '43' },
    ])
  })
})
