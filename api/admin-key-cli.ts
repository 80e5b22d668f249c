import { parseArgs } from 'node:util'
import { createAdminKey, listAdminKeys, revokeAdminKey } from './admin/keys'
import { ConfigError, loadConfig } from './config'
import { openDatabase } from './db/open-database'

/**
 * `npm run admin:key -- --name "front desk"` prints a new owner API key, once.
 * `npm run admin:key -- --revoke <prefix or id>` revokes one; `--list` shows them (never the keys).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { name: { type: 'string' }, revoke: { type: 'string' }, list: { type: 'boolean' } } })
  const config = loadConfig()
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, migrate: !config.databaseUrl })
  try {
    if (values.revoke) {
      const row = await revokeAdminKey(database.db, values.revoke, Date.now())
      if (!row) {
        console.error(`No active key with id or prefix ${values.revoke}.`)
        process.exitCode = 1
        return
      }
      console.log(`Revoked key ${row.prefix} ("${row.name}"). Requests with it now get 401.`)
    } else if (values.list) {
      for (const row of await listAdminKeys(database.db)) {
        console.log(`${row.prefix}  ${row.revokedAt ? 'revoked' : 'active '}  ${row.name}  created ${row.createdAt.toISOString()}`)
      }
    } else if (values.name?.trim()) {
      const { key, row } = await createAdminKey(database.db, values.name.trim())
      console.log(`New admin key "${row.name}" (prefix ${row.prefix}). It is shown once; only its hash is stored:\n\n${key}\n`)
      console.log('Use it as: Authorization: Bearer <key>  (or sign in at /admin)')
    } else {
      console.error('Usage: npm run admin:key -- --name "front desk" | --revoke <prefix> | --list')
      process.exitCode = 2
    }
  } finally {
    await database.close()
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
})
