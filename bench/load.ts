import autocannon from 'autocannon'

export interface LoadResult {
  requestsPerSec: number
  p50Ms: number
  p99Ms: number
  requests: number
  errors: number
  non2xx: number
}

export interface LoadOptions {
  url: string
  connections: number
  durationSec: number
  /** Picks each request's path, so a run does not hit one cached row over and over. */
  nextPath?: () => string
}

/** One autocannon run; latency percentiles in milliseconds. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSec,
    ...(options.nextPath
      ? {
          requests: [
            {
              setupRequest: (request) => {
                request.path = options.nextPath!()
                return request
              },
            },
          ],
        }
      : {}),
  })
  return {
    requestsPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }
}
