import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A local HTTP server in the shape of Resend's email API (`POST /emails`, Bearer key, JSON). */
export interface FakeEmailApi {
  url: string
  apiKey: string
  messages: {
    from: string
    to: string[]
    subject: string
    text: string
    html: string
    attachments?: { filename: string; content: string; content_type: string }[]
    idempotencyKey: string | undefined
  }[]
  close(): Promise<void>
}

export async function startFakeEmailApi(): Promise<FakeEmailApi> {
  const apiKey = `re_${randomBytes(12).toString('hex')}`
  const messages: FakeEmailApi['messages'] = []
  const sent = new Map<string, string>()
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify(body))
      }
      if (req.method !== 'POST' || req.url !== '/emails') return send(404, { name: 'not_found', message: 'Not found' })
      if (req.headers.authorization !== `Bearer ${apiKey}`)
        return send(401, { name: 'validation_error', message: 'API key is invalid' })
      const key = req.headers['idempotency-key'] as string | undefined
      if (key && sent.has(key)) return send(200, { id: sent.get(key) })
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as FakeEmailApi['messages'][number]
      const id = randomBytes(8).toString('hex')
      if (key) sent.set(key, id)
      messages.push({ ...body, idempotencyKey: key })
      send(200, { id })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiKey,
    messages,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
