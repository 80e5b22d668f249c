import { describe, expect, it } from 'vitest'
import { webhookSignature } from '../api/webhooks/sign'
import { verifyWebhook, WebhookVerificationError } from './verify-webhook'

const SECRET = 'whsec_test_secret'
const NOW = Date.parse('2026-03-20T12:00:00Z')
const t = NOW / 1000
const body = JSON.stringify({ id: 'evt_1', type: 'ping', created: t, sequence: 7, data: { endpointId: 'e' } })
const header = async (at = t, text = body, secret = SECRET) => `t=${at},v1=${await webhookSignature(secret, at, text)}`

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(WebhookVerificationError)
  return (error as WebhookVerificationError).code
}

describe('verifyWebhook', () => {
  it('returns the event when the signature matches the body and the time is near', async () => {
    await expect(verifyWebhook(body, await header(), SECRET, { now: NOW })).resolves.toEqual(JSON.parse(body))
    await expect(verifyWebhook(body, await header(t - 299), SECRET, { now: NOW })).resolves.toMatchObject({
      sequence: 7,
    })
  })

  it('accepts any one of several v1 signatures (a secret being rotated)', async () => {
    const other = (await header(t, body, 'whsec_old')).split(',')[1]
    await expect(verifyWebhook(body, `${await header()},${other}`, SECRET, { now: NOW })).resolves.toBeTruthy()
    await expect(
      verifyWebhook(body, `t=${t},${other},${(await header()).split(',')[1]}`, SECRET, { now: NOW }),
    ).resolves.toBeTruthy()
  })

  it.each([
    ['no header', undefined, 'missing_signature'],
    ['an empty header', '', 'missing_signature'],
    ['no v1', `t=${t}`, 'missing_signature'],
    ['no t', 'v1=' + 'a'.repeat(64), 'missing_signature'],
  ])('refuses %s', async (_label, given, code) => {
    expect(await refusal(verifyWebhook(body, given, SECRET, { now: NOW }))).toBe(code)
  })

  it('refuses a changed body, another secret and a stale or future time', async () => {
    const signed = await header()
    expect(await refusal(verifyWebhook(body.replace('7', '8'), signed, SECRET, { now: NOW }))).toBe('invalid_signature')
    expect(await refusal(verifyWebhook(body, signed, 'whsec_other', { now: NOW }))).toBe('invalid_signature')
    // The time is signed too: moving t breaks the signature.
    expect(await refusal(verifyWebhook(body, signed.replace(`t=${t}`, `t=${t + 1}`), SECRET, { now: NOW }))).toBe(
      'invalid_signature',
    )
    expect(await refusal(verifyWebhook(body, await header(t - 301), SECRET, { now: NOW }))).toBe(
      'timestamp_out_of_range',
    )
    expect(await refusal(verifyWebhook(body, await header(t + 400), SECRET, { now: NOW }))).toBe(
      'timestamp_out_of_range',
    )
    await expect(
      verifyWebhook(body, await header(t - 900), SECRET, { now: NOW, toleranceSec: 1000 }),
    ).resolves.toBeTruthy()
  })

  it('throws at once on misuse: a parsed body or no secret', async () => {
    await expect(verifyWebhook(JSON.parse(body) as string, await header(), SECRET)).rejects.toThrow(
      /expected the raw body as a string, received object/,
    )
    await expect(verifyWebhook(body, await header(), '')).rejects.toThrow(/expected the endpoint secret/)
  })
})
