import { isIP } from 'node:net'
import fc from 'fast-check'
import { Hono } from 'hono'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  clientAddress,
  clientKey,
  keyOfAddress,
  parseTrustProxy,
  resolveClientAddress,
  warnOnUntrustedForwarding,
  type TrustProxy,
} from './client-ip'

const trust = (value: string | undefined): TrustProxy => parseTrustProxy(value)

describe('parseTrustProxy', () => {
  it.each([undefined, '', '0', 'false', 'FALSE', ' false '])('%j is off', (value) => {
    expect(trust(value)).toEqual({ kind: 'off' })
  })

  it.each([
    ['1', 1],
    ['true', 1],
    ['True', 1],
    ['2', 2],
    [' 3 ', 3],
  ])('%j trusts %i hop(s)', (value, hops) => {
    expect(trust(value)).toEqual({ kind: 'hops', hops })
  })

  it('reads a comma list of proxy addresses and CIDR ranges, v4 and v6', () => {
    const parsed = trust('10.0.0.0/8, 192.168.1.10,2001:DB8::/32 , ::1, ::ffff:172.16.0.0/108')
    expect(parsed.kind).toBe('proxies')
    if (parsed.kind !== 'proxies') return
    expect(parsed.ranges.map((r) => r.text)).toEqual([
      '10.0.0.0/8',
      '192.168.1.10/32',
      '2001:db8::/32',
      '::1/128',
      '172.16.0.0/12',
    ])
  })

  it('ignores empty items of a list', () => {
    expect(trust('10.0.0.0/8,, ')).toMatchObject({ kind: 'proxies', ranges: [{ text: '10.0.0.0/8' }] })
  })

  it.each([
    'yes',
    '-1',
    '1.5',
    '10.0.0.0/33',
    '2001:db8::/129',
    '10.0.0',
    ',',
    'localhost',
    '10.0.0.0/',
    '10.0.0.0/8, cloudflare',
    '999',
  ])('refuses %j with a message naming the problem', (value) => {
    expect(() => trust(value)).toThrow(/TRUST_PROXY|hop|address|range/i)
  })
})

describe('resolveClientAddress', () => {
  const PROXY = '10.0.0.2'

  it('ignores X-Forwarded-For entirely when no proxy is trusted', () => {
    expect(resolveClientAddress('203.0.113.9', '1.1.1.1', trust(undefined))).toBe('203.0.113.9')
    expect(resolveClientAddress(undefined, '1.1.1.1', trust(undefined))).toBeUndefined()
  })

  it('with one hop takes the right-most entry (the one the proxy appended), never a spoofed left one', () => {
    const one = trust('1')
    expect(resolveClientAddress(PROXY, '203.0.113.9', one)).toBe('203.0.113.9')
    expect(resolveClientAddress(PROXY, '6.6.6.6, 7.7.7.7, 203.0.113.9', one)).toBe('203.0.113.9')
    expect(resolveClientAddress(PROXY, ' 6.6.6.6 ,203.0.113.9 ', one)).toBe('203.0.113.9')
    // No header: the request came straight to the proxy's address.
    expect(resolveClientAddress(PROXY, undefined, one)).toBe(PROXY)
    // No socket (in-process requests): the peer still counts as the hop.
    expect(resolveClientAddress(undefined, '6.6.6.6, 203.0.113.9', one)).toBe('203.0.113.9')
  })

  it('with n hops takes the entry n from the right; a short chain gives its left-most entry', () => {
    const two = trust('2')
    // client → CDN (appends client) → load balancer (appends CDN) → us
    expect(resolveClientAddress(PROXY, '6.6.6.6, 203.0.113.9, 198.51.100.1', two)).toBe('203.0.113.9')
    expect(resolveClientAddress(PROXY, '198.51.100.1', two)).toBe('198.51.100.1')
    expect(resolveClientAddress(PROXY, '5.5.5.5, 6.6.6.6, 203.0.113.9, 198.51.100.1, 198.51.100.2', trust('3'))).toBe(
      '203.0.113.9',
    )
  })

  it('with a proxy list skips trusted hops from the right and stops at the first untrusted one', () => {
    const list = trust('10.0.0.0/8, 2001:db8:ffff::/48')
    expect(resolveClientAddress(PROXY, '6.6.6.6, 203.0.113.9, 10.1.2.3', list)).toBe('203.0.113.9')
    expect(resolveClientAddress('2001:db8:ffff::7', '6.6.6.6, 2001:db8:1:2::99', list)).toBe('2001:db8:1:2::99')
    // A spoofed trusted-looking entry left of an untrusted one is never reached.
    expect(resolveClientAddress(PROXY, '10.9.9.9, 203.0.113.9', list)).toBe('203.0.113.9')
    // A peer that is not a listed proxy is the client, whatever it sends.
    expect(resolveClientAddress('203.0.113.50', '6.6.6.6', list)).toBe('203.0.113.50')
    // Every hop trusted: the left-most one is the best we know.
    expect(resolveClientAddress(PROXY, '10.3.3.3, 10.2.2.2', list)).toBe('10.3.3.3')
    // No socket: nothing is trusted.
    expect(resolveClientAddress(undefined, '203.0.113.9', list)).toBeUndefined()
  })

  it('matches IPv4 peers that Node reports as IPv4-mapped IPv6 against IPv4 ranges', () => {
    expect(resolveClientAddress('::ffff:10.0.0.2', '203.0.113.9', trust('10.0.0.0/8'))).toBe('203.0.113.9')
    expect(resolveClientAddress('::ffff:127.0.0.1', undefined, trust(undefined))).toBe('127.0.0.1')
  })

  it('falls back to the last trusted hop on a malformed entry, and never throws', () => {
    const one = trust('1')
    const list = trust('10.0.0.0/8')
    for (const garbage of [
      'unknown',
      '',
      ' ',
      'not-an-ip',
      '1.2.3',
      '256.1.1.1',
      '01.2.3.4',
      '1.2.3.4.5',
      '::g',
      '1:2:3:4:5:6:7:8:9',
      ':::',
      '[::1',
      '\u0000',
      'x'.repeat(10_000),
    ]) {
      expect(resolveClientAddress(PROXY, `203.0.113.9, ${garbage}`, one)).toBe(PROXY)
      expect(resolveClientAddress(PROXY, `203.0.113.9, ${garbage}`, list)).toBe(PROXY)
      expect(resolveClientAddress(PROXY, `${garbage}, 10.1.1.1`, list)).toBe('10.1.1.1')
      expect(() => resolveClientAddress(garbage, garbage, trust('2'))).not.toThrow()
    }
    expect(resolveClientAddress(PROXY, ',,,', one)).toBe(PROXY)
  })

  it('reads the address out of entries that carry a port or brackets', () => {
    const one = trust('1')
    expect(resolveClientAddress(PROXY, '203.0.113.9:51234', one)).toBe('203.0.113.9')
    expect(resolveClientAddress(PROXY, '[2001:db8::1]:443', one)).toBe('2001:db8::1')
    expect(resolveClientAddress(PROXY, '[2001:db8::1]', one)).toBe('2001:db8::1')
  })

  it('handles a very long header without walking all of it', () => {
    const long = `${Array.from({ length: 5000 }, (_, i) => `10.0.${i >> 8}.${i & 255}`).join(', ')}, 203.0.113.9`
    expect(resolveClientAddress(PROXY, long, trust('1'))).toBe('203.0.113.9')
  })
})

describe('address parsing against Node and WHATWG URL', () => {
  const off = trust(undefined)

  it('reads every IPv6 form and writes it canonically (RFC 5952, as URL does for non-mapped addresses)', () => {
    fc.assert(
      fc.property(fc.ipV6(), (address) => {
        const ours = resolveClientAddress(address, undefined, off)
        expect(ours).toBeDefined()
        const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1)
        // URL keeps ::ffff:… as IPv6; we key those as the IPv4 client they are.
        if (!canonical.startsWith('::ffff:') || canonical.split(':').length !== 4) expect(ours).toBe(canonical)
      }),
      { numRuns: 2000 },
    )
  })

  it('reads every IPv4 address and only what Node also calls an address', () => {
    fc.assert(
      fc.property(fc.ipV4(), (address) => {
        expect(resolveClientAddress(address, undefined, off)).toBe(address)
      }),
      { numRuns: 1000 },
    )
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.ipV4Extended(), fc.stringMatching(/^[0-9a-f:.]{0,45}$/)), (text) => {
        const ours = resolveClientAddress(text, undefined, off)
        if (ours !== undefined) expect(isIP(text.trim())).not.toBe(0)
      }),
      { numRuns: 5000 },
    )
  })

  it.each([
    '1::2::3',
    '1.2.3.4::',
    '1:2:3:4:5:6:7:8::',
    '::1:2:3:4:5:6:7:8',
    '12345::',
    '1:2:3:4:5:6:1.2.3.4:8',
    '::1.2.3',
    'fe80::1%',
  ])('refuses %j', (text) => {
    expect(resolveClientAddress(text, undefined, off)).toBeUndefined()
  })

  it.each([
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['1:0:0:2:0:0:3:4', '1::2:0:0:3:4'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['::1.2.3.4', '::102:304'],
  ])('%s is written %s', (text, written) => {
    expect(resolveClientAddress(text, undefined, off)).toBe(written)
  })
})

describe('keyOfAddress (the rate-limit identity)', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['::FFFF:cb00:7109', '203.0.113.9'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:0000:0000:0000:0001', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::ffff', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8::/64'],
    ['2001:db8:0:0:1::1', '2001:db8::/64'],
    ['2001:0:0:1::', '2001:0:0:1::/64'],
    ['fe80::1%eth0', 'fe80::/64'],
    ['fe80::abcd%25en0', 'fe80::/64'],
    ['::1', '::/64'],
    ['::', '::/64'],
    ['1::', '1::/64'],
    ['64:ff9b::203.0.113.9', '64:ff9b::/64'],
  ])('%s → %s', (address, key) => {
    expect(keyOfAddress(address)).toBe(key)
  })

  it('puts every address of one /64 in one bucket and neighbouring /64s in different ones', () => {
    expect(keyOfAddress('2001:db8:1:2::1')).toBe(keyOfAddress('2001:db8:1:2:ffff:ffff:ffff:ffff'))
    expect(keyOfAddress('2001:db8:1:2::1')).not.toBe(keyOfAddress('2001:db8:1:3::1'))
  })

  it('keeps anything it cannot parse as "unknown"', () => {
    expect(keyOfAddress(undefined)).toBe('unknown')
    expect(keyOfAddress('garbage')).toBe('unknown')
  })
})

describe('clientAddress and clientKey on a request', () => {
  afterEach(() => vi.unstubAllGlobals())

  function probe(trustProxy: TrustProxy) {
    const app = new Hono().get('/', (c) =>
      c.json({ address: clientAddress(c, trustProxy), key: clientKey(c, trustProxy) }),
    )
    return async (headers: Record<string, string>, remoteAddress?: string) => {
      const env = remoteAddress === undefined ? undefined : { incoming: { socket: { remoteAddress } } }
      return (await app.request('/', { headers }, env)).json() as Promise<{ address: string; key: string }>
    }
  }

  it('uses the Node socket address, ignoring X-Forwarded-For and CF-Connecting-IP when no proxy is trusted', async () => {
    const get = probe(trust(undefined))
    expect(await get({ 'X-Forwarded-For': '1.1.1.1', 'CF-Connecting-IP': '2.2.2.2' }, '203.0.113.9')).toEqual({
      address: '203.0.113.9',
      key: '203.0.113.9',
    })
    expect(await get({}, '2001:db8:1:2::55')).toEqual({ address: '2001:db8:1:2::55', key: '2001:db8:1:2::/64' })
    expect(await get({})).toEqual({ address: 'unknown', key: 'unknown' })
  })

  it('behind one proxy keys on the right-most X-Forwarded-For entry, by /64 for IPv6', async () => {
    const get = probe(trust('1'))
    expect(await get({ 'X-Forwarded-For': '6.6.6.6, 2001:db8:1:2:3:4:5:6' }, '::ffff:10.0.0.2')).toEqual({
      address: '2001:db8:1:2:3:4:5:6',
      key: '2001:db8:1:2::/64',
    })
  })

  it('on Cloudflare Workers the connecting address is CF-Connecting-IP (a Worker has no socket)', async () => {
    vi.stubGlobal('navigator', { userAgent: 'Cloudflare-Workers' })
    const get = probe(trust(undefined))
    expect(await get({ 'CF-Connecting-IP': '2001:db8:7:8::1', 'X-Forwarded-For': '1.1.1.1' })).toEqual({
      address: '2001:db8:7:8::1',
      key: '2001:db8:7:8::/64',
    })
    expect(await get({ 'CF-Connecting-IP': 'nonsense' })).toEqual({ address: 'unknown', key: 'unknown' })
  })
})

describe('warnOnUntrustedForwarding', () => {
  function app(trustProxy: TrustProxy) {
    const logged: string[] = []
    const hono = new Hono()
      .use(warnOnUntrustedForwarding(trustProxy, { info() {}, error: (message) => void logged.push(message) }))
      .get('/', (c) => c.text('ok'))
    return {
      logged,
      get: (headers: Record<string, string> = {}) =>
        hono.request('/', { headers }, { incoming: { socket: { remoteAddress: '127.0.0.1' } } }),
    }
  }

  it('logs once when requests come through a proxy TRUST_PROXY does not name', async () => {
    const { logged, get } = app(trust(undefined))
    await get()
    expect(logged).toEqual([])
    await get({ 'X-Forwarded-For': '203.0.113.9' })
    await get({ 'X-Forwarded-For': '203.0.113.10' })
    expect(logged).toHaveLength(1)
    expect(logged[0]).toMatch(/TRUST_PROXY/)
  })

  it('stays quiet when a proxy is trusted', async () => {
    const { logged, get } = app(trust('1'))
    await get({ 'X-Forwarded-For': '203.0.113.9' })
    expect(logged).toEqual([])
  })
})
