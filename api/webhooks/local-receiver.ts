import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

/*
 * A webhook receiver on 127.0.0.1 for the tests: records every request as it arrived (raw
 * body and headers) and answers with the status the test scripts, after an optional delay.
 */

export interface ReceivedRequest {
  body: string
  headers: IncomingHttpHeaders
  /** The status this request was answered with. */
  status: number
}

export interface LocalReceiver {
  url: string
  received: ReceivedRequest[]
  /** Statuses for the next requests, in order; then `fallback` (200 unless set). */
  respond(statuses: number[], fallback?: number): void
  /** Milliseconds to wait before answering. */
  delayMs: number
  close(): Promise<void>
}

export async function startLocalReceiver(): Promise<LocalReceiver> {
  let queue: number[] = []
  let fallback = 200
  const receiver: LocalReceiver = {
    url: '',
    received: [],
    delayMs: 0,
    respond(statuses, otherwise = 200) {
      queue = [...statuses]
      fallback = otherwise
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const status = queue.shift() ?? fallback
      receiver.received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers, status })
      setTimeout(() => res.writeHead(status, { 'Content-Type': 'text/plain' }).end('ok'), receiver.delayMs)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`
  return receiver
}
