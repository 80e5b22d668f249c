import { DatabaseInUseError } from './admin/local-channel'
import { ConfigError } from './config'
import { sqlState } from './db/sql-state'

/**
 * A start-up failure the operator can fix: what failed and what to do, printed as one line
 * without a stack trace (the stack would point into this code, not at the cause).
 */
export class StartupError extends Error {
  constructor(
    readonly problem: string,
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(`${problem} — ${hint}`, options)
    this.name = 'StartupError'
  }
}

/** Where a postgres:// URL points, for messages (never its password). */
function target(url: string): { host: string; port: string; database: string; user: string | undefined } {
  try {
    const u = new URL(url)
    const host = u.hostname || u.searchParams.get('host') || 'localhost'
    return {
      host,
      port: u.port || '5432',
      database: decodeURIComponent(u.pathname.slice(1)) || 'postgres',
      user: u.username ? decodeURIComponent(u.username) : undefined,
    }
  } catch {
    return { host: '(unparsable DATABASE_URL)', port: '', database: '', user: undefined }
  }
}

/** Error codes on the error or its causes (postgres.js puts socket codes and SQLSTATEs in `code`). */
function codeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') return code
  }
  return undefined
}

/** A driver's message on one line (the printed failure must stay one line). */
function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim()
}

/** A failed first connection to DATABASE_URL, as something to fix. */
export function connectionFailure(cause: unknown, url: string): StartupError {
  const { host, port, database, user } = target(url)
  const at = `${host}:${port}`
  const code = codeOf(cause)
  const fail = (problem: string, hint: string) => new StartupError(problem, hint, { cause })
  switch (code) {
    case '3D000':
      return fail(
        `The database "${database}" does not exist on the PostgreSQL server at ${at}`,
        `create it (createdb -h ${host} -p ${port}${user ? ` -U ${user}` : ''} ${database}) or fix the name in DATABASE_URL`,
      )
    case '28P01':
    case '28000':
      return fail(
        `PostgreSQL at ${at} refused the login${user ? ` of "${user}"` : ''} (${messageOf(cause)})`,
        'check the user and password in DATABASE_URL',
      )
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return fail(`Cannot resolve the database host "${host}"`, 'check the host name in DATABASE_URL')
    case '57P03':
      return fail(`PostgreSQL at ${at} is still starting up`, 'start again in a moment')
    case '53300':
      return fail(`PostgreSQL at ${at} has no free connection slots`, 'raise max_connections or stop some clients')
  }
  const why =
    code === 'ECONNREFUSED'
      ? 'connection refused'
      : code === 'CONNECT_TIMEOUT' || code === 'ETIMEDOUT'
        ? 'timed out'
        : messageOf(cause)
  return fail(
    `Cannot reach PostgreSQL at ${at} (${why})`,
    'check that the server is running and that DATABASE_URL points at it',
  )
}

/** A failed migration whose cause is the server's setup, not the migration; undefined otherwise (a bug: keep its stack). */
export function migrationFailure(cause: unknown): StartupError | undefined {
  const state = sqlState(cause)
  // Drizzle wraps the driver's error ("Failed query: …"): the extension's name may be on either.
  const inner = (cause as { cause?: unknown } | undefined)?.cause
  const text = `${messageOf(cause)} ${inner === undefined ? '' : messageOf(inner)}`
  if (/btree_gist/.test(text) && (state === '58P01' || state === '0A000')) {
    // The no-overlap constraint needs it; Debian/Ubuntu ship it in postgresql-contrib.
    return new StartupError(
      'PostgreSQL has no btree_gist extension available',
      'install postgresql-contrib (the package matching the server version) on the database server, then start again',
      { cause },
    )
  }
  if (state === '42501') {
    return new StartupError(
      `The DATABASE_URL user may not change the schema (${messageOf(cause)})`,
      'migrate as the database owner (npm run db:migrate with its URL), or grant the user CREATE on the database; CREATE EXTENSION btree_gist may need a superuser once',
      { cause },
    )
  }
  return undefined
}

/** The schema is missing or behind while start-up was told not to migrate. */
export function schemaBehind(pending: number, total: number): StartupError {
  return new StartupError(
    pending === total
      ? 'The database has no schema'
      : `The database has ${pending} pending migration${pending === 1 ? '' : 's'}`,
    'run npm run db:migrate, or unset MIGRATE_ON_START=false so start-up applies them',
  )
}

/** The HTTP listener could not bind. */
export function listenFailure(cause: unknown, port: number, host: string | undefined): StartupError | undefined {
  const where = `${host ?? 'all interfaces'}`
  const code = codeOf(cause)
  if (code === 'EADDRINUSE')
    return new StartupError(
      `Port ${port} on ${where} is already in use`,
      `stop the process using it, or choose another with PORT=`,
      { cause },
    )
  if (code === 'EACCES')
    return new StartupError(
      `Not allowed to listen on port ${port}`,
      'choose a port above 1023 with PORT=, or put a reverse proxy in front',
      { cause },
    )
  if (code === 'EADDRNOTAVAIL')
    return new StartupError(
      `HOST=${host} is not an address of this machine`,
      'unset HOST or set it to one of this machine’s addresses',
      { cause },
    )
  return undefined
}

/** Failures an operator fixes by configuration: their message says it all. */
function isExpected(error: unknown): error is Error {
  return error instanceof StartupError || error instanceof ConfigError || error instanceof DatabaseInUseError
}

/**
 * Prints why start-up failed to stderr and exits 1. Expected failures are their message
 * alone (one line; a ConfigError lists every bad variable). Anything else is a bug: one line
 * first, then the stack, which is what a report needs.
 */
export function exitOnStartupFailure(error: unknown): never {
  if (isExpected(error)) console.error(error.message)
  else console.error(`Start-up failed unexpectedly: ${messageOf(error).slice(0, 300)}\n`, error)
  process.exit(1)
}
