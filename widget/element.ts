import { mount, type MountHandle, type MountOptions, type Theme } from './sdk'

/** The attributes the element reads; changing any of them mounts the widget again with the new value. */
const ATTRIBUTES = ['resource', 'pool', 'service', 'api-url', 'locale', 'tz', 'theme', 'manage-url'] as const

/**
 * `<booking-widget resource="yoga-room" api-url="https://book.example.com">` (or `pool="physios"` for
 * "anyone free" of a pool, or `service="massage-with-room"` for a therapist and a room at once): the
 * booking widget as a custom element. Its events (`booking:confirmed`, …) are dispatched on the element
 * itself, so `addEventListener` works as on any element. Removing it from the page gives a held time back.
 */
export class BookingWidgetElement extends HTMLElement {
  static readonly observedAttributes: readonly string[] = ATTRIBUTES
  #handle: MountHandle | undefined

  connectedCallback(): void {
    this.#render()
  }

  disconnectedCallback(): void {
    this.#handle?.destroy()
    this.#handle = undefined
  }

  attributeChangedCallback(_name: string, previous: string | null, next: string | null): void {
    if (previous === next || !this.isConnected) return
    this.#handle?.destroy()
    this.#handle = undefined
    this.#render()
  }

  #render(): void {
    const resource = this.getAttribute('resource')
    const pool = this.getAttribute('pool')
    const service = this.getAttribute('service')
    const apiUrl = this.getAttribute('api-url')
    // Frameworks often set attributes one by one after connecting: wait until both are there.
    if (!(resource || pool || service) || !apiUrl) return
    // A resource wins over a pool, and a pool over a service, as on an embed element that names several.
    const options: MountOptions = resource
      ? { resource, apiUrl }
      : pool
        ? { pool, apiUrl }
        : { service: service!, apiUrl }
    const locale = this.getAttribute('locale')
    const tz = this.getAttribute('tz')
    const theme = this.getAttribute('theme')
    const manageUrl = this.getAttribute('manage-url')
    if (locale) options.locale = locale
    if (tz) options.tz = tz
    if (theme) options.theme = theme as Theme
    if (manageUrl !== null) options.manageUrl = manageUrl === 'false' ? false : manageUrl
    this.#handle = mount(this, options)
  }
}

/**
 * Registers the element under `tagName` (`booking-widget` by default); calling it again is harmless.
 * Registration is a call rather than an import side effect so bundlers may drop unused code.
 */
export function defineBookingWidget(tagName = 'booking-widget'): void {
  if (!customElements.get(tagName)) customElements.define(tagName, class extends BookingWidgetElement {})
}

declare global {
  interface HTMLElementTagNameMap {
    'booking-widget': BookingWidgetElement
  }
}
