import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { serve, type ServerType } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../api/app'
import { systemClock } from '../api/clock'
import { createTestDatabase } from '../test/database'
import { everyDay, insertResource, uniqueSlug } from '../test/fixtures'
import { createTestHoldBackend } from '../test/holds'

/*
 * The publishable SDK as a developer gets it: packed (its prepack builds it), installed from the
 * tarball into a project of its own outside the repository (so nothing resolves from the repo's
 * node_modules), type-checked through every entry point, free of server packages, and booking
 * against the real API from that project's own test runner.
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

/** The shop page the widget is embedded in: another origin than the API's, so CORS is exercised. */
const SHOP_ORIGIN = 'http://shop.localhost:5173'

const VITEST_CONFIG = `
export default {
  test: {
    environment: 'happy-dom',
    environmentOptions: { happyDOM: { url: '${SHOP_ORIGIN}/' } },
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    // The API the outer test started: handed to the test as typed values, not read from process.
    provide: { apiUrl: process.env.BOOKING_API_URL ?? '', resource: process.env.BOOKING_RESOURCE ?? '' },
  },
}
`

/**
 * An app's own test of its booking page: the widget from the package, mounted in happy-dom,
 * driven like a guest against the API the outer test started, its events read with their types.
 */
const WIDGET_TEST_SOURCE = `
import { createClient, mount, type MountHandle, type PublicBooking, type PublicHold } from '@booking-embed/sdk'
import { afterEach, expect, inject, it } from 'vitest'

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string
    resource: string
  }
}

const apiUrl = inject('apiUrl')
const resource = inject('resource')

async function until<T>(find: () => T | null | undefined, what: string, problems: string[]): Promise<T> {
  const deadline = Date.now() + 15_000
  for (;;) {
    const found = find()
    if (found) return found
    if (problems.length) throw new Error(\`\${what}: the widget reported \${problems.join('; ')}\`)
    if (Date.now() > deadline) throw new Error(\`\${what} did not appear within 15 s\`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

function type(input: HTMLInputElement, value: string): void {
  input.value = value
  input.dispatchEvent(new Event('input', { bubbles: true }))
}

let handle: MountHandle | undefined
afterEach(() => {
  handle?.destroy()
  document.body.innerHTML = ''
})

it('mounts the widget, books the first free time and reports it as a typed event', async () => {
  expect(apiUrl, 'BOOKING_API_URL').not.toBe('')
  expect(location.origin).not.toBe(new URL(apiUrl).origin)
  const client = createClient({ apiUrl })
  const today = new Date().toISOString().slice(0, 10)
  const inTwoWeeks = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10)
  const availability = await client.getAvailability(resource, { from: today, to: inTwoWeeks })
  if (availability.error) throw new Error(\`availability: \${availability.error.code}: \${availability.error.message}\`)
  const freeStarts = availability.data.days.flatMap((day) => day.slots.map((slot) => slot.start))
  expect(freeStarts.length, 'free times in the next two weeks').toBeGreaterThan(0)

  const el = document.body.appendChild(document.createElement('div'))
  handle = mount(el, { resource, apiUrl, tz: 'UTC', locale: 'en' })
  const problems: string[] = []
  handle.on('booking:error', (error) => problems.push(\`\${error.code}: \${error.message}\`))
  const held: PublicHold[] = []
  handle.on('booking:slot-held', ({ hold }) => held.push(hold))
  const confirmed: PublicBooking[] = []
  handle.on('booking:confirmed', ({ booking }) => {
    const typed: PublicBooking = booking
    confirmed.push(typed)
  })

  const shadow = el.shadowRoot!
  const option = await until(
    () => {
      const found = shadow.querySelector<HTMLElement>('[role=listbox] [role=option]')
      // Late on a month's last day the month shown is empty: the guest follows "Next available".
      if (!found) shadow.querySelector<HTMLButtonElement>('button.next')?.click()
      return found
    },
    'a free time',
    problems,
  )
  option.click()
  const hold = await until(() => held[0], 'booking:slot-held', problems)
  const name = await until(() => shadow.querySelector<HTMLInputElement>('input[name=name]'), 'the details form', problems)
  type(name, 'Pat Package')
  type(shadow.querySelector<HTMLInputElement>('input[name=email]')!, 'pat@example.com')
  name.form!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))

  const booking = await until(() => confirmed[0], 'booking:confirmed', problems)
  expect(booking.ref).toMatch(/^[0-9A-Z]{8}$/)
  expect(booking.resourceId).toBe(availability.data.resource.id)
  expect(booking.start).toBe(hold.start)
  expect(freeStarts).toContain(booking.start)
  expect(booking.status).toBe('confirmed')
  expect(booking.guest).toMatchObject({ name: 'Pat Package', email: 'pat@example.com' })
  expect(shadow.querySelector('.ref')?.textContent).toBe(booking.ref)

  // The manage link carries the token the guest gets; the API answers it with the same booking.
  const link = await until(() => shadow.querySelector<HTMLAnchorElement>('a[href*="/manage#"]'), 'the manage link', problems)
  const params = new URLSearchParams(new URL(link.href).hash.slice(1))
  expect(params.get('ref')).toBe(booking.ref)
  const stored = await client.getBooking(booking.ref, params.get('token') ?? '')
  if (stored.error) throw new Error(\`getBooking: \${stored.error.code}: \${stored.error.message}\`)
  const row: PublicBooking = stored.data
  expect(row).toMatchObject({ ref: booking.ref, resourceId: booking.resourceId, start: booking.start, status: 'confirmed' })
  expect(problems).toEqual([])
})
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
          // The app's own widget test runs in its own vitest, with the repository's versions.
          vitest: rootPackage.devDependencies.vitest,
          'happy-dom': rootPackage.devDependencies['happy-dom'],
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
    // Type-checked below with the rest of src/: the widget's events are checked as an app uses them.
    await writeFile(join(app, 'src', 'widget.test.ts'), WIDGET_TEST_SOURCE)
    await writeFile(join(app, 'vitest.config.mjs'), VITEST_CONFIG)
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error'], {
      cwd: app,
      timeout: 120_000,
    })

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
      ['@booking-embed/sdk', '@preact/signals', '@preact/signals-core', 'preact', 'react'].sort(),
    )
  }, 180_000)

  it('books through the widget in the app’s own happy-dom test, against the API over HTTP', async (context) => {
    if (unreachable) context.skip(unreachable)
    const app = join(work, 'app') // installed by the test above
    const database = await createTestDatabase()
    let server: ServerType | undefined
    try {
      const room = await insertResource(database.db, {
        slug: uniqueSlug('sdk-room'),
        timezone: 'UTC',
        schedules: everyDay({ startTime: '09:00', endTime: '17:00', slotDuration: 60 }),
      })
      const api = createApp({
        db: database.db,
        holds: createTestHoldBackend(systemClock).holds,
        // Only the shop's origin: the widget's requests pass as a real embed's would.
        allowedOrigins: [SHOP_ORIGIN],
      })
      server = serve({ fetch: api.fetch, port: 0, hostname: '127.0.0.1' })
      await new Promise((resolve) => server!.once('listening', resolve))
      const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const result = await run('npx', ['--no-install', 'vitest', 'run', '--reporter=verbose'], {
        cwd: app,
        timeout: 120_000,
        env: {
          // This file's own worker settings would confuse the app's vitest.
          ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST'))),
          BOOKING_API_URL: apiUrl,
          BOOKING_RESOURCE: room.slug,
          CI: '1',
          NO_COLOR: '1',
        },
      }).catch((error: { stdout?: string; message: string }) => ({
        stdout: error.stdout ?? '',
        // execFile's message is the command line followed by everything it wrote to stderr.
        stderr: error.message,
        failed: true,
      }))
      // A failure is explained in the log by the app's own test output, not just an exit code.
      if ('failed' in result) console.log(`the app's widget test failed:\n${result.stdout}\n${result.stderr}`)
      expect('failed' in result, 'the app’s widget test (its output is printed above)').toBe(false)
      expect(result.stdout).toMatch(/1 passed/)
    } finally {
      if (server) await new Promise((resolve) => server!.close(resolve))
      await database.close()
    }
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
