import { amountDue } from './booking-status'
import type { Money, PublicResource, ResourceConfig } from './types'

/*
 * How a resource is paid for, read from its settings in one place: the config schema's
 * checks, the public form of a resource and the widget's price line all ask here, and
 * what is due at booking is always amountDue (shared/booking-status.ts). Zod-free.
 */

/** A resource's `payment` setting: nothing online, a deposit, or the full price when booking. */
export const PAYMENT_SETTINGS = ['none', 'deposit', 'full'] as const
export type PaymentSetting = (typeof PAYMENT_SETTINGS)[number]

/** Whether the guest pays online when booking (a deposit or the full price). */
export function takesPaymentOnline(payment: PaymentSetting | undefined): payment is 'deposit' | 'full' {
  return payment === 'deposit' || payment === 'full'
}

/**
 * How a resource is paid for: `online` (card when booking, `payment` full or deposit; needs
 * a payment provider), `on_site` (a price, `payment` none or unset: the guest pays there),
 * or `free`.
 */
export function paymentModeOf(config: Pick<ResourceConfig, 'price' | 'payment'>): 'online' | 'on_site' | 'free' {
  if (takesPaymentOnline(config.payment)) return 'online'
  return config.price && config.price.amount > 0 ? 'on_site' : 'free'
}

/**
 * What the guest pays when booking a resource as the public API shows it (its `deposit`
 * stands for the config's depositAmount); undefined when nothing is paid online.
 */
export function dueAtBooking(resource: Pick<PublicResource, 'price' | 'payment' | 'deposit'>): Money | undefined {
  const config: Pick<ResourceConfig, 'price' | 'payment' | 'depositAmount'> = { price: resource.price, payment: resource.payment }
  if (resource.deposit) config.depositAmount = resource.deposit.amount
  return amountDue(config)
}
