/*
 * What the loaders (widget.js, manage.js) do, and all they carry: preload the hashed modules
 * of the current build in parallel, start each mounted widget's first availability request at
 * once, then import the entry and hand it the script tag and those requests. The loaders are
 * the only files cached briefly, so a new build reaches every site within minutes while the
 * modules they point at are cached for a year.
 */
import { availabilityUrl, firstMonthQuery, viewerZone } from './first-view'
import { findApiUrl, optionsFrom } from './host-options'
import { serviceAvailabilityUrl } from './service-target'
import type { MountHandle, MountOptions, mount } from './sdk'

/** `window.Booking`: what a host page may call. */
export interface BookingGlobal {
  mount: typeof mount
  open: (options: Omit<MountOptions, 'apiUrl'> & { apiUrl?: string }) => MountHandle | undefined
  version: string
}

declare global {
  interface Window {
    Booking?: BookingGlobal
  }
}

/** Written into each loader at build time from the module build's entries.json. */
export interface Boot {
  /** The entry module, relative to the loader's URL (`assets/widget-<hash>.js`). */
  file: string
  /** Chunks the entry imports statically: fetched together with it instead of one after another. */
  imports: string[]
  /** Whether to start the first availability request of each widget on the page. */
  prefetch: boolean
}

/** What every built entry module exports for its loader; the widget's returns the real `window.Booking`. */
export interface EntryModule {
  start(script: HTMLScriptElement | null, prefetched?: ReadonlyMap<string, Promise<Response>>): BookingGlobal | void
}

/** More widgets than this on one page load their own first month. */
const MAX_PREFETCHED = 4

export function boot(
  script: HTMLScriptElement | null,
  build: Boot,
  importModule: (url: string) => Promise<EntryModule> = (url) => import(/* @vite-ignore */ url),
): Promise<void> {
  try {
    // A second copy of the script (pasted twice, or two versions) leaves the first in charge.
    if (build.prefetch && window.Booking) return Promise.resolve()
    const base = script?.src || document.baseURI
    for (const file of build.imports) preload(new URL(file, base).href)
    const prefetched = build.prefetch ? prefetchFirstMonths(script) : undefined
    const loaded = importModule(new URL(build.file, base).href).then((entry) => entry.start(script, prefetched))
    if (build.prefetch) window.Booking = standIn(loaded)
    return loaded.then(
      () => undefined,
      (error: unknown) => console.error('[booking] the widget could not load:', error),
    )
  } catch (error) {
    // Nothing here may throw into the host page.
    console.error('[booking] the widget could not load:', error)
    return Promise.resolve()
  }
}

function preload(href: string): void {
  const link = document.createElement('link')
  link.rel = 'modulepreload'
  link.href = href
  document.head.append(link)
}

/** The first month of every widget already in the page, asked for now, by URL. */
export function prefetchFirstMonths(
  script: HTMLScriptElement | null,
  now = new Date(),
): Map<string, Promise<Response>> {
  const requests = new Map<string, Promise<Response>>()
  const apiUrl = findApiUrl(script)
  const elements = document.querySelectorAll('[data-booking-resource],[data-booking-pool],[data-booking-service]')
  for (const el of Array.from(elements).slice(0, MAX_PREFETCHED)) {
    try {
      // As the widget mounts it: a resource when the element names one, else the pool, else the service.
      const resource = el.getAttribute('data-booking-resource')
      const pool = el.getAttribute('data-booking-pool')
      const service = el.getAttribute('data-booking-service')
      if (!resource && !pool && !service) continue
      const options = optionsFrom(el, apiUrl)
      const query = firstMonthQuery(options.tz ?? viewerZone(), now)
      const url = resource
        ? availabilityUrl(options.apiUrl, resource, query)
        : pool
          ? availabilityUrl(options.apiUrl, pool, query, 'pools')
          : serviceAvailabilityUrl(options.apiUrl, service!, query)
      if (requests.has(url)) continue
      const response = fetch(url, { headers: { accept: 'application/json' } })
      // The widget asks again if this failed; the failure itself is nobody's to report.
      response.catch(() => undefined)
      requests.set(url, response)
    } catch {
      // A bad data-tz and the like: the widget itself reports it when it mounts.
    }
  }
  return requests
}

/**
 * `window.Booking` while the modules load, so a page may call it right after the script tag
 * as before: calls are passed on, in order, once the widget is there. Misuse that the real
 * functions would throw at once is reported on the console instead.
 */
function standIn(loaded: Promise<BookingGlobal | void>): BookingGlobal {
  const later = (handle: Promise<MountHandle | undefined>): MountHandle => {
    const report = (error: unknown) => console.error('[booking]', error)
    const caught = handle.catch(report)
    return {
      on: (type, listener) => void caught.then((real) => real?.on(type, listener)),
      off: (type, listener) => void caught.then((real) => real?.off(type, listener)),
      destroy: () => void caught.then((real) => real?.destroy()),
    }
  }
  const real = () => loaded.then((global) => global ?? Promise.reject(new Error('the widget did not start')))
  return {
    mount: (el, options) => later(real().then((global) => global.mount(el, options))),
    open: (options) => later(real().then((global) => global.open(options))),
    version: __WIDGET_VERSION__,
  }
}
