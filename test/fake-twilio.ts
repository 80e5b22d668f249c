import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A local HTTP server in the shape of Twilio's Messages API, recording what it is sent. */
export interface FakeTwilio {
  url: string
  accountSid: string
  authToken: string
  messages: { to: string; from: string; body: string; authorization: string | undefined }[]
  /** The next `count` requests answer 503, as Twilio does when it is having trouble. */
  failNext(count: number): void
  close(): Promise<void>
}

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const accountSid = `AC${randomBytes(16).toString('hex')}`
  const authToken = randomBytes(16).toString('hex')
  const messages: FakeTwilio['messages'] = []
  let failures = 0
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify(body))
      }
      if (req.method !== 'POST' || req.url !== `/2010-04-01/Accounts/${accountSid}/Messages.json`) {
        return send(404, { code: 20404, message: 'The requested resource was not found', status: 404 })
      }
      const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`
      if (req.headers.authorization !== expected)
        return send(401, { code: 20003, message: 'Authenticate', status: 401 })
      if (failures > 0) {
        failures--
        return send(503, { code: 20503, message: 'Service unavailable', status: 503 })
      }
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
      const to = form.get('To') ?? ''
      if (!/^\+[1-9]\d{6,14}$/.test(to))
        return send(400, { code: 21211, message: `The 'To' number ${to} is not a valid phone number.`, status: 400 })
      messages.push({
        to,
        from: form.get('From') ?? '',
        body: form.get('Body') ?? '',
        authorization: req.headers.authorization,
      })
      send(201, { sid: `SM${randomBytes(16).toString('hex')}`, status: 'queued', to, body: form.get('Body') })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accountSid,
    authToken,
    messages,
    failNext(count) {
      failures = count
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
