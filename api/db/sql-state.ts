/**
 * The SQLSTATE of a database error, wherever the driver put it: Drizzle wraps driver
 * errors (`DrizzleQueryError.cause`), postgres.js and PGlite both expose `code`.
 */
export function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code
  }
  return undefined
}

export const EXCLUSION_VIOLATION = '23P01'
export const DEADLOCK_DETECTED = '40P01'
export const UNIQUE_VIOLATION = '23505'
export const LOCK_NOT_AVAILABLE = '55P03'
