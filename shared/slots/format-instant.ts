import { DAY_MS } from './calendar-days'

const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'))
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'))

/**
 * A formatter producing exactly `new Date(ms).toISOString()`. Slots arrive in time order,
 * so the date part is taken from `toISOString` once per UTC day and the time part is plain
 * arithmetic: formatting is otherwise the largest cost of a slot, and a month of slots
 * means thousands of strings per availability request.
 */
export function createInstantFormatter(): (ms: number) => string {
  let day = NaN
  let datePart = ''
  return (ms) => {
    const msDay = Math.floor(ms / DAY_MS)
    if (msDay !== day) {
      day = msDay
      datePart = new Date(msDay * DAY_MS).toISOString().slice(0, -13)
    }
    let rest = ms - msDay * DAY_MS
    const hours = Math.floor(rest / 3_600_000)
    rest -= hours * 3_600_000
    const minutes = Math.floor(rest / 60_000)
    rest -= minutes * 60_000
    const seconds = Math.floor(rest / 1000)
    return `${datePart}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[rest - seconds * 1000]}Z`
  }
}
