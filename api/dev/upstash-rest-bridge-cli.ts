import { startUpstashBridge } from '../holds/redis-rest-bridge'

// REDIS_URL=redis://127.0.0.1:6379 tsx api/dev/upstash-rest-bridge-cli.ts
// Prints the two variables @upstash/redis reads (test/server.ts parses them), then serves until stopped.
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const port = Number(process.env.BRIDGE_PORT ?? 0)
try {
  const bridge = await startUpstashBridge({ redisUrl, port })
  console.log(`UPSTASH_REDIS_REST_URL=${bridge.url}`)
  console.log(`UPSTASH_REDIS_REST_TOKEN=${bridge.token}`)
  const stop = () => void bridge.close().finally(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
}
