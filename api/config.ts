import { z } from 'zod'

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
  TRUST_PROXY: optionalString.transform((v) => v === '1' || v === 'true'),
  CRON_SECRET: optionalString,
  SEED_DEMO: optionalString.transform((v) => v !== '0' && v !== 'false'),
  LOG_LEVEL: z.enum(['silent', 'error', 'info', 'debug']).default('info'),
})

export interface AppConfig {
  databaseUrl: string | undefined
  /** Where the embedded database keeps its files when no DATABASE_URL is set. */
  dataDir: string
  redis: { url: string; token: string } | undefined
  /** A plain Redis for local use: the dev bridge serves the Upstash REST protocol in front of it. */
  redisUrl: string | undefined
  port: number
  host: string | undefined
  publicUrl: string | undefined
  /** `['*']` allows any origin. */
  allowedOrigins: string[]
  holdRateLimitPerMinute: number
  trustProxy: boolean
  cronSecret: string | undefined
  seedDemo: boolean
  logLevel: 'silent' | 'error' | 'info' | 'debug'
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
    trustProxy: e.TRUST_PROXY ?? false,
    cronSecret: e.CRON_SECRET,
    seedDemo: e.SEED_DEMO ?? true,
    logLevel: e.LOG_LEVEL,
  }
}

function isUrl(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol)
  } catch {
    return false
  }
}
