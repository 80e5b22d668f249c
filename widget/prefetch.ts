/*
 * Answers the loader started before the widget's modules arrived, by URL. Each is taken at
 * most once (a Response body reads once); the widget's client looks here before fetching.
 */
const early = new Map<string, Promise<Response>>()

/** Hands over the loader's requests (called once the widget's modules have loaded). */
export function adoptPrefetched(requests: ReadonlyMap<string, Promise<Response>> | undefined): void {
  requests?.forEach((response, url) => early.set(url, response))
}

/** The early answer for `url`, if the loader asked for exactly this and nobody took it yet. */
export function takePrefetched(url: string): Promise<Response> | undefined {
  const response = early.get(url)
  early.delete(url)
  return response
}
