/**
 * Which URLs a webhook may be sent to. An owner types the URL, but the server makes the
 * request: without this check an endpoint could point at the server's own network (a cloud
 * metadata service, a database admin page) and read it through delivery errors. Checked
 * when the endpoint is saved and again before every delivery, because DNS may change.
 */

export interface UrlGuardOptions {
  /** WEBHOOK_ALLOW_PRIVATE: private, loopback and link-local addresses allowed, and http:// to loopback. */
  allowPrivate: boolean
  /**
   * Every address a host name resolves to; undefined where DNS cannot be asked (edge
   * runtimes), and then only hosts written as IP addresses are checked.
   */
  resolve?: ((host: string) => Promise<string[]>) | undefined
}

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string }

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.'])

export async function checkWebhookUrl(raw: string, options: UrlGuardOptions): Promise<UrlVerdict> {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return { ok: false, reason: 'must be an absolute https:// URL' }
  }
  if (url.username || url.password) return { ok: false, reason: 'must not contain a user name or password' }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  const literal = parseIp(host)
  const namedLoopback = LOOPBACK_NAMES.has(host) || host.endsWith('.localhost')
  if (url.protocol === 'http:') {
    const loopback = namedLoopback || (literal !== undefined && rangeOf(literal) === 'loopback')
    if (!loopback || !options.allowPrivate)
      return {
        ok: false,
        reason: 'must use https:// (http:// only to this machine, when private addresses are allowed)',
      }
  } else if (url.protocol !== 'https:') {
    return { ok: false, reason: 'must use https://' }
  }
  if (options.allowPrivate) return { ok: true, url }
  if (namedLoopback) return { ok: false, reason: 'must not point at this machine (localhost)' }

  let addresses: string[]
  if (literal !== undefined) addresses = [host]
  else if (options.resolve) {
    try {
      addresses = await options.resolve(host)
    } catch {
      return { ok: false, reason: `the host ${host} could not be resolved` }
    }
    if (addresses.length === 0) return { ok: false, reason: `the host ${host} could not be resolved` }
  } else addresses = []
  for (const address of addresses) {
    const parsed = parseIp(address)
    const range = parsed === undefined ? 'invalid' : rangeOf(parsed)
    if (range !== 'public') return { ok: false, reason: `must not point at a ${range} address (${host} is ${address})` }
  }
  return { ok: true, url }
}

/**
 * DNS on Node; undefined where node:dns is not available (edge runtimes, Node before 20.16).
 * Reached through process.getBuiltinModule rather than an import, so the edge bundle (which
 * refuses Node built-ins workerd lacks, and dynamic imports) never sees node:dns.
 */
export function systemResolver(): UrlGuardOptions['resolve'] {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    ?.getBuiltinModule
  let dns: typeof import('node:dns') | undefined
  try {
    dns = getBuiltin?.('node:dns') as typeof import('node:dns') | undefined
  } catch {
    dns = undefined
  }
  const lookup = dns?.promises?.lookup
  if (!lookup) return undefined
  return async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address)
}

type Ip = { v: 4; n: number } | { v: 6; words: number[] }

/** Dotted IPv4 (four decimal parts only) or any IPv6 text form; undefined otherwise. */
export function parseIp(text: string): Ip | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text)
  if (v4) {
    const parts = v4.slice(1).map(Number)
    if (parts.some((p) => p > 255)) return undefined
    return { v: 4, n: ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0 }
  }
  if (!text.includes(':')) return undefined
  const zoneless = text.split('%')[0]!
  // An embedded IPv4 tail (::ffff:10.0.0.1) becomes two 16-bit words.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(zoneless)
  let body = zoneless
  if (tail) {
    const ip4 = parseIp(tail[1]!)
    if (!ip4 || ip4.v !== 4) return undefined
    body = `${zoneless.slice(0, -tail[1]!.length)}${(ip4.n >>> 16).toString(16)}:${(ip4.n & 0xffff).toString(16)}`
  }
  const halves = body.split('::')
  if (halves.length > 2) return undefined
  const words = (s: string) => (s === '' ? [] : s.split(':'))
  const head = words(halves[0]!)
  const rest = halves.length === 2 ? words(halves[1]!) : []
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0
  if (fill < 0 || (halves.length === 1 && head.length !== 8)) return undefined
  const all = [...head, ...Array<string>(fill).fill('0'), ...rest]
  if (all.length !== 8 || all.some((w) => !/^[0-9a-f]{1,4}$/i.test(w))) return undefined
  return { v: 6, words: all.map((w) => parseInt(w, 16)) }
}

type Range = 'public' | 'private' | 'loopback' | 'link-local' | 'shared (CGNAT)' | 'multicast' | 'reserved'

const V4_RANGES: [string, number, Range][] = [
  ['0.0.0.0', 8, 'reserved'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (CGNAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
]

export function rangeOf(ip: Ip): Range {
  if (ip.v === 4) {
    for (const [base, bits, range] of V4_RANGES) {
      const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0
      if ((ip.n & mask) >>> 0 === ((parseIp(base) as { n: number }).n & mask) >>> 0) return range
    }
    return 'public'
  }
  const w = ip.words
  const zeroHead = w.slice(0, 5).every((x) => x === 0)
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses are their IPv4 address.
  if (zeroHead && (w[5] === 0xffff || (w[5] === 0 && (w[6] !== 0 || w[7]! > 1))))
    return rangeOf({ v: 4, n: ((w[6]! << 16) | w[7]!) >>> 0 })
  if (w.slice(0, 7).every((x) => x === 0)) return w[7] === 1 ? 'loopback' : 'reserved'
  // NAT64 (64:ff9b::/96) wraps an IPv4 address too.
  if (w[0] === 0x64 && w[1] === 0xff9b && w.slice(2, 6).every((x) => x === 0))
    return rangeOf({ v: 4, n: ((w[6]! << 16) | w[7]!) >>> 0 })
  if ((w[0]! & 0xfe00) === 0xfc00) return 'private' // unique local fc00::/7
  if ((w[0]! & 0xffc0) === 0xfe80) return 'link-local'
  if ((w[0]! & 0xff00) === 0xff00) return 'multicast'
  return 'public'
}
