// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { PublicBooking, PublicResource } from '../../shared/types'
import type { BookingClient, SeriesClient } from '../client'
import { CATALOGUES } from '../locales'
import type { StripeLike } from '../payment/stripe-payment'
import { withLaterSteps } from '../models/later-steps'
import { createBookingState } from '../state'
import { BookingWidget } from './BookingWidget'

/*
 * The payment step with a stand-in for Stripe.js passed through the loader seam (the real
 * one loads from js.stripe.com, which tests cannot reach). The card module itself is the
 * real one, loaded lazily as in production.
 */

const studio: PublicResource = {
  id: 'r-9',
  slug: 'studio',
  type: 'room',
  name: 'Studio',
  timezone: 'Europe/Berlin',
  price: { amount: 5000, currency: 'EUR' },
  payment: 'deposit',
  deposit: { amount: 1500, currency: 'EUR' },
  cancellationPolicy: {
    free_cancellation_hours: 24,
    partial_refund_hours: 12,
    partial_refund_percent: 50,
    no_refund_hours: 2,
  },
}
const slot = { start: '2026-03-30T08:00:00Z', end: '2026-03-30T09:00:00Z' }
const slotOf = ({ start, end }: { start: string; end: string }) => ({ start, end })
const pending: PublicBooking = {
  ref: 'PAY12345',
  resourceId: studio.id,
  status: 'pending',
  start: slot.start,
  end: slot.end,
  guest: { name: 'Ada', email: 'ada@example.com' },
  version: 1,
  createdAt: '2026-03-27T12:00:00Z',
  expiresAt: '2026-03-27T12:10:00Z',
  payment: { status: 'requires_payment', amount: 1500, currency: 'EUR', captured: 0, refunded: 0 },
}

const WEEK = 7 * 86_400_000
/** A prepaid weekly series from `slot`: four dates, pending until the one payment goes through. */
const seriesDates: PublicBooking[] = [0, 1, 2, 3].map((i) => ({
  ...pending,
  ref: `SP${i}`,
  seriesRef: 'SERPAY',
  start: new Date(Date.parse(slot.start) + i * WEEK).toISOString(),
  end: new Date(Date.parse(slot.end) + i * WEEK).toISOString(),
}))

function standInStripe(confirm: StripeLike['confirmPayment']) {
  const mounted: HTMLElement[] = []
  const stripe: StripeLike = {
    elements: vi.fn(() => ({
      create: vi.fn(() => ({
        mount: (target: HTMLElement) => {
          target.append(
            Object.assign(document.createElement('div'), { className: 'fake-card', textContent: 'card form' }),
          )
          mounted.push(target)
        },
        destroy: vi.fn(),
      })),
    })),
    confirmPayment: vi.fn(confirm),
  }
  return { stripe, mounted, loadStripe: vi.fn(async () => stripe) }
}

function setup(confirm: StripeLike['confirmPayment']) {
  const fake = standInStripe(confirm)
  const client = {
    getAvailability: vi.fn<BookingClient['getAvailability']>(async () => ({
      data: { resource: studio, timezone: 'Europe/Berlin', days: [{ date: '2026-03-30', slots: [slot] }] },
    })),
    getNextAvailable: vi.fn<BookingClient['getNextAvailable']>(async () => ({ data: null })),
    placeHold: vi.fn<BookingClient['placeHold']>(async () => ({
      data: { id: 'h_pay', resourceId: studio.id, ...slot, expiresAt: new Date(Date.now() + 600_000).toISOString() },
    })),
    releaseHold: vi.fn<BookingClient['releaseHold']>(async () => ({ data: true as const })),
    createBooking: vi.fn<BookingClient['createBooking']>(async () => ({
      data: {
        booking: pending,
        manageToken: 'tok-pay',
        payment: { clientSecret: 'pi_1_secret_x', publishableKey: 'pk_test_w', amount: 1500, currency: 'EUR' },
      },
    })),
    rescheduleBooking: vi.fn<BookingClient['rescheduleBooking']>(),
    // Any booking it made, as the webhook leaves it: confirmed, its share captured.
    getBooking: vi.fn<BookingClient['getBooking']>(async (ref) => {
      const made = [pending, ...seriesDates].find((each) => each.ref === ref) ?? pending
      return {
        data: {
          ...made,
          status: 'confirmed',
          expiresAt: undefined,
          payment: { ...made.payment!, status: 'captured', captured: 1500 },
        } as PublicBooking,
      }
    }),
    // Weekly for four dates, all free: one payment of every date's deposit.
    getSeriesAvailability: vi.fn<SeriesClient['getSeriesAvailability']>(async () => ({
      data: {
        occurrences: seriesDates.map((each) => ({ date: each.start.slice(0, 10), ...slotOf(each), free: true })),
      },
    })),
    bookSeries: vi.fn<SeriesClient['bookSeries']>(async (request) => ({
      data: {
        series: {
          ref: 'SERPAY',
          id: 's-pay',
          resourceId: studio.id,
          everyWeeks: request.repeat.everyWeeks,
          occurrences: request.repeat.occurrences,
          mode: request.mode,
          bookings: seriesDates,
          skippedDates: [],
          skipped: [],
        },
        manageToken: 'tok-series',
        payment: { clientSecret: 'pi_s_secret_y', publishableKey: 'pk_test_w', amount: 6000, currency: 'EUR' },
      },
    })),
    // The series as the server reads it once paid: every date confirmed.
    getSeries: vi.fn<SeriesClient['getSeries']>(async () => ({
      data: {
        ref: 'SERPAY',
        id: 's-pay',
        resourceId: studio.id,
        everyWeeks: 1,
        occurrences: 4,
        mode: 'all_or_nothing' as const,
        bookings: seriesDates.map((each) => ({ ...each, status: 'confirmed' as const })),
        skippedDates: [],
      },
    })),
    getCalendarFile: vi.fn<BookingClient['getCalendarFile']>(async () => ({
      error: { code: 'not_found', message: '' },
    })),
  }
  const remember = vi.fn()
  const onConfirmed = vi.fn()
  const onBooked = vi.fn()
  const state = withLaterSteps(
    createBookingState(client, {
      resource: 'studio',
      zone: 'Europe/Berlin',
      t: CATALOGUES.en!,
      locale: 'en',
      now: () => new Date('2026-03-27T12:00:00Z'),
      pollMs: 1,
      onConfirmed,
      onBooked,
      payment: {
        loadModule: () => import('../payment/stripe-payment'),
        loadStripe: fake.loadStripe,
        returnUrl: (ref) => `https://site.test/book?booking_ref=${ref}`,
        remember,
      },
    }),
  )
  void state.load()
  render(<BookingWidget state={state} client={client} />)
  return { ...fake, client, state, remember, onConfirmed, onBooked }
}

async function reachPayment() {
  fireEvent.click(within(await screen.findByRole('listbox')).getAllByRole('option')[0]!)
  await screen.findByRole('timer')
}

afterEach(cleanup)

describe('the payment step', () => {
  it('shows the deposit and the cancellation policy in plain words before asking for details', async () => {
    setup(async () => ({}))
    await reachPayment()
    expect(screen.getByText('Deposit when you book: €15.00 (of €50.00)')).toBeTruthy()
    expect(screen.getByText('Free cancellation until 24 h before the start.')).toBeTruthy()
    expect(screen.getByText('50 % back if you cancel at least 12 h before.')).toBeTruthy()
    expect(screen.getByText('Online cancellation closes 2 h before the start.')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Continue to payment' })).toBeTruthy()
  })

  it('loads Stripe only now, mounts the Payment Element, and confirms: authorized → booked', async () => {
    const s = setup(async () => ({ paymentIntent: { id: 'pi_1', status: 'requires_capture' } }))
    await reachPayment()
    expect(s.loadStripe).not.toHaveBeenCalled()
    fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'Ada' } })
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'ada@example.com' } })
    fireEvent.submit(screen.getByRole('button', { name: 'Continue to payment' }).closest('form')!)

    await screen.findByRole('heading', { name: 'Payment' })
    await waitFor(() => expect(s.mounted).toHaveLength(1))
    expect(s.loadStripe).toHaveBeenCalledWith('pk_test_w')
    expect(s.stripe.elements).toHaveBeenCalledWith({ clientSecret: 'pi_1_secret_x', locale: 'en' })
    const pay = await screen.findByRole('button', { name: 'Pay €15.00' })
    await waitFor(() => expect((pay as HTMLButtonElement).disabled).toBe(false))

    fireEvent.submit(pay.closest('form')!)
    await screen.findByRole('heading', { name: 'Booked!' })
    expect(s.remember).toHaveBeenCalledWith('PAY12345', 'tok-pay')
    expect(s.stripe.confirmPayment).toHaveBeenCalledWith(
      expect.objectContaining({
        confirmParams: { return_url: 'https://site.test/book?booking_ref=PAY12345' },
        redirect: 'if_required',
      }),
    )
    expect(s.client.getBooking).toHaveBeenCalledWith('PAY12345', 'tok-pay')
    expect(s.onConfirmed).toHaveBeenCalledWith(expect.objectContaining({ ref: 'PAY12345', status: 'confirmed' }))
  })

  it('keeps the guest on the payment step with the card’s error when it is declined', async () => {
    const s = setup(async () => ({ error: { type: 'card_error', message: 'Your card was declined.' } }))
    await reachPayment()
    fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'Ada' } })
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'ada@example.com' } })
    fireEvent.submit(screen.getByRole('button', { name: 'Continue to payment' }).closest('form')!)
    const pay = await screen.findByRole('button', { name: 'Pay €15.00' })
    await waitFor(() => expect((pay as HTMLButtonElement).disabled).toBe(false))
    fireEvent.submit(pay.closest('form')!)
    expect((await screen.findByRole('alert')).textContent).toBe(
      `${CATALOGUES.en!.paymentFailed} (Your card was declined.)`,
    )
    expect(screen.getByRole('heading', { name: 'Payment' })).toBeTruthy()
    expect(s.client.getBooking).not.toHaveBeenCalled()
  })

  it('says payment is unavailable when Stripe.js cannot load', async () => {
    const s = setup(async () => ({}))
    s.loadStripe.mockResolvedValueOnce(null as never)
    await reachPayment()
    fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'Ada' } })
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'ada@example.com' } })
    fireEvent.submit(screen.getByRole('button', { name: 'Continue to payment' }).closest('form')!)
    expect((await screen.findByRole('alert')).textContent).toBe(CATALOGUES.en!.paymentUnavailable)
    expect((screen.getByRole('button', { name: 'Pay €15.00' }) as HTMLButtonElement).disabled).toBe(true)
  })

  it('takes one payment for a weekly series and then lists every date booked', async () => {
    const s = setup(async () => ({ paymentIntent: { id: 'pi_s', status: 'requires_capture' } }))
    await reachPayment()
    fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'Ada' } })
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'ada@example.com' } })
    fireEvent.change(screen.getByRole('combobox', { name: 'Repeat' }), { target: { value: '1' } })
    await screen.findByText('4 dates × €15.00 = €60.00, paid now')
    fireEvent.submit(screen.getByRole('button', { name: 'Continue to payment' }).closest('form')!)

    await screen.findByRole('heading', { name: 'Payment' })
    expect(s.client.createBooking).not.toHaveBeenCalled()
    expect(screen.getByText('4 dates, weekly: €60.00')).toBeTruthy()
    await waitFor(() => expect(s.mounted).toHaveLength(1))
    expect(s.stripe.elements).toHaveBeenCalledWith({ clientSecret: 'pi_s_secret_y', locale: 'en' })
    // Every date is booked (pending) before the card: onBooked for each, onConfirmed for none yet.
    expect(s.onBooked.mock.calls.map(([b]) => (b as PublicBooking).ref)).toEqual(['SP0', 'SP1', 'SP2', 'SP3'])
    expect(s.onConfirmed).not.toHaveBeenCalled()
    const pay = await screen.findByRole('button', { name: 'Pay €60.00' })
    await waitFor(() => expect((pay as HTMLButtonElement).disabled).toBe(false))

    fireEvent.submit(pay.closest('form')!)
    await screen.findByRole('heading', { name: 'Booked!' })
    expect(s.remember).toHaveBeenCalledWith('SP0', 'tok-series')
    expect(screen.getByText('SP0')).toBeTruthy()
    expect(screen.getByText('Booked dates')).toBeTruthy()
    const listed = [...document.querySelectorAll('.series-done .series-dates li')].map((li) => li.textContent)
    expect(listed).toEqual(['Mar 30', 'Apr 6', 'Apr 13', 'Apr 20'])
    await waitFor(() => expect(s.onConfirmed).toHaveBeenCalledTimes(4))
    expect(s.onConfirmed.mock.calls.map(([b]) => (b as PublicBooking).ref)).toEqual(['SP0', 'SP1', 'SP2', 'SP3'])
    for (const [b] of s.onConfirmed.mock.calls) expect(b).toMatchObject({ status: 'confirmed' })
    for (const ref of ['SP1', 'SP2', 'SP3']) expect(s.client.getBooking).toHaveBeenCalledWith(ref, 'tok-series')
  })

  it('resumes a prepaid series after a 3-D Secure redirect: every date listed, each confirmed one reported', async () => {
    const s = setup(async () => ({}))
    await s.state.resumeAfterRedirect('SP0', 'tok-series', true)
    await screen.findByRole('heading', { name: 'Booked!' })
    await waitFor(() =>
      expect([...document.querySelectorAll('.series-done .series-dates li')].map((li) => li.textContent)).toEqual([
        'Mar 30',
        'Apr 6',
        'Apr 13',
        'Apr 20',
      ]),
    )
    expect(s.client.getSeries).toHaveBeenCalledWith('SERPAY', 'tok-series')
    await waitFor(() => expect(s.onConfirmed).toHaveBeenCalledTimes(4))
    expect(s.onConfirmed.mock.calls.map(([b]) => (b as PublicBooking).ref).sort()).toEqual(['SP0', 'SP1', 'SP2', 'SP3'])
  })

  it('resumes after a 3-D Secure redirect from the booking ref, showing the confirmation', async () => {
    const s = setup(async () => ({}))
    await s.state.resumeAfterRedirect('PAY12345', 'tok-pay', true)
    await screen.findByRole('heading', { name: 'Booked!' })
    expect(screen.getByText('PAY12345')).toBeTruthy()
  })
})
