import { readFile } from 'node:fs/promises'
import type { StaticAssets } from './routes/assets'

/**
 * Reads the built widget scripts and the example pages from disk (Node only; an edge
 * deployment bundles them instead). Missing files are left out: the routes say how to build.
 */
export async function loadStaticAssets(): Promise<StaticAssets> {
  const file = (path: string) => readOptional(new URL(path, import.meta.url))
  return {
    version: (JSON.parse((await file('../package.json')) ?? '{}') as { version?: string }).version,
    widgetScript: await file('../dist/widget/widget.js'),
    manageScript: await file('../dist/widget/manage.js'),
    paymentScript: await file('../dist/widget/payment.js'),
    localeScripts: { 'locale-de.js': await file('../dist/widget/locale-de.js'), 'locale-es.js': await file('../dist/widget/locale-es.js') },
    adminScript: await file('../dist/admin/admin.js'),
    demoPage: await file('../examples/demo.html'),
    managePage: await file('../examples/manage.html'),
    popupPage: await file('../examples/popup.html'),
    exampleFiles: { 'examples.css': await file('../examples/examples.css'), 'popup.js': await file('../examples/popup.js') },
    docs: {
      swaggerJs: await readOptional(new URL(import.meta.resolve('swagger-ui-dist/swagger-ui-bundle.js'))),
      swaggerCss: await readOptional(new URL(import.meta.resolve('swagger-ui-dist/swagger-ui.css'))),
    },
  }
}

async function readOptional(url: URL): Promise<string | undefined> {
  try {
    return await readFile(url, 'utf8')
  } catch {
    return undefined
  }
}
