import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import type * as schema from '../../drizzle/schema'

/**
 * The Drizzle handle every store function takes. postgres.js and PGlite both satisfy it,
 * so one set of queries runs on the server and on the embedded database.
 */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>

export interface DatabaseHandle {
  db: Database
  kind: 'postgres' | 'pglite'
  close(): Promise<void>
}
