import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['{shared,api,widget,drizzle,examples,bench}/**/*.{test,e2e}.{ts,tsx}'],
    globalSetup: ['test/global-setup.ts'],
    // Separate processes: PGlite instances and postgres.js pools stay per test file.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
})
