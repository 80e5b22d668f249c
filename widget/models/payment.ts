import { batch, createModel, signal, type Signal } from '@preact/signals'
import type { PublicBooking } from '../../shared/types'
import type { BookingClient, PaymentDue } from '../client'
import type { Messages } from '../i18n'
import type { CardPayment, LoadStripe } from '../payment/stripe-payment'
import type { FlowStatus } from './flow-status'

export type PaymentClient = Pick<BookingClient, 'getBooking'>

/** The card module (loaded only when a booking needs it) and where 3-D Secure returns. */
export interface PaymentSetup {
  loadModule: () => Promise<typeof import('../payment/stripe-payment')>
  loadStripe?: LoadStripe | undefined
  returnUrl: (ref: string) => string
  /** Called before the card is confirmed, so a 3-D Secure redirect can resume the booking. */
  remember?: (ref: string, token: string) => void
}

export interface PaymentOptions {
  status: FlowStatus
  /** The booking being paid for and its manage token (the flow's, shown by the confirmation too). */
  booking: Signal<PublicBooking | undefined>
  manageToken: Signal<string | undefined>
  t: Messages
  /** BCP 47 tag for the card form. */
  locale: string
  setup?: PaymentSetup | undefined
  /** Pause between looks at a paid booking while the provider confirms it. */
  pollMs?: number | undefined
  /** The payment went through (or the booking ended): the flow shows the booking as it stands. */
  finish: (booking: PublicBooking, manageToken: string) => void
  onConfirmed?: ((booking: PublicBooking) => void) | undefined
}

/** The card step: the card form, confirming the card (3-D Secure included), and waiting for the booking to be confirmed. */
export const PaymentModel = createModel((client: PaymentClient, options: PaymentOptions) => {
  const { booking, manageToken, t } = options
  const { notice, busy } = options.status
  /** What the card form needs, while the booking waits for its payment. */
  const due = signal<PaymentDue | undefined>(undefined)

  /**
   * After the card went through (here, or on the page 3-D Secure returned to): the webhook
   * confirms the booking within moments; show it as soon as it is, or as authorized.
   */
  async function settlePaid(ref: string, token: string, attempts = 8): Promise<void> {
    let latestBooking = booking.peek()
    for (let i = 0; i < attempts; i++) {
      const result = await client.getBooking(ref, token)
      if (result.data) {
        latestBooking = result.data
        const paid = result.data.payment?.status
        if (
          result.data.status === 'confirmed' ||
          paid === 'authorized' ||
          paid === 'captured' ||
          result.data.status === 'cancelled'
        )
          break
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1500))
    }
    if (!latestBooking) return
    options.finish(latestBooking, token)
    due.value = undefined
    if (latestBooking.status === 'confirmed') options.onConfirmed?.(latestBooking)
  }

  return {
    due,
    /** Loads the card module and mounts the card form into `target` (the pay step's slot). */
    async mountCard(target: HTMLElement): Promise<CardPayment> {
      const payment = due.peek()
      const setup = options.setup
      if (!payment || !setup) throw new Error('no payment to take')
      const module = await setup.loadModule()
      return module.startCardPayment(target, {
        publishableKey: payment.publishableKey,
        clientSecret: payment.clientSecret,
        locale: options.locale,
        loadStripe: setup.loadStripe,
      })
    },
    /** Confirms the card; on success waits (briefly) for the booking to be confirmed. */
    async pay(card: CardPayment): Promise<void> {
      const current = booking.peek()
      const token = manageToken.peek()
      const setup = options.setup
      if (!current || !token || busy.peek() || !setup) return
      busy.value = true
      notice.value = undefined
      setup.remember?.(current.ref, token)
      let outcome: Awaited<ReturnType<CardPayment['confirm']>>
      try {
        outcome = await card.confirm(setup.returnUrl(current.ref))
      } catch {
        outcome = { status: 'failed', message: undefined }
      }
      if (outcome.status === 'failed') {
        const message = outcome.message
        batch(() => {
          busy.value = false
          notice.value = message ? `${t.paymentFailed} (${message})` : t.paymentFailed
        })
        return
      }
      await settlePaid(current.ref, token)
      busy.value = false
    },
    /** The page came back from a 3-D Secure redirect: show how the booking stands. */
    async resumeAfterRedirect(ref: string, token: string, succeeded: boolean): Promise<void> {
      if (!succeeded) {
        const result = await client.getBooking(ref, token)
        if (result.data?.status !== 'pending') return
        const pending = result.data
        batch(() => {
          booking.value = pending
          manageToken.value = token
          notice.value = t.paymentFailed
        })
        return
      }
      await settlePaid(ref, token)
    },
  }
})

export type Payment = InstanceType<typeof PaymentModel>
