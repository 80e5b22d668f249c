/*
 * The classic-script entry (dist/widget/widget.js): the only module that touches the host
 * page when it loads. It mounts every [data-booking-resource] element, now and later, adds
 * floating buttons for [data-booking-button], and exposes window.Booking. Nothing here may
 * throw into the host page. The manage view is a separate script (manage-page.ts), so the
 * booking flow does not carry it.
 */
import { emit } from './events'
import { addFloatingButton } from './launcher'
import { findApiUrl, optionsFrom } from './host-options'
import { setCatalogueLoader, type Messages } from './i18n'
import { mount, open, setPaymentModuleLoader, type MountHandle, type MountOptions } from './sdk'

interface BookingGlobal {
  mount: typeof mount
  open: (options: Omit<MountOptions, 'apiUrl'> & { apiUrl?: string }) => MountHandle | undefined
  version: string
}

declare global {
  interface Window {
    Booking?: BookingGlobal
  }
}

const RESOURCE = 'data-booking-resource'
const BUTTON = 'data-booking-button'

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
  const apiUrl = findApiUrl(script)
  // The card step is a sibling file (payment.js next to widget.js), fetched only when needed.
  const paymentUrl = new URL('payment.js', script?.src || `${apiUrl}/widget.js`).href
  setPaymentModuleLoader(() => import(/* @vite-ignore */ paymentUrl))
  // So are the catalogues of languages other than English (locale-de.js, locale-es.js).
  setCatalogueLoader((language) =>
    import(/* @vite-ignore */ new URL(`locale-${language}.js`, script?.src || `${apiUrl}/widget.js`).href).then((m: { default: Messages }) => m.default),
  )
  const openPopup: BookingGlobal['open'] = (options) => {
    try {
      return open({ ...options, apiUrl: options?.apiUrl ?? apiUrl })
    } catch (error) {
      console.error('[booking]', error)
      return undefined
    }
  }
  window.Booking = { mount, open: openPopup, version: __WIDGET_VERSION__ }

  const buttons = new Set<string>()
  const attach = (el: Element) => {
    try {
      const options = optionsFrom(el, apiUrl)
      if (el.hasAttribute(RESOURCE)) mount(el, { ...options, resource: el.getAttribute(RESOURCE) ?? '' })
      const floating = el.getAttribute(BUTTON)
      // One floating button per resource, however many elements ask for it.
      if (floating && !buttons.has(floating)) {
        buttons.add(floating)
        addFloatingButton(el.getAttribute('data-booking-label'), options, () => openPopup({ ...options, resource: floating }))
      }
    } catch (error) {
      emit(el, 'booking:error', { code: 'invalid_request', message: error instanceof Error ? error.message : String(error) })
    }
  }
  const selector = `[${RESOURCE}],[${BUTTON}]`
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
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: [RESOURCE, BUTTON] })
}
