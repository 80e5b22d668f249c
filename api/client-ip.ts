import type { Context, MiddlewareHandler } from 'hono'
import { getRuntimeKey } from 'hono/adapter'
import type { Logger } from './logger'

/*
 * Who is asking, for per-client limits. Behind a reverse proxy the socket address is the
 * proxy's; the client's is in X-Forwarded-For, which every hop appends to, so only its
 * right end (written by proxies we trust) is believed: anything further left is whatever
 * the client sent. Plain TypeScript rather than node:net, because the edge build runs this too.
 */

/** An address as bytes: 4 for IPv4, 16 for IPv6 (IPv4-mapped IPv6 is stored as IPv4). */
type Ip = number[]

export interface IpRange {
  /** Canonical text, e.g. `10.0.0.0/8`, `2001:db8::/32`. */
  text: string
  bytes: Ip
  prefix: number
}

/** TRUST_PROXY, parsed: which hops of X-Forwarded-For to believe. */
export type TrustProxy =
  /** Only the socket address counts; X-Forwarded-For is ignored. */
  | { kind: 'off' }
  /** That many proxies stand in front of us (the socket's peer is the nearest). */
  | { kind: 'hops'; hops: number }
  /** Hops whose address is in one of these ranges are proxies; the first other one is the client. */
  | { kind: 'proxies'; ranges: IpRange[] }

export const TRUST_NO_PROXY: TrustProxy = { kind: 'off' }

const MAX_HOPS = 32

/**
 * `TRUST_PROXY`: unset, `0`, `false` = off; `1`, `true` = one proxy; `n` = n proxies; a comma
 * list of IPs and CIDR ranges (v4 or v6) = the proxies' addresses. Throws on anything else,
 * so a typo stops start-up instead of silently trusting nothing (or everything).
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = (value ?? '').trim().toLowerCase()
  if (v === '' || v === '0' || v === 'false') return TRUST_NO_PROXY
  if (v === 'true') return { kind: 'hops', hops: 1 }
  if (/^\d+$/.test(v)) {
    const hops = Number(v)
    if (hops > MAX_HOPS) throw new Error(`expected at most ${MAX_HOPS} trusted hops, got ${hops}`)
    return { kind: 'hops', hops }
  }
  const items = v
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
  const ranges = items.map(parseRange)
  const bad = items.filter((_, i) => !ranges[i])
  if (items.length === 0 || bad.length > 0) {
    throw new Error(
      `expected 1/true, a number of trusted hops, or a comma list of proxy IP addresses or CIDR ranges${bad.length ? `; not an address or range: ${bad.join(', ')}` : ''}`,
    )
  }
  return { kind: 'proxies', ranges: ranges as IpRange[] }
}

/**
 * The client's address (canonical text), given the socket's peer and X-Forwarded-For.
 * Walks from the right: with n hops the client is the entry n places left of the peer;
 * with a proxy list, trusted hops are skipped and the first untrusted one is the client.
 * A malformed entry ends the walk at the last trusted hop (never an error: a proxy's
 * bucket is a worse place for a forger than their own). Undefined when nothing is known.
 */
export function resolveClientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trust: TrustProxy,
): string | undefined {
  const ip = resolve(peer, forwardedFor, trust)
  return ip && formatIp(ip)
}

function resolve(peer: string | undefined, forwardedFor: string | undefined, trust: TrustProxy): Ip | undefined {
  const peerIp = peer === undefined ? undefined : parseIp(peer)
  if (trust.kind === 'off') return peerIp
  const hops = fromRight(forwardedFor)
  let last = peerIp
  if (trust.kind === 'hops') {
    // The peer is the nearest trusted hop even when unknown (in-process requests have no socket).
    for (let i = 0; i < trust.hops; i++) {
      const next = hops.next()
      const ip = next.done ? undefined : parseForwardedEntry(next.value)
      if (!ip) break // a chain shorter than promised ends at its left-most hop
      last = ip
    }
    return last
  }
  while (last && trust.ranges.some((range) => inRange(last!, range))) {
    const next = hops.next()
    const ip = next.done ? undefined : parseForwardedEntry(next.value)
    if (!ip) break
    last = ip
  }
  return last
}

/**
 * The address that connected to us: the Node socket's; on Cloudflare Workers (no socket)
 * the CF-Connecting-IP header, which Cloudflare's edge sets on every request, replacing
 * any the client sent. A Node server never reads that header.
 */
export function peerAddress(c: Context): string | undefined {
  if (getRuntimeKey() === 'workerd') return c.req.header('cf-connecting-ip')
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
  return incoming?.socket?.remoteAddress
}

/** The client's address by TRUST_PROXY, or `unknown`. */
export function clientAddress(c: Context, trust: TrustProxy): string {
  return resolveClientAddress(peerAddress(c), c.req.header('x-forwarded-for'), trust) ?? 'unknown'
}

/**
 * The identity limits count against: an IPv4 address, or an IPv6 client's /64 (one
 * subscriber usually gets a whole /64, so per-address limits would not limit anyone).
 */
export function clientKey(c: Context, trust: TrustProxy): string {
  return keyOfAddress(clientAddress(c, trust))
}

/** `203.0.113.9` → itself; `::ffff:203.0.113.9` → `203.0.113.9`; `2001:db8:1:2::7` → `2001:db8:1:2::/64`. */
export function keyOfAddress(address: string | undefined): string {
  const ip = address === undefined ? undefined : parseIp(address)
  if (!ip) return 'unknown'
  if (ip.length === 4) return formatIp(ip)
  return `${formatIp([...ip.slice(0, 8), 0, 0, 0, 0, 0, 0, 0, 0])}/64`
}

/**
 * Says once, in the log, that requests arrive through a proxy while TRUST_PROXY is off:
 * every guest then shares the proxy's address, and with it one client's limits (a few
 * live holds for the whole site). On Workers the address comes from Cloudflare instead.
 */
export function warnOnUntrustedForwarding(trust: TrustProxy, logger: Logger): MiddlewareHandler {
  let warned = trust.kind !== 'off'
  return async (c, next) => {
    if (!warned && c.req.header('x-forwarded-for') !== undefined && getRuntimeKey() !== 'workerd') {
      warned = true
      logger.error(
        'requests carry X-Forwarded-For but TRUST_PROXY is not set: clients are told apart by the address that connects, so everyone behind that proxy shares one set of limits (HOLD_MAX_LIVE_PER_IP, HOLD_RATE_LIMIT, ADMIN_AUTH_FAILURE_LIMIT). Set TRUST_PROXY (see the README, Proxies).',
        { peer: peerAddress(c) ?? 'unknown' },
      )
    }
    await next()
  }
}

// ——— parsing and formatting ———

/** X-Forwarded-For's entries, right-most first, without splitting a long header whole. */
function* fromRight(header: string | undefined): Generator<string> {
  if (header === undefined) return
  let end = header.length
  for (;;) {
    const comma = end === 0 ? -1 : header.lastIndexOf(',', end - 1)
    yield header.slice(comma + 1, end)
    if (comma < 0) return
    end = comma
  }
}

/** An X-Forwarded-For entry: an address, optionally bracketed (IPv6) and/or with a port. */
function parseForwardedEntry(raw: string): Ip | undefined {
  const entry = raw.trim()
  if (entry.length > 100) return undefined
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(entry)
  if (bracketed) return parseIPv6(bracketed[1]!)
  const v4WithPort = /^([\d.]+):\d{1,5}$/.exec(entry)
  if (v4WithPort) return parseIPv4(v4WithPort[1]!)
  return parseIp(entry)
}

/** A bare IPv4 or IPv6 address (zone id dropped), IPv4-mapped IPv6 as IPv4; undefined if malformed. */
function parseIp(text: string): Ip | undefined {
  const t = text.trim()
  if (t.length > 100) return undefined
  const ip = parseIPv4(t) ?? parseIPv6(t)
  return ip && unmap(ip)
}

function parseIPv4(text: string): Ip | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  const bytes: Ip = []
  for (const part of parts) {
    // No leading zeros: some parsers read them as octal, so they are ambiguous.
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined
    bytes.push(Number(part))
  }
  return bytes
}

function parseIPv6(text: string): Ip | undefined {
  const zone = text.indexOf('%')
  const address = zone < 0 ? text : zone === text.length - 1 ? '' : text.slice(0, zone)
  const halves = address.split('::')
  if (halves.length > 2) return undefined
  const head = groups(halves[0]!, halves.length === 1)
  const tail = halves.length === 2 ? groups(halves[1]!, true) : []
  if (!head || !tail) return undefined
  const missing = 8 - head.length - tail.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  const words = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail]
  return words.flatMap((w) => [w >> 8, w & 255])
}

/** `a:b:c` → 16-bit words; the last group may be a dotted IPv4 (two words) when allowed. */
function groups(part: string, ipv4Last: boolean): number[] | undefined {
  if (part === '') return []
  const words: number[] = []
  const items = part.split(':')
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!
    if (ipv4Last && i === items.length - 1 && item.includes('.')) {
      const v4 = parseIPv4(item)
      if (!v4) return undefined
      words.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!)
    } else if (/^[0-9a-f]{1,4}$/i.test(item)) {
      words.push(parseInt(item, 16))
    } else {
      return undefined
    }
  }
  return words
}

const isMapped = (ip: Ip) =>
  ip.length === 16 && ip.slice(0, 10).every((b) => b === 0) && ip[10] === 255 && ip[11] === 255

/** `::ffff:a.b.c.d` is an IPv4 client seen through a dual-stack socket. */
function unmap(ip: Ip): Ip {
  return isMapped(ip) ? ip.slice(12) : ip
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a single address (a full-length prefix). */
function parseRange(text: string): IpRange | undefined {
  const slash = text.indexOf('/')
  const raw = slash < 0 ? text : text.slice(0, slash)
  const bytes = parseIPv4(raw) ?? parseIPv6(raw)
  if (!bytes) return undefined
  const bits = bytes.length * 8
  let prefix = bits
  if (slash >= 0) {
    const p = text.slice(slash + 1)
    if (!/^\d{1,3}$/.test(p) || Number(p) > bits) return undefined
    prefix = Number(p)
  }
  // Addresses are compared unmapped, so a range inside ::ffff:0:0/96 becomes an IPv4 one.
  const [b, pre] = isMapped(bytes) && prefix >= 96 ? [bytes.slice(12), prefix - 96] : [bytes, prefix]
  const masked = b.map((byte, i) => byte & maskByte(pre, i))
  return { text: `${formatIp(masked)}/${pre}`, bytes: masked, prefix: pre }
}

const maskByte = (prefix: number, index: number) => {
  const bits = Math.max(0, Math.min(8, prefix - index * 8))
  return (0xff << (8 - bits)) & 0xff
}

function inRange(ip: Ip, range: IpRange): boolean {
  if (ip.length !== range.bytes.length) return false
  return ip.every((byte, i) => (byte & maskByte(range.prefix, i)) === range.bytes[i])
}

/** Dotted IPv4, or RFC 5952 IPv6: lower case, no leading zeros, the longest zero run as `::`. */
function formatIp(ip: Ip): string {
  if (ip.length === 4) return ip.join('.')
  const words = Array.from({ length: 8 }, (_, i) => (ip[2 * i]! << 8) | ip[2 * i + 1]!)
  let best = { start: -1, length: 1 }
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && words[j] === 0) j++
    if (j - i > best.length) best = { start: i, length: j - i }
    i = j
  }
  const hex = (list: number[]) => list.map((w) => w.toString(16)).join(':')
  if (best.start < 0) return hex(words)
  return `${hex(words.slice(0, best.start))}::${hex(words.slice(best.start + best.length))}`
}
