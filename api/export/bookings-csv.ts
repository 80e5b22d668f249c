import type { BookingRow } from '../../drizzle/schema'
import { dateOf, wallClockIn } from '../../shared/calendar-labels'
import { readableAnswers } from '../../shared/intake-answers'
import { toMajorText } from '../../shared/money'

/*
 * Bookings as CSV for spreadsheets (RFC 4180: CRLF rows, fields with a comma, quote or line
 * break quoted, quotes doubled), written a page at a time so an export of any size never
 * sits in memory whole.
 */

export type CsvValue = string | number | null | undefined

/**
 * A spreadsheet runs a cell starting with = + - @ (or a tab or carriage return before
 * one) as a formula, so a guest could plant one in their name. Such cells get a leading
 * apostrophe: shown as text, never run.
 */
const FORMULA_START = /^[=+\-@\t\r]/

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return ''
  let text = String(value)
  if (FORMULA_START.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`
}

/** Excel reads a file without it as the local code page: umlauts would come out garbled. */
export const UTF8_BOM = '\uFEFF'

export const BOOKING_CSV_COLUMNS = [
  'Ref',
  'Status',
  'Resource slug',
  'Resource name',
  'Start (UTC)',
  'End (UTC)',
  'Start (local)',
  'Time zone',
  'Guest name',
  'Guest email',
  'Guest phone',
  'Seats',
  'Party size',
  'Pool',
  'Service',
  'Amount',
  'Currency',
  'Payment status',
  'Captured',
  'Refunded',
  'Created at',
  'Cancelled at',
  'Cancel reason',
  'Notes',
  'Answers',
] as const

/** Names of what a booking row refers to by id. */
export interface BookingCsvLookups {
  resources: ReadonlyMap<string, { slug: string; name: string; timezone: string }>
  pools: ReadonlyMap<string, string>
  services: ReadonlyMap<string, string>
}

/** Minor units as a decimal string, digit by digit (no float ever holds the amount). */
export function decimalAmount(minor: number | null, currency: string | null): string {
  if (minor === null || !currency) return ''
  return minor < 0 ? `-${toMajorText(-minor, currency)}` : toMajorText(minor, currency)
}

/** `YYYY-MM-DD HH:MM` on the clocks of `zone`. */
export function localTime(at: Date, zone: string): string {
  const clock = wallClockIn(at.getTime(), zone)
  return `${dateOf(clock)} ${String(clock.hour).padStart(2, '0')}:${String(clock.minute).padStart(2, '0')}`
}

export function bookingCsvValues(row: BookingRow, lookups: BookingCsvLookups): CsvValue[] {
  const resource = lookups.resources.get(row.resourceId)
  const money = (minor: number) => (row.currency ? decimalAmount(minor, row.currency) : '')
  return [
    row.ref,
    row.status,
    resource?.slug,
    resource?.name,
    row.startsAt.toISOString(),
    row.endsAt.toISOString(),
    resource ? localTime(row.startsAt, resource.timezone) : '',
    resource?.timezone,
    row.guestName,
    row.guestEmail,
    row.guestPhone,
    row.seats,
    row.partySize,
    row.poolId ? lookups.pools.get(row.poolId) : '',
    row.serviceId ? lookups.services.get(row.serviceId) : '',
    decimalAmount(row.amount, row.currency),
    row.currency,
    row.paymentStatus,
    row.paymentStatus ? money(row.amountCaptured) : '',
    row.paymentStatus ? money(row.amountRefunded) : '',
    row.createdAt.toISOString(),
    row.cancelledAt?.toISOString(),
    row.cancelReason,
    row.notes,
    readableAnswers(row.questionsAsked, row.answers, 'en')
      .map((a) => `${a.question}: ${a.answer}`)
      .join('; '),
  ]
}

export interface CsvPage {
  rows: readonly BookingRow[]
  nextCursor: string | undefined
}

/**
 * The whole export as a byte stream: the BOM and header first, then one chunk per page,
 * each page read only when the reader wants more (backpressure reaches the database).
 */
export function bookingsCsvStream(
  readPage: (cursor: string | undefined) => Promise<CsvPage>,
  lookups: BookingCsvLookups,
  onError: (error: unknown) => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let cursor: string | undefined
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(UTF8_BOM + csvRow(BOOKING_CSV_COLUMNS)))
    },
    async pull(controller) {
      try {
        const page = await readPage(cursor)
        if (page.rows.length > 0)
          controller.enqueue(encoder.encode(page.rows.map((row) => csvRow(bookingCsvValues(row, lookups))).join('')))
        cursor = page.nextCursor
        if (!cursor) controller.close()
      } catch (error) {
        // The headers are long gone: a cut-off body is all the client can be told.
        onError(error)
        controller.error(error)
      }
    },
  })
}
