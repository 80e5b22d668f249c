import { and, eq } from 'drizzle-orm'
import { drainOutbox, type Outcome } from './leased-outbox'
import { bookableResources, bookings, notifications, type BookingRow, type NotificationRow } from '../../drizzle/schema'
import { messageLanguage } from '../../shared/schemas'
import { isActive } from '../../shared/booking-status'
import { bookingsToIcs, type IcsEntry, type IcsMethod } from '../bookings/booking-ics'
import { unsealToken } from '../crypto'
import type { Clock } from '../clock'
import type { Database } from '../db/database'
import type { Logger } from '../logger'
import type { EmailSender } from './email'
import { renderEmail, renderSms, type MessageContext } from './messages'
import { findOccurrences, findSeriesById } from '../series/series-store'
import {
  findSeriesCancel,
  findSeriesMove,
  findSeriesSummary,
  type SeriesCancelNotice,
  type SeriesMoveNotice,
} from './series-summary'
import type { SmsSender } from './sms'

export interface OutboxWorkerDeps {
  db: Database
  clock: Clock
  logger: Logger
  email: EmailSender
  /** Undefined when no SMS provider is configured: SMS rows are skipped, saying so. */
  sms: SmsSender | undefined
  /** For manage links in messages: where the manage page is, and the key the tokens are sealed under. */
  links: { publicUrl: string; appSecret: string | undefined }
}

export const MAX_ATTEMPTS = 8
/** How long a claimed row is reserved for its worker; a worker that died loses it after this. */
const MINUTE = 60_000

/** 30 s, 1 min, 2 min, … capped at an hour: a provider outage is ridden out, not hammered. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 60 * MINUTE)
}

/**
 * Sends what is due. Rows are claimed in short transactions with FOR UPDATE SKIP LOCKED
 * and a lease, so any number of workers share the work and each row goes to one of them;
 * sending happens outside any transaction. Returns how many rows ended sent, skipped,
 * failed for good, or were put back for a retry.
 */
export async function processOutbox(deps: OutboxWorkerDeps, options: { maxBatches?: number } = {}) {
  return drainOutbox(
    deps.db,
    notifications,
    () => deps.clock.now(),
    (row) => deliver(deps, row),
    options.maxBatches,
  )
}

async function deliver(deps: OutboxWorkerDeps, row: NotificationRow): Promise<Outcome> {
  const { db, clock } = deps
  const [booking] = await db.select().from(bookings).where(eq(bookings.id, row.bookingId))
  if (!booking) return finish(db, row, { status: 'skipped', skipReason: 'booking deleted' })
  const now = clock.now()
  const reason = skipReason(row, booking, now, deps.sms !== undefined)
  if (reason) return finish(db, row, { status: 'skipped', skipReason: reason })

  try {
    const [resource] = await db.select().from(bookableResources).where(eq(bookableResources.id, booking.resourceId))
    const move = row.payload?.move
    const seriesMove =
      booking.seriesId && row.payload?.seriesMoves
        ? await findSeriesMove(db, booking.seriesId, row.payload.seriesMoves)
        : undefined
    if (isSeriesMoveEvent(row.event) && !seriesMove)
      return finish(db, row, { status: 'skipped', skipReason: 'every moved date was cancelled before this was sent' })
    const seriesCancel =
      booking.seriesId && row.payload?.seriesCancel
        ? await findSeriesCancel(db, booking.seriesId, row.payload.seriesCancel)
        : undefined
    if (isSeriesCancelEvent(row.event) && !seriesCancel)
      return finish(db, row, { status: 'skipped', skipReason: 'the series is gone' })
    // A move is told as it was made (the booking may have moved again since this row was claimed);
    // a series move speaks of its first date still booked.
    const told = seriesMove
      ? seriesMove.moves[0]!.booking
      : seriesCancel
        ? seriesCancel.cancelled[0]!
        : move
          ? { ...booking, startsAt: new Date(move.to.start), endsAt: new Date(move.to.end), version: row.version }
          : booking
    const ctx: MessageContext = {
      event: row.event,
      // The owner's notices in the owner's language when the resource names one.
      language:
        (row.event.startsWith('admin_') ? resource?.config.notifyLanguage : undefined) ??
        messageLanguage(booking.locale),
      booking: told,
      resourceName: resource?.name ?? 'Booking',
      timezone: resource?.timezone ?? 'UTC',
      manageUrl: await manageUrl(deps.links, told),
      previousStart: move ? new Date(move.from.start) : undefined,
      // A series is announced once, by its first date: that email says how it repeats.
      series:
        booking.seriesId && row.channel === 'email' && (row.event === 'created' || row.event === 'admin_new_booking')
          ? await findSeriesSummary(db, booking.seriesId)
          : undefined,
      seriesMove,
      seriesCancel: seriesCancel && {
        ref: seriesCancel.ref,
        everyWeeks: seriesCancel.everyWeeks,
        cancelled: seriesCancel.cancelled.map((date) => date.startsAt),
        kept: seriesCancel.kept.map((date) => date.startsAt),
        refunds: seriesCancel.refunds,
      },
    }
    let providerId: string
    if (row.channel === 'email') {
      const content = renderEmail(ctx)
      const method = CALENDAR_METHOD[row.event]
      const host = new URL(deps.links.publicUrl).hostname
      const calendar = method ? { method, ...(await calendarOf(deps, row, ctx, seriesMove, seriesCancel)) } : undefined
      const sent = await deps.email.send({
        to: row.recipient!,
        ...content,
        messageId: `<${row.id}.${row.version}@${host}>`,
        ...(calendar
          ? {
              attachments: [
                {
                  filename: calendar.filename,
                  content: bookingsToIcs(calendar.entries, ctx.resourceName, {
                    host,
                    now,
                    method: calendar.method,
                    language: ctx.language,
                    organizer: mailbox(deps.email.from),
                  }),
                  contentType: `text/calendar; charset=utf-8; method=${calendar.method.toUpperCase()}`,
                },
              ],
            }
          : {}),
      })
      providerId = sent.id
    } else {
      providerId = (await deps.sms!.send({ to: row.recipient!, body: renderSms(ctx) })).id
    }
    return finish(db, row, { status: 'sent', sentAt: new Date(clock.now()), providerId, lastError: null })
  } catch (error) {
    const message = redact(error instanceof Error ? error.message : String(error))
    const giveUp = row.attempts >= MAX_ATTEMPTS
    deps.logger.error(giveUp ? 'notification failed for good' : 'notification failed; will retry', {
      notificationId: row.id,
      event: row.event,
      channel: row.channel,
      attempts: row.attempts,
      error: message,
    })
    return finish(
      db,
      row,
      giveUp
        ? { status: 'failed', lastError: message }
        : { status: 'pending', lastError: message, sendAfter: new Date(clock.now() + retryDelayMs(row.attempts)) },
    )
  }
}

/**
 * The guest's emails carry the event for their calendar: added or updated (the same UID,
 * a higher SEQUENCE after each move), or removed on cancellation. The owner's notices do not.
 */
const CALENDAR_METHOD: Partial<Record<NotificationRow['event'], Exclude<IcsMethod, 'download'>>> = {
  created: 'request',
  confirmed: 'request',
  moved: 'request',
  cancelled: 'cancel',
  series_moved: 'request',
  series_cancelled: 'cancel',
}

const isSeriesMoveEvent = (event: NotificationRow['event']) =>
  event === 'series_moved' || event === 'admin_series_moved'
const isSeriesCancelEvent = (event: NotificationRow['event']) =>
  event === 'series_cancelled' || event === 'admin_series_cancelled'

/**
 * The events an email's calendar file carries. A series' announcement carries every date
 * still booked, so the guest's calendar holds all of them, not just the first; a series
 * move carries every date it moved (each at the version the move gave it); a series
 * cancellation removes every date it cancelled. Each event is
 * its booking's own (UID, SEQUENCE), as in the feed and the single date's file.
 */
async function calendarOf(
  deps: OutboxWorkerDeps,
  row: NotificationRow,
  ctx: MessageContext,
  seriesMove: SeriesMoveNotice | undefined,
  seriesCancel: SeriesCancelNotice | undefined,
): Promise<{ filename: string; entries: IcsEntry[] }> {
  const { booking } = ctx
  const withLinks = async (rows: readonly BookingRow[]) =>
    Promise.all(rows.map(async (date) => ({ booking: date, manageUrl: await manageUrl(deps.links, date) })))
  if (seriesMove)
    return {
      filename: `series-${seriesMove.ref}.ics`,
      entries: await withLinks(seriesMove.moves.map((m) => m.booking)),
    }
  if (seriesCancel)
    return { filename: `series-${seriesCancel.ref}.ics`, entries: await withLinks(seriesCancel.cancelled) }
  if (row.event === 'created' && booking.seriesId) {
    const [series, occurrences] = await Promise.all([
      findSeriesById(deps.db, booking.seriesId),
      findOccurrences(deps.db, booking.seriesId),
    ])
    const active = occurrences.filter((date) => isActive(date.status))
    if (series && active.length > 0) return { filename: `series-${series.ref}.ics`, entries: await withLinks(active) }
  }
  return { filename: `booking-${booking.ref}.ics`, entries: [{ booking, manageUrl: ctx.manageUrl }] }
}

/** `Bookings <bookings@example.com>` or a bare address, as the calendar's organizer. */
function mailbox(from: string): { name: string; email: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from)
  if (match) return { name: match[1] || match[2]!, email: match[2]! }
  return { name: from.trim(), email: from.trim() }
}

/**
 * Why a due row must not go out now. Reminders are never sent for a booking that has
 * started, that moved (its version changed) or is no longer confirmed; after an outage
 * a 24 h reminder still goes with at least 2 h to spare, a 1 h reminder with 10 minutes.
 */
function skipReason(row: NotificationRow, booking: BookingRow, now: number, hasSms: boolean): string | undefined {
  if (!row.recipient) return 'no recipient'
  if (row.channel === 'sms' && !hasSms) return 'no SMS provider configured (TWILIO_*)'
  const left = booking.startsAt.getTime() - now
  if (row.event === 'reminder_24h' || row.event === 'reminder_1h') {
    if (row.version !== booking.version) return 'rescheduled: this reminder is for an earlier time'
    if (booking.status !== 'confirmed') return `booking is ${booking.status}`
    if (left <= 0) return 'the booking has started'
    if (row.event === 'reminder_24h' && left < 2 * 60 * MINUTE) return 'too late for the 24 h reminder (under 2 h left)'
    if (row.event === 'reminder_1h' && left < 10 * MINUTE) return 'too late for the 1 h reminder (under 10 min left)'
  }
  if ((row.event === 'created' || row.event === 'confirmed' || row.event === 'moved') && booking.status === 'cancelled')
    return 'booking was cancelled before this was sent'
  return undefined
}

async function manageUrl(links: OutboxWorkerDeps['links'], booking: BookingRow): Promise<string | undefined> {
  if (!links.appSecret || !booking.manageLinkSealed) return undefined
  try {
    const token = await unsealToken(booking.manageLinkSealed, links.appSecret, 'message-links')
    // The manage page opens in the language the guest's messages are in.
    const fragment = new URLSearchParams({ ref: booking.ref, token, lang: messageLanguage(booking.locale) })
    return `${links.publicUrl.replace(/\/+$/, '')}/manage#${fragment}`
  } catch {
    return undefined // sealed under another APP_SECRET: the message goes without a link
  }
}

async function finish(
  db: Database,
  row: NotificationRow,
  change: Partial<typeof notifications.$inferInsert>,
): Promise<Outcome> {
  // Only the lease holder may settle the row: a row whose lease ran out may be another worker's now.
  await db
    .update(notifications)
    .set({ leaseUntil: null, ...change })
    .where(
      and(eq(notifications.id, row.id), eq(notifications.status, 'sending'), eq(notifications.attempts, row.attempts)),
    )
  return change.status === 'pending' ? 'retrying' : (change.status as Outcome)
}

/** Provider errors may quote the address or number: keep them out of the log and the table. */
function redact(message: string): string {
  return message
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[email]')
    .replace(/\+?\d[\d\s().-]{6,}\d/g, '[number]')
    .slice(0, 500)
}
