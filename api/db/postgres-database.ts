import { drizzle } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import * as schema from '../../drizzle/schema'
import type { Database, DatabaseHandle } from './database'

/**
 * A postgres.js pool as the app's database, without touching the network yet. Runs on
 * Node and on edge runtimes (postgres.js uses the runtime's TCP sockets there).
 */
export function connectPostgres(
  url: string,
  options: { maxConnections?: number } = {},
): DatabaseHandle & { client: postgres.Sql } {
  const client = postgres(url, {
    max: options.maxConnections ?? 20,
    onnotice: () => {},
    // Fail fast while the server is down or restarting: the request gets a 503 in seconds,
    // and the next query reconnects on its own.
    connect_timeout: 3,
    connection: { application_name: 'booking-api' },
  })
  const db = drizzle(client, { schema }) as unknown as Database
  return { db, client, kind: 'postgres', close: () => client.end({ timeout: 5 }) }
}
