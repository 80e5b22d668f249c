import { readdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import type { StaticAssets } from './routes/assets'
import type { StaticFile } from './routes/static-file'

const ROOT = fileURLToPath(new URL('../', import.meta.url))

/** The widget's hashed modules (dist/widget/assets/*.js), by file name; none before a build. */
export function moduleSources(): Record<string, string> {
  const dir = fileURLToPath(new URL('../dist/widget/assets/', import.meta.url))
  let names: string[]
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.js'))
  } catch {
    return {}
  }
  return Object.fromEntries(names.map((name) => [name, `${dir}${name}`]))
}

/** Every file served as is, by where it lives; `npm run build` precompresses each of them. */
export function staticSources() {
  const at = (path: string) => fileURLToPath(new URL(path, import.meta.url))
  return {
    widgetScript: at('../dist/widget/widget.js'),
    manageScript: at('../dist/widget/manage.js'),
    adminScript: at('../dist/admin/admin.js'),
    demoPage: at('../examples/demo.html'),
    managePage: at('../examples/manage.html'),
    popupPage: at('../examples/popup.html'),
    'examples.css': at('../examples/examples.css'),
    'popup.js': at('../examples/popup.js'),
    swaggerJs: fileURLToPath(import.meta.resolve('swagger-ui-dist/swagger-ui-bundle.js')),
    swaggerCss: fileURLToPath(import.meta.resolve('swagger-ui-dist/swagger-ui.css')),
  }
}

/**
 * Where a file's `.br`/`.gz` live (without the suffix): beside it in dist/, and for sources
 * outside dist/ (example pages, swagger-ui-dist) under dist/precompressed/ by their path.
 */
export function variantBase(source: string, root = ROOT): string {
  const path = relative(root, source)
  return path.startsWith('dist/') ? source : `${root}/dist/precompressed/${path}`.replace(/\/+/g, '/')
}

/**
 * Reads the built widget scripts and the example pages from disk (Node only; an edge
 * deployment bundles them instead). Missing files are left out: the routes say how to build.
 */
export async function loadStaticAssets(): Promise<StaticAssets> {
  const sources = staticSources()
  const file = (key: keyof typeof sources) => readStaticFile(sources[key])
  return {
    version: (
      JSON.parse((await readOptional(new URL('../package.json', import.meta.url))) ?? '{}') as { version?: string }
    ).version,
    widgetScript: await file('widgetScript'),
    manageScript: await file('manageScript'),
    entries: await readEntries(),
    modules: Object.fromEntries(
      await Promise.all(
        Object.entries(moduleSources()).map(async ([name, path]) => [name, await readStaticFile(path)] as const),
      ),
    ),
    adminScript: await file('adminScript'),
    demoPage: await file('demoPage'),
    managePage: await file('managePage'),
    popupPage: await file('popupPage'),
    exampleFiles: { 'examples.css': await file('examples.css'), 'popup.js': await file('popup.js') },
    docs: { swaggerJs: await file('swaggerJs'), swaggerCss: await file('swaggerCss') },
  }
}

/**
 * A file with whichever build-time variants still decode to its current bytes: a page edited
 * since the last build is served uncompressed by the route rather than stale.
 */
export async function readStaticFile(source: string, base = variantBase(source)): Promise<StaticFile | undefined> {
  const text = await readOptional(source)
  if (text === undefined) return undefined
  const bytes = Buffer.from(text)
  const variant = async (suffix: string, decode: (data: Buffer) => Buffer) => {
    const data = await readFile(`${base}${suffix}`).catch(() => undefined)
    if (!data) return undefined
    try {
      return decode(data).equals(bytes) ? new Uint8Array(data) : undefined
    } catch {
      return undefined
    }
  }
  return { text, br: await variant('.br', brotliDecompressSync), gzip: await variant('.gz', gunzipSync) }
}

/** The widget's entry modules by name (`widget` → `widget-<hash>.js`), from the build's entries.json. */
async function readEntries(): Promise<Record<string, string>> {
  try {
    const entries = JSON.parse(
      (await readOptional(new URL('../dist/widget/entries.json', import.meta.url))) ?? '{}',
    ) as Record<string, { file?: unknown }>
    return Object.fromEntries(
      Object.entries(entries).flatMap(([name, entry]) =>
        typeof entry.file === 'string' ? [[name, entry.file.replace(/^assets\//, '')]] : [],
      ),
    )
  } catch {
    return {}
  }
}

async function readOptional(path: string | URL): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    return undefined
  }
}
