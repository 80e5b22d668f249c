import { defineConfig } from 'vitest/config'
import base from './vitest.config'

/**
 * `npm run test:reliability`: load, faults, fuzzing and abuse, on the configured PostgreSQL
 * and Redis. The main config's setup and constants, its own files (spread, not merged:
 * mergeConfig would add these files to the main suite's instead of replacing them).
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['reliability/**/*.test.ts'],
    // One file at a time: the load tests measure, and must not share the two cores.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
})
