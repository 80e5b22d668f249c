/** A fetch that failed for a reason the owner can act on; the message is shown as the source's last error. */
export class FetchIcsError extends Error {
  override name = 'FetchIcsError'
}

export interface FetchIcsOptions {
  etag?: string | null
  lastModified?: string | null
  timeoutMs?: number
  maxBytes?: number
  fetch?: typeof fetch
}

export type FetchIcsResult =
  { changed: false } | { changed: true; text: string; etag: string | null; lastModified: string | null }

const FETCHABLE = new Set(['http:', 'https:'])

/**
 * GETs a calendar file, conditionally when a validator from the last read is given (304:
 * `changed: false`). Only http(s): a `file:` or `data:` address is refused before any
 * request, and redirects are followed by fetch only to http(s). The body is read up to
 * `maxBytes` (5 MB) and the whole exchange, body included, within `timeoutMs` (15 s).
 */
export async function fetchIcs(url: string, options: FetchIcsOptions = {}): Promise<FetchIcsResult> {
  let target: URL
  try {
    target = new URL(url)
  } catch {
    throw new FetchIcsError('The calendar address is not a valid URL.')
  }
  if (!FETCHABLE.has(target.protocol))
    throw new FetchIcsError(`Only http and https calendar addresses can be read, not ${target.protocol}.`)
  const timeoutMs = options.timeoutMs ?? 15_000
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024
  const headers: Record<string, string> = { accept: 'text/calendar, */*;q=0.5' }
  if (options.etag) headers['if-none-match'] = options.etag
  if (options.lastModified) headers['if-modified-since'] = options.lastModified
  const signal = AbortSignal.timeout(timeoutMs)
  try {
    const response = await (options.fetch ?? fetch)(target, { headers, signal, redirect: 'follow' })
    if (response.status === 304) return { changed: false }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {})
      throw new FetchIcsError(`The calendar host answered HTTP ${response.status}.`)
    }
    const text = await readLimited(response, maxBytes)
    return {
      changed: true,
      text,
      etag: response.headers.get('etag'),
      lastModified: response.headers.get('last-modified'),
    }
  } catch (error) {
    if (error instanceof FetchIcsError) throw error
    if (signal.aborted)
      throw new FetchIcsError(`The calendar host did not answer within ${Math.round(timeoutMs / 1000)} seconds.`)
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))
    throw new FetchIcsError(`Could not reach the calendar host (${reason}).`)
  }
}

async function readLimited(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'))
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {})
    throw tooLarge(maxBytes)
  }
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => {})
      throw tooLarge(maxBytes)
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    bytes.set(chunk, at)
    at += chunk.byteLength
  }
  return new TextDecoder().decode(bytes)
}

const tooLarge = (maxBytes: number) =>
  new FetchIcsError(`The calendar file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`)
