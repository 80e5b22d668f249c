// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { CreatedBooking, CreatedSeries } from '../shared/api-contract'
import type { AdminResource, PublicBooking, Slot } from '../shared/types'
import { AdminApiError, type AdminApi } from './api'
import type { AdminBooking } from './bookings-model'
import { BookingsView } from './BookingsView'
import { NewBookingForm, type FreeSlots } from './NewBookingForm'

/*
 * The owner of a studio in Berlin books for a guest who called, on Monday 6 April 2026
 * (Berlin UTC+2): 10:00 and 11:00 are free that day, Tuesday is full. The API is a fake that
 * records what was sent and answers as the server would: a booking, a series with skipped
 * dates, or a refused series naming its taken dates.
 */

const studio: AdminResource = {
  id: 'r-1',
  slug: 'studio',
  type: 'room',
  name: 'Studio',
  timezone: 'Europe/Berlin',
  config: {},
  isActive: true,
  createdAt: '2026-01-01T00:00:00Z',
}
const loft: AdminResource = { ...studio, id: 'r-2', slug: 'loft', name: 'Loft' }
/** A class of 12 mats, a booking taking at most 4. */
const yoga: AdminResource = {
  ...studio,
  id: 'r-4',
  slug: 'yoga',
  name: 'Yoga',
  config: { capacity: 12, maxSeatsPerBooking: 4 },
}
const van: AdminResource = {
  ...studio,
  id: 'r-3',
  slug: 'van',
  name: 'Van',
  config: { span: { minMinutes: 1440, maxMinutes: 10080, pricing: 'per_day' } },
}

/** 08:00 in Berlin on Monday 6 April. */
const NOW = Date.parse('2026-04-06T06:00:00Z')
const TEN: Slot = { start: '2026-04-06T08:00:00Z', end: '2026-04-06T09:00:00Z' }
const ELEVEN: Slot = { start: '2026-04-06T09:00:00Z', end: '2026-04-06T10:00:00Z' }

const booking = (ref: string, start: string): PublicBooking => ({
  ref,
  resourceId: studio.id,
  status: 'confirmed',
  start,
  end: new Date(Date.parse(start) + 3_600_000).toISOString(),
  guest: { name: 'Ana García', email: 'ana@example.com' },
  version: 1,
  createdAt: '2026-04-06T06:00:00Z',
})
const weekly = (week: number) => new Date(Date.parse(TEN.start) + week * 7 * 86_400_000).toISOString()

function setup(
  answer: (body: unknown) => unknown,
  options: { resourceId?: string; resources?: AdminResource[]; locale?: string } = {},
) {
  const calls: { method: string; path: string; body?: unknown }[] = []
  const api: AdminApi = {
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      calls.push({ method, path, body })
      if (method === 'POST' && path === '/bookings') return answer(body) as T
      throw new Error(`unexpected ${method} ${path}`)
    },
  }
  const asked: string[] = []
  const freeSlots: FreeSlots = async (resourceId, date, zone, seats) => {
    asked.push(`${resourceId} ${date} ${zone}${seats > 1 ? ` seats=${seats}` : ''}`)
    return date === '2026-04-06' ? [TEN, ELEVEN] : []
  }
  const onBooked = vi.fn()
  const onClose = vi.fn()
  render(
    <NewBookingForm
      api={api}
      resources={options.resources ?? [studio, loft, van]}
      resourceId={options.resourceId}
      locale={options.locale ?? 'en-GB'}
      now={() => NOW}
      freeSlots={freeSlots}
      onBooked={onBooked}
      onClose={onClose}
    />,
  )
  return { calls, asked, onBooked, onClose }
}

const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement
const type = (label: string, value: string) => fireEvent.input(field(label), { target: { value } })
const choose = (label: string, value: string) => fireEvent.change(field(label), { target: { value } })

async function fillGuest() {
  await waitFor(() => expect(screen.getByRole('option', { name: '10:00' })).toBeTruthy())
  choose('Time', TEN.start)
  type('Guest name', 'Ana García')
  type('Email', 'ana@example.com')
  type('Phone (optional)', '+34 612 345 678')
  choose('Language for messages', 'es')
  type('Notes (optional)', 'Called on the phone')
}

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('NewBookingForm', () => {
  it('offers the day’s free times in the resource’s zone and books one, naming ref, guest and time', async () => {
    const { calls, asked, onBooked } = setup(
      () => ({ booking: booking('7K3QX2MD', TEN.start), manageToken: 't' }) satisfies CreatedBooking,
      { resourceId: studio.id },
    )
    // Only what can take a booking by the slot: the span is not offered.
    const resources = within(field('Resource') as unknown as HTMLElement).getAllByRole('option')
    expect(resources.map((o) => o.textContent)).toEqual(['Studio', 'Loft'])
    expect(field('Date').value).toBe('2026-04-06')
    await fillGuest()
    expect(asked).toEqual(['r-1 2026-04-06 Europe/Berlin'])
    expect(screen.getByText('Free times on Monday 6 April, in Berlin time.')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Book' }))

    const result = await screen.findByRole('status')
    expect(result.textContent).toBe(
      'Booked 7K3QX2MD for Ana García, Mon 6 Apr, 10:00 — confirmation emailed to ana@example.com',
    )
    expect(calls).toEqual([
      {
        method: 'POST',
        path: '/bookings',
        body: {
          resourceId: 'r-1',
          start: TEN.start,
          end: TEN.end,
          guest: { name: 'Ana García', email: 'ana@example.com', phone: '+34 612 345 678' },
          locale: 'es',
          notes: 'Called on the phone',
        },
      },
    ])
    expect(onBooked).toHaveBeenCalledTimes(1)
  })

  it('books a weekly series skipping taken dates, and says which were skipped', async () => {
    const series: CreatedSeries = {
      series: {
        ref: 'Q4M2ZZ7P',
        id: 's-1',
        resourceId: studio.id,
        everyWeeks: 1,
        occurrences: 12,
        mode: 'skip_conflicts',
        bookings: [0, 1, 3, 5, 6, 7, 8, 9, 10, 11].map((w) => booking(`REF${w}AAAA`, weekly(w))),
        skippedDates: ['2026-04-20', '2026-05-04'],
        skipped: [
          { date: '2026-04-20', start: weekly(2), end: weekly(2), reason: 'taken' },
          { date: '2026-05-04', start: weekly(4), end: weekly(4), reason: 'closed' },
        ],
      },
      manageToken: 't',
    }
    const { calls, onBooked } = setup(() => series)
    await fillGuest()
    choose('Repeat', '1')
    type('Number of dates', '12')
    fireEvent.click(screen.getByRole('radio', { name: 'Book the free dates, skip the rest' }))
    fireEvent.click(screen.getByRole('button', { name: 'Book the dates' }))

    const result = await screen.findByRole('status')
    expect(result.textContent).toBe(
      'Booked 10 of 12 dates (series Q4M2ZZ7P) for Ana García, from Mon 6 Apr, 10:00; skipped: 20 Apr, 4 May' +
        ' — confirmation emailed to ana@example.com',
    )
    expect(calls.map((c) => c.body)).toEqual([
      {
        resourceId: 'r-1',
        start: TEN.start,
        end: TEN.end,
        guest: { name: 'Ana García', email: 'ana@example.com', phone: '+34 612 345 678' },
        locale: 'es',
        notes: 'Called on the phone',
        repeat: { everyWeeks: 1, occurrences: 12 },
        mode: 'skip_conflicts',
      },
    ])
    expect(onBooked).toHaveBeenCalledTimes(1)
  })

  it('lists the taken dates of a refused series and keeps everything typed', async () => {
    const conflicts = [
      { date: '2026-04-20', start: weekly(2), end: weekly(2), reason: 'taken' },
      { date: '2026-05-04', start: weekly(4), end: weekly(4), reason: 'held' },
    ]
    const { calls, onBooked } = setup(() => {
      throw new AdminApiError(409, 'slot_taken', '2 of the dates are not free: 2026-04-20, 2026-05-04.', {
        conflicts,
      })
    })
    await fillGuest()
    choose('Repeat', '2')
    type('Number of dates', '6')
    fireEvent.click(screen.getByRole('button', { name: 'Book the dates' }))

    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('2 of the dates are not free')
    const taken = within(alert).getByRole('list', { name: 'Dates not free' })
    expect(
      within(taken)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Mon 20 Apr, 10:00: already booked', 'Mon 4 May, 10:00: a guest is booking it right now'])
    expect(alert.textContent).toContain('Choose “Book the free dates, skip the rest” to book the others.')
    expect(calls[0]!.body).toMatchObject({ repeat: { everyWeeks: 2, occurrences: 6 }, mode: 'all_or_nothing' })
    // Nothing typed is lost: the owner can switch the choice and send again.
    expect(field('Time').value).toBe(TEN.start)
    expect(field('Guest name').value).toBe('Ana García')
    expect(field('Email').value).toBe('ana@example.com')
    expect(field('Phone (optional)').value).toBe('+34 612 345 678')
    expect(field('Language for messages').value).toBe('es')
    expect(field('Notes (optional)').value).toBe('Called on the phone')
    expect(field('Repeat').value).toBe('2')
    expect(field('Number of dates').value).toBe('6')
    expect(screen.queryByRole('status')).toBeNull()
    expect(onBooked).not.toHaveBeenCalled()
  })

  it('shows what is free again when the time was taken meanwhile, keeping the guest typed', async () => {
    let answers = 0
    const { asked } = setup(() => {
      answers++
      throw new AdminApiError(409, 'slot_taken', 'This time was booked by someone else a moment ago.')
    })
    await fillGuest()
    fireEvent.click(screen.getByRole('button', { name: 'Book' }))
    expect((await screen.findByRole('alert')).textContent).toBe('This time was booked by someone else a moment ago.')
    await waitFor(() => expect(asked).toHaveLength(2))
    expect(answers).toBe(1)
    expect(field('Guest name').value).toBe('Ana García')
    expect(field('Email').value).toBe('ana@example.com')
  })

  it('shows a refused phone number beside its field', async () => {
    setup(() => {
      throw new AdminApiError(422, 'invalid_request', 'The request is not valid.', [
        { path: 'guest.phone', code: 'invalid_phone', message: 'not a phone number; include the country code' },
      ])
    })
    await fillGuest()
    fireEvent.click(screen.getByRole('button', { name: 'Book' }))
    await screen.findByText('not a phone number; include the country code')
    expect(field('Phone (optional)').getAttribute('aria-invalid')).toBe('true')
    expect(field('Phone (optional)').getAttribute('aria-describedby')).toBe('nb-phone-error nb-phone-help')
    expect(screen.getByRole('alert').textContent).toContain('Some fields need a change')
  })

  it('asks a class’s places, offers the times with room for them and books them; a place-less resource asks none', async () => {
    const { calls, asked } = setup(
      () => ({ booking: { ...booking('7K3QX2MD', TEN.start), seats: 3 }, manageToken: 't' }) satisfies CreatedBooking,
      { resourceId: yoga.id, resources: [studio, yoga] },
    )
    expect(field('Places').value).toBe('1')
    expect(screen.getByText('1 to 4 places in one booking.')).toBeTruthy()
    await fillGuest()
    type('Places', '5')
    fireEvent.click(screen.getByRole('button', { name: 'Book' }))
    expect(await screen.findByText('A number from 1 to 4.')).toBeTruthy()
    expect(calls).toEqual([])

    type('Places', '3')
    // The day is asked again for three places: a time with only two left is not offered.
    await waitFor(() => expect(asked.at(-1)).toBe('r-4 2026-04-06 Europe/Berlin seats=3'))
    await waitFor(() => expect(screen.getByRole('option', { name: '10:00' })).toBeTruthy())
    choose('Time', TEN.start)
    fireEvent.click(screen.getByRole('button', { name: 'Book' }))
    expect((await screen.findByRole('status')).textContent).toBe(
      'Booked 7K3QX2MD (3 places) for Ana García, Mon 6 Apr, 10:00 — confirmation emailed to ana@example.com',
    )
    expect(calls.map((c) => (c.body as { seats?: number }).seats)).toEqual([3])
    cleanup()

    setup(() => ({}), { resourceId: studio.id, resources: [studio, yoga] })
    expect(screen.queryByLabelText('Places')).toBeNull()
  })

  it('writes the guest’s messages in the owner’s language when the console speaks one of them', async () => {
    setup(() => ({}), { locale: 'de-DE' })
    expect(field('Language for messages').value).toBe('de')
    cleanup()
    setup(() => ({}), { locale: 'fr-FR' })
    expect(field('Language for messages').value).toBe('en')
  })

  it('says plainly when the day has no free time, and sends nothing without one', async () => {
    const { calls, asked } = setup(() => undefined)
    await waitFor(() => expect(screen.getByRole('option', { name: '10:00' })).toBeTruthy())
    choose('Date', '2026-04-07')
    await screen.findByText('No free times on Tuesday 7 April: choose another day.')
    expect(asked).toEqual(['r-1 2026-04-06 Europe/Berlin', 'r-1 2026-04-07 Europe/Berlin'])
    expect((field('Time') as unknown as HTMLSelectElement).disabled).toBe(true)
    type('Guest name', 'Ana García')
    type('Email', 'ana@example.com')
    fireEvent.click(screen.getByRole('button', { name: 'Book' }))
    expect(await screen.findByText('Choose one of the free times.')).toBeTruthy()
    expect(calls).toEqual([])
  })

  it('opens from the bookings view with its resource, asks the public availability and reloads the list', async () => {
    const listed: AdminBooking[] = []
    const calls: { method: string; path: string }[] = []
    const api: AdminApi = {
      async call<T>(method: string, path: string, body?: unknown): Promise<T> {
        calls.push({ method, path })
        const url = new URL(path, 'http://console.test')
        if (url.pathname === '/resources') return { resources: [studio, loft] } as T
        if (method === 'GET' && url.pathname === '/bookings') return { bookings: [...listed], nextCursor: null } as T
        if (method === 'POST' && url.pathname === '/bookings') {
          const made = { ...booking('7K3QX2MD', TEN.start), resourceId: loft.id }
          listed.push({ ...made, id: 'b-1', guest: (body as { guest: AdminBooking['guest'] }).guest })
          return { booking: made, manageToken: 't' } as T
        }
        throw new Error(`unexpected ${method} ${path}`)
      },
    }
    const fetched: string[] = []
    vi.stubGlobal('fetch', async (input: string) => {
      fetched.push(input)
      return new Response(
        JSON.stringify({
          resource: {},
          timezone: 'Europe/Berlin',
          days: [{ date: '2026-04-06', slots: [TEN, ELEVEN] }],
        }),
        { headers: { 'Content-Type': 'application/json' } },
      )
    })
    render(<BookingsView api={api} ownerZone="Europe/Berlin" locale="en-GB" now={() => NOW} />)
    const view = screen.getByRole('region', { name: 'Bookings' })
    await screen.findByRole('option', { name: 'Loft' })
    fireEvent.change(within(view).getAllByLabelText('Resource')[0]!, { target: { value: loft.id } })
    fireEvent.click(await screen.findByRole('button', { name: 'New booking' }))

    const form = screen.getByRole('region', { name: 'New booking' })
    expect((within(form).getByLabelText('Resource') as HTMLSelectElement).value).toBe(loft.id)
    await within(form).findByRole('option', { name: '11:00' })
    expect(fetched).toEqual(['/v1/resources/r-2/availability?from=2026-04-06&to=2026-04-06&tz=Europe%2FBerlin'])
    const listings = () => calls.filter((c) => c.method === 'GET' && c.path.startsWith('/bookings?')).length
    const before = listings()
    choose('Time', TEN.start)
    type('Guest name', 'Ana García')
    type('Email', 'ana@example.com')
    fireEvent.click(within(form).getByRole('button', { name: 'Book' }))

    await within(form).findByText(/^Booked 7K3QX2MD for Ana García, Mon 6 Apr, 10:00/)
    await waitFor(() => expect(listings()).toBe(before + 1))
    expect(await screen.findAllByText('Ana García')).not.toHaveLength(0)
    fireEvent.click(within(form).getByRole('button', { name: 'Close' }))
    expect(screen.queryByRole('region', { name: 'New booking' })).toBeNull()
  })
})
