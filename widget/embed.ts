/*
 * The widget's entry module (dist/widget/assets/widget-<hash>.js), imported by the loader
 * (widget.js) with the script tag the site pasted: the only module that touches the host page
 * when it loads. It mounts every [data-booking-resource], [data-booking-pool] and
 * [data-booking-service] element, now and later, adds floating buttons for
 * [data-booking-button], and exposes window.Booking. Nothing here may throw into
 * the host page. The manage view, the popup, the details form, the card step and other
 * languages are chunks fetched when needed.
 */
import type { BookingGlobal } from './boot'
import { emit } from './events'
import { addFloatingButton } from './launcher'
import { findApiUrl, optionsFrom } from './host-options'
import { adoptPrefetched } from './prefetch'
import { mount, open } from './sdk'

const RESOURCE = 'data-booking-resource'
const POOL = 'data-booking-pool'
const SERVICE = 'data-booking-service'
const BUTTON = 'data-booking-button'

/** Called once by the loader (which keeps a second copy of the script from calling it); returns `window.Booking`. */
export function start(
  script: HTMLScriptElement | null,
  prefetched?: ReadonlyMap<string, Promise<Response>>,
): BookingGlobal | undefined {
  try {
    adoptPrefetched(prefetched)
    return startWidgets(script)
  } catch (error) {
    console.error('[booking] the widget could not start:', error)
    return undefined
  }
}

function startWidgets(script: HTMLScriptElement | null): BookingGlobal {
  const apiUrl = findApiUrl(script)
  const openPopup: BookingGlobal['open'] = (options) => {
    try {
      return open({ ...options, apiUrl: options?.apiUrl ?? apiUrl })
    } catch (error) {
      console.error('[booking]', error)
      return undefined
    }
  }
  const global: BookingGlobal = { mount, open: openPopup, version: __WIDGET_VERSION__ }
  window.Booking = global

  const buttons = new Set<string>()
  const attach = (el: Element) => {
    try {
      const options = optionsFrom(el, apiUrl)
      if (el.hasAttribute(RESOURCE)) mount(el, { ...options, resource: el.getAttribute(RESOURCE) ?? '' })
      else if (el.hasAttribute(POOL)) mount(el, { ...options, pool: el.getAttribute(POOL) ?? '' })
      else if (el.hasAttribute(SERVICE)) mount(el, { ...options, service: el.getAttribute(SERVICE) ?? '' })
      const floating = el.getAttribute(BUTTON)
      // One floating button per resource, however many elements ask for it.
      if (floating && !buttons.has(floating)) {
        buttons.add(floating)
        addFloatingButton(el.getAttribute('data-booking-label'), options, () =>
          openPopup({ ...options, resource: floating }),
        )
      }
    } catch (error) {
      emit(el, 'booking:error', {
        code: 'invalid_request',
        message: error instanceof Error ? error.message : String(error),
      })
    }
  }
  const selector = `[${RESOURCE}],[${POOL}],[${SERVICE}],[${BUTTON}]`
  const scan = (root: Element | Document) => {
    if (root instanceof Element && root.matches(selector)) attach(root)
    root.querySelectorAll(selector).forEach(attach)
  }

  // The script tag itself may carry data-booking-button: it is in the document, so it is found too.
  scan(document)
  // Hosts that render late (SPAs, the parser still running under `async`) add elements afterwards.
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') scan(record.target as Element)
      else record.addedNodes.forEach((node) => node instanceof Element && scan(node))
    }
  }).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: [RESOURCE, POOL, SERVICE, BUTTON],
  })
  return global
}
