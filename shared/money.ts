/**
 * Money is integer minor units plus an ISO 4217 code. This turns it into text for people;
 * the number of decimals comes from the currency (2 for EUR, 0 for JPY, 3 for KWD).
 */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency })
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2
  return format.format(minor / 10 ** digits)
}
