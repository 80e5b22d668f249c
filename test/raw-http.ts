import { request } from 'node:http'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** The bytes as they crossed the wire (still encoded). */
  wire: Buffer
  /** The bytes after undoing Content-Encoding. */
  decoded: Buffer
}

/** A GET with exactly the headers given (fetch would add Accept-Encoding and decode for us). */
export function rawGet(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => {
        const wire = Buffer.concat(chunks)
        const encoding = res.headers['content-encoding']
        const decoded =
          wire.length === 0
            ? wire
            : encoding === 'br'
              ? brotliDecompressSync(wire)
              : encoding === 'gzip'
                ? gunzipSync(wire)
                : wire
        resolve({ status: res.statusCode ?? 0, headers: res.headers, wire, decoded })
      })
    })
    req.on('error', reject)
    req.end()
  })
}
