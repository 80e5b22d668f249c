import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import postgres from 'postgres'
import { inject } from 'vitest'
import type { DatabaseHandle } from '../api/db/database'
import { openDatabase } from '../api/db/open-database'
import { withDatabase } from './global-setup'

export interface TestDatabase extends DatabaseHandle {
  /** Set on a server database: a URL other processes (a second API server, a raw client) can use. */
  url: string | undefined
}

/**
 * A fresh, migrated database of the configured kind for one test file. Call it in
 * `beforeAll` (PGlite takes ~1–2 s) and `close()` it in `afterAll`.
 */
export async function createTestDatabase(options: { maxConnections?: number } = {}): Promise<TestDatabase> {
  const source = inject('testDatabase')
  if (source.kind === 'pglite') {
    const dump = new Blob([await readFile(source.dumpPath)])
    const handle = await openDatabase({ loadDataDir: dump })
    return { ...handle, url: undefined }
  }
  const name = `${source.prefix}_${randomBytes(4).toString('hex')}`
  const admin = postgres(source.serverUrl, { max: 1, onnotice: () => {} })
  try {
    await createFromTemplate(admin, name, source.template)
  } finally {
    await admin.end()
  }
  const url = withDatabase(source.serverUrl, name)
  const handle = await openDatabase({ url, maxConnections: options.maxConnections ?? 20 })
  return {
    ...handle,
    url,
    async close() {
      await handle.close()
      const dropper = postgres(source.serverUrl, { max: 1, onnotice: () => {} })
      await dropper.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => dropper.end())
    },
  }
}

/** Two files copying the template at the same moment can collide ("being accessed"); retry briefly. */
async function createFromTemplate(admin: postgres.Sql, name: string, template: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${template}"`)
      return
    } catch (error) {
      if (attempt >= 20 || (error as { code?: string }).code !== '55006') throw error
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt))
    }
  }
}
