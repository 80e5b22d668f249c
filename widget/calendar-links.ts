/*
 * "Add to Google Calendar" and "Add to Outlook" links: each opens the calendar's own
 * new-event page filled in. Times go as UTC instants, so the guest's calendar shows them
 * in its own zone. Nothing secret goes in: these URLs reach the calendar's servers.
 */

export interface CalendarEvent {
  title: string
  /** ISO-8601 instants. */
  start: string
  end: string
  details?: string
}

/** `20261130T150000Z`, the form Google's `dates` takes. */
const basic = (instant: string) =>
  new Date(instant)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '')
/** `2026-11-30T15:00:00Z`: Outlook reads ISO-8601, but not every deep link copes with milliseconds. */
const extended = (instant: string) => new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z')

// Instants and paths are left as they are (only [0-9A-Z:/-]); text is percent-encoded, spaces
// as %20, because Outlook shows a form-encoded "+" as a plus sign.
const query = (params: [string, string, boolean?][]) =>
  params.map(([key, value, raw]) => `${key}=${raw ? value : encodeURIComponent(value)}`).join('&')

/** https://calendar.google.com/calendar/render?action=TEMPLATE&text=…&dates=start/end&details=… */
export function googleCalendarUrl(event: CalendarEvent): string {
  const params: [string, string, boolean?][] = [
    ['action', 'TEMPLATE', true],
    ['text', event.title],
    ['dates', `${basic(event.start)}/${basic(event.end)}`, true],
  ]
  if (event.details) params.push(['details', event.details])
  return `https://calendar.google.com/calendar/render?${query(params)}`
}

/** https://outlook.live.com/calendar/0/deeplink/compose?subject=…&startdt=ISO&enddt=ISO&body=… */
export function outlookCalendarUrl(event: CalendarEvent): string {
  const params: [string, string, boolean?][] = [
    // Without these two, some Outlook versions open the calendar instead of the new event.
    ['path', '/calendar/action/compose', true],
    ['rru', 'addevent', true],
    ['subject', event.title],
    ['startdt', extended(event.start), true],
    ['enddt', extended(event.end), true],
  ]
  if (event.details) params.push(['body', event.details])
  return `https://outlook.live.com/calendar/0/deeplink/compose?${query(params)}`
}
