import { and, eq } from 'drizzle-orm'
import { drainOutbox, type Outcome } from '../notify/leased-outbox'
import {
  bookableResources,
  waitlistEntries,
  waitlistMessages,
  waitlistOffers,
  type WaitlistEntryRow,
  type WaitlistMessageRow,
  type WaitlistOfferRow,
} from '../../drizzle/schema'
import { messageLanguage } from '../../shared/schemas'
import { DEFAULT_WAITLIST_OFFER_MINUTES } from '../../shared/waitlist'
import { unsealToken } from '../crypto'
import type { Database } from '../db/database'
import { MAX_ATTEMPTS, retryDelayMs, type OutboxWorkerDeps } from '../notify/outbox-sender'
import { renderWaitlistEmail, renderWaitlistSms, type WaitlistMessageContext } from './waitlist-messages'

/** The booking outbox's deps: the same providers and links send the waitlist's messages. */
export type WaitlistMessageDeps = OutboxWorkerDeps

/** How long a claimed row is reserved for its worker; a worker that died loses it after this. */

/**
 * Sends the waitlist's due messages as the booking outbox sends its own: rows are claimed
 * in short transactions with FOR UPDATE SKIP LOCKED and a lease, so workers share the work
 * and each row goes to one of them; sending happens outside any transaction, and a failed
 * send is retried with the booking outbox's backoff and attempt limit. Returns how many
 * rows ended sent, skipped, failed for good, or were put back for a retry.
 */
export async function processWaitlistMessages(deps: WaitlistMessageDeps, options: { maxBatches?: number } = {}) {
  return drainOutbox(
    deps.db,
    waitlistMessages,
    () => deps.clock.now(),
    (row) => deliver(deps, row),
    options.maxBatches,
  )
}

async function deliver(deps: WaitlistMessageDeps, row: WaitlistMessageRow): Promise<Outcome> {
  const { db, clock } = deps
  // Rows go with their entry (and offer): a missing one was deleted under us.
  const [entry] = await db.select().from(waitlistEntries).where(eq(waitlistEntries.id, row.entryId))
  if (!entry) return finish(db, row, { status: 'skipped', lastError: 'entry deleted' })
  const [offer] = row.offerId ? await db.select().from(waitlistOffers).where(eq(waitlistOffers.id, row.offerId)) : []
  const now = clock.now()
  const reason = skipReason(row, entry, offer, now, deps.sms !== undefined)
  if (reason) return finish(db, row, { status: 'skipped', lastError: reason })

  try {
    const [resource] = await db.select().from(bookableResources).where(eq(bookableResources.id, entry.resourceId))
    const ctx: WaitlistMessageContext = {
      event: row.event,
      language: messageLanguage(entry.locale),
      entry,
      offer,
      resourceName: resource?.name ?? 'Booking',
      timezone: resource?.timezone ?? 'UTC',
      offerMinutes: resource?.config.waitlistOfferMinutes ?? DEFAULT_WAITLIST_OFFER_MINUTES,
      smsToo: entry.guestPhone !== null && deps.sms !== undefined,
      // A removed entry's page has nothing left to show: its message links nowhere.
      link: row.event === 'removed' ? undefined : await waitlistLink(deps.links, entry),
      now,
    }
    if (row.channel === 'email') {
      const host = new URL(deps.links.publicUrl).hostname
      await deps.email.send({
        to: row.recipient,
        ...renderWaitlistEmail(ctx),
        messageId: `<waitlist.${row.id}@${host}>`,
      })
    } else {
      await deps.sms!.send({ to: row.recipient, body: renderWaitlistSms(ctx) })
    }
    return finish(db, row, { status: 'sent', sentAt: new Date(clock.now()), lastError: null })
  } catch (error) {
    const message = redact(error instanceof Error ? error.message : String(error))
    const giveUp = row.attempts >= MAX_ATTEMPTS
    deps.logger.error(giveUp ? 'waitlist message failed for good' : 'waitlist message failed; will retry', {
      waitlistMessageId: row.id,
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
 * Why a due row must not go out now. Nobody is told they joined a list they have already
 * left, nor sent a claim link for an offer that was claimed, declined, withdrawn or has
 * run out by the time the message would go. A removal is told by email alone.
 */
function skipReason(
  row: WaitlistMessageRow,
  entry: WaitlistEntryRow,
  offer: WaitlistOfferRow | undefined,
  now: number,
  hasSms: boolean,
): string | undefined {
  if (!row.recipient) return 'no recipient'
  if (row.channel === 'sms' && !hasSms) return 'no SMS provider configured (TWILIO_*)'
  if (row.event === 'joined' && row.channel === 'sms') return 'joining is told by email only'
  if (row.event === 'removed' && row.channel === 'sms') return 'a removal is told by email only'
  if (row.event === 'removed' && entry.status !== 'removed') return `entry is ${entry.status}`
  if (row.event === 'joined' && entry.status !== 'waiting') return `entry is ${entry.status}`
  if (row.event === 'offered' && (!offer || offer.status !== 'open' || offer.expiresAt.getTime() <= now))
    return 'offer no longer open'
  return undefined
}

/** The manage page's waitlist view for this entry, in the language of its messages; none without a sealed token. */
async function waitlistLink(links: WaitlistMessageDeps['links'], entry: WaitlistEntryRow): Promise<string | undefined> {
  if (!links.appSecret || !entry.linkSealed) return undefined
  try {
    const token = await unsealToken(entry.linkSealed, links.appSecret, 'message-links')
    const fragment = new URLSearchParams({ waitlist: entry.ref, token, lang: messageLanguage(entry.locale) })
    return `${links.publicUrl.replace(/\/+$/, '')}/manage#${fragment}`
  } catch {
    return undefined // sealed under another APP_SECRET: the message goes without a link
  }
}

async function finish(
  db: Database,
  row: WaitlistMessageRow,
  change: Partial<typeof waitlistMessages.$inferInsert>,
): Promise<Outcome> {
  // Only the lease holder may settle the row: a row whose lease ran out may be another worker's now.
  await db
    .update(waitlistMessages)
    .set({ leaseUntil: null, ...change })
    .where(
      and(
        eq(waitlistMessages.id, row.id),
        eq(waitlistMessages.status, 'sending'),
        eq(waitlistMessages.attempts, row.attempts),
      ),
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
