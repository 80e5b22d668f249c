/*
 * How a resource is paid for, read from its settings in one place: the config schema's
 * checks, the booking lifecycle, the public form of a resource and the widget's price line
 * all ask here. Zod-free and importing nothing, so the console and the schemas can use it.
 */

/** An amount in minor units of a currency. */
export interface Price {
  amount: number
  currency: string
}

/** A resource's `payment` setting: nothing online, a deposit, or the full price when booking. */
export const PAYMENT_SETTINGS = ['none', 'deposit', 'full'] as const
export type PaymentSetting = (typeof PAYMENT_SETTINGS)[number]

/** The resource settings that decide what is paid: a resource's config satisfies it. */
export interface PaymentConfig {
  price?: Price | undefined
  payment?: PaymentSetting | undefined
  /** Minor units taken when booking under `payment: 'deposit'`; the whole price when unset. */
  depositAmount?: number | undefined
}

/** Whether the guest pays online when booking (a deposit or the full price). */
export function takesPaymentOnline(payment: PaymentSetting | undefined): payment is 'deposit' | 'full' {
  return payment === 'deposit' || payment === 'full'
}

/**
 * How a resource is paid for: `online` (card when booking, `payment` full or deposit; needs
 * a payment provider), `on_site` (a price, `payment` none or unset: the guest pays there),
 * or `free`.
 */
export function paymentModeOf(config: PaymentConfig): 'online' | 'on_site' | 'free' {
  if (takesPaymentOnline(config.payment)) return 'online'
  return config.price && config.price.amount > 0 ? 'on_site' : 'free'
}

/**
 * What the guest pays online when booking: the deposit or the full price; undefined when
 * nothing. Prices are per place, so a booking of `seats` places owes that many times it.
 */
export function amountDue(config: PaymentConfig, seats = 1): Price | undefined {
  if (!config.price || !takesPaymentOnline(config.payment)) return undefined
  const amount = config.payment === 'deposit' ? (config.depositAmount ?? config.price.amount) : config.price.amount
  return { amount: amount * seats, currency: config.price.currency }
}

/**
 * What the guest pays when booking a resource as the public API shows it (its `deposit`
 * stands for the config's depositAmount); undefined when nothing is paid online.
 */
export function dueAtBooking(resource: {
  price?: Price | undefined
  payment?: PaymentSetting | undefined
  deposit?: Price | undefined
}): Price | undefined {
  return amountDue({ price: resource.price, payment: resource.payment, depositAmount: resource.deposit?.amount })
}
