import { and, eq, isNull, or } from 'drizzle-orm'
import { adminApiKeys, type AdminKeyRow } from '../../drizzle/schema'
import { digestsEqual, sha256Hex } from '../crypto'
import type { Database } from '../db/database'

/*
 * Owner API keys: `bka_<prefix>_<secret>`. The prefix (8 random characters) finds the row
 * and is safe to show; the secret is 256 random bits. Only the key's SHA-256 is stored,
 * and the presented key's hash is compared in constant time.
 */

const KEY = /^bka_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{43})$/

export async function createAdminKey(db: Database, name: string): Promise<{ key: string; row: AdminKeyRow }> {
  const prefix = randomChars(8)
  const secret = base64url(crypto.getRandomValues(new Uint8Array(32)))
  const key = `bka_${prefix}_${secret}`
  const [row] = await db
    .insert(adminApiKeys)
    .values({ name, prefix, keyHash: await sha256Hex(key) })
    .returning()
  return { key, row: row! }
}

/** The active key row for a presented key, or undefined (malformed, unknown, wrong or revoked alike). */
export async function verifyAdminKey(
  db: Database,
  presented: string | undefined,
  now: number,
): Promise<AdminKeyRow | undefined> {
  const match = presented?.match(KEY)
  // Hash even on a malformed key, so a bad guess costs the same as a good-looking one.
  const hash = await sha256Hex(presented ?? '')
  if (!match) return undefined
  const [row] = await db.select().from(adminApiKeys).where(eq(adminApiKeys.prefix, match[1]!)).limit(1)
  if (!row || !digestsEqual(row.keyHash, hash) || row.revokedAt) return undefined
  // Last use is kept to the minute, so a busy console does not write on every request.
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > 60_000) {
    await db
      .update(adminApiKeys)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(adminApiKeys.id, row.id))
  }
  return row
}

/** Revokes by id or prefix; returns the revoked row, or undefined when none matched. */
export async function revokeAdminKey(db: Database, idOrPrefix: string, now: number): Promise<AdminKeyRow | undefined> {
  const isUuid = /^[0-9a-f-]{36}$/i.test(idOrPrefix)
  // Only an id or a prefix can match; anything else (a NUL, which PostgreSQL refuses) is no key.
  if (!isUuid && !/^[A-Za-z0-9]{1,64}$/.test(idOrPrefix)) return undefined
  const [row] = await db
    .update(adminApiKeys)
    .set({ revokedAt: new Date(now) })
    .where(
      and(
        isUuid
          ? or(eq(adminApiKeys.id, idOrPrefix), eq(adminApiKeys.prefix, idOrPrefix))
          : eq(adminApiKeys.prefix, idOrPrefix),
        isNull(adminApiKeys.revokedAt),
      ),
    )
    .returning()
  return row
}

export async function listAdminKeys(db: Database): Promise<AdminKeyRow[]> {
  return db.select().from(adminApiKeys).orderBy(adminApiKeys.createdAt)
}

const ALPHANUMERIC = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'

function randomChars(length: number): string {
  // 56 symbols: rejection sampling keeps each one equally likely.
  let out = ''
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < 224 && out.length < length) out += ALPHANUMERIC[byte % 56]
    }
  }
  return out
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}
