import { Temporal } from 'temporal-polyfill'

/**
 * The hour from `time` on the local `date` in `zone`, `weeks` weeks later: the way a series'
 * dates are written (same wall time, so its instant moves across a DST change). `date` is the
 * local date it lands on.
 */
export function localHour(zone: string, date: string, time: string, weeks = 0) {
  const start = Temporal.PlainDateTime.from(`${date}T${time}`).add({ weeks }).toZonedDateTime(zone)
  return {
    date: start.toPlainDate().toString(),
    start: start.epochMilliseconds,
    end: start.add({ hours: 1 }).epochMilliseconds,
  }
}
