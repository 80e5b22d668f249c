import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import type { MiddlewareHandler } from 'hono'
import { etagFor, ifNoneMatchHits, negotiateEncoding } from './content-encoding'

/**
 * On-the-fly brotli/gzip for dynamic responses (JSON, small pages), Node only: api/node.ts
 * passes it to createApp, and the Worker never imports it because Cloudflare compresses at
 * the edge (doing it here too would compress twice). Static assets arrive already encoded
 * from their build-time variants and pass through untouched.
 */
export interface CompressionOptions {
  /** Bodies smaller than this go out as they are: headers and CPU would cost more than the bytes saved. */
  threshold?: number
  /** 4–5 is where brotli is about as fast as gzip -6 and still smaller; 11 is for build time. */
  brotliQuality?: number
}

const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml|[\w.+-]+\+(json|xml))|image\/svg\+xml)/i

/** Whether a body of this type gets smaller when compressed (event streams must flow, not buffer). */
export function isCompressible(contentType: string | null): boolean {
  return !!contentType && COMPRESSIBLE.test(contentType) && !/^text\/event-stream/i.test(contentType)
}

/** Adds Accept-Encoding to Vary without losing what a route put there. */
export function varyOnAcceptEncoding(headers: Headers): void {
  const vary = headers.get('Vary')
  if (!vary) headers.set('Vary', 'Accept-Encoding')
  else if (!/(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(vary)) headers.set('Vary', `${vary}, Accept-Encoding`)
}

export function compression(options: CompressionOptions = {}): MiddlewareHandler {
  const threshold = options.threshold ?? 1024
  const quality = options.brotliQuality ?? 4
  return async (c, next) => {
    // Hono merges the old response's headers into a new one; ours are complete, so start clean.
    const replace = (response: Response) => {
      c.res = undefined
      c.res = response
    }
    await next()
    const res = c.res
    // A 304 has no type to go by; it stands for a representation chosen by Accept-Encoding.
    if (res.status === 304) return varyOnAcceptEncoding(res.headers)
    if (!isCompressible(res.headers.get('Content-Type'))) return
    // Whatever the body, a cache must key this URL by Accept-Encoding (304s included).
    varyOnAcceptEncoding(res.headers)
    // Decided before touching res.body: reading it turns a finished string into a stream.
    const encoding = negotiateEncoding(c.req.header('Accept-Encoding'), ['br', 'gzip'])
    if (encoding === 'identity' || res.status === 204 || res.headers.has('Content-Encoding')) return
    if (/\bno-transform\b/i.test(res.headers.get('Cache-Control') ?? '')) return
    const declared = Number(res.headers.get('Content-Length') ?? NaN)
    if (declared < threshold || !res.body) return

    const body = new Uint8Array(await res.arrayBuffer())
    const headers = new Headers(res.headers)
    const keep = () => replace(new Response(body, { status: res.status, statusText: res.statusText, headers }))
    if (body.length < threshold) return keep()
    // Synchronous on purpose: JSON here is tens of KB (well under a millisecond at these
    // settings), and a thread-pool hop would cost more than the work.
    const encoded =
      encoding === 'br'
        ? brotliCompressSync(body, {
            params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
          })
        : gzipSync(body, { level: 6 })
    if (encoded.length >= body.length) return keep()

    headers.set('Content-Encoding', encoding)
    headers.set('Content-Length', String(encoded.length))
    const etag = headers.get('ETag')
    if (etag) {
      const tag = etagFor(etag, encoding)
      headers.set('ETag', tag)
      // The route compared If-None-Match with its identity tag; the encoded tag is checked here.
      const method = c.req.method
      if (
        (method === 'GET' || method === 'HEAD') &&
        res.status === 200 &&
        ifNoneMatchHits(c.req.header('If-None-Match'), tag)
      ) {
        headers.delete('Content-Length')
        headers.delete('Content-Encoding')
        return replace(new Response(null, { status: 304, headers }))
      }
    }
    replace(new Response(encoded, { status: res.status, statusText: res.statusText, headers }))
  }
}
