/*
 * The manage page's entry module (dist/widget/assets/manage-<hash>.js, imported by the
 * manage.js loader with its script tag): shows the booking named by the manage
 * link (`#ref=…&token=…&lang=de&theme=dark`, a fragment, so the token never reaches a
 * server log or a Referer) in every [data-booking-manage] element, in the link's language
 * and theme unless the element sets its own data-locale / data-theme. It shares its chunks
 * with the widget's entry; the manage view is a chunk that only this page loads.
 */
import { emit } from './events'
import { findApiUrl, optionsFrom } from './host-options'
import { manage, manageWaitlist, type ManageOptions, type Theme } from './sdk'

const THEMES: readonly string[] = ['light', 'dark', 'auto'] satisfies Theme[]

/** What the link itself says about the view; a theme it does not know is ignored, not an error. */
function fromLink(link: URLSearchParams): Pick<ManageOptions, 'ref' | 'token' | 'locale' | 'theme'> {
  const options: Pick<ManageOptions, 'ref' | 'token' | 'locale' | 'theme'> = {
    ref: link.get('ref') ?? '',
    token: link.get('token') ?? '',
  }
  const lang = link.get('lang')
  const theme = link.get('theme')
  if (lang) options.locale = lang
  if (theme && THEMES.includes(theme)) options.theme = theme as Theme
  return options
}

function showBookings(script: HTMLScriptElement | null): void {
  const apiUrl = findApiUrl(script)
  const link = new URLSearchParams(location.hash.slice(1))
  document.querySelectorAll('[data-booking-manage]').forEach((el) => {
    try {
      // The element's own data-locale / data-theme win over the link's.
      const options = { ...fromLink(link), ...optionsFrom(el, apiUrl) }
      // A waitlist link (`#waitlist=<ref>&token=…`, from the offer and joined messages) shows the entry.
      const waitlistRef = link.get('waitlist')
      if (waitlistRef !== null) manageWaitlist(el, { ...options, ref: waitlistRef })
      else manage(el, options)
    } catch (error) {
      emit(el, 'booking:error', {
        code: 'invalid_request',
        message: error instanceof Error ? error.message : String(error),
      })
    }
  })
}

/** Called by the loader, once the page's [data-booking-manage] elements are there. */
export function start(script: HTMLScriptElement | null): void {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => showBookings(script))
  else showBookings(script)
}
