import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { moduleSources, readStaticFile, staticSources, variantBase } from './static-assets'

/**
 * The build's last step (`npm run build`): writes `<file>.br` (brotli 11) and `<file>.gz`
 * (gzip 9) for every static file the server sends, so requests only pick bytes. Variants
 * that still match their file are kept: the swagger bundle alone takes seconds at quality 11.
 */
export async function precompress(
  sources: string[],
): Promise<{ source: string; bytes: number; br: number; gzip: number }[]> {
  const written = []
  for (const source of sources) {
    const current = await readStaticFile(source)
    if (!current) continue
    const bytes = Buffer.from(current.text)
    const base = variantBase(source)
    await mkdir(dirname(base), { recursive: true })
    const br =
      current.br ??
      brotliCompressSync(bytes, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 11,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        },
      })
    const gzip = current.gzip ?? gzipSync(bytes, { level: 9 })
    if (!current.br) await writeFile(`${base}.br`, br)
    if (!current.gzip) await writeFile(`${base}.gz`, gzip)
    written.push({ source, bytes: bytes.length, br: br.length, gzip: gzip.length })
  }
  return written
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sources = [...Object.values(staticSources()), ...Object.values(moduleSources())]
  await precompress(sources)
  // Fails the build loudly if a variant could not be written or read back.
  for (const source of sources) {
    const file = await readStaticFile(source)
    if (file && (!file.br || !file.gzip)) throw new Error(`precompress: no valid .br/.gz for ${source}`)
  }
}
