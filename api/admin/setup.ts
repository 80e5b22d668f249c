import { and, eq, gt, isNull } from 'drizzle-orm'
import { adminApiKeys, adminSetupTokens, type AdminKeyRow } from '../../drizzle/schema'
import { randomToken, sha256Hex } from '../crypto'
import type { Database } from '../db/database'
import { createAdminKey } from './keys'

/*
 * The first-run link: while no active owner key exists, `npm start` makes a one-time setup
 * token (256 random bits, only its SHA-256 stored, 30 minutes) and prints
 * `<base>/admin#setup=<token>`. The console posts it to `POST /v1/admin/setup`, which
 * trades it for the first key. The token sits in the URL fragment so it never reaches a
 * server log or a Referer header.
 */

export const SETUP_TOKEN_TTL_MS = 30 * 60_000
/** What the key made from a setup link is called in `--list` and the console. */
export const FIRST_KEY_NAME = 'first key'

const TOKEN = /^[A-Za-z0-9_-]{43}$/

/** Whether any key can still sign in: when none can, start-up offers a setup link. */
export async function hasActiveAdminKey(db: Database): Promise<boolean> {
  const [row] = await db
    .select({ id: adminApiKeys.id })
    .from(adminApiKeys)
    .where(isNull(adminApiKeys.revokedAt))
    .limit(1)
  return row !== undefined
}

export async function createSetupToken(db: Database, now: number): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken(32)
  const expiresAt = new Date(now + SETUP_TOKEN_TTL_MS)
  await db.insert(adminSetupTokens).values({ tokenHash: await sha256Hex(token), createdAt: new Date(now), expiresAt })
  return { token, expiresAt }
}

/**
 * Trades a setup token for a new admin key, or returns undefined when the token is unknown,
 * used or expired (callers answer all three alike). The token is claimed by one conditional
 * UPDATE: concurrent exchanges of one token queue on its row, and only the first finds it
 * unused, in one process or several. The key is made in the same transaction, so a failure
 * after the claim leaves the token unused.
 */
export async function exchangeSetupToken(
  db: Database,
  token: string,
  now: number,
): Promise<{ key: string; row: AdminKeyRow } | undefined> {
  // Hash even a malformed token, so a bad guess costs the same as a good-looking one.
  const hash = await sha256Hex(token)
  if (!TOKEN.test(token)) return undefined
  return db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(adminSetupTokens)
      .set({ usedAt: new Date(now) })
      .where(
        and(
          eq(adminSetupTokens.tokenHash, hash),
          isNull(adminSetupTokens.usedAt),
          gt(adminSetupTokens.expiresAt, new Date(now)),
        ),
      )
      .returning({ id: adminSetupTokens.id })
    if (!claimed) return undefined
    const made = await createAdminKey(tx, FIRST_KEY_NAME)
    await tx.update(adminSetupTokens).set({ adminKeyId: made.row.id }).where(eq(adminSetupTokens.id, claimed.id))
    return made
  })
}
