import type { MountOptions, Theme } from './sdk'

/** Options an element sets with data-* attributes (data-api, data-tz, data-locale, data-theme, data-name…). */
export function optionsFrom(el: Element, apiUrl: string): Omit<MountOptions, 'resource' | 'pool'> {
  const data = (el as HTMLElement).dataset ?? {}
  const options: Omit<MountOptions, 'resource' | 'pool'> = {
    apiUrl: data.api ? new URL(data.api, document.baseURI).href : apiUrl,
  }
  if (data.tz) options.tz = data.tz
  if (data.locale) options.locale = data.locale
  if (data.theme) options.theme = data.theme as Theme
  if (data.manageUrl) options.manageUrl = data.manageUrl
  const guest = { name: data.name, email: data.email, phone: data.phone, notes: data.notes }
  options.guest = Object.fromEntries(Object.entries(guest).filter(([, value]) => value))
  return options
}

/** `data-api` on the script tag, else the origin the script was loaded from. */
export function findApiUrl(script: HTMLScriptElement | null): string {
  const configured = script?.dataset.api
  if (configured) return new URL(configured, document.baseURI).href
  return script?.src ? new URL(script.src).origin : location.origin
}
