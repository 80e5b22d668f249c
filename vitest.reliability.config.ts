import { readFileSync } from 'node:fs'
import { defineConfig } from 'vitest/config'

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }

/** `npm run test:reliability`: load, faults, fuzzing and abuse, on the configured PostgreSQL and Redis. */
export default defineConfig({
  define: { __WIDGET_VERSION__: JSON.stringify(version), __EMBED__: 'false' },
  test: {
    include: ['reliability/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    // One file at a time: the load tests measure, and must not share the two cores.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
})
