/**
 * Money is integer minor units plus an ISO 4217 code. This turns it into text for people;
 * the number of decimals comes from the currency (2 for EUR, 0 for JPY, 3 for KWD).
 */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency })
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2
  return format.format(minor / 10 ** digits)
}

/** Decimal places of a currency's minor unit (EUR 2, JPY 0, KWD 3). */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
}

/**
 * What an owner types ("25", "25.5", "25,50") as integer minor units, exactly: the digits
 * are moved, never multiplied as a float. Undefined when it is not an amount of this currency.
 */
export function parseMoney(text: string, currency: string): number | undefined {
  const digits = minorDigits(currency)
  const match = /^\s*(\d{1,12})(?:[.,](\d*))?\s*$/.exec(text)
  if (!match) return undefined
  const fraction = match[2] ?? ''
  if (fraction.length > digits) return undefined
  return Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0')
}

/** Minor units as the plain number an owner edits ("25.50", "1500"). */
export function toMajorText(minor: number, currency: string): string {
  const digits = minorDigits(currency)
  if (digits === 0) return String(minor)
  const text = String(minor).padStart(digits + 1, '0')
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`
}
