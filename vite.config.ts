import { existsSync, readFileSync } from 'node:fs'
import { defineConfig, type LibraryOptions, type Plugin } from 'vite'

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }

/** Where the module build writes its entry points and the chunks each needs at once. */
const ENTRIES_FILE = 'dist/widget/entries.json'

/** One entry of entries.json: its hashed file and the chunks it imports statically (to preload). */
export interface BuiltEntry {
  file: string
  imports: string[]
}

// `name` is required for IIFE; the loaders export nothing, so no global is declared by it.
const LIBS: Record<string, LibraryOptions> = {
  // The widget and the manage page as ES modules with shared chunks under assets/, named by
  // content hash so they can be cached for a year. The card step, the details form and the
  // German and Spanish words are dynamic imports: chunks of their own, fetched when needed.
  production: {
    entry: { widget: 'widget/embed.ts', manage: 'widget/manage-page.ts' },
    formats: ['es'],
    fileName: (_format, name) => `assets/${name}-[hash].js`,
  },
  // The tiny classic scripts site owners paste (widget.js) and the manage page loads
  // (manage.js): they point at the current hashed build, so they are the only files
  // cached briefly. Built after `production`, from its entries.json.
  loader: { entry: 'widget/loader.ts', formats: ['iife'], name: 'BookingLoader', fileName: () => 'widget.js' },
  'manage-loader': {
    entry: 'widget/loader.ts',
    formats: ['iife'],
    name: 'BookingManageLoader',
    fileName: () => 'manage.js',
  },
  // The owner console served at /admin.
  admin: { entry: 'console/main.ts', formats: ['iife'], name: 'BookingAdmin', fileName: () => 'admin.js' },
  // The ESM SDK, with preact left to the app's bundler; its types come from tsconfig.sdk.json.
  sdk: { entry: 'widget/sdk.ts', formats: ['es'], fileName: () => 'sdk.js' },
  // The publishable package in sdk-package/: one file per entry point, shared code in chunks/,
  // and preact, @preact/signals and react left to the app (see sdk-package/README.md).
  'sdk-package': {
    entry: {
      index: 'widget/sdk.ts',
      client: 'widget/client.ts',
      react: 'widget/react.ts',
      element: 'widget/element.ts',
      // Server-side: a webhook receiver checks signatures without loading the widget.
      webhooks: 'widget/verify-webhook.ts',
    },
    formats: ['es'],
    fileName: (_format, name) => `${name}.js`,
  },
}

/** The package's version follows the API's: a release of one is a release of the other. */
function assertPackageVersion(): void {
  const pkg = JSON.parse(readFileSync(new URL('./sdk-package/package.json', import.meta.url), 'utf8')) as {
    version: string
  }
  if (pkg.version !== version)
    throw new Error(`sdk-package/package.json is at ${pkg.version}, the API at ${version}: set them equal`)
}

/** Writes entries.json: each entry's file and every chunk it statically imports, transitively. */
function entriesManifest(): Plugin {
  return {
    name: 'booking-entries-manifest',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((item) => item.type === 'chunk')
      const byFile = new Map(chunks.map((chunk) => [chunk.fileName, chunk]))
      const closure = (file: string, seen = new Set<string>()): Set<string> => {
        for (const imported of byFile.get(file)?.imports ?? []) {
          if (!seen.has(imported)) closure(imported, seen.add(imported))
        }
        return seen
      }
      const entries: Record<string, BuiltEntry> = {}
      for (const chunk of chunks)
        if (chunk.isEntry) entries[chunk.name] = { file: chunk.fileName, imports: [...closure(chunk.fileName)] }
      this.emitFile({ type: 'asset', fileName: 'entries.json', source: `${JSON.stringify(entries, null, 2)}\n` })
    },
  }
}

function builtEntry(name: string): BuiltEntry {
  if (!existsSync(ENTRIES_FILE))
    throw new Error(`${ENTRIES_FILE} is missing: run \`vite build\` (the module build) before the loaders`)
  const entry = (JSON.parse(readFileSync(ENTRIES_FILE, 'utf8')) as Record<string, BuiltEntry>)[name]
  if (!entry) throw new Error(`${ENTRIES_FILE} has no entry "${name}"`)
  return entry
}

/**
 * `npm run build` runs them all: `vite build` (the modules under dist/widget/assets),
 * `--mode loader` and `--mode manage-loader` (dist/widget/widget.js and manage.js), `--mode admin`
 * (dist/admin/admin.js) and `--mode sdk` (dist/sdk/sdk.js, with the card step split into its own chunk).
 */
export default defineConfig(({ mode }) => {
  const lib = LIBS[mode]
  if (!lib) throw new Error(`unknown build mode ${mode}: use one of ${Object.keys(LIBS).join(', ')}`)
  const isSdk = mode === 'sdk'
  const isPackage = mode === 'sdk-package'
  if (isPackage) assertPackageVersion()
  const isLoader = mode === 'loader' || mode === 'manage-loader'
  const define: Record<string, string> = { __WIDGET_VERSION__: JSON.stringify(version) }
  if (isLoader) {
    define.__BOOT__ = JSON.stringify({
      ...builtEntry(mode === 'loader' ? 'widget' : 'manage'),
      prefetch: mode === 'loader',
    })
  }
  return {
    define,
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    publicDir: false,
    plugins: mode === 'production' ? [entriesManifest()] : [],
    build: {
      target: 'es2020',
      minify: true,
      outDir: isPackage ? 'sdk-package/dist' : isSdk ? 'dist/sdk' : mode === 'admin' ? 'dist/admin' : 'dist/widget',
      // The module build runs first and clears its folder; the loaders add to it.
      emptyOutDir: mode === 'production' || mode === 'sdk' || mode === 'admin' || isPackage,
      reportCompressedSize: true,
      lib,
      rolldownOptions: isPackage
        ? {
            external: [/^preact(\/|$)/, /^@preact\/signals/, /^react(\/|$)/, /^react-dom(\/|$)/],
            output: { chunkFileNames: 'chunks/[name]-[hash].js' },
          }
        : isSdk
          ? { external: [/^preact(\/|$)/, /^@preact\/signals/] }
          : mode === 'production'
            ? { output: { chunkFileNames: 'assets/[name]-[hash].js', minify: true } }
            : {},
    },
  }
})
