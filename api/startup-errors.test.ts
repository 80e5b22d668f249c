import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConfigError } from './config'
import { openDatabase } from './db/open-database'
import {
  connectionFailure,
  exitOnStartupFailure,
  listenFailure,
  migrationFailure,
  schemaBehind,
  StartupError,
} from './startup-errors'

/** A driver error as postgres.js raises it: the SQLSTATE or socket code in `code`. */
const driverError = (code: string, message = code) => Object.assign(new Error(message), { code })

describe('what a failed start-up says', () => {
  const url = 'postgres://booker:secret@db.internal:6543/bookings'

  it.each([
    [
      driverError('3D000', 'database "bookings" does not exist'),
      /"bookings" does not exist on the PostgreSQL server at db\.internal:6543 — create it \(createdb -h db\.internal -p 6543 -U booker bookings\)/,
    ],
    [
      driverError('ECONNREFUSED'),
      /Cannot reach PostgreSQL at db\.internal:6543 \(connection refused\) — check that the server is running and that DATABASE_URL/,
    ],
    [driverError('CONNECT_TIMEOUT'), /db\.internal:6543 \(timed out\)/],
    [driverError('ENOTFOUND'), /Cannot resolve the database host "db\.internal" — check the host name in DATABASE_URL/],
    [
      driverError('28P01', 'password authentication failed for user "booker"'),
      /refused the login of "booker".*check the user and password in DATABASE_URL/,
    ],
  ])('a first connection that fails (%s) names the host and what to do, never the password', (cause, line) => {
    const error = connectionFailure(cause, url)
    expect(error).toBeInstanceOf(StartupError)
    expect(error.message).toMatch(line)
    expect(error.message).not.toContain('secret')
    expect(error.message).not.toContain('\n')
  })

  it('a missing btree_gist says to install postgresql-contrib; a migration bug is left as it is', () => {
    const unavailable = driverError('0A000', 'extension "btree_gist" is not available')
    const noControlFile = driverError(
      '58P01',
      'could not open extension control file "/usr/share/postgresql/16/extension/btree_gist.control": No such file or directory',
    )
    // Drizzle wraps the driver's error: the SQLSTATE is on the cause.
    const wrapped = Object.assign(new Error('Failed query: CREATE EXTENSION IF NOT EXISTS btree_gist;'), {
      cause: noControlFile,
    })
    for (const cause of [unavailable, wrapped])
      expect(migrationFailure(cause)?.message).toMatch(/btree_gist.*install postgresql-contrib/)
    expect(migrationFailure(driverError('42501', 'permission denied for schema public'))?.message).toMatch(
      /may not change the schema.*database owner/,
    )
    expect(migrationFailure(driverError('42601', 'syntax error at or near "CRATE"'))).toBeUndefined()
  })

  it('a schema that is missing or behind says to run npm run db:migrate or stop opting out', () => {
    expect(schemaBehind(9, 9).message).toBe(
      'The database has no schema — run npm run db:migrate, or unset MIGRATE_ON_START=false so start-up applies them',
    )
    expect(schemaBehind(1, 9).message).toMatch(/^The database has 1 pending migration — run npm run db:migrate/)
  })

  it('a port in use names the port and PORT=', () => {
    expect(listenFailure(driverError('EADDRINUSE'), 8787, '127.0.0.1')?.message).toBe(
      'Port 8787 on 127.0.0.1 is already in use — stop the process using it, or choose another with PORT=',
    )
    expect(listenFailure(driverError('EACCES'), 80, undefined)?.message).toMatch(
      /port 80 — choose a port above 1023 with PORT=/,
    )
    expect(listenFailure(driverError('EMFILE'), 8787, undefined)).toBeUndefined()
  })

  it('an unreachable DATABASE_URL fails openDatabase with that line, not a driver stack', async () => {
    const error = await openDatabase({ url: 'postgres://postgres@127.0.0.1:1/booking' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StartupError)
    expect((error as Error).message).toMatch(/^Cannot reach PostgreSQL at 127\.0\.0\.1:1 \(connection refused\)/)
  })
})

describe('exitOnStartupFailure', () => {
  afterEach(() => vi.restoreAllMocks())
  const run = (error: unknown) => {
    const printed: unknown[][] = []
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void printed.push(args))
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never)
    exitOnStartupFailure(error)
    return { printed, exitCode: exit.mock.calls[0]?.[0] }
  }

  it('prints an expected failure as its message alone and exits 1', () => {
    expect(run(new StartupError('Port 1 is in use', 'set PORT='))).toEqual({
      printed: [['Port 1 is in use — set PORT=']],
      exitCode: 1,
    })
    expect(run(new ConfigError(['PORT: expected number']))).toEqual({
      printed: [['Invalid configuration:\n  - PORT: expected number']],
      exitCode: 1,
    })
  })

  it('prints an unexpected error (a bug) as one line followed by its stack', () => {
    const bug = new TypeError('cannot read properties of undefined')
    const { printed, exitCode } = run(bug)
    expect(exitCode).toBe(1)
    expect(printed[0]![0]).toBe('Start-up failed unexpectedly: cannot read properties of undefined\n')
    expect(printed[0]![1]).toBe(bug)
  })
})
