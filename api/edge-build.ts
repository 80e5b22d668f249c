import { build, type BuildOptions } from 'esbuild'
import { fileURLToPath } from 'node:url'

/**
 * How the edge bundle is built (dist/worker/worker.js). Only the Node built-ins workerd
 * provides under `nodejs_compat` are left as imports; any other built-in reachable from
 * the edge entry, api/edge.ts (node:fs, node:net, node:child_process…), cannot be resolved,
 * and the build fails naming it. That failure is the check.
 */
export const WORKERD_BUILTINS = [
  'node:buffer',
  'node:crypto',
  'node:events',
  'node:stream',
  'node:util',
  'node:async_hooks',
]

export const workerBuildOptions: BuildOptions = {
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  conditions: ['workerd', 'worker', 'import'],
  mainFields: ['module', 'main'],
  external: ['cloudflare:sockets', ...WORKERD_BUILTINS],
  logLevel: 'warning',
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await build({ ...workerBuildOptions, entryPoints: ['api/edge.ts'], outfile: 'dist/worker/worker.js' }).catch(() =>
    process.exit(1),
  )
}
