import { createApp, type CreateAppOptions } from '../api/app'
import type { ErrorBody } from '../shared/errors'

export interface CallOptions {
  body?: unknown
  session?: string
  token?: string
  headers?: Record<string, string>
}

export interface CallResult<T> {
  status: number
  headers: Headers
  body: T
  text: string
}

/** A Hono app built from the given parts, plus a JSON-speaking caller for tests. */
export function createTestApi(options: CreateAppOptions) {
  const app = createApp(options)
  async function call<T = unknown>(method: string, path: string, opts: CallOptions = {}): Promise<CallResult<T>> {
    const headers: Record<string, string> = { ...opts.headers }
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json'
    if (opts.session) headers['X-Booking-Session'] = opts.session
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`
    const res = await app.request(path, {
      method,
      headers,
      ...(opts.body !== undefined
        ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }
        : {}),
    })
    const text = await res.text()
    let body: unknown = undefined
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      body = undefined
    }
    return { status: res.status, headers: res.headers, body: body as T, text }
  }
  return { app, call }
}

export type ErrorResult = CallResult<ErrorBody>
