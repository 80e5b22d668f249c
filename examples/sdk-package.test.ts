import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/*
 * The publishable SDK as a developer gets it: packed (its prepack builds it), installed from the
 * tarball into a project of its own outside the repository (so nothing resolves from the repo's
 * node_modules), type-checked through every entry point, and free of server packages.
 */

const run = promisify(execFile)
const repo = new URL('..', import.meta.url).pathname
const packageDir = join(repo, 'sdk-package')

/** Packages only the API uses: none of them may reach an app that installs the SDK. */
const SERVER_PACKAGES = [
  'hono',
  '@hono/node-server',
  'drizzle-orm',
  'postgres',
  'stripe',
  '@electric-sql/pglite',
  'nodemailer',
  'redis',
  'ical-generator',
  'swagger-ui-dist',
  'tsx',
]
const isServerPackage = (name: string) => SERVER_PACKAGES.includes(name) || name.startsWith('@upstash/')

const readJson = async <T>(path: string) => JSON.parse(await readFile(path, 'utf8')) as T
const rootPackage = await readJson<{ version: string; devDependencies: Record<string, string> }>(
  join(repo, 'package.json'),
)

/** Uses every entry point the way the README shows; a type error anywhere fails the check. */
const APP_SOURCE = `
import { createClient, mount, open, manage, type ClientError, type MountHandle, type PublicBooking } from '@booking-embed/sdk'
import { createClient as createClientOnly } from '@booking-embed/sdk/client'
import { BookingWidget } from '@booking-embed/sdk/react'
import { BookingWidgetElement, defineBookingWidget } from '@booking-embed/sdk/element'

export async function firstFree(): Promise<string | ClientError> {
  const client = createClient({ apiUrl: 'https://book.example.com' })
  const result = await client.getAvailability('yoga-room', { from: '2030-01-01', to: '2030-01-07' })
  if (result.error) return result.error
  const code: ClientError['code'] = 'network_error'
  void code
  return result.data.days[0]?.slots[0]?.start ?? 'none'
}

export const sameClient: typeof createClient = createClientOnly

export function embed(el: HTMLElement): MountHandle[] {
  const widget = mount(el, { resource: 'yoga-room', apiUrl: 'https://book.example.com', theme: 'dark' })
  widget.on('booking:confirmed', ({ booking }) => {
    const confirmed: PublicBooking = booking
    console.log(confirmed.ref)
  })
  widget.on('booking:error', (error) => console.log(error.code, error.message))
  // @ts-expect-error: not an event the widget dispatches
  widget.on('booking:nope', () => undefined)
  const popup = open({ resource: 'yoga-room', apiUrl: 'https://book.example.com' })
  const managed = manage(el, { apiUrl: 'https://book.example.com', ref: 'ABCD1234', token: 't' })
  managed.on('booking:changed', ({ booking }) => console.log(booking.status))
  return [widget, popup, managed]
}

export const app = (
  <BookingWidget
    resource="yoga-room"
    apiUrl="https://book.example.com"
    onConfirmed={({ booking }) => console.log(booking.ref)}
    onError={(error) => console.log(error.code)}
  />
)

defineBookingWidget()
const element: BookingWidgetElement = document.createElement('booking-widget')
element.setAttribute('resource', 'yoga-room')
`

interface LsNode {
  version?: string
  dependencies?: Record<string, LsNode>
}

/** Every package installed under `tree`; an optional peer nobody installed is listed empty, without a version. */
function namesIn(tree: LsNode, names = new Set<string>()): Set<string> {
  for (const [name, node] of Object.entries(tree.dependencies ?? {})) {
    if (node.version) names.add(name)
    namesIn(node, names)
  }
  return names
}

async function registryReachable(): Promise<string | undefined> {
  try {
    await run('npm', ['ping'], { timeout: 15_000 })
    return undefined
  } catch (error) {
    return `the npm registry is not reachable (${(error as Error).message.split('\n')[0]})`
  }
}

describe('the SDK package (sdk-package/)', () => {
  let work: string
  let tarball: string
  let unreachable: string | undefined

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'booking-sdk-package-'))
    unreachable = await registryReachable()
    // The prepack script builds dist/ from widget/: packing is what a release does.
    await run('npm', ['pack', '--pack-destination', work], { cwd: packageDir, timeout: 120_000 })
    const packed = (await readdir(work)).find((file) => file.endsWith('.tgz'))
    if (!packed) throw new Error('npm pack wrote no tarball')
    tarball = join(work, packed)
  }, 120_000)
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true })
  })

  it('has the API’s version and ships only its build, no server code', async () => {
    const pkg = await readJson<{ version: string; sideEffects: boolean }>(join(packageDir, 'package.json'))
    expect(pkg.version).toBe(rootPackage.version)
    expect(pkg.sideEffects).toBe(false)
    const { stdout } = await run('tar', ['-tzf', tarball])
    const files = stdout.trim().split('\n')
    expect(files).toContain('package/dist/index.js')
    expect(files).toContain('package/dist/types/widget/sdk.d.ts')
    expect(files).toContain('package/types/index.d.ts')
    expect(files).toContain('package/README.md')
    for (const file of files) expect(file).toMatch(/^package\/(dist\/|types\/|package\.json$|README\.md$)/)
    expect(files.filter((file) => /\/(api|drizzle|console|notify|bench)\//.test(file))).toEqual([])
  })

  it('installs into a fresh project, type-checks every entry point and brings no server package', async (context) => {
    if (unreachable) {
      console.log(`skipped: ${unreachable}`)
      context.skip(unreachable)
    }
    const app = join(work, 'app')
    await run('mkdir', ['-p', join(app, 'src')])
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'sdk-consumer',
        private: true,
        type: 'module',
        dependencies: { '@booking-embed/sdk': `file:${tarball}` },
        // React is the wrapper's optional peer: the app brings it, as a React app would.
        devDependencies: {
          typescript: rootPackage.devDependencies.typescript,
          react: '^19.0.0',
          '@types/react': '^19.0.0',
        },
      }),
    )
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023', 'DOM', 'DOM.Iterable'],
          module: 'ESNext',
          moduleResolution: 'bundler',
          jsx: 'react-jsx',
          strict: true,
          // The package's own declarations are checked too, as a strict app would.
          skipLibCheck: false,
          noEmit: true,
          types: [],
        },
        include: ['src'],
      }),
    )
    await writeFile(join(app, 'src', 'app.tsx'), APP_SOURCE)
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel', 'error'], { cwd: app, timeout: 120_000 })

    // Both ways apps resolve packages: as a bundler does (Vite, Next) and as Node does (NodeNext).
    await writeFile(
      join(app, 'tsconfig.node.json'),
      JSON.stringify({
        extends: './tsconfig.json',
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' },
      }),
    )
    for (const project of ['tsconfig.json', 'tsconfig.node.json']) {
      const typecheck = await run('npx', ['--no-install', 'tsc', '-p', project], { cwd: app, timeout: 60_000 }).catch(
        (error: { stdout?: string; message: string }) => ({ stdout: error.stdout ?? error.message, failed: true }),
      )
      expect(typecheck.stdout.trim(), project).toBe('')
      expect('failed' in typecheck, project).toBe(false)
    }

    const { stdout } = await run('npm', ['ls', '--omit=dev', '--all', '--json'], { cwd: app, timeout: 30_000 })
    const installed = namesIn(JSON.parse(stdout) as LsNode)
    expect(installed).toContain('@booking-embed/sdk')
    expect(installed).toContain('preact')
    expect([...installed].filter(isServerPackage)).toEqual([])
    // Nothing else at all: react appears only as the wrapper's peer, met by the app's own copy.
    expect([...installed].sort()).toEqual(
      ['@booking-embed/sdk', '@preact/signals', '@preact/signals-core', 'preact', 'react', 'zod'].sort(),
    )
  }, 180_000)

  it('lets an app that imports only createClient ship under 3 KB gzipped', async (context) => {
    if (unreachable) context.skip(unreachable)
    const app = join(work, 'app') // installed by the test above
    // The repository's Vite bundles the app; the app's imports resolve from its own node_modules.
    const sizes: Record<string, number> = {}
    for (const [name, specifier] of [
      ['root', '@booking-embed/sdk'],
      ['subpath', '@booking-embed/sdk/client'],
    ] as const) {
      await writeFile(
        join(app, `${name}.js`),
        `import { createClient } from '${specifier}'\nglobalThis.client = createClient({ apiUrl: 'https://book.example.com' })\n`,
      )
      const outDir = join(app, `out-${name}`)
      await writeFile(
        join(app, `vite-${name}.config.mjs`),
        `export default { logLevel: 'warn', build: { outDir: ${JSON.stringify(outDir)}, rolldownOptions: { input: ${JSON.stringify(join(app, `${name}.js`))} } } }\n`,
      )
      await run(join(repo, 'node_modules', '.bin', 'vite'), ['build', '--config', `vite-${name}.config.mjs`], {
        cwd: app,
        timeout: 60_000,
      })
      const assets = join(outDir, 'assets')
      const entry = (await readdir(assets)).find((file) => file.startsWith(`${name}-`))
      if (!entry) throw new Error(`no entry chunk for ${name}`)
      const code = await readFile(join(assets, entry), 'utf8')
      // What the page loads: the entry alone, with no static import of any other chunk.
      expect(code).not.toMatch(/\bimport\s*[{*\w]|\bimport\s*["'`]/)
      sizes[name] = gzipSync(code, { level: 9 }).length
    }
    console.log(`createClient only, gzip: ${JSON.stringify(sizes)} bytes`)
    expect(sizes.root).toBeLessThanOrEqual(3 * 1024)
    expect(sizes.subpath).toBeLessThanOrEqual(3 * 1024)
  }, 120_000)
})
