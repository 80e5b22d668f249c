import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../config'
import { checkWebhookUrl, systemResolver } from './url-guard'

const strict = { allowPrivate: false }
const dns = (answers: Record<string, string[]>) => ({
  allowPrivate: false,
  resolve: async (host: string) => {
    const found = answers[host]
    if (!found) throw new Error('ENOTFOUND')
    return found
  },
})

describe('webhook URL guard', () => {
  it.each([
    ['http://hooks.example.com/x', /must use https/],
    ['ftp://hooks.example.com/x', /must use https/],
    ['http://127.0.0.1:9000/x', /must use https/],
    ['https://127.0.0.1/x', /loopback address/],
    ['https://localhost/x', /this machine/],
    ['https://[::1]/x', /loopback address/],
    ['https://10.1.2.3/x', /private address/],
    ['https://172.20.0.1/x', /private address/],
    ['https://192.168.1.10/x', /private address/],
    ['https://169.254.169.254/latest/meta-data', /link-local address/],
    ['https://100.64.0.1/x', /CGNAT/],
    ['https://224.0.0.1/x', /multicast address/],
    ['https://0.0.0.0/x', /reserved address/],
    ['https://[fd00::1]/x', /private address/],
    ['https://[fe80::1]/x', /link-local address/],
    ['https://[::ffff:10.0.0.1]/x', /private address/],
    ['https://[::ffff:a9fe:a9fe]/x', /link-local address/],
    ['https://user:pw@hooks.example.com/x', /user name or password/],
    ['not a url', /absolute https/],
  ])('refuses %s', async (url, reason) => {
    const verdict = await checkWebhookUrl(url, strict)
    expect(verdict.ok).toBe(false)
    expect(!verdict.ok && verdict.reason).toMatch(reason)
  })

  it('accepts public literal addresses, and a name whose every address is public', async () => {
    expect((await checkWebhookUrl('https://93.184.216.34/x', strict)).ok).toBe(true)
    expect((await checkWebhookUrl('https://[2606:4700::1111]/x', strict)).ok).toBe(true)
    const options = dns({ 'hooks.example.com': ['93.184.216.34', '2606:4700::1111'] })
    expect((await checkWebhookUrl('https://hooks.example.com/in', options)).ok).toBe(true)
  })

  it('refuses a name when any of its addresses is private, or when it does not resolve', async () => {
    const options = dns({ 'sneaky.example.com': ['93.184.216.34', '10.0.0.5'] })
    const sneaky = await checkWebhookUrl('https://sneaky.example.com/in', options)
    expect(!sneaky.ok && sneaky.reason).toMatch(/private address \(sneaky\.example\.com is 10\.0\.0\.5\)/)
    const missing = await checkWebhookUrl('https://nowhere.example.com/in', options)
    expect(!missing.ok && missing.reason).toMatch(/could not be resolved/)
  })

  it('checks only literal addresses where DNS cannot be asked (edge runtimes)', async () => {
    expect((await checkWebhookUrl('https://hooks.example.com/in', strict)).ok).toBe(true)
    expect((await checkWebhookUrl('https://10.0.0.1/in', strict)).ok).toBe(false)
  })

  it('with private addresses allowed: http only to loopback, https anywhere', async () => {
    const open = { allowPrivate: true }
    expect((await checkWebhookUrl('http://127.0.0.1:8080/x', open)).ok).toBe(true)
    expect((await checkWebhookUrl('http://localhost:8080/x', open)).ok).toBe(true)
    expect((await checkWebhookUrl('http://[::1]:8080/x', open)).ok).toBe(true)
    expect((await checkWebhookUrl('https://10.0.0.1/x', open)).ok).toBe(true)
    expect((await checkWebhookUrl('http://10.0.0.1/x', open)).ok).toBe(false)
    expect((await checkWebhookUrl('http://hooks.example.com/x', open)).ok).toBe(false)
  })

  it('asks the system’s DNS on Node, and refuses a name that resolves to this machine', async () => {
    const resolve = systemResolver()
    expect(resolve).toBeDefined()
    const addresses = await resolve!('localhost')
    expect(addresses.some((a) => a === '127.0.0.1' || a === '::1')).toBe(true)
    const verdict = await checkWebhookUrl('https://localhost.', { allowPrivate: false, resolve })
    expect(verdict.ok).toBe(false)
  })

  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['0', false],
    ['true', true],
    ['1', true],
  ])('WEBHOOK_ALLOW_PRIVATE=%s allows private addresses: %s', (value, allowed) => {
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE: value }).webhookAllowPrivate).toBe(allowed)
  })

  it('refuses a WEBHOOK_ALLOW_PRIVATE that is not a boolean', () => {
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'yes please' })).toThrow(ConfigError)
  })
})
