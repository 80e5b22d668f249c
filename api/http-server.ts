import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'

/**
 * The Node HTTP listener with bounds a slow or greedy client cannot stretch: a request's
 * headers and then its whole body must arrive in time, idle keep-alive connections close,
 * and one process holds a bounded number of connections. Without these a few sockets that
 * trickle a byte at a time hold memory and file descriptors for minutes.
 */
export interface HttpLimits {
  /** The request line and headers must arrive within this (408 and closed otherwise). */
  headersTimeoutMs: number
  /** Headers and body together; at least `headersTimeoutMs`. */
  requestTimeoutMs: number
  /** An idle kept-alive connection is closed after this. */
  keepAliveTimeoutMs: number
  /** Header lines kept per request (Node's own default is 2000). */
  maxHeadersCount: number
  /** Request line and headers together, in bytes; more is answered 431 and closed. */
  maxHeaderBytes: number
  /** Connections this process holds at once; further ones are closed on arrival. */
  maxConnections: number
  /**
   * How often Node looks for requests past their timeouts (its default, 30 s, would let a
   * 10 s limit run to 40 s).
   */
  connectionsCheckingIntervalMs: number
}

/** Production limits; tests pass small ones. */
export const HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxHeadersCount: 100,
  maxHeaderBytes: 16_384,
  maxConnections: 1_000,
  connectionsCheckingIntervalMs: 1_000,
}

export interface HttpServerOptions {
  /** Called as @hono/node-server calls it: the request, then the Node bindings (for the peer address). */
  fetch: Parameters<typeof serve>[0]['fetch']
  port: number
  hostname?: string | undefined
  limits?: Partial<HttpLimits>
}

/** Listens with `limits` (production ones by default); `onListening` gets the bound address. */
export function startHttpServer(options: HttpServerOptions, onListening?: (info: AddressInfo) => void): Server {
  const limits = { ...HTTP_LIMITS, ...options.limits }
  const server = serve(
    {
      fetch: options.fetch,
      port: options.port,
      ...(options.hostname ? { hostname: options.hostname } : {}),
      createServer,
      // Fixed at construction: Node starts its timeout sweep with these.
      serverOptions: {
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        connectionsCheckingInterval: limits.connectionsCheckingIntervalMs,
        keepAliveTimeout: limits.keepAliveTimeoutMs,
        maxHeaderSize: limits.maxHeaderBytes,
      },
    },
    onListening,
  ) as Server
  server.keepAliveTimeout = limits.keepAliveTimeoutMs
  server.maxHeadersCount = limits.maxHeadersCount
  server.maxConnections = limits.maxConnections
  // Once close() is called, a kept-alive connection ends with its last response instead of
  // idling out keepAliveTimeout: shutdown waits for work, not for quiet sockets.
  server.on('request', (_request, response) => {
    response.once('finish', () => {
      if (!server.listening) setImmediate(() => server.closeIdleConnections())
    })
  })
  return server
}
