import type { MessageLanguage } from '../../shared/schemas'

/*
 * How a time reads in a message: the date with its year, a 24-hour time, and the place
 * whose clock it is ("Monday, 30 November 2026, 15:00 London time"); a second zone's clock
 * beside it when it shows another time ("(16:00 in Berlin)"). Places are cities, not
 * generic zone names: "Central European Time" is Madrid's and Berlin's alike, and
 * Intl names a one-zone country rather than its city ("United Kingdom Time").
 */

/** City names that differ from the zone id's English one, for the zones guests most often book from. */
const CITY_NAMES: Record<MessageLanguage, Readonly<Record<string, string>>> = {
  en: {
    'America/Sao_Paulo': 'São Paulo',
    'America/Bogota': 'Bogotá',
    'Europe/Kiev': 'Kyiv',
  },
  de: {
    'Africa/Cairo': 'Kairo',
    'America/Bogota': 'Bogotá',
    'America/Havana': 'Havanna',
    'America/Mexico_City': 'Mexiko-Stadt',
    'America/Sao_Paulo': 'São Paulo',
    'Asia/Riyadh': 'Riad',
    'Asia/Singapore': 'Singapur',
    'Asia/Tokyo': 'Tokio',
    'Atlantic/Canary': 'Kanaren',
    'Europe/Athens': 'Athen',
    'Europe/Belgrade': 'Belgrad',
    'Europe/Brussels': 'Brüssel',
    'Europe/Bucharest': 'Bukarest',
    'Europe/Copenhagen': 'Kopenhagen',
    'Europe/Kiev': 'Kiew',
    'Europe/Kyiv': 'Kiew',
    'Europe/Lisbon': 'Lissabon',
    'Europe/Luxembourg': 'Luxemburg',
    'Europe/Moscow': 'Moskau',
    'Europe/Prague': 'Prag',
    'Europe/Rome': 'Rom',
    'Europe/Vienna': 'Wien',
    'Europe/Warsaw': 'Warschau',
    'Europe/Zurich': 'Zürich',
  },
  es: {
    'Africa/Cairo': 'El Cairo',
    'America/Asuncion': 'Asunción',
    'America/Bogota': 'Bogotá',
    'America/Havana': 'La Habana',
    'America/Los_Angeles': 'Los Ángeles',
    'America/Mexico_City': 'Ciudad de México',
    'America/New_York': 'Nueva York',
    'America/Panama': 'Panamá',
    'America/Sao_Paulo': 'São Paulo',
    'Asia/Jerusalem': 'Jerusalén',
    'Asia/Shanghai': 'Shanghái',
    'Asia/Singapore': 'Singapur',
    'Asia/Tokyo': 'Tokio',
    'Atlantic/Canary': 'Canarias',
    'Europe/Amsterdam': 'Ámsterdam',
    'Europe/Athens': 'Atenas',
    'Europe/Belgrade': 'Belgrado',
    'Europe/Berlin': 'Berlín',
    'Europe/Brussels': 'Bruselas',
    'Europe/Bucharest': 'Bucarest',
    'Europe/Copenhagen': 'Copenhague',
    'Europe/Dublin': 'Dublín',
    'Europe/Istanbul': 'Estambul',
    'Europe/Kiev': 'Kiev',
    'Europe/Kyiv': 'Kiev',
    'Europe/Lisbon': 'Lisboa',
    'Europe/London': 'Londres',
    'Europe/Luxembourg': 'Luxemburgo',
    'Europe/Moscow': 'Moscú',
    'Europe/Paris': 'París',
    'Europe/Prague': 'Praga',
    'Europe/Rome': 'Roma',
    'Europe/Stockholm': 'Estocolmo',
    'Europe/Vienna': 'Viena',
    'Europe/Warsaw': 'Varsovia',
    'Europe/Zurich': 'Zúrich',
  },
}

interface Phrases {
  /** Intl locale for dates: English messages use day-month order and a 24-hour clock, as the rest of the message does. */
  intl: string
  /** "15:00 London time" */
  at: (time: string, place: Place) => string
  /** "16:00 in Berlin", "Tue 1 Dec, 00:30 in Berlin" */
  beside: (time: string, place: Place) => string
}

/** A city, or a zone without one (UTC, Etc/GMT+5) written as its offset. */
type Place = { city: string } | { offset: string }

const PHRASES: Record<MessageLanguage, Phrases> = {
  en: {
    intl: 'en-GB',
    at: (time, place) => ('city' in place ? `${time} ${place.city} time` : `${time} ${place.offset}`),
    beside: (time, place) => ('city' in place ? `${time} in ${place.city}` : `${time} ${place.offset}`),
  },
  de: {
    intl: 'de',
    at: (time, place) => ('city' in place ? `${time} Uhr Ortszeit ${place.city}` : `${time} Uhr ${place.offset}`),
    beside: (time, place) => ('city' in place ? `${time} Uhr in ${place.city}` : `${time} Uhr ${place.offset}`),
  },
  es: {
    intl: 'es',
    at: (time, place) => ('city' in place ? `${time} hora de ${place.city}` : `${time} ${place.offset}`),
    beside: (time, place) => ('city' in place ? `${time} en ${place.city}` : `${time} ${place.offset}`),
  },
}

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`
  let found = formatters.get(key)
  if (!found) {
    found = new Intl.DateTimeFormat(locale, { ...options, timeZone })
    if (formatters.size < 500) formatters.set(key, found)
  }
  return found
}

const LONG_DATE: Intl.DateTimeFormatOptions = { dateStyle: 'full' }
const SHORT_DATE: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short' }
const CLOCK: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }

function placeOf(zone: string, at: Date, language: MessageLanguage): Place {
  // Aliases (US/Eastern) read as their canonical zone's city.
  const canonical = formatter('en', zone, {}).resolvedOptions().timeZone
  if (canonical === 'UTC' || canonical === 'Etc/UTC' || canonical === 'Etc/GMT') return { offset: 'UTC' }
  if (canonical.startsWith('Etc/') || !canonical.includes('/')) {
    const offset = formatter('en', canonical, { timeZoneName: 'shortOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value
    return { offset: offset ?? canonical }
  }
  const city = CITY_NAMES[language][canonical] ?? canonical.slice(canonical.lastIndexOf('/') + 1).replace(/_/g, ' ')
  return { city }
}

/** The place a zone's clock is named by in `language` ("Berlín" in Spanish), or its offset ("UTC", "GMT-5"). */
export function placeName(zone: string, language: MessageLanguage, at: Date = new Date()): string {
  const place = placeOf(zone, at, language)
  return 'city' in place ? place.city : place.offset
}

/**
 * `at` on the clock of `zone`, with the year and the place; `alsoIn`'s clock beside it
 * when that clock shows another time (the same wall time said twice adds nothing). When
 * the other clock is on another day, that day is named too.
 *
 * @example formatMessageTime(new Date('2026-11-30T15:00:00Z'), 'en', 'Europe/London', 'Europe/Berlin')
 *   → "Monday, 30 November 2026, 15:00 London time (16:00 in Berlin)"
 */
export function formatMessageTime(at: Date, language: MessageLanguage, zone: string, alsoIn?: string): string {
  const words = PHRASES[language]
  const date = formatter(words.intl, zone, LONG_DATE).format(at)
  const time = formatter(words.intl, zone, CLOCK).format(at)
  const main = `${date}, ${words.at(time, placeOf(zone, at, language))}`
  if (!alsoIn || alsoIn === zone) return main
  const otherTime = formatter(words.intl, alsoIn, CLOCK).format(at)
  const otherDay = formatter(words.intl, alsoIn, SHORT_DATE).format(at)
  const sameDay = otherDay === formatter(words.intl, zone, SHORT_DATE).format(at)
  if (sameDay && otherTime === time) return main
  const beside = words.beside(sameDay ? otherTime : `${otherDay}, ${otherTime}`, placeOf(alsoIn, at, language))
  return `${main} (${beside})`
}
