import { and, eq, inArray, lte, or, sql } from 'drizzle-orm'
import { notifications, waitlistMessages } from '../../drizzle/schema'
import type { Database } from '../db/database'

/*
 * The claim-and-send loop both outboxes share (booking messages, waitlist messages): rows
 * are claimed in short transactions with FOR UPDATE SKIP LOCKED and a lease, so any number
 * of workers share the work and each row goes to one of them; sending happens outside any
 * transaction. A claimed row whose worker died is claimed again once its lease ends.
 */

export type Outcome = 'sent' | 'skipped' | 'failed' | 'retrying'
type OutboxTable = typeof notifications | typeof waitlistMessages

const LEASE_MS = 60_000
const BATCH = 25

/** Claims due rows batch by batch and hands each to `deliver`; returns how each ended. */
export async function drainOutbox<T extends OutboxTable>(
  db: Database,
  table: T,
  now: () => number,
  deliver: (row: T['$inferSelect']) => Promise<Outcome>,
  maxBatches = 40,
): Promise<Record<Outcome, number>> {
  const totals = { sent: 0, skipped: 0, failed: 0, retrying: 0 }
  for (let batch = 0; batch < maxBatches; batch++) {
    const claimed = await claimDue(db, table, now())
    if (claimed.length === 0) break
    for (const row of claimed) totals[await deliver(row)]++
  }
  return totals
}

async function claimDue<T extends OutboxTable>(db: Database, table: T, now: number): Promise<T['$inferSelect'][]> {
  // One table at a time; the union only lets both outboxes share this code.
  const t = table as typeof notifications
  const at = new Date(now)
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: t.id })
      .from(t)
      .where(
        and(lte(t.sendAfter, at), or(eq(t.status, 'pending'), and(eq(t.status, 'sending'), lte(t.leaseUntil, at)))),
      )
      .orderBy(t.sendAfter)
      .limit(BATCH)
      .for('update', { skipLocked: true })
    if (due.length === 0) return []
    return tx
      .update(t)
      .set({ status: 'sending', leaseUntil: new Date(now + LEASE_MS), attempts: sql`${t.attempts} + 1` })
      .where(
        inArray(
          t.id,
          due.map((d) => d.id),
        ),
      )
      .returning() as Promise<T['$inferSelect'][]>
  })
}
