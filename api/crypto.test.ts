import { describe, expect, it } from 'vitest'
import { digestsEqual, randomToken, sealToken, sha256Hex, unsealToken } from './crypto'

describe('booking secrets', () => {
  it('makes manage tokens of 256 random bits, all different', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => randomToken()))
    expect(tokens.size).toBe(1000)
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('hashes with SHA-256 and compares digests', async () => {
    const a = await sha256Hex('abc')
    expect(a).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(digestsEqual(a, await sha256Hex('abc'))).toBe(true)
    expect(digestsEqual(a, await sha256Hex('abd'))).toBe(false)
  })

  it('unseals a token only with the same idempotency key', async () => {
    const sealed = await sealToken('the-token', 'key-123456')
    expect(sealed).not.toContain('the-token')
    expect(await sealToken('the-token', 'key-123456')).not.toBe(sealed) // random IV
    expect(await unsealToken(sealed, 'key-123456')).toBe('the-token')
    await expect(unsealToken(sealed, 'key-654321')).rejects.toThrow()
  })
})
