import { z } from 'zod'
import { parseTrustProxy, TRUST_NO_PROXY, type TrustProxy } from './client-ip'

/**
 * The only reader of the environment. Parsed once at start-up; every bad key is
 * reported at once, by name, and start-up stops.
 */
const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional()

const urlString = (protocols: string[]) =>
  optionalString.refine((v) => v === undefined || isUrl(v, protocols), {
    message: `expected a URL (${protocols.join(', ')})`,
  })

const envSchema = z.object({
  DATABASE_URL: urlString(['postgres:', 'postgresql:']),
  DATA_DIR: optionalString,
  UPSTASH_REDIS_REST_URL: urlString(['http:', 'https:']),
  UPSTASH_REDIS_REST_TOKEN: optionalString,
  REDIS_URL: urlString(['redis:', 'rediss:']),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: optionalString,
  PUBLIC_URL: urlString(['http:', 'https:']),
  ALLOWED_ORIGINS: optionalString,
  HOLD_RATE_LIMIT: z.coerce.number().int().min(0).default(30),
  MANAGE_RATE_LIMIT: z.coerce.number().int().min(0).default(60),
  HOLD_MAX_LIVE_PER_IP: z.coerce.number().int().min(0).default(4),
  ADMIN_AUTH_FAILURE_LIMIT: z.coerce.number().int().min(0).default(10),
  TRUST_PROXY: optionalString.transform((v, ctx): TrustProxy => {
    try {
      return parseTrustProxy(v)
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message })
      return z.NEVER
    }
  }),
  CRON_SECRET: optionalString,
  SEED_DEMO: optionalString.transform((v) => v !== '0' && v !== 'false'),
  // Strict: a mistyped opt-out must not silently migrate a database a release step owns.
  MIGRATE_ON_START: optionalString
    .refine((v) => v === undefined || /^(1|0|true|false)$/i.test(v), { message: 'expected true or false (1 or 0)' })
    .transform((v) => (v === undefined ? undefined : !/^(0|false)$/i.test(v))),
  LOG_LEVEL: z.enum(['silent', 'error', 'info', 'debug']).default('info'),
  STRIPE_SECRET_KEY: optionalString.refine((v) => v === undefined || /^(sk|rk)_(test|live)_\w+$/.test(v), {
    message: 'expected a Stripe secret key (sk_test_…, sk_live_… or a restricted rk_… key)',
  }),
  STRIPE_PUBLISHABLE_KEY: optionalString.refine((v) => v === undefined || /^pk_(test|live)_\w+$/.test(v), {
    message: 'expected a Stripe publishable key (pk_test_… or pk_live_…)',
  }),
  STRIPE_WEBHOOK_SECRET: optionalString.refine((v) => v === undefined || v.startsWith('whsec_'), {
    message: 'expected a Stripe webhook signing secret (whsec_…)',
  }),
  STRIPE_API_BASE: urlString(['http:', 'https:']),
  SMTP_URL: urlString(['smtp:', 'smtps:']),
  MAIL_FROM: optionalString,
  EMAIL_API_KEY: optionalString,
  EMAIL_API_URL: urlString(['http:', 'https:']),
  MAIL_DIR: optionalString,
  TWILIO_ACCOUNT_SID: optionalString.refine((v) => v === undefined || /^AC[0-9a-fA-F]{32}$/.test(v), {
    message: 'expected a Twilio Account SID (AC followed by 32 hex digits)',
  }),
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_FROM: optionalString.refine((v) => v === undefined || /^(\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32})$/.test(v), {
    message: 'expected an E.164 number (+14155550100) or a Messaging Service SID (MG…)',
  }),
  TWILIO_API_BASE: urlString(['http:', 'https:']),
  ADMIN_EMAIL: optionalString.refine((v) => v === undefined || z.email().safeParse(v).success, {
    message: 'expected an email address',
  }),
  APP_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, {
    message: 'expected at least 32 characters',
  }),
  METRICS_TOKEN: optionalString.refine((v) => v === undefined || /^[\x21-\x7e]{16,}$/.test(v), {
    message: 'expected at least 16 printable characters without spaces',
  }),
  NODE_ENV: optionalString,
  WEBHOOK_ALLOW_PRIVATE: optionalString
    .refine((v) => v === undefined || /^(1|0|true|false)$/i.test(v), { message: 'expected true or false (1 or 0)' })
    .transform((v) => v !== undefined && /^(1|true)$/i.test(v)),
})

export interface AppConfig {
  databaseUrl: string | undefined
  /** Where the embedded database keeps its files when no DATABASE_URL is set. */
  dataDir: string
  redis: { url: string; token: string } | undefined
  /** A plain Redis (self-hosted): each Node process reaches it through its own loopback REST bridge (holds/redis-rest-bridge.ts). */
  redisUrl: string | undefined
  port: number
  host: string | undefined
  publicUrl: string | undefined
  /** `['*']` allows any origin. */
  allowedOrigins: string[]
  holdRateLimitPerMinute: number
  manageRateLimitPerMinute: number
  /** Live holds one client (IPv4 address or IPv6 /64) may have at once; 0 = no limit. */
  holdMaxLivePerClient: number
  /** Failed admin authentications per client per 15 minutes before it is refused; 0 = no limit. */
  adminAuthFailureLimit: number
  trustProxy: TrustProxy
  cronSecret: string | undefined
  seedDemo: boolean
  /**
   * Apply pending migrations to DATABASE_URL at start-up, under an advisory lock (default);
   * false = a release step migrates and start-up refuses a schema that is behind. The
   * embedded database is always migrated.
   */
  migrateOnStart: boolean
  logLevel: 'silent' | 'error' | 'info' | 'debug'
  /** SMTP for email; undefined = messages are written as .eml files under `mailDir`. */
  smtpUrl: string | undefined
  mailFrom: string
  mailDir: string
  /** An HTTP email API (Resend's shape) when EMAIL_API_KEY is set; the choice on the edge. */
  emailApi: { apiKey: string; apiUrl: string } | undefined
  /** Twilio for SMS, when all three are set; SMS rows are skipped otherwise. */
  twilio: { accountSid: string; authToken: string; from: string; apiBase: string | undefined } | undefined
  adminEmail: string | undefined
  /** Seals manage tokens for links in messages; undefined = the Node entry makes one and keeps it in the data folder. */
  appSecret: string | undefined
  /** Bearer token `/metrics` requires; undefined = open, or hidden (404) in production. */
  metricsToken: string | undefined
  /** NODE_ENV=production. */
  production: boolean
  /** Webhook endpoints may be on private, loopback or link-local addresses, and http:// to loopback (development, tests). */
  webhookAllowPrivate: boolean
  /** Stripe, when all three keys are set; payments are off otherwise. */
  stripe: { secretKey: string; publishableKey: string; webhookSecret: string; apiBase: string | undefined } | undefined
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = envSchema.safeParse(env)
  const problems: string[] = []
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`)
  }
  const e = parsed.data
  if (e && (e.UPSTASH_REDIS_REST_URL === undefined) !== (e.UPSTASH_REDIS_REST_TOKEN === undefined)) {
    problems.push('UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN: set both or neither')
  }
  const stripeKeys = ['STRIPE_SECRET_KEY', 'STRIPE_PUBLISHABLE_KEY', 'STRIPE_WEBHOOK_SECRET'] as const
  const stripeSet = e ? stripeKeys.filter((key) => e[key] !== undefined) : []
  if (stripeSet.length > 0 && stripeSet.length < stripeKeys.length) {
    problems.push(
      `${stripeKeys.filter((k) => !stripeSet.includes(k)).join(', ')}: required with ${stripeSet.join(', ')} (set all three Stripe keys or none)`,
    )
  }
  if (
    e?.STRIPE_SECRET_KEY &&
    e.STRIPE_PUBLISHABLE_KEY &&
    e.STRIPE_SECRET_KEY.split('_')[1] !== e.STRIPE_PUBLISHABLE_KEY.split('_')[1]
  ) {
    problems.push('STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY: one is a test key and the other a live key')
  }
  const twilioKeys = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'] as const
  const twilioSet = e ? twilioKeys.filter((key) => e[key] !== undefined) : []
  if (twilioSet.length > 0 && twilioSet.length < twilioKeys.length) {
    problems.push(
      `${twilioKeys.filter((k) => !twilioSet.includes(k)).join(', ')}: required with ${twilioSet.join(', ')} (set all three Twilio values or none)`,
    )
  }
  if (problems.length > 0 || !e) throw new ConfigError(problems)

  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR ?? '.data/pglite',
    redis:
      e.UPSTASH_REDIS_REST_URL && e.UPSTASH_REDIS_REST_TOKEN
        ? { url: e.UPSTASH_REDIS_REST_URL, token: e.UPSTASH_REDIS_REST_TOKEN }
        : undefined,
    redisUrl: e.REDIS_URL,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL,
    allowedOrigins: (e.ALLOWED_ORIGINS ?? '*')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    holdRateLimitPerMinute: e.HOLD_RATE_LIMIT,
    manageRateLimitPerMinute: e.MANAGE_RATE_LIMIT,
    holdMaxLivePerClient: e.HOLD_MAX_LIVE_PER_IP,
    adminAuthFailureLimit: e.ADMIN_AUTH_FAILURE_LIMIT,
    trustProxy: e.TRUST_PROXY ?? TRUST_NO_PROXY,
    cronSecret: e.CRON_SECRET,
    seedDemo: e.SEED_DEMO ?? true,
    migrateOnStart: e.MIGRATE_ON_START ?? true,
    logLevel: e.LOG_LEVEL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? 'Bookings <bookings@localhost>',
    mailDir: e.MAIL_DIR ?? '.data/mail',
    emailApi: e.EMAIL_API_KEY
      ? { apiKey: e.EMAIL_API_KEY, apiUrl: e.EMAIL_API_URL ?? 'https://api.resend.com' }
      : undefined,
    twilio:
      e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN && e.TWILIO_FROM
        ? {
            accountSid: e.TWILIO_ACCOUNT_SID,
            authToken: e.TWILIO_AUTH_TOKEN,
            from: e.TWILIO_FROM,
            apiBase: e.TWILIO_API_BASE,
          }
        : undefined,
    adminEmail: e.ADMIN_EMAIL,
    appSecret: e.APP_SECRET,
    metricsToken: e.METRICS_TOKEN,
    production: e.NODE_ENV === 'production',
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE ?? false,
    stripe:
      e.STRIPE_SECRET_KEY && e.STRIPE_PUBLISHABLE_KEY && e.STRIPE_WEBHOOK_SECRET
        ? {
            secretKey: e.STRIPE_SECRET_KEY,
            publishableKey: e.STRIPE_PUBLISHABLE_KEY,
            webhookSecret: e.STRIPE_WEBHOOK_SECRET,
            apiBase: e.STRIPE_API_BASE,
          }
        : undefined,
  }
}

function isUrl(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol)
  } catch {
    return false
  }
}
