import { createHash } from 'node:crypto'
import type { Context } from 'hono'
import { etagFor, ifNoneMatchHits, negotiateEncoding } from '../content-encoding'

/** A file with the encodings made at build time (`npm run build` writes `.br` and `.gz`). */
export interface StaticFile {
  text: string
  br?: Uint8Array | undefined
  gzip?: Uint8Array | undefined
}

/** What a runtime hands the routes: plain text (tests, the edge) or text with its variants. */
export type StaticBody = string | StaticFile

export interface ServedFile {
  text: string
  /** Strong tag of the identity bytes; each encoding gets its own (see etagFor). */
  etag: string
  variants: { br?: Uint8Array; gzip?: Uint8Array }
}

/** Hashes once at start-up; every request then only picks bytes. */
export function prepareStatic(body: StaticBody | undefined): ServedFile | undefined {
  if (body === undefined) return undefined
  const file = typeof body === 'string' ? { text: body } : body
  const variants: ServedFile['variants'] = {}
  if (file.br) variants.br = file.br
  if (file.gzip) variants.gzip = file.gzip
  return {
    text: file.text,
    etag: `"${createHash('sha256').update(file.text).digest('base64url').slice(0, 16)}"`,
    variants,
  }
}

/**
 * Sends the variant Accept-Encoding asks for, as stored: no compression per request. A file
 * without variants goes out as text (on Node the compression middleware may still encode it;
 * on Workers the platform does).
 */
export function sendStatic(c: Context, file: ServedFile, headers: Record<string, string>): Response {
  const encoding = negotiateEncoding(c.req.header('Accept-Encoding'), Object.keys(file.variants) as ('br' | 'gzip')[])
  const etag = etagFor(file.etag, encoding)
  for (const [name, value] of Object.entries(headers)) c.header(name, value)
  c.header('ETag', etag)
  c.header('Vary', 'Accept-Encoding')
  if (ifNoneMatchHits(c.req.header('If-None-Match'), etag)) return c.body(null, 304)
  if (encoding === 'identity') return c.body(file.text)
  const bytes = file.variants[encoding]!
  c.header('Content-Encoding', encoding)
  c.header('Content-Length', String(bytes.byteLength))
  return c.body(bytes as Uint8Array<ArrayBuffer>)
}
