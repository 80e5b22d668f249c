import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

/*
 * The repository resolves imports like a bundler, so tsc writes `from './client'` into the
 * declarations. Apps type-checked with `moduleResolution: "node16"`/`"nodenext"` need the file
 * named: this adds `.js` (or `/index.js`) to every relative specifier under the folder given.
 */

const RELATIVE = /(\bfrom\s+|\bimport\(\s*)(['"])(\.{1,2}\/[^'"]*?)\2/g

function withExtension(file: string, specifier: string): string {
  if (/\.(js|mjs|cjs|json)$/.test(specifier)) return specifier
  const target = resolve(dirname(file), specifier)
  if (existsSync(`${target}.d.ts`)) return `${specifier}.js`
  if (existsSync(join(target, 'index.d.ts'))) return `${specifier}/index.js`
  throw new Error(`${file}: cannot find the declaration for ${specifier}`)
}

function declarations(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name)
    if (statSync(path).isDirectory()) return declarations(path)
    return path.endsWith('.d.ts') ? [path] : []
  })
}

const folder = process.argv[2]
if (!folder) throw new Error('usage: tsx sdk-package/add-declaration-extensions.ts <folder of .d.ts files>')
for (const file of declarations(folder)) {
  const text = readFileSync(file, 'utf8')
  const fixed = text.replace(
    RELATIVE,
    (_match, before: string, quote: string, specifier: string) =>
      `${before}${quote}${withExtension(file, specifier)}${quote}`,
  )
  if (fixed !== text) writeFileSync(file, fixed)
}
