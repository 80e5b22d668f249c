import { readFileSync } from 'node:fs'
import { defineConfig, type LibraryOptions } from 'vite'

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }

// `name` is required for IIFE; the entries export nothing, so no global is declared by it.
const LIBS: Record<string, LibraryOptions> = {
  // The embed script every host page loads: one minified IIFE with Preact inlined,
  // defining no global but `window.Booking`.
  production: { entry: 'widget/embed.ts', formats: ['iife'], name: 'Booking', fileName: () => 'widget.js' },
  // The manage page's script, apart so the booking flow does not carry the manage view.
  manage: { entry: 'widget/manage-page.ts', formats: ['iife'], name: 'BookingManage', fileName: () => 'manage.js' },
  // German and Spanish words, fetched by widget.js and manage.js only for pages in those languages.
  locales: {
    entry: { 'locale-de': 'widget/locales/de.ts', 'locale-es': 'widget/locales/es.ts' },
    formats: ['es'],
    fileName: (_format, name) => `${name}.js`,
  },
  // The card step, fetched by widget.js only for resources that take payment.
  payment: { entry: 'widget/payment/stripe-payment.ts', formats: ['es'], fileName: () => 'payment.js' },
  // The owner console served at /admin.
  admin: { entry: 'console/main.ts', formats: ['iife'], name: 'BookingAdmin', fileName: () => 'admin.js' },
  // The ESM SDK, with preact left to the app's bundler; its types come from tsconfig.sdk.json.
  sdk: { entry: 'widget/sdk.ts', formats: ['es'], fileName: () => 'sdk.js' },
}

/**
 * `npm run build` runs them all: `vite build` (dist/widget/widget.js), `--mode manage`
 * (dist/widget/manage.js), `--mode payment` (dist/widget/payment.js) and `--mode sdk`
 * (dist/sdk/sdk.js, with the card step split into its own chunk).
 */
export default defineConfig(({ mode }) => {
  const lib = LIBS[mode]
  if (!lib) throw new Error(`unknown build mode ${mode}: use one of ${Object.keys(LIBS).join(', ')}`)
  const isSdk = mode === 'sdk'
  return {
    define: { __WIDGET_VERSION__: JSON.stringify(version), __EMBED__: JSON.stringify(mode === 'production' || mode === 'manage' || mode === 'admin') },
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    publicDir: false,
    build: {
      target: 'es2020',
      minify: true,
      outDir: isSdk ? 'dist/sdk' : mode === 'admin' ? 'dist/admin' : 'dist/widget',
      // The widget build runs first and clears its folder; manage and payment add to it.
      emptyOutDir: mode === 'production' || mode === 'sdk' || mode === 'admin',
      reportCompressedSize: true,
      lib,
      rolldownOptions: isSdk ? { external: [/^preact(\/|$)/, /^@preact\/signals/] } : {},
    },
  }
})
