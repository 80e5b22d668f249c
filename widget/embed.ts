/*
 * The classic-script entry (dist/widget/widget.js): the only module that touches the host
 * page when it loads. It mounts every [data-booking-resource] element, now and later, and
 * exposes window.Booking. Nothing here may throw into the host page.
 */
import { emit } from './events'
import { mount } from './sdk'

interface BookingGlobal {
  mount: typeof mount
  version: string
}

declare global {
  interface Window {
    Booking?: BookingGlobal
  }
}

const ATTRIBUTE = 'data-booking-resource'

// Set only while this script first runs (async included); gone in any later callback.
const script = document.currentScript as HTMLScriptElement | null

// A second copy of the script (pasted twice, or two versions) leaves the first in charge.
if (!window.Booking) {
  try {
    start()
  } catch (error) {
    console.error('[booking] the widget could not start:', error)
  }
}

function start(): void {
  const apiUrl = findApiUrl()
  window.Booking = { mount, version: __WIDGET_VERSION__ }

  const mountHost = (el: Element) => {
    try {
      mount(el, { resource: el.getAttribute(ATTRIBUTE) ?? '', apiUrl })
    } catch (error) {
      emit(el, 'booking:error', { code: 'invalid_request', message: error instanceof Error ? error.message : String(error) })
    }
  }
  const scan = (root: Element | Document) => {
    if (root instanceof Element && root.hasAttribute(ATTRIBUTE)) mountHost(root)
    root.querySelectorAll(`[${ATTRIBUTE}]`).forEach(mountHost)
  }

  scan(document)
  // Hosts that render late (SPAs, the parser still running under `async`) add elements afterwards.
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') scan(record.target as Element)
      else record.addedNodes.forEach((node) => node instanceof Element && scan(node))
    }
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: [ATTRIBUTE] })
}

/** `data-api` on the script tag, else the origin the script was loaded from. */
function findApiUrl(): string {
  const configured = script?.dataset.api
  if (configured) return new URL(configured, document.baseURI).href
  return script?.src ? new URL(script.src).origin : location.origin
}
