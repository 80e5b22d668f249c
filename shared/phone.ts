import { getCountryForTimezone } from 'countries-and-timezones'
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min'

export type PhoneResult = { ok: true; e164: string } | { ok: false }

/**
 * A phone number as people type it (spaces, dashes, brackets, dots, `00` or `+` for
 * abroad, or the national form such as `030 1234567`) in E.164, e.g. `+49301234567`.
 * National numbers are read in `defaultRegion` (ISO 3166-1 alpha-2); without one only
 * international numbers are understood. A number is accepted when the region's numbering
 * plan has it (length and leading digits), not merely when it has enough digits.
 */
export function normalizePhone(raw: string, defaultRegion?: string): PhoneResult {
  const region = defaultRegion?.toUpperCase()
  const parsed = parsePhoneNumberFromString(
    raw,
    region && isSupportedCountry(region) ? { defaultCountry: region as CountryCode } : {},
  )
  // E.164 cannot carry an extension: a number for texts and calls is kept without it.
  return parsed?.isValid() ? { ok: true, e164: parsed.number } : { ok: false }
}

/**
 * The country an IANA zone belongs to (the first the time zone database lists for it, so
 * `Europe/Berlin` → `DE`, `America/New_York` → `US`), or undefined for zones of no
 * country (`UTC`, `Etc/GMT+1`) and zones the data does not know.
 */
export function regionForTimeZone(zone: string): string | undefined {
  return getCountryForTimezone(zone)?.id ?? undefined
}

/** An ISO 3166-1 alpha-2 code (upper case) whose numbering plan is known here. */
export function isPhoneRegion(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code)
}

/** Where a resource's guests' national numbers are read: its `config.country`, else its zone's country. */
export function phoneRegionOf(resource: {
  timezone: string
  config: { country?: string | undefined }
}): string | undefined {
  return resource.config.country ?? regionForTimeZone(resource.timezone)
}
