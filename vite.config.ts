import { readFileSync } from 'node:fs'
import { defineConfig } from 'vite'

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }

/**
 * `vite build` → dist/widget/widget.js, the embed script: one minified IIFE with Preact
 * inlined, defining no global but `window.Booking`.
 * `vite build --mode sdk` → dist/sdk/sdk.js, the ESM SDK with preact left to the app's bundler.
 */
export default defineConfig(({ mode }) => {
  const isSdk = mode === 'sdk'
  return {
    define: { __WIDGET_VERSION__: JSON.stringify(version) },
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    publicDir: false,
    build: {
      target: 'es2020',
      minify: true,
      outDir: isSdk ? 'dist/sdk' : 'dist/widget',
      emptyOutDir: true,
      reportCompressedSize: true,
      lib: isSdk
        ? { entry: 'widget/sdk.ts', formats: ['es'], fileName: () => 'sdk.js' }
        : // `name` is required for IIFE; embed.ts exports nothing, so no global is declared by it.
          { entry: 'widget/embed.ts', formats: ['iife'], name: 'Booking', fileName: () => 'widget.js' },
      rolldownOptions: isSdk ? { external: [/^preact(\/|$)/, /^@preact\/signals/] } : {},
    },
  }
})
