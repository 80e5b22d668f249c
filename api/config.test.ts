import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config'

describe('loadConfig', () => {
  it('falls back to the embedded defaults on an empty environment', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      databaseUrl: undefined,
      redis: undefined,
      port: 8787,
      allowedOrigins: ['*'],
      holdRateLimitPerMinute: 30,
      trustProxy: { kind: 'off' },
      holdMaxLivePerClient: 4,
      adminAuthFailureLimit: 10,
    })
  })

  it('reads the documented variables', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:8079',
      UPSTASH_REDIS_REST_TOKEN: 'token',
      PORT: '9000',
      ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      HOLD_RATE_LIMIT: '0',
      TRUST_PROXY: '1',
    })
    expect(config).toMatchObject({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
      redis: { url: 'http://127.0.0.1:8079', token: 'token' },
      port: 9000,
      allowedOrigins: ['https://a.example', 'https://b.example'],
      holdRateLimitPerMinute: 0,
      trustProxy: { kind: 'hops', hops: 1 },
    })
  })

  it('reads TRUST_PROXY as hops or a proxy list and the client limits, refusing what it cannot read', () => {
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toEqual({ kind: 'hops', hops: 2 })
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toEqual({ kind: 'off' })
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 2001:db8::/32' }).trustProxy).toMatchObject({
      kind: 'proxies',
      ranges: [{ text: '10.0.0.0/8' }, { text: '2001:db8::/32' }],
    })
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY: expected/)
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/8, proxy.local' })).toThrow(/TRUST_PROXY: .*proxy\.local/)
    expect(loadConfig({ HOLD_MAX_LIVE_PER_IP: '0', ADMIN_AUTH_FAILURE_LIMIT: '0' })).toMatchObject({
      holdMaxLivePerClient: 0,
      adminAuthFailureLimit: 0,
    })
    expect(loadConfig({ HOLD_MAX_LIVE_PER_IP: '12', ADMIN_AUTH_FAILURE_LIMIT: '25' })).toMatchObject({
      holdMaxLivePerClient: 12,
      adminAuthFailureLimit: 25,
    })
    expect(() => loadConfig({ HOLD_MAX_LIVE_PER_IP: '-1', ADMIN_AUTH_FAILURE_LIMIT: 'ten' })).toThrow(
      /HOLD_MAX_LIVE_PER_IP[\s\S]*ADMIN_AUTH_FAILURE_LIMIT/,
    )
  })

  it('reports every malformed variable by name at once', () => {
    let error: unknown
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty', UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:1' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    const message = (error as ConfigError).message
    expect(message).toContain('DATABASE_URL')
    expect(message).toContain('PORT')
    expect((error as ConfigError).problems).toHaveLength(2)
  })

  it('requires the Upstash URL and token together', () => {
    expect(() => loadConfig({ UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:8079' })).toThrow(/UPSTASH_REDIS_REST_TOKEN/)
  })

  it('turns payments on only with all three Stripe keys, and reads the API base for tests', () => {
    expect(loadConfig({}).stripe).toBeUndefined()
    const config = loadConfig({
      STRIPE_SECRET_KEY: 'sk_test_abc123',
      STRIPE_PUBLISHABLE_KEY: 'pk_test_abc123',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc',
      STRIPE_API_BASE: 'http://127.0.0.1:12111',
    })
    expect(config.stripe).toEqual({
      secretKey: 'sk_test_abc123',
      publishableKey: 'pk_test_abc123',
      webhookSecret: 'whsec_abc',
      apiBase: 'http://127.0.0.1:12111',
    })
  })

  it.each([
    [{ STRIPE_SECRET_KEY: 'sk_test_abc' }, /STRIPE_PUBLISHABLE_KEY, STRIPE_WEBHOOK_SECRET: required/],
    [
      { STRIPE_SECRET_KEY: 'pk_test_abc', STRIPE_PUBLISHABLE_KEY: 'pk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_x' },
      /STRIPE_SECRET_KEY: expected a Stripe secret key/,
    ],
    [
      { STRIPE_SECRET_KEY: 'sk_live_abc', STRIPE_PUBLISHABLE_KEY: 'pk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_x' },
      /test key and the other a live key/,
    ],
  ])('refuses a half or mismatched Stripe setup: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message)
  })

  it('migrates at start-up unless MIGRATE_ON_START is false or 0, and refuses a value it cannot read', () => {
    expect(loadConfig({}).migrateOnStart).toBe(true)
    expect(loadConfig({ MIGRATE_ON_START: 'true' }).migrateOnStart).toBe(true)
    expect(loadConfig({ MIGRATE_ON_START: 'false' }).migrateOnStart).toBe(false)
    expect(loadConfig({ MIGRATE_ON_START: '0' }).migrateOnStart).toBe(false)
    expect(() => loadConfig({ MIGRATE_ON_START: 'no' })).toThrow(/MIGRATE_ON_START: expected true or false/)
  })
})
