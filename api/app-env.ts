import type { Clock } from './clock'
import type { Database } from './db/database'
import type { Logger } from './logger'
import type { ResourceCatalog } from './store/resource-catalog'

/** Everything the app needs from outside, injected so tests build it from real or local parts. */
export interface AppDeps {
  db: Database
  clock: Clock
  /** Cached resource + schedule lookups (built from `db` when not given). */
  catalog: ResourceCatalog
  logger: Logger
  /** CORS origins for the public API; `['*']` allows any. */
  allowedOrigins: string[]
}

export interface AppEnv {
  Variables: { deps: AppDeps; requestId: string }
}
