import type { AddressInfo } from 'node:net'
import { connect, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { HTTP_LIMITS, startHttpServer, type HttpLimits } from './http-server'

/*
 * A real listener and raw sockets: slow clients are cut off by the server's own clocks,
 * which only a real connection exercises.
 */

const running: { close(callback?: (error?: Error) => void): unknown; closeAllConnections?(): void }[] = []
afterEach(async () => {
  for (const server of running.splice(0)) {
    server.closeAllConnections?.()
    await new Promise((resolve) => server.close(() => resolve(undefined)))
  }
})

/** A server that echoes the request body (after `?wait=<ms>`), with test-sized limits. */
async function listen(limits: Partial<HttpLimits>): Promise<number> {
  return (await listening(limits)).port
}

async function listening(
  limits: Partial<HttpLimits>,
): Promise<{ port: number; server: ReturnType<typeof startHttpServer> }> {
  return new Promise((resolve) => {
    const server = startHttpServer(
      {
        fetch: async (request) => {
          const wait = Number(new URL(request.url).searchParams.get('wait') ?? 0)
          if (wait > 0) await new Promise((done) => setTimeout(done, wait))
          return new Response(
            `got ${(await request.text()).length} bytes, ${[...request.headers.keys()].length} headers`,
          )
        },
        port: 0,
        hostname: '127.0.0.1',
        limits: { connectionsCheckingIntervalMs: 100, ...limits },
      },
      (info: AddressInfo) => resolve({ port: info.port, server }),
    )
    running.push(server as never)
  })
}

interface Client {
  socket: Socket
  /** Everything the server sent so far. */
  received(): string
  /** Resolves with the milliseconds from `open` until the server closed the connection. */
  closed: Promise<number>
}

async function open(port: number): Promise<Client> {
  const started = performance.now()
  const socket = connect(port, '127.0.0.1')
  let data = ''
  socket.on('data', (chunk) => (data += chunk.toString()))
  const closed = new Promise<number>((resolve) => {
    socket.on('close', () => resolve(performance.now() - started))
    socket.on('error', () => {}) // a reset is a close too
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  return { socket, received: () => data, closed }
}

/** Writes `text` one byte every `everyMs` until the socket closes; returns the bytes written. */
function trickle(socket: Socket, text: string, everyMs: number): { stop(): void; sent(): number } {
  let sent = 0
  const timer = setInterval(() => {
    if (socket.destroyed || sent >= text.length) return clearInterval(timer)
    socket.write(text[sent++]!)
  }, everyMs)
  return { stop: () => clearInterval(timer), sent: () => sent }
}

describe('the Node listener', () => {
  it('has production limits: headers in 10 s, the whole request in 30 s, keep-alive ~5 s, a connection cap', () => {
    expect(HTTP_LIMITS).toMatchObject({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 1000,
    })
    expect(HTTP_LIMITS.maxHeadersCount).toBeGreaterThan(0)
    expect(HTTP_LIMITS.maxHeadersCount).toBeLessThanOrEqual(200)
    expect(HTTP_LIMITS.maxHeaderBytes).toBeLessThanOrEqual(16_384)
    expect(HTTP_LIMITS.connectionsCheckingIntervalMs).toBeLessThanOrEqual(1_000)
  })

  it('answers a normal request', async () => {
    const port = await listen({ headersTimeoutMs: 1_000, requestTimeoutMs: 1_500 })
    const res = await fetch(`http://127.0.0.1:${port}/echo`, { method: 'POST', body: 'hello' })
    expect(res.status).toBe(200)
    expect(await res.text()).toMatch(/^got 5 bytes/)
  })

  it('cuts off a client that sends its headers and then trickles the body, shortly after the request timeout', async () => {
    const port = await listen({ headersTimeoutMs: 1_000, requestTimeoutMs: 1_500 })
    const client = await open(port)
    client.socket.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n')
    const body = trickle(client.socket, 'x'.repeat(100), 200)
    const closedAfter = await client.closed
    body.stop()
    // Still sending when cut: the body would have taken 20 s.
    expect(body.sent()).toBeLessThan(100)
    expect(closedAfter).toBeGreaterThanOrEqual(1_400)
    expect(closedAfter).toBeLessThan(3_500)
    expect(client.received()).not.toContain('got 100 bytes')
    if (client.received()) expect(client.received()).toMatch(/^HTTP\/1\.1 408/)
  })

  it('cuts off a client that trickles its headers, after the headers timeout', async () => {
    const port = await listen({ headersTimeoutMs: 1_000, requestTimeoutMs: 5_000 })
    const client = await open(port)
    const headers = trickle(client.socket, `GET /echo HTTP/1.1\r\nHost: x\r\nX-Slow: ${'y'.repeat(200)}\r\n\r\n`, 200)
    const closedAfter = await client.closed
    headers.stop()
    expect(closedAfter).toBeGreaterThanOrEqual(900)
    expect(closedAfter).toBeLessThan(3_000)
    expect(client.received()).toMatch(/^HTTP\/1\.1 408/)
  })

  it('holds at most maxConnections connections: the next one is closed at once, and a freed place is taken again', async () => {
    const port = await listen({ maxConnections: 2 })
    const first = await open(port)
    const second = await open(port)
    const third = await open(port)
    const thirdClosedAfter = await third.closed
    expect(thirdClosedAfter).toBeLessThan(1_000)
    expect(third.received()).toBe('')
    // The two held connections still work.
    first.socket.write('GET /echo HTTP/1.1\r\nHost: x\r\n\r\n')
    await expect.poll(() => first.received()).toMatch(/^HTTP\/1\.1 200[\s\S]*got 0 bytes/)
    second.socket.destroy()
    await second.closed
    await expect
      .poll(
        async () =>
          await fetch(`http://127.0.0.1:${port}/echo`).then(
            (res) => res.text(),
            () => 'refused',
          ),
      )
      .toMatch(/^got 0 bytes/)
    first.socket.destroy()
  })

  it('closes a kept-alive connection left idle for keepAliveTimeout', async () => {
    const port = await listen({ keepAliveTimeoutMs: 500 })
    const client = await open(port)
    client.socket.write('GET /echo HTTP/1.1\r\nHost: x\r\n\r\n')
    await expect.poll(() => client.received()).toMatch(/^HTTP\/1\.1 200[\s\S]*got 0 bytes/)
    const answeredAt = performance.now()
    await client.closed
    const idleMs = performance.now() - answeredAt
    expect(idleMs).toBeGreaterThanOrEqual(300)
    expect(idleMs).toBeLessThan(4_000)
  })

  it('once closing, ends a kept-alive connection with its response instead of idling out keepAliveTimeout', async () => {
    const { port, server } = await listening({ keepAliveTimeoutMs: 5_000 })
    const client = await open(port)
    client.socket.write('GET /echo?wait=300 HTTP/1.1\r\nHost: x\r\n\r\n')
    await new Promise((resolve) => setTimeout(resolve, 100))
    const closing = performance.now()
    const closed = new Promise((resolve) => server.close(resolve))
    await client.closed
    expect(client.received()).toMatch(/^HTTP\/1\.1 200[\s\S]*got 0 bytes/)
    await closed
    expect(performance.now() - closing).toBeLessThan(2_000)
  })

  it('answers 431 to headers larger than maxHeaderBytes, and closes', async () => {
    const port = await listen({ maxHeaderBytes: 4_096 })
    const client = await open(port)
    client.socket.write(`GET /echo HTTP/1.1\r\nHost: x\r\nX-Big: ${'z'.repeat(8_000)}\r\n\r\n`)
    await client.closed
    expect(client.received()).toMatch(/^HTTP\/1\.1 431/)
  })
})
