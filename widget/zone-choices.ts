import { cityOf } from '../shared/calendar-labels'
import { formatZoneName, formatZoneOffset } from './format-time'

/** A zone as the picker lists it. */
export interface ZoneChoice {
  id: string
  /** The zone's city ("New York", "Buenos Aires"). */
  city: string
  /** Its name in the guest's language ("Eastern Time", "Nordamerikanische Ostküstenzeit"). */
  name: string
  /** Its UTC offset now ("GMT-5"). */
  offset: string
  /** Lower-case text without accents, for matching what the guest types. */
  search: string
}

// Region zones only: the legacy aliases (US/Eastern, Etc/GMT+5, Europe/Belfast's kind are
// already folded by the browser) would list the same clock twice under old names.
const REGION = /^(Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific)\//

const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()

/** One zone named for `locale` at the instant `at`. */
export function describeZone(id: string, locale: string, at: Date): ZoneChoice {
  const city = cityOf(id)
  const name = formatZoneName(id, locale, at)
  const offset = formatZoneOffset(id, locale, at)
  return { id, city, name, offset, search: fold(`${id} ${city} ${name} ${offset}`) }
}

const lists = new Map<string, ZoneChoice[]>()

/**
 * Every region zone the browser knows, named in `locale`, sorted by city. Built
 * once per language when the picker first opens (a few hundred Intl look-ups).
 */
export function allZones(locale: string, at: Date): ZoneChoice[] {
  let list = lists.get(locale)
  if (!list) {
    const ids =
      typeof Intl.supportedValuesOf === 'function'
        ? Intl.supportedValuesOf('timeZone').filter((id) => REGION.test(id) || id === 'UTC')
        : []
    list = ids.map((id) => describeZone(id, locale, at)).sort((a, b) => a.city.localeCompare(b.city, locale))
    lists.set(locale, list)
  }
  return list
}

/** The zones whose city, name, id or offset contain every word of `query`. */
export function matchZones(zones: readonly ZoneChoice[], query: string, limit = 50): ZoneChoice[] {
  const words = fold(query).split(/\s+/).filter(Boolean)
  const matches: ZoneChoice[] = []
  for (const zone of zones) {
    if (words.every((word) => zone.search.includes(word))) matches.push(zone)
    if (matches.length >= limit) break
  }
  return matches
}
