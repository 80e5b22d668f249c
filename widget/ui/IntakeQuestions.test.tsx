// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { IntakeQuestion } from '../../shared/resource-config'
import type { AvailabilityResponse, PublicBooking, PublicHold, PublicResource } from '../../shared/types'
import type { BookingClient } from '../client'
import { CATALOGUES } from '../locales'
import { createBookingState } from '../state'
import { BookingWidget } from './BookingWidget'

/*
 * Intake questions in the details step as a guest answers them: each with its control,
 * in the page's language, checked before sending, refusals shown on the question, and
 * nothing typed ever wiped.
 */

const QUESTIONS: IntakeQuestion[] = [
  { id: 'company', type: 'short_text', label: { en: 'Company', de: 'Firma' }, help: { de: 'Für die Rechnung' } },
  {
    id: 'level',
    type: 'single_choice',
    label: { en: 'Level', de: 'Niveau' },
    required: true,
    choices: [
      { id: 'new', label: { en: 'Beginner', de: 'Anfänger' } },
      { id: 'pro', label: { en: 'Advanced', de: 'Fortgeschritten' } },
    ],
  },
  {
    id: 'extras',
    type: 'multiple_choice',
    label: { en: 'Extras' },
    choices: [
      { id: 'towel', label: { en: 'Towel', de: 'Handtuch' } },
      { id: 'tea', label: { en: 'Tea', de: 'Tee' } },
    ],
  },
  { id: 'terms', type: 'checkbox', label: { en: 'I accept the terms', de: 'Ich akzeptiere die AGB' }, required: true },
  { id: 'age', type: 'number', label: { en: 'Age', de: 'Alter' }, min: 18, max: 99 },
  { id: 'story', type: 'long_text', label: { en: 'Anything else?', de: 'Sonst noch etwas?' } },
  { id: 'mobile', type: 'phone', label: { en: 'Mobile', de: 'Handy' } },
]

const room: PublicResource = {
  id: 'r-1',
  slug: 'room',
  type: 'room',
  name: 'Yoga',
  timezone: 'Europe/Berlin',
  questions: QUESTIONS,
}
const now = () => new Date('2026-03-27T12:00:00Z')
const slot = { start: '2026-03-30T08:00:00Z', end: '2026-03-30T08:30:00Z' }

function createFakeClient() {
  const hold: PublicHold = {
    id: 'h_1',
    resourceId: room.id,
    ...slot,
    expiresAt: new Date(Date.now() + 600_000).toISOString(),
  }
  const booking: PublicBooking = {
    ref: 'K7Q2XM3D',
    resourceId: room.id,
    status: 'confirmed',
    ...slot,
    guest: { name: 'Grete', email: 'grete@example.com' },
    version: 1,
    createdAt: '2026-03-27T12:00:00Z',
  }
  return {
    getAvailability: vi.fn<BookingClient['getAvailability']>(
      async (_id, query): Promise<{ data: AvailabilityResponse }> => ({
        data: {
          resource: room,
          timezone: query.tz ?? room.timezone,
          days: query.from <= '2026-03-30' && query.to >= '2026-03-30' ? [{ date: '2026-03-30', slots: [slot] }] : [],
        },
      }),
    ),
    getNextAvailable: vi.fn<BookingClient['getNextAvailable']>(async () => ({ data: null })),
    placeHold: vi.fn<BookingClient['placeHold']>(async () => ({ data: hold })),
    releaseHold: vi.fn<BookingClient['releaseHold']>(async () => ({ data: true as const })),
    createBooking: vi.fn<BookingClient['createBooking']>(async () => ({ data: { booking, manageToken: 'token' } })),
    rescheduleBooking: vi.fn<BookingClient['rescheduleBooking']>(),
    getBooking: vi.fn<BookingClient['getBooking']>(),
    getCalendarFile: vi.fn<BookingClient['getCalendarFile']>(async () => ({ data: new Blob(['BEGIN:VCALENDAR']) })),
  }
}

async function renderHeld(locale: 'en' | 'de', client = createFakeClient()) {
  const state = createBookingState(client, {
    resource: 'room',
    zone: 'Europe/Berlin',
    t: CATALOGUES[locale]!,
    locale,
    now,
  })
  void state.load()
  render(<BookingWidget state={state} client={client} />)
  fireEvent.click(within(await screen.findByRole('listbox')).getAllByRole('option')[0]!)
  await screen.findByRole('timer')
  return client
}

function type(label: string | RegExp, text: string) {
  const input = screen.getByLabelText(label) as HTMLInputElement
  for (let i = 1; i <= text.length; i++) fireEvent.input(input, { target: { value: text.slice(0, i) } })
  return input
}
const submit = () => fireEvent.submit(document.querySelector('form.details')!)
const errorOf = (element: Element) =>
  (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id))
    .find((el) => el?.classList.contains('field-error'))?.textContent

afterEach(cleanup)

describe('intake questions in the details step', () => {
  it('renders each type with its control, labelled in German, groups as fieldsets with a legend', async () => {
    await renderHeld('de')
    expect((screen.getByLabelText(/^Firma/) as HTMLInputElement).type).toBe('text')
    expect(
      document.getElementById(screen.getByLabelText(/^Firma/).getAttribute('aria-describedby')!)?.textContent,
    ).toBe('Für die Rechnung')
    const level = screen.getByRole('group', { name: /Niveau/ })
    expect(level.tagName).toBe('FIELDSET')
    expect(
      within(level)
        .getAllByRole('radio')
        .map((r) => r.parentElement?.textContent),
    ).toEqual(['Anfänger', 'Fortgeschritten'])
    // Choices without German words fall back to English ones; with them, German.
    expect(within(screen.getByRole('group', { name: /Extras/ })).getAllByRole('checkbox')).toHaveLength(2)
    expect(screen.getByRole('checkbox', { name: /Ich akzeptiere die AGB/ })).toBeTruthy()
    const age = screen.getByLabelText(/^Alter/) as HTMLInputElement
    expect(age.inputMode).toBe('decimal')
    expect(screen.getByLabelText(/^Sonst noch etwas/).tagName).toBe('TEXTAREA')
    expect((screen.getByLabelText(/^Handy/) as HTMLInputElement).type).toBe('tel')
  }, 10_000)

  it('refuses an unticked required checkbox in German before sending, keeps every answer, then books', async () => {
    const client = await renderHeld('de')
    type('Name', 'Grete Müller')
    type('E-Mail', 'grete@example.com')
    type(/^Firma/, '  Müller & Co ')
    fireEvent.click(screen.getByRole('radio', { name: 'Fortgeschritten' }))
    fireEvent.click(screen.getByRole('checkbox', { name: 'Tee' }))
    fireEvent.click(screen.getByRole('checkbox', { name: 'Handtuch' }))
    type(/^Alter/, '42,5')
    submit()

    const terms = screen.getByRole('checkbox', { name: /Ich akzeptiere/ })
    await waitFor(() => expect(terms.getAttribute('aria-invalid')).toBe('true'))
    expect(errorOf(terms)).toBe(CATALOGUES.de!.intake.mustAccept)
    await waitFor(() => expect(document.activeElement).toBe(terms))
    expect(client.createBooking).not.toHaveBeenCalled()
    expect((screen.getByLabelText(/^Firma/) as HTMLInputElement).value).toBe('  Müller & Co ')
    expect((screen.getByRole('radio', { name: 'Fortgeschritten' }) as HTMLInputElement).checked).toBe(true)
    expect((screen.getByLabelText(/^Alter/) as HTMLInputElement).value).toBe('42,5')

    fireEvent.click(terms)
    expect(terms.getAttribute('aria-invalid')).toBeNull()
    submit()
    await waitFor(() => expect(client.createBooking).toHaveBeenCalledTimes(1))
    expect(client.createBooking.mock.calls[0]?.[0].answers).toEqual({
      company: 'Müller & Co',
      level: 'pro',
      extras: ['towel', 'tea'],
      terms: true,
      age: 42.5,
    })
  }, 10_000)

  it('says why a number is out of bounds, in the guest’s number format', async () => {
    await renderHeld('en')
    type('Name', 'Ada')
    type('Email', 'ada@example.com')
    fireEvent.click(screen.getByRole('radio', { name: 'Beginner' }))
    fireEvent.click(screen.getByRole('checkbox', { name: /I accept/ }))
    const age = type(/^Age/, '12')
    submit()
    await waitFor(() => expect(errorOf(age)).toBe('Please enter 18 or more.'))
    const level = screen.getByRole('group', { name: /Level/ })
    expect(level.getAttribute('aria-invalid')).toBeNull()
  }, 10_000)

  it('shows the server’s refusal of an answer on its question and keeps the answers', async () => {
    const client = createFakeClient()
    client.createBooking.mockResolvedValueOnce({
      error: {
        code: 'invalid_request',
        message: 'Some answers to the questions are not valid.',
        status: 400,
        details: [{ path: 'answers.mobile', code: 'invalid_phone', message: 'not a phone number' }],
      },
    })
    await renderHeld('en', client)
    type('Name', 'Ada')
    type('Email', 'ada@example.com')
    fireEvent.click(screen.getByRole('radio', { name: 'Advanced' }))
    fireEvent.click(screen.getByRole('checkbox', { name: /I accept/ }))
    const mobile = type(/^Mobile/, '0123 45')
    submit()
    await waitFor(() => expect(mobile.getAttribute('aria-invalid')).toBe('true'))
    expect(errorOf(mobile)).toBe(CATALOGUES.en!.fieldError.invalid_phone)
    expect(mobile.value).toBe('0123 45')
    expect((screen.getByRole('radio', { name: 'Advanced' }) as HTMLInputElement).checked).toBe(true)
    type(/^Mobile/, '+49 151 12345678')
    expect(mobile.getAttribute('aria-invalid')).toBeNull()
    submit()
    await waitFor(() => expect(client.createBooking).toHaveBeenCalledTimes(2))
    expect(client.createBooking.mock.calls[1]?.[0].answers).toMatchObject({ mobile: '+49 151 12345678', level: 'pro' })
  }, 10_000)
})
