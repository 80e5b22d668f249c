// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { PublicWaitlistEntry } from '../../shared/api-contract'
import { formatMoney } from '../../shared/money'
import type { PublicBooking, PublicResource } from '../../shared/types'
import type { BookingClient, WaitlistClient } from '../client'
import { CATALOGUES } from '../locales'
import { WaitlistView } from './WaitlistView'

/*
 * The waitlist link's view: the window waited for in the resource's zone, the place in
 * line, an open offer with its countdown to claim (questions first) or pass on, leaving
 * after a yes, and what the guest reads when an offer ended under them.
 */

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString()

const waiting: PublicWaitlistEntry = {
  ref: 'WK7Q2XM3D',
  resourceId: 'r-1',
  resourceName: 'Physio Anna',
  timezone: 'Europe/Berlin',
  kind: 'day',
  windowStart: '2026-12-07T23:00:00.000Z',
  windowEnd: '2026-12-08T23:00:00.000Z',
  seats: 1,
  status: 'waiting',
  position: 2,
  offer: null,
  guest: { name: 'Ada', email: 'ada@example.com' },
  locale: 'en',
}
const offered = (): PublicWaitlistEntry => ({
  ...waiting,
  position: 1,
  offer: { start: '2026-12-08T09:00:00.000Z', end: '2026-12-08T10:00:00.000Z', expiresAt: inMinutes(15) },
})
const physio: PublicResource = {
  id: 'r-1',
  slug: 'physio',
  type: 'physio',
  name: 'Physio Anna',
  timezone: 'Europe/Berlin',
}
const booking: PublicBooking = {
  ref: 'K7Q2XM3D',
  resourceId: 'r-1',
  status: 'confirmed',
  start: '2026-12-08T09:00:00.000Z',
  end: '2026-12-08T10:00:00.000Z',
  guest: waiting.guest,
  version: 1,
  createdAt: '2026-11-29T10:00:00.000Z',
}

function fakeClient(entry: PublicWaitlistEntry, resource: PublicResource = physio) {
  return {
    getWaitlistEntry: vi.fn<WaitlistClient['getWaitlistEntry']>(async () => ({ data: { entry } })),
    claimWaitlistOffer: vi.fn<WaitlistClient['claimWaitlistOffer']>(async () => ({
      data: { booking, manageToken: 'manage-token' },
    })),
    declineWaitlistOffer: vi.fn<WaitlistClient['declineWaitlistOffer']>(async () => ({
      data: { entry: { ...entry, offer: null } },
    })),
    leaveWaitlist: vi.fn<WaitlistClient['leaveWaitlist']>(async () => ({
      data: { entry: { ...entry, offer: null, status: 'left', position: null } },
    })),
    getResource: vi.fn<BookingClient['getResource']>(async () => ({ data: resource })),
    getCalendarFile: vi.fn<BookingClient['getCalendarFile']>(async () => ({ data: new Blob(['BEGIN:VCALENDAR']) })),
    getBooking: vi.fn<BookingClient['getBooking']>(async () => ({ data: booking })),
  }
}

function renderView(entry: PublicWaitlistEntry, options: { resource?: PublicResource; locale?: 'en' | 'de' } = {}) {
  const client = fakeClient(entry, options.resource)
  const locale = options.locale ?? 'en'
  const onError = vi.fn()
  render(
    <WaitlistView
      client={client}
      ref_={entry.ref}
      token="wl-token"
      t={CATALOGUES[locale]!}
      locale={locale}
      onError={onError}
      manageUrl={(ref, token) => `https://book.test/manage#ref=${ref}&token=${token}`}
    />,
  )
  return { client, onError }
}

afterEach(cleanup)

describe('the waitlist view', () => {
  it('shows the day waited for in the resource’s zone and the place in line, and leaves after a yes', async () => {
    const { client } = renderView(waiting)
    expect(await screen.findByText('You are number 2 in line.')).toBeTruthy()
    // The resource's day, in its own zone.
    expect(screen.getByText(/^Tuesday, December 8, 2026 \(.+\)$/)).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Book this time' })).toBeNull()
    fireEvent.click(screen.getByRole('button', { name: 'Leave the waitlist' }))
    const question = screen.getByText('Leave the waitlist? You will not be offered times any more.')
    await waitFor(() => expect(document.activeElement).toBe(question))
    fireEvent.click(screen.getByRole('button', { name: 'Stay on the list' }))
    expect(client.leaveWaitlist).not.toHaveBeenCalled()
    fireEvent.click(screen.getByRole('button', { name: 'Leave the waitlist' }))
    fireEvent.click(screen.getByRole('button', { name: 'Yes, leave' }))
    expect(await screen.findByText('You left the waitlist.')).toBeTruthy()
    expect(client.leaveWaitlist).toHaveBeenCalledWith('WK7Q2XM3D', 'wl-token')
    expect(screen.queryByRole('button', { name: 'Leave the waitlist' })).toBeNull()
  })

  it('offers the freed time with a countdown, books it, and shows the booking with its manage link', async () => {
    const { client } = renderView(offered())
    const offer = await screen.findByRole('group', { name: 'A time is free for you' })
    expect(within(offer).getByText(/Tue, Dec 8, 10:00\s*–\s*11:00 AM \(.+\)/)).toBeTruthy()
    expect(within(offer).getByRole('timer').textContent).toMatch(/^Held for you for 1[45]:\d\d$/)
    fireEvent.click(within(offer).getByRole('button', { name: 'Book this time' }))
    expect(await screen.findByRole('heading', { name: 'Booked!' })).toBeTruthy()
    expect(client.claimWaitlistOffer).toHaveBeenCalledWith('WK7Q2XM3D', 'wl-token', {})
    expect(screen.getByText('K7Q2XM3D')).toBeTruthy()
    expect(screen.getByRole('link', { name: 'Manage or cancel this booking' }).getAttribute('href')).toBe(
      'https://book.test/manage#ref=K7Q2XM3D&token=manage-token',
    )
    expect(screen.getByRole('link', { name: 'Google Calendar' })).toBeTruthy()
  })

  it('asks the resource’s questions before booking, in German', async () => {
    const resource: PublicResource = {
      ...physio,
      questions: [
        { id: 'first', type: 'checkbox', label: { en: 'First visit', de: 'Erster Besuch' } },
        { id: 'reason', type: 'short_text', label: { en: 'Reason', de: 'Grund' }, required: true },
      ],
    }
    const { client } = renderView(offered(), { resource, locale: 'de' })
    const claim = await screen.findByRole('button', { name: 'Diesen Termin buchen' })
    await waitFor(() => expect(client.getResource).toHaveBeenCalledWith('r-1'))
    await Promise.resolve()
    fireEvent.click(claim)
    const reason = await screen.findByLabelText(/Grund/)
    // The required answer is missing: said under it, nothing sent.
    fireEvent.submit(reason.closest('form')!)
    expect(await screen.findByText('Bitte füllen Sie dieses Feld aus.')).toBeTruthy()
    expect(client.claimWaitlistOffer).not.toHaveBeenCalled()
    fireEvent.input(reason, { target: { value: 'Rücken' } })
    fireEvent.click(screen.getByLabelText(/Erster Besuch/))
    fireEvent.submit(reason.closest('form')!)
    expect(await screen.findByRole('heading', { name: 'Gebucht!' })).toBeTruthy()
    expect(client.claimWaitlistOffer).toHaveBeenCalledWith('WK7Q2XM3D', 'wl-token', {
      answers: { reason: 'Rücken', first: true },
    })
  })

  it('says an offer ended while the guest is still on the list, and that passing one on keeps them there', async () => {
    const { client } = renderView(offered())
    client.claimWaitlistOffer.mockResolvedValueOnce({
      error: { code: 'offer_expired', message: 'lapsed', status: 410 },
    })
    client.getWaitlistEntry.mockResolvedValue({ data: { entry: waiting } })
    fireEvent.click(await screen.findByRole('button', { name: 'Book this time' }))
    expect(await screen.findByText('This offer has ended; you are still on the waitlist.')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Book this time' })).toBeNull()
    cleanup()

    const second = renderView(offered())
    fireEvent.click(await screen.findByRole('button', { name: 'Not this one' }))
    expect(await screen.findByText('We passed that time on. You stay on the waitlist for other times.')).toBeTruthy()
    expect(second.client.declineWaitlistOffer).toHaveBeenCalledWith('WK7Q2XM3D', 'wl-token')
    expect(screen.queryByRole('group', { name: 'A time is free for you' })).toBeNull()
  })

  it('does not offer a time whose offer has already lapsed, and says a wrong link is not valid', async () => {
    renderView({ ...offered(), offer: { ...offered().offer!, expiresAt: inMinutes(-1) } })
    expect(await screen.findByText('This offer has ended; you are still on the waitlist.')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Book this time' })).toBeNull()
    cleanup()

    const onError = vi.fn()
    const wrong = fakeClient(waiting)
    wrong.getWaitlistEntry.mockResolvedValue({ error: { code: 'not_found', message: 'no', status: 404 } })
    render(<WaitlistView client={wrong} ref_="WNOPE" token="bad" t={CATALOGUES.en!} locale="en" onError={onError} />)
    expect(
      await screen.findByText('This waitlist link is not valid. Please use the link from your email.'),
    ).toBeTruthy()
    expect(onError).not.toHaveBeenCalled()
  })
})

describe('a claimed time that takes payment', () => {
  it('continues to the card step and shows the booking once the payment went through', async () => {
    const client = fakeClient(offered())
    const pending: PublicBooking = { ...booking, status: 'pending' }
    client.claimWaitlistOffer.mockResolvedValueOnce({
      data: {
        booking: pending,
        manageToken: 'manage-token',
        payment: { clientSecret: 'pi_secret', publishableKey: 'pk_test', amount: 4500, currency: 'EUR' },
      },
    })
    const confirm = vi.fn(async () => ({ status: 'authorized' as const }))
    const startCardPayment = vi.fn(async () => ({ confirm, destroy: vi.fn() }))
    render(
      <WaitlistView
        client={client}
        ref_={waiting.ref}
        token="wl-token"
        t={CATALOGUES.de!}
        locale="de"
        onError={vi.fn()}
        loadPaymentModule={async () => ({ startCardPayment }) as unknown as typeof import('../payment/stripe-payment')}
        manageUrl={(ref, token) => `https://book.test/manage#ref=${ref}&token=${token}`}
      />,
    )
    fireEvent.click(await screen.findByRole('button', { name: 'Diesen Termin buchen' }))
    const pay = await screen.findByRole('button', { name: CATALOGUES.de!.pay(formatMoney(4500, 'EUR', 'de')) })
    await waitFor(() => expect(pay).toHaveProperty('disabled', false))
    expect(startCardPayment).toHaveBeenCalledWith(
      expect.any(HTMLElement),
      expect.objectContaining({ clientSecret: 'pi_secret', publishableKey: 'pk_test', locale: 'de' }),
    )
    fireEvent.submit(pay.closest('form')!)
    expect(await screen.findByRole('heading', { name: 'Gebucht!' })).toBeTruthy()
    // 3-D Secure would come back to the booking's own manage page.
    expect(confirm).toHaveBeenCalledWith('https://book.test/manage#ref=K7Q2XM3D&token=manage-token')
  })
})

describe('the manage page', () => {
  it('shows the waitlist view for a #waitlist= link, in the link’s language', async () => {
    vi.resetModules()
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL) => {
        const path = new URL(String(input)).pathname
        const body = path.startsWith('/v1/waitlist/') ? { entry: waiting } : { resource: physio }
        return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } })
      }),
    )
    history.replaceState(null, '', `/manage#waitlist=${waiting.ref}&token=wl-token&lang=de`)
    document.body.innerHTML = '<div data-booking-manage></div>'
    ;(await import('../manage-page')).start(null)
    const root = document.querySelector('[data-booking-manage]')!.shadowRoot!.querySelector<HTMLElement>('.root')!
    await waitFor(() => expect(root.textContent).toContain('Sie stehen an 2. Stelle der Warteliste.'))
    expect(root.textContent).toContain('Ihr Platz auf der Warteliste')
    expect(root.lang).toBe('de')
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
    history.replaceState(null, '', '/')
  })
})
