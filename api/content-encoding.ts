/**
 * Content-coding negotiation (RFC 9110 §12.5.3) and per-encoding entity tags. Pure, so the
 * edge build can use it too: the asset routes pick a precompressed variant with it, and the
 * Node compression middleware picks what to make.
 */
export type Encoding = 'br' | 'gzip' | 'identity'

/** Preference when a client weighs several codings equally: brotli is the smaller. */
const PREFERENCE: readonly Encoding[] = ['br', 'gzip', 'identity']

/**
 * The coding to send, among `available` compressed variants (identity is always possible).
 * No header means identity: RFC 9110 allows any coding then, but old clients send none.
 */
export function negotiateEncoding(
  header: string | undefined,
  available: readonly Exclude<Encoding, 'identity'>[],
): Encoding {
  if (!header) return 'identity'
  const weights = new Map<string, number>()
  for (const part of header.split(',')) {
    const [rawName, ...params] = part.trim().split(';')
    const name = rawName!.trim().toLowerCase()
    if (!name) continue
    let q = 1
    for (const param of params) {
      const [key, value] = param.trim().split('=')
      // Anything but a number in 0..1 reads as "not acceptable".
      if (key?.trim().toLowerCase() === 'q')
        q = /^\s*(0(\.\d{0,3})?|1(\.0{0,3})?)\s*$/.test(value ?? '') ? Number(value) : 0
    }
    weights.set(name === 'x-gzip' ? 'gzip' : name, q)
  }
  const star = weights.get('*')
  // Identity not named is the fallback, below any coding the client accepts at all.
  const weightOf = (coding: Encoding): number =>
    weights.get(coding) ?? (coding === 'identity' ? (star === 0 ? 0 : Number.MIN_VALUE) : (star ?? 0))
  let best: Encoding = 'identity'
  let bestWeight = -1
  for (const coding of PREFERENCE) {
    if (coding !== 'identity' && !available.includes(coding)) continue
    const weight = weightOf(coding)
    if (weight > 0 && weight > bestWeight) {
      best = coding
      bestWeight = weight
    }
  }
  // Nothing acceptable (identity;q=0 too): identity anyway, rather than a 406 nobody handles.
  return best
}

/**
 * Each encoding of a resource is its own representation, so a strong tag gets a suffix per
 * coding (a cache revalidating its brotli copy sends back the brotli tag). Weak tags already
 * mean "equivalent", whatever the bytes.
 */
export function etagFor(etag: string, encoding: Encoding): string {
  if (encoding === 'identity' || etag.startsWith('W/') || !etag.endsWith('"')) return etag
  return `${etag.slice(0, -1)}-${encoding === 'br' ? 'br' : 'gz'}"`
}

/** If-None-Match uses the weak comparison: `W/"x"` matches `"x"`. */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '')
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag))
}
