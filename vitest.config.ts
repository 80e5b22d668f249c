import { readFileSync } from 'node:fs'
import { defineConfig } from 'vitest/config'

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }

export default defineConfig({
  // The same build-time constants as vite.config.ts, for tests that import widget entries.
  define: { __WIDGET_VERSION__: JSON.stringify(version) },
  test: {
    include: ['{shared,api,widget,console,drizzle,examples,bench}/**/*.{test,e2e}.{ts,tsx}'],
    globalSetup: ['test/global-setup.ts'],
    // Separate processes: PGlite instances and postgres.js pools stay per test file.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
})
