/*
 * The card step, loaded only when a resource takes payment (the embed fetches it as a
 * separate module; the SDK's bundler splits it). It mounts Stripe's Payment Element and
 * confirms the payment; the booking code never sees card data.
 */
import { loadStripe as loadStripeJs } from '@stripe/stripe-js/pure'

/** The part of Stripe.js the widget uses; tests and custom setups pass a stand-in with this shape. */
export interface StripeLike {
  elements(options: { clientSecret: string; locale?: string; appearance?: { variables?: Record<string, string> } }): {
    create(type: 'payment', options?: { layout?: string }): { mount(target: HTMLElement): void; destroy(): void }
  }
  confirmPayment(options: {
    elements: unknown
    confirmParams: { return_url: string }
    redirect: 'if_required'
  }): Promise<{ error?: { message?: string; type?: string }; paymentIntent?: { id: string; status: string } }>
}

export type LoadStripe = (publishableKey: string) => Promise<StripeLike | null>

export interface CardPaymentOptions {
  publishableKey: string
  clientSecret: string
  locale: string
  accent?: string
  /** Replaces Stripe.js (which loads from js.stripe.com) — the loader seam. */
  loadStripe?: LoadStripe | undefined
}

export interface CardPayment {
  /** Confirms the card; 3-D Secure may redirect to `returnUrl` and come back. */
  confirm(
    returnUrl: string,
  ): Promise<{ status: 'authorized' | 'processing' } | { status: 'failed'; message: string | undefined }>
  destroy(): void
}

export async function startCardPayment(target: HTMLElement, options: CardPaymentOptions): Promise<CardPayment> {
  const load = options.loadStripe ?? (loadStripeJs as unknown as LoadStripe)
  const stripe = await load(options.publishableKey)
  if (!stripe) throw new Error('Stripe.js could not be loaded')
  const elements = stripe.elements({
    clientSecret: options.clientSecret,
    locale: options.locale.split('-')[0] ?? 'auto',
    ...(options.accent ? { appearance: { variables: { colorPrimary: options.accent } } } : {}),
  })
  const element = elements.create('payment', { layout: 'tabs' })
  element.mount(target)
  return {
    async confirm(returnUrl) {
      const result = await stripe.confirmPayment({
        elements,
        confirmParams: { return_url: returnUrl },
        redirect: 'if_required',
      })
      if (result.error) return { status: 'failed', message: result.error.message }
      const status = result.paymentIntent?.status
      if (status === 'requires_capture' || status === 'succeeded') return { status: 'authorized' }
      if (status === 'processing') return { status: 'processing' }
      return { status: 'failed', message: undefined }
    },
    destroy: () => element.destroy(),
  }
}
