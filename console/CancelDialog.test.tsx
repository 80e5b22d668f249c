// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { useState } from 'preact/hooks'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AdminApiError } from './api'
import type { AdminBooking } from './bookings-model'
import { CancelDialog, type CancelDialogProps } from './CancelDialog'

/*
 * The owner cancels a paid booking: the dialog says what the policy gives back right now,
 * lets the owner choose another share, and behaves like a modal dialog for the keyboard.
 * With nothing paid online it only says that no money moves.
 */

const paid: AdminBooking = {
  id: 'b-1',
  ref: 'K7Q2XM3D',
  resourceId: 'r-1',
  status: 'confirmed',
  start: '2026-03-24T08:30:00Z',
  end: '2026-03-24T10:00:00Z',
  guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
  version: 1,
  createdAt: '2026-03-01T12:00:00Z',
  payment: { status: 'captured', amount: 4500, currency: 'EUR', captured: 4500, refunded: 0 },
  cancellation: { allowed: true, percent: 50, refund: { amount: 2250, currency: 'EUR' } },
}

function renderDialog(overrides: Partial<CancelDialogProps> = {}) {
  const props: CancelDialogProps = {
    booking: paid,
    when: '09:30–11:00 Berlin time (08:30 London)',
    locale: 'en-GB',
    onClose: vi.fn(),
    onConfirm: vi.fn(async () => undefined),
    ...overrides,
  }
  render(<CancelDialog {...props} />)
  return props
}

const percentField = () => screen.getByRole('textbox', { name: /Refund percentage/ }) as HTMLInputElement
const submit = () => fireEvent.click(screen.getByRole('button', { name: 'Cancel booking' }))

afterEach(cleanup)

describe('cancel dialog', () => {
  it('shows what the policy gives back if cancelled now', () => {
    renderDialog()
    const dialog = screen.getByRole('dialog', { name: 'Cancel booking K7Q2XM3D?' })
    expect(dialog.getAttribute('aria-describedby')).toBe(
      screen.getByText('Cancelled now, the policy gives back 50 %: €22.50 of €45.00.').id,
    )
    const policy = screen.getByRole('radio', { name: 'As the policy says: 50 % (€22.50)' }) as HTMLInputElement
    expect(policy.checked).toBe(true)
    expect(screen.getByText(/Ada Lovelace · 09:30–11:00 Berlin time \(08:30 London\)/)).toBeTruthy()
  })

  it('sends no percentage when the owner keeps the policy', async () => {
    const props = renderDialog()
    submit()
    await waitFor(() => expect(props.onConfirm).toHaveBeenCalledWith({}))
  })

  it('sends the owner override and the reason, showing the amount it gives back', async () => {
    const props = renderDialog()
    fireEvent.input(percentField(), { target: { value: '80' } })
    expect((screen.getByRole('radio', { name: 'A share I choose' }) as HTMLInputElement).checked).toBe(true)
    expect(screen.getByText('€36.00 back to the guest.')).toBeTruthy()
    fireEvent.input(screen.getByRole('textbox', { name: /Reason/ }), { target: { value: '  Room flooded ' } })
    submit()
    await waitFor(() => expect(props.onConfirm).toHaveBeenCalledWith({ refundPercent: 80, reason: 'Room flooded' }))
  })

  it('keeps an impossible percentage as typed and says why beside the field', () => {
    const props = renderDialog()
    fireEvent.input(percentField(), { target: { value: '150' } })
    submit()
    const field = percentField()
    expect(field.value).toBe('150')
    expect(field.getAttribute('aria-invalid')).toBe('true')
    expect(document.getElementById(field.getAttribute('aria-describedby')!)?.textContent).toBe(
      'Enter a whole number from 0 to 100.',
    )
    expect(document.activeElement).toBe(field)
    expect(props.onConfirm).not.toHaveBeenCalled()
  })

  it('shows the server refusal and keeps everything typed', async () => {
    renderDialog({
      onConfirm: vi.fn(async () =>
        Promise.reject(
          new AdminApiError(409, 'invalid_transition', 'This booking is completed and cannot be cancelled.'),
        ),
      ),
    })
    fireEvent.input(percentField(), { target: { value: '30' } })
    fireEvent.input(screen.getByRole('textbox', { name: /Reason/ }), { target: { value: 'Sick' } })
    submit()
    expect((await screen.findByRole('alert')).textContent).toBe('This booking is completed and cannot be cancelled.')
    expect(percentField().value).toBe('30')
    expect((screen.getByRole('textbox', { name: /Reason/ }) as HTMLTextAreaElement).value).toBe('Sick')
    expect((screen.getByRole('button', { name: 'Cancel booking' }) as HTMLButtonElement).disabled).toBe(false)
  })

  it('offers no refund choice for a booking nothing was paid for online, only the cancel with a reason', async () => {
    const props = renderDialog({
      booking: { ...paid, payment: undefined, cancellation: { allowed: true, percent: 100 } },
    })
    const dialog = screen.getByRole('dialog', { name: 'Cancel booking K7Q2XM3D?' })
    expect(dialog.getAttribute('aria-describedby')).toBe(
      screen.getByText('Nothing was paid online for this booking, so no money moves.').id,
    )
    // A share of nothing is nothing: neither the policy's percentage nor the owner's is asked for.
    expect(screen.queryAllByRole('radio')).toEqual([])
    expect(screen.queryByRole('textbox', { name: /Refund percentage/ })).toBeNull()
    expect(dialog.textContent).not.toMatch(/%/)
    const reason = screen.getByRole('textbox', { name: /Reason/ })
    expect(document.activeElement).toBe(reason)
    fireEvent.input(reason, { target: { value: 'Owner ill' } })
    submit()
    await waitFor(() => expect(props.onConfirm).toHaveBeenCalledWith({ reason: 'Owner ill' }))
  })

  it('offers no refund choice while the guest has not paid yet, and sends no percentage', async () => {
    const unpaid: AdminBooking = {
      ...paid,
      status: 'pending',
      payment: { status: 'requires_payment', amount: 4500, currency: 'EUR', captured: 0, refunded: 0 },
    }
    const props = renderDialog({ booking: unpaid })
    expect(screen.getByText('The guest has not paid, so no money moves; the payment is stopped.')).toBeTruthy()
    expect(screen.queryAllByRole('radio')).toEqual([])
    expect(screen.queryByRole('textbox', { name: /Refund percentage/ })).toBeNull()
    submit()
    await waitFor(() => expect(props.onConfirm).toHaveBeenCalledWith({}))
  })

  it('offers no refund choice once everything paid was refunded', () => {
    renderDialog({
      booking: {
        ...paid,
        payment: { status: 'captured', amount: 4500, currency: 'EUR', captured: 4500, refunded: 4500 },
      },
    })
    expect(screen.getByText('What the guest paid online was already refunded, so no money moves.')).toBeTruthy()
    expect(screen.queryAllByRole('radio')).toEqual([])
  })

  it('offers the refund choice for money only authorized, not yet captured', () => {
    renderDialog({
      booking: {
        ...paid,
        status: 'pending',
        payment: { status: 'authorized', amount: 4500, currency: 'EUR', captured: 0, refunded: 0 },
      },
    })
    expect(screen.getByRole('radio', { name: 'As the policy says: 50 % (€22.50)' })).toBeTruthy()
    expect(screen.getByRole('radio', { name: 'A share I choose' })).toBeTruthy()
  })

  it('closes on Esc', () => {
    const props = renderDialog()
    fireEvent.keyDown(screen.getByRole('textbox', { name: /Reason/ }), { key: 'Escape' })
    expect(props.onClose).toHaveBeenCalledTimes(1)
  })

  it('keeps Tab inside: past the last control back to the first, and Shift+Tab the other way', () => {
    renderDialog()
    const first = screen.getByRole('radio', { name: /As the policy says/ })
    const last = screen.getByRole('button', { name: 'Cancel booking' })
    expect(document.activeElement).toBe(first)
    last.focus()
    fireEvent.keyDown(last, { key: 'Tab' })
    expect(document.activeElement).toBe(first)
    fireEvent.keyDown(first, { key: 'Tab', shiftKey: true })
    expect(document.activeElement).toBe(last)
  })

  it('is a modal dialog and gives focus back to the button that opened it', async () => {
    function Opener() {
      const [open, setOpen] = useState(false)
      return (
        <>
          <button type="button" onClick={() => setOpen(true)}>
            Cancel…
          </button>
          {open && (
            <CancelDialog
              booking={paid}
              when="09:30"
              onClose={() => setOpen(false)}
              onConfirm={async () => undefined}
            />
          )}
        </>
      )
    }
    render(<Opener />)
    const opener = screen.getByRole('button', { name: 'Cancel…' })
    opener.focus()
    fireEvent.click(opener)
    const dialog = (await screen.findByRole('dialog')) as HTMLDialogElement
    expect(dialog.open).toBe(true)
    expect(dialog.contains(document.activeElement)).toBe(true)
    fireEvent.click(screen.getByRole('button', { name: 'Keep booking' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(document.activeElement).toBe(opener)
  })
})
