import type { AvailabilityCaching } from './availability-cache'
import type { TrustProxy } from './client-ip'
import type { Clock } from './clock'
import type { Database } from './db/database'
import type { Logger } from './logger'
import type { HoldStore } from './holds/hold-store'
import type { OutboxPlanner } from './notify/outbox'
import type { OutboxWorkerDeps } from './notify/outbox-sender'
import type { PaymentGateway } from './payments/gateway'
import type { RateLimiters } from './rate-limit/create-rate-limiters'
import type { ResourceCatalog } from './store/resource-catalog'
import type { WebhookSettings } from './webhooks/deliver-webhooks'

/** Everything the app needs from outside, injected so tests build it from real or local parts; the per-client rate limits come from RateLimiters. */
export interface AppDeps extends RateLimiters {
  db: Database
  clock: Clock
  /** Cached resource + schedule lookups (built from `db` when not given). */
  catalog: ResourceCatalog
  logger: Logger
  /** CORS origins for the public API; `['*']` allows any. */
  allowedOrigins: string[]
  holds: HoldStore
  /** Cached booked intervals with the shared version that invalidates them; undefined = every read queries. */
  availability?: AvailabilityCaching | undefined
  /** `holdsPerClient`: live holds per client key across its sessions (HOLD_MAX_LIVE_PER_IP); undefined = no limit. */
  limits: { holdsPerSession: number; holdsPerClient?: number | undefined }
  /** Which X-Forwarded-For hops to believe for the client's address (TRUST_PROXY). */
  trustProxy: TrustProxy
  /** Bearer secret for POST /v1/internal/cron; undefined closes it. */
  cronSecret: string | undefined
  /** The payment provider; undefined = payments off (priced resources answer 422 payment_unavailable). */
  payments: PaymentGateway | undefined
  /** Writes the messages a booking change owes into the outbox, inside that change's transaction. */
  outbox: OutboxPlanner
  /** Seals manage tokens for the links in messages sent later (APP_SECRET); none = no links in them. */
  appSecret: string | undefined
  /** Email/SMS providers for the outbox worker run by POST /v1/internal/cron; undefined = the outbox is not sent from here. */
  notifiers: Omit<OutboxWorkerDeps, 'db' | 'clock' | 'logger'> | undefined
  /** Asks the in-process worker to send what a request just wrote, instead of at the next minute. */
  kickOutbox: (() => void) | undefined
  /** Asks the in-process waitlist worker to offer times a request may have freed; undefined = the minute's run does. */
  kickWaitlist?: (() => void) | undefined
  /** Owner webhooks: WEBHOOK_ALLOW_PRIVATE and who hears of a switched-off endpoint; undefined = private addresses refused. */
  webhooks?: WebhookSettings | undefined
}

export interface AppEnv {
  Variables: { deps: AppDeps; requestId: string }
}
