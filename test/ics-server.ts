import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What one path answers; `etag` makes a matching If-None-Match answer 304. */
export interface IcsRoute {
  status?: number
  body?: string
  etag?: string
  contentType?: string
  /** Milliseconds to wait before answering (to keep two fetches in flight at once). */
  delayMs?: number
}

export interface IcsServer {
  /** http://127.0.0.1:<port><path> */
  url(path: string): string
  set(path: string, route: IcsRoute): void
  /** The requests a path received, with their headers, oldest first. */
  requests(path: string): IncomingMessage['headers'][]
  close(): Promise<void>
}

/** A calendar host on 127.0.0.1 and a random port, answering what each test sets per path. */
export async function startIcsServer(): Promise<IcsServer> {
  const routes = new Map<string, IcsRoute>()
  const seen = new Map<string, IncomingMessage['headers'][]>()
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    seen.set(path, [...(seen.get(path) ?? []), req.headers])
    const route = routes.get(path)
    const answer = () => {
      if (!route) return res.writeHead(404).end('not found')
      if (route.etag && req.headers['if-none-match'] === route.etag) return res.writeHead(304).end()
      res.writeHead(route.status ?? 200, {
        'content-type': route.contentType ?? 'text/calendar; charset=utf-8',
        ...(route.etag ? { etag: route.etag } : {}),
      })
      res.end(route.body ?? '')
    }
    if (route?.delayMs) setTimeout(answer, route.delayMs)
    else answer()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    set: (path, route) => void routes.set(path, route),
    requests: (path) => seen.get(path) ?? [],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

const BERLIN_ZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
]

/** A calendar file of `lines` (VEVENTs) with the Europe/Berlin VTIMEZONE Google sends. */
export function icsCalendar(...events: string[][]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//busy import//EN',
    ...BERLIN_ZONE,
    ...events.flat(),
    'END:VCALENDAR',
    '',
  ].join('\r\n')
}

/**
 * The calendar the busy-import tests read, with the instants it must block:
 * - a weekly Monday 10:00–11:00 Europe/Berlin series from 2026-03-16, six times, across
 *   the 2026-03-29 change to summer time (09:00Z before, 08:00Z after);
 *   2026-04-06 removed by EXDATE, 2026-04-13 by a cancelled override, and 2026-04-20
 *   moved by an override to Tuesday 2026-04-21 14:00–15:00;
 * - an all-day event on 2026-04-08;
 * - a free (TRANSP:TRANSPARENT) and a cancelled event, which block nothing.
 */
export const SAMPLE_ICS = icsCalendar(
  [
    'BEGIN:VEVENT',
    'UID:weekly@test',
    'DTSTAMP:20260301T000000Z',
    'DTSTART;TZID=Europe/Berlin:20260316T100000',
    'DTEND;TZID=Europe/Berlin:20260316T110000',
    'RRULE:FREQ=WEEKLY;COUNT=6',
    'EXDATE;TZID=Europe/Berlin:20260406T100000',
    'SUMMARY:Team meeting',
    'END:VEVENT',
  ],
  [
    'BEGIN:VEVENT',
    'UID:weekly@test',
    'DTSTAMP:20260301T000000Z',
    'RECURRENCE-ID;TZID=Europe/Berlin:20260413T100000',
    'DTSTART;TZID=Europe/Berlin:20260413T100000',
    'DTEND;TZID=Europe/Berlin:20260413T110000',
    'STATUS:CANCELLED',
    'END:VEVENT',
  ],
  [
    'BEGIN:VEVENT',
    'UID:weekly@test',
    'DTSTAMP:20260301T000000Z',
    'RECURRENCE-ID;TZID=Europe/Berlin:20260420T100000',
    'DTSTART;TZID=Europe/Berlin:20260421T140000',
    'DTEND;TZID=Europe/Berlin:20260421T150000',
    'END:VEVENT',
  ],
  [
    'BEGIN:VEVENT',
    'UID:holiday@test',
    'DTSTAMP:20260301T000000Z',
    'DTSTART;VALUE=DATE:20260408',
    'DTEND;VALUE=DATE:20260409',
    'SUMMARY:Away',
    'END:VEVENT',
  ],
  [
    'BEGIN:VEVENT',
    'UID:free@test',
    'DTSTAMP:20260301T000000Z',
    'DTSTART:20260410T080000Z',
    'DTEND:20260410T090000Z',
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
  ],
  [
    'BEGIN:VEVENT',
    'UID:called-off@test',
    'DTSTAMP:20260301T000000Z',
    'DTSTART:20260410T120000Z',
    'DTEND:20260410T130000Z',
    'STATUS:CANCELLED',
    'END:VEVENT',
  ],
)

/** What SAMPLE_ICS blocks for a resource in Europe/Berlin, as UTC ISO pairs in order. */
export const SAMPLE_BUSY = [
  ['2026-03-16T09:00:00.000Z', '2026-03-16T10:00:00.000Z'],
  ['2026-03-23T09:00:00.000Z', '2026-03-23T10:00:00.000Z'],
  ['2026-03-30T08:00:00.000Z', '2026-03-30T09:00:00.000Z'],
  ['2026-04-07T22:00:00.000Z', '2026-04-08T22:00:00.000Z'],
  ['2026-04-21T12:00:00.000Z', '2026-04-21T13:00:00.000Z'],
]
